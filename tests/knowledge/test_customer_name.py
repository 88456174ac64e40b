"""Issue 7 small defect: a website visitor who types their name gets a lead with that name, not
"Khách website 3456"."""

from __future__ import annotations

import uuid

import pytest

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core.models import Conversation, Lead
from spacrm.intents.chat import ChatEvent
from spacrm.intents.customer.detect import find_name
from tests.conftest import new_phone


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("em tên Lan, sđt 0912345678", "Lan"),
        ("tên mình là nguyễn thu hà nhé", "Nguyễn Thu Hà"),
        ("Mình là Hoa 0912345678", "Hoa"),
        ("ten em la thao sdt 0903123456", "Thao"),
        ("em tên Mai muốn đặt lịch", "Mai"),
        ("em là khách cũ", None),
        ("chị tên gì vậy", None),
        ("gội đầu giá sao", None),
    ],
)
def test_find_name(text: str, name: str | None) -> None:
    assert find_name(text) == name


async def test_widget_lead_takes_the_typed_name(db: str) -> None:
    phone = new_phone()
    session = uuid.uuid4().hex
    event = ChatEvent(channel="widget", external_user_id=session, chat_id=session,
                      text=f"chào shop, em tên Ngọc Anh, sđt {phone}", account_ref="widget")  # fmt: skip
    await CustomerEngine().handle(event)
    conv = await Conversation.get(channel="widget", customer_ref=session)
    assert conv.display_name == "Ngọc Anh"
    if conv.lead_id is not None:  # a lead is created when some staff member can take it
        assert (await Lead.get(id=conv.lead_id)).name == "Ngọc Anh"
