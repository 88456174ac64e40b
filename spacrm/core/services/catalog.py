"""The catalogue (#6, #38): find items for an order, list and search, import a file's rows.

Matching is diacritics-insensitive word matching on the folded name: every word staff typed
must start a word of the name ("triet nach" finds "Triệt lông nách"). The catalogue of a spa is
a few hundred rows, read whole per lookup (an indexed scan of one small table).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import CatalogItem, Package, PackageItem, ServiceConsumable
from spacrm.core.models.catalog import ITEM_KINDS
from spacrm.core.permissions import can_manage_users
from spacrm.core.services.paging import Paged, clean_query, contains, page_of
from spacrm.core.textnorm import fold, fold_words, nfc

# Words that name the kind of thing, not the thing ("gói", "hộp", "liệu trình", "dịch vụ").
_FILLER = frozenset(
    "goi hop chai tuyp lo cai bo lieu trinh dich vu dv san pham sp buoi cho mua ban va".split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A catalogue item or a package that fits what staff typed."""

    kind: str  # service goods consumable package
    ref_id: int
    code: str
    name: str
    price: int
    sessions: int = 0  # for a package: the sessions of its service items

    @property
    def token(self) -> str:
        """A short button payload part: "i12" (item) or "p3" (package)."""
        return f"{'p' if self.kind == 'package' else 'i'}{self.ref_id}"


def _words(text: str) -> list[str]:
    return [w for w in fold_words(text).replace("-", " ").split() if w not in _FILLER]


def _fits(query: list[str], name_key: str) -> bool:
    words = name_key.replace("-", " ").split()
    return all(any(w.startswith(q) for w in words) for q in query)


# The same word matching for other lookups (bookings, stock): staff name a thing the way they
# say it ("triệt nách"), not as the menu spells it ("Triệt lông nách").
query_words = _words
words_fit = _fits


# What every sale looks items up in, kept in memory: a spa's menu changes a few times a month and
# a chat turn must stay fast. Another process's import is seen within CACHE_SECONDS; this
# process's own import is seen at once.
CACHE_SECONDS = 30.0
_cache: tuple[float, list[Candidate], list[tuple[str, Candidate]]] | None = None


def forget_catalog() -> None:
    global _cache
    _cache = None


async def _sellable() -> tuple[list[Candidate], list[tuple[str, Candidate]]]:
    """(every active package, service and goods as candidates; the same with their name keys)."""
    global _cache
    if _cache is not None and time.monotonic() - _cache[0] < CACHE_SECONDS:
        return _cache[1], _cache[2]
    items = await CatalogItem.filter(active=True, kind__in=["service", "goods"])
    services = {i.id for i in items if i.kind == "service"}
    sessions: dict[int, int] = {}
    for pi in await PackageItem.all():
        if pi.item_id in services:
            sessions[pi.package_id] = sessions.get(pi.package_id, 0) + pi.sessions
    keyed = [
        (p.name_key, Candidate("package", p.id, p.code, p.name, p.price, sessions.get(p.id, 0)))
        for p in await Package.filter(active=True)
    ]
    keyed += [(i.name_key, Candidate(i.kind, i.id, i.code, i.name, i.price)) for i in items]
    _cache = (time.monotonic(), [c for _, c in keyed], keyed)
    return _cache[1], _cache[2]


async def find_items(text: str, *, sessions: int | None = None) -> list[Candidate]:
    """The items and packages that fit `text`, best first; one when it is clear which."""
    raw = fold(text).strip()
    query = _words(text)
    if not raw:
        return []
    everything, keyed = await _sellable()
    code = raw.upper()
    by_code = [c for c in everything if c.code == code]
    if by_code:
        return by_code
    if not query:
        return []
    found = [c for key, c in keyed if _fits(query, key)]
    exact = [c for c in found if fold_words(c.name) == " ".join(query)]
    if len(exact) == 1 and not sessions:
        return exact
    if sessions:
        # "massage body 10 buổi": the 10-session package when there is one, else the service.
        same = [c for c in found if c.kind == "package" and c.sessions == sessions]
        if len(same) == 1:
            return same
        services = [c for c in found if c.kind == "service"]
        if len(services) == 1 and not same:
            return services
    return sorted(found, key=lambda c: (len(c.name), c.name))


