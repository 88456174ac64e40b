"""Intent rules of the spa's operations (DESIGN §6, second table) and of the CRM rows added with
issue 6 (edit_customer, reassign, add_note, list_tasks, undo), plus question detection.

The weights sit above the CRM rules they overlap with: "hủy lịch" (cancel) must beat the "hủy"
of a dead lead, "chuyển lịch" (reschedule) the "chuyển" of a move, "nhập kho" the "kho" of a
stock query, "xuất excel bảng lương" the payslip.
"""

from __future__ import annotations

import re

from spacrm.bot.nlu.text import kw
from spacrm.bot.nlu.vocab import WALK_IN

_NEG = r"(?:khong|ko|k|hok|hong|kg|kh0ng|chua)"
_AMOUNT = r"\d[\d.,]*\s*(?:k|tr|trieu|nghin|ngan|d|dong)?\d*"
_SPAN = r"\d{1,3} (?:ngay|tuan|thang|nam)"
_APPT = r"(?:lich(?:\s+hen)?|hen|booking|book|buoi(?:\s+hen)?)"
# A customer or an employee in a pattern: a few words.
_FEW = r"(?:\s+[a-z0-9]+){0,5}?"

# The command after the note: "chị Lan da nhạy cảm, ghi chú giùm em" (crm_slots.add_note reads it).
NOTE_AFTER = re.compile(
    r"[,.;:!\s]*\b(?:ghi chu|note|luu y)(?:\s+(?:lai|vao|giup|gium|dum|ho|cho|em|minh|nhe|nha|voi|a))*\W*$"
)
# Another technician for an appointment (ops_slots.reschedule_appointment reads the new one).
_TECH = r"(?:ktv|ky thuat vien|ky thuat|tho|nguoi lam)"
# "hủy lịch 3h của c Lan và đặt lại 5h": cancelled and booked again at a time named is a move
_REBOOKED = kw(
    r"huy(?: [a-z0-9]+){0,8}?,?\s+(?:(?:va|roi|r|xong)\s+)?(?:dat|book|hen|xep) lai"
    r"(?= (?:\d|mai|mot|thu|chu nhat|chieu|sang|toi|trua|tuan|ngay|hom|luc|vao))"
)
TECHNICIAN_CHANGE = kw(
    rf"(?:doi|thay|chuyen)(?: lai)? {_TECH}",
    rf"(?:doi|chuyen)(?: lai)? (?:sang|qua|cho) {_TECH}",
    rf"{_TECH} (?:khac|moi)",
)
ORDER_NUMBER = re.compile(r"(?<![a-z0-9])hd\s?\d{4}\s?-\s?\d{1,8}(?![0-9])")

