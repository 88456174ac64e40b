"""`spacrm printers add|list|remove|retry`: the counter printers and their agent tokens."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from typing import Any

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services import printing


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pr = sub.add_parser("printers", help="counter printers for bills (the printer agent's tokens)")
    psub = pr.add_subparsers(dest="action", required=True)
    add = psub.add_parser("add", help="add a printer and print its agent token (shown once)")
    add.add_argument("name", help="a short name, e.g. quay-q1")
    add.add_argument("--branch", help="branch code (default: serves every branch)")
    add.add_argument("--paper", choices=list(printing.PAPERS), default="k80")
    psub.add_parser("list", help="list printers and their waiting jobs")
    rm = psub.add_parser("remove", help="remove a printer (its token stops working)")
    rm.add_argument("name")
    rt = psub.add_parser("retry", help="queue a failed print job again")
    rt.add_argument("job_id", type=int)


async def cmd_printers(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db

    async def run() -> int:
        if args.action == "add":
            printer, token = await printing.add_printer(
                name=args.name, paper=args.paper, branch_code=args.branch
            )
            print(f"Added printer {printer.name} ({printer.paper}).")
            print(f"Token (shown once): {token}")
            print(
                "Run on the counter PC: spacrm-printer --server URL "
                f"--token {token} --printer file:/dev/usb/lp0"
            )
        elif args.action == "list":
            rows = await printing.list_printers()
            if not rows:
                print("No printers. Add one: spacrm printers add NAME --branch CODE")
            for p in rows:
                seen = f"{clock.local(p.last_seen_at):%d/%m %H:%M}" if p.last_seen_at else "never"
                state = "" if p.active else "  [inactive]"
                print(
                    f"{p.name:20} {p.paper:4} {p.branch or '*':8} waiting {p.queued:3}  seen {seen}{state}"
                )
        elif args.action == "remove":
            await printing.remove_printer(name=args.name)
            print(f"Removed printer {args.name}.")
        else:
            if not await printing.retry_job(args.job_id):
                raise DomainError(ErrorCode.NOT_FOUND, what="job", value=str(args.job_id))
            print(f"Print job {args.job_id} queued again.")
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "printers": cmd_printers
}
