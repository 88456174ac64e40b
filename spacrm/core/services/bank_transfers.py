"""Bank transfers reported by a bank webhook (SePay, Casso): match the order code in the note,
record the receipt, or put the transfer on the branch's review list.

Deduplication is the unique index on (provider, provider_id): a repeated or concurrent delivery
fails to insert and is answered as a duplicate, so no receipt is written twice. The order row is
locked while its receipt is written (protocols/payments.md §2.4).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor, Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import BankReview, BankTransfer, Order, User
from spacrm.core.ports import ports
from spacrm.core.services import outbox
from spacrm.core.services.channels import staff_route
from spacrm.core.services.numbering import vnd
from spacrm.core.services.vouchers import apply_receipt
from spacrm.core.settings import get_settings
from spacrm.core.textnorm import strip_marks

log = logging.getLogger(__name__)

NOTE_CHARS = 200
REVIEW_REASONS = (
    "no_code", "two_codes", "unknown_order", "cancelled", "paid", "overpaid", "other_account",
)  # fmt: skip
# Where providers put the receiving account (SePay main / virtual, Casso v2, Casso v1).
_ACCOUNT_FIELDS = ("accountNumber", "subAccount", "virtualAccountNumber", "bank_sub_acc_id",
                   "subAccId")  # fmt: skip


@dataclass(frozen=True, slots=True)
class TransferOutcome:
    status: str  # matched review duplicate ignored
    order_number: str | None = None
    voucher_number: str | None = None
    became_paid: bool = False
    reason: str | None = None  # for review: one of REVIEW_REASONS
    review_id: int | None = None


def _code_pattern() -> re.Pattern[str]:
    prefix = re.escape(get_settings().order_prefix)
    # Banks add prefixes, change case and drop or add separators: "MBVCB.123.HD2026 000123",
    # "hd2026-123". A letter right before the prefix means another word, not our code.
    return re.compile(rf"(?<![A-Z]){prefix}[\s\-_.]*(20\d\d)[\s\-_.]*(\d{{1,6}})(?!\d)")


def find_codes(note: str) -> list[str]:
    """The distinct order codes in a note, as stored (`Order.code`: "HD2026000123")."""
    prefix = get_settings().order_prefix
    text = strip_marks(note or "").upper()
    codes: list[str] = []
    for year, seq in _code_pattern().findall(text):
        code = f"{prefix}{year}{int(seq):06d}"
        if int(seq) > 0 and code not in codes:
            codes.append(code)
    return codes


async def apply_bank_transfer(
    *,
    provider: str,
    provider_id: str,
    amount: int,
    note: str,
    account: str,
    received_at: datetime,
    raw: dict[str, Any],
) -> TransferOutcome:
    """Apply one credited transfer (amount > 0); anything else is ignored."""
    if amount <= 0:
        return TransferOutcome("ignored")
    try:
        async with in_transaction():
            transfer = await BankTransfer.create(
                provider=provider, provider_id=str(provider_id), amount=amount,
                note=(note or "")[:2000], account=account or "", received_at=received_at,
                payload=raw, status="review",
            )  # fmt: skip
            return await _match(transfer)
    except IntegrityError:
        if await BankTransfer.filter(provider=provider, provider_id=str(provider_id)).exists():
            return TransferOutcome("duplicate")
        raise


def _digits(value: object) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def ours(account: str, raw: dict[str, Any]) -> bool:
    """Whether the money came into the spa's account (`SPACRM_BANK_ACCOUNT`). A provider may
    watch several accounts of its user: a credit to another one (or to an unnamed one) is no
    payment to the spa. Without the setting there is nothing to check against."""
    expected = _digits(get_settings().bank_account)
    if not expected:
        return True
    named = (
        [account, *(raw.get(k) for k in _ACCOUNT_FIELDS)] if isinstance(raw, dict) else [account]
    )
    return any(_digits(a) == expected for a in named if a)


async def _match(transfer: BankTransfer) -> TransferOutcome:
    codes = find_codes(transfer.note)
    if not ours(transfer.account, transfer.payload):
        log.warning(
            "bank transfer %s/%s went to account %r, not the spa's: sent to review",
            transfer.provider, transfer.provider_id, transfer.account,
        )  # fmt: skip
        # The order the note names (looked at, not locked or paid) tells whose branch reviews it.
        named = await Order.get_or_none(code=codes[0]) if len(codes) == 1 else None
        return await _review(transfer, "other_account", named)
    if len(codes) != 1:
        return await _review(transfer, "no_code" if not codes else "two_codes", None)
    order = await Order.filter(code=codes[0]).select_for_update().first()
    if order is None:
        return await _review(transfer, "unknown_order", None)
    reason = None
    if order.status == "cancelled":
        reason = "cancelled"
    elif order.total - order.paid <= 0:
        reason = "paid"
    elif transfer.amount > order.total - order.paid:
        reason = "overpaid"
    if reason:
        return await _review(transfer, reason, order)
    payment = await apply_receipt(
        order, amount=transfer.amount, method="transfer", by_user=order.created_by_id,
        idem_key=f"bank:{transfer.id}", note=transfer.note[:NOTE_CHARS],
    )  # fmt: skip
    transfer.status, transfer.order_id, transfer.voucher_id = (
        "matched",
        order.id,
        payment.voucher.id,
    )
    await transfer.save(update_fields=["status", "order_id", "voucher_id"])
    await _tell(
        {order.created_by_id, order.owner_id},
        "bank.received_paid" if payment.became_paid else "bank.received_part",
        {"amount": vnd(transfer.amount), "number": order.number},
        [("btn.order", f"oc:{order.id}")],
    )  # fmt: skip
    return TransferOutcome("matched", order.number, payment.voucher.number, payment.became_paid)


async def _review(transfer: BankTransfer, reason: str, order: Order | None) -> TransferOutcome:
    review = await BankReview.create(
        transfer_id=transfer.id, reason=reason, order_id=order.id if order else None,
        branch_id=order.site_branch_id if order else await _only_branch(),
    )  # fmt: skip
    await _tell(
        set(await reviewers(review.branch_id)), f"bank.review.{reason}",
        {"amount": vnd(transfer.amount), "note": transfer.note[:NOTE_CHARS],
         "number": order.number if order else ""},
        [("btn.bank_assign", f"ba:{review.id}"), ("btn.bank_ignore", f"bi:{review.id}")],
    )  # fmt: skip
    return TransferOutcome(
        "review", order.number if order else None, reason=reason, review_id=review.id
    )


async def _only_branch() -> int | None:
    """A spa with one branch: a transfer that names no order is still that branch's to look at."""
    from spacrm.core.models import Branch

    rows = await Branch.all().limit(2).only("id")
    return rows[0].id if len(rows) == 1 else None


