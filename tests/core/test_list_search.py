"""List search (#20): AND / OR, % wildcards, date and number ranges, diacritics optional, and
always inside the actor's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError
from spacrm.core.models import Lead
from spacrm.core.services.leads import create_lead
from spacrm.core.services.list_search import Criterion, Search, search_list
from tests.conftest import new_phone


async def _names(actor: Actor, kind: str, *criteria: Criterion, any: bool = False) -> set[str]:
    page = await search_list(actor, kind, Search(tuple(criteria), any=any), limit=200)
    return {r.name for r in page.rows}


@pytest.fixture
async def three(personas: dict[str, Actor]) -> list[Lead]:
    actor = personas["st_q1a1"]
    made = [
        await create_lead(actor, name="Trần Thị Xuyến", phone=new_phone(), company="Công ty Hoa Sen Đỏ", source="facebook", value=5_000_000),
        await create_lead(actor, name="Lý Văn Xuyên", phone=new_phone(), company="Spa Bình Minh", address="12 Lê Lợi, Quận 1", source="zalo", value=800_000),
        await create_lead(actor, name="Đỗ Quỳnh Xuân", phone=new_phone(), company="Hoa Sen Xanh", source="zalo"),
    ]  # fmt: skip
    yield made
    await Lead.filter(id__in=[m.id for m in made]).delete()


async def test_and_or_wildcards_and_diacritics(
    personas: dict[str, Actor], three: list[Lead]
) -> None:
    actor = personas["st_q1a1"]
    # Diacritics optional, both ways.
    assert await _names(actor, "leads", Criterion("company", "hoa sen")) == {
        "Trần Thị Xuyến", "Đỗ Quỳnh Xuân"}  # fmt: skip
    assert await _names(actor, "leads", Criterion("company", "HÒA SẼN ĐỎ")) == {"Trần Thị Xuyến"}
    # AND narrows, OR widens.
    both = (Criterion("company", "hoa sen"), Criterion("source", "zalo"))
    assert await _names(actor, "leads", *both) == {"Đỗ Quỳnh Xuân"}
    either = await search_list(actor, "leads", Search(both, any=True), limit=200)
    assert {"Trần Thị Xuyến", "Đỗ Quỳnh Xuân", "Lý Văn Xuyên"} <= {r.name for r in either.rows}
    assert all(
        r.source == "zalo"
        or "hoa sen" in (r.company or "").lower().replace("ồ", "o")
        or r.name == "Trần Thị Xuyến"
        for r in either.rows
    )
    assert either.total == len(either.rows)
    # % is a wildcard: "xuy%" = the name starts with xuy… (names are matched on the folded name)
    assert await _names(actor, "leads", Criterion("name", "% xuy%")) == {
        "Trần Thị Xuyến", "Lý Văn Xuyên"}  # fmt: skip
    assert await _names(actor, "leads", Criterion("company", "spa%")) == {"Lý Văn Xuyên"}
    assert await _names(actor, "leads", Criterion("company", "%minh")) == {"Lý Văn Xuyên"}
    # A literal "_" is not a wildcard.
    assert await _names(actor, "leads", Criterion("company", "hoa_sen")) == set()


async def test_ranges(personas: dict[str, Actor], three: list[Lead]) -> None:
    actor = personas["st_q1a1"]
    old = three[0]
    await Lead.filter(id=old.id).update(created_at=clock.now() - timedelta(days=400))
    today = clock.today()
    recent = Criterion(
        "created_at", (today - timedelta(days=1)).strftime("%d/%m/%Y"), today.isoformat()
    )
    mine = Criterion("name", "xu")
    assert await _names(actor, "leads", recent, mine) == {"Lý Văn Xuyên", "Đỗ Quỳnh Xuân"}
    assert await _names(actor, "leads", Criterion("value", "1tr", "10.000.000"), mine) == {
        "Trần Thị Xuyến"}  # fmt: skip
    assert await _names(actor, "leads", Criterion("value", "", "900k"), mine) == {
        "Lý Văn Xuyên", "Đỗ Quỳnh Xuân"}  # fmt: skip


async def test_scope_and_bad_input(personas: dict[str, Actor], three: list[Lead]) -> None:
    other = personas["st_q1b1"]  # another team: sees none of them
    assert await _names(other, "leads", Criterion("company", "hoa sen")) == set()
    boss = personas["bd_q1"]  # the branch director sees them
    assert "Đỗ Quỳnh Xuân" in await _names(boss, "leads", Criterion("company", "hoa sen"))
    for bad in (
        Criterion("created_at", "31/02/2026"),
        Criterion("nope", "x"),
        Criterion("stage", "won"),
    ):
        with pytest.raises(DomainError):
            await search_list(personas["st_q1a1"], "leads", Search((bad,)))
    with pytest.raises(DomainError):
        await search_list(personas["st_q1a1"], "secrets", Search())


async def test_every_list_answers(personas: dict[str, Actor]) -> None:
    from spacrm.core.services.list_search import SPECS

    boss = personas["bd_q1"]
    for kind, spec in SPECS.items():
        crits = [
            Criterion(name, "a")
            for name, f in spec.fields.items()
            if f.kind in ("text", "key", "digits")
        ]
        page = await search_list(boss, kind, Search(tuple(crits[:10]), any=True))
        assert page.total >= len(page.rows)