OPS_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("undo", kw(r"hoan tac", r"undo", r"huy (?:thao tac|lenh|buoc)(?: vua (?:roi|lam|xong))?"), 20),
    (
        "list_tasks",
        kw(
            r"viec (?:can|phai) lam",
            r"(?:can|phai) lam (?:gi|nhung gi|viec gi)",
            r"viec(?: can lam)? (?:qua han|tre han|hom nay|ngay mai|mai)",
            r"(?<!nhieu )(?<!may )(?:cuoc goi|cuoc gap|lich goi|lich gap)(?: khach)?"
            r"(?= (?:can|phai|qua han|tre han|hom nay|ngay mai|mai|tuan|sap)| ?$)",
            r"(?:can|phai) goi (?:ai|cho ai|nhung ai)",
            r"qua han",
            r"todo|to do|nhiem vu",
            r"(?:co|c0) (?:viec|cong viec) (?:gi|nao)",
        ),
        13,
    ),
    (
        "list_appointments",
        kw(
            r"lich hen",
            r"lich (?:lam|lam viec)",
            r"lich(?: cua)? (?:ktv|ky thuat vien|nv|nhan vien)",
            r"(?:co|c0) (?:nhung |may |bao nhieu )?lich(?: hen)?(?: nao)?",
            r"(?:co|c0) hen(?= .*(?:khong|ko|k|chua|nao)\W*$)",
            r"lich (?:hom nay|ngay mai|mai|thu|chu nhat|tuan)",
            r"(?:xem )?lich(?: lam)? cua",
        ),
        8,
    ),
    # "mai ktv Hoa kín lịch chưa", "ktv Linh có ca nào không": a technician's bookings, read.
    (
        "list_appointments",
        kw(
            r"(?:kin|full|het|trong|ranh|con trong|con ranh) (?:lich|ca|gio|slot)",
            r"lich (?:kin|full|trong|ranh)",
            r"(?:co|c0) (?:ca|slot)(?: nao)?(?= .*(?:khong|ko|k|hok|chua|nao)\W*$)",
            # "mai ktv Mai rảnh không": asked about a technician, free means her bookings
            r"(?:ktv|ky thuat vien)(?: [a-z0-9]+){1,5}? (?:co |c0 |con |dang )?(?:ranh|ban|trong lich|kin)"
            r"(?= (?:khong|ko|k|hok|chua|nao|gi|ko a|khong a)\W*$|\W*$)",
            # "hôm nay ktv Hoa có mấy khách": how many is her list (not the branch's figures)
            r"(?:ktv|ky thuat vien)(?: [a-z0-9]+){1,3}? (?:co |c0 |con |lam )?(?:may|bao nhieu)"
            r" (?:khach|lich|ca|slot|booking)",
            # "mai em có mấy khách": the sender's own list (a technician sees only hers)
            r"(?:em|minh|toi|tui|tao)(?: (?:co|c0|con|lam|duoc))? (?:may|bao nhieu)"
            r" (?:khach|lich|ca|slot|booking)",
        ),
        8,
    ),
    # Who, not one technician: "ai đang rảnh", "ktv nào rảnh", "ca chiều nay ai làm", "hôm nay
    # ai đi làm", "phòng nào đang trống", "còn giường trống không".
    (
        "on_duty",
        kw(
            r"(?:ai|ktv nao|nhan vien nao|nv nao|em nao|ban nao|nguoi nao)"
            # ("ai bán nhiều nhất" is a ranking: busy only as "đang bận")
            r" (?:(?:dang |con |co )?(?:ranh|trong|free)|dang ban)",
            r"(?:ca|ca lam)(?: (?:sang|trua|chieu|toi|dem))?(?: (?:nay|mai|hom nay|ngay mai))?"
            r" (?:ai|nhung ai|co ai|ktv nao) (?:lam|truc|di lam)",
            r"(?:ai|nhung ai|ktv nao) (?:lam|truc|di lam|vo|vao) ca",
            r"(?:hom nay|mai|ngay mai|chieu nay|sang nay|toi nay|bay gio|gio nay) (?:co )?(?:ai|nhung ai)"
            r" (?:lam|truc|di lam|o tiem|o spa)",
            r"(?:ai|nhung ai) (?:dang )?(?:truc|di lam)(?: (?:hom nay|mai|ngay mai|chieu nay|sang nay|toi nay))",
            # "phòng nào đang trống", "tối nay phòng VIP trống không" (a room named in 1-2 words)
            r"(?:phong|giuong)(?: nao| [a-z0-9]+){0,2}? (?:dang |con |con dang )?(?:trong|ranh|free)",
            r"(?:con|co) (?:phong|giuong)(?: nao)? (?:trong|ranh|free)",
            # "còn slot nào lúc 5h chiều nay không", "5h chiều còn chỗ không"
            r"(?:con|co) slot(?: nao| trong)?",
            r"(?:con|co) (?:cho|gio|lich) trong",
            r"(?:con|co) cho (?:khong|ko|k)\W*$",
            r"lich (?:truc|ca lam)",
        ),
        12,
    ),
    ("cancel_appointment", kw(rf"huy\s+{_APPT}", r"cancel", rf"bao huy(?:\s+{_APPT})?"), 13),
    (
        "reschedule_appointment",
        kw(
            rf"(?:doi|loi|lui|chuyen|day|hoan|dich)\s+{_APPT}",
            r"doi (?:gio|ngay) hen",
            # "dời chị Lan qua 10h mai": whom, then the new time.
            # (not "đổi ktv cho chị Lan sang Mai": another technician, "Mai" is her name)
            # "chị Lan muốn dời qua 3h chiều thứ 6": the verb, then straight the new time
            r"(?:doi|loi|lui|day) (?:qua|sang)"
            r"(?= (?:\d|mai|mot|thu|chu nhat|chieu|sang|toi|trua|tuan|ngay|hom))",
            r"(?:doi|loi|lui|day)(?! (?:ktv|ky thuat vien|nv|nhan vien|nguoi lam|tho|phong))"
            r"(?: [a-z]+){1,4} (?:qua|sang)"
            r"(?= (?:\d|mai|mot|thu|chu nhat|chieu|sang|toi|trua|tuan|ngay|hom))",
            r"reschedule",
            _REBOOKED.pattern,
            # Another technician for the appointment: "đổi ktv cho chị Lan sang Mai", "chị Lan
            # đổi qua ktv Hoa" ("nhân viên phụ trách" is the account owner: a reassign).
            TECHNICIAN_CHANGE.pattern,
        ),
        13,
    ),
    (
        "check_in",
        kw(
            r"(?<!khong )(?<!ko )(?<!k )(?<!chua )(?:den|toi|t0i|qua) (?:roi|r)",
            r"(?:da|vua|moi) (?:den|toi|t0i|qua)(?! (?:han|luc|ngay|gio))",
            r"check[ -]?in",
            r"(?:co|c0) mat",
        ),
        9,
    ),
    (
        "complete_session",
        kw(
            r"xong buoi",
            r"(?:hoan thanh|ket thuc|done) buoi",
            # "trừ 1 buổi liệu trình chị Yến", "chị Yến dùng liệu trình buổi thứ 3 hôm nay"
            r"tru(?: di)? (?:1 |mot )?buoi",
            r"(?:dung|d0ng|su dung)(?: (?:1|mot))? buoi(?! (?:nao|gi))",
            r"(?:dung|d0ng|su dung) lieu trinh(?: [a-z]+){0,3}? buoi(?: thu)? \d",
            r"(?:lam|tri|cham soc)(?: da)? xong",
            r"(?:da )?xong (?:buoi|lieu trinh|dich vu|dv)",
            r"hoan thanh(?= (?:lieu trinh|buoi|dich vu|dv))",
            # "ktv Hoa xong ca c Lan": a session (ca) finished for a customer
            r"(?:lam )?xong ca(?= (?:cho |cua )?(?:c|a|e|chi|anh|em|co|khach|kh)(?![a-z]))",
        ),
        10,
    ),
    (
        "no_show",
        kw(
            rf"bung\s+(?:{_APPT}|keo|roi)",
            r"(?<!beo )(?<!mo )(?<!vong )(?<!dau )bung$",
            r"(?:khong|ko|k|hok|kg) (?:den|toi|t0i|qua|xuat hien)(?! (?:duoc|dc|roi))",
            r"no ?show",
            r"vang mat",
        ),
        10,
    ),
    (
        "confirm_appointment",  # the customer said she will come (#9)
        kw(
            rf"xac nhan\s+(?:lai\s+)?{_APPT}",
            rf"confirm\s+{_APPT}",
            r"xac nhan (?:se )?(?:den|toi|qua)(?! (?:han|luc|ngay|gio))",
        ),
        12,
    ),
    (
        "show_course",
        kw(
            r"^\W*lieu trinh",
            r"(?:xem|kiem tra|tra|check)\s+(?:lai\s+)?lieu trinh",
            r"lieu trinh(?:\s+[a-z]+){0,3}\s+cua",
            r"con (?:lai )?(?:may|bao nhieu) buoi",
            r"(?:so buoi|buoi) con lai",
        ),
        9,
    ),
    (
        "create_order",
        kw(
            r"(?:tao|len|lap|mo|chot|them|ra) (?:hoa )?don(?! (?:nghi|xin))",
            r"ban (?:cho|g0i|goi|combo|the|lieu trinh|\d+ (?:hop|chai|lo|tuyp|g0i|goi|cai|bo|buoi))",
            r"mua (?:g0i|goi|combo|the|lieu trinh|them|\d+)",
            r"lay (?:them )?(?:g0i|goi|combo|\d+)",
        ),
        12,
    ),
    # The customer between the verb and what is sold: "bán c Diễm gói triệt nách 10 buổi",
    # "bán cho a Phát 10 buổi massage" (a "gọi" right after a name is a call: "bạn Lan gọi lại").
    (
        "create_order",
        kw(
            r"ban(?: cho)? (?:c|a|e|chi|anh|em|co|chu|kh|khach)(?: [a-z]+){1,3} (?:g0i|combo|lieu trinh"
            r"|goi(?! (?:lai|dien|cho|dt|ngay|nhe|nha|di|roi|r)(?![a-z]))|\d+ (?:hop|chai|lo|tuyp|cai|bo|buoi))",
            r"(?:ban|mua|lay)(?: [a-z]+){1,5}? \d+ ?(?:buoi|b)",
            # "chị Lan đặt gói massage 10 buổi 3tr": a package of sessions bought, not a booking
            # (nor a payment of its price)
            r"dat (?:mua )?(?:g0i|goi|combo|lieu trinh|the)(?: [a-z]+){0,4}? \d+ ?buoi",
            # "chốt chị Lan gói 5 buổi massage 2tr5": the sale is closed, an order (its price is
            # no payment yet)
            r"(?:chot|dang ky|dk)(?: [a-z0-9]+){0,4}? (?:g0i|combo|lieu trinh|\d+ ?(?:buoi|b)|goi \d)",
            # "chị Hoa đặt cọc 500k gói phun mày": a deposit on a package is its order, part paid
            rf"coc(?: truoc)?(?: {_AMOUNT})?(?: (?:ck|tm|tien mat|chuyen khoan))?"
            r" (?:cho |de |mua |lam )?(?:g0i|combo|lieu trinh|the"
            r"|goi(?! (?:lai|dien|cho|dt|ngay|nhe|nha|di|roi|r)(?![a-z])))",
        ),
        12,
    ),
    (
        "show_order",
        kw(
            r"(?:xem|mo|chi tiet|tra|kiem tra|tim)\s+(?:lai\s+)?(?:hoa don|don hang|don)",
            r"(?:hoa don|don hang|don) (?:cua|cho)",
            # "in bill cho chị Lan": her latest order's card, where "In bill" is a press
            r"in (?:lai )?(?:bill|hoa don|hd|phieu thu|bien lai)",
            # "hủy đơn chị Ngân": her order card, where "Hủy đơn" is a press (not a dead lead)
            r"huy (?:don|don hang|hoa don|bill)(?! nghi| phep)",
        ),
        10,
    ),
    (
        "stock_in",
        kw(
            r"nhap kho",
            r"nhap (?:them |hang |ve )*\d+",
            r"nhap hang",
            r"(?:them|cho) vao kho",
        ),
        13,
    ),
    (
        "export_report",
        kw(
            r"xuat (?:file|excel|exc|xls|bao cao|danh sach|ds|bang|du lieu|ra|kpi|luong|ton kho"
            r"|don hang|khach|voucher|hoat dong)",
            r"excel|xlsx|export",
            r"(?:xuat|tai|gui|lay) file",
        ),
        14,
    ),
    (
        "payslip",
        kw(
            r"bang luong",
            r"phieu luong",
            r"payslip",
            r"(?<!khong )(?<!ko )(?<!co )(?<!k )luong (?:thang|cua|tuan|ky|t\d)",
            r"xem luong",
        ),
        12,
    ),
    (
        "approve_leave",
        kw(
            r"(?<!khong )(?<!ko )(?<!chua )(?<!k )duyet(?: (?:don|phep|nghi|cho))?",
            r"(?:dong y|cho phep|chap nhan)(?: cho)?(?:\s+[a-z]+){1,3} nghi",
            # "ok cho Hoa nghỉ thứ 7": leave given to someone else (not "cho em nghỉ").
            r"(?:ok|oke|okay|duoc|dc)\s+cho (?!(?:em|e|t0i|toi|minh|mk|tui|chi|anh) )[a-z]+(?: [a-z]+)? nghi",
            r"approve",
        ),
        15,
    ),
    # Whose birthday: "khách nào sinh nhật tháng này", "sinh nhật tuần sau", "hôm nay sinh nhật ai".
    (
        "list_birthdays",
        kw(
            r"(?:ai|nhung ai|(?:khach|kh)(?: hang)? nao|nhung (?:khach|kh)(?: hang)?(?: nao)?"
            r"|may (?:khach|kh)|bao nhieu (?:khach|kh))(?: (?:co|c0|se|sap))? sinh nhat",
            r"sinh nhat (?:ai|khach|kh)\b",
            r"(?:danh sach|ds|xem|list) (?:khach |kh )?sinh nhat",
            r"^\W*sinh nhat (?:thang|tuan|hom nay|ngay mai|mai)(?: (?:nay|sau|toi|\d{1,2}))?\W*$",
        ),
        16,
    ),
    # Who has not come back: "khách nào lâu rồi chưa quay lại", "ds khách 3 tháng chưa tới".
    (
        "list_lapsed",
        kw(
            rf"(?:khach|kh)(?: hang)?(?: cu)?(?: nao)?(?: (?:da|nao da))? (?:hon |tren |qua )?"
            rf"(?:lau|{_SPAN}|nua nam)(?: (?:nay|roi|qua|nay roi))?(?: (?:van|ma))? {_NEG}"
            rf" (?:quay lai|tro lai|den|toi|ghe|lam|di lam|su dung|dung|mua)",
            rf"(?:khach|kh)(?: hang)?(?: cu)?(?: nao)?(?: (?:da|van))? {_NEG} (?:quay lai|tro lai)"
            rf"(?! (?:lay|nhan|lam|tra|xem))",
        ),
        16,
    ),
    # Paid leave left: "em còn mấy ngày phép", "phép năm còn bao nhiêu".
    (
        "leave_balance",
        kw(
            r"(?:con|da (?:dung|d0ng|nghi)|het|dung|d0ng)(?: (?:bao nhieu|may|duoc))? (?:ngay )?phep",
            r"(?:so )?(?:ngay )?phep(?: nam)?(?: cua (?:em|minh|toi|t0i))? (?:con(?: lai)?|da (?:dung|d0ng))",
        ),
        17,
    ),
    # Who is off: "hôm nay ai nghỉ", "lịch nghỉ tuần này", "tuần sau những ai xin nghỉ".
    (
        "list_leave",
        kw(
            r"(?:ai|nhung ai|nv nao|nhan vien nao|ktv nao|bao nhieu nguoi|may nguoi)"
            r"(?: (?:dang|se|da|duoc|xin|co))* nghi",
            r"lich nghi(?: phep)?",
            r"(?:danh sach|ds) (?:nghi|xin nghi)",
        ),
        17,
    ),
    (
        "edit_customer",
        kw(
            r"(?:sua|doi|cap nhat|update|thay doi|thay|chinh sua|chinh|ghi lai)\s+(?:lai\s+)?"
            r"(?:sdt|so dien thoai|so dt|dt|so|email|mail|ten|ho ten|dia chi|dc|cong ty|cty"
            r"|nguon|nhu cau|gia tri|ngay sinh|sinh nhat|birthday)",
            r"(?:sdt|so dien thoai|so dt|so|email|mail|dia chi)\s+moi(?= .*(?:\d|@))",
            # "sđt chị Trang đổi thành 0987…": the field first, the change after her name
            r"(?:sdt|so dien thoai|so dt|email|mail|dia chi|ngay sinh|sinh nhat)(?: [a-z]+){1,4}?"
            r" (?:doi|sua|cap nhat|thay doi|chuyen)(?: lai)? (?:thanh|sang|la|qua)",
        ),
        14,
    ),
    (
        "reassign",
        kw(
            r"(?<!ban )giao(?! (?:dich|hang|tiep|luu|vien))",
            r"ban giao",
            r"phu trach",
            r"cho"
            + _FEW
            + r" (?:cham soc|cs|theo doi|xu ly|take care|quan ly)(?! (?:da|mat|body))",
            # "chuyển chị Lan cho Hoa": a customer handed to a colleague named last.
            r"(?:chuyen|chuyn)(?! (?:khoan|khan|tien|lich|hen))(?: [a-z0-9]+){1,5} (?:sang |qua )?cho"
            r"(?: (?:nv|nhan vien|ban|em|chi|anh|c|a|e))?(?: [a-z]+){1,3}\W*$",
        ),
        10,
    ),
    ("add_note", re.compile(r"^\W*(?:them\s+)?(?:ghi chu|note|gc|luu y)(?![a-z0-9])"), 20),
    # The note first, the command last: "chị Lan da nhạy cảm, ghi chú giùm em".
    ("add_note", NOTE_AFTER, 20),
    # Work on an order (#30): "ghi công đơn HD2026-000012 tư vấn Hoa 5%" (not "công nợ", a debt).
    ("order_task", kw(r"ghi (?:nhan )?cong(?! no)(?: viec)?", r"cong viec (?:tren|cua) don"), 16),
    # A course's sessions to another customer (#9): above "chuyển lịch" (13) and the "chuyển …
    # cho Hoa" of a reassign (10); "chuyển buổi hẹn" stays a reschedule.
    (
        "transfer_course",
        kw(
            r"(?:chuyen|nhuong)(?: lai)? (?:het |ca |toan bo |nhung |cac |so )?(?:\d+ )?buoi"
            r"(?! (?:hen|lich|sang \d|qua \d))",
            r"(?:chuyen|nhuong)(?: lai)? (?:het |ca |toan bo )?(?:\d+ buoi )?lieu trinh",
            # "chị Hằng chuyển gói sang cho em gái": her prepaid package, not her salesperson
            r"(?:chuyen|nhuong|sang ten)(?: lai)? (?:het |ca |toan bo |cai )?(?:g0i|goi|the)"
            r"(?: [a-z]+){0,6}? (?:sang|qua|cho)",
        ),
        16,
    ),
)

