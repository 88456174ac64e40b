"""Users and the organisation tree (#11): add a user, change role, place (team or branch) and the
front-desk / technician flags, deactivate; regions, branches and teams. Admin and board only."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.web.console.common import (
    done,
    failed,
    page_for,
    page_number,
    posted,
    render,
)
from spacrm.core.actors import Role
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import org, users
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/users"
MIN_PASSWORD = 8


def _shown(login: str) -> str:
    """The users list searched on one login: the row just changed, whatever page it is on."""
    return f"{PATH}?{urlencode({'q': login})}"


def _place(value: str) -> tuple[str | None, str | None]:
    """The place picker's value "team:<code>" / "branch:<code>" / "" → (team code, branch code)."""
    kind, _, code = value.partition(":")
    return (code or None, None) if kind == "team" else (None, code or None)


@router.get(PATH)
async def users_page(request: Request, q: str = "", page: str = "1") -> Response:
    screen = await page_for(request, can_manage_users)
    teams, branches = await org.teams_and_branches()
    team_code = {x.id: x.code for x in teams}
    branch_code = {x.id: x.code for x in branches}
    found = await users.page_users(q, page_number(page))
    rows = []
    for u in found.rows:
        if u.team_id in team_code:
            place = f"team:{team_code[u.team_id]}"
        elif u.branch_id in branch_code:
            place = f"branch:{branch_code[u.branch_id]}"
        else:
            place = ""
        rows.append({"user": u, "place": place})
    lang = screen.lang
    return render(
        request,
        "users.html",
        actor=screen.actor,
        csrf=screen.csrf,
        rows=rows,
        found=found,
        q=q.strip()[:100],
        roles=[(r.value, t(lang, f"role.{r.value}")) for r in Role],
        places=[("", "—")]
        + [(f"team:{x.code}", t(lang, "console.place_team", name=x.name)) for x in teams]
        + [(f"branch:{x.code}", t(lang, "console.place_branch", name=x.name)) for x in branches],
        tree=await org.org_tree(),
    )


@router.post(PATH)
async def add(
    request: Request,
    login: str = Form(""),
    full_name: str = Form(""),
    email: str = Form(""),
    role: str = Form("staff"),
    place: str = Form(""),
    password: str = Form(""),
    front_desk: str = Form(""),
    technician: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    if password and len(password) < MIN_PASSWORD:
        return done(request, PATH, t(page.lang, "console.password_short", n=MIN_PASSWORD), bad=True)
    if not full_name.strip():
        return done(request, PATH, t(page.lang, "console.name_required"), bad=True)
    team_code, branch_code = _place(place)
    try:
        user = await users.add_user(
            page.actor, login=login, email=email, full_name=full_name[:120], role=role,
            team_code=team_code, branch_code=branch_code, password=password or None,
            front_desk=bool(front_desk), technician=bool(technician),
        )  # fmt: skip
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    role_name = t(page.lang, f"role.{user.role}")
    # The list is paged: back to it searched on the new login, so the new row is on screen.
    return done(
        request,
        _shown(user.login),
        t(page.lang, "cli.users.added", login=user.login, role=role_name),
    )


@router.post(PATH + "/{user_id:int}")
async def update(
    request: Request,
    user_id: int,
    role: str = Form(""),
    place: str = Form(""),
    front_desk: str = Form(""),
    technician: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    team_code, branch_code = _place(place)
    try:
        user = await users.update_user(
            page.actor, user_id=user_id, role=role, team_code=team_code, branch_code=branch_code,
            front_desk=bool(front_desk), technician=bool(technician),
        )  # fmt: skip
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, _shown(user.login), t(page.lang, "console.user_saved", login=user.login))


@router.post(PATH + "/{user_id:int}/active")
async def set_active(request: Request, user_id: int, active: str = Form("")) -> Response:
    page = await posted(request, can_manage_users)
    try:
        user = await users.set_active(page.actor, user_id=user_id, active=active == "1")
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    key = "console.user_activated" if user.active else "cli.users.deactivated"
    return done(request, _shown(user.login), t(page.lang, key, login=user.login))


@router.post("/console/org/{level}")
async def add_org(
    request: Request,
    level: str,
    code: str = Form(""),
    name: str = Form(""),
    parent: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    if not name.strip():
        return done(request, PATH, t(page.lang, "console.name_required"), bad=True)
    try:
        if level == "region":
            await org.add_region(page.actor, code=code, name=name)
        elif level == "branch":
            await org.add_branch(page.actor, code=code, name=name, region_code=parent)
        elif level == "team":
            await org.add_team(page.actor, code=code, name=name, branch_code=parent)
        else:
            raise DomainError(ErrorCode.NOT_FOUND)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    return done(request, PATH, t(page.lang, "console.org_added", name=name.strip()))
