"""A staff member linked only on the Zalo OA gets the website customer's handoff there and answers
it by typing "1" (Trả lời) then the text; the widget's poll returns the answer."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from spacrm.core.models import ChannelIdentity, Conversation, CustomerChannel, User
from spacrm.core.services import channels
from tests.adapters.zalo_staff.conftest import ZaloWorld, new_zalo_user
from tests.adapters.zalo_staff.test_zalo_staff_e2e import option_number

# Staff the rest of the suite never links on Telegram (the database is shared by the run).
CANDIDATES = ("st_hda1", "tl_hda", "st_gva1")


async def _poll(http: httpx.AsyncClient, session: str, n: int) -> list[str]:
    for _ in range(200):
        data = (
            await http.get("/api/widget/messages", params={"session_id": session, "after": 0})
        ).json()
        texts = [str(r["text"]) for r in data["replies"]]
        if len(texts) >= n:
            return texts
        await asyncio.sleep(0.05)
    raise AssertionError(f"widget got {texts}, expected {n} replies")


async def test_zalo_only_staff_answers_a_widget_handoff(zworld: ZaloWorld) -> None:
    linked = {i.user_id for i in await ChannelIdentity.filter(channel__in=["telegram", "zalo"])}
    staff_user = next(
        u for u in await User.filter(login__in=list(CANDIDATES)) if u.id not in linked
    )
    user = new_zalo_user()
    await zworld.link(user, staff_user.login)
    await channels.add_channel(
        "widget", channels.WIDGET_ID, access_token="", assignee_ids=[staff_user.id]
    )
    try:
        await _handoff_answered_on_zalo(zworld, user, staff_user.id)
    finally:  # later tests name their own widget staff
        await CustomerChannel.filter(kind="widget").delete()


async def _handoff_answered_on_zalo(zworld: ZaloWorld, user: str, staff_id: int) -> None:
    session = f"w-{uuid.uuid4().hex}"
    before = len(zworld.texts(user))
    async with httpx.AsyncClient(base_url=zworld.base, timeout=10) as http:
        r = await http.post(
            "/api/widget/messages", json={"session_id": session, "text": "cho em gặp nhân viên"}
        )
        assert "nhân viên" in r.json()["replies"][0]["text"]
        conv = await Conversation.get(channel="widget", customer_ref=session)
        assert conv.state == "handoff" and conv.assignee_id == staff_id

        # The handoff notice arrives on the Zalo staff bot as a numbered list.
        note = (await zworld.wait_texts(user, before + 1))[before]
        assert "Website" in note and "cho em gặp nhân viên" in note
        assert option_number(note, "Trả lời") == "1" and "Gõ số" in note
        assert "Trả lời tin nhắn này" not in note  # Zalo has no reply-to-message for the bot

        asked = await zworld.say(user, "1")
        assert "Nhập câu trả lời" in asked
        sent = await zworld.say(user, "Dạ em Hạnh đây, chị cần tư vấn gì ạ?")
        assert "Đã gửi cho khách" in sent
        replies = await _poll(http, session, 1)
        assert replies == ["Dạ em Hạnh đây, chị cần tư vấn gì ạ?"]

        # The customer writes again: forwarded to Zalo with "1. Trả lời" offered again.
        count = len(zworld.texts(user))
        await http.post(
            "/api/widget/messages", json={"session_id": session, "text": "em muốn đặt lịch mai"}
        )
        forward = (await zworld.wait_texts(user, count + 1))[count]
        assert "em muốn đặt lịch mai" in forward and option_number(forward, "Trả lời") == "1"
        assert "Nhập câu trả lời" in await zworld.say(user, "1")
        assert "Đã gửi cho khách" in await zworld.say(user, "Dạ 9h sáng mai chị nhé")
        assert (await _poll(http, session, 2))[1] == "Dạ 9h sáng mai chị nhé"