# A question: the answer is read, nothing is changed ("đã đặt lịch chưa", "đang chăm sóc hay
# đặt lịch rồi?", "đang ở giai đoạn nào"). A polite request ("… được không?", "giúp em") is
# still a request, so it is excluded before these are tried.
QUESTION = re.compile(
    r"(?<![a-z0-9])(?:chua|chưa)\s*(?:em|a|vay|nhi|ha|ban|chi|anh|c|e)?\s*[?.!]*\s*$"
    r"|(?<![a-z0-9])hay(?![a-z0-9]).*(?<![a-z0-9])(?:roi|chua|r)(?![a-z0-9])"
    r"|(?<![a-z0-9])(?:trang thai|giai doan|buoc|muc) nao(?![a-z0-9])"
    r"|(?<![a-z0-9])(?:co|c0)(?![a-z0-9]).*(?<![a-z0-9])(?:khong|ko|k|hok|hong)\s*[?.!]*\s*$"
    r"|\?\s*$"
    # Question words: who, when, why, what time, how much / many, how.
    r"|(?<![a-z0-9])(?:ai|khi nao|bao gio|tai sao|vi sao|sao lai|may gio|luc may|th3 nao|the nao"
    r"|ra sao|ntn|lam sao)(?![a-z0-9])"
    r"|(?<![a-z0-9])bao nhieu\s+(?:gio|tieng|ngay|buoi|lan|tien|phep|h)(?![a-z0-9])"
    r"|(?<![a-z0-9])may\s+(?:gio|tieng|ngay|buoi|phep|h)(?![a-z0-9])"
    r"|(?<![a-z0-9])(?:gi|nao|khong|ko|hok|bn|bao nhieu)(?![a-z0-9])"
    r"\s*(?:(?:roi|r|chua|vay|the|em|a|vay|nhi|ha|ban|chi|anh|c|e)(?![a-z0-9])\s*){0,2}[?.!]*\s*$"
)
# "How do I …" asks for help, not for the action ("làm sao để đặt lịch", "cách tạo đơn").
HOWTO = re.compile(
    r"(?<![a-z0-9])(?:lam sao|lam th3 nao|lam the nao|nhu th3 nao|nhu the nao|th3 nao|the nao"
    r"|ntn)(?![a-z0-9])|^\W*cach(?![a-z0-9])"
)
POLITE = kw(
    r"(?:duoc|dc|đc|dk)\s*(?:khong|ko|k|hok|hong|ha)",
    r"giup",
    r"gium",
    r"nhe",
    r"nha",
    r"(?:can|muon|nho|hay)\s+(?:em|ban|bot)",
)
# Write intents that a question turns into a read. Notes and cases are excluded: their free
# text may hold a question the customer asked ("ghi chú: chị hỏi khi nào có khuyến mãi").
# A question the customer asked, reported by staff ("chị hỏi bao giờ có khuyến mãi"), is no
# question to the bot.
REPORTED = kw(r"hoi", r"thac mac", r"muon biet", r"hoi xem", r"noi")
QUESTION_EXEMPT = frozenset({"add_note", "create_case"})
WRITES = frozenset(
    "create_lead log_activity plan_activity move_lead book_appointment record_payment "
    "create_case create_order cancel_appointment reschedule_appointment check_in "
    "complete_session no_show confirm_appointment stock_in approve_leave edit_customer reassign add_note "
    "request_leave log_overtime create_expense order_task transfer_course".split()
)
APPOINTMENT_WORDS = kw(r"lich hen", r"(?:co|c0) (?:lich|hen)")
BIRTHDAY = kw(r"sinh nhat", r"ngay sinh", r"birthday", r"sn")
_STAGE_FILTER = re.compile(
    r"^\W*(?:ds |danh sach |cac |nhung |xem )?(?:kh|khach(?: hang)?)\s+(?:dang|da|ngung|dung|tiem)"
)
_CHART = kw(r"thong ke", r"bieu do", r"bao cao", r"bc", r"chart", r"report")
_BOOK_VERB = kw(r"dat lich", r"dat hen", r"book", r"xep lich", r"hen lich", r"giu lich")


