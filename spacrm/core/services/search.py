"""Customer lookup (#20, #22) over the company-wide search index.

One query shape per kind of input: a phone, the last digits of a phone, an email, a tax code, a
citizen ID, or a part of a name (diacritics optional). Names use an FTS5 trigram index on SQLite
and pg_trgm on PostgreSQL, so "any part of the name" stays an index lookup at 100k records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    phone and a tax code ("0314409058"), so both are tried."""
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
        out.append(("phone_suffix", digits))
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
        await customer_keys.sync(
            ref_id, phone=phone, email=values["email"], tax_code=tax_code, citizen_id=citizen_id
        )
    updated = await SearchEntry.filter(kind=kind, ref_id=ref_id).update(**values)
    if not updated:
        await SearchEntry.create(kind=kind, ref_id=ref_id, **values)


def _suffix_bounds(digits: str) -> tuple[str, str]:
    # "last digits" = prefix of the reversed phone = a range scan on an ordinary b-tree index.
    rev = digits[::-1]
    return rev, rev[:-1] + chr(ord(rev[-1]) + 1)


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
    if kind == "name" and len(value) >= 3:
        # Newest first; rowid order lets FTS5 stop after `limit` hits instead of sorting them all.
        sql = (
            "SELECT s.kind, s.ref_id FROM search_fts f JOIN search_entry s ON s.id = f.rowid "
            f"WHERE search_fts MATCH ? {where} ORDER BY f.rowid DESC LIMIT ?"
        )
        args: list[Any] = ['"' + value.replace('"', " ") + '"']
    elif kind == "name":  # shorter than a trigram: a whole word of the name
        sql = (
            "SELECT s.kind, s.ref_id FROM search_entry s WHERE (s.name_key = ? OR s.name_key LIKE ?"
            f" OR s.name_key LIKE ?) {where} ORDER BY s.id DESC LIMIT ?"
        )
        args = [value, "% " + value, value + " %"]
    elif kind == "phone_suffix":
        sql = (
            "SELECT s.kind, s.ref_id FROM search_entry s WHERE s.phone_rev >= ? AND s.phone_rev < ?"
            f" {where} ORDER BY s.phone_rev LIMIT ?"
        )
        args = list(_suffix_bounds(value))
    else:
        sql = f"SELECT s.kind, s.ref_id FROM search_entry s WHERE s.{kind} = ? {where} ORDER BY s.id DESC LIMIT ?"
        args = [value]
    rows = await conn.execute_query_dict(sql, [*args, *params, limit])
    return [Found(str(r["kind"]), int(r["ref_id"])) for r in rows]


async def _orm_ids(kind: str, value: str, scope: dict[str, Any], limit: int) -> list[Found]:
    if kind == "name":
        # PostgreSQL's LIKE '%x%' uses the pg_trgm GIN index.
        if len(value) >= 3:
            qs = SearchEntry.filter(name_key__contains=value, **scope)
        else:
            word = (
                Q(name_key=value)
                | Q(name_key__endswith=" " + value)
                | Q(name_key__startswith=value + " ")
            )
            qs = SearchEntry.filter(word, **scope)
    else:
        if kind == "phone_suffix":
            low, high = _suffix_bounds(value)
            qs = SearchEntry.filter(phone_rev__gte=low, phone_rev__lt=high, **scope)
        else:
            qs = SearchEntry.filter(**{kind: value}, **scope)
    rows = await qs.order_by("-id").limit(limit).values_list("kind", "ref_id")
    return [Found(str(k), int(i)) for k, i in rows]


async def search(actor: Actor | None, query: str, *, limit: int = 6) -> list[Found]:
    """Records matching `query` that `actor` may see (None = the whole company, for duplicates)."""
    scope = scope_filter(actor) if actor is not None else {}
    sqlite = connections.get("default").capabilities.dialect == "sqlite"
    results: list[Found] = []
    for kind, value in classify(query):
        if not value:
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
