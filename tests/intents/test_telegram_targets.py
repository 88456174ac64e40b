"""Issue 6 on Telegram (real aiogram against the fake Bot API): the confirmation's buttons and
the customer each message changes, asserted in the database."""

from __future__ import annotations

from spacrm.core.actors import Actor
from spacrm.core.models import Lead
from tests.adapters.telegram.test_telegram_e2e import Harness, _link, bot
from tests.conftest import new_phone

__all__ = ["bot"]  # the fixture, shared with the Telegram end-to-end tests


async def test_the_right_customer_from_telegram(bot: Harness, personas: dict[str, Actor]) -> None:
    user = 700061
    await _link(bot, user, "st_q1b1")
    man_phone, vy_phone = new_phone(), new_phone()
    await bot.say(user, f"thêm khách chị Đoàn Thị Mận {man_phone}")
    card = await bot.say(user, f"thêm khách chị Nghiêm Kim Vy {vy_phone}")
    assert "Nghiêm Kim Vy" in (card.text or "")
    asked = await bot.say(user, "chuyển sang ngừng chăm sóc")
    assert "Nghiêm Kim Vy" in (asked.text or "") and "phải không" in (asked.text or "")
    vy = await Lead.get(phone=vy_phone)
    assert vy.stage == "potential"
    confirm = next(data for label, data in asked.buttons if label.startswith("✅"))
    assert confirm is not None
    done = await bot.press(user, confirm, asked.message_id)
    assert "Ngừng chăm sóc" in (done.text or "")
    assert (await Lead.get(id=vy.id)).stage == "dead"
    logged = await bot.say(user, "Đoàn Thị Mận đã gọi lại, hẹn thứ 6")
    assert "Đoàn Thị Mận" in (logged.text or "")
    assert (await Lead.get(phone=man_phone)).calls == 1
    assert (await Lead.get(id=vy.id)).calls == 0
