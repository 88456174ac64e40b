"""CRM usage (#33): the engine logs every staff chat turn (who, when, intent, channel, record
changed); the report counts per user in the reader's scope, in chat (text, image, xlsx)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from openpyxl import load_workbook
from PIL import Image

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Lead, UsageEvent
from spacrm.core.services import usage
from spacrm.core.services.reports import parse_period
from spacrm.core.services.usage import usage_report
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone

DAY = datetime(2024, 1, 17, 9, 0)  # January 2024: no other test's turns


async def test_every_turn_is_logged_and_reported_per_user(personas: dict[str, Actor]) -> None:
    clock.freeze(DAY)
    staff = personas["st_q1a1"]
    chat = Chat(Engine(), staff)
    phone = new_phone()
    await chat.send(f"thêm khách Trần Dùng Thử {phone}")
    await chat.send("tổng quan tuần này")
    await chat.send(payload="rp:leads_by_source")
    lead = await Lead.get(phone=phone)
    day = clock.at_local(DAY.date())
    rows = await UsageEvent.filter(
        user_id=staff.user_id, at__gte=day, at__lt=day + timedelta(days=1)
    )
    rows.sort(key=lambda r: r.id)
    assert [(r.action, r.changed, r.channel, r.source) for r in rows] == [
        ("create_lead", True, "test", "chat"),
        ("dashboard", False, "test", "chat"),
        ("chart", False, "test", "chat"),
    ]
    assert (rows[0].record_kind, rows[0].record_id) == ("lead", lead.id)
    await usage.record(staff.user_id, source="console", channel="console", action="board")
    await Chat(Engine(), personas["st_q1b1"]).send("tổng quan tuần này")  # another team

    lines = await usage_report(personas["tl_q1a"], parse_period("2024-01"))
    mine = {ln.name: ln for ln in lines}
    me = mine[staff.name]
    assert (me.chat, me.console, me.changes) == (3, 1, 1)
    assert all(ln.total == 0 for ln in lines if ln.name != staff.name)  # nobody else in Q1-A
    assert personas["st_q1b1"].name not in mine  # outside the team lead's scope

    clock.freeze(datetime(2024, 1, 20, 9, 0))
    replies = await Chat(Engine(), personas["tl_q1a"]).send("báo cáo sử dụng CRM tháng 1/2024")
    text = replies[0].text
    assert "Sử dụng CRM — Nhóm" in text and f"{staff.name}: 3 lượt chat, 1 thao tác console" in text
    assert "chưa dùng trong kỳ" in text
    kinds = {f[2] for f in replies[0].files}
    image = next(f[1] for f in replies[0].files if f[2] == "image/png")
    assert Image.open(io.BytesIO(image)).size[0] == 1080 and len(kinds) == 2
    book = next(f[1] for f in replies[0].files if f[0].endswith(".xlsx"))
    rows_x = list(load_workbook(io.BytesIO(book)).active.iter_rows(values_only=True))
    assert rows_x[0][:4] == ("Nhân viên", "Lượt chat", "Thao tác console", "Thay đổi dữ liệu")
    assert rows_x[1][:4] == (staff.name, 3, 1, 1)
    clock.freeze(None)
