from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from spacrm.adapters.facebook.client import FacebookClient
from tests.fakes.facebook import FakeGraph

PAGE_ID = "104729381234567"
PAGE_TOKEN = "EAAG-page-token-1"
PSID = "7038473629184756"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        fake.add_page(PAGE_ID, PAGE_TOKEN)
        yield fake


@pytest.fixture
async def fb(graph: FakeGraph) -> AsyncIterator[FacebookClient]:
    async with FacebookClient(graph_base=graph.base_url, timeout=5) as client:
        yield client
