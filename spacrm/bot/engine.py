"""The conversation engine: handle(ChatEvent) -> list[Reply], the same for every staff channel.

Routing order: repeated event → unlinked user → cancel → button payload → slash command →
the answer to a pending question → the parser's intent. A message that is a request of its own
is never taken as the answer to a pending question (#6): the question is dropped, and said so.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from spacrm.bot.answers import answer_slots
from spacrm.bot.errors import error_text
from spacrm.bot.understand import NO, YES, new_request, understand
from spacrm.bot.usage import log_turn
from spacrm.core import changes, clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import MAX_RECORD_ID, record_id
from spacrm.core.services import dialogs, inbound, linking
from spacrm.core.services.cards import lead_card
from spacrm.core.services.users import set_language
from spacrm.core.textnorm import fold_words
from spacrm.intents.chat import ChatEvent, Reply
from spacrm.intents.context import CANCEL, Ctx
from spacrm.intents.staff import intents
from spacrm.intents.staff.buttons import HANDLERS
from spacrm.intents.staff.card import card_reply, render_card
from spacrm.intents.staff.case_card import case_reply
from spacrm.intents.staff.link import handle_unlinked
from spacrm.intents.staff.resolve import OTHER_CUSTOMER
from spacrm.intents.texts import t

log = logging.getLogger(__name__)
MAX_TEXT = 4000
_HAS_WORD = re.compile(r"\w", re.UNICODE)
_COMMANDS = {"/help": "help", "/menu": "help", "/start": "help", "/dashboard": "dashboard",
             "/leads": "list_leads", "/tongquan": "dashboard", "/khach": "list_leads",
             "/baocao": "chart", "/reports": "chart", "/kpi": "kpi_report"}  # fmt: skip
_PENDING_PAYLOADS = {"pk": "lead_id", "kd": "kind", "dt": "date", "mh": "method"}
# Bad input ends the dialog it came in: nothing half-done is kept waiting.
_DROP_PENDING = (
    ErrorCode.INVALID_PHONE, ErrorCode.INVALID_EMAIL, ErrorCode.INVALID_TAX_CODE,
    ErrorCode.INVALID_CITIZEN_ID, ErrorCode.INVALID_VALUE, ErrorCode.NOT_FOUND,
    ErrorCode.FORBIDDEN, ErrorCode.DUPLICATE_HIDDEN,
)  # fmt: skip


_LEAD_BUTTONS = ("mv", "lc", "lg", "pl", "ms")
_CASE_BUTTONS = ("cs", "cv", "cx", "ck", "cr")


def _record_of(payload: str, prefixes: tuple[str, ...]) -> int | None:
    """The record id a button is about ("mv:12:booked:3" → 12), when its prefix is one of these."""
    prefix, _, rest = payload.partition(":")
    return record_id(rest.split(":")[0]) if prefix in prefixes else None


def _forged_number(arg: str) -> bool:
    """A payload argument no button of ours carries: "²" (a digit to isdigit(), not to int()) or
    a number too long for the id columns (a client can send any callback data)."""
    return arg.isdigit() and not (arg.isascii() and len(arg) <= 10 and int(arg) <= MAX_RECORD_ID)


# Runs before the staff engine on every staff channel; returns replies to take the message over
# (the customer-handoff feature: "Trả lời" on a handoff, then the typed answer), or None.
Hook = Callable[[ChatEvent], Awaitable[list[Reply] | None]]


class Engine:
    def __init__(self, default_lang: str = "vi") -> None:
        self.default_lang = default_lang
        self._intents = intents()
        self.before: Hook | None = None

    async def handle(
        self,
        event: ChatEvent,
        *,
        actor: Actor | None = None,
        progress: Callable[[str], Awaitable[None]] | None = None,
    ) -> list[Reply]:
        if event.event_id and not await inbound.first_time(event.channel, event.event_id):
            return []  # a repeated delivery: already answered
        try:
            if self.before is not None:
                hooked = await self.before(event)
                if hooked is not None:
                    return hooked
            if actor is None:
                actor = await linking.actor_for_identity(event.channel, event.external_user_id)
            if actor is None:
                return await handle_unlinked(event, self.default_lang, error_text)
            return await self._handle(event, actor, progress)
        except Exception:
            ref = secrets.token_hex(3)
            log.exception(
                "unexpected error ref=%s channel=%s chat=%s", ref, event.channel, event.chat_id
            )
            return [Reply(t(actor.lang if actor else self.default_lang, "err.unexpected", ref=ref))]

    async def _handle(
        self,
        event: ChatEvent,
        actor: Actor,
        progress: Callable[[str], Awaitable[None]] | None = None,
    ) -> list[Reply]:
        state = await dialogs.load(event.channel, event.chat_id)
        before = repr(state)
        ctx = Ctx(actor=actor, event=event, now=clock.local_now(), state=state, progress=progress)
        with changes.tracking() as noted:  # what this turn creates or changes (#33)
            try:
                replies = await self._route(ctx)
            except DomainError as exc:
                noted.discard()  # refused: its transaction rolled back, nothing was kept
                replies = await self._error_replies(ctx, exc)
        if repr(ctx.state) != before:
            await dialogs.save(event.channel, event.chat_id, ctx.state)
        await log_turn(ctx, noted)  # the usage log (#33)
        return replies or [Reply(ctx.t("unknown.text"))]

    async def _error_replies(self, ctx: Ctx, exc: DomainError) -> list[Reply]:
        text = error_text(exc, ctx.lang)
        if exc.code == ErrorCode.DUPLICATE_HIDDEN and exc.params.get("owner"):
            text = ctx.t("err.duplicate_team", owner=exc.params["owner"])
        if exc.code == ErrorCode.DUPLICATE_VISIBLE and exc.params.get("kind") == "lead":
            ctx.done()
            dup = await lead_card(ctx.actor, int(exc.params["ref_id"]))
            mine = dup.lead.owner_id == ctx.actor.user_id
            whose = (
                ctx.t("err.duplicate_yours")
                if mine
                else ctx.t("err.duplicate_of", owner=dup.owner_name)
            )
            ctx.set_focus(dup.lead.id)
            return [render_card(ctx, dup, headline=text + "\n" + whose)]
        if exc.code == ErrorCode.STALE and ctx.event.payload:
            # The toast says why; the message under the button is refreshed to the current state.
            case_id = _record_of(ctx.event.payload, _CASE_BUTTONS)
            if case_id is not None:
                card = await case_reply(ctx, case_id, edit=True)
                card.toast = text
                return [card]
            lead_id = _record_of(ctx.event.payload, _LEAD_BUTTONS)
            if lead_id is not None:
                card = await card_reply(ctx, lead_id, edit=True)
                card.toast = text
                return [card]
            return [Reply(text, toast=text)]
        if exc.code in _DROP_PENDING:
            ctx.done()
        return [Reply(text, toast=text if ctx.event.payload else None)]

    async def _route(self, ctx: Ctx) -> list[Reply]:
        event = ctx.event
        if event.payload is not None:
            return await self._button(ctx, event.payload)
        text = (event.text or "").strip()
        if not text:
            return [Reply(ctx.t("err.empty" if not event.attachments else "err.attachment"))]
        if len(text) > MAX_TEXT:
            return [Reply(ctx.t("err.too_long", limit=MAX_TEXT))]
        if not _HAS_WORD.search(text):
            return [Reply(ctx.t("err.emoji"))]
        folded = text.lower()
        if folded in ("/cancel", "hủy", "huỷ", "huy", "thôi", "cancel"):
            if not ctx.state.get("pending"):
                return [Reply(ctx.t("ok.nothing_to_cancel"))]
            ctx.done()
            return [Reply(ctx.t("ok.cancelled"))]
        if folded.startswith("/"):
            command = folded.split()[0].split("@")[0]
            if command in ("/lang", "/language", "/ngonngu"):
                return await self._language(ctx, folded.split()[1:])
            return await self._intents.get(_COMMANDS.get(command, "help"), self._intents["help"])(
                ctx, {}
            )
        pending = ctx.state.get("pending")
        if pending and pending.get("confirm"):
            key = fold_words(text).strip(" .!")
            if key in YES:
                return await self._continue(ctx, pending, {"lead_id": pending["confirm"]})
            if key in NO:
                return ctx.ask(
                    pending["intent"], pending["slots"], "customer", ctx.t("ask.customer")
                )
        result = understand(ctx, text)
        if pending and not new_request(pending["await"], result, text):
            filled = answer_slots(pending["await"], text, ctx.now)
            if filled is not None:
                return await self._continue(ctx, pending, filled)
            if result.intent == "unknown":
                return [Reply(ctx.t("err.not_an_answer"))]
        ctx.done()
        replies = await self._intents[result.intent](ctx, dict(result.slots))
        if pending and replies:
            # The earlier question is dropped: say so on top of the new answer.
            replies[0].text = ctx.t("note.pending_dropped") + "\n" + replies[0].text
        return replies

    async def _language(self, ctx: Ctx, args: list[str]) -> list[Reply]:
        lang = args[0] if args else ("en" if ctx.lang == "vi" else "vi")
        ctx.actor = await set_language(ctx.actor, lang=lang)
        return [Reply(ctx.t("ok.language"))]

    async def _continue(
        self, ctx: Ctx, pending: dict[str, Any], filled: dict[str, Any]
    ) -> list[Reply]:
        slots = {**pending["slots"], **filled}
        if "lead_id" in filled or pending["await"] == "pick":
            for key in ("customer", "phone", "email", "tax_code"):
                if key not in filled:
                    slots.pop(key, None)
        ctx.done()
        return await self._intents[pending["intent"]](ctx, slots)

    async def _button(self, ctx: Ctx, payload: str) -> list[Reply]:
        if payload == CANCEL:
            ctx.done()
            return [Reply(ctx.t("ok.cancelled"), edit=True, toast=ctx.t("ok.cancelled"))]
        prefix, _, rest = payload.partition(":")
        args = rest.split(":") if rest else []
        if any(_forged_number(a) for a in args):
            return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
        if prefix == OTHER_CUSTOMER:  # "Khách khác": the guessed customer was not the one
            pending = ctx.state.get("pending")
            if not pending:
                return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
            return ctx.ask(pending["intent"], pending["slots"], "customer", ctx.t("ask.customer"))
        if prefix in _PENDING_PAYLOADS:
            pending = ctx.state.get("pending")
            offered = pending.get("offered") if pending else None
            if (
                not pending
                or not args
                or (offered is not None and payload not in offered)
                or (prefix == "pk" and record_id(args[0]) is None)
            ):
                return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
            return await self._continue(ctx, pending, {_PENDING_PAYLOADS[prefix]: args[0]})
        handler = HANDLERS.get(prefix)
        if handler is None:
            return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
        try:
            return await handler(ctx, args)
        except (ValueError, IndexError, KeyError):
            # A payload none of our buttons carries (a client can send any callback data): a
            # missing or non-numeric part, or a code outside the handler's table ("of:1:2:zz").
            return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
