"""Goods sold on an order leave the branch's stock (one ledger move per line), come back when
the order is cancelled, and the seller is told when the shelf runs low or the ledger goes negative."""

from __future__ import annotations

from spacrm.core.models import CatalogItem, ChannelIdentity, OutboxMessage, StockMove
from spacrm.core.services import stock
from spacrm.core.services.catalog import forget_catalog
from spacrm.core.services.orders import (
    OrderItemSpec,
    cancel_order,
    confirm_order,
    create_order,
)
from spacrm.core.textnorm import fold
from tests.bookings.conftest import Spa
from tests.bookings.desk import Desk


async def _serum(spa: Spa) -> CatalogItem:
    tag = "".join(chr(97 + int(d)) for d in str(spa.n))
    name = f"Serum thử {tag}"
    item = await CatalogItem.create(code=f"SR{spa.n}", name=name, name_key=fold(name),
                                    kind="goods", unit="hộp", price=450_000)  # fmt: skip
    forget_catalog()  # the chat's catalogue lookup is cached
    return item


async def _left(spa: Spa, item: CatalogItem) -> float:
    rows = await stock.stock_query(spa.desk, product_id=item.id, branch_id=spa.branch.id)
    return rows[0].quantity


async def test_sale_takes_goods_out_and_cancel_puts_them_back(spa: Spa) -> None:
    serum = await _serum(spa)
    chat = f"sold-{spa.n}"
    await ChannelIdentity.create(
        user_id=spa.director.user_id, channel="telegram", external_id=chat, chat_id=chat
    )
    await stock.set_threshold(spa.director, product_id=serum.id, minimum=2)
    await stock.stock_in(spa.desk, product_id=serum.id, quantity=3, branch_id=spa.branch.id)
    lan = await spa.lead("Lan")
    desk = Desk(spa.desk)
    out = await desk.does("create_order", {"lead_id": lan.id, "item": serum.name, "quantity": 2},
                          "chỉ còn 1 hộp")  # fmt: skip
    assert "dưới mức tối thiểu" in out
    assert await _left(spa, serum) == 1
    warned = await OutboxMessage.filter(chat_id=chat).values_list("payload", flat=True)
    assert any("Sắp hết hàng" in str(p) for p in warned)  # the branch's manager is told too
    sale = await StockMove.get(product_id=serum.id, kind="sale")
    assert sale.qty_milli == -2000
    order_id = int(str(sale.note).split("#")[1])
    await cancel_order(spa.desk, order_id=order_id)
    assert await _left(spa, serum) == 3
    kinds = [m.kind for m in await StockMove.filter(product_id=serum.id).order_by("id")]
    assert kinds == ["in", "sale", "sale_return"]


async def test_sale_beyond_stock_goes_through_and_shows_negative(spa: Spa) -> None:
    serum = await _serum(spa)
    await stock.stock_in(spa.desk, product_id=serum.id, quantity=1, branch_id=spa.branch.id)
    lan = await spa.lead("Lan")
    out = await Desk(spa.desk).does(
        "create_order", {"lead_id": lan.id, "item": serum.name, "quantity": 3}, "ghi âm"
    )
    assert "-2 hộp" in out
    assert await _left(spa, serum) == -2  # the ledger records what left the shelf
    # A service-only order touches no stock; a draft takes nothing until it is confirmed.
    before = await StockMove.filter(product_id=serum.id).count()
    draft = await create_order(spa.desk, lead_id=lan.id, confirm=False,
                               items=[OrderItemSpec(item_id=serum.id, quantity=1)])  # fmt: skip
    assert await StockMove.filter(product_id=serum.id).count() == before
    await confirm_order(spa.desk, order_id=draft.id)
    assert await _left(spa, serum) == -3
