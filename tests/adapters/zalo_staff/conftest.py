"""The staff bot over the Zalo OA, end to end: our FastAPI app under uvicorn receiving webhooks
signed by the fake Zalo OA, the real Zalo client sending through the outbox dispatcher, and the
emailed linking code through a real SMTP conversation."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from pydantic import SecretStr

from spacrm.adapters.app import customer_wiring
from spacrm.adapters.app.runtime import Runtime, build_runtime
from spacrm.core.models import ChannelIdentity, CustomerChannel, OutboxMessage
from spacrm.core.services import channels, kb
from spacrm.core.settings import Settings
from spacrm.knowledge.importer import load_qa_file
from tests.customer.conftest import KB_FILE
from tests.fakes.smtp import FakeSMTP
from tests.fakes.zalo import FakeZalo
from tests.serving import served

OA, OA_APP, OA_SECRET, ZALO_APP_SECRET = (
    "4318000000000000077",
    "2001000000000000077",
    "oa-secret-77",
    "zalo-app-secret-77",
)


def new_zalo_user() -> str:
    """A fresh OA-scoped user id (the database is shared by the whole run)."""
    return str(9_100_000_000_000_000_000 + uuid.uuid4().int % 10**15)


@dataclass
class ZaloWorld:
    zalo: FakeZalo
    smtp: FakeSMTP
    runtime: Runtime
    base: str
    users: list[str] = field(default_factory=list)

    @property
    def hook(self) -> str:
        return f"{self.base}/webhooks/zalo"

    def texts(self, user: str) -> list[str]:
        return [str(m.message.get("text", "")) for m in self.zalo.messages_to(user)]

    async def wait_texts(self, user: str, n: int, timeout: float = 10) -> list[str]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.texts(user)) < n:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{user} got {self.texts(user)}, expected {n} messages")
            await asyncio.sleep(0.02)
        return self.texts(user)

    async def say(self, user: str, text: str, *, msg_id: str | None = None) -> str:
        """Send a signed `user_send_text`; return the next message the OA sends that user."""
        if user not in self.users:
            self.users.append(user)
            self.zalo.add_user(OA, user, display_name="Nhân viên")
        before = len(self.texts(user))
        status = await self.zalo.deliver_text(
            self.hook, OA, user, text, msg_id=msg_id or uuid.uuid4().hex
        )
        assert status == 200
        return (await self.wait_texts(user, before + 1))[before]

    async def link(self, user: str, login: str) -> None:
        welcome = await self.say(user, "/start")
        assert "tên đăng nhập" in welcome
        sent = await self.say(user, login)
        assert "mã 6 số" in sent and "@lotus.example" in sent
        mail = await self.smtp.wait_for_message(timeout=10)
        assert mail["To"] == f"{login}@lotus.example"
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        code = re.search(r"\b(\d{6})\b", body.get_content())
        assert code
        wrong = f"{(int(code.group(1)) + 1) % 1_000_000:06d}"
        assert "Mã chưa đúng" in await self.say(user, wrong)
        assert "Đã liên kết" in await self.say(user, code.group(1))


@pytest.fixture
async def zworld(db: str) -> AsyncIterator[ZaloWorld]:
    async with FakeZalo() as zalo:
        smtp = FakeSMTP().start()
        access, refresh = zalo.add_oa(
            OA, app_id=OA_APP, app_secret_key=ZALO_APP_SECRET, oa_secret_key=OA_SECRET
        )
        settings = Settings(
            smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_from="crm@lotus.example",
            zalo_app_secret=SecretStr(ZALO_APP_SECRET), zalo_openapi_base=zalo.base_url,
            zalo_oauth_base=zalo.base_url, zns_base=zalo.base_url,
        )  # fmt: skip
        await CustomerChannel.all().delete()
        await OutboxMessage.filter(status="pending").update(status="failed")
        await channels.add_channel(
            "zalo",
            OA,
            access_token=access,
            refresh_token=refresh,
            app_id=OA_APP,
            secret_key=OA_SECRET,
        )
        pairs = load_qa_file(KB_FILE)
        await kb.import_pairs(
            [kb.QAData(p.id, p.question, p.answer, p.variants) for p in pairs], replace=True
        )

        runtime = build_runtime(settings)
        runtime.dispatcher.idle_seconds = 0.05
        await customer_wiring.attach(runtime)
        async with served(runtime) as base:
            world = ZaloWorld(zalo, smtp, runtime, base)
            try:
                yield world
            finally:
                smtp.stop()
                # Leave nothing for later tests: no Zalo staff accounts, no rows waiting to be sent.
                await ChannelIdentity.filter(channel="zalo", external_id__in=world.users).delete()
                await OutboxMessage.filter(status="pending").update(status="failed")
