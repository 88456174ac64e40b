"""`spacrm courses list|transfer`: a customer's courses, and a manager moving remaining sessions
to another customer (#9) — the same service function and rule (managers only) as the chat's
"↪️ Chuyển buổi". Customers are named by phone, so the terminal never guesses between two Lans.
As in sales_cmds, the terminal acts as the board unless `--user LOGIN` names a staff member."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from typing import Any

from spacrm.core.actors import Actor


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    co = sub.add_parser("courses", help="customers' courses (sessions): list, transfer")
    csub = co.add_subparsers(dest="action", required=True)
    ls = csub.add_parser("list", help="a customer's courses")
    ls.add_argument("phone", help="the customer's phone")
    ls.add_argument("--user", metavar="LOGIN", help="read as this staff member")
    ls.add_argument("--json", action="store_true")
    tr = csub.add_parser("transfer", help="move remaining sessions to another customer (managers)")
    tr.add_argument("--from", dest="giver", required=True, metavar="PHONE", help="the giver")
    tr.add_argument("--to", dest="receiver", required=True, metavar="PHONE", help="the receiver")
    tr.add_argument("--sessions", type=int, metavar="N", help="how many (default: all left)")
    tr.add_argument("--service", metavar="S", help="which course, when the giver has several")
    tr.add_argument("--course", type=int, metavar="ID", help="the course id (`courses list`)")
    tr.add_argument("--user", metavar="LOGIN", help="act as this staff member (a manager)")
    tr.add_argument("--json", action="store_true")


async def _lead(actor: Actor, phone: str) -> Any:
    from spacrm.adapters.cli.main import UserError
    from spacrm.core.ids import normalize_phone
    from spacrm.core.models import Lead
    from spacrm.core.services.leads import leads_by_ids

    number = normalize_phone(phone)
    if number is None:
        raise UserError(f"not a phone number: {phone}")
    ids: list[Any] = await Lead.filter(phone=number).values_list("id", flat=True)
    found = await leads_by_ids(actor, [int(i) for i in ids])
    if len(found) != 1:
        raise UserError(f"no customer with phone {number}" if not found else
                        f"{len(found)} customers with phone {number}")  # fmt: skip
    return found[0]


def _course_json(c: Any) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "customer": c.customer_name, "left": c.sessions_left,
            "total": c.sessions_total, "status": c.status,
            "expires": c.expires_on.isoformat() if c.expires_on else None}  # fmt: skip


def _course_line(r: dict[str, Any]) -> str:
    return (f"#{r['id']:<6} {r['left']:>3}/{r['total']:<3} {r['status']:9} "
            f"{r['expires'] or '—':10} {r['name']}")  # fmt: skip


async def _pick(actor: Actor, args: argparse.Namespace, giver: Any) -> int:
    from spacrm.adapters.cli.main import UserError
    from spacrm.core.services.courses import courses_of

    courses = await courses_of(actor, lead_id=giver.id, service=args.service, active_only=True)
    if args.course is not None:
        if all(c.id != args.course for c in courses):
            raise UserError(f"course #{args.course} is not an active course of {giver.name}")
        return int(args.course)
    left = [c for c in courses if c.sessions_left > 0]
    if len(left) != 1:
        listed = "; ".join(f"#{c.id} {c.name} {c.sessions_left}/{c.sessions_total}" for c in left)
        raise UserError(f"{giver.name} has no course with sessions left" if not left else
                        f"{giver.name} has {len(left)} courses, choose with --course: {listed}")  # fmt: skip
    return left[0].id


async def cmd_courses(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db, print_json, print_rows
    from spacrm.adapters.cli.sales_cmds import _actor
    from spacrm.core.services.courses import courses_of, transfer_sessions
    from spacrm.intents.texts import t

    async def run() -> int:
        actor = await _actor(args.user)
        if args.action == "list":
            lead = await _lead(actor, args.phone)
            rows = [_course_json(c) for c in await courses_of(actor, lead_id=lead.id)]
            print_rows(rows, _course_line, as_json=args.json)
            return 0
        if not actor.is_manager:  # the button's rule, before any customer is looked up
            from spacrm.core.errors import DomainError, ErrorCode

            raise DomainError(ErrorCode.FORBIDDEN)
        giver, receiver = await _lead(actor, args.giver), await _lead(actor, args.receiver)
        course_id = await _pick(actor, args, giver)
        done = await transfer_sessions(actor, course_id=course_id, to_lead_id=receiver.id,
                                       sessions=args.sessions)  # fmt: skip
        if args.json:
            print_json({"sessions": done.sessions, "source": _course_json(done.source),
                        "target": _course_json(done.target)})  # fmt: skip
            return 0
        print(t(actor.lang, "cli.transfer.done", count=done.sessions, course=done.source.name,
                giver=done.source.customer_name, receiver=done.target.customer_name,
                target=done.target.id, left=done.source.sessions_left,
                total=done.source.sessions_total))  # fmt: skip
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "courses": cmd_courses,
}