async def candidate(token: str) -> Candidate:
    """The candidate a button names ("i12" / "p3")."""
    kind, ref = token[:1], int(token[1:])
    if kind == "p":
        p = await Package.get_or_none(id=ref, active=True)
        if p is None:
            raise DomainError(ErrorCode.ITEM_NOT_FOUND, item=token)
        return Candidate("package", p.id, p.code, p.name, p.price)
    i = await CatalogItem.get_or_none(id=ref, active=True)
    if i is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, item=token)
    return Candidate(i.kind, i.id, i.code, i.name, i.price)


async def search_catalog(
    *,
    text: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    limit: int = 200,
) -> list[CatalogItem]:
    """Search by code, name (diacritics optional), category and price range."""
    qs = CatalogItem.filter(active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category__icontains=nfc(category))
    if price_min is not None:
        qs = qs.filter(price__gte=price_min)
    if price_max is not None:
        qs = qs.filter(price__lte=price_max)
    rows = await qs.order_by("kind", "code")
    if text:
        query = _words(text)
        code = text.strip().upper()
        rows = [r for r in rows if r.code == code or (query and _fits(query, r.name_key))]
    return rows[:limit]


async def list_packages(text: str | None = None) -> list[tuple[Package, list[PackageItem]]]:
    packages = await Package.filter(active=True).order_by("code")
    if text:
        query, code = _words(text), text.strip().upper()
        packages = [p for p in packages if p.code == code or (query and _fits(query, p.name_key))]
    items = await PackageItem.filter(package_id__in=[p.id for p in packages])
    return [(p, [i for i in items if i.package_id == p.id]) for p in packages]


@dataclass(slots=True)
class CatalogRow:
    """One row of an import file (our layout, see `spacrm catalog import --help`)."""

    line: int
    kind: str
    code: str
    name: str
    price: int
    category: str = ""
    unit: str = ""
    duration_min: int = 0
    cost: int = 0
    commission_pct: int = 0
    origin: str = ""
    description: str = ""
    validity_months: int = 12
    # package: [(item code, quantity, sessions)]; service: [(consumable code, qty per session)]
    parts: list[tuple[str, float, int]] = field(default_factory=list)
    sales_commission_pct: int = 0  # the seller's share of the sale, as it is paid (#12)


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int


