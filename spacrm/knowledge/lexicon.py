"""The curated Vietnamese spa lexicon: chat slang, filler words and concept groups.

Written with diacritics so a spa person can review and extend it; `analysis.py` folds every
entry once at import. A concept is a set of phrasings that mean the same thing to a customer
("bn", "giá sao", "chi phí" all ask for a price), so a question and a trained pair that share a
concept match even when they share no words. Keep phrases unambiguous *after folding*: "đau"
(pain), "đâu" (where) and "đầu" (head) all fold to "dau", so they only appear inside longer
phrases.
"""

from __future__ import annotations

# Chat abbreviations -> what they stand for (folded). Applied token by token, looked up first as
# typed (so "mún" = muốn is not read as "mun" = mụn), then folded.
SLANG: dict[str, str] = {
    "bn": "bao nhieu", "bnh": "bao nhieu", "bnhieu": "bao nhieu", "bnhiu": "bao nhieu",
    "nhiu": "nhieu", "bhieu": "bao nhieu",
    "ko": "khong", "k": "khong", "hok": "khong", "hong": "khong", "hem": "khong",
    "kg": "khong", "khg": "khong", "hk": "khong", "kp": "khong phai",
    "dc": "duoc", "dk": "duoc", "đc": "duoc", "dduoc": "duoc",
    "ck": "chuyen khoan", "sdt": "so dien thoai", "đt": "dien thoai", "dt": "dien thoai",
    "j": "gi", "z": "vay", "v": "vay", "zay": "vay", "dzay": "vay", "vayy": "vay",
    "ntn": "nhu the nao", "lm": "lam", "ms": "moi", "bh": "bao gio", "bg": "bao gio",
    "cn": "chu nhat", "t2": "thu 2", "t3": "thu 3", "t4": "thu 4", "t5": "thu 5", "t6": "thu 6",
    "t7": "thu 7", "dv": "dich vu", "sp": "san pham", "nv": "nhan vien", "ktv": "ky thuat vien",
    "tv": "tu van", "ad": "admin", "mn": "moi nguoi", "vs": "voi", "trc": "truoc", "r": "roi",
    "ng": "nguoi", "hnay": "hom nay", "hum": "hom", "bít": "biet", "bit": "biet", "wa": "qua",
    "thui": "thoi", "km": "khuyen mai", "kmai": "khuyen mai", "cty": "cong ty", "oto": "o to",
    "matxa": "massage", "masage": "massage", "mátxa": "massage", "lun": "luon", "nhìu": "nhieu",
    "tr": "trieu", "h": "gio", "p": "phut", "ib": "inbox", "inb": "inbox", "fb": "facebook",
    "đth": "dien thoai", "mún": "muon",
}

# Courtesy particles and pronouns, removed before folding so "dạ" (yes) never collides with
# "da" (skin).
ACCENTED_STOPWORDS = frozenset(
    "dạ vâng ạ ạh à ơi nhé nhá nha nhen ha hả hở nhỉ nè ấy đó".split()
)

# Filler after folding: pronouns, particles, yes/no markers ("có ... không", "được không").
FOLDED_STOPWORDS = frozenset(
    """a ah ak oi nhe nha nhen ne ha ho nhi vay thi la ma cho hoi xin voi cua em e chi c anh
    minh mk mik toi t ban b shop spa tiem salon ben ad admin mn ok oki okie uh um vang co khong
    duoc phai vui long giup gium dum muon can biet roi di nao ay do day kia nay nhung cac
    nhieu it mot oii u ui dang tu se nua luon gi bang nhan""".split()
)

# Concepts that say *what kind* of answer is wanted; a pair asking another kind is penalised.
QUESTION_CONCEPTS = frozenset({"price", "duration", "hours", "where", "how", "fee", "definition"})

# Phrases that name the business or open a question; matched like a concept, then dropped.
FILLER = "_filler"