# Refusing a leave is no approval and no request: with no reject intent in §6, it is not
# understood (the user is told so) rather than acted on.
_REFUSE = kw(r"(?:khong|ko|k|chua) duyet", r"tu choi (?:don|phep|nghi|cho)", r"reject", r"bac don")


# Money going back to a customer, and goods taken out of stock: §6 has no intent for either, and
# read as a payment received or a stock arrival they would record the opposite of what happened.
# Not understood (the user is told what to do) rather than acted on.
_REFUND = kw(
    r"hoan (?:tien|lai|tra|coc)",
    r"tra lai (?:tien|coc|\d[\d.,]*\s*(?:k|tr|trieu|nghin|ngan|d|dong|cu)?)",
    r"tra lai(?: [a-z]+){0,3} (?:tien|coc)",
    r"refund",
    r"hoan(?= \d)",
)
_STOCK_OUT = kw(
    r"xuat kho(?! (?:excel|file))",
    r"xuat (?:ra )?\d+",
    r"(?:lay|rut) (?:ra )?\d+(?: [a-z]+){1,4} (?:ra|dung)",
)


# "chưa trả tiền", "chưa ck": money NOT received. Never a payment; about someone, what she owes.
# "… chưa tt hết, mới trả 500k" affirms a payment after all.
_UNPAID = kw(
    r"(?:chua|khong|ko|k|van chua) (?:tra|thanh toan|tt|dong|chuyen khoan|ck|chuyen tien|thu)"
    r"(?: (?:tien|het|du|no))?(?![a-z0-9])(?! lai)",
    # "cho chị Lan nợ 500k tuần sau trả", "ghi nợ 500k", "nợ lại 200k": owed, not received
    r"(?:cho|ghi|de|dc|duoc)(?: [a-z]+){0,3}? no(?= \d| lai| tien)",
    r"no lai(?= \d)",
    # "khách ck thiếu 50k": what is still owed, not what came in
    r"(?:thieu|con thieu|con no)(?= \d)",
)
# Money that is no receipt: a discount ("giảm giá 200k cho chị Lan"), a voucher or gift card
# spent ("chị Lan dùng voucher 100k": no payment method records it).
# The words before a sum taken off a price ("giảm giá 200k", "bớt cho chị 100k"); ops_slots reads
# the same lead in a sale.
DISCOUNT_LEAD = (
    r"(?:giam|giam gia|chiet khau|bot|discount|khuyen m[a4]i|km)(?: gia| them| cho [a-z ]{1,20}?)?"
)
_NOT_MONEY_IN = kw(
    rf"{DISCOUNT_LEAD} {_AMOUNT}",
    r"ck(?: khuyen m[a4]i| giam gia)? \d{1,2} ?%",  # "ck 10%": chiết khấu, not chuyển khoản
    r"(?:sua|doi|chinh|dieu chinh) (?:lai )?(?:gia|tien|so tien|tong)",  # "sửa giá đơn … thành 1tr8"
    # change given back, an overpayment, a tip: no sum received for an order
    r"thoi (?:lai|tien)",
    r"tien (?:thua|thoi)",
    # ("dư", over, folds to "du" as "đủ", in full does: intents.classify reads it with its mark)
    r"(?:chuyen|ck|tra|dong) (?:thua|lo|nham)",
    r"tip",
    r"tien boa",
    r"boa",
    r"voucher",
    r"phieu qua tang",
    r"the qua tang",
    r"the qua",
    r"gift ?card",
    r"e ?voucher",
)
_PAID_AFTER_ALL = kw(
    r"(?:moi|vua|da|truoc) (?:tra|thanh toan|tt|dong|chuyen khoan|ck|chuyen)",
    r"(?<!chua )(?<!khong )thu (?:tien|\d)",
    rf"(?<!chua )(?<!khong )(?<!ko )(?<!k )(?:tra|ck|chuyen khoan|tt|thanh toan) {_AMOUNT}",
)


