"""The whole customer chatbot over loopback: our FastAPI app under uvicorn, the real Messenger,
Zalo and Telegram clients talking to the fakes, the outbox dispatcher and aiogram polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from spacrm.adapters.app import customer_wiring
from spacrm.adapters.app.runtime import Runtime, build_runtime
from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core.models import (
    ChannelIdentity,
    CustomerChannel,
    OutboxMessage,
    ProcessedEvent,
    SentMessageRef,
    StaffReplyTarget,
    User,
)
from spacrm.core.services import channels, kb
from spacrm.core.settings import Settings
from spacrm.knowledge.importer import load_qa_file
from tests.fakes.facebook import FakeGraph
from tests.fakes.telegram import FakeTelegram
from tests.fakes.zalo import FakeZalo
from tests.serving import served

# The spa's Q&A the end-to-end tests train on (a copy of the team's dev FAQ, so a checkout
# without ../shared still runs them).
KB_FILE = Path(__file__).resolve().parent / "data" / "kb_spa.csv"

TOKEN = "123456:CUSTOMER"
APP_SECRET = "fb-app-secret"
VERIFY = "verify-me"
PAGE, PAGE_TOKEN = "1000001", "page-token-1"
OA, OA_APP, OA_SECRET, ZALO_APP_SECRET = (
    "4318000000000000001",
    "2001000000000000001",
    "oa-secret",
    "zalo-app-secret",
)
STAFF_TG = {"st_q1a1": 720001, "st_q1a2": 720002}


@dataclass
class World:
    tg: FakeTelegram
    graph: FakeGraph
    zalo: FakeZalo
    runtime: Runtime
    base: str
    staff: dict[str, int]  # login -> user id
    engine: CustomerEngine

    @property
    def fb_hook(self) -> str:
        return f"{self.base}/webhooks/facebook"

    @property
    def zalo_hook(self) -> str:
        return f"{self.base}/webhooks/zalo"


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 10) -> Any:
    """Poll `check` until it returns something truthy (the work runs in the background)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture
async def world(db: str) -> AsyncIterator[World]:
    async with FakeTelegram(TOKEN) as tg, FakeGraph() as graph, FakeZalo() as zalo:
        graph.add_page(PAGE, PAGE_TOKEN)
        access, refresh = zalo.add_oa(
            OA, app_id=OA_APP, app_secret_key=ZALO_APP_SECRET, oa_secret_key=OA_SECRET
        )
        settings = Settings(
            telegram_token=SecretStr(TOKEN), telegram_api_base=tg.base_url,
            facebook_app_secret=SecretStr(APP_SECRET), facebook_verify_token=VERIFY,
            facebook_graph_base=graph.base_url, zalo_app_secret=SecretStr(ZALO_APP_SECRET),
            zalo_openapi_base=zalo.base_url, zalo_oauth_base=zalo.base_url, zns_base=zalo.base_url,
        )  # fmt: skip
        staff = {u.login: u.id for u in await User.filter(login__in=list(STAFF_TG))}
        for login, tg_id in STAFF_TG.items():
            await ChannelIdentity.get_or_create(
                channel="telegram", external_id=str(tg_id),
                defaults={"user_id": staff[login], "chat_id": str(tg_id)},
            )  # fmt: skip
        # Each fake restarts its message ids: forget the previous test's threads and leftovers.
        await CustomerChannel.all().delete()
        await SentMessageRef.all().delete()
        # A new fake Telegram numbers messages from 1 again: forget which ones were processed.
        await ProcessedEvent.filter(source="telegram").delete()
        await OutboxMessage.filter(thread_ref__not_isnull=True).update(thread_ref=None)
        await StaffReplyTarget.all().delete()
        await OutboxMessage.filter(status="pending").update(status="failed")
        await channels.add_channel(
            "facebook",
            PAGE,
            access_token=PAGE_TOKEN,
            assignee_ids=[staff["st_q1a1"], staff["st_q1a2"]],
        )
        # Website visitors are answered by the two staff members this world links on Telegram.
        await channels.add_channel(
            "widget",
            channels.WIDGET_ID,
            access_token="",
            assignee_ids=[staff["st_q1a1"], staff["st_q1a2"]],
        )
        await channels.add_channel(
            "zalo", OA, access_token=access, refresh_token=refresh, app_id=OA_APP,
            secret_key=OA_SECRET, assignee_ids=[staff["st_q1a2"]],
        )  # fmt: skip
        pairs = load_qa_file(KB_FILE)
        await kb.import_pairs(
            [kb.QAData(p.id, p.question, p.answer, p.variants) for p in pairs], replace=True
        )

        runtime = build_runtime(settings)
        runtime.dispatcher.idle_seconds = 0.05
        engine = await customer_wiring.attach(runtime)
        assert runtime.telegram is not None
        try:
            async with served(runtime, telegram_polling=True) as base:
                yield World(tg, graph, zalo, runtime, base, staff, engine)
        finally:
            await runtime.telegram.bot.session.close()