CONCEPTS: dict[str, tuple[str, ...]] = {
    FILLER: (
        "phòng khám", "thẩm mỹ viện", "cửa hàng", "cơ sở", "bên mình", "bên em", "cho hỏi",
        "cho em hỏi", "cho mình hỏi", "cho chị hỏi", "cho anh hỏi", "xin hỏi", "cho tôi hỏi",
        "clinic", "beauty",
    ),
    # --- what kind of answer ---
    "price": (
        "giá", "bao nhiêu", "bao nhiêu tiền", "nhiêu tiền", "nhiêu", "giá sao", "giá bao nhiêu",
        "chi phí", "phí", "bảng giá", "giá cả", "bao tiền", "mấy tiền", "tốn bao nhiêu",
        "hết bao nhiêu", "tính tiền", "mắc không", "đắt không", "mắc", "đắt", "rẻ",
    ),
    "fee": (
        "miễn phí", "free", "mất phí", "tốn phí", "tốn tiền", "tính phí", "mất tiền", "có phí",
        "thu phí",
    ),
    "duration": (
        "bao lâu", "mất bao lâu", "mấy phút", "bao nhiêu phút", "mấy tiếng", "bao nhiêu tiếng",
        "lâu không", "lâu khong", "thời gian", "kéo dài", "mấy buổi", "bao nhiêu buổi", "mấy lần",
        "bao nhiêu lần", "mất mấy",
    ),
    "hours": (
        "mở cửa", "đóng cửa", "mấy giờ", "giờ làm việc", "làm việc", "giờ mở cửa", "giờ nào",
        "chủ nhật", "cuối tuần", "thứ bảy", "ngày lễ", "lễ tết", "tết", "có mở", "mở không",
        "còn mở", "giờ giấc", "khung giờ", "làm tới mấy giờ", "nghỉ lễ", "mở tới",
    ),
    "where": (
        "địa chỉ", "ở đâu", "đường nào", "chỗ nào", "nằm ở đâu", "nằm đâu", "tại đâu",
        "khu nào", "quận nào", "phường nào", "quận mấy", "chi nhánh", "vị trí", "bản đồ",
        "google map", "map", "định vị", "đường đi",
    ),
    "how": (
        "làm sao", "thế nào", "như thế nào", "ra sao", "cách nào", "làm thế nào", "thì sao",
        "thủ tục", "các bước",
    ),
    "definition": ("là gì", "tác dụng gì", "có tác dụng gì", "công dụng", "giúp gì", "là sao"),
    # --- what it is about ---
    "booking": (
        "đặt lịch", "đặt hẹn", "book", "booking", "hẹn", "hẹn lịch", "đặt chỗ", "giữ chỗ",
        "lấy hẹn", "lịch hẹn", "đăng ký lịch", "xếp lịch", "đặt trước", "hẹn trước",
        "tới luôn", "đến luôn", "vãng lai", "đến trực tiếp", "walk in",
    ),
    "reschedule": (
        "hủy lịch", "huỷ lịch", "đổi lịch", "dời lịch", "hủy hẹn", "huỷ hẹn", "đổi hẹn",
        "dời hẹn", "đổi giờ", "dời giờ", "hoãn", "không đến được", "không tới được", "hủy",
        "huỷ", "dời", "đổi ngày",
    ),
    "parking": (
        "gửi xe", "đỗ xe", "đậu xe", "để xe", "ô tô", "xe hơi", "xe máy", "bãi xe", "giữ xe",
        "trông xe", "xe đạp",
    ),
    "payment": (
        "thanh toán", "quẹt thẻ", "cà thẻ", "thẻ tín dụng", "thẻ atm", "chuyển khoản",
        "tiền mặt", "momo", "vietqr", "qr", "zalopay", "vnpay", "visa", "mastercard", "trả bằng",
        "trả tiền", "chuyển tiền", "quét mã",
    ),
    "installment": ("trả góp", "góp", "trả dần", "góp hàng tháng"),
    "promo": (
        "khuyến mãi", "khuyến mại", "ưu đãi", "giảm giá", "sale", "chương trình", "voucher",
        "mã giảm", "giảm", "quà tặng", "tặng", "combo", "deal",
    ),
    "refund": (
        "hoàn tiền", "trả lại tiền", "refund", "hoàn lại", "lấy lại tiền", "hoàn phí",
        "không dùng nữa", "hoàn", "đòi lại tiền",
    ),
    "pregnant": (
        "bầu", "mang thai", "có thai", "mẹ bầu", "bà bầu", "đang bầu", "cho con bú", "sau sinh",
        "mẹ bỉm", "mới sinh",
    ),
    "kids": ("trẻ em", "trẻ con", "con nít", "bé", "em bé", "tuổi", "học sinh"),
    "men": (
        "nam giới", "đàn ông", "con trai", "phái mạnh", "nam nữ", "cho nam", "khách nam",
        "nam có",
    ),
    "massage": (
        "massage", "mát xa", "toàn thân", "body", "bấm huyệt", "đá nóng", "xoa bóp", "massa",
    ),
    "hair_removal": ("triệt lông", "wax", "waxing", "tẩy lông", "triệt", "lông nách"),
    "hair_wash": ("gội đầu", "gội dưỡng sinh", "dưỡng sinh", "gội", "gội sấy"),
    "acne": ("mụn", "trị mụn", "nặn mụn", "lấy nhân mụn", "mụn đầu đen", "mụn ẩn"),
    "session": ("buổi", "lần", "liệu trình"),
    "cure": (
        "khỏi", "hết", "dứt điểm", "đỡ", "thấy hiệu quả", "hiệu quả", "lành", "có kết quả",
        "kết quả",
    ),
    "skin_care": ("chăm sóc da", "facial", "da mặt", "làm mặt", "skincare", "dưỡng da"),
    "melasma": ("tàn nhang", "sạm da", "đốm nâu", "trị nám", "laser nám"),
    "scar": ("sẹo", "sẹo rỗ", "bị rỗ", "da rỗ", "lỗ chân lông", "sẹo lõm"),
    "pain": (
        "có đau không", "đau không", "đau lắm không", "bị đau", "đau nhiều không", "đau ko",
        "rát", "châm chích", "ê buốt", "ủ tê", "có đau", "đau lắm",
    ),
    "aftercare": (
        "kiêng", "kiêng gì", "kiêng cữ", "sau khi làm", "lưu ý", "chăm sóc sau", "đi nắng",
        "tránh nắng", "làm xong",
    ),
    "safety": (
        "an toàn", "tác dụng phụ", "kích ứng", "biến chứng", "có hại", "hại da", "ảnh hưởng",
        "hư tổn", "hư tóc", "hại tóc", "độc hại", "tóc yếu", "xơ tóc", "khô xơ",
    ),
    "hygiene": (
        "tiệt trùng", "khử trùng", "vệ sinh", "sạch", "sạch sẽ", "dùng 1 lần", "dùng chung",
    ),
    "warranty": ("bảo hành", "làm lại", "sửa lại", "bị bong", "bong", "tróc", "bong tróc"),
    "durability": (
        "giữ được bao lâu", "giữ bao lâu", "bền không", "bền", "được bao lâu", "mấy tuần",
        "bao nhiêu tuần", "mấy tháng", "lâu phai", "giữ màu",
    ),
    "recurrence": ("tái phát", "bị lại", "quay lại", "trở lại", "mọc lại", "có lại không"),
    "invoice": ("hóa đơn", "hoá đơn", "vat", "hóa đơn đỏ", "xuất hóa đơn", "hóa đơn điện tử"),
    "membership": (
        "thẻ thành viên", "thành viên", "tích điểm", "khách quen", "vip", "thẻ vip", "hội viên",
    ),
    "gift": ("thẻ quà tặng", "voucher quà tặng", "gift card", "mua tặng", "quà sinh nhật"),
    "contact": (
        "số điện thoại", "hotline", "zalo", "liên hệ", "fanpage", "facebook", "gọi điện",
        "inbox", "nhắn tin",
    ),
    "nail": (
        "nail", "móng", "làm móng", "sơn móng", "móng tay", "móng chân", "sơn gel", "gel",
        "đắp bột", "đắp gel", "úp móng", "vẽ móng",
    ),
    "hair": ("tóc", "cắt tóc", "uốn", "nhuộm", "duỗi", "ép tóc", "phục hồi tóc", "hấp tóc"),
    "lashes": ("nối mi", "mi", "lông mi", "uốn mi"),
    "consult": ("tư vấn", "soi da", "khám da", "kiểm tra da"),
    "staff": (
        "bác sĩ", "chuyên viên", "kỹ thuật viên", "thợ", "người làm", "tay nghề", "ai làm",
        "ai điều trị", "người điều trị", "chứng chỉ", "bằng cấp",
    ),
    "products": ("mỹ phẩm", "sản phẩm", "chính hãng", "hàng thật", "xuất xứ"),
}
