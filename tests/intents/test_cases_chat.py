"""Cases (#15) from staff chat, and the knowledge-base article a resolved case turns into (#16)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import (
    ChannelIdentity,
    Complaint,
    ComplaintReply,
    Lead,
    OutboxMessage,
    QARecord,
)
from spacrm.core.services import kb
from tests.bot.test_engine_transcripts import Chat
from tests.conftest import new_phone

START = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(autouse=True)
def frozen_clock() -> object:
    clock.freeze(START)
    yield
    clock.freeze(None)


async def test_case_lifecycle_and_article(personas: dict[str, Actor]) -> None:
    engine = Engine()
    staff, lead_of_team = personas["st_q1a1"], personas["tl_q1a"]
    chat = Chat(engine, staff)
    phone = new_phone()
    await chat.says(f"thêm khách chị Diệp {phone}", "Đã thêm khách tiềm năng Diệp")
    lead = await Lead.get(phone=phone)

    out = await chat.says(f"tạo vụ việc chị Diệp {phone} phàn nàn da bị kích ứng sau khi peel",
                          "Đã tạo vụ việc #", "Mới", "da bị kích ứng sau khi peel", "Chưa phản hồi", staff.name)  # fmt: skip
    case = await Complaint.get(lead_id=lead.id)
    assert f"#{case.id}" in out and case.status == "new" and case.owner_id == staff.user_id
    await chat.says(f"xem khách {phone}", "⚠️", "1 khiếu nại")
    await chat.says("vụ việc của tôi", "Vụ việc của bạn")
    assert any(
        b.text.startswith(f"#{case.id} da bị kích ứng") and b.payload == f"cc:{case.id}"
        for b in chat.buttons
    )

    # A reply 25 minutes later sets the first-response time and starts the work.
    clock.freeze(START + timedelta(minutes=25))
    assert f"Vụ việc #{case.id}" in (await chat.send(payload=f"cc:{case.id}"))[0].text
    await chat.press("cr:", "gõ nội dung trả lời")
    await chat.says("Đã gọi xin lỗi chị Diệp, hẹn chị qua spa kiểm tra da", "Đã ghi trả lời", "nội bộ", "Đang xử lý",
                    "Phản hồi đầu sau 25 phút", "1 trả lời", "hẹn chị qua spa")  # fmt: skip
    stale_start = f"cs:{case.id}:{case.version}"  # the button on the first card, now outdated

    await chat.press("cv:", "giải quyết thế nào")
    await chat.says("Da bị kích ứng nhẹ sau peel là bình thường 1–2 ngày; spa tặng 1 buổi phục hồi da miễn phí",
                    "Đã giải quyết", "Cách xử lý")  # fmt: skip
    case = await Complaint.get(id=case.id)
    assert case.status == "resolved" and case.resolved_at is not None and case.resolution
    # The outdated "Bắt đầu xử lý" answers with a toast and refreshes the card.
    replies = await chat.send(payload=stale_start)
    assert replies[0].toast and replies[0].edit and "Đã giải quyết" in replies[0].text

    # Staff cannot approve: the team lead (linked on Telegram) is asked, with buttons.
    await ChannelIdentity.get_or_create(channel="telegram", external_id="730001",
                                        defaults={"user_id": lead_of_team.user_id, "chat_id": "730001"})  # fmt: skip
    out = await chat.press("ck:", "Bản nháp bài kiến thức", "da bị kích ứng sau khi peel", "tặng 1 buổi phục hồi",
                           f"Đã gửi cho {lead_of_team.name}", "chờ quản lý duyệt")  # fmt: skip
    article = await QARecord.get(id=f"case-{case.id}")
    assert article.approved is False
    assert article.id not in {p.id for p in await kb.approved_pairs()}
    request = (
        await OutboxMessage.filter(channel="telegram", chat_id="730001").order_by("-id").first()
    )
    assert request is not None and "đề nghị duyệt" in request.payload["text"]
    approve = request.payload["buttons"][0][0][1]
    assert approve == f"ka:case-{case.id}"
    bot = CustomerEngine()
    before = await bot.ask("peel xong da bị kích ứng thì sao")
    assert before.match != article.id

    # A staff member's press is refused; the team lead's approval feeds the chatbot.
    assert "không có quyền" in "\n".join(r.text for r in await chat.send(payload=approve))
    boss = Chat(engine, lead_of_team)
    approved = await boss.send(payload=approve)  # the button of the request sent to their chat
    assert "Đã duyệt bài kiến thức" in approved[0].text and approved[0].edit and approved[0].toast
    assert (await QARecord.get(id=article.id)).approved is True
    assert "đã được duyệt rồi" in (await boss.send(payload=approve))[0].text
    after = await bot.ask("peel xong da bị kích ứng thì sao")
    assert after.match == article.id and "phục hồi da" in after.text

    assert "chatbot đang dùng" in (await chat.send(payload=f"cc:{case.id}"))[0].text
    await chat.press("cx:", "Đã đóng vụ việc")
    assert (await Complaint.get(id=case.id)).status == "closed"
    await chat.says("vụ việc của tôi")  # the closed case is gone from the list
    assert f"cc:{case.id}" not in {b.payload for b in chat.buttons}
    assert await ComplaintReply.filter(complaint_id=case.id).count() == 1


async def test_case_asks_what_is_missing_and_respects_scope(personas: dict[str, Actor]) -> None:
    engine = Engine()
    chat = Chat(engine, personas["st_q1a2"])
    phone = new_phone()
    await chat.says(f"thêm khách anh Khoa {phone}", "Đã thêm khách tiềm năng Khoa")
    await chat.says(f"khiếu nại anh Khoa {phone}", "Khoa phàn nàn về điều gì")
    await chat.says("nhân viên đến trễ 30 phút", "Đã tạo vụ việc #", "nhân viên đến trễ 30 phút")
    case = await Complaint.get(lead_id=(await Lead.get(phone=phone)).id)
    await chat.says("tạo vụ việc chị Không Có Thật 0399999999 bị dị ứng", "không tìm thấy khách")
    # Someone in another team does not see the case at all.
    other = Chat(engine, personas["st_q1b1"])
    assert "không tìm thấy" in "\n".join(r.text for r in await other.send(payload=f"cc:{case.id}"))
    # A case that is not resolved cannot become an article.
    refused = await chat.send(payload=f"ck:{case.id}")
    assert "cũ" in (refused[0].toast or "") and "Mới" in refused[0].text
    assert not await QARecord.exists(id=f"case-{case.id}")
