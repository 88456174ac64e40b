"""Search in every list (#20): criteria combined with AND or OR, `%` wildcards, date and number
ranges, diacritics optional; always inside the actor's scope (core.permissions).

A criterion is a field, a value and (for dates and numbers) an upper bound. Text is compared in
its folded form (no diacritics, lower case) on both sides, so "nguyen" finds "Nguyễn" and
"Nguyễn" finds "nguyen". A value without `%` matches anywhere in the field; with `%` the value
is the whole pattern ("0903%" = starts with 0903). Dates accept 2026-03-08, 08/03/2026 or
08/03 (this year); either bound may be empty.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from typing import Any

from pypika_tortoise.terms import Term, ValueWrapper
from tortoise import connections
from tortoise.expressions import Q, ResolveContext
from tortoise.filters import Like
from tortoise.models import Model
from tortoise.query_utils import QueryModifier
from tortoise.queryset import QuerySet

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Account,
    CatalogItem,
    Complaint,
    Contact,
    Lead,
    Opportunity,
    Order,
    Voucher,
)
from spacrm.core.permissions import ops_scoped, scoped
from spacrm.core.stages import CONVERTED_STAGES, LEAD_STAGES, OPPORTUNITY_STAGES
from spacrm.core.textnorm import fold

MAX_CRITERIA = 10
MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """`kind`: text (folded LIKE), key (already folded column), digits (phones, codes), choice
    (exact code), number, date, datetime."""

    name: str
    column: str
    kind: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListSpec:
    kind: str
    fields: dict[str, FieldSpec]
    columns: tuple[str, ...]  # shown in the table and exported, in this order
    order: tuple[str, ...]  # the default order (newest first)
    base: Callable[[Actor], QuerySet[Any]]


def _fields(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}


def _text(name: str, column: str | None = None) -> FieldSpec:
    return FieldSpec(name, column or name, "text")


_LEAD_FIELDS = _fields(
    FieldSpec("name", "name_key", "key"),
    FieldSpec("phone", "phone", "digits"),
    _text("email"),
    _text("company"),
    _text("address"),
    _text("area"),
    _text("needs"),
    FieldSpec("source", "source", "key"),
    FieldSpec("stage", "stage", "choice", LEAD_STAGES),
    FieldSpec("tax_code", "tax_code", "digits"),
    FieldSpec("citizen_id", "citizen_id", "digits"),
    FieldSpec("potential_level", "potential_level", "key"),
    FieldSpec("value", "value", "number"),
    FieldSpec("owner_id", "owner_id", "id"),
    FieldSpec("created_at", "created_at", "datetime"),
)
_LEAD_COLUMNS = ("name", "phone", "email", "company", "source", "stage", "value", "created_at")

SPECS: dict[str, ListSpec] = {
    "leads": ListSpec(
        "leads", _LEAD_FIELDS, _LEAD_COLUMNS, ("-created_at", "-id"), lambda a: scoped(Lead, a)
    ),
    "customers": ListSpec(
        "customers",
        {**_LEAD_FIELDS, "code": FieldSpec("code", "id", "id")},
        ("code", *_LEAD_COLUMNS),
        ("-created_at", "-id"),
        lambda a: scoped(Lead, a).filter(stage__in=CONVERTED_STAGES),
    ),
    "accounts": ListSpec(
        "accounts",
        _fields(
            FieldSpec("name", "name_key", "key"),
            FieldSpec("phone", "phone", "digits"),
            _text("email"),
            FieldSpec("tax_code", "tax_code", "digits"),
            _text("address"),
            _text("description"),
            FieldSpec("created_at", "created_at", "datetime"),
        ),
        ("name", "phone", "email", "tax_code", "address", "created_at"),
        ("-created_at", "-id"),
        lambda a: scoped(Account, a),
    ),
    "contacts": ListSpec(
        "contacts",
        _fields(
            FieldSpec("name", "name_key", "key"),
            FieldSpec("phone", "phone", "digits"),
            _text("email"),
            _text("company"),
            _text("department"),
            _text("title"),
            _text("address"),
            _text("description"),
            FieldSpec("citizen_id", "citizen_id", "digits"),
            FieldSpec("created_at", "created_at", "datetime"),
        ),
        ("name", "phone", "email", "company", "department", "created_at"),
        ("-created_at", "-id"),
        lambda a: scoped(Contact, a),
    ),
    "deals": ListSpec(
        "deals",
        _fields(
            _text("name"),
            FieldSpec("stage", "stage", "choice", tuple(OPPORTUNITY_STAGES)),
            FieldSpec("amount", "amount", "number"),
            _text("campaign"),
            _text("description"),
            FieldSpec("close_date", "close_date", "date"),
            FieldSpec("created_at", "created_at", "datetime"),
        ),
        ("name", "stage", "amount", "close_date", "created_at"),
        ("-created_at", "-id"),
        lambda a: scoped(Opportunity, a),
    ),
    "orders": ListSpec(
        "orders",
        _fields(
            FieldSpec("number", "number", "digits"),
            _text("customer_name"),
            FieldSpec("customer_phone", "customer_phone", "digits"),
            FieldSpec("status", "status", "choice", ("confirmed", "paid", "cancelled")),
            FieldSpec("total", "total", "number"),
            _text("note"),
            FieldSpec("order_date", "order_date", "date"),
        ),
        ("number", "order_date", "customer_name", "customer_phone", "status", "total"),
        ("-order_date", "-id"),
        lambda a: ops_scoped(Order, a),
    ),
    "vouchers": ListSpec(
        "vouchers",
        _fields(
            FieldSpec("number", "number", "digits"),
            _text("name"),
            FieldSpec("kind", "kind", "key"),
            FieldSpec("amount", "amount", "number"),
            FieldSpec("status", "status", "key"),
            _text("note"),
            FieldSpec("voucher_date", "voucher_date", "date"),
        ),
        ("number", "voucher_date", "kind", "name", "amount", "status"),
        ("-voucher_date", "-id"),
        lambda a: ops_scoped(Voucher, a),
    ),
    "cases": ListSpec(
        "cases",
        _fields(
            _text("title"),
            _text("description"),
            FieldSpec("status", "status", "choice", ("new", "in_progress", "resolved", "closed")),
            _text("resolution"),
            FieldSpec("created_at", "created_at", "datetime"),
        ),
        ("title", "status", "created_at"),
        ("-created_at", "-id"),
        lambda a: scoped(Complaint, a),
    ),
    "products": ListSpec(
        "products",
        _fields(
            FieldSpec("code", "code", "digits"),
            FieldSpec("name", "name_key", "key"),
            FieldSpec("kind", "kind", "choice", ("service", "goods", "consumable")),
            _text("category"),
            _text("description"),
            FieldSpec("price", "price", "number"),
            FieldSpec("created_at", "created_at", "datetime"),
        ),
        ("code", "name", "kind", "category", "price"),
        ("name_key", "id"),
        # The catalogue is the whole spa's price list: everyone who sells may read it.
        lambda a: CatalogItem.all(),
    ),
}


@dataclass(frozen=True, slots=True)
class Criterion:
    field: str
    value: str
    until: str = ""  # the upper bound of a date or number range


@dataclass(frozen=True, slots=True)
class Search:
    criteria: tuple[Criterion, ...] = ()
    any: bool = False  # False: every criterion must hold (AND); True: at least one (OR)


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Any]
    total: int
    spec: ListSpec = field(repr=False)


def spec_for(kind: str) -> ListSpec:
    spec = SPECS.get(kind)
    if spec is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    return spec


# --- folding in SQL ----------------------------------------------------------------------------


def _fold_map() -> tuple[str, str]:
    """The letters PostgreSQL's translate() must fold: every Latin letter with marks (and đ)."""
    src, dst = [], []
    for code in range(0xC0, 0x1F00):
        ch = chr(code)
        folded = fold(ch)
        if ch != folded and len(folded) == 1 and folded.isascii() and folded.isalpha():
            if ch == ch.lower():
                src.append(ch)
                dst.append(folded)
    return "".join(src), "".join(dst)


