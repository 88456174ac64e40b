"""Render the all-in-one lead card (UX.md): one phone screen, buttons in at most three rows."""

from __future__ import annotations

from spacrm.core import clock
from spacrm.core.services.cards import LeadCard, lead_card
from spacrm.core.settings import get_settings
from spacrm.core.stages import LEAD_STAGES
from spacrm.intents import format as fmt
from spacrm.intents.chat import Button, Reply
from spacrm.intents.context import Ctx


def render_card(
    ctx: Ctx, card: LeadCard, *, headline: str | None = None, edit: bool = False
) -> Reply:
    lead, lang = card.lead, ctx.lang
    lines = []
    if headline:
        lines.append(headline)
    first = f"👤 {lead.name}"
    if lead.phone:
        first += f" · {fmt.phone(lead.phone)}"
    lines.append(first)
    facts = [
        f"{ctx.t('card.stage')}: {fmt.stage(lead.stage, lang)}",
        f"{ctx.t('card.owner')}: {card.owner_name}",
    ]
    if lead.source:
        facts.append(f"{ctx.t('card.source')}: {fmt.source(lead.source, lang)}")
    if lead.value:
        facts.append(f"{ctx.t('card.value')}: {fmt.money(lead.value)}")
    lines.append(" · ".join(facts))
    if lead.company:
        lines.append(f"🏢 {lead.company}")
    if lead.needs:
        lines.append(f"💬 {lead.needs}")
    lines.append(f"📞 {lead.calls}  🤝 {lead.meetings}  ✉️ {lead.emails}  📄 {lead.quote_emails}")
    if card.planned:
        for nxt in card.planned:
            due = fmt.when(nxt.due_at, lang) if nxt.due_at else ""
            if nxt.due_at and nxt.due_at < clock.now():
                lines.append(f"⏰ {ctx.t('card.overdue')}: {fmt.kind(nxt.kind, lang)} {due}")
            else:
                lines.append(f"⏭ {ctx.t('card.next')}: {fmt.kind(nxt.kind, lang)} {due}")
                break  # the next one is enough; every overdue one is listed
    else:
        lines.append(f"⏭ {ctx.t('card.no_plan')}")
    for act in card.recent:
        when = fmt.ago(act.done_at, lang) if act.done_at else ""
        note = f" — {act.note[:60]}" if act.note else ""
        lines.append(f"• {fmt.kind(act.kind, lang)} {when}{note}")
    for deal in card.deals:
        lines.append(f"💼 {deal.name}: {fmt.money(deal.amount)}")
    if card.next_appointment is not None:
        appt = card.next_appointment
        lines.append(f"📅 {ctx.t('card.appointment')}: {fmt.when(appt.starts_at, lang)}"
                     f" · {appt.service_name}")  # fmt: skip
    for course in card.courses:
        left = course.sessions_total - course.sessions_used
        lines.append(
            f"📋 {course.name}: {ctx.t('card.sessions_left', left=left, total=course.sessions_total)}"
        )
    if card.owed:
        lines.append(f"💳 {ctx.t('card.owed', amount=fmt.money(card.owed), n=card.owed_orders)}")
    if card.no_shows:
        icon = "⚠️" if card.no_shows >= get_settings().no_show_warn else "🚫"
        lines.append(f"{icon} {ctx.t('card.no_shows', n=card.no_shows)}")
    if card.open_complaints:
        lines.append(f"⚠️ {ctx.t('card.complaint', n=card.open_complaints)}")
    return Reply("\n".join(lines), card_buttons(ctx, card), edit=edit)


def card_buttons(ctx: Ctx, card: LeadCard) -> list[list[Button]]:
    lead = card.lead
    stages = [s for s in LEAD_STAGES if s != lead.stage]
    stage_row = [
        Button(fmt.stage(s, ctx.lang), f"mv:{lead.id}:{s}:{lead.version}") for s in stages[:2]
    ]
    stage_row.append(Button(ctx.t("btn.more_stages"), f"ms:{lead.id}"))
    return [
        stage_row,
        [Button(ctx.t("btn.log"), f"lg:{lead.id}"), Button(ctx.t("btn.plan"), f"pl:{lead.id}")],
    ]


async def card_reply(
    ctx: Ctx, lead_id: int, *, headline: str | None = None, edit: bool = False
) -> Reply:
    ctx.set_focus(lead_id)  # later messages may say "chị ấy" about this customer
    return render_card(ctx, await lead_card(ctx.actor, lead_id), headline=headline, edit=edit)
