"""A fake Zalo OA Open API + OAuth + ZNS on one aiohttp server (one base_url for all three hosts).

The real `ZaloClient` talks to it over loopback. It checks the `access_token` header (-216),
makes refresh tokens single-use (-14014 on reuse), models the CS window (8 replies within 48 h of
the user's last message -> -213, nothing after 7 days -> -230), validates ZNS phones and template
params, posts signed webhooks (user messages, ZNS delivery receipts), queues failures and records
every request.

By hand:  python -m tests.fakes.zalo --port 18091 [--webhook-url http://127.0.0.1:8000/zalo/webhook]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

import aiohttp
import yarl
from aiohttp import web

REPLY_WINDOW_S = 48 * 3600
REPLIES_PER_USER_MESSAGE = 8
HARD_WINDOW_S = 7 * 24 * 3600
TEXT_LIMIT = 2000
IMAGE_LIMIT_BYTES = 1024 * 1024
PHONE_84 = re.compile(r"84\d{9}")


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class SentCs:
    oa_id: str
    user_id: str
    recipient: dict[str, Any]
    message: dict[str, Any]
    message_id: str


@dataclass
class SentZns:
    oa_id: str
    phone: str
    template_id: str
    template_data: dict[str, Any]
    tracking_id: str | None
    msg_id: str


@dataclass
class _Oa:
    oa_id: str
    app_id: str
    app_secret_key: str
    oa_secret_key: str
    webhook_url: str | None
    daily_quota: int = 500
    remaining_quota: int = 500


@dataclass
class _User:
    user_id: str
    display_name: str
    phone: str | None
    follower: bool
    last_wrote: float | None = None
    sent_since_last: int = 0


@dataclass
class _Failure:
    code: int
    message: str
    status: int


@dataclass
class Delivery:
    url: str
    payload: dict[str, Any] | None
    status: int


def sign(raw_body: bytes, app_id: str, timestamp: str, oa_secret_key: str) -> str:
    """`mac=` + sha256(app_id + body + timestamp + OA secret key), as Zalo signs webhooks."""
    data = app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    return "mac=" + hashlib.sha256(data).hexdigest()


def _epoch(at: float | datetime | None, now: float) -> float:
    if at is None:
        return now
    return at.timestamp() if isinstance(at, datetime) else float(at)


def _err(code: int, message: str) -> web.Response:
    # Zalo answers errors with HTTP 200 and a non-zero `error`.
    return web.json_response({"error": code, "message": message})


def _ok(data: dict[str, Any]) -> web.Response:
    return web.json_response({"error": 0, "message": "Success", "data": data})


class FakeZalo:
    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.reply_window_s = REPLY_WINDOW_S
        self.replies_per_user_message = REPLIES_PER_USER_MESSAGE
        self.hard_window_s = HARD_WINDOW_S
        self.allow_proactive = (
            False  # a verified OA with paid quota may send after 48 h / 8 replies
        )
        self.zns_delivery_delay_s = 0.02  # receipts follow the API answer, as in real life
        self.requests: list[RecordedRequest] = []
        self.sent: list[SentCs] = []
        self.zns_sent: list[SentZns] = []
        self.deliveries: list[Delivery] = []
        self.uploads: dict[str, bytes] = {}
        self.refresh_count = 0
        self._oas: dict[str, _Oa] = {}
        self._users: dict[tuple[str, str], _User] = {}
        self._access: dict[str, str] = {}  # token -> oa id
        self._refresh: dict[str, str] = {}  # unspent refresh token -> oa id
        self._spent_refresh: set[str] = set()
        # OAuth v4 authorization codes (PKCE): code -> (oa id, code_challenge); one use each
        self._codes: dict[str, tuple[str, str]] = {}
        self._msg_index: dict[tuple[str, str], str] = {}  # (oa, user msg id) -> user id
        self._templates: dict[str, list[str]] = {}
        self._failures: list[_Failure] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- setup -------------------------------------------------------------------------------
    def add_oa(
        self,
        oa_id: str,
        *,
        app_id: str,
        app_secret_key: str,
        oa_secret_key: str,
        webhook_url: str | None = None,
        access_token: str | None = None,
        refresh_token: str | None = None,
    ) -> tuple[str, str]:
        """Register an OA; returns its (access_token, refresh_token)."""
        self._oas[oa_id] = _Oa(oa_id, app_id, app_secret_key, oa_secret_key, webhook_url)
        access = access_token or f"at-{oa_id}-{next(self._ids)}"
        refresh = refresh_token or f"rt-{oa_id}-{next(self._ids)}"
        self._access[access] = oa_id
        self._refresh[refresh] = oa_id
        return access, refresh

    def set_webhook(self, oa_id: str, url: str | None) -> None:
        self._oas[oa_id].webhook_url = url

    def expire_access_token(self, oa_id: str | None = None) -> None:
        """Every current access token of the OA (or of all OAs) now answers -216."""
        self._access = {t: o for t, o in self._access.items() if oa_id is not None and o != oa_id}

    def add_user(
        self,
        oa_id: str,
        user_id: str,
        *,
        display_name: str = "Khách Zalo",
        phone: str | None = None,
        follower: bool = True,
    ) -> None:
        user = self._user(oa_id, user_id)
        user.display_name, user.phone, user.follower = display_name, phone, follower

    def user_wrote(self, oa_id: str, user_id: str, at: float | datetime | None = None) -> None:
        """The user messaged the OA: opens the 48 h window and resets the reply counter."""
        user = self._user(oa_id, user_id)
        user.last_wrote = _epoch(at, self.clock())
        user.sent_since_last = 0

    def add_template(self, template_id: str, params: list[str]) -> None:
        self._templates[template_id] = list(params)

    def set_zns_quota(self, oa_id: str, remaining: int, daily: int = 500) -> None:
        self._oas[oa_id].remaining_quota, self._oas[oa_id].daily_quota = remaining, daily

    def fail_next(
        self, code: int, message: str = "Queued failure", *, status: int = 200, count: int = 1
    ) -> None:
        """The next OA/ZNS calls (not OAuth) answer this error (status >= 500: a bare 5xx)."""
        self._failures.extend(_Failure(code, message, status) for _ in range(count))

    def messages_to(self, user_id: str) -> list[SentCs]:
        return [m for m in self.sent if m.user_id == user_id]

    async def wait_for_deliveries(self) -> None:
        """Wait until the webhooks the fake posts on its own (ZNS receipts) have been answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    def _user(self, oa_id: str, user_id: str) -> _User:
        key = (oa_id, user_id)
        if key not in self._users:
            self._users[key] = _User(user_id, "Khách Zalo", None, True)
        return self._users[key]

    # -- server ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_post("/v4/oa/access_token", self._oauth)
        app.router.add_get("/v4/oa/permission", self._permission)
        app.router.add_post("/v3.0/oa/message/cs", self._cs)
        app.router.add_post("/v2.0/oa/upload/image", self._upload)
        app.router.add_get("/v3.0/oa/user/detail", self._user_detail)
        app.router.add_post("/message/template", self._zns)
        app.router.add_get("/template/info/v2", self._template_info)
        app.router.add_post("/_fake/deliver", self._control_deliver)
        app.router.add_get("/_fake/sent", self._control_sent)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.port = int(self._runner.addresses[0][1])
        return self.base_url

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeZalo:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # -- request plumbing --------------------------------------------------------------------
    async def _record(self, request: web.Request) -> RecordedRequest:
        body: dict[str, Any] = {}
        if request.content_type == "application/json":
            try:
                loaded = await request.json()
            except ValueError:
                loaded = None
            body = loaded if isinstance(loaded, dict) else {}
        elif request.content_type == "multipart/form-data":
            async for part in await request.multipart():
                if isinstance(part, aiohttp.BodyPartReader) and part.name:
                    data = await part.read()
                    body[part.name] = (
                        {"filename": part.filename, "content_type": part.headers.get("Content-Type"),
                         "bytes": bytes(data)}
                        if part.filename else data.decode()
                    )  # fmt: skip
        elif request.can_read_body:
            body = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        rec = RecordedRequest(
            request.method,
            request.path,
            dict(request.query),
            {k.lower(): v for k, v in request.headers.items()},
            body,
        )
        self.requests.append(rec)
        return rec

    def _gate(self, rec: RecordedRequest) -> tuple[str | None, web.Response | None]:
        """Queued failure, then the access token; returns (oa id, error response)."""
        if self._failures:
            f = self._failures.pop(0)
            if f.status >= 500:
                return None, web.Response(status=f.status, text="upstream error")
            return None, web.json_response({"error": f.code, "message": f.message}, status=f.status)
        oa_id = self._access.get(rec.headers.get("access_token", ""))
        if oa_id is None:
            return None, _err(-216, "Access token is invalid")
        return oa_id, None

    # -- OAuth -------------------------------------------------------------------------------
    async def _oauth(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        form = rec.body
        oa = next((o for o in self._oas.values() if o.app_id == form.get("app_id")), None)
        if oa is None or rec.headers.get("secret_key") != oa.app_secret_key:
            return web.json_response(
                {"error": -14001, "error_name": "Invalid parameter",
                 "error_reason": "app_id or secret_key is invalid",
                 "error_description": "app_id or secret_key is invalid"}
            )  # fmt: skip
        if form.get("grant_type") == "authorization_code":
            return self._code_grant(oa, form)
        if form.get("grant_type") != "refresh_token":
            return web.json_response(
                {"error": -14001, "error_description": "unsupported grant_type"}
            )
        token = str(form.get("refresh_token", ""))
        if self._refresh.get(token) != oa.oa_id:
            reason = (
                "Refresh token was used"
                if token in self._spent_refresh
                else "Invalid refresh token"
            )
            return web.json_response(
                {"error": -14014, "error_name": "Invalid refresh token",
                 "error_reason": reason, "error_description": reason,
                 "ref_doc": "https://developers.zalo.me/docs/"}
            )  # fmt: skip
        del self._refresh[token]
        self._spent_refresh.add(token)
        self.refresh_count += 1
        access, refresh = f"at-{oa.oa_id}-{next(self._ids)}", f"rt-{oa.oa_id}-{next(self._ids)}"
        self._access[access] = oa.oa_id
        self._refresh[refresh] = oa.oa_id
        return web.json_response(
            {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
        )

    async def _permission(self, request: web.Request) -> web.Response:
        """The OA admin's consent page, approved at once: back to `redirect_uri` with a one-use
        code bound to the PKCE `code_challenge` (S256), the OA id and the caller's `state`."""
        q = request.query
        oa = next((o for o in self._oas.values() if o.app_id == q.get("app_id")), None)
        if oa is None or not q.get("redirect_uri") or not q.get("code_challenge"):
            return web.Response(status=400, text="invalid app_id, redirect_uri or code_challenge")
        code = f"code-{oa.oa_id}-{next(self._ids)}"
        self._codes[code] = (oa.oa_id, q["code_challenge"])
        back = yarl.URL(q["redirect_uri"]).update_query(
            {"oa_id": oa.oa_id, "code": code, "state": q.get("state", ""),
             "code_challenge": q["code_challenge"]}
        )  # fmt: skip
        raise web.HTTPFound(str(back))

    def _code_grant(self, oa: _Oa, form: dict[str, Any]) -> web.Response:
        found = self._codes.pop(str(form.get("code", "")), None)
        verifier = str(form.get("code_verifier", ""))
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if found is None or found[0] != oa.oa_id or found[1] != challenge:
            return web.json_response(
                {"error": -14002, "error_name": "Invalid authorization code",
                 "error_reason": "Invalid authorization code or code_verifier",
                 "error_description": "Invalid authorization code or code_verifier"}
            )  # fmt: skip
        access, refresh = f"at-{oa.oa_id}-{next(self._ids)}", f"rt-{oa.oa_id}-{next(self._ids)}"
        self._access[access] = oa.oa_id
        self._refresh[refresh] = oa.oa_id
        return web.json_response(
            {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
        )

    # -- OA API ------------------------------------------------------------------------------
    async def _cs(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        oa_id, failure = self._gate(rec)
        if failure is not None:
            return failure
        assert oa_id is not None
        recipient = rec.body.get("recipient")
        message = rec.body.get("message")
        if not isinstance(recipient, dict) or not isinstance(message, dict):
            return _err(-201, "recipient and message are required")
        user_id = recipient.get("user_id")
        if "message_id" in recipient:
            user_id = self._msg_index.get((oa_id, str(recipient["message_id"])))
            if user_id is None:
                return _err(-201, "message_id is invalid")
        if not isinstance(user_id, str) or not user_id:
            return _err(-201, "user_id is invalid")
        problem = self._invalid_message(message)
        if problem:
            return _err(-201, problem)
        user = self._users.get((oa_id, user_id))
        if user is None or user.last_wrote is None:
            return _err(-213, "User has not followed OA or has not interacted with the OA")
        age = self.clock() - user.last_wrote
        if age > self.hard_window_s:
            return _err(-230, "User has not interacted with the OA in the past 7 days")
        over = age > self.reply_window_s or user.sent_since_last >= self.replies_per_user_message
        if over and not self.allow_proactive:
            return _err(-213, "Out of the interaction window: no reply quota left for this user")
        user.sent_since_last += 1
        message_id = f"{next(self._ids):032x}"
        self.sent.append(SentCs(oa_id, user_id, recipient, message, message_id))
        remain = max(self.replies_per_user_message - user.sent_since_last, 0)
        quota = {"quota_type": "reply", "remain": remain, "total": self.replies_per_user_message}
        return _ok({"message_id": message_id, "user_id": user_id, "quota": quota})

    def _invalid_message(self, message: dict[str, Any]) -> str | None:
        if "attachment" in message:
            payload = (message.get("attachment") or {}).get("payload") or {}
            elements = payload.get("elements") if isinstance(payload, dict) else None
            if not isinstance(elements, list) or not elements:
                return "attachment.payload.elements is required"
            for el in elements:
                att = el.get("attachment_id") if isinstance(el, dict) else None
                if att is not None and att not in self.uploads:
                    return "attachment_id is invalid"
                if att is None and not (isinstance(el, dict) and el.get("url")):
                    return "element needs attachment_id or url"
            return None
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            return "message.text is required"
        if len(text) > TEXT_LIMIT:
            return f"message.text must be at most {TEXT_LIMIT} characters"
        return None

    async def _upload(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        _, failure = self._gate(rec)
        if failure is not None:
            return failure
        part = rec.body.get("file")
        if not isinstance(part, dict) or not part.get("bytes"):
            return _err(-201, "file is required")
        if len(part["bytes"]) > IMAGE_LIMIT_BYTES:
            return _err(-201, "image is larger than 1MB")
        if part.get("content_type") not in ("image/jpeg", "image/png", "image/gif"):
            return _err(-201, "only jpg, png and gif images are accepted")
        attachment_id = f"att{next(self._ids):020d}"
        self.uploads[attachment_id] = part["bytes"]
        return _ok({"attachment_id": attachment_id})

    async def _user_detail(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        oa_id, failure = self._gate(rec)
        if failure is not None:
            return failure
        try:
            user_id = json.loads(rec.query.get("data", "")).get("user_id")
        except (ValueError, AttributeError):
            return _err(-201, "data is invalid")
        user = self._users.get((str(oa_id), str(user_id)))
        if user is None:
            return _err(-201, "user_id is invalid")
        last = user.last_wrote
        return _ok({
            "user_id": user.user_id, "user_id_by_app": f"app{user.user_id}",
            "display_name": user.display_name, "user_alias": "", "user_is_follower": user.follower,
            "avatar": f"https://s120.avatar.fake/{user.user_id}.jpg",
            "avatars": {"120": f"https://s120.avatar.fake/{user.user_id}.jpg",
                        "240": f"https://s240.avatar.fake/{user.user_id}.jpg"},
            "user_last_interaction_date": time.strftime("%d/%m/%Y", time.localtime(last)) if last else "",
            "is_sensitive": False,
            "shared_info": {"name": user.display_name, "phone": user.phone or ""} if user.phone else {},
            "tags_and_notes_info": {"tag_names": [], "notes": []},
        })  # fmt: skip

    # -- ZNS ---------------------------------------------------------------------------------
    async def _zns(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        oa_id, failure = self._gate(rec)
        if failure is not None:
            return failure
        oa = self._oas[str(oa_id)]
        body = rec.body
        phone = body.get("phone")
        if not isinstance(phone, str) or not PHONE_84.fullmatch(phone):
            return _err(-108, "Phone number is invalid")
        template_id = str(body.get("template_id", ""))
        params = self._templates.get(template_id)
        if params is None:
            return _err(-109, "Template id is invalid")
        data = body.get("template_data")
        if not isinstance(data, dict) or set(data) != set(params):
            got = sorted(data) if isinstance(data, dict) else None
            return _err(-112, f"Template data is invalid: expected {sorted(params)}, got {got}")
        if oa.remaining_quota <= 0:
            return _err(-115, "Out of quota")
        oa.remaining_quota -= 1
        msg_id = f"{next(self._ids):032x}"
        tracking = body.get("tracking_id")
        tracking_id = str(tracking) if tracking is not None else None
        self.zns_sent.append(SentZns(oa.oa_id, phone, template_id, data, tracking_id, msg_id))
        if oa.webhook_url:
            task = asyncio.create_task(self._zns_receipt(oa, phone, msg_id, tracking_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return _ok({
            "msg_id": msg_id, "sent_time": str(int(self.clock() * 1000)), "sending_mode": "1",
            "quota": {"dailyQuota": str(oa.daily_quota), "remainingQuota": str(oa.remaining_quota)},
        })  # fmt: skip

    async def _zns_receipt(self, oa: _Oa, phone: str, msg_id: str, tracking_id: str | None) -> None:
        await asyncio.sleep(self.zns_delivery_delay_s)
        user_id = next(
            (u.user_id for (o, _), u in self._users.items() if o == oa.oa_id and u.phone == phone),
            f"9{int(phone):018d}"[:19],  # ZNS reaches non-followers too; invent a stable uid
        )
        now = str(int(self.clock() * 1000))
        message: dict[str, Any] = {"msg_id": msg_id, "delivery_time": now}
        if tracking_id is not None:
            message["tracking_id"] = tracking_id
        payload = {
            "event_name": "user_received_message", "app_id": oa.app_id,
            "sender": {"id": oa.oa_id}, "recipient": {"id": user_id},
            "message": message, "timestamp": now,
        }  # fmt: skip
        assert oa.webhook_url is not None
        await self.deliver_event(oa.webhook_url, payload, oa_id=oa.oa_id)

    async def _template_info(self, request: web.Request) -> web.Response:
        rec = await self._record(request)
        _, failure = self._gate(rec)
        if failure is not None:
            return failure
        template_id = rec.query.get("template_id", "")
        params = self._templates.get(template_id)
        if params is None:
            return _err(-109, "Template id is invalid")
        return _ok({
            "templateId": template_id, "status": "ENABLE",
            "listParams": [{"name": p, "require": True, "type": "STRING", "maxLength": 30,
                            "minLength": 0, "acceptNull": False} for p in params],
        })  # fmt: skip

    # -- control routes (demos by hand) ------------------------------------------------------
    async def _control_deliver(self, request: web.Request) -> web.Response:
        spec = await request.json()
        status = await self.deliver_text(
            spec["webhook_url"], spec["oa_id"], spec["user_id"], spec["text"]
        )
        return web.json_response({"status": status})

    async def _control_sent(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"cs": [{"user_id": m.user_id, "message": m.message} for m in self.sent],
             "zns": [{"phone": z.phone, "template_id": z.template_id, "data": z.template_data}
                     for z in self.zns_sent]}
        )  # fmt: skip

    # -- webhook side ------------------------------------------------------------------------
    def user_event(
        self,
        oa_id: str,
        user_id: str,
        event_name: str,
        message: dict[str, Any],
        *,
        timestamp_ms: int | None = None,
    ) -> dict[str, Any]:
        oa = self._oas[oa_id]
        ts = timestamp_ms if timestamp_ms is not None else int(self.clock() * 1000)
        return {
            "app_id": oa.app_id, "user_id_by_app": f"app{user_id}", "event_name": event_name,
            "sender": {"id": user_id}, "recipient": {"id": oa_id},
            "message": message, "timestamp": str(ts),
        }  # fmt: skip

    async def _deliver_user_message(
        self,
        webhook_url: str,
        oa_id: str,
        user_id: str,
        event_name: str,
        message: dict[str, Any],
        timestamp_ms: int | None,
    ) -> int:
        msg_id = str(message.setdefault("msg_id", f"{next(self._ids):032x}"))
        self._msg_index[(oa_id, msg_id)] = user_id
        self.user_wrote(oa_id, user_id)
        payload = self.user_event(oa_id, user_id, event_name, message, timestamp_ms=timestamp_ms)
        return await self.deliver_event(webhook_url, payload, oa_id=oa_id)

    async def deliver_text(
        self,
        webhook_url: str,
        oa_id: str,
        user_id: str,
        text: str,
        *,
        msg_id: str | None = None,
        timestamp_ms: int | None = None,
    ) -> int:
        """A `user_send_text` event, signed; opens the user's window. Returns the HTTP status."""
        message: dict[str, Any] = {"text": text}
        if msg_id:
            message["msg_id"] = msg_id
        return await self._deliver_user_message(
            webhook_url, oa_id, user_id, "user_send_text", message, timestamp_ms
        )

    async def deliver_image(
        self, webhook_url: str, oa_id: str, user_id: str, url: str, *, text: str = ""
    ) -> int:
        message = {"text": text, "attachments": [
            {"type": "image", "payload": {"thumbnail": url, "url": url}}]}  # fmt: skip
        return await self._deliver_user_message(
            webhook_url, oa_id, user_id, "user_send_image", message, None
        )

    async def deliver_sticker(
        self, webhook_url: str, oa_id: str, user_id: str, sticker_id: str = "7d8a1bc"
    ) -> int:
        message = {"text": "", "attachments": [
            {"type": "sticker", "payload": {"id": sticker_id,
                                             "url": f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker_id}"}}]}  # fmt: skip
        return await self._deliver_user_message(
            webhook_url, oa_id, user_id, "user_send_sticker", message, None
        )

    async def deliver_event(self, webhook_url: str, payload: dict[str, Any], *, oa_id: str) -> int:
        """Serialise `payload`, sign it with the OA's secret and POST exactly those bytes."""
        oa = self._oas[oa_id]
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        mac = sign(
            raw, str(payload.get("app_id", "")), str(payload.get("timestamp", "")), oa.oa_secret_key
        )
        headers = {"Content-Type": "application/json", "X-ZEvent-Signature": mac}
        return await self.deliver_raw(webhook_url, raw, headers, payload=payload)

    async def deliver_raw(
        self,
        webhook_url: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        *,
        payload: dict[str, Any] | None = None,
    ) -> int:
        """POST arbitrary bytes (forged or missing signatures, malformed JSON)."""
        async with (
            aiohttp.ClientSession() as session,
            session.post(webhook_url, data=body, headers=headers or {}) as resp,
        ):
            await resp.read()
            self.deliveries.append(Delivery(webhook_url, payload, resp.status))
            return resp.status


async def _serve(port: int, webhook_url: str | None) -> None:
    fake = FakeZalo()
    access, refresh = fake.add_oa(
        "4318263722480000001", app_id="2001000000000000001", app_secret_key="fake-app-secret",
        oa_secret_key="fake-oa-secret", webhook_url=webhook_url,
        access_token="fake-access-token", refresh_token="fake-refresh-token",
    )  # fmt: skip
    fake.add_template("100001", ["customer_name", "booking_time", "branch"])
    await fake.start(port)
    print(
        f"Fake Zalo OA/OAuth/ZNS on {fake.base_url}\n  OA 4318263722480000001, app 2001000000000000001"
        f"\n  app secret fake-app-secret, OA secret fake-oa-secret"
        f"\n  access token {access}, refresh token {refresh}, ZNS template 100001",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake Zalo OA + OAuth + ZNS for demos and tests")
    parser.add_argument("--port", type=int, default=18091)
    parser.add_argument("--webhook-url", default=None, help="where to post ZNS delivery receipts")
    args = parser.parse_args()
    try:
        asyncio.run(_serve(args.port, args.webhook_url))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
