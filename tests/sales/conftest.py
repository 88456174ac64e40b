"""Sales fixtures: a fresh lead per test, catalogue lookups by code, a frozen clock."""

from __future__ import annotations

import itertools
from datetime import datetime

from spacrm.core.actors import Actor
from spacrm.core.models import CatalogItem, Lead, Package
from spacrm.core.services.leads import create_lead
from tests.conftest import new_phone
from tests.frozen import frozen_clock_at

_names = itertools.count(1)
NOW = datetime(2026, 11, 25, 10, 0)


frozen_clock = frozen_clock_at(NOW)


async def make_lead(actor: Actor, name: str | None = None) -> Lead:
    return await create_lead(actor, name=name or f"Khách Test {next(_names)}", phone=new_phone())


async def item_id(code: str) -> int:
    return (await CatalogItem.get(code=code)).id


async def package_id(code: str) -> int:
    return (await Package.get(code=code)).id