_PG_FROM, _PG_TO = _fold_map()


class _Folded(Term):
    """fold(column) in SQL: a registered function on SQLite (sqlite_backend), translate on PG."""

    def __init__(self, column: Term, sqlite: bool) -> None:
        super().__init__()
        self.column = column
        self.sqlite = sqlite

    def get_sql(self, ctx: Any) -> str:
        inner = self.column.get_sql(ctx)
        if self.sqlite:
            return f"spacrm_fold({inner})"
        return f"translate(lower({inner}), '{_PG_FROM}', '{_PG_TO}')"


class _LikeQ(Q):
    """`column LIKE pattern` with the pattern as a bound parameter (Tortoise's own filters escape
    every `%`, and the user's `%` is a wildcard here)."""

    def __init__(self, column: str, pattern: str, *, folded: bool) -> None:
        super().__init__()
        self.column = column
        self.pattern = pattern
        self.folded = folded

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        term: Term = resolve_context.table[self.column]
        if self.folded:
            dialect = connections.get("default").capabilities.dialect
            term = _Folded(term, dialect == "sqlite")
        return QueryModifier(where_criterion=Like(term, ValueWrapper(self.pattern)))


def like_pattern(value: str) -> str:
    """The user's text as a LIKE pattern: `%` stays a wildcard, `_` and `\\` are literal, and a
    value without `%` matches anywhere."""
    escaped = value.replace("\\", "\\\\").replace("_", "\\_")
    return escaped if "%" in value else f"%{escaped}%"


# --- values -------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?$")


