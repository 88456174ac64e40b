"""Customer lookup (#20, #22) over the company-wide search index.

One query shape per kind of input: a phone, the last digits of a phone, an email, a tax code, a
citizen ID, the first digits of a phone, or the starts of the words of a name (diacritics optional;
"Yến" finds "Lê Thị Yến", never "Nguyễn"). Names use an FTS5 trigram index on SQLite and pg_trgm on
PostgreSQL, so a name stays an index lookup at 100k records; the closest names come first.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import reduce
from typing import Any

from tortoise import connections
from tortoise.expressions import Q

from spacrm.core.actors import Actor
from spacrm.core.ids import normalize_citizen_id, normalize_phone, normalize_tax_code
from spacrm.core.models import SearchEntry
from spacrm.core.permissions import Ownership, scope_filter
from spacrm.core.services import customer_keys
from spacrm.core.textnorm import fold

_DIGITS = re.compile(r"[\s.\-]")


@dataclass(frozen=True, slots=True)
class Found:
    kind: str  # lead contact account
    ref_id: int


def classify(query: str) -> list[tuple[str, str]]:
    """Which fields a query may be about, with normalised values. A 10-digit number can be both a
    phone and a tax code ("0314409058"), so both are tried. A few digits may be the start of a
    phone ("0352…", typed from a note) or its end ("678", read off a call log): both are tried,
    the likelier one first."""
    text = query.strip()
    if "@" in text:
        return [("email", text.lower())]
    digits = _DIGITS.sub("", text).removeprefix("+")
    if not digits.isdigit():
        return [("name", fold(text))]
    out: list[tuple[str, str]] = []
    phone = normalize_phone(text)
    if phone:
        out.append(("phone", phone))
    if len(digits) == 12 and normalize_citizen_id(digits):
        out.append(("citizen_id", digits))
    tax = normalize_tax_code(text)
    if tax:
        out.append(("tax_code", tax))
    if not out and 3 <= len(digits) <= 9:
        partial = [("phone_prefix", digits), ("phone_suffix", digits)]
        out += partial if digits.startswith("0") and len(digits) >= 4 else partial[::-1]
    return out


async def index_record(
    kind: str,
    ref_id: int,
    *,
    name: str,
    phone: str | None,
    email: str | None,
    tax_code: str | None,
    citizen_id: str | None,
    owner: Ownership,
) -> None:
    values = {
        "name_key": fold(name),
        "phone": phone,
        "phone_rev": phone[::-1] if phone else None,
        "email": email.lower() if email else None,
        "tax_code": tax_code,
        "citizen_id": citizen_id,
        **owner.columns(),
    }
    if kind == "lead":  # leads hold the company-wide unique identifiers (customer_keys.py)
        ids = ("phone", "email", "tax_code", "citizen_id")
        old = await SearchEntry.filter(kind=kind, ref_id=ref_id).values(*ids)
        await customer_keys.sync(ref_id, {k: values[k] for k in ids}, before=old[0] if old else {})
    updated = await SearchEntry.filter(kind=kind, ref_id=ref_id).update(**values)
    if not updated:
        await SearchEntry.create(kind=kind, ref_id=ref_id, **values)


def _suffix_bounds(digits: str) -> tuple[str, str]:
    # "last digits" = prefix of the reversed phone = a range scan on an ordinary b-tree index.
    rev = digits[::-1]
    return _prefix_bounds(rev)


def _prefix_bounds(value: str) -> tuple[str, str]:
    return value, value[:-1] + chr(ord(value[-1]) + 1)


# Name matching (#6): every typed word must START a word of the name ("yen" finds "Yến", not
# "Nguyễn"; "hoa" does not find "Hoàng"), each on a different word. The index query narrows the
# rows to (at most) CANDIDATES newest ones; _closeness then puts the nearest names first.
CANDIDATES = 30
_WORD = re.compile(r"\w+")


def name_words(value: str) -> list[str]:
    return _WORD.findall(fold(value))


def name_matches(name_key: str, words: list[str]) -> bool:
    name = name_key.split()
    used: set[int] = set()
    for word in sorted(words, key=len, reverse=True):
        spot = next(
            (i for i, part in enumerate(name) if i not in used and part.startswith(word)), None
        )
        if spot is None:
            return False
        used.add(spot)
    return True


def _closeness(name_key: str, words: list[str]) -> tuple[bool, bool, int, bool]:
    """Sort key, smaller is closer: the whole name typed; the end of the name typed ("Kim Vy" of
    "Lê Kim Vy"); more words typed in full; the given name (last word) typed in full."""
    name = name_key.split()
    return (
        name != words,
        name[-len(words) :] != words,
        -sum(1 for w in words if w in name),
        not (name and name[-1] in words),
    )


def _fts_stages(words: list[str]) -> list[list[str]]:
    """FTS5 trigram queries on the space-padded name, by stage: whole words, then word starts.
    In a stage the typed words as one phrase (" kim vy ") come first — the selective, common
    case — then the words anywhere (" vy " AND " kim "). One-letter words are too short for a
    trigram and are checked on the rows instead."""
    usable = [w for w in words if len(w) >= 2]
    if not usable:
        return []
    stages = []
    for tail in (" ", ""):
        stage = [f'" {" ".join(usable)}{tail}"']
        if len(usable) > 1:
            stage.append(" AND ".join(f'" {w}{tail}"' for w in usable))
        stages.append(stage)
    return stages


async def _sqlite_names(
    words: list[str], scope: dict[str, Any], limit: int
) -> list[tuple[str, int, str]]:
    conn = connections.get("default")
    where, params = _sqlite_scope(scope)
    sql = (
        "SELECT s.kind, s.ref_id, s.name_key FROM search_words f JOIN search_entry s ON s.id = f.rowid"
        f" WHERE search_words MATCH ? {where} ORDER BY f.rowid DESC LIMIT ?"
    )  # newest first: rowid order lets FTS5 stop after CANDIDATES rows instead of sorting them
    stages = _fts_stages(words)
    for stage in stages:
        rows: list[dict[str, Any]] = []
        for fts in stage:  # the phrase, then (when it found few) the words anywhere
            if len(rows) >= limit:
                break
            rows += await conn.execute_query_dict(sql, [fts, *params, CANDIDATES])
        if rows:
            return [(str(r["kind"]), int(r["ref_id"]), str(r["name_key"])) for r in rows]
    if stages:
        return []
    # Only one-letter words ("chị T"): a range on the start of the name.
    low, high = _prefix_bounds(words[0])
    rows = await conn.execute_query_dict(
        "SELECT s.kind, s.ref_id, s.name_key FROM search_entry s WHERE s.name_key >= ?"
        f" AND s.name_key < ? {where} ORDER BY s.id DESC LIMIT ?",
        [low, high, *params, CANDIDATES],
    )
    return [(str(r["kind"]), int(r["ref_id"]), str(r["name_key"])) for r in rows]


async def _orm_names(
    words: list[str], scope: dict[str, Any], limit: int
) -> list[tuple[str, int, str]]:
    # PostgreSQL: LIKE 'yen%' / LIKE '% yen%' use the pg_trgm GIN index (word-start trigrams).
    conds = [Q(name_key__startswith=w) | Q(name_key__contains=" " + w) for w in words]
    cond = reduce(operator.and_, conds)
    for whole in (True, False):
        qs = SearchEntry.filter(cond, **scope)
        if whole:  # whole words first: "Hoa" means Hoa, not every Hoàng
            for w in words:
                qs = qs.filter(
                    Q(name_key=w)
                    | Q(name_key__startswith=w + " ")
                    | Q(name_key__endswith=" " + w)
                    | Q(name_key__contains=f" {w} ")
                )
        rows = await qs.order_by("-id").limit(CANDIDATES).values_list("kind", "ref_id", "name_key")
        if rows:
            return [(str(k), int(i), str(n)) for k, i, n in rows]
    return []


async def _names(query: str, scope: dict[str, Any], sqlite: bool, limit: int) -> list[Found]:
    words = name_words(query)
    if not words:
        return []
    rows = await (_sqlite_names if sqlite else _orm_names)(words, scope, limit)
    hits = [r for r in dict.fromkeys(rows) if name_matches(r[2], words)]
    whole = [r for r in hits if all(w in r[2].split() for w in words)]
    # Typed words that are whole words of some names ("Hoa") mean those names, not the ones they
    # merely start ("Hoàng"); a part of a word ("Ng") still finds every name it starts.
    hits = whole or hits
    hits.sort(key=lambda r: _closeness(r[2], words))  # stable: newest first among equals
    return [Found(kind, ref_id) for kind, ref_id, _ in hits[:limit]]


def _sqlite_scope(scope: dict[str, Any]) -> tuple[str, list[Any]]:
    """The scope as SQL. The unary "+" keeps SQLite from using the (unselective) owner/team
    indexes instead of the selective phone or full-text one."""
    if not scope:
        return "", []
    ((key, value),) = scope.items()
    if key.endswith("__in"):
        marks = ",".join("?" for _ in value)
        return f"AND +s.{key.removesuffix('__in')} IN ({marks})", list(value)
    return f"AND +s.{key} = ?", [value]


async def _sqlite_ids(kind: str, value: str, scope: dict[str, Any], limit: int) -> list[Found]:
    conn = connections.get("default")
    where, params = _sqlite_scope(scope)
    if kind in ("phone_suffix", "phone_prefix"):
        column = "phone_rev" if kind == "phone_suffix" else "phone"
        bounds = _suffix_bounds(value) if kind == "phone_suffix" else _prefix_bounds(value)
        sql = (
            f"SELECT s.kind, s.ref_id FROM search_entry s WHERE s.{column} >= ? AND s.{column} < ?"
            f" {where} ORDER BY s.{column} LIMIT ?"
        )
        args: list[Any] = list(bounds)
    else:
        sql = f"SELECT s.kind, s.ref_id FROM search_entry s WHERE s.{kind} = ? {where} ORDER BY s.id DESC LIMIT ?"
        args = [value]
    rows = await conn.execute_query_dict(sql, [*args, *params, limit])
    return [Found(str(r["kind"]), int(r["ref_id"])) for r in rows]


async def _orm_ids(kind: str, value: str, scope: dict[str, Any], limit: int) -> list[Found]:
    if kind == "phone_suffix":
        low, high = _suffix_bounds(value)
        qs = SearchEntry.filter(phone_rev__gte=low, phone_rev__lt=high, **scope)
    elif kind == "phone_prefix":
        low, high = _prefix_bounds(value)
        qs = SearchEntry.filter(phone__gte=low, phone__lt=high, **scope)
    else:
        qs = SearchEntry.filter(**{kind: value}, **scope)
    rows = await qs.order_by("-id").limit(limit).values_list("kind", "ref_id")
    return [Found(str(k), int(i)) for k, i in rows]


async def search(actor: Actor | None, query: str, *, limit: int = 6) -> list[Found]:
    """Records matching `query` that `actor` may see (None = the whole company, for duplicates),
    closest first."""
    scope = scope_filter(actor) if actor is not None else {}
    sqlite = connections.get("default").capabilities.dialect == "sqlite"
    results: list[Found] = []
    for kind, value in classify(query):
        if not value:
            continue
        if kind == "name":
            results += await _names(value, scope, sqlite, limit)
            continue
        fetch = _sqlite_ids if sqlite else _orm_ids
        results += await fetch(kind, value, scope, limit)
    return list(dict.fromkeys(results))[:limit]


async def find_duplicates(
    *, phone: str | None, email: str | None, tax_code: str | None, citizen_id: str | None
) -> list[SearchEntry]:
    """Company-wide matches on any identifier (the caller decides what the actor may be told)."""
    found: list[SearchEntry] = []
    for field, value in (
        ("phone", phone),
        ("email", email.lower() if email else None),
        ("tax_code", tax_code),
        ("citizen_id", citizen_id),
    ):
        if value:
            found += await SearchEntry.filter(**{field: value}).limit(5)
    unique = {(e.kind, e.ref_id): e for e in found}
    return list(unique.values())
