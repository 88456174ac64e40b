"""Held-out phrasings (written once, never tuned on): with one customer's card on screen, does
each message change the right customer, or ask — and never the wrong one? Reads change nothing.

The safety property is asserted; the share of messages done at once (not asked) is printed as
the figure for the report: `pytest -s tests/intents/test_heldout_targets.py`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Activity, Complaint, Lead
from tests.conftest import new_phone
from tests.intents.transcript import Chat

# (message, who it is about): "named" = the other customer, "focus" = the card on screen,
# "none" = nobody (must ask), "read" = a question (must change nothing).
HELD_OUT: list[tuple[str, str]] = [
    ("đã gọi chị Mận, hẹn thứ 6", "named"),
    ("Đoàn Thị Mận đã gọi lại", "named"),
    ("gọi cho Mận rồi, khách hẹn tuần sau", "named"),
    ("chuyển Đoàn Thị Mận sang đang chăm sóc", "named"),
    ("mận đặt lịch rồi", "named"),
    ("chi Man da den spa, chuyen sang dang su dung dich vu", "named"),
    ("nhắc tôi 3h chiều mai gọi chị Mận", "named"),
    ("lên lịch gặp Mận thứ 7", "named"),
    ("ghi chú chị Mận da nhạy cảm", "named"),
    ("sửa email chị Mận thành man.doan@gmail.com", "named"),
    ("tạo vụ việc chị Mận phàn nàn nhân viên đến trễ", "named"),
    ("đã gửi báo giá cho Đoàn Thị Mận", "named"),
    ("khách Mận ngừng chăm sóc nhé", "named"),
    ("gặp chị Mận sáng nay ở spa", "named"),
    ("đã gọi {b4}", "named"),
    ("chuyển {b} sang đã đặt lịch", "named"),
    ("đã gọi chị ấy", "focus"),
    ("khách này đặt lịch rồi", "focus"),
    ("ghi chú khách này thích trà gừng", "focus"),
    ("nhắc tôi mai gọi lại chị ấy", "focus"),
    ("kh này ngừng chăm sóc", "focus"),
    ("đã gọi", "none"),
    ("hẹn thứ 6 qua spa", "none"),
    ("chuyển sang đã đặt lịch", "none"),
    ("ghi chú thích mùi oải hương", "none"),
    ("gửi email báo giá rồi", "none"),
    ("Mận đang ở giai đoạn nào?", "read"),
    ("lịch sử chăm sóc chị Mận", "read"),
    ("chị Mận đặt lịch chưa", "read"),
    ("khách này đã chăm sóc chưa?", "read"),
]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    clock.freeze(datetime(2026, 11, 25, 10, 0))
    yield
    clock.freeze(None)


async def _state(lead_id: int) -> tuple[object, ...]:
    lead = await Lead.get(id=lead_id)
    return (
        lead.stage, lead.version, lead.email, lead.calls, lead.meetings, lead.emails,
        lead.quote_emails, await Activity.filter(lead_id=lead_id).count(),
        await Complaint.filter(lead_id=lead_id).count(),
    )  # fmt: skip


async def test_held_out_messages_never_change_the_wrong_customer(
    personas: dict[str, Actor],
) -> None:
    chat = Chat(Engine(), personas["tl_gva"])
    b_phone, a_phone = new_phone(), new_phone()
    await chat.says(f"thêm khách chị Đoàn Thị Mận {b_phone}", "Đoàn Thị Mận")
    await chat.says(f"thêm khách chị Lê Kim Vy {a_phone}", "Lê Kim Vy")
    b = await Lead.get(phone=b_phone)
    a = await Lead.get(phone=a_phone)
    done = {"named": 0, "focus": 0}
    wrong: list[str] = []
    for template, about in HELD_OUT:
        await chat.says("hủy")
        await chat.says(f"xem khách {a_phone}", "Lê Kim Vy")  # A's card is on screen
        before_a, before_b = await _state(a.id), await _state(b.id)
        text = template.format(b=b_phone, b4=b_phone[-4:])
        await chat.says(text)
        a_changed = await _state(a.id) != before_a
        b_changed = await _state(b.id) != before_b
        right = {"named": b_changed, "focus": a_changed}.get(about, False)
        other = {"named": a_changed, "focus": b_changed}.get(about, a_changed or b_changed)
        if other:
            wrong.append(text)
        if right:
            done[about] += 1
    named = sum(1 for _, about in HELD_OUT if about == "named")
    focus = sum(1 for _, about in HELD_OUT if about == "focus")
    print(
        f"\nheld-out targets: {len(HELD_OUT)} messages, wrong customer or read-changed "
        f"{len(wrong)}; done at once: named {done['named']}/{named}, "
        f"'chị ấy' {done['focus']}/{focus} (the rest asked)"
    )
    assert not wrong, wrong
