"""Importing leads from a spreadsheet in any layout (#21), and undoing an import.

1. `inspect`: find the header row (the row whose cells name the most known fields, Vietnamese or
   English, diacritics and case ignored, small typos forgiven) and map its columns to fields; the
   user sees the mapping and may correct it.
2. `dry_run`: what each row would do: create, update (a duplicate the user may see, when asked to
   update), skip (a duplicate by phone / email / tax code / CCCD, also within the file) or refuse
   (with the reason). Nothing is written to the database; the console's dry run keeps its
   validated rows beside the upload so that step 3 does not parse the file again.
3. `run_import`: the same decisions, written in chunks (one transaction each, so other writers
   are not blocked for a minute); every created or changed lead is recorded on the batch.
4. `undo_import`: deletes what the batch created and puts back what it changed, exactly; refused
   when one of those leads was changed since (someone's later work is never thrown away).
"""

from __future__ import annotations

import asyncio
import difflib
import glob
import logging
import marshal
import re
import secrets
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterable
from contextlib import aclosing, asynccontextmanager, closing
from dataclasses import dataclass, field
from datetime import UTC
from itertools import islice
from pathlib import Path
from typing import Any, TypeAlias

from tortoise import connections
from tortoise.exceptions import IntegrityError, OperationalError, TransactionManagementError
from tortoise.transactions import in_transaction

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import (
    Activity,
    Complaint,
    CustomerKey,
    ImportBatch,
    ImportChange,
    Lead,
    Opportunity,
    SearchEntry,
)
from spacrm.core.permissions import Ownership, can_see
from spacrm.core.services.import_rows import (
    CHUNK as CHUNK,
)
from spacrm.core.services.import_rows import (
    IDENTIFIERS,
    PIPE_MIN_BYTES,
    Outcome,
    chunks,
    piped,
)
from spacrm.core.services.search import index_record
from spacrm.core.services.table_files import read_rows, refuse
from spacrm.core.services.users import ownership_for
from spacrm.core.textnorm import fold, fold_words

log = logging.getLogger(__name__)
HEADER_SCAN = 30  # the header is looked for in the first rows only
PREVIEW = 20
Chunks: TypeAlias = Generator[list[Outcome], None, None]

# Field → headers people write (folded: lower case, no diacritics). The longest match wins, so
# "tên công ty" is the company, not the name.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "ho ten", "ho va ten", "ten", "ten khach", "ten khach hang", "khach hang", "ten kh",
        "ho ten khach hang", "name", "full name", "customer", "customer name", "contact name",
        "lead name", "fullname",
    ),
    "family_name": ("ho", "ho dem", "ho va ten dem", "last name", "surname", "family name"),
    "phone": (
        "so dien thoai", "dien thoai", "sdt", "so dt", "dt", "di dong", "dtdd", "so di dong",
        "phone", "mobile", "tel", "telephone", "phone number", "mobile phone", "cell", "zalo",
    ),
    "email": ("email", "e mail", "mail", "thu dien tu", "dia chi email", "email address"),
    "company": (
        "cong ty", "ten cong ty", "doanh nghiep", "don vi", "to chuc", "company", "company name",
        "organization", "organisation", "account",
    ),
    "address": ("dia chi", "dia chi lien he", "address", "street", "dia chi nha"),
    "area": ("khu vuc", "tinh thanh", "tinh", "thanh pho", "area", "city", "province", "region"),
    "source": ("nguon", "nguon khach", "kenh", "source", "lead source", "channel"),
    "needs": (
        "nhu cau", "ghi chu", "mo ta", "dich vu quan tam", "note", "notes", "description",
        "needs", "comment", "comments", "interest",
    ),
    "tax_code": ("ma so thue", "mst", "tax code", "tax id", "vat", "ma thue"),
    "citizen_id": ("cccd", "cmnd", "can cuoc", "so cccd", "so cmnd", "citizen id", "id card", "national id"),
    "value": (
        "gia tri", "gia tri du kien", "doanh so", "ngan sach", "value", "amount", "budget",
        "expected value", "deal value",
    ),
    "potential_level": ("muc do tiem nang", "tiem nang", "muc do", "potential", "rating", "level"),
}  # fmt: skip
FIELDS = tuple(ALIASES)
_ALIAS_INDEX = [(alias, f) for f, aliases in ALIASES.items() for alias in aliases]


