from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from spacrm.adapters.zalo.client import OaCredentials, ZaloClient
from spacrm.adapters.zalo.webhook import ZaloInbound, parse_event, verify_signature
from tests.fakes.zalo import FakeZalo

OA_ID = "4318263722480000001"
APP_ID = "2001000000000000001"
APP_SECRET = "app-secret-key"
OA_SECRET = "oa-secret-key"
USER = "8120734526351000123"  # bigger than 2**53: must never pass through a float


class MemoryTokens:
    """The ZaloTokens store, in memory. The small sleep in `save` widens the race window a DB
    write would have, so the concurrent-refresh test means something."""

    def __init__(self, access: str, refresh: str) -> None:
        self.access, self.refresh = access, refresh
        self.saved: list[tuple[str, str, int]] = []

    async def load(self) -> tuple[str, str]:
        return self.access, self.refresh

    async def save(self, access_token: str, refresh_token: str, expires_in_s: int) -> None:
        await asyncio.sleep(0.01)
        self.access, self.refresh = access_token, refresh_token
        self.saved.append((access_token, refresh_token, expires_in_s))


@dataclass
class Receiver:
    url: str = ""
    statuses: list[int] = field(default_factory=list)
    events: list[ZaloInbound] = field(default_factory=list)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A webhook endpoint made of the adapter's pure functions, as the web app will do it."""
    rec = Receiver()

    async def post(request: web.Request) -> web.Response:
        raw = await request.read()
        if not verify_signature(raw, request.headers.get("X-ZEvent-Signature"), OA_SECRET):
            return web.Response(status=401)
        try:
            event = parse_event(json.loads(raw))
        except ValueError:
            event = None
        if event is not None:
            rec.events.append(event)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/zalo", post)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    rec.url = f"http://127.0.0.1:{runner.addresses[0][1]}/zalo"
    yield rec
    await runner.cleanup()


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo() as fake:
        yield fake


@pytest.fixture
def tokens(zalo: FakeZalo) -> MemoryTokens:
    access, refresh = zalo.add_oa(
        OA_ID, app_id=APP_ID, app_secret_key=APP_SECRET, oa_secret_key=OA_SECRET
    )
    return MemoryTokens(access, refresh)


@pytest.fixture
def creds() -> OaCredentials:
    return OaCredentials(oa_id=OA_ID, app_id=APP_ID, secret_key=APP_SECRET)


@pytest.fixture
async def client(zalo: FakeZalo) -> AsyncIterator[ZaloClient]:
    base = zalo.base_url
    async with ZaloClient(openapi_base=base, oauth_base=base, zns_base=base, timeout=5) as c:
        yield c
