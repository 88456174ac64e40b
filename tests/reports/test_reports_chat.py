"""Dashboard, charts and the /baocao menu in the staff chat: text plus one PNG, scoped."""

from __future__ import annotations

import io

from PIL import Image

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.intents.chat import ChatEvent, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.staff import chart
from tests.bot.test_engine_transcripts import Chat
from tests.reports.conftest import NOW, March


def _image(replies: list[Reply]) -> Image.Image:
    files = [f for r in replies for f in r.all_files() if f[2] == "image/png"]
    assert len(files) == 1, files
    image = Image.open(io.BytesIO(files[0][1]))
    assert image.size[0] == 1080
    return image


async def test_chart_from_chat_is_scoped(march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["tl_q1a"])
    replies = await chat.send("biểu đồ cuộc gọi theo nhân viên tháng 3/2025")
    assert "Cuộc gọi theo nhân viên — tháng 3/2025" in replies[0].text
    _image(replies)
    name = replies[0].files[0][0]
    assert name == "calls_by_employee-2025-03.png"
    out = await chat.says("biểu đồ khách tiềm năng theo nguồn tháng 1/2025", "chưa có dữ liệu")
    assert "tháng 1/2025" in out


async def test_baocao_menu_buttons(march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["bd_q1"])
    await chat.says("/baocao", "Báo cáo")
    assert [b.payload for b in chat.buttons][:8] == [
        "rp:leads_by_source", "rp:leads_cared", "rp:sales_by_employee", "rp:calls_by_employee",
        "rp:customers_cared", "rp:income_expense", "rp:orders_by_employee", "rp:conversions_by_month",
    ]  # fmt: skip
    replies = await chat.send(payload="rp:conversions_by_month")
    assert "Khách chuyển đổi theo tháng — năm 2026" in replies[0].text
    _image(replies)
    await chat.says("biểu đồ thu chi tháng 12", "chưa có dữ liệu")  # nearest December: 2025


async def test_dashboard_text_and_image(march: March, personas: dict[str, Actor]) -> None:
    chat = Chat(Engine(), personas["st_q1a1"])
    replies = await chat.send("tổng quan tháng 3/2025")
    text = replies[0].text
    assert "Tổng quan — Của Võ Ngọc Ánh · tháng 3/2025" in text
    assert "Cuộc gọi tháng 3/2025: 3" in text and "Gặp mặt: 1" in text and "Khách mới: 4" in text
    assert "Đơn hàng: 1 (1.500.000 ₫)" in text and "Thu: 1.500.000 ₫ · Chi: 200.000 ₫" in text
    assert _image(replies).size == (1080, 720)
    team = "\n".join(
        r.text for r in await Chat(Engine(), personas["tl_q1b"]).send("tổng quan tháng 3/2025")
    )
    assert "Đơn hàng: 1 (3.000.000 ₫)" in team and "Khách mới: 5" in team
    replies = await chat.send("/dashboard")
    assert "tuần 48" in replies[0].text
    _image(replies)


async def test_bad_input_in_chat(personas: dict[str, Actor]) -> None:
    actor = personas["st_q1a1"]
    event = ChatEvent(channel="test", external_user_id=actor.login, chat_id="t:bad", text="x")
    replies = await chart.run(Ctx(actor, event, NOW), {"report": "pie_of_everything"})
    assert "chưa có báo cáo" in replies[0].text and len(replies[0].buttons) > 8
    chat = Chat(Engine(), actor)
    out = await chat.says("tổng quan tuần sau", "chưa tới")
    assert "Tổng quan" not in out
