"""core/changes.py: the records one turn created and changed, noted by the ORM's signals for any
service (the usage log's counts, #33)."""

from __future__ import annotations

from spacrm.core import changes
from spacrm.core.actors import Actor
from spacrm.core.models import CustomerKey, Lead, SearchEntry
from spacrm.core.services.leads import create_lead
from tests.conftest import new_phone


async def test_a_turn_notes_what_it_created_and_changed(personas: dict[str, Actor]) -> None:
    staff = personas["st_q1a1"]
    old = await create_lead(staff, name="Nhật Ký Cũ", phone=new_phone())  # outside: not noted
    with changes.tracking() as noted:
        made = await create_lead(staff, name="Nhật Ký Mới", phone=new_phone())
        made.needs = "trị mụn"
        await made.save()  # made, then completed, in one turn: one creation
        old.needs = "massage"
        await old.save()
        await old.save()  # twice: one record changed
    assert noted.counts() == {"lead": (1, 1)}  # the search index rows are machinery: not counted
    assert noted.first == ("lead", made.id)
    assert await SearchEntry.filter(kind="lead", ref_id=made.id).exists()  # it was written
    with changes.tracking() as gone:
        await Lead.filter(id=made.id).update(needs="x")  # a queryset update sends no signal
        await SearchEntry.filter(kind="lead", ref_id=made.id).delete()
        await CustomerKey.filter(lead_id=made.id).delete()
        await made.delete()
    assert gone.counts() == {"lead": (0, 1)}
    gone.discard()
    assert not gone and gone.counts() == {}
