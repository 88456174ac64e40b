"""KPI settings on the operations screen (#11, #23): add, change every field, deactivate or
activate again. Core checks the dates (end not before start), targets (never negative) and whom
the setting applies to (an employee or a team in the actor's scope). Admin only."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import done, failed, posted
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models.kpi import TARGETS
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import kpi
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/operations"
BACK = PATH + "#kpi"


def _number(text: str) -> int:
    """A typed target: "1.500.000", "-3" (core refuses it with its name), "" = 0."""
    value = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    digits = value.removeprefix("-")
    if not value:
        return 0
    if not digits.isdigit() or len(digits) > 12:
        raise DomainError(ErrorCode.INVALID_VALUE, field="number", value=text[:20])
    return -int(digits) if value.startswith("-") else int(digits)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(ErrorCode.INVALID_VALUE, field="date", value=text[:20]) from None


async def _fields(request: Request) -> dict[str, Any]:
    """The KPI form's values, as core's add_kpi / update_kpi take them."""
    form = await request.form()

    def field(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    kind, _, code = field("who").partition(":")
    targets = {key: _number(field(f"t_{key}")) for key in TARGETS}
    return {
        "name": field("name")[:120],
        "start": _day(field("start")),
        "end": _day(field("end")),
        "targets": {k: v for k, v in targets.items() if v},
        "employee": code if kind == "user" else None,
        "team": code if kind == "team" else None,
        "description": field("description").strip()[:1000] or None,
        "commission_pct": _number(field("commission_pct")),
        "active": bool(field("active")) or not field("has_active"),
    }


@router.post(PATH + "/kpi")
async def add_kpi(request: Request) -> Response:
    page = await posted(request, can_manage_users)
    try:
        setting = await kpi.add_kpi(page.actor, **await _fields(request))
    except DomainError as exc:
        return failed(request, page, BACK, exc)
    return done(request, BACK, t(page.lang, "console.kpi_added", name=setting.name))


@router.post(PATH + "/kpi/{kpi_id:int}")
async def update_kpi(request: Request, kpi_id: int) -> Response:
    page = await posted(request, can_manage_users)
    try:
        setting = await kpi.update_kpi(page.actor, kpi_id=kpi_id, **await _fields(request))
    except DomainError as exc:
        return failed(request, page, BACK, exc)
    return done(request, BACK, t(page.lang, "console.saved", what=setting.name))


@router.post(PATH + "/kpi/{kpi_id:int}/active")
async def set_active(request: Request, kpi_id: int, active: str = Form("")) -> Response:
    page = await posted(request, can_manage_users)
    try:
        setting = await kpi.set_kpi_active(page.actor, kpi_id=kpi_id, active=active == "1")
    except DomainError as exc:
        return failed(request, page, BACK, exc)
    key = "console.kpi_activated" if setting.active else "console.kpi_deactivated"
    return done(request, BACK, t(page.lang, key, name=setting.name))
