"""Search in every list (#20) and export of the current search to xlsx (#21).

The criteria live in the URL (f=field, v=value, u=until, repeated; m=all|any), so a search can
be bookmarked, paged and exported exactly as shown. The lists and their scope are core's
(core/services/list_search.py): the console only renders them.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from spacrm.adapters.web.console.common import code_label, not_found, page_for, render
from spacrm.bot.errors import error_text
from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError
from spacrm.core.services.list_search import (
    SPECS,
    ListSpec,
    Search,
    cell,
    parse_search,
    search_list,
    searched,
)
from spacrm.intents.format import money
from spacrm.intents.texts import t
from spacrm.reports.xlsx import XlsxWriter

router = APIRouter()
PAGE = 50
ROWS = 4  # criterion rows on the form (more can be added by URL)
MAX_EXPORT = 100_000
MONEY = {"value", "amount", "total", "price"}
# Columns holding codes, shown (and exported) with the chat's labels (common.CODE_TEXTS).
CODES = {
    ("leads", "stage"): "lead.stage",
    ("customers", "stage"): "lead.stage",
    ("deals", "stage"): "deal.stage",
    ("orders", "status"): "order.status",
    ("cases", "status"): "case.status",
}


def _criteria(request: Request) -> tuple[list[tuple[str, str, str]], str]:
    q = request.query_params
    fields, values, untils = q.getlist("f"), q.getlist("v"), q.getlist("u")
    rows = [
        (f[:40], (values[i] if i < len(values) else "")[:200], (untils[i] if i < len(untils) else "")[:200])
        for i, f in enumerate(fields[:10])
    ]  # fmt: skip
    return rows, "any" if q.get("m") == "any" else "all"


def _query(rows: list[tuple[str, str, str]], mode: str, **extra: Any) -> str:
    pairs: list[tuple[str, Any]] = []
    for f, v, u in rows:
        if v or u:
            pairs += [("f", f), ("v", v), ("u", u)]
    pairs.append(("m", mode))
    pairs += [(k, v) for k, v in extra.items()]
    return urlencode(pairs)


def shown(lang: str, column: str, value: Any, kind: str = "leads") -> str:
    """One table cell of list `kind` as text."""
    if value is None or value == "":
        return ""
    if column in MONEY and isinstance(value, int):
        return money(value)
    if isinstance(value, datetime):
        return clock.local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if (kind, column) in CODES:
        return code_label(lang, CODES[kind, column], str(value))
    return str(value)


@router.get("/console/search")
async def search_home(request: Request) -> Response:
    return RedirectResponse("/console/list/leads", status_code=303)


@router.get("/console/list/{kind}")
async def list_page(request: Request, kind: str, page: int = 1) -> Response:
    screen = await page_for(request)
    actor, lang = screen.actor, screen.lang
    spec = SPECS.get(kind)
    if spec is None:
        raise not_found(request, screen)
    rows, mode = _criteria(request)
    page = max(1, min(page, 10_000))
    error, result = "", None
    try:
        result = await search_list(
            actor, kind, parse_search(rows, mode), offset=(page - 1) * PAGE, limit=PAGE
        )
    except DomainError as exc:
        error = error_text(exc, lang)
    form_rows = rows + [("", "", "")] * max(0, ROWS - len(rows))
    return render(
        request,
        "list.html",
        actor=actor,
        csrf=screen.csrf,
        kind=kind,
        kinds=list(SPECS),
        spec=spec,
        field_labels=[(name, t(lang, f"lf.{name}")) for name in spec.fields],
        columns=[(c, t(lang, f"lf.{c}")) for c in spec.columns],
        form_rows=form_rows,
        mode=mode,
        error=error,
        result=result,
        rows=[
            (r.pk, [shown(lang, c, cell(r, c), kind) for c in spec.columns])
            for r in (result.rows if result else [])
        ],
        page=page,
        pages=((result.total - 1) // PAGE + 1) if result and result.total else 1,
        query=_query(rows, mode),
        status_code=400 if error else 200,
    )


@router.get("/console/list/{kind}/export.xlsx")
async def export(request: Request, kind: str) -> Response:
    screen = await page_for(request)
    actor, lang = screen.actor, screen.lang
    spec = SPECS.get(kind)
    if spec is None:
        raise not_found(request, screen)
    rows, mode = _criteria(request)
    try:
        content = await export_xlsx(actor, spec, parse_search(rows, mode), lang)
    except DomainError as exc:
        return Response(
            error_text(exc, lang), status_code=400, media_type="text/plain; charset=utf-8"
        )
    name = f"{kind}-{clock.local_now():%Y%m%d-%H%M}.xlsx"
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


async def export_xlsx(actor: Actor, spec: ListSpec, search: Search, lang: str) -> bytes:
    """Every row of the search (up to MAX_EXPORT), a page at a time, into one sheet."""
    kinds = ["money" if c in MONEY else "text" for c in spec.columns]
    headers = [t(lang, f"lf.{c}") for c in spec.columns]
    writer = XlsxWriter(t(lang, f"list.{spec.kind}"), headers, kinds)
    qs = searched(actor, spec.kind, search)
    offset, size = 0, 2000
    while offset < MAX_EXPORT:
        records = await qs.offset(offset).limit(size)
        if not records:
            break
        rows = [
            [
                cell(r, c) if c in MONEY else shown(lang, c, cell(r, c), spec.kind) or None
                for c in spec.columns
            ]
            for r in records
        ]
        await asyncio.to_thread(writer.append, rows)
        offset += size
    return await asyncio.to_thread(writer.finish)
