"""Lead services: create, duplicates across the company, pipeline moves and conversion, listing, search."""

from __future__ import annotations

from datetime import timedelta

import pytest

from spacrm.core import clock
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.models import Account, Activity, Contact, Lead
from spacrm.core.services.activities import claim_due_reminders, log_activity, plan_activity
from spacrm.core.services.leads import create_lead, lead_for_customer, list_leads, move_lead
from spacrm.core.services.search import search
from tests.conftest import new_phone


async def test_create_with_name_and_phone(personas: dict[str, Actor]) -> None:
    me = personas["st_q1a1"]
    phone = new_phone()
    lead = await create_lead(
        me, name="Nguyễn Thị  Hoa", phone=phone[:4] + " " + phone[4:], source="Facebook"
    )
    assert (
        lead.phone == phone and lead.name == "Nguyễn Thị Hoa" and lead.name_key == "nguyen thi hoa"
    )
    assert lead.stage == "potential" and lead.owner_id == me.user_id and lead.team_id == me.team_id
    assert lead.source == "facebook"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"phone": "0912 34"}, ErrorCode.INVALID_PHONE),
        ({"email": "lan@@x"}, ErrorCode.INVALID_EMAIL),
        ({"tax_code": "0100233489"}, ErrorCode.INVALID_TAX_CODE),
        ({"citizen_id": "12345"}, ErrorCode.INVALID_CITIZEN_ID),
        ({"name": "   "}, ErrorCode.NAME_REQUIRED),
    ],
)
async def test_bad_input_saves_nothing(
    personas: dict[str, Actor], kwargs: dict[str, str], code: ErrorCode
) -> None:
    before = await Lead.all().count()
    args = {"name": "Lan", **kwargs}
    with pytest.raises(DomainError) as err:
        await create_lead(personas["st_q1a1"], **args)  # type: ignore[arg-type]
    assert err.value.code == code
    assert await Lead.all().count() == before


async def test_duplicates_visible_and_hidden(personas: dict[str, Actor]) -> None:
    phone = new_phone()
    first = await create_lead(
        personas["st_q1a1"], name="Trần Thu", phone=phone, email="thu.dup@example.vn"
    )
    with pytest.raises(DomainError) as same_team:
        await create_lead(personas["tl_q1a"], name="Thu", phone="+84" + phone[1:])
    assert (
        same_team.value.code == ErrorCode.DUPLICATE_VISIBLE
        and same_team.value.params["ref_id"] == first.id
    )
    with pytest.raises(DomainError) as other_team:
        await create_lead(personas["st_q1b1"], name="Thu", email="THU.DUP@example.vn")
    assert (
        other_team.value.code == ErrorCode.DUPLICATE_HIDDEN
        and "ref_id" not in other_team.value.params
    )


async def test_move_to_booked_converts_with_account(personas: dict[str, Actor]) -> None:
    me = personas["st_q1a2"]
    lead = await create_lead(me, name="Lê Mai", phone=new_phone(), company="Công ty TNHH Hoa Sen")
    moved = (await move_lead(me, lead_id=lead.id, stage="caring")).lead
    assert moved.contact_id is None  # type: ignore[attr-defined]
    booked = (
        await move_lead(me, lead_id=lead.id, stage="booked", expected_version=moved.version)
    ).lead
    contact = await Contact.get(id=booked.contact_id)  # type: ignore[attr-defined]
    account = await Account.get(id=booked.account_id)  # type: ignore[attr-defined]
    assert contact.phone == lead.phone and contact.account_id == account.id  # type: ignore[attr-defined]
    assert account.name == "Công ty TNHH Hoa Sen" and account.owner_id == me.user_id
    with pytest.raises(DomainError) as stale:
        await move_lead(me, lead_id=lead.id, stage="dead", expected_version=moved.version)
    assert stale.value.code == ErrorCode.STALE
    with pytest.raises(DomainError) as bad:
        await move_lead(me, lead_id=lead.id, stage="vip")
    assert bad.value.code == ErrorCode.INVALID_STAGE
    with pytest.raises(DomainError) as hidden:
        await move_lead(personas["st_gva1"], lead_id=lead.id, stage="dead")
    assert hidden.value.code == ErrorCode.NOT_FOUND


async def test_the_lead_behind_a_converted_customer_is_found_within_scope(
    personas: dict[str, Actor],
) -> None:
    me = personas["st_q1a2"]
    lead = await create_lead(me, name="Phan Yến", phone=new_phone(), company="Công ty TNHH Yến Nhi")
    booked = (await move_lead(me, lead_id=lead.id, stage="booked")).lead
    account_id, contact_id = booked.account_id, booked.contact_id  # type: ignore[attr-defined]
    for kind, ref_id in (("account", account_id), ("contact", contact_id)):
        found = await lead_for_customer(me, kind, ref_id)
        assert found is not None and found.id == lead.id
        assert await lead_for_customer(personas["st_gva1"], kind, ref_id) is None


async def test_list_sorted_and_paged(personas: dict[str, Actor]) -> None:
    me = personas["st_hda1"]
    for n, value in enumerate([3_000_000, 1_000_000, 9_000_000]):
        await create_lead(me, name=f"Sort Test {n}", phone=new_phone(), value=value)
    rows, total = await list_leads(me, stage="potential", sort="value", order="desc", limit=100)
    values = [r.value for r in rows]
    assert values == sorted(values, reverse=True) and total == len(rows)
    page2, _ = await list_leads(
        me, stage="potential", sort="value", order="desc", offset=1, limit=1
    )
    assert page2[0].id == rows[1].id


async def test_search_kinds(personas: dict[str, Actor]) -> None:
    me = personas["st_gva1"]
    phone = new_phone()
    lead = await create_lead(me, name="Phạm Ngọc Ánh", phone=phone, email="anh.pham@example.vn",
                             tax_code="0314409058", citizen_id="079190001234")  # fmt: skip
    for query in ["ngoc anh", "Ngọc Ánh", "pham ngoc", "NGOC", phone, phone[-4:], phone[-6:],
                  "+84" + phone[1:], "anh.pham@example.vn", "0314409058", "079190001234"]:  # fmt: skip
        found = await search(me, query)
        assert any(f.kind == "lead" and f.ref_id == lead.id for f in found), query
    assert not await search(personas["st_q1a1"], "pham ngoc anh")


async def test_activity_log_and_reminder_once(personas: dict[str, Actor]) -> None:
    me = personas["st_q1b1"]
    lead = await create_lead(me, name="Vy", phone=new_phone())
    logged = await log_activity(
        me,
        lead_id=lead.id,
        kind="call",
        note="khách hẹn",
        next_at=clock.now() - timedelta(minutes=1),
    )
    assert logged.planned is not None
    refreshed = await Lead.get(id=lead.id)
    assert refreshed.calls == 1 and refreshed.version == lead.version + 1
    await plan_activity(me, lead_id=lead.id, kind="meeting", due_at=clock.now() + timedelta(days=1))
    # Other tests of the shared database leave due plans too: claim batches until none is left.
    for _ in range(100):
        if not await claim_due_reminders():
            break
    assert await Activity.filter(id=logged.planned.id, reminded=True).exists()
    again = await claim_due_reminders()
    assert all(r.activity.id != logged.planned.id for r in again)
