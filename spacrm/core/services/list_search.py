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
from datetime import UTC, date, datetime, time, timedelta
from functools import reduce
from typing import Any

from pypika_tortoise.enums import Matching
from pypika_tortoise.terms import BasicCriterion, Term, ValueWrapper
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
from spacrm.core.services.lead_fields import parse_number as parse_number
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
# PostgreSQL folds the column with translate(lower(…)) in C. SQLite has no such function (its
# lower() only knows ASCII) and a Python function per row is too slow at 100k rows, so there the
# folded pattern is turned into a GLOB whose every letter is the class of all its spellings
# ("a" → [aAàÀáÁ…]): the column is matched as stored, in C, diacritics and case ignored.


def _variants() -> dict[str, str]:
    """Folded letter → every character that folds to it (both cases)."""
    out: dict[str, list[str]] = {}
    for code in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xC0, 0x1F00)):
        ch = chr(code)
        folded = fold(ch)
        if len(folded) == 1 and folded.isascii() and folded.isalpha():
            out.setdefault(folded, []).append(ch)
    return {k: "".join(v) for k, v in out.items()}


_VARIANTS = _variants()
_PG_FROM = "".join(ch for k, v in _VARIANTS.items() for ch in v if ch == ch.lower() and ch != k)
_PG_TO = "".join(k for k, v in _VARIANTS.items() for ch in v if ch == ch.lower() and ch != k)


# The letters written with marks in Vietnamese (the GLOB classes stay short: SQLite scans a class
# character by character, and a class of every Latin variant made matching three times slower).
_VI_MARKED = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵdđ"


def _vi_classes() -> dict[str, str]:
    out: dict[str, str] = {}
    for ch in _VI_MARKED:
        out[fold(ch)] = out.get(fold(ch), "") + ch
    return {k: v + v.upper() for k, v in out.items()}


_VI_CLASSES = _vi_classes()


def glob_pattern(folded: str, *, anywhere: bool) -> str:
    """A SQLite GLOB for a folded LIKE-style text: `%` → `*`, a letter → the class of its
    spellings ("e" → [eèé…EÈÉ…], "n" → [nN]), GLOB's own special characters matched literally."""
    parts = []
    for ch in folded:
        if ch == "%":
            parts.append("*")
        elif ch in _VI_CLASSES:
            parts.append(f"[{_VI_CLASSES[ch]}]")
        elif ch.isalpha() and ch.isascii():
            parts.append(f"[{ch}{ch.upper()}]")
        elif ch in "*?[]":
            parts.append(f"[{ch}]")
        else:
            parts.append(ch)
    body = "".join(parts)
    return f"*{body}*" if anywhere else body


def like_skeleton(folded: str, *, anywhere: bool) -> str:
    """A cheap LIKE that every GLOB match also matches: a letter that may carry marks becomes
    "_" (one character), the rest stays (SQLite's LIKE ignores ASCII case). Rows it rejects
    never reach the slower GLOB."""
    parts = []
    for ch in folded:
        if ch in _VI_CLASSES:
            parts.append("_")
        elif ch in "_\\":
            parts.append("\\" + ch)
        else:
            parts.append(ch)
    body = "".join(parts)
    return f"%{body}%" if anywhere else body


class _Raw(Term):
    """A column as SQL with a prefix: "+" keeps SQLite from a poor index choice (below)."""

    def __init__(self, column: Term, template: str) -> None:
        super().__init__()
        self.column = column
        self.template = template

    def get_sql(self, ctx: Any) -> str:
        return self.template.format(self.column.get_sql(ctx))


def _sqlite() -> bool:
    return bool(connections.get("default").capabilities.dialect == "sqlite")


class _TextQ(Q):
    """A text criterion on one column, the user's `%` being a wildcard (Tortoise's own filters
    escape every `%`). `folded`: compare fold(column) (diacritics and case ignored); otherwise the
    column already holds folded text (name_key) or digits."""

    def __init__(self, column: str, value: str, *, folded: bool) -> None:
        super().__init__()
        self.column, self.value, self.folded = column, value, folded

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        term: Term = resolve_context.table[self.column]
        if not self.folded:
            return QueryModifier(where_criterion=Like(term, ValueWrapper(like_pattern(self.value))))
        if _sqlite():
            anywhere = "%" not in self.value
            cheap = Like(term, ValueWrapper(like_skeleton(self.value, anywhere=anywhere)))
            glob = BasicCriterion(
                Matching.glob, term, ValueWrapper(glob_pattern(self.value, anywhere=anywhere))
            )
            return QueryModifier(where_criterion=cheap & glob)
        folded = _Raw(term, f"translate(lower({{}}), '{_PG_FROM}', '{_PG_TO}')")
        return QueryModifier(where_criterion=Like(folded, ValueWrapper(like_pattern(self.value))))


class _RangeQ(Q):
    """`low <= column < high` (or `<= high` with `inclusive`). With `scan`, SQLite reads the
    column without its index ("+column"): a range of months or of values holds most rows, and
    walking the index for each of them is ten times slower than a scan; ORDER BY still uses it."""

    def __init__(
        self, column: str, low: Any, high: Any, *, inclusive: bool = False, scan: bool = True
    ) -> None:
        super().__init__()
        self.column, self.low, self.high = column, low, high
        self.inclusive, self.scan = inclusive, scan

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        term: Term = resolve_context.table[self.column]
        sqlite = _sqlite()
        if sqlite and self.scan:
            term = _Raw(term, "+{}")

        def value(v: Any) -> Any:  # SQLite stores datetimes as ISO text in UTC (use_tz), dates ISO
            if sqlite and isinstance(v, datetime):
                return v.astimezone(UTC).isoformat()
            return v.isoformat() if sqlite and isinstance(v, date) else v

        conds = []
        if self.low is not None:
            conds.append(term >= ValueWrapper(value(self.low)))
        if self.high is not None:
            high = ValueWrapper(value(self.high))
            conds.append(term <= high if self.inclusive else term < high)
        return QueryModifier(where_criterion=reduce(operator.and_, conds))


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


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.TZ)