_QR = kw(r"(?:ma )?qr", r"vietqr", r"ma chuyen khoan")


_PAY_VERB = r"(?:tra|thanh toan|tt|dong|chuyen khoan|ck|chuyen tien|chuyen)"
# Money promised, or only believed paid: "chị Lan hứa mai trả tiền", "tuần sau mới chuyển khoản",
# "hình như chị Lan đã ck rồi, check giúp em". Nothing is received yet (or it is to be checked):
# her orders and what is left are shown, no receipt is written.
_NOT_YET_PAID = kw(
    rf"(?:se|hua|hen|dinh|tinh|bao)(?: [a-z]+){{0,3}}? {_PAY_VERB}",
    rf"(?:mai|ngay mai|mot|tuan sau|tuan toi|thang sau|hom khac|lan sau|cuoi tuan|cuoi thang"
    rf"|dau thang|\d{{1,2}} ?h|chieu|toi|sang) moi {_PAY_VERB}",
    r"hinh nhu|chac la|khong biet",
    rf"{_PAY_VERB}(?: [a-z0-9]+){{0,4}}?(?: chua| roi)?,? (?:(?:em|minh|ban|a|c|e) )?"
    r"(?:(?:giup|gium|dum|ho) )?(?:check|kiem tra|xem|coi|doi soat)",
)


