"""One page of a configuration list (#11): the rows of page `page` and how many there are in all,
so a screen over 100k Q&A pairs or a large catalogue reads PAGE_SIZE rows, not the whole table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

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
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, (self.total - 1) // self.size + 1)


def clean_query(text: str) -> str:
    """A search box's text, trimmed and bounded (a LIKE pattern needs no escaping from Tortoise)."""
    return nfc(" ".join(text.split()))[:MAX_QUERY]


async def page_of(query: QuerySet[M], page: int, size: int = PAGE_SIZE) -> Paged[M]:
    """Page `page` (from 1; a page past the end shows the last one) of an ordered query."""
    total = await query.count()
    pages = max(1, (total - 1) // size + 1)
    page = max(1, min(page, pages, MAX_PAGE))
    rows = await query.offset((page - 1) * size).limit(size)
    return Paged(list(rows), total, page, size)
