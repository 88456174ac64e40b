"""Bank transfers (SePay/Casso, parsed by the adapters) become receipts or review rows."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    BankReview,
    BankTransfer,
    ChannelIdentity,
    Order,
    OutboxMessage,
    Voucher,
)
from spacrm.core.services.bank_transfers import (
    apply_bank_transfer,
    find_codes,
    list_reviews,
    resolve_review,
)
from spacrm.core.services.orders import OrderItemSpec, cancel_order, create_order
from tests.sales.conftest import item_id, make_lead, package_id

_ids = iter(range(10_000, 99_999))


async def _transfer(amount: int, note: str, provider_id: str | None = None) -> object:
    return await apply_bank_transfer(
        provider="sepay", provider_id=provider_id or str(next(_ids)), amount=amount, note=note,
        account="0123456789", received_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
        raw={"content": note},
    )  # fmt: skip


def test_codes_in_bank_notes() -> None:
    assert find_codes("HD2026-000123") == ["HD2026000123"]
    assert find_codes("MBVCB.3278907687.HD2026 000123.CT tu 0011 NGUYEN THI LAN") == [
        "HD2026000123"
    ]
    assert find_codes("IBFT hd2026-123 chuyen tien") == ["HD2026000123"]
    assert find_codes("HD2026000123") == ["HD2026000123"]
    assert find_codes("thanh toán hđ2026_000045") == ["HD2026000045"]  # typed with đ
    assert find_codes("HD2026000001 HD2026000002") == ["HD2026000001", "HD2026000002"]
    assert find_codes("HD2026000001 va HD2026-1") == ["HD2026000001"]
    assert find_codes("SHD2026000001 chuyen khoan") == []
    assert find_codes("HD20260001234") == []  # seven digits: not one of ours
    assert find_codes("chuyen tien an trua") == []


async def test_transfer_pays_order_once_even_if_delivered_five_times(
    personas: dict[str, Actor],
) -> None:
    staff = personas["st_q1a1"]
    await ChannelIdentity.get_or_create(
        channel="telegram",
        external_id="9001",
        defaults={"user_id": staff.user_id, "chat_id": "9001"},
    )
    lead = await make_lead(staff)
    order = await create_order(staff, lead_id=lead.id,
                               items=[OrderItemSpec(package_id=await package_id("GOI04"))])  # fmt: skip
    note = f"MBVCB.111.{order.number.replace('-', ' ')} NGUYEN VAN A chuyen khoan"
    results = await asyncio.gather(*[_transfer(1_500_000, note, "tx-five") for _ in range(5)])
    statuses = sorted(r.status for r in results)  # type: ignore[attr-defined]
    assert statuses == ["duplicate"] * 4 + ["matched"]
    assert await BankTransfer.filter(provider="sepay", provider_id="tx-five").count() == 1
    assert await Voucher.filter(order_id=order.id).count() == 1
    assert (await Order.get(id=order.id)).status == "paid"
    told = await OutboxMessage.filter(chat_id="9001").order_by("-id").first()
    assert told is not None and "Đã nhận 1.500.000 ₫ cho " + order.number in told.payload["text"]


async def test_unmatched_transfers_go_to_review(personas: dict[str, Actor]) -> None:
    staff, desk = personas["st_gva1"], personas["lt_gv"]
    lead = await make_lead(staff)
    order = await create_order(staff, lead_id=lead.id,
                               items=[OrderItemSpec(item_id=await item_id("SP05"))])  # fmt: skip
    other = await create_order(staff, lead_id=lead.id,
                               items=[OrderItemSpec(item_id=await item_id("SP07"))])  # fmt: skip
    cases = [
        (320_000, "chuyen tien", "no_code"),
        (320_000, f"{order.number} {other.number}", "two_codes"),
        (320_000, "HD2026-999999", "unknown_order"),
        (999_000, order.number, "overpaid"),
    ]
    for amount, note, reason in cases:
        out = await _transfer(amount, note)
        assert (out.status, out.reason) == ("review", reason), note  # type: ignore[attr-defined]
    await cancel_order(staff, order_id=other.id)
    out = await _transfer(280_000, other.number)
    assert (out.status, out.reason) == ("review", "cancelled")  # type: ignore[attr-defined]
    assert await Voucher.filter(order_id__in=[order.id, other.id]).count() == 0
    assert await _transfer(-50_000, order.number) is not None
    # The branch's front desk sees the reviews with an order of their branch; assigns one.
    mine = await list_reviews(desk)
    reasons = {r.reason for r in mine}
    assert {"overpaid", "cancelled"} <= reasons and "no_code" not in reasons
    assert not [r for r in await list_reviews(personas["lt_q1"]) if r.order_id == order.id]
    overpaid = next(r for r in mine if r.reason == "overpaid")
    with pytest.raises(DomainError) as err:
        await resolve_review(desk, review_id=overpaid.id, order_number=order.number)
    assert err.value.code == ErrorCode.OVERPAYMENT
    cancelled = next(r for r in mine if r.reason == "cancelled")
    done = await resolve_review(desk, review_id=cancelled.id, ignore=True)
    assert done.status == "ignored"
    no_code = next(r for r in await list_reviews(personas["ceo"]) if r.reason == "no_code")
    assigned = await resolve_review(
        personas["ceo"], review_id=no_code.id, order_number=order.number
    )
    assert assigned.status == "assigned"
    assert (await Order.get(id=order.id)).status == "paid"
    with pytest.raises(DomainError) as err:
        await resolve_review(personas["ceo"], review_id=no_code.id, ignore=True)
    assert err.value.code == ErrorCode.ALREADY_DONE
    assert await BankReview.filter(id=no_code.id, status="assigned").exists()
