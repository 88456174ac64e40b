"""An import's rows read and checked without the database (#21), in this process or in a reader
process beside it.

Reading an xlsx and validating its rows is pure Python work, as is most of writing them (the
driver's encoding, SQLite's own work under the GIL); in one process the two take turns on one
core. A big file is therefore read in a child process (`piped`) that streams its validated rows
through a pipe while this process writes the previous chunk: on two cores the import then takes
about as long as the longer of the two, not their sum. The child loads only this module and
what it needs (no ORM, no models: seconds on a busy machine), and sends the same rows
`chunks` yields here, so both paths decide and write identically.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from spacrm.core import clock
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.services.lead_fields import MAX_NAME, parse_number, validate_identifiers
from spacrm.core.services.table_files import read_rows
from spacrm.core.textnorm import clean_inbound, fold, nfc

CHUNK = 2000  # rows per transaction: other writers wait a fraction of a second at most
IDENTIFIERS = ("phone", "email", "tax_code", "citizen_id")
# Smaller files are read here: starting the reader process (~0.3 s, more on a busy machine)
# would cost more than the overlap saves.
PIPE_MIN_BYTES = 500_000
PIPE_BYTES = 1 << 20  # the pipe's buffer: the reader runs a whole chunk ahead of the writer


@dataclass(slots=True)
class Outcome:
    line: int  # 1-based line in the file, as a spreadsheet shows it
    action: str  # create update skip refuse
    name: str
    reason: str = ""  # for skip/refuse: a key under import.reason.*
    detail: str = ""  # the offending value
    values: dict[str, Any] = field(default_factory=dict)
    lead_id: int | None = None  # the existing lead (update / skip)

    def plain(self) -> tuple[Any, ...]:
        """What `_prepare` decided, as plain values (marshal: for the stage and the pipe)."""
        return (self.line, self.action, self.name, self.reason, self.detail, self.values)


# What clean_inbound removes; a cell without any (nearly all) is taken as it is, one scan.
_DIRTY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _row_values(row: list[str], mapping: dict[int, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i, fld in mapping.items():
        if i < len(row) and (cell := row[i]):
            if len(cell) > 2000 or _DIRTY.search(cell):
                cell = clean_inbound(cell, 2000) or ""
            out[fld] = cell
    return out


@lru_cache(maxsize=1024)
def _fold_cached(text: str) -> str:  # a file has a handful of sources, repeated on every row
    return fold(text)


def _prepare(line: int, raw: dict[str, str]) -> Outcome:
    """Validation that needs no database: the name, identifiers, value."""
    name = nfc(" ".join(p for p in (raw.get("family_name", ""), raw.get("name", "")) if p))
    out = Outcome(line, "create", name)
    key = fold(name) if name else ""
    if not key:
        out.action, out.reason = "refuse", "no_name"
        return out
    if len(name) > MAX_NAME:
        out.action, out.reason, out.detail = "refuse", "long_name", name[:20] + "…"
        return out
    try:
        ids = validate_identifiers(
            phone=raw.get("phone"), email=raw.get("email"),
            tax_code=raw.get("tax_code"), citizen_id=raw.get("citizen_id"),
        )  # fmt: skip
        amount = raw.get("value", "")
        value = (
            int(amount)
            if amount.isascii() and amount.isdigit()
            else parse_number(amount)
            if amount
            else 0
        )
    except DomainError as exc:
        out.action, out.reason = "refuse", str(exc.code)
        out.detail = str(exc.params.get("value", ""))[:40]
        return out
    values: dict[str, Any] = {"name": name, "name_key": key, "value": value}
    values.update({k: getattr(ids, k) for k in IDENTIFIERS})
    for key in ("company", "address", "area", "needs", "potential_level"):
        if raw.get(key):
            values[key] = nfc(raw[key])[: 200 if key in ("company", "area") else 2000]
    if raw.get("potential_level"):
        values["potential_level"] = nfc(raw["potential_level"])[:20]
    if raw.get("area"):
        values["area"] = values["area"][:100]
    if raw.get("source"):
        values["source"] = _fold_cached(raw["source"])[:40]
    out.values = values
    return out


def chunks(
    rows: Iterator[list[str]], at: int, mapping: dict[int, str]
) -> Generator[list[Outcome], None, None]:
    """The rows after the header row `at`, prepared, in chunks of CHUNK."""
    chunk: list[Outcome] = []
    for n, row in enumerate(rows):
        if n <= at:
            continue
        raw = _row_values(row, mapping)
        if not raw:
            continue  # a blank line (or only unmapped cells): not a record
        chunk.append(_prepare(n + 1, raw))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- the reader process ---------------------------------------------------------------------------
#
# The child writes marshal records to its stdout: one list of `Outcome.plain()` per chunk, then
# None; or ("error", code, params) when the file cannot be read (the DomainError to raise here).


def piped(
    path: Path, fmt: str, header_row: int, mapping: dict[int, str]
) -> Generator[list[Outcome], None, None]:
    """`chunks` of the file, read and prepared by a child process. Closing the generator (or an
    error here) stops the child; its rows are never half-used: the pipe ends with None."""
    root = str(Path(__file__).resolve().parents[3])  # the folder holding the spacrm package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}  # fmt: skip
    args = [str(path), fmt, str(header_row), json.dumps(mapping), clock.now().isoformat()]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from spacrm.core.services.import_rows import main; main()", *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env,
    )  # fmt: skip
    out: IO[bytes] = proc.stdout  # type: ignore[assignment]  # stdout=PIPE
    try:
        _widen(out)
        while True:
            try:
                item = marshal.load(out)
            except (EOFError, ValueError, TypeError) as exc:
                raise RuntimeError(f"import reader stopped (exit {proc.wait()})") from exc
            if item is None:
                break
            if isinstance(item, tuple):
                raise DomainError(ErrorCode(item[1]), **item[2])
            yield [Outcome(*row) for row in item]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        out.close()


def _widen(pipe: IO[bytes]) -> None:
    """A pipe holds 64 KB on Linux: the child would stop a few hundred rows into the next chunk
    until this process read the last one. Best effort (Linux only)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def main() -> None:
    """The reader process: argv = path, format, header row, mapping (JSON), the parent's clock."""
    path, fmt, header_row, mapping, now = sys.argv[1:6]
    clock.freeze(datetime.fromisoformat(now))  # the same "today" as the parent (a CCCD's age)
    out = sys.stdout.buffer
    fields = {int(k): v for k, v in json.loads(mapping).items()}
    try:
        for chunk in chunks(read_rows(Path(path), fmt), int(header_row), fields):
            marshal.dump([o.plain() for o in chunk], out)
        marshal.dump(None, out)
    except DomainError as exc:
        marshal.dump(("error", exc.code.value, exc.params), out)
    out.flush()