def parse_day(raw: str) -> date:
    text = raw.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = _DMY.match(text)
    if found is not None:
        day, month, year = found.groups()
        full = clock.today().year if year is None else int(year)
        if full < 100:
            full += 2000
        try:
            return date(full, int(month), int(day))
        except ValueError:
            pass
    raise DomainError(ErrorCode.INVALID_VALUE, field="date", value=raw[:30])


def parse_number(raw: str) -> int:
    """Whole numbers with thousands separators; "5tr" / "500k" as in chat."""
    text = fold(raw).replace(" ", "")
    scale = 1
    for suffix, factor in (("trieu", 1_000_000), ("tr", 1_000_000), ("k", 1000), ("d", 1)):
        if text.endswith(suffix):
            text, scale = text.removesuffix(suffix), factor
            break
    digits = text.replace(".", "").replace(",", "")
    if not digits.isdigit() or len(digits) > 15:
        raise DomainError(ErrorCode.INVALID_VALUE, field="number", value=raw[:30])
    return int(digits) * scale


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.TZ)


def _condition(spec: FieldSpec, crit: Criterion) -> Q | None:
    value, until = crit.value.strip(), crit.until.strip()
    if not value and not until:
        return None
    if spec.kind in ("date", "datetime", "number"):
        conds: dict[str, Any] = {}
        parse: Callable[[str], Any] = parse_number if spec.kind == "number" else parse_day
        low = parse(value) if value else None
        high = parse(until) if until else None
        if low is not None and high is not None and high < low:
            low, high = high, low  # "31/03 – 01/03" means the same month
        if spec.kind == "datetime":
            if low is not None:
                conds[f"{spec.column}__gte"] = _start(low)
            if high is not None:
                conds[f"{spec.column}__lt"] = _start(high + timedelta(days=1))
        else:
            if low is not None:
                conds[f"{spec.column}__gte"] = low
            if high is not None:
                conds[f"{spec.column}__lte"] = high
        return Q(**conds)
    if spec.kind == "choice":
        if value not in spec.choices:
            raise DomainError(ErrorCode.INVALID_VALUE, field=spec.name, value=value[:30])
        return Q(**{spec.column: value})
    if spec.kind == "id":
        if not (value.isascii() and value.isdigit() and len(value) <= 10):
            raise DomainError(ErrorCode.INVALID_VALUE, field=spec.name, value=value[:30])
        return Q(**{spec.column: int(value)})  # type: ignore[arg-type]
    if spec.kind == "digits":
        # Phones and codes are stored without spaces or dots ("0903 123 456" → 0903123456).
        compact = re.sub(r"[\s.]", "", value).lower()
        return _LikeQ(spec.column, like_pattern(compact), folded=False)
    if spec.kind == "key":  # the column already holds fold(value)
        return _LikeQ(spec.column, like_pattern(fold(value)), folded=False)
    return _LikeQ(spec.column, like_pattern(fold(value)), folded=True)


def where(spec: ListSpec, search: Search) -> Q | None:
    if len(search.criteria) > MAX_CRITERIA:
        raise DomainError(
            ErrorCode.INVALID_VALUE, field="criteria", value=str(len(search.criteria))
        )
    conds = []
    for crit in search.criteria:
        fspec = spec.fields.get(crit.field)
        if fspec is None:
            raise DomainError(ErrorCode.INVALID_VALUE, field="field", value=crit.field[:30])
        cond = _condition(fspec, crit)
        if cond is not None:
            conds.append(cond)
    if not conds:
        return None
    return reduce(operator.or_ if search.any else operator.and_, conds)


def searched(actor: Actor, kind: str, search: Search) -> QuerySet[Any]:
    """The actor's records of list `kind` that match `search` (in the default order)."""
    spec = spec_for(kind)
    qs = spec.base(actor)
    cond = where(spec, search)
    if cond is not None:
        qs = qs.filter(cond)
    return qs.order_by(*spec.order)


async def search_list(
    actor: Actor, kind: str, search: Search, *, offset: int = 0, limit: int = 50
) -> Page:
    spec = spec_for(kind)
    qs = searched(actor, kind, search)
    limit = max(1, min(limit, MAX_PAGE))
    rows = await qs.offset(max(0, offset)).limit(limit)
    total = await qs.count()
    return Page(list(rows), total, spec)


def cell(record: Model, column: str) -> Any:
    """The value a list shows (and exports) for one column."""
    if column == "code":
        value = getattr(record, "code", None)
        return value if value is not None else record.pk
    return getattr(record, column, None)


def parse_search(pairs: list[tuple[str, str, str]], mode: str) -> Search:
    """From a form or URL: (field, value, until) rows and "all" / "any"."""
    criteria = tuple(Criterion(f, v, u) for f, v, u in pairs if f and (v.strip() or u.strip()))
    return Search(criteria, any=mode == "any")
