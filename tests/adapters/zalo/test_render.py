"""Reply -> Zalo CS message dicts."""

from __future__ import annotations

from spacrm.adapters.zalo.render import payload_for_choice, render_reply, render_text
from spacrm.intents.chat import Button, Reply


def test_plain_text() -> None:
    assert render_reply(Reply(text="Dạ em chào chị")) == [{"text": "Dạ em chào chị"}]


def test_buttons_become_a_numbered_list() -> None:
    reply = Reply(
        text="Chị chọn khung giờ nhé:",
        buttons=[
            [Button("9:00", "slot:9"), Button("10:30", "slot:10")],
            [Button("Khác", "slot:x")],
        ],
    )
    assert render_reply(reply) == [
        {"text": "Chị chọn khung giờ nhé:\n\n1. 9:00\n2. 10:30\n3. Khác"}
    ]
    assert payload_for_choice(reply.buttons, " 2. ") == "slot:10"
    assert payload_for_choice(reply.buttons, "3") == "slot:x"
    assert payload_for_choice(reply.buttons, "4") is None
    assert payload_for_choice(reply.buttons, "0") is None
    assert payload_for_choice(reply.buttons, "hai") is None


def test_long_text_is_split() -> None:
    msgs = render_text("câu. " * 900, [[("OK", "ok")]])
    assert len(msgs) == 3 and all(len(m["text"]) <= 2000 for m in msgs)
    assert msgs[-1]["text"].endswith("1. OK")
