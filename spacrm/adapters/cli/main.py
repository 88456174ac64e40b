"""The `spacrm` command (DESIGN §3). User mistakes exit non-zero with one line, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from spacrm.core import logcap
from spacrm.core.errors import DomainError
from spacrm.core.settings import get_settings
from spacrm.intents.texts import t

Command = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]


class UserError(Exception):
    """A mistake the user can fix: printed as one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spacrm", description="Chat-first CRM for spas (Vietnam).")
    sub = p.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="create or upgrade the database")
    init.add_argument("--demo", action="store_true", help="load the demo spa chain (idempotent)")
    init.add_argument("--no-history", action="store_true",
                      help="with --demo: only the chain, without its six weeks of orders and visits")  # fmt: skip

    serve = sub.add_parser("serve", help="web app, webhooks, Telegram polling, scheduler, outbox")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    chat = sub.add_parser("chat", help="chat with the staff bot in the terminal")
    chat.add_argument("--user", required=True, help="login of the staff member")
    chat.add_argument("--files", help="where images/documents in replies are written")

    nlu = sub.add_parser("nlu", help="print the parse of a staff message as JSON")
    nlu.add_argument("--now", help="ISO datetime that relative dates resolve against")
    nlu.add_argument("text", nargs="?")

    users = sub.add_parser("users", help="manage users")
    usub = users.add_subparsers(dest="action", required=True)
    add = usub.add_parser("add", help="add a user")
    add.add_argument("login")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument(
        "--role",
        required=True,
        choices=["board", "region", "branch_director", "team_lead", "staff", "admin"],
    )
    add.add_argument("--team", help="team code (e.g. q1a)")
    add.add_argument("--branch", help="branch code (e.g. q1)")
    add.add_argument("--password")
    usub.add_parser("list", help="list users")
    sr = usub.add_parser("set-role", help="change a user's role")
    sr.add_argument("login")
    sr.add_argument("role")
    de = usub.add_parser("deactivate", help="deactivate a user")
    de.add_argument("login")

    from spacrm.adapters.cli import (
        customer_cmds,
        import_cmds,  # spreadsheet import (#21)
        outbox_cmds,
        printer_cmds,
        report_cmds,  # reports (#10)
        sales_cmds,
    )

    report_cmds.add_parsers(sub)
    customer_cmds.add_parsers(sub)
    outbox_cmds.add_parsers(sub)
    printer_cmds.add_parsers(sub)
    sales_cmds.add_parsers(sub)
    from spacrm.adapters.cli import booking_cmds  # bookings and stock (#9, #34)

    booking_cmds.add_parsers(sub)
    from spacrm.adapters.cli import hr_cmds  # staff life (#12)

    hr_cmds.add_parsers(sub)

    import_cmds.add_parsers(sub)
    from spacrm.adapters.cli import course_cmds  # course session transfer (#9)

    course_cmds.add_parsers(sub)
    return p


async def _with_db(fn: Callable[[], Awaitable[int]]) -> int:
    from spacrm.adapters.app import wiring

    await wiring.start()
    try:
        return await fn()
    finally:
        await wiring.stop()


async def cmd_init(args: argparse.Namespace) -> int:
    async def run() -> int:
        settings = get_settings()
        lang = settings.lang
        print(t(lang, "cli.init.ready", url=settings.db_url))
        if args.demo:
            from spacrm.core.seed.demo import DEMO_PASSWORD, load_demo

            created = await load_demo()
            print(t(lang, "cli.init.demo_loaded" if created else "cli.init.demo_present"))
            if created and not args.no_history:
                from spacrm.core.seed.history import load_demo_history

                await load_demo_history()
                print(t(lang, "cli.init.history_loaded"))
            if await _load_demo_faq():
                print(t(lang, "cli.init.faq_loaded"))
            if created:
                print(t(lang, "cli.init.try", password=DEMO_PASSWORD))
        return 0

    return await _with_db(run)


async def _load_demo_faq() -> bool:
    """The demo spa's Q&A, so `spacrm ask` and the widget answer out of the box (only into an empty
    knowledge base: a spa's own training is never overwritten)."""
    from importlib.resources import as_file, files

    from spacrm.core.services import kb
    from spacrm.knowledge.importer import load_qa_file

    if await kb.count_pairs():
        return False
    source = files("spacrm.core.seed").joinpath("faq_lotus.csv")
    with as_file(source) as path:
        pairs = load_qa_file(path)
    await kb.import_pairs([kb.QAData(p.id, p.question, p.answer, p.variants) for p in pairs])
    return True