_NOT_BOUGHT = kw(
    r"(?:dinh|tinh|du dinh|con dang|dang) (?:mua|chot|lay|dang ky|dk)",
    r"chua (?:chot|mua|lay|quyet|dang ky|dk)(?! (?:gi|nao|chua))",
    r"(?:suy nghi|can nhac)",
)


# Sums of money with their unit ("3tr", "500k", "1tr5"), not counts ("10 buổi").
_MONEY = re.compile(r"(?<![a-z0-9])\d[\d.,]*\s*(?:k|tr|trieu|nghin|ngan|d|dong|cu)\d*(?![a-z])")
# The sale happened before this message: its money now pays that order ("mua gói hôm trước,
# hôm nay trả thêm 1tr").
_EARLIER_SALE = kw(
    r"(?:hom truoc|bua truoc|lan truoc|tuan truoc|thang truoc) (?:mua|lay|chot|dang ky|dk)",
    r"(?:mua|lay|chot|dang ky|dk)(?: [a-z0-9]+){0,6}? (?:hom|bua|lan|tuan|thang) truoc",
    r"(?:tra|ck|dong|chuyen)(?: [a-z]+)? (?:them|not|tiep|phan con lai)",
)


_PAID_HOW = kw(r"ck", r"chuyen khoan", r"tien mat", r"tm", r"quet the", r"cash")


