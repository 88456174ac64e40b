"""The LeadCard kanban over HTTP: only the user's scope, moves through core.move_lead (booked
converts), forged moves of invisible leads are 404, stale cards 409, CSRF refused."""

from __future__ import annotations

import re

import httpx

from spacrm.core.actors import Actor
from spacrm.core.models import Contact, Lead
from spacrm.core.permissions import scoped
from spacrm.core.services.leads import create_lead
from tests.conftest import new_phone
from tests.console.conftest import Console


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _card_ids(html: str) -> set[int]:
    return {int(x) for x in re.findall(r'id="lead-(\d+)"', html)}


async def _move(
    client: httpx.AsyncClient, lead: Lead, stage: str, csrf: str, version: int | None = None
) -> httpx.Response:
    return await client.post(
        f"/console/leads/{lead.id}/move",
        data={"stage": stage, "version": str(version or lead.version), "csrf": csrf},
        headers={"X-Requested-With": "fetch"},
    )


async def test_board_shows_only_the_team_and_counts_per_column(
    console: Console, personas: dict[str, Actor]
) -> None:
    mine = await create_lead(
        personas["st_q1a1"], name="Trần Kanban Một", phone=new_phone(), value=2_500_000
    )
    other_team = await create_lead(personas["st_q1b1"], name="Lê Đội Khác", phone=new_phone())
    async with console.client() as client:
        await console.sign_in(client, "tl_q1a")
        r = await client.get("/console/leads?sort=value")
        assert r.status_code == 200
        shown = _card_ids(r.text)
        assert mine.id in shown and other_team.id not in shown
        visible = await scoped(Lead, personas["tl_q1a"]).all()
        assert shown <= {lead.id for lead in visible}
        assert {lead.team_id for lead in visible} == {personas["tl_q1a"].team_id}
        # Counts and value per column are the team's totals.
        potential = [x for x in visible if x.stage == "potential"]
        column = r.text.split('id="col-potential"')[1].split("</section>")[0]
        assert f'<span class="count">{len(potential)}</span>' in column
        assert f'data-value="{sum(x.value for x in potential)}"' in column
        for stage in (
            "Tiềm năng",
            "Đang chăm sóc",
            "Đã đặt lịch",
            "Đang sử dụng DV",
            "Ngừng chăm sóc",
        ):
            assert stage in r.text


async def test_staff_moves_own_card_and_booking_converts(
    console: Console, personas: dict[str, Actor]
) -> None:
    lead = await create_lead(personas["st_q1a1"], name="Ngô Kéo Thả", phone=new_phone())
    async with console.client() as client:
        await console.sign_in(client, "st_q1a1")
        csrf = _csrf((await client.get("/console/leads")).text)
        r = await _move(client, lead, "caring", csrf)
        assert r.status_code == 200 and r.json()["ok"] and r.json()["stage"] == "caring"
        await lead.refresh_from_db()
        assert lead.stage == "caring" and lead.contact_id is None
        r = await _move(client, lead, "booked", csrf)
        assert r.status_code == 200, r.text
        await lead.refresh_from_db()
        assert lead.stage == "booked" and lead.contact_id is not None
        contact = await Contact.get(id=lead.contact_id)
        assert contact.name == "Ngô Kéo Thả" and contact.owner_id == personas["st_q1a1"].user_id
        # A card dragged from a page that is out of date: refused, nothing changes.
        r = await _move(client, lead, "dead", csrf, version=lead.version - 1)
        assert r.status_code == 409 and "người khác" in r.json()["message"]
        await lead.refresh_from_db()
        assert lead.stage == "booked"
        # Not a stage; a mangled version is ignored rather than a 422 page.
        r = await _move(client, lead, "vip", csrf)
        assert r.status_code == 400 and "Giai đoạn" in r.json()["message"]
        r = await client.post(
            f"/console/leads/{lead.id}/move",
            data={"stage": "booked", "version": "abc", "csrf": csrf},
            headers={"X-Requested-With": "fetch"},
        )
        assert r.status_code == 400 and r.json()["message"] == "Khách đang ở giai đoạn này rồi."
        # Without JavaScript: the card's form posts and the board comes back with a message.
        r = await client.post(
            f"/console/leads/{lead.id}/move",
            data={"stage": "in_service", "version": str(lead.version), "csrf": csrf},
        )
        assert r.status_code == 303
        await lead.refresh_from_db()
        assert lead.stage == "in_service"