async def reviewers(branch_id: int | None) -> list[int]:
    """Who looks at an unmatched transfer: the branch's front desk and managers (no branch
    known: the board)."""
    users = User.filter(active=True)
    if branch_id is None:
        return [u.id for u in await users.filter(role__in=[Role.BOARD, Role.ADMIN])]
    rows = await users.filter(branch_id=branch_id)
    ids = [u.id for u in rows if u.is_front_desk or u.role != Role.STAFF]
    from spacrm.core.models import Branch

    branch = await Branch.get_or_none(id=branch_id)
    if branch is not None and branch.director_id and branch.director_id not in ids:
        ids.append(branch.director_id)
    return ids


async def _tell(
    user_ids: set[int], key: str, params: dict[str, Any], buttons: list[tuple[str, str]]
) -> None:
    """Queue a chat notice to each user (in the caller's transaction)."""
    translate = ports.translate
    if translate is None:
        return
    for user_id in sorted(user_ids):
        route = await staff_route(user_id)
        user = await User.get_or_none(id=user_id)
        if route is None or user is None:
            continue
        lang = user.lang
        text = translate(lang, key, **params)
        rows = [[[translate(lang, label), payload] for label, payload in buttons]]
        await outbox.enqueue(route[0], route[1], {"text": text, "buttons": rows})


