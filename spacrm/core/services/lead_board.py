"""The LeadCard kanban (#22): one column per stage with its count and value, in the actor's scope.

At 100k leads the board must never read every matching row: the counts and values of all
columns come from one grouped query, and each column's cards are its top N ids in the chosen
order (then only those rows are loaded). The lead table's board indexes (migration 0027) hold
every column these queries touch — stage, created date, value, source, owner and the scope
columns — so both run from an index alone, whichever index the planner picks. "More" pages
through one column by keyset (the last card's sort key and id), never by offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from tortoise import connections
from tortoise.expressions import Q, RawSQL
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Lead
from spacrm.core.permissions import scoped
from spacrm.core.services.list_search import SPECS, Search, where
from spacrm.core.stages import LEAD_STAGES

SORTS = {"created": ("-created_at", "-id"), "value": ("-value", "-id")}
PER_COLUMN = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Column:
    stage: str
    count: int  # all the actor's leads at this stage (the cards shown may be fewer)
    value: int  # total VND of those leads
    leads: list[Lead]
    next: str = ""  # where the column's next cards start (column_page's `after`); "" = no more


@dataclass(frozen=True, slots=True)
class Cards:
    leads: list[Lead]
    next: str = ""


def _matching(actor: Actor, search: Search | None) -> QuerySet[Lead]:
    """The actor's leads that pass the board's filters: scope and filters are all SQL."""
    qs = scoped(Lead, actor)
    cond = where(SPECS["leads"], search) if search is not None else None
    return qs.filter(cond) if cond is not None else qs


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise DomainError(ErrorCode.INVALID_VALUE, field="sort", value=sort[:30])


def cursor(sort: str, lead: Lead) -> str:
    """The keyset position after `lead`: its sort key (created: microseconds since 1970) and id."""
    if sort == "value":
        key = int(lead.value)
    else:
        key = (lead.created_at - _EPOCH) // timedelta(microseconds=1)
    return f"{key}_{lead.id}"


def _after(sort: str, after: str) -> Q:
    """Cards strictly after the cursor in the column's order (key descending, then id)."""
    key_text, _, id_text = after.partition("_")
    if not (
        key_text.isascii() and key_text.isdigit() and len(key_text) <= 18
        and id_text.isascii() and id_text.isdigit() and len(id_text) <= 10
    ):  # fmt: skip
        raise DomainError(ErrorCode.INVALID_VALUE, field="after", value=after[:30])
    key: Any = int(key_text)
    if sort == "created":
        key = _EPOCH + timedelta(microseconds=key)
    column = "value" if sort == "value" else "created_at"
    return Q(**{f"{column}__lt": key}) | Q(**{column: key, "id__lt": int(id_text)})


async def _top_ids(
    qs: QuerySet[Lead], sort: str, limit: int, *, walk: bool
) -> tuple[list[int], bool]:
    """The first `limit` ids in order (selected alone, so an index answers), and whether more.

    `walk`: every lead of the column matches (no filter, first page), so walking an index in the
    sort order stops after `limit` rows. Otherwise SQLite is kept from that walk: with the LIMIT
    a bound parameter it still prefers the single-column created_at/value index, and under a
    rare filter that visits thousands of rows at random (40 ms a column). "+column" leaves it
    the covering board index for the WHERE and a top-N sort of what matches. PostgreSQL weighs
    the filter itself."""
    key, *rest = SORTS[sort]
    if not walk and _sqlite():
        column = key.lstrip("-")
        qs = qs.annotate(sort_key=RawSQL(f'+"{column}"'))
        order: tuple[str, ...] = ("-sort_key", *rest)
    else:
        order = SORTS[sort]
    query = qs.order_by(*order).limit(limit + 1).values_list("id", flat=True)
    ids = cast(list[int], list(await query))
    return ids[:limit], len(ids) > limit


def _sqlite() -> bool:
    return bool(connections.get("default").capabilities.dialect == "sqlite")


async def _load(ids: list[int]) -> dict[int, Lead]:
    return {lead.id: lead for lead in await Lead.filter(id__in=ids)} if ids else {}


async def lead_board(
    actor: Actor,
    *,
    sort: str = "created",
    per_column: int = PER_COLUMN,
    search: Search | None = None,
) -> list[Column]:
    """`search`: the board's filters (owner, source, date range…), as list search criteria."""
    _check_sort(sort)
    base = _matching(actor, search)
    filtered = search is not None and where(SPECS["leads"], search) is not None
    totals = {
        row["stage"]: (int(row["n"] or 0), int(row["v"] or 0))
        # COUNT(*), not COUNT(id): PostgreSQL's indexes do not hold the id, so only this count
        # lets it answer from a board index alone (index-only scan: 35 ms → 2 ms for one owner).
        for row in await base.annotate(n=RawSQL("COUNT(*)"), v=Sum("value"))
        .group_by("stage")
        .values("stage", "n", "v")
    }
    tops: dict[str, tuple[list[int], bool]] = {}
    for stage in LEAD_STAGES:
        if totals.get(stage, (0, 0))[0]:
            qs = base.filter(stage=stage)
            tops[stage] = await _top_ids(qs, sort, per_column, walk=not filtered)
    rows = await _load([i for ids, _ in tops.values() for i in ids])
    columns = []
    for stage in LEAD_STAGES:
        count, value = totals.get(stage, (0, 0))
        ids, more = tops.get(stage, ([], False))
        leads = [rows[i] for i in ids if i in rows]
        nxt = cursor(sort, leads[-1]) if more and leads else ""
        columns.append(Column(stage, count, value, leads, nxt))
    return columns


async def column_page(
    actor: Actor,
    stage: str,
    *,
    sort: str = "created",
    after: str,
    search: Search | None = None,
    limit: int = PER_COLUMN,
) -> Cards:
    """One column's next cards after `after` (a Column's or an earlier page's `next`)."""
    _check_sort(sort)
    if stage not in LEAD_STAGES:
        raise DomainError(ErrorCode.INVALID_VALUE, field="stage", value=stage[:30])
    qs = _matching(actor, search).filter(stage=stage).filter(_after(sort, after))
    ids, more = await _top_ids(qs, sort, max(1, min(limit, 200)), walk=False)
    rows = await _load(ids)
    leads = [rows[i] for i in ids if i in rows]
    return Cards(leads, cursor(sort, leads[-1]) if more and leads else "")
