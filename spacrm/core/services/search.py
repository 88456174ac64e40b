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
from spacrm.core.permissions import scope_filter
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
    owner: dict[str, Any],
) -> None:
    values = {
        "name_key": fold(name),
        "phone": phone,
        "phone_rev": phone[::-1] if phone else None,
        "email": email.lower() if email else None,
        "tax_code": tax_code,
        "citizen_id": citizen_id,
        **{k: owner[k] for k in ("owner_id", "team_id", "branch_id", "region_id")},
    }
    updated = await SearchEntry.filter(kind=kind, ref_id=ref_id).update(**values)
    if not updated:
        await SearchEntry.create(kind=kind, ref_id=ref_id, **values)


def _suffix_range(digits: str) -> dict[str, str]:
    # "last digits" = prefix of the reversed phone = a range scan on an ordinary b-tree index.
    rev = digits[::-1]
    return {"phone_rev__gte": rev, "phone_rev__lt": rev[:-1] + chr(ord(rev[-1]) + 1)}


async def _name_ids(key: str, scope: dict[str, Any], limit: int) -> list[Found]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite" and len(key) >= 3:
        where, params = _sqlite_scope(scope)
        phrase = '"' + key.replace('"', " ") + '"'
        rows = await conn.execute_query_dict(
            "SELECT s.kind, s.ref_id FROM search_fts f JOIN search_entry s ON s.id = f.rowid "
            f"WHERE search_fts MATCH ? {where} ORDER BY length(s.name_key), s.id LIMIT ?",
            [phrase, *params, limit],
        )
        return [Found(str(r["kind"]), int(r["ref_id"])) for r in rows]
    # Short keys (under a trigram) match a whole word; PostgreSQL's LIKE uses the pg_trgm index.
    if len(key) >= 3:
        qs = SearchEntry.filter(name_key__contains=key, **scope)
    else:
        word = Q(name_key=key) | Q(name_key__endswith=" " + key) | Q(name_key__startswith=key + " ")
        qs = SearchEntry.filter(word, **scope)
    rows2 = await qs.order_by("id").limit(limit).values_list("kind", "ref_id")
    return [Found(str(k), int(i)) for k, i in rows2]


def _sqlite_scope(scope: dict[str, Any]) -> tuple[str, list[Any]]:
    if not scope:
        return "", []
    ((key, value),) = scope.items()
    if key.endswith("__in"):
        marks = ",".join("?" for _ in value)
        return f"AND s.{key.removesuffix('__in')} IN ({marks})", list(value)
    return f"AND s.{key} = ?", [value]


async def search(actor: Actor | None, query: str, *, limit: int = 6) -> list[Found]:
    """Records matching `query` that `actor` may see (None = the whole company, for duplicates)."""
    scope = scope_filter(actor) if actor is not None else {}
    results: list[Found] = []
    for kind, value in classify(query):
        if kind == "name":
            results += await _name_ids(value, scope, limit) if value else []
            continue
        filters: dict[str, Any] = _suffix_range(value) if kind == "phone_suffix" else {kind: value}
        rows = await SearchEntry.filter(**filters, **scope).order_by("id").limit(limit).values_list(
            "kind", "ref_id"
        )
        results += [Found(str(k), int(i)) for k, i in rows]
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