def _check_rows(rows: list[CatalogRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.kind not in (*ITEM_KINDS, "package"):
            raise DomainError(ErrorCode.IMPORT_FAILED, reason=f"dòng {row.line}: loại “{row.kind}”")
        if not row.code or not row.name:
            raise DomainError(ErrorCode.IMPORT_FAILED, reason=f"dòng {row.line}: thiếu mã hoặc tên")
        if (
            row.price < 0
            or row.cost < 0
            or not 0 <= row.commission_pct <= 100
            or not 0 <= row.sales_commission_pct <= 100
        ):
            raise DomainError(ErrorCode.IMPORT_FAILED, reason=f"dòng {row.line}: giá/hoa hồng")
        if row.code in seen:
            raise DomainError(
                ErrorCode.IMPORT_FAILED,
                reason=f"mã {row.code} trùng ở dòng {seen[row.code]} và {row.line}",
            )
        seen[row.code] = row.line


async def import_catalog(rows: list[CatalogRow]) -> ImportResult:
    """Create or update every row (matched by code) in one transaction: all or nothing."""
    _check_rows(rows)
    forget_catalog()
    created = updated = 0
    async with in_transaction():
        ids: dict[str, int] = {c: i for c, i in await CatalogItem.all().values_list("code", "id")}
        for row in (r for r in rows if r.kind != "package"):
            values = {
                "name": nfc(row.name), "name_key": fold(row.name), "kind": row.kind,
                "category": nfc(row.category) or None, "unit": row.unit, "origin": row.origin or None,
                "duration_min": row.duration_min, "price": row.price, "cost": row.cost,
                "commission_pct": row.commission_pct, "description": row.description or None,
                "active": True, "sales_commission_pct": row.sales_commission_pct,
            }  # fmt: skip
            item, made = await CatalogItem.update_or_create(defaults=values, code=row.code)
            ids[row.code] = item.id
            created, updated = created + made, updated + (not made)
        for row in (r for r in rows if r.kind == "service" and r.parts):
            await ServiceConsumable.filter(service_id=ids[row.code]).delete()
            for code, qty, _ in row.parts:
                if code not in ids:
                    raise DomainError(ErrorCode.IMPORT_FAILED, reason=f"dòng {row.line}: {code}")
                await ServiceConsumable.create(
                    service_id=ids[row.code], consumable_id=ids[code], quantity=qty
                )
        for row in (r for r in rows if r.kind == "package"):
            created, updated = await _import_package(row, ids, created, updated)
    forget_catalog()
    return ImportResult(created, updated)


async def _import_package(
    row: CatalogRow, ids: dict[str, int], created: int, updated: int
) -> tuple[int, int]:
    if not row.parts:
        raise DomainError(
            ErrorCode.IMPORT_FAILED, reason=f"dòng {row.line}: gói chưa có thành phần"
        )
    items = {i.code: i for i in await CatalogItem.filter(code__in=[c for c, _, _ in row.parts])}
    missing = [c for c, _, _ in row.parts if c not in items]
    if missing:
        raise DomainError(ErrorCode.IMPORT_FAILED, reason=f"dòng {row.line}: {missing[0]}")
    package, made = await Package.update_or_create(
        defaults={"name": nfc(row.name), "name_key": fold(row.name), "price": row.price,
                  "validity_months": row.validity_months, "description": row.description or None,
                  "active": True},
        code=row.code,
    )  # fmt: skip
    await PackageItem.filter(package_id=package.id).delete()
    # Each part carries a share of the package price in proportion to its list value.
    values = [
        items[c].price * (s if items[c].kind == "service" and s else max(1, int(q)))
        for c, q, s in row.parts
    ]
    total_value = sum(values) or 1
    given = 0
    for n, ((code, qty, sessions), value) in enumerate(zip(row.parts, values, strict=True)):
        share = row.price - given if n == len(row.parts) - 1 else row.price * value // total_value
        given += share
        await PackageItem.create(
            package_id=package.id, item_id=items[code].id, quantity=max(1, int(qty)),
            sessions=sessions if items[code].kind == "service" else 0, amount=share,
        )  # fmt: skip
    return created + made, updated + (not made)


# -- the console's catalogue screen (#11) ----------------------------------------------------------

KINDS = (*ITEM_KINDS, "package")


def _may_edit(actor: Actor | None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise DomainError(ErrorCode.FORBIDDEN)


async def save_row(actor: Actor | None, row: CatalogRow) -> ImportResult:
    """One item or package from a form: the importer's checks and all-or-nothing write."""
    _may_edit(actor)
    return await import_catalog([row])


async def set_active(actor: Actor | None, *, kind: str, record_id: int, active: bool) -> str:
    """Take an item or a package off sale (kept for old orders), or back; returns its name."""
    _may_edit(actor)
    model: type[CatalogItem] | type[Package] = Package if kind == "package" else CatalogItem
    record = await model.get_or_none(id=record_id)
    if record is None:
        raise DomainError(ErrorCode.NOT_FOUND)
    record.active = active
    await record.save(update_fields=["active"])
    forget_catalog()
    return record.name


async def all_items(limit: int = 500) -> list[CatalogItem]:
    """Items on and off sale, for the console (the chat sees only those on sale)."""
    return await CatalogItem.all().order_by("kind", "code").limit(limit)


def _matching(text: str) -> Q:
    """Code, name (diacritics optional) or category containing what was typed."""
    words = clean_query(text)
    if not words:
        return Q()
    return contains("code", words) | Q(name_key__contains=fold(words))


async def page_items(text: str = "", page: int = 1) -> Paged[CatalogItem]:
    """Items on and off sale, a page at a time (a large catalogue is never read whole)."""
    words = clean_query(text)
    query = CatalogItem.filter(_matching(words) | (contains("category", words) if words else Q()))
    return await page_of(query.order_by("kind", "code"), page, count=not words)


async def page_packages(
    text: str = "", page: int = 1
) -> tuple[Paged[Package], dict[int, list[PackageItem]]]:
    """Packages on sale, a page at a time, with the parts of the packages shown."""
    searched = bool(clean_query(text))
    paged = await page_of(
        Package.filter(_matching(text), active=True).order_by("code"), page, count=not searched
    )
    parts: dict[int, list[PackageItem]] = {p.id: [] for p in paged.rows}
    for item in await PackageItem.filter(package_id__in=list(parts)):
        parts[item.package_id].append(item)
    return paged, parts