async def test_forged_move_of_an_invisible_lead_is_not_found(
    console: Console, personas: dict[str, Actor]
) -> None:
    colleague = await create_lead(
        personas["st_q1a2"], name="Đinh Của Đồng Nghiệp", phone=new_phone()
    )
    far = await create_lead(personas["st_hda1"], name="Hồ Hà Đông", phone=new_phone())
    async with console.client() as client:
        await console.sign_in(client, "st_q1a1")
        board = (await client.get("/console/leads")).text
        assert colleague.id not in _card_ids(board) and far.id not in _card_ids(board)
        csrf = _csrf(board)
        for lead in (colleague, far):
            r = await _move(client, lead, "caring", csrf)
            assert r.status_code == 404
            await lead.refresh_from_db()
            assert lead.stage == "potential"
        r = await client.post(
            f"/console/leads/{far.id}/move", data={"stage": "caring", "csrf": csrf}
        )
        assert r.status_code == 404


async def test_move_without_a_valid_csrf_token_changes_nothing(
    console: Console, personas: dict[str, Actor]
) -> None:
    lead = await create_lead(personas["st_q1a1"], name="Tạ Giả Mạo", phone=new_phone())
    async with console.client() as client, console.client() as other:
        await console.sign_in(client, "st_q1a1")
        await console.sign_in(other, "st_q1a1")
        other_csrf = _csrf((await other.get("/console/leads")).text)
        for csrf in ("", "forged", other_csrf):
            r = await _move(client, lead, "caring", csrf)
            assert r.status_code == 403
        await lead.refresh_from_db()
        assert lead.stage == "potential"
    async with console.client() as anonymous:
        r = await _move(anonymous, lead, "caring", "x")
        assert r.status_code == 401


async def _column_leads(owner: Actor, tag: str, n: int, *, same_created: bool) -> list[Lead]:
    """`n` leads of `owner` at "caring" with source `tag`: values and (optionally) created
    times repeat, so the keyset must order ties by id."""
    from datetime import timedelta

    from spacrm.core import clock
    from spacrm.core.models import User

    user = await User.get(id=owner.user_id)
    at = clock.now() - timedelta(days=3)
    rows = [
        Lead(
            name=f"Thẻ {tag} {i}", name_key=f"the {tag} {i}", stage="caring", source=tag,
            value=(i % 3) * 1_000_000, owner_id=user.id, team_id=user.team_id,
            branch_id=user.branch_id, region_id=user.region_id,
        )
        for i in range(n)
    ]  # fmt: skip
    await Lead.bulk_create(rows)
    made = list(await Lead.filter(source=tag).order_by("id"))
    for i, lead in enumerate(made):
        lead.created_at = at if same_created and i % 2 else at - timedelta(minutes=i)
        await Lead.filter(id=lead.id).update(created_at=lead.created_at)
    return made


