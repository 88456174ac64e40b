"""The case card (#15) and what its buttons do: start, reply, resolve (asks how), close, and
turn a resolved case into a knowledge-base article draft that a manager approves (#16).

Payloads: cc:ID card · cs:ID:VER start · cr:ID reply · cv:ID:VER resolve · cx:ID:VER close ·
ck:ID article draft · ka:QA approve · kx:QA discard.
"""

from __future__ import annotations

from typing import Any

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import can_approve_knowledge, knowledge_approvers
from spacrm.core.services import cases, channels, kb, outbox
from spacrm.core.services.cases import CaseView
from spacrm.core.services.users import user_names_langs
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx
from spacrm.intents.texts import t

REPLY_CHARS = 80
TEXT_CHARS = 300


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def render_case(
    ctx: Ctx, view: CaseView, *, headline: str | None = None, edit: bool = False
) -> Reply:
    case, lang = view.case, ctx.lang
    lines = [headline] if headline else []
    lines.append(ctx.t("case.head", id=case.id, status=ctx.t(f"case.status.{case.status}")))
    if view.lead is not None:
        who = f"👤 {view.lead.name}"
        lines.append(who + (f" · {fmt.phone(view.lead.phone)}" if view.lead.phone else ""))
    lines.append(f"📝 {_short(case.title, TEXT_CHARS)}")
    lines.append(
        ctx.t("case.assignee", name=view.assignee_name, when=fmt.when(case.created_at, lang))
    )
    if case.first_response_at is not None:
        waited = (case.first_response_at - case.created_at).total_seconds()
        lines.append(ctx.t("case.first_response", duration=fmt.duration(waited, lang)))
    elif case.status in cases.OPEN:
        waited = (clock.now() - case.created_at).total_seconds()
        lines.append(ctx.t("case.no_response", duration=fmt.duration(waited, lang)))
    if view.reply_count:
        lines.append(ctx.t("case.replies", n=view.reply_count))
        for r in view.replies:
            author = view.author_names.get(r.author_id, "?")
            lines.append(
                f"• {author} ({fmt.ago(r.created_at, lang)}): {_short(r.text, REPLY_CHARS)}"
            )
    else:
        lines.append(ctx.t("case.no_replies"))
    if case.resolution:
        lines.append(ctx.t("case.resolution", text=_short(case.resolution, TEXT_CHARS)))
    if case.kb_article_id:
        lines.append(ctx.t("case.article_live" if view.article_approved else "case.article_draft"))
    return Reply("\n".join(lines), case_buttons(ctx, view), edit=edit)


def case_buttons(ctx: Ctx, view: CaseView) -> list[list[Button]]:
    case = view.case
    reply = Button(ctx.t("btn.case_reply"), f"cr:{case.id}")
    rows: list[list[Button]] = []
    if case.status == "new":
        rows += [[reply, Button(ctx.t("btn.case_start"), f"cs:{case.id}:{case.version}")],
                 [Button(ctx.t("btn.case_resolve"), f"cv:{case.id}:{case.version}")]]  # fmt: skip
    elif case.status == "in_progress":
        rows.append([reply, Button(ctx.t("btn.case_resolve"), f"cv:{case.id}:{case.version}")])
    else:
        row = []
        if case.status == "resolved":
            row.append(Button(ctx.t("btn.case_close"), f"cx:{case.id}:{case.version}"))
        if not case.kb_article_id:
            row.append(Button(ctx.t("btn.case_article"), f"ck:{case.id}"))
        if row:
            rows.append(row)
    if view.lead is not None:
        rows.append([Button(ctx.t("btn.card"), f"lc:{view.lead.id}")])
    return rows


async def case_reply(
    ctx: Ctx, case_id: int, *, headline: str | None = None, edit: bool = False
) -> Reply:
    return render_case(ctx, await cases.case_view(ctx.actor, case_id), headline=headline, edit=edit)


# -- buttons -----------------------------------------------------------------------------------


