"""A fake Telegram Bot API server for tests and hand-run demos.

It is a real HTTP server on 127.0.0.1 (aiohttp.web) so the real aiogram client talks to it over
loopback, exactly as it would talk to api.telegram.org::

    async with FakeTelegram(token="123456:TEST") as tg:
        bot = Bot(tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
        await tg.push_message(42, "xin chào")          # user input (getUpdates queue or webhook POST)
        sent = await tg.wait_for_sent(lambda m: m.chat_id == 42)
        assert "chào" in sent.text

aiogram sends every call as a POST with a form body: urlencoded without files and *chunked*
multipart with them (see /work/shared/protocols/telegram.md §1.2), so the body parser below
handles JSON, urlencoded and multipart and decodes the nested JSON-in-a-form-field values.

Run by hand (a tiny console lets a human play the customer/staff member)::

    python -m tests.fakes.telegram --port 8081 --token 123456:TEST
    > 42 xin chào                  # user 42 sends "xin chào"
    > /cb 42 7 lead:1              # user 42 presses the button "lead:1" on message 7
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, ClientError, ClientSession, ClientTimeout, MultipartReader, web

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

# Fields that aiogram (and other clients) send as JSON strings inside a form field.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "media",
        "commands",
        "scope",
        "reply_parameters",
        "link_preview_options",
    }
)

# Methods whose successful result is a message the bot "sent" (what tests usually assert on).
SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Recorded:
    """One request the fake received, after body parsing (form values stay strings)."""

    method: str
    params: JSONDict
    files: dict[str, bytes] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)
    status: int = 0  # HTTP status the fake answered with; 0 while still in flight (long poll)


@dataclass
class SentMessage:
    """A message the bot successfully sent or edited, in the order it happened."""

    method: str
    chat_id: int
    message_id: int
    text: str | None  # the text, or the caption for photos/documents
    reply_markup: JSONDict | None
    params: JSONDict
    files: dict[str, bytes]
    message: JSONDict  # the Message object the fake answered with

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons flattened row by row as (label, callback_data or url)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            (str(b.get("text")), b.get("callback_data") or b.get("url"))
            for row in rows
            for b in row
        ]


@dataclass
class WebhookDelivery:
    """One attempt to POST an update to the registered webhook."""

    update: JSONDict
    status: int | None  # None when the connection itself failed
    error: str | None = None
    answered_method: str | None = None  # a method call the webhook answered with, if any


class TelegramError(Exception):
    """Raised inside method handlers; becomes the Bot API error envelope."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None
    remaining: int
    succeed_first: int = 0  # calls that still succeed before this failure starts


Handler = Callable[[JSONDict, dict[str, bytes], dict[str, str]], Awaitable[Any]]


def _bad(description: str) -> TelegramError:
    return TelegramError(400, f"Bad Request: {description}")


def _utf16_len(text: str) -> int:
    # Telegram measures entities in UTF-16 code units; counting the same way is the conservative
    # choice (an emoji counts 2), so a splitter that satisfies the fake satisfies Telegram.
    return len(text.encode("utf-16-le")) // 2


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


def _opt_int(params: JSONDict, key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f"invalid {key} specified") from None


def _req_int(params: JSONDict, key: str) -> int:
    value = _opt_int(params, key)
    if value is None:
        raise _bad(f"{key} is empty")
    return value


async def _read_multipart(
    reader: MultipartReader, params: JSONDict
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Read form fields into params; return the file parts keyed by part name (+ filenames)."""
    raw: dict[str, bytes] = {}
    names: dict[str, str] = {}
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is not None:
            raw[part.name] = bytes(await part.read(decode=False))
            names[part.name] = part.filename
        else:
            params[part.name] = await part.text()
    return raw, names


def _resolve_files(
    params: JSONDict, raw: dict[str, bytes], raw_names: dict[str, str]
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Map `photo=attach://x` + part x to files["photo"]; keep directly named parts as they are."""
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    used: set[str] = set()
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            ref = value.removeprefix("attach://")
            if ref in raw:
                files[key] = raw[ref]
                names[key] = raw_names.get(ref, ref)
                used.add(ref)
    for ref, data in raw.items():
        if ref not in used:
            files[ref] = data
            names[ref] = raw_names.get(ref, ref)
            params.setdefault(ref, f"attach://{ref}")
    return files, names


def _decode_json_fields(params: JSONDict) -> None:
    for key in JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str):
            try:
                params[key] = json.loads(value)
            except ValueError:
                raise _bad(f"can't parse {key} JSON object") from None


