"""A fake Facebook Graph (Messenger Send API + webhook sender) as a real aiohttp server.

The real `FacebookClient` talks to it over loopback. It checks page tokens, enforces the 24 h
window (and the 7-day HUMAN_AGENT tag), the 2000-character text limit and quick-reply limits,
answers with Graph's error envelope, queues failures and records every request.

By hand:  python -m tests.fakes.facebook --port 18090 --page 1000:page-token
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

WINDOW_S = 24 * 3600
HUMAN_AGENT_WINDOW_S = 7 * 24 * 3600
TEXT_LIMIT = 2000


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class SentMessage:
    page_id: str
    psid: str
    message: dict[str, Any]
    messaging_type: str | None
    tag: str | None
    message_id: str


@dataclass
class _Failure:
    code: int
    subcode: int | None
    status: int
    message: str


@dataclass
class _User:
    first_name: str
    last_name: str
    last_wrote: dict[str, float] = field(default_factory=dict)  # page id -> epoch s


def _epoch(at: float | datetime | None, now: float) -> float:
    if at is None:
        return now
    if isinstance(at, datetime):
        return at.timestamp()
    return float(at)


def graph_error(
    code: int, message: str, subcode: int | None = None, kind: str = "OAuthException"
) -> dict[str, Any]:
    err: dict[str, Any] = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "FAKEtrace",
    }
    if subcode is not None:
        err["error_subcode"] = subcode
    return {"error": err}


def _maybe_json(value: Any) -> Any:
    # Form bodies carry nested objects as JSON strings, like the Graph API accepts them.
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeGraph:
    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.window_s = WINDOW_S
        self.human_agent_window_s = HUMAN_AGENT_WINDOW_S
        self.requests: list[RecordedRequest] = []
        self.sent: list[SentMessage] = []
        self.webhook_deliveries: list[tuple[str, int]] = []  # (url, status)
        self._pages: dict[str, str] = {}  # page id -> token
        self._users: dict[str, _User] = {}
        self._failures: list[_Failure] = []
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- setup -------------------------------------------------------------------------------
    def add_page(self, page_id: str, token: str) -> None:
        self._pages[page_id] = token

    def add_user(self, psid: str, first_name: str = "Khách", last_name: str = "Hàng") -> None:
        user = self._users.setdefault(psid, _User(first_name, last_name))
        user.first_name, user.last_name = first_name, last_name

    def user_wrote(self, page_id: str, psid: str, at: float | datetime | None = None) -> None:
        """The user messaged the page at `at` (epoch seconds or datetime; default now)."""
        user = self._users.setdefault(psid, _User("Khách", "Hàng"))
        user.last_wrote[page_id] = _epoch(at, self.clock())

    def fail_next(
        self,
        code: int,
        subcode: int | None = None,
        status: int = 400,
        count: int = 1,
        message: str = "Queued failure",
    ) -> None:
        self._failures.extend(_Failure(code, subcode, status, message) for _ in range(count))

    def messages_to(self, psid: str) -> list[SentMessage]:
        return [m for m in self.sent if m.psid == psid]

    # -- server ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/{version}/{node}/messages", self._send)
        # Control routes for demos by hand (tests call the methods directly).
        app.router.add_post("/_fake/deliver", self._control_deliver)
        app.router.add_get("/_fake/sent", self._control_sent)
        app.router.add_get("/{version}/{node}", self._profile)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeGraph:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # -- handlers ----------------------------------------------------------------------------
    async def _record(self, request: web.Request) -> RecordedRequest:
        body: dict[str, Any] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    loaded = await request.json()
                except ValueError:
                    loaded = None
                body = loaded if isinstance(loaded, dict) else {}
            else:
                form = await request.post()
                body = {k: _maybe_json(v) for k, v in form.items() if isinstance(v, str)}
        rec = RecordedRequest(
            request.method, request.path, dict(request.query), dict(request.headers), body
        )
        self.requests.append(rec)
        return rec

    def _token_page(self, rec: RecordedRequest) -> str | None:
        token = rec.query.get("access_token") or rec.body.get("access_token")
        for page_id, page_token in self._pages.items():
            if token == page_token:
                return page_id
        return None

    async def _send(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        if self._failures:
            f = self._failures.pop(0)
            return web.json_response(graph_error(f.code, f.message, f.subcode), status=f.status)
        page_id = self._token_page(rec)
        if page_id is None:
            return web.json_response(
                graph_error(190, "Invalid OAuth access token - Cannot parse access token"),
                status=400,
            )
        node = request.match_info["node"]
        if node not in ("me", page_id):
            return web.json_response(
                graph_error(200, "(#200) The token does not belong to this page"), status=403
            )
        recipient = rec.body.get("recipient")
        psid = recipient.get("id") if isinstance(recipient, dict) else None
        message = rec.body.get("message")
        mtype = rec.body.get("messaging_type")
        tag = rec.body.get("tag")
        problem = self._invalid(psid, message, mtype, tag)
        if problem:
            return web.json_response(graph_error(100, problem), status=400)
        assert isinstance(psid, str) and isinstance(message, dict)
        user = self._users.get(psid)
        if user is None or page_id not in user.last_wrote:
            return web.json_response(
                graph_error(100, "(#100) No matching user found", 2018001), status=400
            )
        age = self.clock() - user.last_wrote[page_id]
        allowed = self.window_s
        if mtype == "MESSAGE_TAG" and tag == "HUMAN_AGENT":
            allowed = self.human_agent_window_s
        if age > allowed:
            return web.json_response(
                graph_error(
                    10,
                    "(#10) This message is sent outside of allowed window.",
                    2018278,
                    kind="OAuthException",
                ),
                status=400,
            )
        mid = f"m_fake{next(self._ids)}"
        self.sent.append(SentMessage(page_id, psid, message, mtype, tag, mid))
        return web.json_response({"recipient_id": psid, "message_id": mid})

    @staticmethod
    def _invalid(psid: Any, message: Any, mtype: Any, tag: Any) -> str | None:
        if not isinstance(psid, str) or not psid:
            return "(#100) The parameter recipient is required"
        if not isinstance(message, dict):
            return "(#100) The parameter message is required"
        if mtype not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            return "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}"
        if mtype == "MESSAGE_TAG" and not tag:
            return "(#100) Tag is required for MESSAGE_TAG"
        text = message.get("text")
        if text is None and "attachment" not in message:
            return "(#100) Must send either message text or an attachment"
        if text is not None and (not isinstance(text, str) or not text):
            return "(#100) Message text must be a non-empty string"
        if isinstance(text, str) and len(text) > TEXT_LIMIT:
            return "(#100) Length of param message[text] must be less than or equal to 2000"
        qrs = message.get("quick_replies")
        if qrs is not None:
            if not isinstance(qrs, list) or len(qrs) > 13:
                return "(#100) param message[quick_replies] must have at most 13 elements"
            for qr in qrs:
                title = qr.get("title") if isinstance(qr, dict) else None
                if qr.get("content_type") == "text" and (
                    not isinstance(title, str) or not 0 < len(title) <= 20
                ):
                    return "(#100) Quick reply title must be 1 to 20 characters"
        return None

    async def _profile(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        if self._token_page(rec) is None:
            return web.json_response(graph_error(190, "Invalid OAuth access token"), status=400)
        user = self._users.get(request.match_info["node"])
        if user is None:
            return web.json_response(
                graph_error(100, "(#100) Unsupported get request", 33, kind="GraphMethodException"),
                status=400,
            )
        fields = (request.query.get("fields") or "first_name,last_name").split(",")
        data: dict[str, Any] = {"id": request.match_info["node"]}
        if "first_name" in fields:
            data["first_name"] = user.first_name
        if "last_name" in fields:
            data["last_name"] = user.last_name
        return web.json_response(data)

    async def _control_deliver(self, request: web.Request) -> web.Response:
        """JSON {webhook_url, page_id, psid, text, app_secret}: play a user writing to the page."""
        spec = await request.json()
        status = await self.deliver_message(
            spec["webhook_url"], spec["page_id"], spec["psid"], spec.get("text"),
            app_secret=spec["app_secret"],
        )  # fmt: skip
        return web.json_response({"status": status})

    async def _control_sent(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"page_id": m.page_id, "psid": m.psid, "message": m.message} for m in self.sent]
        )

    # -- webhook side ------------------------------------------------------------------------
    def message_payload(
        self,
        page_id: str,
        psid: str,
        text: str | None,
        *,
        mid: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        timestamp_ms: int | None = None,
    ) -> dict[str, Any]:
        ts = timestamp_ms if timestamp_ms is not None else int(self.clock() * 1000)
        message: dict[str, Any] = {"mid": mid or f"m_in{next(self._ids)}"}
        if text is not None:
            message["text"] = text
        if attachments:
            message["attachments"] = attachments
        return {
            "object": "page",
            "entry": [
                {
                    "id": page_id,
                    "time": ts,
                    "messaging": [
                        {
                            "sender": {"id": psid},
                            "recipient": {"id": page_id},
                            "timestamp": ts,
                            "message": message,
                        }
                    ],
                }
            ],
        }

    async def deliver_payload(
        self, webhook_url: str, payload: dict[str, Any], *, app_secret: str
    ) -> int:
        """POST a webhook body signed like Meta: HMAC over exactly the bytes sent, which are
        escaped-unicode JSON (so a receiver that re-serialises would compute the wrong hash)."""
        raw = json.dumps(payload, ensure_ascii=True).encode()
        sig = "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sig}
        status = await self.deliver_raw(webhook_url, raw, headers)
        return status

    async def deliver_message(
        self,
        webhook_url: str,
        page_id: str,
        psid: str,
        text: str | None,
        *,
        mid: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        app_secret: str,
        timestamp_ms: int | None = None,
    ) -> int:
        """A user message to the page; opens the user's messaging window. Returns HTTP status."""
        payload = self.message_payload(
            page_id, psid, text, mid=mid, attachments=attachments, timestamp_ms=timestamp_ms
        )
        self.user_wrote(page_id, psid)
        return await self.deliver_payload(webhook_url, payload, app_secret=app_secret)

    async def deliver_postback(
        self,
        webhook_url: str,
        page_id: str,
        psid: str,
        payload: str,
        *,
        title: str = "",
        app_secret: str,
    ) -> int:
        ts = int(self.clock() * 1000)
        body = {
            "object": "page",
            "entry": [
                {
                    "id": page_id,
                    "time": ts,
                    "messaging": [
                        {
                            "sender": {"id": psid},
                            "recipient": {"id": page_id},
                            "timestamp": ts,
                            "postback": {
                                "title": title,
                                "payload": payload,
                                "mid": f"m_pb{next(self._ids)}",
                            },
                        }
                    ],
                }
            ],
        }
        self.user_wrote(page_id, psid)
        return await self.deliver_payload(webhook_url, body, app_secret=app_secret)

    async def deliver_raw(
        self, webhook_url: str, body: bytes, headers: dict[str, str] | None = None
    ) -> int:
        """POST arbitrary bytes (forged signatures, malformed JSON)."""
        async with (
            aiohttp.ClientSession() as session,
            session.post(webhook_url, data=body, headers=headers or {}) as resp,
        ):
            await resp.read()
            self.webhook_deliveries.append((webhook_url, resp.status))
            return resp.status

    async def verify_webhook(
        self, url: str, verify_token: str, challenge: str = "fake-challenge-1158201444"
    ) -> tuple[int, str]:
        """The subscription handshake: GET with hub.* params; returns (status, body)."""
        params = {
            "hub.mode": "subscribe",
            "hub.verify_token": verify_token,
            "hub.challenge": challenge,
        }
        async with aiohttp.ClientSession() as session, session.get(url, params=params) as resp:
            return resp.status, await resp.text()


async def _serve(port: int, pages: list[str]) -> None:
    fake = FakeGraph()
    for spec in pages:
        page_id, _, token = spec.partition(":")
        fake.add_page(page_id, token)
    await fake.start(port)
    print(f"Fake Graph API on {fake.base_url} (pages: {', '.join(pages) or 'none'})", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake Facebook Graph API for demos and tests")
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument(
        "--page", action="append", default=[], help="PAGE_ID:TOKEN (repeatable)", metavar="ID:TOKEN"
    )
    args = parser.parse_args()
    if not args.page:
        args.page = ["1000000000001:fake-page-token"]
    try:
        asyncio.run(_serve(args.port, args.page))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
