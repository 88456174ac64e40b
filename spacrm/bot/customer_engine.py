"""Customer messages (Facebook, Zalo OA, widget) → trained answer / handoff / lead / case, and
the staff side of a handoff (replies from Telegram or the Zalo staff bot going back to the
customer).

Replies to the customer are returned to the channel adapter; messages to staff go through the
outbox ("telegram", or "zalo" with `audience: staff` for staff linked only on Zalo). Staff answers go through the outbox of the customer's channel; the widget
has no push, so its answers are only stored and polled.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import re
import sys
import time
from dataclasses import dataclass, replace

from spacrm.bot import customer_booking, customer_offer, kb_digest
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError
from spacrm.core.ids import format_phone
from spacrm.core.models import Conversation
from spacrm.core.permissions import record_id
from spacrm.core.services import (
    cases,
    channels,
    conversations,
    dialogs,
    kb,
    kb_training,
    kb_vectors,
    outbox,
)
from spacrm.core.services.linking import actor_for_identity
from spacrm.intents.chat import ChatEvent, Reply
from spacrm.intents.customer import detect, lang
from spacrm.intents.customer.texts import ATTACHMENT_NAMES, CHANNEL_NAMES, STAFF
from spacrm.knowledge import followup, parts
from spacrm.knowledge.answering import LLM, answer
from spacrm.knowledge.handoff import asks_for_person
from spacrm.knowledge.meaning import Meaning
from spacrm.knowledge.qa import Answer, QAPair
from spacrm.knowledge.retrieval import Retriever
from spacrm.knowledge.semantic import SemanticCache
from spacrm.knowledge.smalltalk import small_talk

log = logging.getLogger(__name__)
CANCEL_WORDS = frozenset({"hủy", "huỷ", "huy", "thôi", "cancel", "/cancel"})

THREAD_PREFIX = "conv:"
HISTORY = 6
MAX_QUESTION = 2000
REBUILD_WAIT = 2.0  # at most this many seconds a question waits for a new Q&A index
# What the conversation was last about (`followup.Topic`), one dialog row per conversation; a
# follow-up is read with it for this long after it was last understood.
TOPIC_STATE = "ctopic"
TOPIC_SECONDS = 30 * 60


@dataclass
class KnowledgeCache:
    """The retriever over the approved Q&A in the DB, rebuilt when the table changes (the CLI
    can import while the server runs)."""

    retriever: Retriever
    signature: tuple[int, str] = (-1, "")
    _building: asyncio.Task[None] | None = None
    build_seconds: float = 0.0  # how long the last build took

    @classmethod
    def empty(cls) -> KnowledgeCache:
        return cls(Retriever())

    async def current(self) -> Retriever:
        sig = await kb.approved_version()
        if sig != self.signature:
            if self._building is None or self._building.done():
                self._building = asyncio.get_running_loop().create_task(self._rebuild(sig))
            # A small Q&A is rebuilt in milliseconds: wait for it (an edit is answered at once).
            # A big one takes a minute: this question is answered from the previous index
            # meanwhile, at once (only this request would wait, never the event loop, but a
            # customer should not wait for an index either).
            first = self.signature == (-1, "")  # nothing to answer from yet: wait
            wait = min(REBUILD_WAIT, 2 * self.build_seconds + 0.1)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._building), None if first else wait)
        return self.retriever

    async def ready(self) -> Retriever:
        """`current`, waiting for the whole build, the meaning vectors included (a test that
        re-trains the bot, then asks, gets the same decision every run)."""
        await self.current()
        if self._building is not None:
            await asyncio.shield(self._building)
        return self.retriever

    async def _rebuild(self, sig: tuple[int, str]) -> None:
        started = time.perf_counter()
        # Loaded in chunks (kb.approved_pairs), built in a thread, swapped in one assignment:
        # the index build is pure CPU work (a minute for 100k pairs), so webhooks, /healthz and
        # the staff bot keep answering during an import, from the old index (issue 13 §7).
        pairs = [QAPair(p.id, p.question, p.answer, p.variants) for p in await kb.approved_pairs()]
        retriever = await asyncio.to_thread(_build, pairs)
        self.retriever, self.signature = retriever, sig
        self.build_seconds = time.perf_counter() - started
        # Then the semantic model's pair vectors (issue 7; only changed pairs after the first
        # build): the words answer alone meanwhile, and this time is not a question's to wait.
        retriever.meaning = await asyncio.to_thread(Meaning.build, pairs)


BIG_INDEX = 20_000  # pairs from which a built index is frozen out of the garbage collector


def _build(pairs: list[QAPair]) -> Retriever:
    """The index build, in a worker thread. The cyclic garbage collector is paused meanwhile:
    the build allocates millions of objects, each full collection walks all of them while
    holding the GIL, and the event loop stalled for seconds at a time (6.5 s max, build 96 s for
    30k pairs on a loaded machine; paused: 0.23 s max, 40 s). The build makes no cycles worth
    collecting. A big index is then frozen (gc.freeze): later collections skip it."""
    paused = gc.isenabled()
    gc.disable()
    # The event loop waits for the GIL at every await while this thread builds: hand it over
    # every millisecond instead of every 5 (a customer turn makes dozens of database awaits).
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 0.001))
    try:
        retriever = Retriever(pairs)
    finally:
        sys.setswitchinterval(interval)
        if paused:
            gc.enable()
    if len(pairs) >= BIG_INDEX:
        gc.freeze()
    return retriever


_EN_HELLO = re.compile(
    r"^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening))(?: there)?\b", re.I
)
_EN_THANKS = re.compile(r"^\W*(?:thanks|thank you|thx|ty)\b", re.I)


def _english_small_talk(text: str) -> str | None:
    """ "Hi there", "thank you!": a word back in English (only short messages: "hi, how much
    is a facial" is a question)."""
    if len(text.split()) > 4:
        return None
    if _EN_HELLO.search(text):
        return lang.customer("hello")
    if _EN_THANKS.search(text):
        return lang.customer("thanks")
    return None


def _short(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class CustomerEngine:
    def __init__(
        self, *, llm: LLM | None = None, facts: str = "", llm_timeout: float = 8.0
    ) -> None:
        self.knowledge = KnowledgeCache.empty()
        self.semantic = SemanticCache(kb_vectors.store)  # issue 7: Gemini embeddings, cached in DB
        self.llm = llm
        self.facts = facts
        self.llm_timeout = llm_timeout

    async def ask(self, question: str) -> Answer:
        retriever = await self.knowledge.current()
        # A 20,000-character message is answered from its beginning.
        return await answer(
            question[:MAX_QUESTION],
            retriever,
            self.facts,
            self.llm,
            timeout=self.llm_timeout,
            semantic=self.semantic,
        )

    async def reply(self, question: str, first: Answer | None = None) -> Answer:
        """What one message is answered, its parts included (knowledge.parts): the other
        questions answered surely are added to the answer to the whole (`first`, when the
        conversation already read it), and a handed-off message of two or three questions is
        answered part by part. Every channel and `spacrm ask` answer through here."""
        result = first or await self.ask(question)
        if result.handoff:
            asked = parts.asking(question, await self.knowledge.current())
            if asked is None:
                return result
            return parts.joined([await self.ask(part) for part in asked]) or result
        seen, more = {result.match}, []
        for part in parts.others(question):
            extra = await self.ask(part)
            if not extra.handoff and extra.text and extra.match not in seen:
                seen.add(extra.match)
                more.append(extra.text)
        return replace(result, text="\n".join([result.text, *more])) if more else result

    # -- customer side ----------------------------------------------------------------------------
    async def handle(self, event: ChatEvent) -> list[Reply]:
        """One customer message; returns what to send back on the same channel (already stored)."""
        conv = await conversations.open_conversation(
            event.channel, event.account_ref or "", event.external_user_id,
            display_name=event.display_name or detect.find_name(event.text or ""),
        )  # fmt: skip
        text = (event.text or "").strip()
        shown = text or " ".join(f"[{a}]" for a in event.attachments) or "[trống]"
        await conversations.record(conv, "customer", shown, msg_id=event.message_id)
        if conv.state == "closed":
            await conversations.set_state(conv, "bot")
        token = lang.CURRENT.set(await self._language(conv, text))
        if event.payload == customer_offer.YES:
            text = event.payload  # a press on the answer offered with a hand-off (Messenger)
        try:
            replies = await self._route(conv, text, event.attachments)
        finally:
            lang.CURRENT.reset(token)
        for reply in replies:
            await conversations.record(conv, "bot", reply.text)
        return replies

    @staticmethod
    async def _language(conv: Conversation, text: str) -> str:
        """The language she writes in: this message's when it shows one, else the one she wrote
        in before (a bare "14:00" or phone keeps it). Stored only when it is English or changes
        back, so Vietnamese conversations cost no write."""
        stored = str((await dialogs.load(lang.STATE, str(conv.id))).get("lang") or "vi")
        said = lang.detect(text)
        if said is not None and said != stored:
            await dialogs.save(lang.STATE, str(conv.id), {"lang": said})
        return said or stored

    async def _route(self, conv: Conversation, text: str, attachments: list[str]) -> list[Reply]:
        if conv.state == "handoff":
            offered = await customer_offer.take(conv) if text else None
            if offered is not None and customer_offer.read(text):
                return await self._offer_taken(conv, offered)
            await self._forward_to_staff(conv, text or " ".join(f"[{a}]" for a in attachments))
            if not text:
                return []
            phone = detect.find_phone(text)
            if phone and phone != conv.phone:
                await self._capture_lead(conv, phone)
            return []
        if not text:
            if attachments:
                what = ATTACHMENT_NAMES.get(attachments[0], "tin nhắn")
                return [Reply(lang.customer("non_text").format(what=what))]
            return [Reply(lang.customer("empty"))]
        replies: list[Reply] = []
        phone = detect.find_phone(text)
        if phone is None and (typo := detect.near_phone(text)) is not None:
            return [Reply(lang.customer("phone_check").format(digits=typo))]
        if phone and phone != conv.phone and await customer_booking.awaiting_name(conv):
            # "Lan 0912…" answering "tên và số điện thoại": the rest of the message is her name.
            name = detect.bare_name(detect.without_phones(text))
            if name:
                conv.display_name = name
                await conversations.set_display_name(conv, name)
        if phone and phone != conv.phone:
            await self._capture_lead(conv, phone)
            replies.append(Reply(lang.customer("phone_saved").format(phone=format_phone(phone))))
            # "sđt 0912…, gội đầu giá sao?": the question in the same message is still answered.
            text = detect.without_phones(text)
            if not detect.has_question(text):  # a booking waiting for the phone is made now
                return replies + await customer_booking.after_phone(conv)
        # Booking and "ok" to a reminder (#9); anything else goes to the Q&A.
        # English booking words are read as the Vietnamese ones ("tomorrow at 2pm").
        english = lang.CURRENT.get() == "en"
        booked = await customer_booking.handle(
            conv, lang.english_to_vietnamese(text) if english else text
        )
        if booked is not None:
            await self._booking_topic(conv)
            return replies + booked
        return replies + await self._answer(conv, text)

    async def _answer(self, conv: Conversation, text: str) -> list[Reply]:
        if detect.is_complaint(text):
            assignee = await self._assignee(conv)
            case = await cases.open_case(
                title=f"Khiếu nại qua {CHANNEL_NAMES.get(conv.channel, conv.channel)}: {_short(text, 120)}",
                description=text[:5000], owner_id=assignee, lead_id=conv.lead_id,
                conversation_id=conv.id,
            ) if assignee is not None else None  # fmt: skip
            why = STAFF["why_complaint"].format(case_id=case.id if case else "?")
            await self.hand_off(conv, why, case_id=case.id if case else None)
            return [Reply(lang.customer("complaint"))]
        if lang.CURRENT.get() == "en" and (said := _english_small_talk(text)) is not None:
            return [Reply(said)]
        greeting = small_talk(text)
        if greeting is not None:  # "chào shop", "cảm ơn ạ": a polite word back, no staff needed
            return [Reply(greeting)]
        if asks_for_person(text):
            await self.hand_off(conv, STAFF["why_human"])
            return [Reply(lang.customer("handoff_human"))]
        # An English question is asked in the Q&A's words; the trained answer is sent as written.
        question = lang.english_question(text) if lang.CURRENT.get() == "en" else text
        result = await self.reply(
            question, await self._in_context(conv, question, await self.ask(question))
        )
        await kb_training.note_question(conv.channel, conv.id, text, result)  # issue 7: teach later
        if result.handoff or not result.text:
            await dialogs.clear(TOPIC_STATE, str(conv.id))
            await self.hand_off(conv, STAFF["why_unsure"])
            offer = (await self.knowledge.current()).get(result.suggested or "")
            if offer is not None:  # while staff come, the pair it most likely is (issue 7)
                return [await customer_offer.make(conv, offer, text)]
            return [Reply(lang.customer("handoff"))]
        await self._remember(conv, result)
        return [Reply(result.text)]

    async def _offer_taken(self, conv: Conversation, offered: customer_offer.Offer) -> list[Reply]:
        """She confirmed the pair offered with the hand-off: its answer, her wording kept as a
        variant for staff to approve, and the staff member coming told what she was sent."""
        pair = (await self.knowledge.current()).get(offered.pair_id)
        if pair is None:  # the pair was deleted meanwhile: staff answer, as for any hand-off
            await self._forward_to_staff(conv, offered.question)
            return []
        with contextlib.suppress(ValueError):
            await kb.suggest(pair.id, [offered.question])
        await self._forward_to_staff(conv, STAFF["offer_taken"].format(question=pair.question))
        return [Reply(pair.answer)]

    # -- follow-ups: the conversation's last topic (knowledge.followup) --------------------------
    async def _in_context(self, conv: Conversation, text: str, alone: Answer) -> Answer:
        """The answer to `text` read with what the conversation was last about, when it is a
        follow-up too vague alone ("còn gói 10 buổi thì sao"); else `alone`."""
        row = await dialogs.load(TOPIC_STATE, str(conv.id))
        if not row or clock.now().timestamp() - float(row.get("at") or 0) > TOPIC_SECONDS:
            return alone
        topic = followup.Topic(str(row.get("subject") or ""), tuple(row.get("asks") or ()))
        retriever = await self.knowledge.current()
        how = followup.reading(text, topic, retriever)
        if how is None:
            return alone
        return followup.choose(alone, await self.ask(how.text), how, retriever)

    async def _remember(self, conv: Conversation, result: Answer) -> None:
        pair = (await self.knowledge.current()).get(result.match or "")
        if pair is not None:
            await self._save_topic(conv, followup.topic_of(pair.question))

    async def _booking_topic(self, conv: Conversation) -> None:
        """The service being booked is the topic too: "giá bn" after booking it is its price."""
        pending = (await dialogs.load(customer_booking.STATE, str(conv.id))).get("booking")
        if isinstance(pending, dict) and pending.get("service"):
            await self._save_topic(conv, followup.Topic(str(pending["service"])))

    @staticmethod
    async def _save_topic(conv: Conversation, topic: followup.Topic) -> None:
        row = {"subject": topic.subject, "asks": list(topic.asks), "at": clock.now().timestamp()}
        await dialogs.save(TOPIC_STATE, str(conv.id), row)

    async def _assignee(self, conv: Conversation) -> int | None:
        return await conversations.ensure_assignee(conv)

    async def _capture_lead(self, conv: Conversation, phone: str) -> None:
        owner = await self._assignee(conv)
        link = await conversations.attach_phone(conv, phone, owner)
        notify = link.owner_id or owner
        if notify is None:
            return
        key = "new_lead" if link.created else "linked_lead"
        text = STAFF[key].format(
            channel=CHANNEL_NAMES.get(conv.channel, conv.channel),
            name=conv.display_name or STAFF["customer"], phone=format_phone(phone),
        )  # fmt: skip
        buttons = [[[STAFF["btn_card"], f"lc:{link.lead_id}"]]] if link.lead_id else []
        await self._to_staff(notify, {"text": text, "buttons": buttons})

    async def _to_staff(
        self, user_id: int, payload: dict[str, object], thread: str | None = None
    ) -> bool:
        """A notice to a staff member on Telegram, else on the Zalo OA's staff bot (buttons become
        a numbered list there: typing "1" presses the first one)."""
        route = await channels.staff_route(user_id)
        if route is None:
            log.warning(
                "staff %s has no Telegram or Zalo chat; message kept in the conversation only",
                user_id,
            )
            return False
        channel, chat = route
        if channel == "zalo":
            text = str(payload.get("text") or "").replace(STAFF["tg_hint"], STAFF["zalo_hint"])
            payload = {**payload, "text": text, "audience": "staff"}
        await outbox.enqueue(channel, chat, payload, thread_ref=thread)
        return True

    @staticmethod
    def _handoff_buttons(conv: Conversation) -> list[list[list[str]]]:
        return [[
            [STAFF["btn_reply"], f"hr:{conv.id}"], [STAFF["btn_close"], f"hc:{conv.id}"],
            [STAFF["btn_bot"], f"hb:{conv.id}"],
        ]]  # fmt: skip

    async def hand_off(self, conv: Conversation, why: str, *, case_id: int | None = None) -> None:
        assignee = await self._assignee(conv)
        await conversations.set_state(conv, "handoff")
        if assignee is None:
            return
        history = "\n".join(
            f"{STAFF[m.author] if m.author in STAFF else m.author}: {_short(m.text)}"
            for m in await conversations.recent(conv, HISTORY)
        )
        text = STAFF["handoff"].format(
            channel=CHANNEL_NAMES.get(conv.channel, conv.channel),
            name=conv.display_name or STAFF["customer"],
            phone=f" · {format_phone(conv.phone)}" if conv.phone else "",
            why=f"{why}\n{await self._told(conv, assignee)}", history=history,
        )  # fmt: skip
        buttons = self._handoff_buttons(conv)
        if case_id is not None:  # the case card: its "Trả lời" also reaches the customer
            buttons.append([[STAFF["btn_case"].format(id=case_id), f"cc:{case_id}"]])
        await self._to_staff(
            assignee, {"text": text, "buttons": buttons}, f"{THREAD_PREFIX}{conv.id}"
        )

    @staticmethod
    async def _told(conv: Conversation, assignee: int) -> str:
        """The notice's line saying who was given the customer and why (issue 7)."""
        role, name = await channels.handoff_role(conv.channel, conv.account_ref, assignee)
        return STAFF[f"told_{role}"].format(who=name)

    async def _forward_to_staff(self, conv: Conversation, text: str) -> None:
        if conv.assignee_id is None:
            return
        body = STAFF["forward"].format(
            name=conv.display_name or STAFF["customer"],
            channel=CHANNEL_NAMES.get(conv.channel, conv.channel), text=_short(text, 3500),
        )  # fmt: skip
        # On Telegram the staff member replies to the message itself; on Zalo there is no such
        # reply, so every forwarded message offers the numbered "Trả lời" again.
        route = await channels.staff_route(conv.assignee_id)
        buttons = self._handoff_buttons(conv) if route and route[0] == "zalo" else []
        await self._to_staff(
            conv.assignee_id, {"text": body, "buttons": buttons}, f"{THREAD_PREFIX}{conv.id}"
        )

    # -- staff side (Telegram, and the staff bot on Zalo) --------------------------------------------------------------------
    async def staff_hook(self, event: ChatEvent) -> list[Reply] | None:
        """Runs before the staff engine: handoff buttons, replies to a handoff message, and the
        text typed after "Trả lời". Anything else is left to the staff engine (None)."""
        taught = await kb_digest.staff_hook(event)  # the chatbot digest's buttons (issue 7)
        if taught is not None:
            return taught
        payload = event.payload or ""
        if payload[:3] in ("hr:", "hc:", "hb:"):
            return await self._button(event, payload)
        if payload:
            # Any other button means the staff member moved on: a pending "Trả lời" is dropped.
            await conversations.clear_reply_target(event.channel, event.chat_id)
            return None
        if not event.text:
            return None
        if event.text.strip().lower() in CANCEL_WORDS:
            if await conversations.clear_reply_target(event.channel, event.chat_id):
                return [Reply(STAFF["reply_cancelled"])]
            return None
        conv_id: int | None = None
        if event.reply_to_message_id:
            thread = await outbox.thread_of(
                event.channel, event.chat_id, event.reply_to_message_id, text=event.reply_to_text
            )
            if thread and thread.startswith(THREAD_PREFIX):
                conv_id = record_id(thread.removeprefix(THREAD_PREFIX))
        if conv_id is None and not event.text.startswith("/"):
            conv_id = await conversations.pop_reply_target(event.channel, event.chat_id)
        if conv_id is None:
            return None
        actor = await actor_for_identity(event.channel, event.external_user_id)
        if actor is None:
            return None
        conv = await self._visible(actor, conv_id)
        if conv is None:
            return [Reply(STAFF["gone"])]
        await self.send_staff_reply(conv, actor.user_id, event.text)
        return [Reply(STAFF["sent"])]

    @staticmethod
    async def _visible(actor: Actor, conv_id: int | None) -> Conversation | None:
        """The conversation when this staff member may act on it. Telegram clients can send any
        callback data, so a forged id outside their scope is "gone", exactly like a missing one,
        and nothing is changed or sent."""
        if conv_id is None:
            return None
        try:
            return await conversations.visible_conversation(actor, conv_id)
        except DomainError:
            return None

    async def _button(self, event: ChatEvent, payload: str) -> list[Reply]:
        actor = await actor_for_identity(event.channel, event.external_user_id)
        gone = [Reply(STAFF["gone"], toast=STAFF["gone"])]
        if actor is None:
            return gone
        kind, _, raw_id = payload.partition(":")
        conv = await self._visible(actor, record_id(raw_id))
        if conv is None:
            return gone
        name = conv.display_name or STAFF["customer"]
        if kind == "hr":
            await conversations.set_reply_target(event.channel, event.chat_id, conv.id)
            return [Reply(STAFF["type_reply"].format(name=name))]
        if kind == "hc":
            await conversations.set_state(conv, "closed")
            return [
                Reply(STAFF["closed"].format(name=name), toast=STAFF["closed"].format(name=name))
            ]
        await conversations.set_state(conv, "bot")
        return [Reply(STAFF["to_bot"].format(name=name), toast=STAFF["to_bot"].format(name=name))]

    async def send_staff_reply(self, conv: Conversation, staff_id: int, text: str) -> None:
        await conversations.send_staff_text(conv, staff_id, text)
        await cases.record_customer_reply(conv.id, conv.lead_id, staff_id, text)
