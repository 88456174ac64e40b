"""Outside capabilities core/ uses without knowing who provides them (wired by the composition root)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CompanyDetails:
    tax_code: str
    name: str
    address: str | None


class CompanyLookup(Protocol):
    async def lookup(self, tax_code: str) -> CompanyDetails | None: ...


# (lang, key, **params) -> the user's text: core writes chat notices into the outbox in the
# transaction of the change, but the texts live in intents/ (wired: spacrm.intents.texts.t).
Translate = Callable[..., str]


class _Ports:
    company_lookup: CompanyLookup | None = None
    translate: Translate | None = None


ports = _Ports()
