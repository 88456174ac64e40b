"""Who has not come back (list_lapsed): "khách nào lâu rồi chưa quay lại" lists the asker's
customers whose last visit is 60+ days old (or the span asked: "3 tháng"), the most recently
lapsed first, each a button to the card; a customer with a booking ahead, one who came back, and
another salesperson's customer are not listed."""

from __future__ import annotations

from datetime import datetime

from spacrm.bot.engine import Engine
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import Lead
from spacrm.core.services.lapsed import lapsed_customers
from tests.conftest import new_phone
from tests.frozen import WEDNESDAY, frozen_clock_at
from tests.intents.transcript import Chat

frozen_clock = frozen_clock_at(WEDNESDAY)  # 25/11/2026 10:00


async def _buyer(chat: Chat, name: str) -> Lead:
    phone = new_phone()
    await chat.says(f"thêm khách chị {name} {phone}", "Đã thêm khách")
    await chat.says(f"bán gói triệt nách 10 buổi cho chị {name} {phone} 2tr5 ck", "Đã tạo đơn")
    return await Lead.get(phone=phone)


async def test_lapsed_customers_in_scope(personas: dict[str, Actor]) -> None:
    mine = Chat(Engine(), personas["st_q1a1"])
    early = await _buyer(mine, "Lưu Thị Xưa")
    clock.freeze(datetime(2026, 12, 20, 10, 0))
    later = await _buyer(mine, "Đàm Thị Vắng")
    back = await _buyer(mine, "Kha Thị Về")
    clock.freeze(datetime(2027, 3, 1, 10, 0))  # 96 days after the first, 71 after the others
    await mine.says(f"bán gói triệt nách 10 buổi cho chị Kha Thị Về {back.phone} 2tr5 ck",
                    "Đã tạo đơn")  # fmt: skip

    out = await mine.says("khách nào lâu rồi chưa quay lại", "Khách chưa quay lại từ 60 ngày")
    labels = [b.text for b in mine.buttons]
    names = [n for label in labels for n in ("Xưa", "Vắng", "Về") if n in label]
    assert names[:2] == ["Vắng", "Xưa"] and "Về" not in names, labels  # most recent first
    assert any("71 ngày trước" in label for label in labels), labels
    assert "Kha Thị Về" not in out

    await mine.says("ds khách 3 tháng chưa quay lại", "từ 90 ngày")
    assert [n for b in mine.buttons for n in ("Xưa", "Vắng") if n in b.text] == ["Xưa"]
    assert [b.payload for b in mine.buttons if "Xưa" in b.text] == [f"lc:{early.id}"]

    # another salesperson's list does not hold them
    theirs, _ = await lapsed_customers(personas["st_q1a2"], days=60, limit=10_000)
    assert not {early.id, later.id} & {item.lead.id for item in theirs}
