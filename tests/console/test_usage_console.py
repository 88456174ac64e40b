"""CRM usage (#33) from the console: every post of a signed-in user is one usage row with what
its saves created or changed; a refused post is logged as an action that changed nothing."""

from __future__ import annotations

from spacrm.core.actors import Actor
from spacrm.core.models import CatalogItem, UsageChange, UsageEvent, User
from spacrm.core.services.leads import create_lead
from tests.conftest import new_phone
from tests.console.conftest import Console
from tests.console.test_board import _csrf, _move


async def test_console_moves_are_logged_with_their_changes(
    console: Console, personas: dict[str, Actor]
) -> None:
    staff = personas["st_q1a1"]
    lead = await create_lead(staff, name="Ngô Nhật Ký", phone=new_phone())
    async with console.client() as client:
        await console.sign_in(client, "st_q1a1")
        csrf = _csrf((await client.get("/console/leads")).text)
        last = await UsageEvent.filter(user_id=staff.user_id).order_by("-id").first()
        since = last.id if last else 0
        assert (await _move(client, lead, "caring", csrf)).status_code == 200
        await lead.refresh_from_db()
        assert (
            await _move(client, lead, "dead", csrf, version=lead.version - 1)
        ).status_code == 409
    rows = await UsageEvent.filter(user_id=staff.user_id, id__gt=since, source="console").order_by(
        "id"
    )
    moved, stale = [r for r in rows if r.action == "move_lead"]
    assert (moved.changed, moved.record_kind, moved.record_id) == (True, "lead", lead.id)
    changes = {c.kind: (c.created, c.changed) for c in await UsageChange.filter(event_id=moved.id)}
    assert changes == {"lead": (0, 1)}
    assert not stale.changed and not await UsageChange.filter(event_id=stale.id).exists()


async def test_any_console_post_is_logged_with_what_it_created(console: Console) -> None:
    """Not only the board: a catalogue item saved on its screen is one "catalog.save" row with
    one catalogue item created."""
    async with console.client() as client:
        await console.sign_in(client, "admin")
        csrf = _csrf((await client.get("/console/catalog")).text)
        r = await client.post("/console/catalog", data={
            "csrf": csrf, "kind": "goods", "code": "USAGE-LOG-1", "name": "Khăn nhật ký",
            "price": "50000", "unit": "cái",
        })  # fmt: skip
        assert r.status_code == 303
    item = await CatalogItem.get(code="USAGE-LOG-1")
    admin = await User.get(login="admin")
    row = await UsageEvent.filter(user_id=admin.id, action="catalog.save").order_by("-id").first()
    assert row is not None and row.source == "console" and row.changed
    assert (row.record_kind, row.record_id) == ("catalog_item", item.id)
    changes = {c.kind: (c.created, c.changed) for c in await UsageChange.filter(event_id=row.id)}
    assert changes["catalog_item"] == (1, 0)
    await item.delete()
