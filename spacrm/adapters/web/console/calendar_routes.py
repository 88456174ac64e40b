"""Technicians' days off (whole or half days) and branches' opening hours on the operations
screen (#9, #11); booking reads them at once. Admin only."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import done, failed, posted
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import work_calendar
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/operations"
WEEKDAYS = range(7)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(ErrorCode.INVALID_VALUE, field="date", value=text[:20]) from None


@router.post(PATH + "/days-off")
async def add_days_off(
    request: Request,
    user_id: str = Form(""),
    first: str = Form(""),
    last: str = Form(""),
    part: str = Form("full"),
    reason: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    back = PATH + "#days-off"
    try:
        if not user_id.isdigit() or len(user_id) > 9:
            raise DomainError(ErrorCode.NOT_FOUND, what="technician", value=user_id[:20])
        start = _day(first)
        added = await work_calendar.add_days_off(
            page.actor, user_id=int(user_id), first=start, last=_day(last) if last else start,
            part=part, reason=reason,
        )  # fmt: skip
    except DomainError as exc:
        return failed(request, page, back, exc)
    text = t(page.lang, "console.days_off_added", name=added.user.full_name, n=added.days)
    if added.clashes:
        shown = ", ".join(f"{c.starts_at:%d/%m %H:%M} {c.customer_name}" for c in added.clashes[:5])
        text += " " + t(page.lang, "console.days_off_clashes", n=len(added.clashes), list=shown)
    return done(request, back, text, bad=bool(added.clashes))


@router.post(PATH + "/days-off/{day_off_id:int}/remove")
async def remove_day_off(request: Request, day_off_id: int) -> Response:
    page = await posted(request, can_manage_users)
    try:
        row = await work_calendar.remove_day_off(page.actor, day_off_id=day_off_id)
    except DomainError as exc:
        return failed(request, page, PATH + "#days-off", exc)
    day = row.day.strftime("%d/%m/%Y")
    return done(request, PATH + "#days-off", t(page.lang, "console.day_off_removed", day=day))


@router.post(PATH + "/branches/{branch_id:int}/hours")
async def set_hours(request: Request, branch_id: int) -> Response:
    page = await posted(request, can_manage_users)
    form = await request.form()
    week = [str(form.get(f"day{d}") or "") for d in WEEKDAYS]
    try:
        branch = await work_calendar.set_branch_hours(page.actor, branch_id=branch_id, week=week)
    except DomainError as exc:
        return failed(request, page, PATH + "#hours", exc)
    return done(request, PATH + "#hours", t(page.lang, "console.saved", what=branch.name))
