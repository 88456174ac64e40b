"""Stock: the ledger's sum is the on-hand; outs never go negative (unless allowed); transfers and
counts are moves; crossing a product's threshold warns the branch's managers once."""

from __future__ import annotations

import pytest

from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import ChannelIdentity, OutboxMessage, StockMove, User
from spacrm.core.services import stock
from spacrm.core.services.users import actor_for
from spacrm.core.settings import get_settings
from tests.bookings.conftest import Spa


async def _left(spa: Spa, branch_id: int | None = None) -> float:
    rows = await stock.stock_query(
        spa.desk, product_id=spa.gel.id, branch_id=branch_id or spa.branch.id
    )
    return rows[0].quantity


async def test_ledger_moves_and_refusals(spa: Spa, personas: dict) -> None:
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=12.5, branch_id=spa.branch.id,
                         unit_cost=500)  # fmt: skip
    await stock.issue_stock(spa.desk, product_id=spa.gel.id, quantity=2.5, branch_id=spa.branch.id,
                            reason="đổ vỡ")  # fmt: skip
    assert await _left(spa) == 10
    before = await StockMove.filter(product_id=spa.gel.id).count()
    for call in (
        stock.issue_stock(spa.desk, product_id=spa.gel.id, quantity=11, branch_id=spa.branch.id,
                          reason="x"),
        stock.transfer_stock(spa.director, product_id=spa.gel.id, quantity=1,
                             from_branch_id=spa.branch.id, to_branch_id=spa.branch.id),
        stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=-3, branch_id=spa.branch.id),
        stock.stock_in(spa.seller, product_id=spa.gel.id, quantity=3, branch_id=spa.branch.id),
        stock.stock_in(spa.desk, product_id=spa.facial.id, quantity=3, branch_id=spa.branch.id),
    ):  # fmt: skip
        with pytest.raises(DomainError) as err:
            await call
        assert err.value.code in (ErrorCode.STOCK_NEGATIVE, ErrorCode.SAME_WAREHOUSE,
                                  ErrorCode.INVALID_VALUE, ErrorCode.FORBIDDEN,
                                  ErrorCode.NOT_FOUND)  # fmt: skip
    assert await StockMove.filter(product_id=spa.gel.id).count() == before  # nothing half-written
    q1 = (await User.get(login="bd_q1")).branch_id
    assert q1 is not None
    await stock.transfer_stock(spa.director, product_id=spa.gel.id, quantity=4,
                               from_branch_id=spa.branch.id, to_branch_id=q1)  # fmt: skip
    assert await _left(spa) == 6 and await _left(spa, q1) == 4
    await stock.adjust_stock(
        spa.director, product_id=spa.gel.id, branch_id=spa.branch.id, counted=5
    )
    assert await _left(spa) == 5
    kinds = [m.kind for m in await StockMove.filter(product_id=spa.gel.id).order_by("id")]
    assert kinds == ["in", "issue", "transfer_out", "transfer_in", "adjust"]


async def test_negative_allowed_by_setting(spa: Spa, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "stock_allow_negative", True)
    await stock.issue_stock(spa.desk, product_id=spa.gel.id, quantity=3, branch_id=spa.branch.id,
                            reason="dùng thử")  # fmt: skip
    assert await _left(spa) == -3  # visible as negative (the chat marks it ⚠️)


async def test_low_stock_warns_managers_once(spa: Spa) -> None:
    chat = f"low-{spa.n}"
    director = await User.get(id=spa.director.user_id)
    await ChannelIdentity.create(
        user_id=director.id, channel="telegram", external_id=chat, chat_id=chat
    )
    await stock.set_threshold(spa.director, product_id=spa.gel.id, minimum=50)
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)
    await stock.issue_stock(
        spa.desk, product_id=spa.gel.id, quantity=40, branch_id=spa.branch.id, reason="a"
    )
    assert not await OutboxMessage.filter(chat_id=chat).exists()  # 60 left: above 50
    await stock.issue_stock(
        spa.desk, product_id=spa.gel.id, quantity=20, branch_id=spa.branch.id, reason="b"
    )
    await stock.issue_stock(
        spa.desk, product_id=spa.gel.id, quantity=5, branch_id=spa.branch.id, reason="c"
    )
    sent = await OutboxMessage.filter(chat_id=chat)
    assert (
        len(sent) == 1
        and "Sắp hết hàng" in sent[0].payload["text"]
        and "40 ml" in sent[0].payload["text"]
    )
    assert (await actor_for(director)).is_manager