async def test_more_pages_through_a_column_in_order_without_gaps(
    db: str, personas: dict[str, Actor]
) -> None:
    from spacrm.core.services.lead_board import column_page, lead_board
    from spacrm.core.services.list_search import Criterion, Search

    staff, lead_ = personas["st_q1a1"], personas["tl_q1a"]
    tag = f"kbpage{new_phone()}"
    made = await _column_leads(staff, tag, 11, same_created=True)
    try:
        search = Search((Criterion("source", tag), Criterion("owner_id", str(staff.user_id))))
        for sort, order in (("created", ("-created_at", "-id")), ("value", ("-value", "-id"))):
            expected = [x.id for x in await Lead.filter(source=tag).order_by(*order)]
            columns = await lead_board(lead_, sort=sort, per_column=4, search=search)
            caring = next(c for c in columns if c.stage == "caring")
            assert caring.count == 11 and caring.value == sum(x.value for x in made)
            assert all(c.count == 0 for c in columns if c.stage != "caring")
            seen, after = [x.id for x in caring.leads], caring.next
            while after:
                page = await column_page(
                    lead_, "caring", sort=sort, after=after, search=search, limit=4
                )
                seen += [x.id for x in page.leads]
                after = page.next
            assert seen == expected, sort
        # Another team's lead never appears, whatever the position says.
        other = await column_page(
            personas["tl_q1b"], "caring", after=caring.next or "9" * 18 + "_1", search=search
        )
        assert other.leads == []
    finally:
        await Lead.filter(source=tag).delete()


async def test_more_link_over_http_appends_the_next_cards(
    console: Console, personas: dict[str, Actor]
) -> None:
    staff = personas["st_q1a1"]
    tag = f"kbhttp{new_phone()}"
    made = await _column_leads(staff, tag, 57, same_created=False)
    try:
        async with console.client() as client:
            await console.sign_in(client, "st_q1a1")
            r = await client.get(f"/console/leads?source={tag}")
            assert r.status_code == 200
            first = _card_ids(r.text)
            assert len(first) == 50 and first <= {x.id for x in made}
            found = re.search(r'<a class="more" href="([^"]+)">([^<]+)</a>', r.text)
            assert found is not None and "7" in found.group(2)
            href = found.group(1).replace("&amp;", "&")
            assert f"source={tag}" in href
            r = await client.get(href, headers={"X-Requested-With": "fetch"})
            assert r.status_code == 200 and "<html" not in r.text
            rest = _card_ids(r.text)
            assert first | rest == {x.id for x in made} and not first & rest
            assert 'class="more"' not in r.text  # nothing after the last page
            # Without JavaScript the same link is a page of its own; forged positions are 404.
            r = await client.get(href)
            assert r.status_code == 200 and "<html" in r.text and _card_ids(r.text) == rest
            for bad in (
                "/console/leads/column/vip?after=1_1",
                "/console/leads/column/caring?after=x_1",
            ):
                r = await client.get(bad)
                assert r.status_code == 404
    finally:
        await Lead.filter(source=tag).delete()


async def test_card_shows_statuses_with_the_chat_labels(
    console: Console, personas: dict[str, Actor]
) -> None:
    from datetime import date

    from spacrm.core.models import Complaint, Opportunity, Order
    from spacrm.core.permissions import Ownership

    staff = personas["st_q1a1"]
    lead = await create_lead(staff, name="Mai Nhãn Trạng Thái", phone=new_phone())
    owned = Ownership.of(lead).columns()
    tag = new_phone()
    order = await Order.create(
        number=f"HDT-{tag}", code=f"HDT{tag}", order_date=date(2026, 3, 8), lead_id=lead.id,
        customer_name=lead.name, status="partly_paid", total=900_000,
        created_by_id=staff.user_id, **owned,
    )  # fmt: skip
    case = await Complaint.create(
        title="Khăn chưa sạch", status="in_progress", lead_id=lead.id, **owned
    )
    deal = await Opportunity.create(name="Gói 10 buổi", stage="proposal", lead_id=lead.id, **owned)
    try:
        async with console.client() as client:
            await console.sign_in(client, "st_q1a1")
            r = await client.get(f"/console/leads/{lead.id}")
            assert r.status_code == 200
            page = r.text
            for shown in ("Đã thu một phần", "Đang xử lý", "Đề xuất", "Tiềm năng"):
                assert shown in page, shown
            for raw in ("partly_paid", "in_progress", "proposal"):
                assert raw not in page, raw
    finally:
        await order.delete()
        await case.delete()
        await deal.delete()