@dataclass(frozen=True, slots=True)
class _Range:
    """How a range field reads its bounds: `parse` a typed value, then the SQL bounds."""

    parse: Callable[[str], Any]
    low: Callable[[Any], Any] = lambda v: v
    high: Callable[[Any], Any] = lambda v: v
    inclusive: bool = True  # `column <= high` (else `< high`)
    scan: bool = True  # SQLite reads the column without its index (_RangeQ)


# A day range on a timestamp is [first day 00:00, day after the last 00:00) in the spa's zone;
# plain dates keep their index (their lists are ordered by them).
_RANGES = {
    "number": _Range(parse_number),
    "datetime": _Range(
        parse_day, _start, lambda day: _start(day + timedelta(days=1)), inclusive=False
    ),
    "date": _Range(parse_day, scan=False),
}


def _range(spec: FieldSpec, value: str, until: str) -> Q:
    how = _RANGES[spec.kind]
    low = how.parse(value) if value else None
    high = how.parse(until) if until else None
    if low is not None and high is not None and high < low:
        low, high = high, low  # "31/03 – 01/03" means the same month
    return _RangeQ(
        spec.column,
        how.low(low) if low is not None else None,
        how.high(high) if high is not None else None,
        inclusive=how.inclusive,
        scan=how.scan,
    )


def _choice(spec: FieldSpec, value: str, until: str) -> Q:
    if value not in spec.choices:
        raise DomainError(ErrorCode.INVALID_VALUE, field=spec.name, value=value[:30])
    return Q(**{spec.column: value})


def _record_id(spec: FieldSpec, value: str, until: str) -> Q:
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        raise DomainError(ErrorCode.INVALID_VALUE, field=spec.name, value=value[:30])
    return Q(**{spec.column: int(value)})  # type: ignore[arg-type]


def _digits(spec: FieldSpec, value: str, until: str) -> Q:
    # Phones and codes are stored without spaces or dots ("0903 123 456" → 0903123456).
    return _TextQ(spec.column, re.sub(r"[\s.]", "", value).lower(), folded=False)


def _key(spec: FieldSpec, value: str, until: str) -> Q:
    return _TextQ(spec.column, fold(value), folded=False)  # the column holds fold(value)


def _folded(spec: FieldSpec, value: str, until: str) -> Q:
    return _TextQ(spec.column, fold(value), folded=True)


# One condition builder per field kind (FieldSpec.kind).
_CONDITIONS: dict[str, Callable[[FieldSpec, str, str], Q]] = {
    **{kind: _range for kind in _RANGES},
    "choice": _choice,
    "id": _record_id,
    "digits": _digits,
    "key": _key,
    "text": _folded,
}


def _condition(spec: FieldSpec, crit: Criterion) -> Q | None:
    value, until = crit.value.strip(), crit.until.strip()
    if not value and not until:
        return None
    return _CONDITIONS[spec.kind](spec, value, until)


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


def filtered(actor: Actor, kind: str, search: Search) -> QuerySet[Any]:
    """The actor's records of list `kind` that match `search` (unordered)."""
    spec = spec_for(kind)
    qs = spec.base(actor)
    cond = where(spec, search)
    return qs.filter(cond) if cond is not None else qs


def searched(actor: Actor, kind: str, search: Search) -> QuerySet[Any]:
    """The same, in the list's default order (for paging through everything: the export)."""
    return filtered(actor, kind, search).order_by(*spec_for(kind).order)


# Below this many matches a page is found by sorting the matches' keys in memory: walking the
# date index in order to collect 50 rare matches would visit every row of the table at random.
SPARSE = 5000


def _sort_key(at: int) -> Callable[[tuple[Any, ...]], tuple[bool, Any]]:
    return lambda row: (row[at] is None, row[at])


async def ordered_page(
    qs: QuerySet[Any], order: tuple[str, ...], total: int, *, offset: int, limit: int
) -> list[Any]:
    """Rows offset..offset+limit of unordered `qs` (with `total` rows) in `order`."""
    if total > SPARSE:
        return list(await qs.order_by(*order).offset(offset).limit(limit))
    columns = [c.lstrip("-") for c in order]
    keys = list(await qs.limit(SPARSE + 1).values_list("id", *columns))
    for i in reversed(range(len(columns))):  # stable sorts, last key first
        keys.sort(key=_sort_key(i + 1), reverse=order[i].startswith("-"))
    ids = [k[0] for k in keys[offset : offset + limit]]
    if not ids:
        return []
    rows = {r.pk: r for r in await qs.model.filter(id__in=ids)}
    return [rows[i] for i in ids if i in rows]


async def search_list(
    actor: Actor, kind: str, search: Search, *, offset: int = 0, limit: int = 50
) -> Page:
    spec = spec_for(kind)
    qs = filtered(actor, kind, search)
    limit = max(1, min(limit, MAX_PAGE))
    total = await qs.count()
    rows = await ordered_page(qs, spec.order, total, offset=max(0, offset), limit=limit)
    return Page(rows, total, spec)


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
