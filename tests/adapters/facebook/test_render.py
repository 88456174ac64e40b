"""Reply -> Messenger message dicts, and the text splitter."""

from __future__ import annotations

from spacrm.adapters.facebook.render import render_reply, render_text, split_text
from spacrm.intents.chat import Button, Reply


def test_plain_reply_is_one_text_message() -> None:
    assert render_reply(Reply(text="Dạ em chào chị")) == [{"text": "Dạ em chào chị"}]


def test_buttons_become_quick_replies_on_the_last_piece() -> None:
    reply = Reply(
        text="Chọn dịch vụ",
        buttons=[[Button("Massage", "svc:1"), Button("Gội đầu dưỡng sinh thảo dược", "svc:2")]],
    )
    (msg,) = render_reply(reply)
    assert msg["quick_replies"] == [
        {"content_type": "text", "title": "Massage", "payload": "svc:1"},
        {"content_type": "text", "title": "Gội đầu dưỡng sinh…", "payload": "svc:2"},
    ]
    assert all(len(q["title"]) <= 20 for q in msg["quick_replies"])


def test_more_than_13_buttons_are_capped() -> None:
    buttons = [[(f"Khung {i}", f"slot:{i}")] for i in range(16)]
    (msg,) = render_text("Chọn giờ", buttons)
    assert len(msg["quick_replies"]) == 13
    assert msg["quick_replies"][-1]["payload"] == "slot:12"


def test_long_text_with_buttons_splits_and_keeps_buttons_last() -> None:
    msgs = render_text("a" * 2500, [[("OK", "ok")]])
    assert [len(m["text"]) for m in msgs] == [2000, 500]  # no boundary at all: hard cut
    assert "quick_replies" not in msgs[0] and msgs[1]["quick_replies"][0]["payload"] == "ok"


def test_split_prefers_paragraph_then_line_then_word() -> None:
    para = "x" * 1500 + "\n\n" + "y" * 1000
    assert split_text(para) == ["x" * 1500, "y" * 1000]
    words = ("từ " * 900).strip()
    pieces = split_text(words)
    assert all(len(p) <= 2000 for p in pieces)
    assert all(p.endswith("từ") and p.startswith("từ") for p in pieces)
    assert " ".join(pieces) == words


def test_split_ignores_boundaries_that_would_make_tiny_pieces() -> None:
    text = "Hi.\n" + "z" * 2100
    pieces = split_text(text, 2000)
    assert len(pieces[0]) == 2000  # did not cut after "Hi."
    assert "".join(pieces) == text


def test_short_text_untouched() -> None:
    assert split_text("") == [""]
    assert split_text("  a  ") == ["  a  "]