async def cmd_chat(args: argparse.Namespace) -> int:
    async def run() -> int:
        from spacrm.adapters.cli.terminal import chat_loop
        from spacrm.bot.engine import Engine
        from spacrm.core.services.users import actor_by_login

        actor = await actor_by_login(args.user)
        settings = get_settings()
        files = Path(args.files) if args.files else settings.data_dir / "chat-files"
        await chat_loop(Engine(settings.lang), actor, files_dir=files)
        return 0

    return await _with_db(run)


async def cmd_nlu(args: argparse.Namespace) -> int:
    from spacrm.bot.nlu import parse
    from spacrm.core import clock

    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError as exc:
            raise UserError(f"--now is not an ISO datetime: {args.now}") from exc
        now = now if now.tzinfo else now.replace(tzinfo=clock.TZ)
    else:
        now = clock.local_now()
    # Any bytes in, one JSON line out: undecodable input (a stray byte in a pasted file, a
    # surrogate from a mis-encoded argv) is replaced rather than ending in a traceback.
    if args.text is not None:
        lines: Iterable[str] = [args.text.encode("utf-8", "replace").decode("utf-8")]
    else:
        lines = (raw.decode("utf-8", "replace").rstrip("\r\n") for raw in sys.stdin.buffer)
    out = sys.stdout.buffer
    for line in lines:
        out.write(json.dumps(parse(line, now=now).to_dict(), ensure_ascii=False).encode() + b"\n")
        out.flush()
    return 0


async def cmd_users(args: argparse.Namespace) -> int:
    from spacrm.core.services import users
    from spacrm.intents.texts import t

    lang = get_settings().lang

    def role(value: str) -> str:
        return t(lang, f"role.{value}") if value else value

    async def run() -> int:
        if args.action == "add":
            user = await users.add_user(
                None, login=args.login, email=args.email, full_name=args.name, role=args.role,
                team_code=args.team, branch_code=args.branch, password=args.password,
            )  # fmt: skip
            print(t(lang, "cli.users.added", login=user.login, role=role(user.role)))
        elif args.action == "list":
            rows = await users.list_users()
            if not rows:
                print(t(lang, "cli.users.none"))
            for u in rows:
                state = "" if u.active else t(lang, "cli.users.inactive")
                print(f"{u.login:12} {role(u.role):20} {u.email:28} {u.full_name}{state}")
        elif args.action == "set-role":
            user = await users.set_role(None, login=args.login, role=args.role)
            print(t(lang, "cli.users.now_role", login=user.login, role=role(user.role)))
        elif args.action == "deactivate":
            user = await users.deactivate(None, login=args.login)
            print(t(lang, "cli.users.deactivated", login=user.login))
        return 0

    return await _with_db(run)


async def cmd_serve(args: argparse.Namespace) -> int:
    from spacrm.adapters.app.server import StartupError, serve

    try:
        await serve(args.host, args.port)
    except StartupError as exc:
        raise UserError(str(exc)) from exc
    return 0


def _commands() -> dict[str, Command]:
    from spacrm.adapters.cli import (
        booking_cmds,  # bookings and stock (#9, #34)
        course_cmds,  # course session transfer (#9)
        customer_cmds,
        hr_cmds,  # staff life (#12)
        import_cmds,  # spreadsheet import (#21)
        outbox_cmds,
        printer_cmds,
        report_cmds,  # reports (#10)
        sales_cmds,
    )

    return {
        **report_cmds.COMMANDS,
        "init": cmd_init,
        "serve": cmd_serve,
        "chat": cmd_chat,
        "nlu": cmd_nlu,
        "users": cmd_users,
        **customer_cmds.COMMANDS,
        **outbox_cmds.COMMANDS,
        **printer_cmds.COMMANDS,
        **sales_cmds.COMMANDS,
        **booking_cmds.COMMANDS,
        **hr_cmds.COMMANDS,
        **import_cmds.COMMANDS,
        **course_cmds.COMMANDS,
    }


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logcap.install()  # no log line longer than 2,000 characters (a pasted 2 MB name, say)
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_commands()[args.command](args))
    except UserError as exc:
        print(f"spacrm: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        from spacrm.bot.errors import error_text

        print(f"spacrm: {error_text(exc, get_settings().lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # configuration problems: one line, not a traceback
        from pydantic import ValidationError

        if isinstance(exc, ValidationError | OSError):
            print(f"spacrm: {exc}", file=sys.stderr)
            return 2
        raise


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def print_rows(
    rows: list[dict[str, Any]], line: Callable[[dict[str, Any]], str], *, as_json: bool
) -> None:
    """A listing: the rows as one JSON array with --json, else one `line(row)` each."""
    if as_json:
        print_json(rows)
        return
    for row in rows:
        print(line(row))


if __name__ == "__main__":
    # Run the imported module's main: sub-command modules raise *its* UserError, which is a
    # different class from this __main__ copy's (else `python -m` shows a traceback for them).
    from spacrm.adapters.cli.main import main as _main

    sys.exit(_main())
