"""Connecting the Zalo OA by OAuth from the channels screen (#11), against the fake Zalo OAuth
server on loopback: the admin is sent to the permission page with a PKCE challenge, comes back
with a code, and the OA's tokens are stored on the channel; a forged state or a replayed code
stores nothing; the stored refresh token is what the Zalo client refreshes with on expiry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from spacrm.adapters.app.runtime import build_runtime
from spacrm.core.models import CustomerChannel
from spacrm.core.settings import Settings
from tests.console.conftest import Console, form_csrf
from tests.fakes.smtp import FakeSMTP
from tests.fakes.zalo import FakeZalo
from tests.serving import served

OA, APP, APP_SECRET = "cf-oa-4401", "5561234", "app-secret-cf"


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo() as fake:
        fake.add_oa(OA, app_id=APP, app_secret_key=APP_SECRET, oa_secret_key="oa-secret-cf")
        yield fake


@pytest.fixture
async def zalo_console(db: str, tmp_path: Path, zalo: FakeZalo) -> AsyncIterator[Console]:
    smtp = FakeSMTP().start()
    settings = Settings(
        data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=smtp.port,
        smtp_from="crm@lotus.example", zalo_oauth_base=zalo.base_url,
        zalo_app_secret=APP_SECRET,  # pydantic makes it a SecretStr
    )  # fmt: skip
    runtime = build_runtime(settings)
    runtime.dispatcher.idle_seconds = 0.05
    # A spa has one Zalo OA: OAs that earlier tests connected in the shared database are parked
    # meanwhile, so the connection tested here is this spa's only one.
    parked = (
        await CustomerChannel.filter(kind="zalo")
        .exclude(external_id=OA)
        .values_list("id", flat=True)
    )
    await CustomerChannel.filter(id__in=list(parked)).update(kind="zalo-parked")
    try:
        async with served(runtime) as base:
            yield Console(base, smtp)
    finally:
        smtp.stop()
        await CustomerChannel.filter(id__in=list(parked)).update(kind="zalo")


async def _through_zalo(client: httpx.AsyncClient, r: httpx.Response) -> httpx.Response:
    """The browser's trip: our redirect to Zalo's permission page, Zalo's back to our callback."""
    assert r.status_code == 303, r.text[:300]
    to_zalo = r.headers["location"]
    async with httpx.AsyncClient(follow_redirects=False) as browser:
        at_zalo = await browser.get(to_zalo)
    assert at_zalo.status_code == 302, at_zalo.text
    return await client.get(at_zalo.headers["location"])


async def test_connect_the_oa_by_oauth(zalo_console: Console, zalo: FakeZalo) -> None:
    try:
        async with zalo_console.client() as client:
            await zalo_console.sign_in(client, "admin")
            csrf = await form_csrf(client, "/console/channels")
            form = {"csrf": csrf, "app_id": APP, "name": "Lotus Zalo CF", "assignees": "st_q1a1"}
            r = await client.post("/console/channels/zalo/connect", data=form)
            query = parse_qs(urlsplit(r.headers["location"]).query)
            assert query["app_id"] == [APP] and len(query["code_challenge"][0]) == 43
            assert query["redirect_uri"][0].endswith("/console/channels/zalo/callback")
            back = await _through_zalo(client, r)
            assert back.status_code == 303
            page = await client.get(back.headers["location"])
            assert "Đã kết nối Zalo OA “Lotus Zalo CF”" in page.text
            channel = await CustomerChannel.get(kind="zalo", external_id=OA)
            assert channel.app_id == APP and channel.token_expires_at is not None
            assert channel.access_token.startswith(f"at-{OA}-")
            assert channel.access_token not in page.text  # stored, never shown back
            # The stored refresh token is the one Zalo will take (single use) on expiry.
            async with httpx.AsyncClient() as http:
                refreshed = await http.post(
                    f"{zalo.base_url}/v4/oa/access_token", headers={"secret_key": APP_SECRET},
                    data={"refresh_token": channel.refresh_token, "app_id": APP,
                          "grant_type": "refresh_token"},
                )  # fmt: skip
            assert "access_token" in refreshed.json()
            # A callback whose state is not this browser's flow stores nothing.
            before = channel.access_token
            r = await client.post("/console/channels/zalo/connect", data=form)
            callback = urlsplit(r.headers["location"])
            forged = await client.get(
                "/console/channels/zalo/callback",
                params={"code": "code-x", "oa_id": OA, "state": "not-mine"},
            )
            page = await client.get(forged.headers["location"])
            assert "đã hết hạn hoặc không phải từ trang này" in page.text
            assert callback.netloc == urlsplit(zalo.base_url).netloc
            await channel.refresh_from_db()
            assert channel.access_token == before
    finally:
        await CustomerChannel.filter(kind="zalo", external_id=OA).delete()


async def test_a_refused_code_stores_nothing(zalo_console: Console, zalo: FakeZalo) -> None:
    async with zalo_console.client() as client:
        await zalo_console.sign_in(client, "admin")
        csrf = await form_csrf(client, "/console/channels")
        r = await client.post(
            "/console/channels/zalo/connect", data={"csrf": csrf, "app_id": APP, "name": "CF"}
        )
        state = parse_qs(urlsplit(r.headers["location"]).query)["state"][0]
        # Our own state, but a code Zalo never issued (or already spent): Zalo's reason is shown.
        back = await client.get(
            "/console/channels/zalo/callback",
            params={"code": "code-bad", "oa_id": OA, "state": state},
        )
        page = await client.get(back.headers["location"])
        assert "Zalo chưa cho kết nối" in page.text
        assert not await CustomerChannel.exists(kind="zalo", external_id=OA)
        bad = await client.post(
            "/console/channels/zalo/connect", data={"csrf": csrf, "app_id": "abc"}
        )
        assert "dãy số" in (await client.get(bad.headers["location"])).text
