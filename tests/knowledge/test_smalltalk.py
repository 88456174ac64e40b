from __future__ import annotations

import pytest

from spacrm.knowledge.smalltalk import ACK, GOODBYE, GREETING, REPLIES, THANKS, kind_of, small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hello", GREETING),
        ("hi", GREETING),
        ("Hi shop!", GREETING),
        ("chào shop", GREETING),
        ("Chào shop ạ", GREETING),
        ("alo", GREETING),
        ("chào em", GREETING),
        ("ad ơi", GREETING),
        ("shop ơi", GREETING),
        ("xin chào", GREETING),
        ("helloooo", GREETING),
        ("cảm ơn", THANKS),
        ("cam on shop nhieu", THANKS),
        ("thanks", THANKS),
        ("ok cảm ơn shop", THANKS),
        ("dạ em cảm ơn chị nhiều ạ", THANKS),
        ("tks e", THANKS),
        ("bye", GOODBYE),
        ("tạm biệt shop nha", GOODBYE),
        ("ok", ACK),
        ("okie", ACK),
        ("dạ", ACK),
        ("vâng", ACK),
        ("dạ vâng ạ", ACK),
        ("ok e", ACK),
        ("được rồi", ACK),
    ],
)
def test_small_talk_gets_a_polite_reply(text: str, kind: str) -> None:
    assert kind_of(text) == kind
    reply = small_talk(text)
    assert reply == REPLIES[kind]


def test_replies_use_the_southern_spa_register() -> None:
    for reply in REPLIES.values():
        assert reply.startswith("Dạ") and "ạ" in reply and "anh/chị" in reply.lower()


@pytest.mark.parametrize(
    "text",
    [
        "chào shop, giá gội đầu bao nhiêu",
        "hi, mấy giờ mở cửa",
        "cảm ơn, cho hỏi chỗ gửi xe",
        "ok giá bao nhiêu",
        "ok để mình suy nghĩ",
        "dạ cho em đặt lịch",
        "da mặt",
        "gội đầu",
        "cho gặp nhân viên",
        "",
        "   ",
        "😀",
        "chị",
        "hello " * 50,
    ],
)
def test_anything_else_is_not_small_talk(text: str) -> None:
    assert small_talk(text) is None
