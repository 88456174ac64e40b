"""Sales fixtures: a fresh lead per test, catalogue lookups by code, a frozen clock."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime

import pytest

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.models import CatalogItem, Lead, Package
from spacrm.core.ports import ports
from spacrm.core.services.leads import create_lead
from spacrm.intents.texts import t
from tests.conftest import new_phone

_names = itertools.count(1)
NOW = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    clock.freeze(NOW)
    ports.translate = t  # what the composition root wires
    yield
    clock.freeze(None)


async def make_lead(actor: Actor, name: str | None = None) -> Lead:
    return await create_lead(actor, name=name or f"Khách Test {next(_names)}", phone=new_phone())


async def item_id(code: str) -> int:
    return (await CatalogItem.get(code=code)).id


async def package_id(code: str) -> int:
    return (await Package.get(code=code)).id
