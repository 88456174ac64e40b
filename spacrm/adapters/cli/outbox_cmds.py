"""`spacrm outbox`: see what could not be sent, and queue it again once the cause is fixed."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from typing import Any

from spacrm.core.services import outbox


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ob = sub.add_parser("outbox", help="outbound messages: status, failures, retry")
    osub = ob.add_subparsers(dest="action", required=True)
    osub.add_parser("status", help="how many messages are pending, sent, failed")
    osub.add_parser("failed", help="list messages that failed permanently")
    rt = osub.add_parser("retry", help="queue failed messages again")
    rt.add_argument("id", nargs="?", type=int, help="one message id (default: all failed)")


async def cmd_outbox(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db

    async def run() -> int:
        if args.action == "status":
            c = await outbox.counts()
            print(f"pending {c['pending']}  sent {c['sent']}  failed {c['failed']}")
        elif args.action == "failed":
            rows = await outbox.failed()
            if not rows:
                print("No failed messages.")
            for m in rows:
                text = str(m.payload.get("text") or m.payload.get("subject") or "")[:50].replace(
                    "\n", " "
                )
                print(
                    f"{m.id:6} {m.channel:9} {m.chat_id:16} {m.attempts:2}x  {m.last_error or ''}  | {text}"
                )
        else:
            n = await outbox.retry_failed(args.id)
            print(f"Queued {n} message(s) again; `spacrm serve` sends them.")
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "outbox": cmd_outbox
}
