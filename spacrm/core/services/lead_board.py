"""The LeadCard kanban (#22): one column per stage with its count and value, in the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count, Sum

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Lead
from spacrm.core.permissions import scoped
from spacrm.core.services.list_search import SPECS, Search, where
from spacrm.core.stages import LEAD_STAGES

SORTS = {"created": ("-created_at", "-id"), "value": ("-value", "-id")}


@dataclass(frozen=True, slots=True)
class Column:
    stage: str
    count: int  # all the actor's leads at this stage (the cards shown may be fewer)
    value: int  # total VND of those leads
    leads: list[Lead]


async def lead_board(
    actor: Actor, *, sort: str = "created", per_column: int = 50, search: Search | None = None
) -> list[Column]:
    """`search`: the board's filters (owner, source, date range…), as list search criteria."""
    if sort not in SORTS:
        raise DomainError(ErrorCode.INVALID_VALUE, field="sort", value=sort)
    base = scoped(Lead, actor)
    cond = where(SPECS["leads"], search) if search is not None else None
    if cond is not None:
        base = base.filter(cond)
    totals = {
        row["stage"]: (int(row["n"] or 0), int(row["v"] or 0))
        for row in await base.annotate(n=Count("id"), v=Sum("value"))
        .group_by("stage")
        .values("stage", "n", "v")
    }
    columns = []
    for stage in LEAD_STAGES:
        count, value = totals.get(stage, (0, 0))
        leads = (
            await base.filter(stage=stage).order_by(*SORTS[sort]).limit(per_column) if count else []
        )
        columns.append(Column(stage, count, value, leads))
    return columns
