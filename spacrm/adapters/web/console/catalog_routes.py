"""The catalogue (#11): services, goods, consumables and packages; add or change one (by code,
through core's importer: the same checks as a catalogue file), take one off sale. Admin only."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request, Response

from spacrm.adapters.cli.catalog_file import CatalogFileError, parse_parts
from spacrm.adapters.web.console.common import (
    done,
    failed,
    page_for,
    page_number,
    posted,
    render,
)
from spacrm.core.errors import DomainError
from spacrm.core.permissions import can_manage_users
from spacrm.core.services import catalog
from spacrm.intents.texts import t

router = APIRouter()
PATH = "/console/catalog"


def _vnd(text: str) -> int | None:
    """A price typed as "1.500.000", "1,500,000 đ" or "1500000": integer VND, None if not."""
    digits = text.strip().removesuffix("đ").removesuffix("₫").replace(".", "").replace(",", "")
    digits = digits.replace(" ", "")
    return int(digits) if digits.isdigit() and len(digits) <= 12 else None


@router.get(PATH)
async def catalog_page(
    request: Request, q: str = "", page: str = "1", ppage: str = "1"
) -> Response:
    screen = await page_for(request, can_manage_users)
    packages, parts = await catalog.page_packages(q, page_number(ppage))
    return render(
        request,
        "catalog.html",
        actor=screen.actor,
        csrf=screen.csrf,
        items=await catalog.page_items(q, page_number(page)),
        packages=packages,
        parts=parts,
        q=q.strip()[:100],
        kinds=[*catalog.KINDS],
    )


@router.post(PATH)
async def save(
    request: Request,
    kind: str = Form(""),
    code: str = Form(""),
    name: str = Form(""),
    price: str = Form(""),
    category: str = Form(""),
    unit: str = Form(""),
    duration_min: str = Form(""),
    validity_months: str = Form(""),
    parts: str = Form(""),
) -> Response:
    page = await posted(request, can_manage_users)
    amount = _vnd(price)
    minutes = duration_min.strip() or "0"
    months = validity_months.strip() or "12"
    if amount is None or not minutes.isdigit() or not months.isdigit():
        return done(request, PATH, t(page.lang, "console.catalog_numbers"), bad=True)
    try:
        row = catalog.CatalogRow(
            line=1, kind=kind, code=code.strip().upper()[:40], name=name.strip()[:200],
            price=amount, category=category.strip()[:80], unit=unit.strip()[:20],
            duration_min=int(minutes), validity_months=int(months), parts=parse_parts(parts, 1),
        )  # fmt: skip
        result = await catalog.save_row(page.actor, row)
    except CatalogFileError:
        return done(request, PATH, t(page.lang, "console.catalog_parts"), bad=True)
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    key = "console.catalog_added" if result.created else "console.catalog_updated"
    return done(request, PATH, t(page.lang, key, code=row.code))


@router.post(PATH + "/{kind}/{record_id:int}/active")
async def set_active(
    request: Request, kind: str, record_id: int, active: str = Form("")
) -> Response:
    page = await posted(request, can_manage_users)
    try:
        name = await catalog.set_active(
            page.actor, kind=kind, record_id=record_id, active=active == "1"
        )
    except DomainError as exc:
        return failed(request, page, PATH, exc)
    key = "console.on_sale" if active == "1" else "console.off_sale"
    return done(request, PATH, t(page.lang, key, name=name))