def header_field(header: str) -> tuple[str, float] | None:
    """The field a column header names, and how sure (1 = an exact alias)."""
    key = fold_words(header).replace("_", " ").replace("-", " ").replace(".", " ").strip()
    key = re.sub(r"\s+", " ", key)
    if not key or len(key) > 60:
        return None
    best: tuple[str, float] | None = None
    padded = f" {key} "
    for alias, fld in _ALIAS_INDEX:
        if key == alias:
            return fld, 1.0
        if len(alias) >= 3 and f" {alias} " in padded:
            # "số điện thoại khách" contains "so dien thoai": sure in proportion to what it covers
            score = 0.6 + 0.3 * len(alias) / len(key)
        else:
            ratio = difflib.SequenceMatcher(None, key, alias).ratio()
            score = ratio * 0.9 if ratio >= 0.85 and len(alias) >= 4 else 0.0
        if score and (best is None or score > best[1]):
            best = (fld, score)
    return best


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field; each field from its best column."""
    found: dict[str, tuple[float, int]] = {}
    for i, header in enumerate(headers):
        hit = header_field(header)
        if hit is None:
            continue
        fld, score = hit
        if fld not in found or score > found[fld][0]:
            found[fld] = (score, i)
    return {i: fld for fld, (_, i) in found.items()}


def find_header(rows: list[list[str]]) -> int:
    """The index of the header row among the first rows: the one naming the most fields (a name
    or phone among them); -1 when none does."""
    best, best_score = -1, 1
    for i, row in enumerate(rows[:HEADER_SCAN]):
        fields = set(guess_mapping(row).values())
        if not fields & {"name", "phone", "email"}:
            continue
        if len(fields) > best_score or (best == -1 and len(fields) >= 1 and len(row) >= 2):
            best, best_score = i, max(len(fields), best_score)
    return best


@dataclass(frozen=True, slots=True)
class Inspection:
    header_row: int  # 0-based index of the header row in the file
    headers: list[str]
    mapping: dict[int, str]
    sample: list[list[str]]  # the first data rows as they are in the file


def inspect(path: Path, fmt: str) -> Inspection:
    rows = list(islice(read_rows(path, fmt), HEADER_SCAN + PREVIEW))
    if not any(any(r) for r in rows):
        raise refuse("empty")
    at = find_header(rows)
    if at < 0:
        raise refuse("no_header")
    headers = rows[at]
    sample = [r for r in rows[at + 1 :] if any(r)][:PREVIEW]
    return Inspection(at, headers, guess_mapping(headers), sample)


def check_mapping(mapping: dict[int, str]) -> None:
    unknown = [f for f in mapping.values() if f not in FIELDS]
    if unknown:
        raise DomainError(ErrorCode.INVALID_VALUE, field="mapping", value=unknown[0][:30])
    if "name" not in mapping.values():
        raise refuse("no_name_column")
    if len(set(mapping.values())) != len(mapping):
        raise refuse("mapped_twice")


# --- deciding what each row does ---------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    total: int = 0
    create: int = 0
    update: int = 0
    skip: int = 0
    refuse: int = 0
    shown: list[Outcome] = field(default_factory=list)  # the first rows of each kind

    def add(self, outcome: Outcome, keep: int) -> None:
        self.total += 1
        before = getattr(self, outcome.action)  # every one of that kind so far is shown, up to keep
        setattr(self, outcome.action, before + 1)
        if before < keep:
            self.shown.append(outcome)


_ENTRY_COLUMNS = "ref_id, owner_id, team_id, branch_id, region_id"
LOOKUP = 5000  # identifiers per duplicate query (SQLite allows 32,766 parameters)


async def _existing(outcomes: list[Outcome]) -> dict[tuple[str, str], tuple[int, Ownership]]:
    """The company's leads holding any identifier of these rows (lead id and its scope): one
    plain query per identifier and few thousand values (the ORM's query building and a model
    object per hit cost more than the lookup itself)."""
    conn = connections.get("default")
    sqlite = conn.capabilities.dialect == "sqlite"
    found: dict[tuple[str, str], tuple[int, Ownership]] = {}
    for key in IDENTIFIERS:
        wanted = sorted({o.values[key] for o in outcomes if o.values.get(key)})
        for at in range(0, len(wanted), LOOKUP):
            part = wanted[at : at + LOOKUP]
            marks = ", ".join("?" if sqlite else f"${i}" for i in range(1, len(part) + 1))
            # SQLite, without statistics, picks the (kind, ref_id) index for kind = 'lead' and
            # scans every lead once per chunk; "+kind" leaves it the identifier's own index.
            rows = await conn.execute_query_dict(
                f"SELECT {key} AS v, {_ENTRY_COLUMNS} FROM search_entry"
                f" WHERE {'+kind' if sqlite else 'kind'} = 'lead' AND {key} IN ({marks})",
                part,
            )
            for r in rows:
                scope = Ownership(r["owner_id"], r["team_id"], r["branch_id"], r["region_id"])
                found[(key, r["v"])] = (int(r["ref_id"]), scope)
    return found


async def _decide(
    actor: Actor, chunk: list[Outcome], seen: set[tuple[str, str]], update: bool
) -> None:
    """Turn prepared rows into create / update / skip / refuse (in place)."""
    ready = [o for o in chunk if o.action == "create"]
    existing = await _existing(ready)
    for o in ready:
        keys = [(k, o.values[k]) for k in IDENTIFIERS if o.values.get(k)]
        if any(k in seen for k in keys):
            o.action, o.reason = "skip", "duplicate_in_file"
            o.detail = next(v for k, v in keys if (k, v) in seen)
            continue
        seen.update(keys)
        hits = [(k, v) for k, v in keys if (k, v) in existing]
        if not hits:
            continue
        hit = hits[0]
        lead_id, scope = existing[hit]
        if len({existing[h][0] for h in hits}) > 1:
            # The phone is one customer's and the email another's: a person must decide.
            o.action, o.reason, o.detail = "refuse", "two_customers", ", ".join(v for _, v in hits)
            continue
        o.detail, o.lead_id = hit[1], lead_id
        if not can_see(actor, scope):
            o.action, o.reason = "refuse", "duplicate_hidden"
        elif update:
            o.action = "update"
        else:
            o.action, o.reason = "skip", "duplicate"


async def _prefetched(source: Chunks) -> AsyncGenerator[list[Outcome], None]:
    """The chunks, each read and validated in a worker thread (so the event loop stays free), but
    never while the caller writes the previous one: both are Python work under one GIL, and the
    database thread then waited for the lock on every row (an import took 1.3x as long)."""
    try:
        while (chunk := await asyncio.to_thread(next, source, None)) is not None:
            yield chunk
    finally:
        source.close()  # a reader process stops at once (the caller closes this generator)


# --- the dry run's parsed rows, kept for the import ----------------------------------------------
#
# Reading and validating the file is half an import's work. A dry run with `stage=True` (the
# console's, whose upload stays put between the steps) writes its validated rows beside the
# file, chunk by chunk, so the import that follows reads them back instead of parsing the file
# again. Only what `_prepare` decided from the file alone is kept: what each row does against the
# database is decided again at import time. marshal: plain values, fast, written and read by us.

_STAGE_VERSION = 1


def _stage_path(path: Path) -> Path:
    return path.with_name(path.name + ".staged")


def _stage_key(path: Path, header_row: int, mapping: dict[int, str]) -> tuple[Any, ...]:
    st = path.stat()
    return (_STAGE_VERSION, st.st_size, st.st_mtime_ns, header_row, tuple(sorted(mapping.items())))


def _staging(source: Chunks, path: Path, key: tuple[Any, ...]) -> Chunks:
    """`source`'s chunks, each also written to the stage; the stage counts only once complete (a part file
    of its own per writer: two dry runs of one upload at once never mix their rows)."""
    part = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    with closing(source), part.open("wb") as fh:  # closing this closes a reader process
        marshal.dump(key, fh)
        for chunk in source:
            marshal.dump([o.plain() for o in chunk], fh)
            yield chunk
        marshal.dump(None, fh)
    part.replace(path)


def _staged(path: Path, key: tuple[Any, ...]) -> Chunks | None:
    """The staged chunks of the same file and mapping, or None."""
    try:
        fh = path.open("rb")
    except OSError:
        return None
    try:
        same = marshal.load(fh) == key
    except (EOFError, ValueError, TypeError):
        same = False
    if not same:
        fh.close()
        return None

    def load() -> Chunks:
        with fh:
            while (rows := marshal.load(fh)) is not None:
                yield [Outcome(*row) for row in rows]

    return load()


def _source(
    path: Path, fmt: str, header_row: int, mapping: dict[int, str], *, stage: bool = False
) -> Chunks:
    """The file's validated rows in chunks: from the dry run's stage when there is one."""
    key = _stage_key(path, header_row, mapping)
    staged = _staged(_stage_path(path), key)
    if staged is not None:
        return staged
    if path.stat().st_size >= PIPE_MIN_BYTES:
        prepared = piped(path, fmt, header_row, mapping)  # read beside the writes (import_rows)
    else:
        prepared = chunks(read_rows(path, fmt), header_row, mapping)
    return _staging(prepared, _stage_path(path), key) if stage else prepared


def drop_stage(path: Path) -> None:
    stage = _stage_path(path)
    for leftover in (stage, *stage.parent.glob(f"{glob.escape(stage.name)}.*.part")):
        leftover.unlink(missing_ok=True)


async def dry_run(
    actor: Actor, path: Path, fmt: str, *, header_row: int, mapping: dict[int, str],
    update: bool = False, keep: int = PREVIEW, stage: bool = False,
) -> Tally:  # fmt: skip
    """`stage`: keep the validated rows for the import (see above)."""
    check_mapping(mapping)
    tally = Tally()
    seen: set[tuple[str, str]] = set()
    source = _prefetched(_source(path, fmt, header_row, mapping, stage=stage))
    async with aclosing(source):
        async for chunk in source:
            await _decide(actor, chunk, seen, update)
            for o in chunk:
                tally.add(o, keep)
    return tally


# --- writing ------------------------------------------------------------------------------------

Progress = Callable[[ImportBatch], Awaitable[None]]
_UPDATABLE = ("name", "company", "address", "area", "needs", "source", "potential_level", "value",
              *IDENTIFIERS)  # fmt: skip


async def run_import(
    actor: Actor, path: Path, fmt: str, *, filename: str, header_row: int,
    mapping: dict[int, str], update: bool = False, progress: Progress | None = None,
    batch: ImportBatch | None = None,
) -> tuple[ImportBatch, Tally]:  # fmt: skip
    """Import the file; on an unexpected failure everything done so far is undone. `batch`: one
    made by `start_batch` (so a screen can show its progress while this runs)."""
    check_mapping(mapping)
    owner = await ownership_for(actor.user_id)
    if batch is None:
        batch = await start_batch(actor, filename)
    tally = Tally()
    seen: set[tuple[str, str]] = set()
    analyzed = await _lead_count()
    try:
        source = _prefetched(_source(path, fmt, header_row, mapping))
        async with aclosing(source):
            async for chunk in source:
                await _write_chunk(actor, owner, batch, chunk, seen, update)
                if tally.create >= max(analyzed, STATS_FLOOR):
                    analyzed = tally.create * 2
                    await _analyze()
                for o in chunk:
                    tally.add(o, PREVIEW)
                batch.total, batch.created = tally.total, tally.create
                batch.updated, batch.skipped, batch.refused = tally.update, tally.skip, tally.refuse
                await batch.save()
                if progress is not None:
                    await progress(batch)
    except Exception:
        await _revert(batch)
        batch.status = "failed"
        await batch.save()
        raise
    batch.status = "done"
    await batch.save()
    return batch, tally


async def start_batch(actor: Actor, filename: str) -> ImportBatch:
    return await ImportBatch.create(user_id=actor.user_id, kind="leads", filename=filename[:255])


async def _write_chunk(
    actor: Actor, owner: Ownership, batch: ImportBatch, chunk: list[Outcome],
    seen: set[tuple[str, str]], update: bool,
) -> None:  # fmt: skip
    before_seen = set(seen)
    for attempt in range(2):
        await _decide(actor, chunk, seen, update)
        try:
            async with in_transaction() as conn:
                await _write(conn, owner, batch, chunk)
            return
        except IntegrityError:
            # Someone else added one of these identifiers meanwhile: decide again (now a duplicate).
            if attempt:
                raise
            seen.clear()
            seen.update(before_seen)
            for o in chunk:
                if o.action in ("create", "update", "skip") and o.values:
                    o.action, o.reason, o.detail, o.lead_id = "create", "", "", None


_LEAD_VALUES = (
    "name",
    "name_key",
    "company",
    "email",
    "phone",
    "address",
    "area",
    "needs",
    "potential_level",
    "source",
    "value",
    "tax_code",
    "citizen_id",
)  # from the file
_LEAD_COLUMNS = ("id", *_LEAD_VALUES, "owner_id", "team_id", "branch_id", "region_id",
                 "created_at", "updated_at")  # fmt: skip


async def _reserve_ids(conn: Any, table: str, n: int) -> list[int]:
    """Ids for `n` new rows of `table`, so they go in with one statement (Lead.create is one
    round trip per row: three quarters of a 100k-row import's time). SQLite: the write
    transaction holds the database's only write lock, so max(id) cannot move under it.
    PostgreSQL: the sequence."""
    if conn.capabilities.dialect == "sqlite":
        rows = await conn.execute_query_dict(f"SELECT COALESCE(MAX(id), 0) AS top FROM {table}")
        top = int(rows[0]["top"])
        return list(range(top + 1, top + n + 1))
    rows = await conn.execute_query_dict(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id"
        " FROM generate_series(1, $1)",
        [n],
    )
    return [int(r["id"]) for r in rows]


@asynccontextmanager
async def _trigger_paused(conn: Any, name: str) -> AsyncIterator[bool]:
    """Inside a transaction on SQLite: drop trigger `name` while the caller does its work for the
    whole chunk in one statement, then put it back exactly as it was, in the same transaction
    (so no other connection ever sees the table without it; a failure rolls both back). The
    search words' FTS5 triggers cost ~0.2 ms a row, four times the row's own insert, when they
    fire once per row. Yields whether the trigger existed (PostgreSQL: no such triggers)."""
    if conn.capabilities.dialect != "sqlite":
        yield False
        return
    rows = await conn.execute_query_dict(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
    )
    if not rows:
        yield False
        return
    await conn.execute_query(f"DROP TRIGGER {name}")
    yield True
    await conn.execute_query(rows[0]["sql"])


# What the search_words triggers of migration 0010 do for one row, for a range of rows at once.
_WORDS_ADD = (
    "INSERT INTO search_words(rowid, words) SELECT id, ' ' || name_key || ' ' FROM search_entry"
    " WHERE id BETWEEN ? AND ?"
)
_WORDS_DELETE = (
    "INSERT INTO search_words(search_words, rowid, words)"
    " SELECT 'delete', id, ' ' || name_key || ' ' FROM search_entry WHERE kind = 'lead' AND ref_id IN"
)


_LEAD_DEFAULTS = {"stage": "potential", "version": 1, "calls": 0, "meetings": 0, "emails": 0,
                  "quote_emails": 0}  # fmt: skip


async def _insert_leads(conn: Any, owner: Ownership, creates: list[Outcome]) -> None:
    ids = await _reserve_ids(conn, "lead", len(creates))
    sqlite = conn.capabilities.dialect == "sqlite"
    now = clock.now()
    stamp: Any = now.astimezone(UTC).isoformat() if sqlite else now
    scope = [owner.columns()[c] for c in _SCOPE]
    tail = [*scope, stamp, stamp, *_LEAD_DEFAULTS.values()]
    rows = []
    for lead_id, o in zip(ids, creates, strict=True):
        o.lead_id = lead_id
        # map(dict.get): the row without a Python call per column (a tenth of the parent's time)
        rows.append([lead_id, *map(o.values.get, _LEAD_VALUES), *tail])
    # stage, version and the activity counters take their defaults as in Lead.create.
    await _insert(conn, "lead", (*_LEAD_COLUMNS, *_LEAD_DEFAULTS), rows)


async def _insert(conn: Any, table: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """One statement for many rows: Tortoise's bulk_create builds a model object per row, which
    costs more than the insert itself at 100k rows. PostgreSQL: COPY, several times faster than
    an INSERT per row even when pipelined."""
    if not rows:
        return
    pg: Any = getattr(conn, "_connection", None)  # asyncpg's, inside Tortoise's transaction
    if conn.capabilities.dialect == "postgres" and hasattr(pg, "copy_records_to_table"):
        try:
            await pg.copy_records_to_table(table, records=rows, columns=list(columns))
        except Exception as exc:  # asyncpg's own error, not translated by Tortoise here
            if str(getattr(exc, "sqlstate", "")).startswith("23"):  # integrity constraint
                raise IntegrityError(exc) from exc
            raise
        return
    sqlite = conn.capabilities.dialect == "sqlite"
    marks = ", ".join("?" if sqlite else f"${i}" for i in range(1, len(columns) + 1))
    await conn.execute_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


_SCOPE = ("owner_id", "team_id", "branch_id", "region_id")
_ENTRY = ("kind", "ref_id", "name_key", "phone", "phone_rev", "email", "tax_code", "citizen_id",
          *_SCOPE)  # fmt: skip
_ENTRY_VALUES = ("name_key", "phone", "email", "tax_code", "citizen_id")


async def _write(conn: Any, owner: Ownership, batch: ImportBatch, chunk: list[Outcome]) -> None:
    columns = owner.columns()
    entries: list[list[Any]] = []
    keys: list[list[Any]] = []
    changes: list[ImportChange] = []
    created: list[list[Any]] = []
    creates = [o for o in chunk if o.action == "create"]
    if creates:
        await _insert_leads(conn, owner, creates)
    scope = [columns[c] for c in _SCOPE]
    for o in creates:
        v = o.values
        name_key, phone, email, tax_code, citizen_id = map(v.get, _ENTRY_VALUES)
        entries.append(["lead", o.lead_id, name_key, phone, phone[::-1] if phone else None,
                         email, tax_code, citizen_id, *scope])  # fmt: skip
        keys += [[k, v[k], o.lead_id] for k in IDENTIFIERS if v.get(k)]
        created.append([batch.id, o.lead_id, "created", 1])
    for o in chunk:
        if o.action == "update" and o.lead_id is not None:
            change = await _update(o)
            if change is not None:
                change.batch_id = batch.id
                changes.append(change)
    # One statement per table for the whole chunk. The unique customer_key index still refuses
    # an identifier another writer took meanwhile: IntegrityError, and the chunk rolls back.
    await _insert_entries(conn, entries)
    await _insert(conn, "customer_key", ("kind", "value", "lead_id"), keys)
    await _insert(conn, "import_change", ("batch_id", "lead_id", "action", "version"), created)
    await ImportChange.bulk_create(changes)


async def _insert_entries(conn: Any, entries: list[list[Any]]) -> None:
    """The chunk's search entries with their search words, in bulk (SQLite: see _trigger_paused)."""
    if not entries:
        return
    async with _trigger_paused(conn, "search_words_ai") as paused:
        if not paused:
            await _insert(conn, "search_entry", _ENTRY, entries)
            return
        ids = await _reserve_ids(conn, "search_entry", len(entries))
        await _insert(conn, "search_entry", ("id", *_ENTRY),
                      [[i, *e] for i, e in zip(ids, entries, strict=True)])  # fmt: skip
        await conn.execute_query(_WORDS_ADD, [ids[0], ids[-1]])


async def _update(o: Outcome) -> ImportChange | None:
    lead = await Lead.get(id=o.lead_id)
    new = {k: o.values[k] for k in _UPDATABLE if o.values.get(k) not in (None, "", 0)}
    changed = {k: v for k, v in new.items() if getattr(lead, k) != v}
    if not changed:
        o.action, o.reason = "skip", "duplicate"
        return None
    before = {k: getattr(lead, k) for k in changed}
    if "name" in changed:
        before["name_key"] = lead.name_key
        lead.name_key = fold(changed["name"])
    for k, v in changed.items():
        setattr(lead, k, v)
    lead.version += 1
    await lead.save()
    await index_record(
        "lead", lead.id, name=lead.name, phone=lead.phone, email=lead.email,
        tax_code=lead.tax_code, citizen_id=lead.citizen_id, owner=Ownership.of(lead),
    )  # fmt: skip
    return ImportChange(lead_id=lead.id, action="updated", before=before, version=lead.version)


# --- undo -----------------------------------------------------------------------------------------


async def batches(actor: Actor, limit: int = 20) -> list[ImportBatch]:
    qs = ImportBatch.all() if actor.sees_all else ImportBatch.filter(user_id=actor.user_id)
    return await qs.order_by("-id").limit(limit)


async def get_batch(actor: Actor, batch_id: int) -> ImportBatch:
    batch = await ImportBatch.get_or_none(id=batch_id)
    if batch is None or not (actor.sees_all or batch.user_id == actor.user_id):
        raise DomainError(ErrorCode.NOT_FOUND)
    return batch


async def undo_import(actor: Actor, batch_id: int) -> ImportBatch:
    """Put everything back as it was before the import (only the importer, or the board/admin)."""
    batch = await get_batch(actor, batch_id)
    if batch.status != "done":
        raise (
            DomainError(ErrorCode.ALREADY_DONE) if batch.status == "undone" else refuse("not_done")
        )
    changes = await ImportChange.filter(batch_id=batch.id)
    ids = [c.lead_id for c in changes]
    versions = {}
    for part in _parts(ids):
        versions.update(dict(await Lead.filter(id__in=part).values_list("id", "version")))
    created = [c.lead_id for c in changes if c.action == "created"]
    busy = any(versions.get(c.lead_id) != c.version for c in changes)
    for part in _parts(created):  # work hangs on the lead since: an activity, a deal, a case
        for model in (Activity, Opportunity, Complaint):
            busy = busy or await model.filter(lead_id__in=part).exists()
    if busy:
        raise refuse("changed_since")
    await _revert(batch, changes)
    batch.status, batch.undone_at = "undone", clock.now()
    await batch.save()
    if len(created) >= VACUUM_AFTER:
        await _vacuum()
    return batch


STATS_FLOOR = 4000  # created leads before the first refresh of the planner's statistics


async def _lead_count() -> int:
    conn = connections.get("default")
    if conn.capabilities.dialect != "postgres":
        return 0
    rows = await conn.execute_query_dict(
        "SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'lead'"
    )
    return max(int(rows[0]["n"]), 0) if rows else 0


async def _analyze() -> None:
    """PostgreSQL, while an import grows the tables: the planner still believes what it read
    when they were small, and the duplicate look-ups then scanned the whole search_entry table
    for every chunk. The first import into a new database took 1.9x as long as the next one
    (after the undo's ANALYZE). Refreshed each time the import doubles the rows it created
    (a few times per import; ANALYZE samples a fixed number of rows). SQLite: no statistics."""
    conn = connections.get("default")
    if conn.capabilities.dialect != "postgres":
        return
    await conn.execute_script("ANALYZE search_entry")  # the only table the import reads


VACUUM_AFTER = 5000  # created leads: an undo this big leaves PostgreSQL's indexes full of dead rows
_UNDONE_TABLES = ("lead", "search_entry", "customer_key")


async def _vacuum() -> None:
    """PostgreSQL, after a big undo: the deleted rows stay in every index until a vacuum, and
    the next import (the usual step after undoing a wrong one) walked past them on each insert
    and duplicate lookup: 2.7x as long. Autovacuum comes only later; so vacuum now, and refresh
    the planner's statistics. SQLite reuses freed pages itself. Best effort: the undo is done."""
    conn = connections.get("default")
    if conn.capabilities.dialect != "postgres":
        return
    for table in _UNDONE_TABLES:
        try:
            await conn.execute_script(f"VACUUM (ANALYZE) {table}")
        except (OperationalError, TransactionManagementError) as exc:  # in a caller's transaction
            log.warning("vacuum %s after an undo: %s", table, exc)
            return


def _parts(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


async def _revert(batch: ImportBatch, changes: list[ImportChange] | None = None) -> None:
    if changes is None:
        changes = await ImportChange.filter(batch_id=batch.id)
    created = [c.lead_id for c in changes if c.action == "created"]
    async with in_transaction() as conn:
        # One pause for all the parts: each drop and re-creation makes SQLite reload the schema.
        async with _trigger_paused(conn, "search_words_ad") as paused:
            for part in _parts(created, 2000):
                await CustomerKey.filter(lead_id__in=part).delete()
                await _delete_entries(conn, part, paused)
                await Lead.filter(id__in=part).delete()
        for c in changes:
            if c.action != "updated" or not c.before:
                continue
            lead = await Lead.get_or_none(id=c.lead_id)
            if lead is None:
                continue
            for k, v in c.before.items():
                setattr(lead, k, v)
            lead.version += 1
            await lead.save()
            await index_record(
                "lead", lead.id, name=lead.name, phone=lead.phone, email=lead.email,
                tax_code=lead.tax_code, citizen_id=lead.citizen_id, owner=Ownership.of(lead),
            )  # fmt: skip


async def _delete_entries(conn: Any, lead_ids: list[int], paused: bool) -> None:
    """The leads' search entries, and their search words when the delete trigger is `paused`
    (see _trigger_paused)."""
    if paused:
        marks = ", ".join("?" for _ in lead_ids)
        await conn.execute_query(f"{_WORDS_DELETE} ({marks})", lead_ids)
    await SearchEntry.filter(kind="lead", ref_id__in=lead_ids).delete()
