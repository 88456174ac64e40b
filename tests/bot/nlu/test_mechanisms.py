"""The general mechanisms behind the issue-6 parser work, one behaviour per test: what a
staff member types, and the parse the engine acts on."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from spacrm.bot.nlu import parse
from spacrm.bot.nlu.glue import unglue
from spacrm.bot.nlu.typos import correct

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Wednesday


def _parse(text: str) -> tuple[str, dict[str, object]]:
    result = parse(text, now=NOW)
    return result.intent, result.slots


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("chi Lan chuyen khoan1tr5", "chi Lan chuyen khoan 1tr5"),
        ("nhập kho20 hộp", "nhập kho 20 hộp"),
        ("datlich chi Hoa", "dat lich chi Hoa"),
        ("đãgọi chị Lan", "đã gọi chị Lan"),
        ("goij chi Lan", "goi chi Lan"),
        # Codes, emails and names keep their shape.
        ("xem đơn HD2026-000123", "xem đơn HD2026-000123"),
        ("email lan123@gmail.com", "email lan123@gmail.com"),
        ("chi nhánh Q1, ktv Hoa", "chi nhánh Q1, ktv Hoa"),
        ("Datlich", "Dat lich"),
        ("Hoa Datlich", "Hoa Datlich"),
    ],
)
def test_glued_tokens_are_split_only_next_to_command_words(raw: str, fixed: str) -> None:
    assert unglue(raw) == fixed


@pytest.mark.parametrize(
    ("key", "fixed"),
    [
        ("chuyen khona", "chuyen khoan"),  # not a Vietnamese syllable: a typo
        ("dat lihc", "dat lich"),
        ("nhap kho 3 thung", "nhap kho 3 thung"),  # "thùng" (a box) is a word, not "thông"
        ("khuyen mai", "khuyen mai"),  # "khuyến" is a word, not "chuyển"
        ("triet long", "triet long"),  # "lông" is a word, not "lương"
    ],
)
def test_typos_are_fixed_only_where_no_word_is_spelt_so(key: str, fixed: str) -> None:
    assert correct(key, key)[0] == fixed


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("xem lich su cham soc chi Vy", "show_customer"),
        ("khách này đang chăm sóc hay đặt lịch rồi?", "show_customer"),
        ("chị Vy đã đặt lịch chưa", "show_customer"),
        ("ai đang chăm sóc chị Lan", "show_customer"),
        ("chị Lan đặt lịch lúc mấy giờ", "show_customer"),
        ("khách này có lịch hẹn nào không", "list_appointments"),
        # About nobody in particular, a booking question asks for the bookings.
        ("hôm nay có ai đặt lịch không", "list_appointments"),
        ("hnay co khach nao dat lich ko", "list_appointments"),
        ("mai có ai hủy lịch không", "list_appointments"),
        ("làm sao để đặt lịch", "help"),
        ("em được nghỉ mấy ngày phép", "unknown"),
        ("kh đang chăm sóc", "list_leads"),
        ("kh ngừng chăm sóc", "list_leads"),
    ],
)
def test_questions_and_lookups_are_reads(text: str, intent: str) -> None:
    assert _parse(text)[0] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("xin nghỉ thứ 6 được không", "request_leave"),  # a polite request stays one
        ("đã gọi chị Lan, chị hỏi bao giờ có khuyến mãi", "log_activity"),  # reported question
        ("ghi chú chị Lan: hỏi khi nào có khuyến mãi?", "add_note"),
    ],
)
def test_requests_that_look_like_questions_stay_requests(text: str, intent: str) -> None:
    assert _parse(text)[0] == intent


def test_words_inside_words_and_names_are_no_slots() -> None:
    assert _parse("đã gửi email cho anh Phong về chương trình khuyến mãi") == (
        "log_activity",
        {"kind": "email", "customer": "Phong"},
    )
    assert _parse("đặt lịch cho bạn Kim 0933444555 triệt lông chân 15h mai")[1] == {
        "customer": "Kim",
        "phone": "0933444555",
        "service": "triệt lông chân",
        "date": "2026-11-26",
        "time": "15:00",
    }
    assert "technician" not in _parse("Hồ Kim Hằng đặt lịch massage 10h thứ 7")[1]
    assert _parse("alo alo") == ("unknown", {})
    assert _parse("nhap kho 3 thung nuoc hoa hong")[1] == {
        "product": "nuoc hoa hong",
        "quantity": 3,
    }


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("chuyển Hồ Kim Hằng sang ngừng chăm sóc", "Hồ Kim Hằng"),
        ("chuyen hồ kim hằng sang dang cham soc", "hồ kim hằng"),
        ("Lâm Bảo Châu đã gọi, khách hẹn mai qua", "Lâm Bảo Châu"),
        ("le kim vy chuyen khoan 2tr", "le kim vy"),
        ("Vy chuyển khoản 2tr", "Vy"),
        ("đặt lịch triệt lông cho Kim 10h mai", "Kim"),
    ],
)
def test_customer_names_without_honorific(text: str, customer: str) -> None:
    assert _parse(text)[1].get("customer") == customer


def test_tax_codes_are_no_phones_and_invalid_phones_are_no_slots() -> None:
    assert _parse("tra cứu mst 0314567890") == ("show_customer", {"tax_code": "0314567890"})
    assert _parse("mã số thuế 0101234567") == ("show_customer", {"tax_code": "0101234567"})
    assert _parse("thêm khách chị Bích 09xx123456") == ("create_lead", {"customer": "Bích"})


def test_refused_leave_is_neither_approved_nor_requested() -> None:
    assert _parse("không duyệt phép cho Hoa")[0] == "unknown"
    assert _parse("ok cho Hoa nghỉ thứ 7") == (
        "approve_leave",
        {"employee": "Hoa", "date": "2026-11-28"},
    )


@pytest.mark.parametrize(
    ("text", "service", "time"),
    [
        # An interest has no clock time: a service at a time for someone is a booking.
        ("chị Lan muốn làm nail 5h chiều nay", "nail", "17:00"),
        # The bare verb "đặt" is no part of the service.
        ("khách Mai Anh 0909123456 muốn đặt gội đầu 3h chiều mai", "gội đầu", "15:00"),
        ("đặt gội đầu cho chị Lan 3h chiều mai", "gội đầu", "15:00"),
    ],
)
def test_a_service_at_a_time_is_a_booking(text: str, service: str, time: str) -> None:
    intent, slots = _parse(text)
    assert (intent, slots["service"], slots["time"]) == ("book_appointment", service, time)


def test_an_enquiry_with_a_call_to_plan_is_no_booking() -> None:
    assert _parse("c Hà 0987654321 quan tâm gói tắm trắng, hẹn 9h mai gọi lại")[0] == (
        "plan_activity"
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Money NOT received is never a payment: who owes, or what she owes.
        ("ai chưa trả tiền", "chart"),
        ("khách nào còn nợ", "chart"),
        ("chị Hạnh chưa trả tiền", "show_order"),
        ("chưa thu tiền chị Hạnh", "show_order"),
        ("c Hạnh chưa tt hết, mới trả 500k", "record_payment"),
        # A technician's free time is read from her bookings.
        ("ktv Hoa chiều nay có rảnh ko", "list_appointments"),
        ("mai ktv Mai rảnh không", "list_appointments"),
        # Who sells most is the sales-by-employee chart.
        ("tuần này ai bán nhiều nhất", "chart"),
    ],
)
def test_unpaid_free_time_and_rankings_are_reads(text: str, intent: str) -> None:
    assert _parse(text)[0] == intent


def test_a_method_denied_is_not_the_method_used() -> None:
    assert _parse("chị Hạnh chưa ck, thu tiền mặt 500k")[1]["method"] == "cash"


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("em làm xong chị Ngọc rồi", "complete_session", {"customer": "Ngọc"}),  # no service "em"
        ("chị Thu vừa làm xong", "complete_session", {"customer": "Thu"}),
        ("hoa hồng tháng này của em bao nhiêu", "kpi_report", {"period": "2026-11"}),
        (
            "đặt thêm buổi 4 cho chị Ngọc thứ 7 này 10h",
            "book_appointment",
            {"customer": "Ngọc", "date": "2026-11-28", "time": "10:00"},
        ),
        ("gửi mã QR cho chị Ngọc chuyển khoản", "show_order", {"customer": "Ngọc"}),
    ],
)
def test_technician_and_front_desk_phrasings(
    text: str, intent: str, slots: dict[str, object]
) -> None:
    assert _parse(text) == (intent, slots)


def test_a_payment_made_by_qr_stays_a_payment() -> None:
    assert _parse("chị Ngọc ck 500k qua qr")[0] == "record_payment"


@pytest.mark.parametrize(
    "text", ["chốt chị Lan gói 5 buổi massage 2tr5", "chot c Lan goi 10 buoi triet long"]
)
def test_a_closed_package_sale_is_an_order_not_a_payment(text: str) -> None:
    assert _parse(text)[0] == "create_order"


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("khách mới tuần này", "dashboard", {"period": "2026-W48"}),  # nobody to add
        ("tháng này lãi bao nhiêu", "chart", {"report": "profit", "period": "2026-11"}),
        ("lại tháng sau nhé", "unknown", {}),  # folded, "lãi" is also "lại"
        ("sắp hết hàng gì", "stock_query", {"low": True}),
        ("chị Lan còn lại bao nhiêu buổi", "show_course", {"customer": "Lan"}),
        (
            "chi tiền điện 2tr1 tháng 11",
            "create_expense",
            {"amount": 2_100_000, "reason": "Tiền điện"},
        ),
    ],
)
def test_manager_phrasings(text: str, intent: str, slots: dict[str, object]) -> None:
    assert _parse(text) == (intent, slots)


def test_a_walk_in_is_booked_for_the_next_five_minutes() -> None:
    assert _parse("chị Thảo 0905111222 vào làm gội đầu bây giờ") == (
        "book_appointment",
        {"customer": "Thảo", "phone": "0905111222", "service": "gội đầu",
         "date": "2026-11-25", "time": "10:05"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("đặt lịch chị Lan bảy giờ tối nay", "19:00"),
        ("dat lich c Lan tam gio sang mai", "08:00"),
        ("đặt chị Lan massage bây giờ", "10:05"),  # "bây giờ" folds like "bảy giờ": now
    ],
)
def test_an_hour_in_words(text: str, time: str) -> None:
    assert _parse(text)[1]["time"] == time


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("ktv hoa xong ca c lan", "complete_session", {"customer": "lan", "technician": "hoa"}),
        ("doanh thu hnay", "dashboard", {"period": "2026-11-25"}),
        ("lich hen hqua", "list_appointments", {"date": "2026-11-24"}),
    ],
)
def test_chat_shorthand(text: str, intent: str, slots: dict[str, object]) -> None:
    assert _parse(text) == (intent, slots)


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        # typed with marks, an unmarked "sang" is "to", not "sáng" (morning)
        (
            "chị Lan muốn đổi giờ sang 4h",
            "reschedule_appointment",
            {"customer": "Lan", "time": "16:00"},
        ),
        # the part of day before a time belongs to the time, not to the service
        ("đặt lịch chị Lan sáng 9h", "book_appointment", {"customer": "Lan", "time": "09:00"}),
        # another technician is no new day ("Mai" is her name): the appointment goes to her
        (
            "đổi ktv cho chị Lan sang Mai",
            "reschedule_appointment",
            {"customer": "Lan", "technician": "Mai"},
        ),
    ],
)
def test_times_and_technicians_in_a_change(
    text: str, intent: str, slots: dict[str, object]
) -> None:
    assert _parse(text) == (intent, slots)


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("khách nào sinh nhật tháng này", "list_birthdays", {"period": "2026-11"}),
        ("hôm nay sinh nhật ai", "list_birthdays", {"period": "2026-11-25"}),
        ("hôm nay ai nghỉ", "list_leave", {"period": "2026-11-25"}),
        ("chị Lan sinh nhật 12/3", "edit_customer",
         {"customer": "Lan", "field": "birthday", "value": "--03-12"}),
        ("xin nghi phep ngay mai", "request_leave", {"date": "2026-11-26", "paid": True}),
    ],
)  # fmt: skip
def test_who_has_a_birthday_and_who_is_off(
    text: str, intent: str, slots: dict[str, object]
) -> None:
    assert _parse(text) == (intent, slots)
