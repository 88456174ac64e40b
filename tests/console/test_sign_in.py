"""Console sign-in (#10) over HTTP: password + emailed code, one message for every failure,
the code's tries, CSRF, rate limits, session expiry and logout."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from spacrm.core import clock
from spacrm.core.models import ConsoleSession, User
from spacrm.core.services.users import deactivate
from tests.console.conftest import PASSWORD, Console, TempUser, form_csrf

FAILED = "Thông tin đăng nhập hoặc mã xác nhận không đúng."


async def _login(client: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    csrf = await form_csrf(client, "/console/login")
    return await client.post(
        "/console/login", data={"login": login, "password": password, "csrf": csrf}
    )


async def test_sign_in_with_emailed_code_then_logout(console: Console) -> None:
    async with console.client() as client:
        r = await client.get("/console/leads")
        assert r.status_code == 303 and r.headers["location"] == "/console/login"
        before = await ConsoleSession.filter(user__login="tl_q1a").count()
        # The email address works as well as the login.
        r = await _login(client, "TL_Q1A@lotus.example", PASSWORD)
        assert r.status_code == 303 and r.headers["location"] == "/console/code"
        page = await client.get("/console/code")
        assert "tl***@lotus.example" in page.text
        code = await console.code_for("tl_q1a")
        csrf = await form_csrf(client, "/console/code")
        r = await client.post("/console/code", data={"code": code, "csrf": csrf})
        assert r.status_code == 303 and r.headers["location"] == "/console/leads"
        set_cookie = r.headers.get_list("set-cookie")
        session_cookie = next(c for c in set_cookie if c.startswith("spc_session="))
        assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
        assert "Max-Age=43200" in session_cookie
        assert await ConsoleSession.filter(user__login="tl_q1a").count() == before + 1
        board = await client.get("/console/leads")
        assert board.status_code == 200 and "Phạm Thu Hà" in board.text
        stolen = dict(client.cookies)
        csrf = re.search(r'name="csrf" value="([^"]+)"', board.text).group(1)  # type: ignore[union-attr]
        r = await client.post("/console/logout", data={"csrf": csrf})
        assert r.status_code == 303 and r.headers["location"] == "/console/login"
        assert await ConsoleSession.filter(user__login="tl_q1a").count() == before
    # A copy of the old cookie is dead after logout.
    async with console.client() as other:
        other.cookies.update(stolen)
        r = await other.get("/console/leads")
        assert r.status_code == 303 and r.headers["location"] == "/console/login"


async def test_every_failure_gets_the_same_message_and_no_mail(
    console: Console, temp_user: TempUser
) -> None:
    await temp_user("cs_nopass", team="q1a", password=None)
    await temp_user("cs_gone", team="q1a")
    await deactivate(None, login="cs_gone")
    async with console.client() as client:
        for login, password in [
            ("st_q1a1", "wrong-password"),
            ("nobody_here", PASSWORD),
            ("cs_nopass", ""),
            ("cs_gone", PASSWORD),
            ("", ""),
        ]:
            r = await _login(client, login, password)
            assert r.status_code == 400, login
            assert FAILED in r.text
            assert "spc_pending" not in r.headers.get("set-cookie", "")
    assert console.smtp.messages == []


async def test_wrong_code_five_times_locks_it(console: Console) -> None:
    async with console.client() as client:
        r = await _login(client, "st_q1a2", PASSWORD)
        assert r.status_code == 303
        code = await console.code_for("st_q1a2")
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(5):
            csrf = await form_csrf(client, "/console/code")
            r = await client.post("/console/code", data={"code": wrong, "csrf": csrf})
            assert r.status_code == 400 and FAILED in r.text
        csrf = await form_csrf(client, "/console/code")
        r = await client.post("/console/code", data={"code": code, "csrf": csrf})
        assert r.status_code == 400 and FAILED in r.text
        assert "spc_session" not in client.cookies


async def test_expired_code_is_refused(console: Console) -> None:
    async with console.client() as client:
        await _login(client, "st_q1b1", PASSWORD)
        code = await console.code_for("st_q1b1")
        csrf = await form_csrf(client, "/console/code")
        clock.freeze(clock.now() + timedelta(minutes=11))
        try:
            r = await client.post("/console/code", data={"code": code, "csrf": csrf})
        finally:
            clock.freeze(None)
        assert r.status_code == 400 and FAILED in r.text


async def test_forms_without_the_csrf_token_are_refused(console: Console) -> None:
    async with console.client() as client:
        await client.get("/console/login")
        r = await client.post(
            "/console/login", data={"login": "st_q1a1", "password": PASSWORD, "csrf": "forged"}
        )
        assert r.status_code == 403
        assert console.smtp.messages == []
        # A token from another browser's cookie does not fit this one.
        async with console.client() as other:
            their_csrf = await form_csrf(other, "/console/login")
        r = await client.post(
            "/console/login", data={"login": "st_q1a1", "password": PASSWORD, "csrf": their_csrf}
        )
        assert r.status_code == 403


async def test_password_guessing_is_rate_limited(console: Console) -> None:
    async with console.client() as client:
        statuses = [(await _login(client, "st_gva1", f"guess{n}")).status_code for n in range(11)]
        assert statuses[:10] == [400] * 10 and statuses[10] == 429
        # Even the right password waits now.
        r = await _login(client, "st_gva1", PASSWORD)
        assert r.status_code == 429 and "quá nhiều lần" in r.text
    assert console.smtp.messages == []


async def test_expired_session_and_deactivated_user_go_back_to_login(
    console: Console, temp_user: TempUser
) -> None:
    async with console.client() as client:
        await console.sign_in(client, "st_hda1")
        assert (await client.get("/console/leads")).status_code == 200
        user = await User.get(login="st_hda1")
        await ConsoleSession.filter(user=user).update(expires_at=clock.now() - timedelta(seconds=1))
        r = await client.get("/console/leads")
        assert r.status_code == 303 and r.headers["location"] == "/console/login"
    # A user deactivated while signed in is out at the next click.
    await temp_user("cs_leaver", team="hda")
    async with console.client() as client:
        await console.sign_in(client, "cs_leaver")
        assert (await client.get("/console/leads")).status_code == 200
        await deactivate(None, login="cs_leaver")
        r = await client.get("/console/leads")
        assert r.status_code == 303 and r.headers["location"] == "/console/login"
