"""The parser never raises, stays fast on huge input, and keeps its result shape."""

from __future__ import annotations

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from spacrm.bot.nlu import NluResult, parse
from spacrm.bot.nlu.text import Doc

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_result_is_frozen_and_serialises_compactly() -> None:
    result = parse("đã gọi chị Lan 0912 345 678, hẹn thứ 6 qua spa", now=NOW)
    assert isinstance(result, NluResult)
    with pytest.raises(AttributeError):
        result.intent = "x"  # type: ignore[misc]
    assert result.to_json() == (
        '{"intent":"log_activity","slots":{"kind":"call","customer":"Lan",'
        '"phone":"0912345678","next_date":"2026-11-27"}}'
    )
    assert json.loads(result.to_json()) == {"intent": result.intent, "slots": result.slots}


def test_to_json_keeps_vietnamese_readable() -> None:
    assert "Thảo" in parse("đã gặp chị Thảo", now=NOW).to_json()


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "😀😀😀",
        "❤️❤️",
        "!!!???...",
        "asdkjh qwe",
        "\u0301\u0300",  # lone combining marks
        "İstanbul ǅ ﬁ",
        "\x00\x01",
        "a" * 10_000,
    ],
)
def test_gibberish_is_unknown(text: str) -> None:
    assert parse(text, now=NOW) == NluResult("unknown", {})


def test_non_string_input_does_not_raise() -> None:
    assert parse(None, now=NOW).intent == "unknown"  # type: ignore[arg-type]


def test_default_now_is_used_when_missing() -> None:
    assert parse("tăng ca tối nay 2 tiếng").intent == "log_overtime"


def test_naive_now_is_vietnam_time() -> None:
    assert (
        parse("hẹn gọi lại chị Lan mai", now=datetime(2026, 11, 25, 23, 0)).slots["date"]
        == "2026-11-26"
    )


def test_aware_utc_now_is_converted_to_vietnam_time() -> None:
    utc_evening = datetime(
        2026, 11, 25, 18, 0, tzinfo=ZoneInfo("UTC")
    )  # 01:00 on the 26th in Vietnam
    assert parse("nhắc tôi gọi chị Lan mai", now=utc_evening).slots["date"] == "2026-11-27"


def test_long_message_is_cheap_and_reads_its_head() -> None:
    text = "đã gọi chị Lan 0912345678 " + "bla " * 2500
    started = time.perf_counter()
    result = parse(text, now=NOW)
    elapsed = time.perf_counter() - started
    assert result.intent == "log_activity"
    assert result.slots == {"kind": "call", "customer": "Lan", "phone": "0912345678"}
    assert elapsed < 0.05  # generous for slow CI; typically ~1 ms


def test_long_repeated_phone_is_not_an_amount() -> None:
    assert parse("0912345678 " * 500, now=NOW) == NluResult(
        "show_customer", {"phone": "0912345678"}
    )


@pytest.mark.parametrize(
    "text",
    [
        "Đã gọi chị Lan ❤️ ok",
        "  Nguyễn   Thị\tLan  ",
        "e\u0301 combining",
        "İ dotted",
        "ﬁ ligature 👍🏽",
    ],
)
def test_key_is_aligned_with_text(text: str) -> None:
    doc = Doc.of(text)
    assert len(doc.key) == len(doc.text)
