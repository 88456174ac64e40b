"""Outside capabilities core/ uses without knowing who provides them (wired by the composition root)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CompanyDetails:
    tax_code: str
    name: str
    address: str | None


class CompanyLookup(Protocol):
    async def lookup(self, tax_code: str) -> CompanyDetails | None: ...


class _Ports:
    company_lookup: CompanyLookup | None = None


ports = _Ports()
