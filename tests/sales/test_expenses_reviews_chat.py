"""Payment vouchers (phiếu chi) and unmatched bank transfers, from the staff chat through the real
engine: who may, what is written (once), what each branch sees."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from spacrm.bot.engine import Engine
from spacrm.bot.nlu import parse
from spacrm.core.actors import Actor
from spacrm.core.models import BankReview, Branch, Order, Voucher
from spacrm.core.services.bank_transfers import apply_bank_transfer
from spacrm.core.services.expenses import guess_category, write_expense
from spacrm.core.services.orders import OrderItemSpec, create_order
from spacrm.core.settings import reset_settings
from tests.intents.transcript import Chat
from tests.sales.conftest import make_lead, package_id

_ids = iter(range(500_000, 599_999))


def _seq(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_voucher_sentences_parse() -> None:
    cases = {
        "chi 500k mua khăn": ("create_expense", {"amount": 500_000, "reason": "Mua khăn"}),
        "chi tiền điện 2tr ck": (
            "create_expense", {"amount": 2_000_000, "reason": "Tiền điện", "method": "transfer"},
        ),
        "lập phiếu chi 300k sửa máy lạnh": (
            "create_expense", {"amount": 300_000, "reason": "Sửa máy lạnh"},
        ),
        "xem phiếu chi hôm nay": ("list_expenses", {"period": "2026-11-25"}),
        "phiếu chi tháng này": ("list_expenses", {"period": "2026-11"}),
        "giao dịch chưa khớp": ("bank_reviews", {}),
        "ck chưa gán": ("bank_reviews", {}),
        # "chị" (with its mark) is a customer, whatever follows; a question writes nothing.
        "Chị Tiên ck 500k": ("record_payment", {"customer": "Tiên", "amount": 500_000,
                                                "method": "transfer"}),
        "chị Lan ck 1tr5": ("record_payment", {"customer": "Lan", "amount": 1_500_000,
                                               "method": "transfer"}),
    }  # fmt: skip
    for text, (intent, slots) in cases.items():
        got = parse(text, now=datetime(2026, 11, 25, 10, 0))
        assert (got.intent, got.slots) == (intent, slots), text
    assert parse("chi 500k mua khăn chưa?").intent == "list_expenses"
    assert guess_category("Tiền điện tháng 11") == "utilities"
    assert guess_category("Mua khăn") == "supplies"
    assert guess_category("Gửi xe") == "other"


async def test_front_desk_writes_a_payment_voucher_once(personas: dict[str, Actor]) -> None:
    desk = Chat(Engine(), personas["lt_q1"])
    before = await Voucher.filter(kind="payment").count()
    await desk.says("chi 500k mua khăn", "Phiếu chi (chưa lập): 500.000 ₫", "Mua khăn",
                    "Vật tư, hàng hóa", "Tiền mặt")  # fmt: skip
    assert await Voucher.filter(kind="payment").count() == before  # nothing until confirmed
    await desk.press("Đổi loại", "Chọn loại chi")
    await desk.press("Chi khác", "Phiếu chi (chưa lập)", "Loại: Chi khác")
    write = desk.button("Lập phiếu chi")
    first = "\n".join(r.text for r in await desk.send(payload=write.payload))
    assert "Đã lập phiếu chi PC2026-" in first and "500.000 ₫" in first
    again = "\n".join(r.text for r in await desk.send(payload=write.payload))
    assert "đã lập rồi" in again
    made = await Voucher.filter(kind="payment").order_by("-id").first()
    assert made is not None and made.number in first and made.number in again
    branch = await Branch.get(code="q1")
    assert (made.amount, made.name, made.category, made.method, made.site_branch_id) == (
        500_000, "Mua khăn", "other", "cash", branch.id,
    )  # fmt: skip
    assert made.created_by_id == personas["lt_q1"].user_id
    assert await Voucher.filter(kind="payment").count() == before + 1

    await desk.says("chi tiền điện 2tr ck", "2.000.000 ₫", "Điện, nước, internet", "Chuyển khoản")
    second = await desk.press("Lập phiếu chi", "Đã lập phiếu chi")
    power = await Voucher.get(kind="payment", name="Tiền điện", site_branch_id=branch.id)
    assert power.number in second and _seq(power.number) == _seq(made.number) + 1  # gapless
    # Asked for the missing parts, then written.
    await desk.says("lập phiếu chi 1tr2", "Chi cho việc gì")
    await desk.says("thay bóng đèn phòng 2", "1.200.000 ₫", "Thay bóng đèn phòng 2",
                    "Sửa chữa, bảo trì")  # fmt: skip
    await desk.press("Lập phiếu chi", "Đã lập phiếu chi")
    listed = await desk.says("xem phiếu chi hôm nay", "Phiếu chi 25/11", made.number,
                             power.number, "Thay bóng đèn phòng 2")  # fmt: skip
    assert "Điện, nước, internet 2.000.000 ₫" in listed

    # Another branch's front desk neither sees them nor is listed them.
    other = Chat(Engine(), personas["lt_hd"])
    theirs = await other.says("xem phiếu chi hôm nay")
    assert made.number not in theirs and power.number not in theirs


async def test_who_may_write_vouchers_and_bad_input(personas: dict[str, Actor]) -> None:
    before = await Voucher.filter(kind="payment").count()
    for login in ("st_q1a1", "ktv_q1"):
        chat = Chat(Engine(), personas[login])
        await chat.says("chi 500k mua khăn", "Chỉ lễ tân và quản lý")
    manager = Chat(Engine(), personas["bd_q1"])
    await manager.says("chi 1tr5k mua khăn", "chưa hợp lệ")
    await manager.says("chi 300k", "Chi cho việc gì")
    await manager.press("Hủy", "hủy")
    assert await Voucher.filter(kind="payment").count() == before
    await manager.says("chi 300k mua hoa", "300.000 ₫")
    await manager.press("Lập phiếu chi", "Đã lập phiếu chi")
    assert await Voucher.filter(kind="payment").count() == before + 1


async def test_concurrent_writes_of_one_draft_make_one_voucher(
    personas: dict[str, Actor],
) -> None:
    desk = personas["lt_gv"]
    before = await Voucher.filter(kind="payment").count()
    made = await asyncio.gather(*[
        write_expense(desk, reason="Mua nước", amount=120_000, idem_key="exp:kconcurrent")
        for _ in range(4)
    ])  # fmt: skip
    assert len({v.id for v in made}) == 1
    assert await Voucher.filter(kind="payment").count() == before + 1


async def test_unmatched_transfers_listed_for_the_branch(personas: dict[str, Actor]) -> None:
    seller, desk = personas["st_q1a1"], personas["lt_q1"]
    lead = await make_lead(seller)
    order = await create_order(seller, lead_id=lead.id,
                               items=[OrderItemSpec(package_id=await package_id("GOI04"))])  # fmt: skip
    out = await apply_bank_transfer(
        provider="casso", provider_id=str(next(_ids)), amount=9_900_000, note=order.number,
        account="0123456789", received_at=datetime(2026, 11, 25, 2, 0, tzinfo=UTC), raw={},
    )  # fmt: skip
    assert (out.status, out.reason) == ("review", "overpaid")
    chat = Chat(Engine(), desk)
    listed = await chat.says("giao dịch chưa khớp", "chưa khớp", "9.900.000 ₫", order.number)
    review = await BankReview.get(id=out.review_id)
    assert f"#{review.id}" in listed
    assert {f"ba:{review.id}", f"bi:{review.id}"} <= {b.payload for b in chat.buttons}
    # Another branch's front desk does not get it; a seller may not list reviews at all.
    other = await Chat(Engine(), personas["lt_hd"]).says("ck chưa gán")
    assert order.number not in other
    await Chat(Engine(), seller).says("giao dịch chưa khớp", "chỉ dành cho lễ tân và quản lý")
    # "Bỏ qua" from the list: it leaves the list, the order stays unpaid.
    await chat.send(payload=f"bi:{review.id}")
    assert (await BankReview.get(id=review.id)).status == "ignored"
    after = await chat.says("giao dịch chưa khớp")
    assert f"#{review.id} " not in after
    assert (await Order.get(id=order.id)).paid == 0


async def test_transfer_into_another_account_goes_to_review(
    personas: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPACRM_BANK_ACCOUNT", "0123 456 789")
    reset_settings()
    try:
        seller = personas["st_q1a1"]
        lead = await make_lead(seller)
        order = await create_order(seller, lead_id=lead.id,
                                   items=[OrderItemSpec(package_id=await package_id("GOI04"))])  # fmt: skip
        when = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
        for account, raw in (("9876543210", {}), ("", {})):
            out = await apply_bank_transfer(
                provider="sepay", provider_id=str(next(_ids)), amount=500_000, note=order.number,
                account=account, received_at=when, raw=raw,
            )  # fmt: skip
            assert (out.status, out.reason) == ("review", "other_account"), account
        assert (await Order.get(id=order.id)).paid == 0
        assert not await Voucher.filter(order_id=order.id).exists()
        listed = await Chat(Engine(), personas["lt_q1"]).says(
            "giao dịch chưa khớp", "không phải tài khoản nhận tiền của spa"
        )
        assert order.number not in listed or "500.000 ₫" in listed
        # Into the spa's account (a virtual account of it counts): applied.
        out = await apply_bank_transfer(
            provider="sepay", provider_id=str(next(_ids)), amount=500_000, note=order.number,
            account="VA001", received_at=when, raw={"accountNumber": "0123456789"},
        )  # fmt: skip
        assert out.status == "matched"
        assert (await Order.get(id=order.id)).paid == 500_000
    finally:
        monkeypatch.delenv("SPACRM_BANK_ACCOUNT")
        reset_settings()


async def test_course_technician_from_the_course_card(personas: dict[str, Actor]) -> None:
    from spacrm.core.models import Course, Lead
    from tests.conftest import new_phone

    seller = Chat(Engine(), personas["st_q1a1"])
    phone = new_phone()
    await seller.says(f"thêm khách chị Diệp {phone}", "Đã thêm khách")
    await seller.says(
        f"bán gói triệt nách 10 buổi cho chị Diệp {phone} 2tr5 ck", "Đã mở liệu trình"
    )
    lead = await Lead.get(phone=phone)
    course = await Course.get(lead_id=lead.id)
    await seller.says(f"liệu trình chị Diệp {phone}", "còn 10/10 buổi")
    offered = await seller.press("KTV ·", "cho KTV nào")
    assert "Phạm Thị Hoa" in {b.text for b in seller.buttons}  # ktv_q1, the course's branch
    assert "Đinh Thị Hồng" not in {b.text for b in seller.buttons}  # ktv_gv: another branch
    assert course.name in offered
    await seller.press("Phạm Thị Hoa", "Đã giao liệu trình", "Phạm Thị Hoa")
    assert (await Course.get(id=course.id)).technician_id == personas["ktv_q1"].user_id
    await seller.says(f"liệu trình chị Diệp {phone}", "KTV Phạm Thị Hoa")
    # The technician now has the course, and may not hand it on.
    from spacrm.core.services.courses import courses_of

    assert [c.id for c in await courses_of(personas["ktv_q1"], lead_id=lead.id)] == [course.id]
    tech = Chat(Engine(), personas["ktv_q1"])
    refused = await tech.send(payload=f"cg:{course.id}:0")
    assert "không có quyền" in refused[0].text
    assert (await Course.get(id=course.id)).technician_id == personas["ktv_q1"].user_id


async def test_orders_listed_by_status_and_period(personas: dict[str, Actor]) -> None:
    from spacrm.core.services.orders import cancel_order

    seller = personas["st_gva1"]
    lead = await make_lead(seller)
    owing = await create_order(seller, lead_id=lead.id,
                               items=[OrderItemSpec(package_id=await package_id("GOI04"))])  # fmt: skip
    dropped = await create_order(seller, lead_id=lead.id,
                                 items=[OrderItemSpec(package_id=await package_id("GOI04"))])  # fmt: skip
    await cancel_order(seller, order_id=dropped.id)
    desk = Chat(Engine(), personas["lt_gv"])
    unpaid = await desk.says("xem đơn chưa thanh toán", "Đơn còn phải thu", owing.number,
                             "còn 1.500.000 ₫")  # fmt: skip
    assert dropped.number not in unpaid
    assert f"oc:{owing.id}" in {b.payload for b in desk.buttons}
    cancelled = await desk.says("danh sách đơn đã hủy tháng này", "Đơn đã hủy", dropped.number)
    assert owing.number not in cancelled
    await desk.says("các đơn hàng tháng này", owing.number, dropped.number)
    # Another branch's front desk is not shown them; a customer named opens their orders.
    other = await Chat(Engine(), personas["lt_q1"]).says("xem đơn chưa thanh toán")
    assert owing.number not in other
    await desk.says(f"các đơn hàng của {lead.name} {lead.phone}", owing.number)
