"""One page of a configuration list (#11): the rows of page `page`, so a screen over 100k Q&A
pairs or a large catalogue reads PAGE_SIZE rows, not the whole table.

The page's keys are read first (an index-only scan for a plain list), then those rows whole: the
rows skipped by the offset are never loaded. A search reads one row more than the page instead of
counting every match (a count is another scan of the table): the pager then offers "next" while
there is more, without a total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise import connections
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from spacrm.core.textnorm import nfc

PAGE_SIZE = 50
MAX_PAGE = 10_000
MAX_QUERY = 100

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Paged(Generic[M]):
    rows: list[M]
    total: int | None  # None: a search, not counted
    page: int
    size: int
    more: bool = False  # a search: there is a next page

    @property
    def pages(self) -> int:
        if self.total is None:
            return self.page + 1 if self.more else self.page
        return max(1, (self.total - 1) // self.size + 1)


def clean_query(text: str) -> str:
    """A search box's text, trimmed and bounded (Tortoise escapes LIKE's wildcards)."""
    return nfc(" ".join(text.split()))[:MAX_QUERY]


def contains(field: str, words: str) -> Q:
    """`field` contains `words`, case aside. SQLite's plain LIKE already ignores ASCII case, and
    is several times faster than the UPPER(CAST(...)) Tortoise writes for icontains; the query
    is lower-cased to match the stored texts, which are mostly lower case past their first letter."""
    if connections.get("default").capabilities.dialect == "sqlite":
        return Q(**{f"{field}__contains": words.lower()})
    return Q(**{f"{field}__icontains": words})


async def page_of(
    query: QuerySet[M], page: int, size: int = PAGE_SIZE, *, count: bool = True
) -> Paged[M]:
    """Page `page` (from 1) of an ordered query; counted (a page past the end shows the last one),
    or for a search not counted (see the module's note)."""
    page = max(1, min(page, MAX_PAGE))
    total: int | None = None
    if count:
        total = await query.count()
        page = min(page, max(1, (total - 1) // size + 1))
    model = query.model
    key = model._meta.pk_attr
    keys: list[Any] = list(
        await query.offset((page - 1) * size).limit(size + 1).values_list(key, flat=True)
    )
    more = len(keys) > size
    keys = keys[:size]
    found = {row.pk: row for row in await model.filter(pk__in=keys)} if keys else {}
    return Paged([found[k] for k in keys if k in found], total, page, size, more)
