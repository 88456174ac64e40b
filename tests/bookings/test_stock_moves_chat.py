"""Goods issue and transfer typed in the staff chat (ops): a confirmation card first, the ledger
rows the service uses after the press, once per card; more than on hand is refused before any
card; a seller may not move a branch's stock; a question stays a read."""

from __future__ import annotations

from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import StockMove, User
from spacrm.core.services import stock
from tests.bookings.conftest import Spa
from tests.intents.transcript import Chat


async def _left(spa: Spa, branch_id: int) -> float:
    rows = await stock.stock_query(spa.director, product_id=spa.gel.id, branch_id=branch_id)
    return rows[0].quantity


async def test_issue_typed_confirmed_once(spa: Spa) -> None:
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)
    chat = Chat(Engine(), spa.desk)
    before = await StockMove.filter(product_id=spa.gel.id).count()
    await chat.says(f"xuất 20 ml {spa.gel.name} cho phòng 3 dùng", "Xuất kho 20 ml",
                    spa.gel.name, "cho phòng 3 dùng", "Tồn sau khi xuất: 80 ml")  # fmt: skip
    assert await StockMove.filter(product_id=spa.gel.id).count() == before  # nothing yet
    await chat.press("Xuất kho", "Đã xuất 20 ml", "Tồn hiện tại: 80 ml")
    await chat.press("sox", "đã ghi rồi")  # a double press writes nothing more
    moves = await StockMove.filter(product_id=spa.gel.id, kind="issue")
    assert [(m.qty_milli, m.note) for m in moves] == [(-20_000, "cho phòng 3 dùng")]
    assert await _left(spa, spa.branch.id) == 80
    # more than on hand: refused before a card, nothing written
    await chat.says(f"xuat kho 500 ml {spa.gel.name} hu hong", "Kho không đủ", "còn 80")
    # no reason: asked for, then the card
    await chat.says(f"xuất kho 5 ml {spa.gel.name}", "lý do")
    await chat.says("hết hạn", "Lý do: hết hạn", "Tồn sau khi xuất: 75 ml")
    await chat.press("Hủy")
    assert await StockMove.filter(product_id=spa.gel.id, kind="issue").count() == 1
    # a question is a read
    await chat.says(f"còn bao nhiêu {spa.gel.name}", "80 ml")


async def test_transfer_typed_and_refused_for_a_seller(
    spa: Spa, personas: dict[str, Actor]
) -> None:
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=50, branch_id=spa.branch.id)
    q1 = (await User.get(login="bd_q1")).branch_id
    assert q1 is not None
    seller = Chat(Engine(), spa.seller)
    await seller.says(f"chuyển 10 ml {spa.gel.name} sang Quận 1", "không có quyền")
    chat = Chat(Engine(), spa.desk)
    await chat.says(f"chuyển 10 ml {spa.gel.name} sang Quận 1", "Chuyển 10 ml",
                    f"{spa.branch.name} → Quận 1", "40 ml")  # fmt: skip
    await chat.press("Chuyển kho", "Đã chuyển 10 ml", "Quận 1")
    await chat.press("stx", "đã ghi rồi")
    kinds = [(m.kind, m.qty_milli) for m in await StockMove.filter(product_id=spa.gel.id)
             .order_by("id")]  # fmt: skip
    assert kinds == [("in", 50_000), ("transfer_out", -10_000), ("transfer_in", 10_000)]
    assert await _left(spa, spa.branch.id) == 40 and await _left(spa, q1) == 10
    await chat.says(f"chuyển kho 100 ml {spa.gel.name} sang Quận 1", "Kho không đủ")
    # no target: the branches are offered
    await chat.says(f"chuyển kho 5 ml {spa.gel.name}", "sang chi nhánh nào")
    await chat.press("Quận 1", "Chuyển 5 ml")
    assert await StockMove.filter(product_id=spa.gel.id).count() == 3


async def test_stock_without_a_product_is_the_branch_overview(spa: Spa) -> None:
    """ "tồn kho" alone lists the branch's products, what runs low first; "sắp hết hàng gì"
    only those (it used to ask "which product?")."""
    await stock.stock_in(spa.desk, product_id=spa.gel.id, quantity=100, branch_id=spa.branch.id)
    chat = Chat(Engine(), spa.desk)
    await chat.says("sắp hết hàng gì", "Không có sản phẩm nào sắp hết")
    await stock.set_threshold(spa.director, product_id=spa.gel.id, minimum=150)
    await chat.says("tồn kho", f"Tồn kho {spa.branch.name}", "1 sản phẩm dưới mức tối thiểu",
                    f"{spa.gel.name}: 100 ml ⚠️")  # fmt: skip
    await chat.says("sắp hết hàng gì", f"{spa.gel.name}: 100 ml ⚠️")
    shelves = await stock.stock_overview(spa.desk, branch_id=spa.branch.id)
    assert [(s.on_hand.product_id, s.on_hand.qty_milli, s.low) for s in shelves] == [
        (spa.gel.id, 100_000, True)
    ]


async def test_a_request_typed_after_which_product_is_a_new_request(spa: Spa) -> None:
    """ "Sản phẩm nào?" pending: a product's name answers it, a report asked instead is done
    (it used to be looked up as a product named "tháng này lãi bao nhiêu")."""
    chat = Chat(Engine(), spa.desk)
    await chat.says("nhập kho 10", "Sản phẩm nào")
    await chat.says("tháng này lãi bao nhiêu", "Lợi nhuận")
    await chat.says("nhập kho 10", "Sản phẩm nào")
    await chat.says(spa.gel.name, spa.gel.name)
    moves = await StockMove.filter(product_id=spa.gel.id)
    assert [(m.kind, m.qty_milli) for m in moves] == [("in", 10_000)]


async def test_receipt_typed_with_its_cost(spa: Spa) -> None:
    """ "nhập 200 ml gel giá 5k": the unit cost is kept on the ledger row (the average cost the
    profit report reads); a total is divided by the quantity."""
    chat = Chat(Engine(), spa.desk)
    await chat.says(f"nhập 200 ml {spa.gel.name} giá 5k", "Đã nhập 200 ml",
                    "Giá nhập: 5.000 ₫/ml")  # fmt: skip
    await chat.says(f"nhập kho 100 ml {spa.gel.name} tổng 600k", "Đã nhập 100 ml", "6.000 ₫/ml")
    moves = await StockMove.filter(product_id=spa.gel.id, kind="in").order_by("id")
    assert [(m.qty_milli, m.unit_cost) for m in moves][-2:] == [(200_000, 5_000), (100_000, 6_000)]
