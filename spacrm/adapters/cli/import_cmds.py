"""`spacrm import FILE --kind leads [--dry-run] [--update] [--as LOGIN]` and `spacrm import --undo N`
(#21): the console's import, from the terminal (same core service, same decisions)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from spacrm.adapters.cli.main import UserError, _with_db
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.settings import get_settings
from spacrm.intents.texts import t


def say(key: str, **params: Any) -> str:
    return t(get_settings().lang, key, **params)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import", help="import leads from an xlsx/csv/txt file in any layout")
    imp.add_argument("file", nargs="?", help="the .xlsx, .csv or .txt file")
    imp.add_argument("--kind", default="leads", choices=["leads"])
    imp.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    imp.add_argument("--update", action="store_true", help="update duplicates the user manages")
    imp.add_argument("--as", dest="login", default="admin", help="import as (and for) this user")
    imp.add_argument("--undo", type=int, metavar="N", help="undo import number N")


def _head(path: Path) -> tuple[bytes, int]:
    try:
        with path.open("rb") as fh:
            return fh.read(16), path.stat().st_size
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror}") from exc


def _reason(reason: str) -> str:
    key = f"import.reason.{reason}"
    text = say(key)
    return text if text != key else reason


async def cmd_import(args: argparse.Namespace) -> int:
    from spacrm.core.services import imports
    from spacrm.core.services.table_files import file_format
    from spacrm.core.services.users import actor_by_login

    async def run() -> int:
        actor = await actor_by_login(args.login)
        if args.undo is not None:
            await imports.undo_import(actor, args.undo)
            print(say("cli.leadimport.undone", batch=args.undo))
            return 0
        if not args.file:
            raise UserError("spacrm import FILE --kind leads [--dry-run]")
        path = Path(args.file)
        head, size = _head(path)
        try:
            fmt = file_format(path.name, head, size)
            found = imports.inspect(path, fmt)
            print(say("cli.leadimport.header", n=found.header_row + 1))
            for i, header in enumerate(found.headers):
                field = found.mapping.get(i)
                print(f"  {header or '?'} → {say('lf.' + field) if field else say('cs.ignore')}")
            kwargs: dict[str, Any] = {
                "header_row": found.header_row, "mapping": found.mapping, "update": args.update,
            }  # fmt: skip
            if args.dry_run:
                tally = await imports.dry_run(actor, path, fmt, **kwargs)
                mode = say("cli.leadimport.dry")
            else:
                batch, tally = await imports.run_import(
                    actor, path, fmt, filename=path.name, **kwargs
                )
                mode = say("cli.leadimport.done", batch=batch.id)
        except DomainError as exc:
            if exc.code == ErrorCode.IMPORT_FAILED:
                raise UserError(
                    say("err.import_failed", reason=_reason(str(exc.params.get("reason", ""))))
                ) from exc
            raise
        for o in sorted(tally.shown, key=lambda o: o.line):
            if o.action in ("skip", "refuse"):
                reason = _reason(o.reason) + (f" ({o.detail})" if o.detail else "")
                print(
                    say(
                        "cli.leadimport.row",
                        line=o.line,
                        action=say(f"cs.will_{o.action}"),
                        name=o.name,
                        reason=reason,
                    )
                )
        print(say("cli.leadimport.summary", mode=mode, total=tally.total, create=tally.create,
                  update=tally.update, skip=tally.skip, refuse=tally.refuse))  # fmt: skip
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "import": cmd_import,
}