async def parse_body(
    headers: Any, content: Any, query: dict[str, str] | None = None
) -> tuple[JSONDict, dict[str, bytes], dict[str, str]]:
    """Parse a Bot API call body (JSON, urlencoded or multipart, chunked or not)."""
    params: JSONDict = dict(query or {})
    raw: dict[str, bytes] = {}
    raw_names: dict[str, str] = {}
    ctype = str(headers.get("Content-Type", "")).split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        raw, raw_names = await _read_multipart(MultipartReader(headers, content), params)
    else:
        body = bytes(await content.read())
        if body and ctype == "application/json":
            try:
                data = json.loads(body)
            except ValueError:
                raise _bad("can't parse JSON body") from None
            if not isinstance(data, dict):
                raise _bad("JSON body must be an object")
            params.update(data)
        elif body:
            from urllib.parse import parse_qsl

            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    files, names = _resolve_files(params, raw, raw_names)
    _decode_json_fields(params)
    return params, files, names


def _normalise_markup(markup: Any) -> JSONDict | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup and not any(markup["inline_keyboard"] or []):
        return None  # an empty inline keyboard means "no keyboard" (that is how bots remove one)
    return markup


def _check_markup(markup: JSONDict | None) -> None:
    if not markup or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise _bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in button:
                size = len(str(button["callback_data"]).encode("utf-8"))
                if not 1 <= size <= CALLBACK_DATA_LIMIT:
                    raise _bad("BUTTON_DATA_INVALID")


def _check_text(value: Any) -> str:
    text = "" if value is None else str(value)
    if not text.strip():
        raise _bad("message text is empty")
    # Entity parsing (parse_mode) would shorten the text; we count the raw text, conservatively.
    if _utf16_len(text) > TEXT_LIMIT:
        raise _bad("message text is too long")
    return text


def _check_caption(value: Any) -> str | None:
    if value is None or value == "":
        return None
    caption = str(value)
    if _utf16_len(caption) > CAPTION_LIMIT:
        raise _bad("message caption is too long")
    return caption