async def show(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [await case_reply(ctx, int(args[0]))]


async def start(ctx: Ctx, args: list[str]) -> list[Reply]:
    case = await cases.start_case(ctx.actor, case_id=int(args[0]), version=int(args[1]))
    text = ctx.t("ok.case_started", id=case.id)
    card = await case_reply(ctx, case.id, headline=text, edit=True)
    card.toast = text
    return [card]


async def ask_reply(ctx: Ctx, args: list[str]) -> list[Reply]:
    case = await cases.get_case(ctx.actor, int(args[0]))
    return ctx.ask("case_reply", {"case_id": case.id}, "text", ctx.t("ask.case_reply", id=case.id))


async def ask_resolution(ctx: Ctx, args: list[str]) -> list[Reply]:
    case = await cases.get_case(ctx.actor, int(args[0]))
    if case.status not in cases.OPEN or case.version != int(args[1]):
        raise DomainError(ErrorCode.STALE)
    slots = {"case_id": case.id, "version": case.version}
    return ctx.ask("case_resolve", slots, "text", ctx.t("ask.case_resolution", id=case.id))


async def close(ctx: Ctx, args: list[str]) -> list[Reply]:
    case = await cases.close_case(ctx.actor, case_id=int(args[0]), version=int(args[1]))
    text = ctx.t("ok.case_closed", id=case.id)
    card = await case_reply(ctx, case.id, headline=text, edit=True)
    card.toast = text
    return [card]


# -- continuations of a question (registered as intents the parser never produces) ---------------


async def reply_typed(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    done = await cases.add_reply(
        ctx.actor, case_id=int(slots["case_id"]), text=str(slots.get("text") or "")
    )
    case_id = done.reply.complaint_id
    key = "ok.case_sent" if done.sent_to_customer else "ok.case_replied"
    return [await case_reply(ctx, case_id, headline=ctx.t(key, id=case_id))]


async def resolution_typed(ctx: Ctx, slots: dict[str, Any]) -> list[Reply]:
    ctx.done()
    case = await cases.resolve_case(
        ctx.actor, case_id=int(slots["case_id"]), resolution=str(slots.get("text") or ""),
        version=int(slots["version"]) if "version" in slots else None,
    )  # fmt: skip
    return [await case_reply(ctx, case.id, headline=ctx.t("ok.case_resolved", id=case.id))]


# -- knowledge-base article from a resolved case -----------------------------------------------


def _article_buttons(ctx: Ctx, pair_id: str, lang: str | None = None) -> list[list[Button]]:
    lang = lang or ctx.lang
    return [
        [
            Button(t(lang, "btn.article_approve"), f"ka:{pair_id}"),
            Button(t(lang, "btn.article_discard"), f"kx:{pair_id}"),
        ]
    ]


async def make_article(ctx: Ctx, args: list[str]) -> list[Reply]:
    record = await kb.draft_from_case(ctx.actor, case_id=int(args[0]))
    case_id = int(args[0])
    draft = ctx.t(
        "article.draft",
        case=case_id,
        question=_short(record.question, TEXT_CHARS),
        answer=_short(record.answer, TEXT_CHARS),
    )
    card = await case_reply(ctx, case_id, edit=True)
    if record.approved:
        return [card]
    if can_approve_knowledge(ctx.actor):
        return [card, Reply(draft, _article_buttons(ctx, record.id))]
    names = await _ask_approvers(ctx, record.id, case_id, record.question, record.answer)
    follow = (
        ctx.t("article.sent", names=", ".join(names))
        if names
        else ctx.t("article.no_approver", id=record.id)
    )
    return [card, Reply(f"{draft}\n\n{follow}")]


async def _ask_approvers(
    ctx: Ctx, pair_id: str, case_id: int, question: str, answer: str
) -> list[str]:
    asked = []
    for user_id, (name, lang) in (
        await user_names_langs(await knowledge_approvers(ctx.actor.user_id))
    ).items():
        chat = await channels.staff_chat(user_id)
        if chat is None:
            continue
        text = t(lang, "article.request", author=ctx.actor.name, case=case_id,
                 question=_short(question, TEXT_CHARS), answer=_short(answer, TEXT_CHARS))  # fmt: skip
        buttons = [
            [[b.text, b.payload] for b in row] for row in _article_buttons(ctx, pair_id, lang)
        ]
        await outbox.enqueue("telegram", chat, {"text": text, "buttons": buttons})
        asked.append(name)
    return asked


async def approve_article(ctx: Ctx, args: list[str]) -> list[Reply]:
    pair_id = ":".join(args)
    before = await kb.get_article(pair_id)
    record = await kb.approve_article(ctx.actor, pair_id=pair_id)
    if before is not None and before.approved:
        return [Reply(ctx.t("article.already"), toast=ctx.t("article.already"))]
    text = ctx.t("article.approved", question=_short(record.question, TEXT_CHARS))
    return [Reply(text, edit=True, toast=text)]


async def discard_article(ctx: Ctx, args: list[str]) -> list[Reply]:
    pair_id = ":".join(args)
    if not await kb.discard_article(ctx.actor, pair_id=pair_id):
        return [Reply(ctx.t("err.stale"), toast=ctx.t("err.stale"))]
    text = ctx.t("article.discarded", id=pair_id)
    return [Reply(text, edit=True, toast=text)]
