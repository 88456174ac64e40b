"""How the customer chatbot reads customers' own words (no database): the language she writes
in, English booking words, the service named in her words, a move, a party of several, a name."""

from __future__ import annotations

from datetime import datetime

import pytest

from spacrm.bot.customer_booking import (
    _as_move,
    _asks_to_book,
    _service_in,
    _wants_later,
)
from spacrm.bot.nlu.parser import parse
from spacrm.bot.nlu.party import party
from spacrm.core.models import CatalogItem
from spacrm.intents.customer import lang
from spacrm.intents.customer.detect import find_name

NOW = datetime(2026, 11, 25, 10, 0)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Hi there", "en"),
        ("I'd like to book a basic facial tomorrow at 2pm", "en"),
        ("Hello, do you have parking?", "en"),
        ("chao shop", "vi"),  # no diacritics is still Vietnamese
        ("cho minh dat lich cham soc da co ban sang mai nhe", "vi"),
        ("thu 7 nay con slot ko", "vi"),
        ("i muon dat lich", "vi"),
        ("chào shop", "vi"),
        ("14:00", None),  # says nothing: the conversation keeps its language
        ("0912345678", None),
        ("ok", None),
    ],
)
def test_language(text: str, want: str | None) -> None:
    assert lang.detect(text) == want


def test_english_booking_words_parse_as_a_booking() -> None:
    text = lang.english_to_vietnamese("I'd like to book a basic facial tomorrow at 2pm")
    result = parse(text, NOW)
    assert result.intent == "book_appointment"
    assert result.slots["date"] == "2026-11-26" and result.slots["time"] == "14:00"
    assert "triệt lông nách" in lang.english_to_vietnamese(
        "underarm laser hair removal on Saturday"
    )
    assert "thứ 7" in lang.english_to_vietnamese("underarm laser hair removal on Saturday")
    assert "9h30" in lang.english_to_vietnamese("at 9:30am")


def test_texts_follow_the_turn_language() -> None:
    assert lang.booking("booked").startswith("✅ Dạ")
    token = lang.CURRENT.set("en")
    try:
        assert lang.booking("booked").startswith("✅ You are booked")
        assert lang.customer("handoff").startswith("Let me pass")
        # A staff-facing text has no English version: it stays Vietnamese.
        assert lang.booking("desk_booked").startswith("📅 Khách tự đặt lịch")
    finally:
        lang.CURRENT.reset(token)


def _menu() -> list[CatalogItem]:
    names = ["Triệt lông nách", "Triệt lông mép", "Massage body", "Massage mặt",
             "Chăm sóc da cơ bản", "Gội đầu dưỡng sinh"]  # fmt: skip
    return [CatalogItem(id=i, name=n, kind="service") for i, n in enumerate(names, 1)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("thứ 7 này 3h chiều còn slot triệt nách ko shop", "Triệt lông nách"),
        ("Tối nay 10h đặt massage mặt được ko ạ", "Massage mặt"),
        ("dat lich cham soc da co ban sang mai", "Chăm sóc da cơ bản"),
        ("đặt lịch massage body 10h", "Massage body"),
        ("đặt cọc bao nhiêu", None),
        ("massage", None),  # which one: asked, not guessed here
    ],
)
def test_service_in_customer_words(text: str, want: str | None) -> None:
    found = _service_in(_menu(), text)
    assert (found.name if found else None) == want


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("e muốn đổi sang chủ nhật", {"date": "2026-11-29"}),
        ("à mà e muốn đổi qua 11h cùng ngày", {"time": "11:00"}),
        ("cho chị dời lịch sang thứ 6", {"date": "2026-11-27"}),
    ],
)
def test_moves_in_customer_words(text: str, slots: dict[str, str]) -> None:
    moved = _as_move(text)
    assert moved is not None
    result = parse(moved, NOW)
    assert result.intent == "reschedule_appointment"
    assert all(result.slots.get(k) == v for k, v in slots.items())


def test_no_move_without_a_move_word() -> None:
    assert _as_move("spa ở đâu vậy") is None
    assert _as_move("đổi gói được không") is None


@pytest.mark.parametrize(
    ("text", "n"),
    [("cho 2 chị em mình đặt gội đầu", 2), ("hai mẹ con", 2), ("book for two", 2),
     ("3 người", 3), ("gói 10 buổi", 1), ("2 buổi", 1), ("2h chiều", 1)],
)  # fmt: skip
def test_party(text: str, n: int) -> None:
    assert party(text) == n


def test_english_name() -> None:
    assert find_name("My name is Anna, 0912345678") == "Anna"
    assert find_name("I'm Anna Lee") == "Anna Lee"
    assert find_name("i am fine") is None


def test_asks_to_book() -> None:
    assert _asks_to_book("Tối nay 10h đặt massage mặt được ko ạ")
    assert _asks_to_book("dat lich massage mat toi nay")
    assert not _asks_to_book("massage body có đắt không")  # dear, not booking
    assert not _asks_to_book("massage body co dat khong")
    assert not _asks_to_book("có giữ xe khi làm massage body ko")


def test_near_phone_and_bare_name() -> None:
    from spacrm.intents.customer.detect import bare_name, near_phone

    assert near_phone("sdt e 091234567 nha") == "091234567"  # a digit missing
    assert near_phone("0912345678") is None  # a valid phone
    assert near_phone("giá 1500000") is None  # an amount
    assert bare_name("Nguyễn Thu Hà") == "Nguyễn Thu Hà"
    assert bare_name("ok em") is None
    assert bare_name("sdt nha") is None


def test_wants_later() -> None:
    assert _wants_later("thôi để em sắp xếp rồi báo lại sau nha")
    assert _wants_later("thôi vậy để hôm khác")
    assert _wants_later("thoi vay")
    assert not _wants_later("thôi lấy giờ sớm nhất đi")
    assert not _wants_later("thôi 15h đi")
    assert not _wants_later("15h nha")
