"""The same payment flow on Telegram (real aiogram polling the fake Bot API): "Gửi QR" arrives as
a photo of the VietQR code, "In bill" as a photo of the bill."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spacrm.core.actors import Actor
from spacrm.core.models import Package
from spacrm.core.ports import ports
from spacrm.core.services.leads import create_lead
from spacrm.core.services.orders import OrderItemSpec, create_order
from spacrm.core.settings import reset_settings
from spacrm.core.vietqr import order_vietqr
from spacrm.intents.texts import t
from spacrm.reports.qr import qr_png
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot  # noqa: F401
from tests.conftest import new_phone


@pytest.fixture
def bank_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SPACRM_BANK_BIN", "970422")
    monkeypatch.setenv("SPACRM_BANK_ACCOUNT", "0123456789")
    reset_settings()
    ports.translate = t
    yield
    monkeypatch.delenv("SPACRM_BANK_BIN")
    monkeypatch.delenv("SPACRM_BANK_ACCOUNT")
    reset_settings()


async def test_qr_and_bill_arrive_as_photos(
    bot: Harness,  # noqa: F811
    bank_env: None,
    personas: dict[str, Actor],
) -> None:
    user = 700951
    await _link(bot, user, "st_q1b1")
    from spacrm.core.models import User
    from spacrm.core.services.users import actor_for

    seller = await actor_for(await User.get(login="st_q1b1"))
    lead = await create_lead(seller, name="Chị Mai Telegram", phone=new_phone())
    pkg = await Package.get(code="GOI04")
    order = await create_order(seller, lead_id=lead.id, items=[OrderItemSpec(package_id=pkg.id)])

    card = await bot.say(user, f"xem đơn {order.number}")
    assert order.number in (card.text or "")
    qr_button = next(data for _, data in card.buttons if data == f"oq:{order.id}")
    await bot.tg.push_callback(user, qr_button, card.message_id)
    photo = await bot.tg.wait_for_sent(
        lambda s: s.chat_id == user and s.method == "sendPhoto", timeout=10
    )
    payload = order_vietqr(order.number, order.total)
    assert payload is not None and photo.files["photo"] == qr_png(payload)
    assert order.code in (photo.text or "")  # the caption names the transfer note

    await bot.tg.push_callback(user, f"op:{order.id}", card.message_id)
    bill = await bot.tg.wait_for_sent(
        lambda s: (
            s.chat_id == user and s.method == "sendPhoto" and s.message_id != photo.message_id
        ),
        timeout=10,
    )
    assert bill.files["photo"][:8] == b"\x89PNG\r\n\x1a\n" and order.number in (bill.text or "")