async def _can_review(actor: Actor, review: BankReview) -> bool:
    if actor.sees_all:
        return True
    if review.branch_id is None:
        return False
    if actor.role == Role.REGION:
        from spacrm.core.models import Branch

        branch = await Branch.get_or_none(id=review.branch_id)
        return branch is not None and branch.region_id == actor.region_id
    if actor.role == Role.BRANCH_DIRECTOR:
        return review.branch_id in actor.branch_ids
    return (actor.is_front_desk or actor.role == Role.TEAM_LEAD) and (
        review.branch_id == actor.home_branch_id
    )


async def _review_branches(actor: Actor) -> list[int] | None:
    """The branches whose reviews the actor sees (None: all, with those of no branch); the same
    rule as _can_review, as a query."""
    if actor.sees_all:
        return None
    if actor.role == Role.REGION:
        from spacrm.core.models import Branch

        return [b.id for b in await Branch.filter(region_id=actor.region_id).only("id")]
    if actor.role == Role.BRANCH_DIRECTOR:
        return list(actor.branch_ids)
    if (actor.is_front_desk or actor.role == Role.TEAM_LEAD) and actor.home_branch_id:
        return [actor.home_branch_id]
    return []


async def list_reviews(actor: Actor, *, status: str = "open", limit: int = 20) -> list[BankReview]:
    branches = await _review_branches(actor)
    rows = BankReview.filter(status=status)
    if branches is not None:
        rows = rows.filter(branch_id__in=branches or [0])
    return list(await rows.order_by("-id").limit(limit))


@dataclass(frozen=True, slots=True)
class ReviewRow:
    review: BankReview
    transfer: BankTransfer
    order_number: str | None  # the order the note named, if any


async def list_review_rows(
    actor: Actor, *, status: str = "open", limit: int = 20
) -> list[ReviewRow]:
    """The reviews with their transfers and order numbers, newest first (chat and CLI)."""
    reviews = await list_reviews(actor, status=status, limit=limit)
    transfers = {
        t.id: t for t in await BankTransfer.filter(id__in=[r.transfer_id for r in reviews] or [0])
    }
    order_ids = [r.order_id for r in reviews if r.order_id]
    numbers = dict(await Order.filter(id__in=order_ids or [0]).values_list("id", "number"))
    return [
        ReviewRow(r, transfers[r.transfer_id], numbers.get(r.order_id) if r.order_id else None)
        for r in reviews
        if r.transfer_id in transfers
    ]


async def get_review(actor: Actor, review_id: int) -> tuple[BankReview, BankTransfer]:
    review = await BankReview.get_or_none(id=review_id)
    if review is None or not await _can_review(actor, review):
        raise DomainError(ErrorCode.NOT_FOUND)
    return review, await BankTransfer.get(id=review.transfer_id)


async def resolve_review(
    actor: Actor, *, review_id: int, order_number: str | None = None, ignore: bool = False
) -> BankReview:
    """Assign the transfer to an order (a transfer receipt is written) or ignore it."""
    from spacrm.core.services.orders import get_order

    async with in_transaction():
        review = await BankReview.filter(id=review_id).select_for_update().first()
        if review is None or not await _can_review(actor, review):
            raise DomainError(ErrorCode.NOT_FOUND)
        if review.status != "open":
            raise DomainError(ErrorCode.ALREADY_DONE, number=f"#{review.id}")
        transfer = await BankTransfer.get(id=review.transfer_id)
        if not ignore:
            if not order_number:
                raise DomainError(ErrorCode.NOT_FOUND)
            found = await get_order(actor, number=order_number)
            order = await Order.filter(id=found.id).select_for_update().get()
            payment = await apply_receipt(
                order, amount=transfer.amount, method="transfer", by_user=actor.user_id,
                idem_key=f"bank:{transfer.id}", note=transfer.note[:NOTE_CHARS],
            )  # fmt: skip
            review.order_id, review.voucher_id = order.id, payment.voucher.id
            transfer.status, transfer.order_id = "matched", order.id
            transfer.voucher_id = payment.voucher.id
            await transfer.save(update_fields=["status", "order_id", "voucher_id"])
        review.status = "ignored" if ignore else "assigned"
        review.resolved_by_id, review.resolved_at = actor.user_id, clock.now()
        await review.save()
    return review
