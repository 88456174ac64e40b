"""Operations (#11): rooms (branch, capacity, the services a room is limited to), technicians'
services and weekly hours, receipt printers (the token is shown once), KPI settings. Admin only."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import (
    Page,
    done,
    failed,
    not_found,
    page_for,
    page_number,
    posted,
    render,
)
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models.kpi import TARGETS
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import kpi, org, printing, resources, users, work_calendar
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/operations"
WEEKDAYS = range(7)


def _codes(text: str) -> list[str]:
    return [x for x in text.replace(",", " ").replace(";", " ").split() if x][:500]


def _count(text: str, default: int = 0) -> int:
    digits = text.strip().replace(".", "").replace(",", "")
    if not digits:
        return default
    if not digits.isdigit() or len(digits) > 12:
        raise DomainError(ErrorCode.INVALID_VALUE, field="number", value=text[:20])
    return int(digits)


async def _page(
    request: Request, page: Page, *, new_token: str = "", status: int = 200, off_page: int = 1
) -> Response:
    teams, branches = await org.teams_and_branches()
    people = [u for u in await users.list_users() if u.active]
    days_off, off_names = await work_calendar.upcoming_days_off(off_page)
    # whom each KPI setting applies to, as the "who" picker's value
    kpi_who = {f"u{u.id}": f"user:{u.login}" for u in people}
    kpi_who |= {f"t{x.id}": f"team:{x.code}" for x in teams}
    technicians = await resources.list_technicians()
    return render(
        request,
        "operations.html",
        actor=page.actor,
        csrf=page.csrf,
        rooms=await resources.list_rooms(),
        technicians=technicians,
        # (value, label) pairs for the forms' pickers (macros.html `options`)
        tech_options=[(x.user.id, x.user.full_name) for x in technicians],
        branch_options=[(b.code, b.name) for b in branches],
        part_options=[(p, t(page.lang, "console.part." + p)) for p in work_calendar.PARTS],
        paper_options=[(p, p) for p in printing.PAPERS],
        printers=await printing.list_printers(),
        kpis=await kpi.list_kpis(page.actor),
        who=[(f"team:{x.code}", t(page.lang, "console.place_team", name=x.name)) for x in teams]
        + [(f"user:{u.login}", f"{u.full_name} ({u.login})") for u in people],
        targets=TARGETS,
        weekdays=WEEKDAYS,
        new_token=new_token,
        kpi_who=kpi_who,
        days_off=days_off,
        off_names=off_names,
        branch_weeks=await work_calendar.branch_weeks(),
        today=date.today().isoformat(),
        status_code=status,
    )


@router.get(PATH)
async def operations_page(request: Request, offpage: str = "1") -> Response:
    page = await page_for(request, can_manage_users)
    return await _page(request, page, off_page=page_number(offpage))


@router.post(PATH + "/rooms")
async def add_room(
    request: Request,
    branch: str = Form(""),
    name: str = Form(""),
    capacity: str = Form("1"),
    services: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    try:
        room = await resources.add_room(
            page.actor, branch_code=branch, name=name, capacity=_count(capacity, 1),
            service_codes=_codes(services),
        )  # fmt: skip
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, PATH, t(page.lang, "console.org_added", name=room.name))


@router.post(PATH + "/rooms/{room_id:int}")
async def update_room(
    request: Request,
    room_id: int,
    capacity: str = Form("1"),
    services: str = Form(""),
    active: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    try:
        room = await resources.update_room(
            page.actor, room_id=room_id, capacity=_count(capacity, 1),
            service_codes=_codes(services), active=bool(active),
        )  # fmt: skip
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, PATH, t(page.lang, "console.saved", what=room.name))


@router.post(PATH + "/technicians/{user_id:int}")
async def update_technician(request: Request, user_id: int, services: str = Form("")) -> Response:
    page = await posted(request, can_manage_users)
    form = await request.form()
    week = [str(form.get(f"day{d}") or "") for d in WEEKDAYS]
    try:
        user = await resources.update_technician(
            page.actor, user_id=user_id, service_codes=_codes(services), week=week
        )
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, PATH, t(page.lang, "console.saved", what=user.full_name))


@router.post(PATH + "/printers")
async def add_printer(
    request: Request, name: str = Form(""), paper: str = Form("k80"), branch: str = Form("")
) -> Response:
    page = await posted(request, can_manage_users)
    try:
        _, token = await printing.add_printer(
            name=name, paper=paper, branch_code=branch or None, actor=page.actor
        )
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    # The token is shown once, on this page (never in a URL, never stored in clear).
    return await _page(request, page, new_token=token)


@router.post(PATH + "/printers/{printer_id:int}/remove")
async def remove_printer(request: Request, printer_id: int) -> Response:
    page = await posted(request, can_manage_users)
    found = [p for p in await printing.list_printers() if p.id == printer_id]
    if not found:
        raise not_found(request, page)
    try:
        await printing.remove_printer(name=found[0].name, actor=page.actor)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, PATH, t(page.lang, "console.printer_removed", name=found[0].name))
