"""The new front-desk intents of issue 6 (edit_customer, reassign, add_note, list_tasks, undo):
each handler run with the slots of DESIGN §6, through the one resolver, asserting the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Activity, CustomerKey, Lead, SearchEntry
from spacrm.core.services.leads import leads_by_ids
from tests.conftest import new_phone
from tests.intents.transcript import Chat

T0 = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    clock.freeze(T0)
    yield
    clock.freeze(None)


@pytest.fixture
def engine() -> Engine:
    return Engine()


async def _lead(chat: Chat, name: str) -> Lead:
    phone = new_phone()
    await chat.says(f"thêm khách {name} {phone}", "Đã thêm khách")
    return await Lead.get(phone=phone)


async def _fresh(lead: Lead) -> Lead:
    return await Lead.get(id=lead.id)


async def test_edit_a_phone_then_undo(engine: Engine, personas: dict[str, Actor]) -> None:
    chat = Chat(engine, personas["st_hda1"])
    lead = await _lead(chat, "chị Ông Thị Hoa Sữa")
    old, new = lead.phone, new_phone()
    shown = f"{new[:4]} {new[4:7]} {new[7:]}"
    await chat.intent(
        "edit_customer",
        {"customer": "Hoa Sữa", "field": "phone", "value": new},
        f"sửa sđt chị Hoa Sữa thành {shown}",
        "Đã sửa số điện thoại",
        shown,
    )
    assert (await _fresh(lead)).phone == new
    assert await SearchEntry.filter(kind="lead", ref_id=lead.id, phone=new).exists()
    await chat.press("Hoàn tác", "Đã hoàn tác")
    assert (await _fresh(lead)).phone == old
    assert await SearchEntry.filter(kind="lead", ref_id=lead.id, phone=old).exists()


async def test_edit_refuses_bad_values_and_saves_nothing(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    chat = Chat(engine, personas["st_hda1"])
    lead = await _lead(chat, "chị Âu Thị Nguyệt Quế")
    before = await _fresh(lead)
    for field, value, text in (
        ("phone", "0903 99", "sửa sđt chị Nguyệt Quế thành 0903 99"),
        ("email", "que@@x", "sửa email chị Nguyệt Quế thành que@@x"),
        ("birthday", "--02-31", "sửa ngày sinh chị Nguyệt Quế 31/2"),
    ):
        await chat.intent(
            "edit_customer", {"customer": "Nguyệt Quế", "field": field, "value": value}, text,
            "chưa",
        )  # fmt: skip
    after = await _fresh(lead)
    assert (after.phone, after.email, after.birthday, after.version) == (
        before.phone, before.email, before.birthday, before.version,
    )  # fmt: skip


async def test_edit_value_birthday_and_asked_value(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    chat = Chat(engine, personas["st_hda1"])
    lead = await _lead(chat, "chị Ninh Thị Thục")
    await chat.intent("edit_customer", {"customer": "Thục", "field": "birthday", "value": "--03-08"},
                      "sửa ngày sinh chị Thục 8/3", "08/03")  # fmt: skip
    assert (await _fresh(lead)).birthday == "--03-08"
    await chat.intent("edit_customer", {"customer": "Thục", "field": "value"},
                      "sửa giá trị chị Thục", "giá trị mới")  # fmt: skip
    await chat.says("12tr", "12.000.000")
    assert (await _fresh(lead)).value == 12_000_000
    await chat.intent("edit_customer", {"customer": "Thục", "field": "source", "value": "referral"},
                      "sửa nguồn chị Thục là giới thiệu", "Giới thiệu")  # fmt: skip
    assert (await _fresh(lead)).source == "referral"
    out = await chat.says(f"xem khách {lead.phone}")
    assert "Nguồn: Giới thiệu" in out and "referral" not in out


async def test_reassign_within_the_managed_team_and_undo(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    lead_actor, staff = personas["tl_hda"], personas["st_hda1"]
    chat = Chat(engine, lead_actor)
    lead = await _lead(chat, "chị Giáp Thị Lụa")
    await chat.intent("reassign", {"customer": "Giáp Thị Lụa", "employee": "Thảo"},
                      "giao chị Giáp Thị Lụa cho Thảo phụ trách", "Phan Thị Thảo")  # fmt: skip
    moved = await _fresh(lead)
    assert moved.owner_id == staff.user_id and moved.team_id == staff.team_id
    assert await SearchEntry.filter(kind="lead", ref_id=lead.id, owner_id=staff.user_id).exists()
    assert [x.id for x in await leads_by_ids(staff, [lead.id])] == [lead.id]
    await chat.press("Hoàn tác", "Đã hoàn tác")
    assert (await _fresh(lead)).owner_id == lead_actor.user_id
    # Someone outside the team lead's scope, and a staff member trying: nothing changes.
    await chat.intent("reassign", {"customer": "Giáp Thị Lụa", "employee": "Ánh"},
                      "giao chị Giáp Thị Lụa cho Ánh", "không tìm thấy nhân viên")  # fmt: skip
    await Chat(engine, staff).intent(
        "reassign", {"customer": "Giáp Thị Lụa", "employee": "Thắng"}, "giao chị Lụa cho Thắng",
        "không có quyền",
    )  # fmt: skip
    assert (await _fresh(lead)).owner_id == lead_actor.user_id


async def test_add_note_and_undo(engine: Engine, personas: dict[str, Actor]) -> None:
    chat = Chat(engine, personas["st_q1b1"])
    lead = await _lead(chat, "chị Kha Thị Lài")
    await chat.intent("add_note", {"customer": "Kha Thị Lài", "note": "thích mùi oải hương"},
                      "ghi chú chị Kha Thị Lài thích mùi oải hương", "Đã ghi chú", "oải hương")  # fmt: skip
    note = await Activity.get(lead_id=lead.id, kind="note")
    assert note.status == "done" and note.note == "thích mùi oải hương"
    out = await chat.says(f"xem khách {lead.phone}", "Ghi chú", "oải hương")
    assert out
    await chat.intent("undo", {}, "hoàn tác", "Hoàn tác ghi chú vừa thêm (Kha Thị Lài)?")
    assert (await Activity.get(id=note.id)).status == "done"  # asked first
    await chat.press("un:", "Đã hoàn tác")
    assert (await Activity.get(id=note.id)).status == "cancelled"
    await chat.intent("undo", {}, "hoàn tác", "Không có thay đổi")


async def test_list_tasks_with_overdue_done_and_moved(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    chat = Chat(engine, personas["st_gva1"])
    lead = await _lead(chat, "chị Lưu Thị Ngà")
    await chat.says(f"nhắc tôi 11h hôm nay gọi lại {lead.phone}", "11:00")
    await chat.says(f"lên lịch gặp {lead.phone} 15h hôm nay", "15:00")
    clock.freeze(datetime(2026, 11, 25, 13, 0))
    out = await chat.intent("list_tasks", {"date": "2026-11-25"}, "việc cần làm hôm nay")
    assert "⏰" in out and "Lưu Thị Ngà" in out and "Quá hạn" in out
    call = await Activity.get(lead_id=lead.id, kind="call", status="planned")
    await chat.send(payload=f"td:{call.id}")
    assert (await Activity.get(id=call.id)).status == "done"
    assert (await _fresh(lead)).calls == 1
    await chat.press("Hoàn tác")
    assert (await Activity.get(id=call.id)).status == "planned"
    assert (await _fresh(lead)).calls == 0
    await chat.send(payload=f"tm:{call.id}")
    moved = await Activity.get(id=call.id)
    assert clock.local(moved.due_at).strftime("%d %H:%M") == "26 11:00" and not moved.reminded
    out = await chat.intent("list_tasks", {}, "việc cần làm")
    assert "Gặp mặt" in out and "Cuộc gọi" not in out


async def test_undo_the_last_change_only(engine: Engine, personas: dict[str, Actor]) -> None:
    chat = Chat(engine, personas["st_q1b1"])
    lead = await _lead(chat, "chị Mai Thị Sương")
    await chat.intent("undo", {}, "hoàn tác", "Hoàn tác")
    await chat.press("un:", "bỏ khách")
    assert not await Lead.filter(id=lead.id).exists()
    assert not await SearchEntry.filter(kind="lead", ref_id=lead.id).exists()
    lead = await _lead(chat, "chị Mai Thị Sương")
    await chat.says(f"chuyển {lead.phone} sang đang chăm sóc", "Đang chăm sóc")
    old_undo = chat.button("Hoàn tác").payload
    await chat.says(f"đã gọi {lead.phone}", "Đã lưu cuộc gọi")
    replies = await chat.send(payload=chat.button("un:").payload)
    assert "Đã hoàn tác" in replies[0].text
    assert (await _fresh(lead)).calls == 0 and (await _fresh(lead)).stage == "caring"
    stale = await chat.send(payload=old_undo)  # the move's button: the card changed since
    assert stale[0].toast and "cũ" in stale[0].toast
    assert (await _fresh(lead)).stage == "caring"


async def test_the_everyday_sentences_end_to_end(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    """The same intents typed as front desks type them (parser + engine + services)."""
    boss, staff = personas["tl_q1b"], personas["st_q1b1"]
    chat = Chat(engine, boss)
    lead = await _lead(chat, "chị Tạ Thị Hoa Lý")
    new = new_phone()
    shown = f"{new[:4]} {new[4:7]} {new[7:]}"
    await chat.says(f"sửa sđt chị Hoa Lý thành {shown}", "Đã sửa số điện thoại", shown)
    assert (await _fresh(lead)).phone == new
    await chat.says("hoàn tác", "sửa thông tin")
    await chat.press("un:", "Đã hoàn tác")
    assert (await _fresh(lead)).phone == lead.phone
    await chat.says("ghi chú chị Hoa Lý thích mùi oải hương", "Đã ghi chú")
    assert await Activity.filter(lead_id=lead.id, kind="note", status="done").count() == 1
    await chat.says("giao chị Hoa Lý cho Trúc phụ trách", "Bùi Thanh Trúc")
    assert (await _fresh(lead)).owner_id == staff.user_id
    await chat.says("giao khách này cho Bảo", "Huỳnh Gia Bảo")  # "khách này": the focus
    assert (await _fresh(lead)).owner_id == boss.user_id
    await chat.says(f"nhắc tôi 9h sáng nay gọi lại {lead.phone}", "09:00")
    out = await chat.says("việc cần làm hôm nay", "Tạ Thị Hoa Lý", "⏰")
    assert "Quá hạn" in out
    await chat.says("tra cứu mst 0314567890", "không tìm thấy")


async def test_undo_is_forgotten_after_a_while_and_a_case_is_not_undone(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    chat = Chat(engine, personas["st_q1b1"])
    lead = await _lead(chat, "chị Đàm Thị Xoan")
    await chat.says(f"chuyển {lead.phone} sang đang chăm sóc", "Đang chăm sóc")
    await chat.says(f"tạo vụ việc {lead.phone} phàn nàn phòng lạnh", "Đã tạo vụ việc")
    await chat.says("hoàn tác", "không hoàn tác được")  # not the move made before the case
    assert (await _fresh(lead)).stage == "caring"
    await chat.says(f"chuyển {lead.phone} sang ngừng chăm sóc", "Ngừng chăm sóc")
    clock.freeze(datetime(2026, 11, 25, 10, 30))
    await chat.says("hoàn tác", "Không có thay đổi")
    assert (await _fresh(lead)).stage == "dead"


async def test_a_discarded_new_lead_frees_its_phone_and_email(
    engine: Engine, personas: dict[str, Actor]
) -> None:
    """Added by mistake, taken back: the same phone and email can be added again at once."""
    chat = Chat(engine, personas["st_hda1"])
    phone = new_phone()
    email = f"lo.nham{phone[-6:]}@mail.vn"
    await chat.says(f"thêm khách chị Lò Thị Nhầm {phone} {email}", "Đã thêm khách")
    first = await Lead.get(phone=phone)
    assert await CustomerKey.filter(lead_id=first.id).count() == 2
    await chat.says("hoàn tác", "Lò Thị Nhầm")
    await chat.press("un:", "Đã hoàn tác", "Lò Thị Nhầm")
    assert not await Lead.filter(id=first.id).exists()
    assert not await CustomerKey.filter(lead_id=first.id).exists()
    await chat.says(f"thêm khách chị Lò Thị Đúng {phone} {email}", "Đã thêm khách")
    again = await Lead.get(phone=phone)
    assert again.name == "Lò Thị Đúng" and again.email == email
    assert {k.value for k in await CustomerKey.filter(lead_id=again.id)} == {phone, email}
