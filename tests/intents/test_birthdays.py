"""Whose birthday (list_birthdays): "khách nào sinh nhật tháng này" lists the customers the asker
may see whose birthday falls in the period, by day, each a button to the card; "tháng 1" asked in
November is next January; another salesperson's customers are not listed."""

from __future__ import annotations

from datetime import date

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import Lead
from spacrm.core.services.leads import birthdays
from tests.conftest import new_phone
from tests.frozen import WEDNESDAY, frozen_clock_at
from tests.intents.transcript import Chat

frozen_clock = frozen_clock_at(WEDNESDAY)  # 25/11/2026 10:00


async def _lead(chat: Chat, name: str, birthday: str) -> Lead:
    phone = new_phone()
    await chat.says(f"thêm khách {name} {phone}", "Đã thêm khách")
    lead = await Lead.get(phone=phone)
    await chat.says(f"sửa ngày sinh khách {phone} {birthday}", "Đã sửa")
    return await Lead.get(id=lead.id)


async def test_birthdays_of_a_period_in_scope(personas: dict[str, Actor]) -> None:
    mine = Chat(Engine(), personas["st_hda1"])
    december = await _lead(mine, "chị Quách Thị Sinh", "03/12")
    january = await _lead(mine, "chị Lạc Thị Tân", "05/01/1990")
    assert (december.birthday, january.birthday) == ("--12-03", "1990-01-05")
    out = await mine.says("khách nào sinh nhật tuần sau", "Sinh nhật")
    labels = [b.text for b in mine.buttons]
    assert any("Quách Thị Sinh" in label for label in labels)
    assert not any("Lạc Thị Tân" in label for label in labels) and "Lạc" not in out
    await mine.says("ds khách sinh nhật tháng 1", "Sinh nhật 01/01/2027–31/01/2027")
    assert [b.payload for b in mine.buttons if "Lạc Thị Tân" in b.text] == [f"lc:{january.id}"]
    await mine.press("Lạc Thị Tân", "Lạc Thị Tân")  # the card
    # another salesperson does not see them
    other = [lead.id for _, lead in await birthdays(personas["st_q1a1"], date(2026, 11, 25),
                                                     date(2027, 1, 31))]  # fmt: skip
    assert december.id not in other and january.id not in other
