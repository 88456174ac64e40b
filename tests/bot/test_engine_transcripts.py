"""Conversations with the staff bot as transcripts: (user says or presses, bot's reply contains)."""

from __future__ import annotations

from datetime import datetime

import pytest

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Activity, Lead
from spacrm.intents.chat import ChatEvent
from tests.conftest import new_phone
from tests.intents.transcript import Chat


@pytest.fixture(autouse=True)
def frozen_clock() -> object:
    clock.freeze(datetime(2026, 11, 25, 10, 0))
    yield
    clock.freeze(None)


@pytest.fixture
def engine() -> Engine:
    return Engine()


async def test_create_log_move_show(engine: Engine, personas: dict[str, Actor]) -> None:
    chat = Chat(engine, personas["st_q1a1"])
    phone = new_phone()
    shown = phone[:4] + " " + phone[4:7] + " " + phone[7:]
    await chat.says(
        f"them kh tiem nang co Mai {phone} nguon zalo",
        "Đã thêm khách tiềm năng Mai",
        shown,
        "Tiềm năng",
    )
    await chat.says(
        f"đã gọi chị Mai {phone}, hẹn thứ 6 qua spa", "Đã lưu cuộc gọi với Mai", "Thứ 6, 27/11"
    )
    lead = await Lead.get(phone=phone)
    assert lead.calls == 1
    assert await Activity.filter(lead_id=lead.id, status="planned").count() == 1
    await chat.says(f"chuyển {phone} sang đã đặt lịch", "Mai đã thành khách hàng")
    assert (await Lead.get(id=lead.id)).contact_id is not None  # type: ignore[attr-defined]
    await chat.press("Hoàn tác", "Tiềm năng")
    await chat.says(f"xem khách {phone[-4:]}", "Mai", "Tiềm năng", "📞 1")


async def test_ambiguous_name_asks_with_buttons(engine: Engine, personas: dict[str, Actor]) -> None:
    me = personas["st_q1b1"]
    chat = Chat(engine, me)
    await chat.says(f"thêm khách chị Quỳnh Anh {new_phone()}", "Quỳnh Anh")
    await chat.says(f"thêm khách chị Quỳnh Như {new_phone()}", "Quỳnh Như")
    await chat.says("đã gặp chị Quỳnh", "Có nhiều khách khớp")
    assert len([b for b in chat.buttons if b.payload.startswith("pk:")]) == 2
    await chat.press("Quỳnh Như", "Đã lưu gặp mặt với Quỳnh Như")


async def test_missing_pieces_are_asked(engine: Engine, personas: dict[str, Actor]) -> None:
    chat = Chat(engine, personas["st_gva1"])
    phone = new_phone()
    await chat.says("thêm khách mới", "Tên khách là gì")
    await chat.says(f"chị Diễm {phone}", "Đã thêm khách tiềm năng Diễm")
    await chat.says(f"chuyển giai đoạn chị Diễm {phone}", "giai đoạn nào")
    await chat.press("Đang chăm sóc", "Đang chăm sóc")
    await chat.says(f"lên lịch gặp {phone}", "ngày nào")
    await chat.says("thứ 2 tuần sau 14h", "Thứ 2, 30/11 14:00")


async def test_bad_input_gets_clear_answers(engine: Engine, personas: dict[str, Actor]) -> None:
    chat = Chat(engine, personas["st_q1a2"])
    await chat.says("thêm khách chị Lan 0912 34", "chưa đúng")
    await chat.says("😀😀😀", "chữ")
    await chat.says("x" * 10_000, "dài quá")
    await chat.says("asdkjh qwe", "chưa hiểu")
    await chat.says("chuyển chị Zzyzx sang đã đặt lịch", "không tìm thấy")
    await chat.says("xin nghỉ không lương chiều mai", "chưa có", "26")
    await chat.says("biểu đồ khách tiềm năng theo nguồn tháng 10", "chưa có")
    replies = await chat.send(payload="mv:999999:booked:1")
    assert "không tìm thấy" in replies[0].text


async def test_list_pages_and_dashboard(engine: Engine, personas: dict[str, Actor]) -> None:
    chat = Chat(engine, personas["tl_q1a"])
    out = await chat.says("danh sách khách tiềm năng", "Tiềm năng")
    if "Sau ▶" in [b.text for b in chat.buttons]:
        await chat.press("Sau ▶", "Tiềm năng")
    assert out
    await chat.says("tổng quan tuần này", "Cuộc gọi tuần này", "Khách hàng")


async def test_repeated_event_is_handled_once(engine: Engine, personas: dict[str, Actor]) -> None:
    actor = personas["st_hda1"]
    phone = new_phone()
    event = ChatEvent(
        channel="test",
        external_user_id="x",
        chat_id="dup",
        text=f"thêm khách chị Yến {phone}",
        event_id="same-id",
    )
    first = await engine.handle(event, actor=actor)
    second = await engine.handle(event, actor=actor)
    assert first and not second
    assert await Lead.filter(phone=phone).count() == 1


async def test_duplicate_in_other_team_is_not_revealed(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    phone = new_phone()
    await Chat(engine, personas["st_q1a1"]).says(f"thêm khách chị Thư {phone}", "Thư")
    out = await Chat(engine, personas["st_gva1"]).says(f"thêm khách chị Thư {phone}", "nhóm khác")
    assert phone[-3:] not in out and "Thư" not in out


async def test_later_features_are_understood_and_shown_readably(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    chat = Chat(engine, personas["st_q1a2"])
    await chat.says("tăng ca tối nay 2 tiếng", "chưa có")  # record_payment is built (sales)
    await chat.says("xin nghỉ không lương chiều mai", "Thứ 5, 26/11", "buổi chiều", "không")
    await chat.says("biểu đồ thu chi tháng này", "thu chi", "tháng 11/2026")
    await chat.says("hủy", "Không có việc gì đang dở")
    await chat.says("thêm khách mới", "Tên khách")
    await chat.says("hủy", "Đã hủy")
