"""`spacrm outbox`: see what could not be sent, and queue it again once the cause is fixed."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from typing import Any

from spacrm.core.services import outbox
from spacrm.core.services.outbox import mask_codes
from spacrm.core.settings import get_settings
from spacrm.intents.texts import t


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ob = sub.add_parser("outbox", help="outbound messages: status, failures, retry")
    osub = ob.add_subparsers(dest="action", required=True)
    osub.add_parser("status", help="how many messages are pending, sent, failed")
    osub.add_parser("failed", help="list messages that failed permanently")
    rt = osub.add_parser("retry", help="queue failed messages again")
    rt.add_argument("id", nargs="?", type=int, help="one message id (default: all failed)")


async def cmd_outbox(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.main import _with_db

    lang = get_settings().lang

    async def run() -> int:
        if args.action == "status":
            c = await outbox.counts()
            print(t(lang, "cli.outbox.status", **c))
        elif args.action == "failed":
            rows = await outbox.failed()
            if not rows:
                print(t(lang, "cli.outbox.none_failed"))
            for m in rows:
                text = str(m.payload.get("text") or m.payload.get("subject") or "")
                text = mask_codes(text.replace("\n", " "))[:50]
                error = mask_codes((m.last_error or "").replace("\n", " "))[:200]
                print(f"{m.id:6} {m.channel:9} {m.chat_id:16} {m.attempts:2}x  {error}  | {text}")
        else:
            n = await outbox.retry_failed(args.id)
            print(t(lang, "cli.outbox.requeued", n=n))
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "outbox": cmd_outbox
}