class FakeTelegram:
    """Bot API server on 127.0.0.1; see the module docstring for usage."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "spacrm_test_bot",
        bot_first_name: str = "SpaCRM",
        webhook_timeout: float = 10.0,
    ) -> None:
        if not re.match(r"^\d+:\S+$", token):
            raise ValueError("token must look like 123456:ABC (aiogram validates the same shape)")
        self.token = token
        self.host = host
        self.port = port
        self.bot_user: JSONDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.webhook_timeout = webhook_timeout

        # What tests read and tweak.
        self.requests: list[Recorded] = []
        self.blocked: set[int] = set()
        self.outage = False  # True: every method answers 502, as when Telegram is unreachable
        # Flood control: until this loop time every send method answers 429 (see `flood`).
        self.flood_until = 0.0
        self.flood_retry_after = 2
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.commands: list[JSONDict] = []
        self.callback_answers: dict[str, JSONDict] = {}
        self.messages: dict[tuple[int, int], JSONDict] = {}  # (chat_id, message_id) -> Message
        self.files: dict[str, bytes] = {}  # file_id -> bytes of uploads
        self.on_sent: Callable[[SentMessage], None] | None = None  # used by the console
        # Seconds a send method holds its answer after the message exists: the recipient can see
        # (and reply to) it before the bot learns its message_id, as on a slow network.
        self.send_latency = 0.0

        self._sent: list[SentMessage] = []
        self._sent_cursor = 0
        self._pending: list[JSONDict] = []
        self._allowed_updates: list[str] = []
        self._next_update_id = 1
        self._next_message_id: dict[int, int] = {}
        self._issued_callbacks: set[str] = set()
        self._users: dict[int, JSONDict] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._last_webhook_error: str | None = None
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._http: ClientSession | None = None

        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._send_chat_action,
        }
        self._by_lower = {name.lower(): name for name in self._handlers}

    # ----------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        """Pass to `TelegramAPIServer.from_base(...)`."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # A short shutdown timeout: long polls are woken on stop, nothing should linger.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])  # the real port when 0 was asked for
        self._http = ClientSession(timeout=ClientTimeout(total=self.webhook_timeout))
        self._closing = False
        return self

    async def stop(self) -> None:
        self._closing = True  # long-polling getUpdates calls return at their next look
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- test controls
    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        count: int = 1,
        after: int = 0,
    ) -> None:
        """Make the next `count` calls of `method` ("*" = any) fail with `status` (after
        `after` more successful calls: a 429 in the middle of a long message's parts).

        A 429 carries `parameters.retry_after` (3 s unless given) so aiogram raises
        TelegramRetryAfter; other statuses carry it only when `retry_after` is passed.
        """
        if status == 429 and retry_after is None:
            retry_after = 3
        if description is None:
            base = _DEFAULT_DESCRIPTIONS.get(status, "Error")
            description = f"{base}: retry after {retry_after}" if status == 429 else base
        key = "*" if method == "*" else method.lower()
        failure = _Failure(status, description, retry_after, count, after)
        self._failures.setdefault(key, []).append(failure)

    def flood(self, seconds: float, retry_after: int = 2) -> None:
        """For `seconds` from now, every send method answers 429 with `retry_after` (a bot
        over Telegram's limits); other methods (getUpdates, answers) keep working."""
        self.flood_until = asyncio.get_running_loop().time() + seconds
        self.flood_retry_after = retry_after

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Successful sendMessage/sendPhoto/sendDocument/edit* calls, in order."""
        return [s for s in self._sent if chat_id is None or s.chat_id == chat_id]

    def calls(self, method: str) -> list[Recorded]:
        """Recorded requests of one method (case-insensitive)."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    # A timeout argument (not asyncio.timeout) keeps test code short: the wait is the assertion.
    async def wait_for_sent(
        self,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 5.0,
    ) -> SentMessage:
        """Return the next sent message matching `predicate`.

        "Next" is relative to what earlier `wait_for_sent` calls already returned, not to the
        moment of the call, so a reply the bot sent before the test started waiting is not lost.
        """

        # Polling, not an asyncio.Condition: a waiter cancelled by its timeout must never be
        # left waiting to re-acquire a lock (a hang instead of a failure).
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for i in range(self._sent_cursor, len(self._sent)):
                if predicate is None or predicate(self._sent[i]):
                    self._sent_cursor = i + 1
                    return self._sent[i]
            if loop.time() >= deadline:
                break
            await asyncio.sleep(0.01)
        seen = [(s.chat_id, s.text) for s in self._sent[self._sent_cursor :]]
        raise TimeoutError(f"no matching message sent within {timeout}s; unconsumed sends: {seen}")

    async def push_message(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Lan",
        username: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSONDict:
        """A user writes to the bot in a private chat; delivered by getUpdates or webhook."""
        user = self._remember_user(user_id, first_name, username)
        message: JSONDict = {
            "message_id": self._new_message_id(user_id),
            "from": user,
            "chat": self._chat(user_id),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        if reply_to_message_id is not None:
            original = self.messages.get((user_id, reply_to_message_id))
            message["reply_to_message"] = original or {
                "message_id": reply_to_message_id,
                "date": int(time.time()),
                "chat": self._chat(user_id),
            }
        self.messages[(user_id, message["message_id"])] = message
        return await self._push({"message": message})

    async def push_callback(self, user_id: int, data: str, message_id: int) -> JSONDict:
        """A user presses an inline button with `data` under the bot message `message_id`."""
        user = self._users.get(user_id) or self._remember_user(user_id, "Lan", None)
        query_id = str(secrets.randbits(60))
        self._issued_callbacks.add(query_id)
        query: JSONDict = {
            "id": query_id,
            "from": user,
            "chat_instance": str(user_id * 7919),
            "data": data,
        }
        original = self.messages.get((user_id, message_id))
        if original is not None:
            query["message"] = original
        return await self._push({"callback_query": query})

    # ----------------------------------------------------------------- plumbing
    def _remember_user(self, user_id: int, first_name: str, username: str | None) -> JSONDict:
        user: JSONDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "vi",
        }
        if username:
            user["username"] = username
        self._users[user_id] = user
        return user

    def _chat(self, chat_id: int) -> JSONDict:
        chat: JSONDict = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        user = self._users.get(chat_id)
        if user is not None:
            chat["first_name"] = user["first_name"]
            if "username" in user:
                chat["username"] = user["username"]
        return chat

    def _new_message_id(self, chat_id: int) -> int:
        # Private chats share one message_id sequence between the user and the bot.
        next_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = next_id + 1
        return next_id

    async def _push(self, payload: JSONDict) -> JSONDict:
        update: JSONDict = {"update_id": self._next_update_id, **payload}
        self._next_update_id += 1
        if self.webhook_url:
            await self._deliver_webhook(update)
        else:
            self._pending.append(update)
        return update

    async def _deliver_webhook(self, update: JSONDict) -> None:
        assert self._http is not None, "FakeTelegram is not started"
        assert self.webhook_url is not None
        headers = {"Content-Type": "application/json"}
        if self.webhook_secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
        delivery = WebhookDelivery(update=update, status=None)
        self.webhook_deliveries.append(delivery)
        try:
            async with self._http.post(
                self.webhook_url, data=json.dumps(update), headers=headers
            ) as resp:
                delivery.status = resp.status
                if resp.status == 200:
                    delivery.answered_method = await self._run_webhook_answer(resp)
        except (ClientError, TimeoutError) as exc:
            delivery.error = f"{type(exc).__name__}: {exc}"
        if delivery.status != 200:
            # Telegram keeps undelivered updates and reports the error in getWebhookInfo.
            self._last_webhook_error = (
                delivery.error or f"Wrong response from the webhook: {delivery.status}"
            )
            self._pending.append(update)

    async def _run_webhook_answer(self, resp: Any) -> str | None:
        """Execute a method call returned in the webhook response, as Telegram does."""
        if not resp.headers.get("Content-Type"):
            return None
        try:
            params, files, names = await parse_body(resp.headers, resp.content)
        except TelegramError:
            return None
        method = params.pop("method", None)
        if not method:
            return None
        await self._call(str(method), params, files, names)
        return str(method)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(TelegramError(401, "Unauthorized").envelope(), status=401)
        try:
            params, files, names = await parse_body(
                request.headers, request.content, dict(request.query)
            )
        except TelegramError as exc:
            return web.json_response(exc.envelope(), status=exc.status)
        status, body = await self._call(request.match_info["method"], params, files, names)
        return web.json_response(
            body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False)
        )

    async def _call(
        self, method: str, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> tuple[int, JSONDict]:
        canonical = self._by_lower.get(method.lower())
        record = Recorded(canonical or method, params, files, names)
        self.requests.append(record)
        try:
            if canonical is None:
                raise TelegramError(404, "Not Found")
            self._maybe_fail(canonical)
            result = await self._handlers[canonical](params, files, names)
            status, body = 200, {"ok": True, "result": result}
            if self.send_latency and canonical in SEND_METHODS:
                await asyncio.sleep(self.send_latency)
        except TelegramError as exc:
            status, body = exc.status, exc.envelope()
        record.status = status
        return status, body

    def _maybe_fail(self, method: str) -> None:
        if self.outage:
            raise TelegramError(502, "Bad Gateway")
        if method in SEND_METHODS and asyncio.get_running_loop().time() < self.flood_until:
            after = self.flood_retry_after
            raise TelegramError(429, f"Too Many Requests: retry after {after}", after)
        for key in (method.lower(), "*"):
            queue = self._failures.get(key)
            if queue:
                failure = queue[0]
                if failure.succeed_first > 0:
                    failure.succeed_first -= 1
                    return
                failure.remaining -= 1
                if failure.remaining <= 0:
                    queue.pop(0)
                raise TelegramError(failure.status, failure.description, failure.retry_after)

    def _target_chat(self, params: JSONDict) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        try:
            chat = int(chat_id)
        except (TypeError, ValueError):
            raise _bad("chat not found") from None  # @channel usernames are not modelled
        if chat in self.blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        return chat

    async def _record_sent(
        self, method: str, message: JSONDict, params: JSONDict, files: dict[str, bytes]
    ) -> None:
        sent = SentMessage(
            method=method,
            chat_id=message["chat"]["id"],
            message_id=message["message_id"],
            text=message.get("text", message.get("caption")),
            reply_markup=message.get("reply_markup"),
            params=params,
            files=files,
            message=message,
        )
        self._sent.append(sent)
        if self.on_sent is not None:
            self.on_sent(sent)

    def _new_bot_message(self, chat_id: int, params: JSONDict, extra: JSONDict) -> JSONDict:
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "from": {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **extra,
        }
        markup = _normalise_markup(params.get("reply_markup"))
        _check_markup(markup)
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # only inline keyboards are echoed back by Telegram
        reply_to = _opt_int(params, "reply_to_message_id")
        reply_params = params.get("reply_parameters")
        if reply_to is None and isinstance(reply_params, dict):
            reply_to = _opt_int(reply_params, "message_id")
        if reply_to is not None and (chat_id, reply_to) in self.messages:
            message["reply_to_message"] = self.messages[(chat_id, reply_to)]
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _store_upload(
        self, field_name: str, params: JSONDict, files: dict[str, bytes]
    ) -> tuple[str, bytes | None]:
        data = files.get(field_name)
        if data is None:
            ref = params.get(field_name)
            if not ref:
                raise _bad(f"there is no {field_name} in the request")
            data = self.files.get(str(ref))  # re-sent by file_id (or a URL we do not fetch)
            return str(ref), data
        file_id = f"FAKE{field_name.upper()}{secrets.token_urlsafe(12)}"
        self.files[file_id] = data
        return file_id, data

    # ----------------------------------------------------------------- Bot API methods
    async def _get_me(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        return self.bot_user

    async def _get_updates(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        if self.webhook_url:
            raise TelegramError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _opt_int(params, "offset")
        limit = max(1, min(100, _opt_int(params, "limit") or 100))
        timeout = max(0, _opt_int(params, "timeout") or 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]  # omitted = keep the previous one
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # Confirming: an offset above an update_id forgets that update for good.
        if offset is not None and offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset is not None and offset < 0:
            self._pending = self._pending[offset:]
        # Polling rather than an asyncio.Condition: a long poll cancelled when the client goes
        # away must never leave a lock behind (Python 3.11's wait_for + Condition can deadlock).
        while True:
            batch = [u for u in self._pending if self._allowed(u)][:limit]
            if batch or self._closing or self.webhook_url:
                return batch
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await asyncio.sleep(min(0.01, remaining))

    def _allowed(self, update: JSONDict) -> bool:
        if not self._allowed_updates:
            return True
        return any(key in self._allowed_updates for key in update if key != "update_id")

    async def _send_message(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        chat = self._target_chat(params)
        text = _check_text(params.get("text"))
        extra: JSONDict = {"text": text}
        if isinstance(params.get("entities"), list):
            extra["entities"] = params["entities"]
        message = self._new_bot_message(chat, params, extra)
        await self._record_sent("sendMessage", message, params, files)
        return message

    async def _send_photo(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        chat = self._target_chat(params)
        caption = _check_caption(params.get("caption"))
        file_id, data = self._store_upload("photo", params, files)
        size = len(data) if data is not None else 0
        extra: JSONDict = {
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": file_id[-12:],
                    "width": 90,
                    "height": 90,
                    "file_size": size,
                },
                {
                    "file_id": file_id,
                    "file_unique_id": file_id[-12:] + "x",
                    "width": 800,
                    "height": 800,
                    "file_size": size,
                },
            ]
        }
        if caption is not None:
            extra["caption"] = caption
        message = self._new_bot_message(chat, params, extra)
        await self._record_sent("sendPhoto", message, params, files)
        return message

    async def _send_document(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        chat = self._target_chat(params)
        caption = _check_caption(params.get("caption"))
        file_id, data = self._store_upload("document", params, files)
        document: JSONDict = {
            "file_id": file_id,
            "file_unique_id": file_id[-12:],
            "file_name": names.get("document", "document"),
            "file_size": len(data) if data is not None else 0,
        }
        extra: JSONDict = {"document": document}
        if caption is not None:
            extra["caption"] = caption
        message = self._new_bot_message(chat, params, extra)
        await self._record_sent("sendDocument", message, params, files)
        return message

    def _editable(self, params: JSONDict) -> JSONDict:
        chat = self._target_chat(params)
        message_id = _req_int(params, "message_id")
        message = self.messages.get((chat, message_id))
        if message is None:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise _bad("message can't be edited")
        return message

    async def _edit_message_text(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        text = _check_text(params.get("text"))
        markup = _normalise_markup(params.get("reply_markup"))
        _check_markup(markup)
        if params.get("inline_message_id"):
            return True  # inline messages are not tracked; Telegram answers True for them
        message = self._editable(params)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        if message["text"] == text and message.get("reply_markup") == markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
            )
        message["text"] = text
        if isinstance(params.get("entities"), list):
            message["entities"] = params["entities"]
        else:
            message.pop("entities", None)
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        await self._record_sent("editMessageText", message, params, files)
        return message

    async def _edit_message_reply_markup(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        markup = _normalise_markup(params.get("reply_markup"))
        _check_markup(markup)
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        if message.get("reply_markup") == markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
            )
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        await self._record_sent("editMessageReplyMarkup", message, params, files)
        return message

    @staticmethod
    def _set_markup(message: JSONDict, markup: JSONDict | None) -> None:
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup

    async def _answer_callback_query(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._issued_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if _utf16_len(str(params.get("text") or "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        self._issued_callbacks.discard(query_id)  # a query can be answered once
        self.callback_answers[query_id] = params
        return True

    async def _set_webhook(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret not in (None, "") and not _SECRET_RE.match(str(secret)):
            raise _bad("secret token contains unallowed characters")
        if _as_bool(params.get("drop_pending_updates")):
            self._pending.clear()
        # HTTPS and ports 443/80/88/8443 are not enforced: tests point this at http://127.0.0.1.
        self.webhook_url = url or None
        self.webhook_secret = str(secret) if secret else None
        self._last_webhook_error = None
        # A getUpdates in flight sees webhook_url at its next look and gives up.
        return True

    async def _delete_webhook(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        if _as_bool(params.get("drop_pending_updates")):
            self._pending.clear()
        self.webhook_url = None
        self.webhook_secret = None
        return True

    async def _get_webhook_info(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        info: JSONDict = {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
            "max_connections": 40,
        }
        if self._last_webhook_error:
            info["last_error_date"] = int(time.time())
            info["last_error_message"] = self._last_webhook_error
        return info

    async def _set_my_commands(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.match(str(cmd.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = commands
        return True

    async def _delete_message(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        chat = self._target_chat(params)
        message_id = _req_int(params, "message_id")
        if self.messages.pop((chat, message_id), None) is None:
            raise _bad("message to delete not found")
        return True

    async def _send_chat_action(
        self, params: JSONDict, files: dict[str, bytes], names: dict[str, str]
    ) -> Any:
        self._target_chat(params)
        if not params.get("action"):
            raise _bad("action is empty")
        return True


# --------------------------------------------------------------------- hand-run console
def _print_sent(sent: SentMessage) -> None:
    label = {"sendMessage": "", "sendPhoto": "[photo] ", "sendDocument": "[document] "}.get(
        sent.method, f"[{sent.method} #{sent.message_id}] "
    )
    print(f"\n<- bot to {sent.chat_id} (msg {sent.message_id}): {label}{sent.text or ''}")
    for text, data in sent.buttons:
        print(f"     [{text}] -> {data}")
    print("> ", end="", flush=True)


async def _console(tg: FakeTelegram) -> None:
    loop = asyncio.get_running_loop()
    print("Type 'USER_ID text' to send as a user, '/cb USER_ID MESSAGE_ID data' to press a button.")
    while True:
        print("> ", end="", flush=True)
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        line = line.strip()
        try:
            if line.startswith("/cb "):
                _, user, message_id, data = line.split(maxsplit=3)
                await tg.push_callback(int(user), data, int(message_id))
            elif line:
                user, text = line.split(maxsplit=1)
                await tg.push_message(int(user), text)
        except ValueError:
            print("? expected 'USER_ID text' or '/cb USER_ID MESSAGE_ID data'")


async def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API for demos")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST")
    args = parser.parse_args(argv)
    tg = FakeTelegram(args.token, host=args.host, port=args.port)
    tg.on_sent = _print_sent
    async with tg:
        print(f"Fake Telegram at {tg.base_url}  (token {tg.token})")
        await _console(tg)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main())