def _unpaid(key: str) -> bool:
    if _NOT_YET_PAID.search(key) is not None:
        return True
    return _UNPAID.search(key) is not None and _PAID_AFTER_ALL.search(key) is None


def adjust(key: str, *, date: bool, person: bool, money: bool, scores: dict[str, int]) -> None:
    """Rules that depend on more than one word: a birthday with a date is an edit, booking
    words outweigh "lịch hẹn" read as a list, a bare order number asks to see the order."""

    def add(intent: str, points: int) -> None:
        scores[intent] = scores.get(intent, 0) + points

    if _REFUSE.search(key):
        for intent in ("approve_leave", "request_leave"):
            scores.pop(intent, None)
    if date and BIRTHDAY.search(key):
        add("edit_customer", 14)
    if "list_appointments" in scores and _BOOK_VERB.search(key):
        add("list_appointments", -8)
    if person and _QR.search(key) and not money:
        add("show_order", 12)  # "gửi mã QR cho chị Ngọc": her order card holds the QR
    if (
        "create_order" in scores
        and "record_payment" in scores
        and len(_MONEY.findall(key)) >= 2
        and not _EARLIER_SALE.search(key)
    ):
        # "mua gói 10 buổi 3tr, trả trước 1tr ck": the sale with its price and what is paid
        # now, one order (the 3tr was paid into an order she already had)
        add("create_order", scores["record_payment"] + 1)
    if "create_order" in scores and "record_payment" in scores and _EARLIER_SALE.search(key):
        add("record_payment", scores["create_order"] + 1)  # the money pays that order
    if (money or _PAID_HOW.search(key)) and WALK_IN.search(key) and not _unpaid(key):
        # "khách vãng lai làm nail 150k tiền mặt": a sale at the counter (no order to pay into)
        add("create_order", max(scores.get("record_payment", 0), 11) + 1)
    if person and money and "create_order" not in scores and _NOT_MONEY_IN.search(key):
        add("show_order", 12)  # her orders: a discount or a voucher is not entered as a receipt
    if _REBOOKED.search(key):
        scores.pop("cancel_appointment", None)  # the move, not the cancellation alone
    if _unpaid(key) and ORDER_NUMBER.search(key):
        add("show_order", 12)  # "đơn HD2026-000012 khách ck thiếu 50k": that order, what is left
    if person and _unpaid(key) and "record_payment" in scores:
        add("show_order", 12)  # "chị Hạnh chưa trả tiền": her orders and what is left to pay
    if ORDER_NUMBER.search(key) and not scores:
        add("show_order", 6)
    if "move_lead" in scores and not person and _STAGE_FILTER.search(key):
        add("list_leads", 8)  # "kh ngừng chăm sóc": the customers at that stage, nobody moved
    if "list_tasks" in scores and _CHART.search(key):
        add("list_tasks", -13)  # "thống kê cuộc gọi tuần này" is a chart
    if "list_tasks" in scores and person:
        add("list_tasks", -6)  # "lịch gọi chị Lan" plans a call for her


def veto(key: str, scores: dict[str, int]) -> None:
    """Last word, after every rule and fact added its points: a refund or a stock-out recorded
    as money received or goods arrived would write the opposite of what happened."""
    if _REFUND.search(key):
        # The whole message is about money going back ("… vì hủy gói" is the reason, not a
        # move to Dead): no write of any kind.
        for intent in WRITES:
            scores.pop(intent, None)
    if _unpaid(key) or _NOT_MONEY_IN.search(key):
        scores.pop("record_payment", None)
    if _NOT_BOUGHT.search(key):
        scores.pop("create_order", None)  # "định mua gói 10 buổi nhưng chưa chốt": no sale yet
    if _STOCK_OUT.search(key) and "export_report" not in scores:
        for intent in ("stock_in", "stock_query", "create_order", "record_payment"):
            scores.pop(intent, None)


def unsupported(key: str) -> str | None:
    """What a message not understood was about, when it is one of the writes no intent does
    ("refund", "stock_out"), so the reply can say where it is done instead of "not understood"."""
    if _REFUND.search(key):
        return "refund"
    if _STOCK_OUT.search(key):
        return "stock_out"
    return None
