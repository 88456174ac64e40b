"""The manager's daily "câu hỏi chưa trả lời được" digest in staff chat (issue 7) and its buttons:
a group of similar questions becomes a variant of the pair the bot found closest (➕), a new pair
whose answer the manager types next (📝), or is dropped (🗑). Grouping is `kb unanswered`'s, the
teaching is `kb teach`'s (`core.services.kb_training`, which checks the manager's right)."""

from __future__ import annotations

from datetime import datetime, timedelta

from spacrm.bot.errors import error_text
from spacrm.bot.scheduled import queue_each
from spacrm.core import clock
from spacrm.core.errors import DomainError
from spacrm.core.permissions import record_id
from spacrm.core.services import dialogs, kb_digest, kb_training
from spacrm.core.services.linking import actor_for_identity
from spacrm.intents.chat import ChatEvent, Reply
from spacrm.intents.texts import t
from spacrm.knowledge.grouping import Group, group_questions

SHOWN_GROUPS = 5
BUTTONS = ("qv:", "qn:", "qd:")  # variant, new pair, dismiss; each followed by a question id
PENDING = "kb_new_pair"  # dialog key: the question whose new pair waits for its typed answer
# Like "Trả lời" on a handoff: a button pressed and forgotten must not turn a later, unrelated
# message into what the bot tells customers.
PENDING_MINUTES = 15


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


async def send_kb_digests() -> int:
    return await queue_each(kb_digest.KIND, await kb_digest.pending_kb_digests(), _message)


async def _message(d: kb_digest.Digest) -> dict[str, object]:
    groups = group_questions([(i, text) for i, text, _ in d.questions])
    match = {i: m for i, _, m in d.questions}
    lines = [t(d.lang, "kbd.head", n=len(d.questions), groups=len(groups))]
    buttons: list[list[list[str]]] = []
    for n, g in enumerate(groups[:SHOWN_GROUPS], 1):
        lines.append(t(d.lang, "kbd.group", n=n, text=_short(g.texts[0]), count=g.count))
        head = g.ids[0]
        row = []
        pair = match.get(head)
        close = await kb_digest.pair_question(pair) if pair else None
        if pair and close:
            lines.append(t(d.lang, "kbd.closest", question=_short(close, 60)))
            row.append([t(d.lang, "kbd.btn_variant", n=n), f"qv:{head}"])
        row += [
            [t(d.lang, "kbd.btn_new", n=n), f"qn:{head}"],
            [t(d.lang, "kbd.btn_dismiss", n=n), f"qd:{head}"],
        ]
        buttons.append(row)
    if len(groups) > SHOWN_GROUPS:
        lines.append(t(d.lang, "kbd.more", n=len(groups) - SHOWN_GROUPS))
    return {"text": "\n".join(lines), "buttons": buttons}


async def _group_of(question_id: int) -> Group | None:
    """The open questions grouped now (others may have been taught since the digest)."""
    rows = await kb_training.open_questions()
    for g in group_questions([(r.id, r.text) for r in rows]):
        if question_id in g.ids:
            return g
    return None


async def staff_hook(event: ChatEvent) -> list[Reply] | None:
    """The digest's buttons and the typed answer of a new pair; None leaves the message to the
    other hooks and the staff engine."""
    payload = event.payload or ""
    pending = None
    if payload[:3] not in BUTTONS:
        state = await dialogs.load(event.channel, event.chat_id)
        waiting = state.get(PENDING)
        if not isinstance(waiting, dict):
            return None
        state.pop(PENDING)
        await dialogs.save(event.channel, event.chat_id, state)
        if payload or not event.text or event.text.startswith("/"):
            return None  # moved on: the pending pair is dropped
        asked = datetime.fromisoformat(str(waiting.get("at")))
        if clock.now() - asked > timedelta(minutes=PENDING_MINUTES):
            return None  # asked long ago: this message is about something else
        pending = waiting.get("id")
    actor = await actor_for_identity(event.channel, event.external_user_id)
    if actor is None:
        return None
    lang = actor.lang
    qid = record_id(str(pending) if pending is not None else payload[3:])
    group = await _group_of(qid) if qid is not None else None
    if group is None:
        gone = t(lang, "kbd.gone")
        return [Reply(gone, toast=gone if payload else None)]
    try:
        if pending is not None:
            text = (event.text or "").strip()
            if text.lower() in ("hủy", "huy", "cancel", "/cancel"):
                return [Reply(t(lang, "kbd.cancelled"))]
            record = await kb_training.teach_new_pair(
                actor, question_ids=list(group.ids), pair_id=f"hoc-{group.ids[0]}", answer=text
            )
            return [Reply(t(lang, "kbd.taught_new", question=_short(record.question)))]
        kind = payload[:3]
        if kind == "qd:":
            n = await kb_training.dismiss_questions(actor, question_ids=list(group.ids))
            return [Reply(t(lang, "kbd.dismissed", n=n))]
        if kind == "qv:":
            head = await kb_digest.question(group.ids[0])
            pair = head.best_match if head else None
            if not pair:
                return [Reply(t(lang, "kbd.gone"))]
            await kb_training.teach_variant(actor, question_ids=list(group.ids), pair_id=pair)
            close = await kb_digest.pair_question(pair) or pair
            return [Reply(t(lang, "kbd.taught_variant", n=group.count, question=_short(close)))]
        # qn: check the right now, not after the manager has typed a whole answer.
        kb_training.check_can_teach(actor)
        state = await dialogs.load(event.channel, event.chat_id)
        state[PENDING] = {"id": group.ids[0], "at": clock.now().isoformat()}
        await dialogs.save(event.channel, event.chat_id, state)
        return [Reply(t(lang, "kbd.type_answer", text=_short(group.texts[0])))]
    except DomainError as exc:
        return [Reply(error_text(exc, lang))]
