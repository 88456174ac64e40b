"""The real app on a loopback port with the fake SMTP server; httpx signs in like a browser."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from spacrm.adapters.app.runtime import build_runtime
from spacrm.core.models import Account, Contact, Lead, SearchEntry, User
from spacrm.core.services.users import add_user
from spacrm.core.settings import Settings
from tests.fakes.smtp import FakeSMTP
from tests.serving import served

PASSWORD = "lotus123"


@dataclass
class Console:
    base: str
    smtp: FakeSMTP

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base, follow_redirects=False, timeout=10)

    async def code_for(self, login: str) -> str:
        """The code mailed to `login`. Other mail may arrive first: the shared test database can
        hold emails that earlier tests queued (leave requests…), which this server's outbox sends."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while True:
            mail = await self.smtp.wait_for_message(timeout=max(0.1, deadline - loop.time()))
            if mail["To"] != f"{login}@lotus.example":
                continue
            body = mail.get_body(preferencelist=("plain",))
            assert body is not None
            found = re.search(r"\b(\d{6})\b", body.get_content())  # type: ignore[attr-defined]
            if found is not None:
                return found.group(1)

    async def sign_in(self, client: httpx.AsyncClient, login: str) -> None:
        """Password, then the emailed code; leaves the session cookie in `client`."""
        r = await client.post(
            "/console/login",
            data={"login": login, "password": PASSWORD, "csrf": await form_csrf(client, "/console/login")},
        )  # fmt: skip
        assert r.status_code == 303, r.text
        code = await self.code_for(login)
        r = await client.post(
            "/console/code", data={"code": code, "csrf": await form_csrf(client, "/console/code")}
        )
        assert r.status_code == 303 and r.headers["location"] == "/console/leads", r.text


async def form_csrf(client: httpx.AsyncClient, path: str) -> str:
    r = await client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    found = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert found is not None
    return found.group(1)


@pytest.fixture
async def console(db: str, tmp_path: Path) -> AsyncIterator[Console]:
    smtp = FakeSMTP().start()
    settings = Settings(
        data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_from="crm@lotus.example"
    )
    runtime = build_runtime(settings)
    runtime.dispatcher.idle_seconds = 0.05
    try:
        async with served(runtime) as base:
            yield Console(base, smtp)
    finally:
        smtp.stop()


TempUser = Callable[..., Awaitable[User]]


@pytest.fixture
async def temp_user(db: str) -> AsyncIterator[TempUser]:
    """Makes users for one test and removes them (and all they own) afterwards: other tests walk
    every user of the shared database against the session's personas."""
    made: list[int] = []

    async def make(login: str, *, team: str, password: str | None = PASSWORD) -> User:
        user = await add_user(
            None, login=login, email=f"{login}@lotus.example", full_name=f"Thử {login}",
            role="staff", team_code=team, password=password,
        )  # fmt: skip
        made.append(user.id)
        return user

    yield make
    for model in (Lead, Contact, Account, SearchEntry):
        await model.filter(owner_id__in=made).delete()
    await User.filter(id__in=made).delete()
