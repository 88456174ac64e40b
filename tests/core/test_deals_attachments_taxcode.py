"""Deals with default probabilities, attachments on disk, company details by tax code."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacrm.adapters.app.wiring import _TaxCodeLookup
from spacrm.adapters.taxcode.client import TaxCodeClient
from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError, ErrorCode
from spacrm.core.ports import ports
from spacrm.core.services.attachments import add_attachment, list_attachments, read_attachment
from spacrm.core.services.deals import create_deal, move_deal
from spacrm.core.services.leads import create_lead
from tests.conftest import new_phone
from tests.fakes.taxcode import FakeTaxCode


async def test_deal_stages_and_probability(personas: dict[str, Actor]) -> None:
    me = personas["st_q1a1"]
    lead = await create_lead(me, name="Kiều Oanh", phone=new_phone())
    deal = await create_deal(me, lead_id=lead.id, name="Gói trẻ hóa 10 buổi", amount=12_000_000)
    assert deal.stage == "needs_analysis" and deal.probability == 10
    deal = await move_deal(me, deal_id=deal.id, stage="negotiation")
    assert deal.probability == 70
    with pytest.raises(DomainError) as err:
        await move_deal(personas["st_gva1"], deal_id=deal.id, stage="won")
    assert err.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(DomainError):
        await create_deal(me, lead_id=lead.id, name="x", stage="maybe")


async def test_attachment_saved_under_data_dir(personas: dict[str, Actor]) -> None:
    me = personas["st_q1a2"]
    lead = await create_lead(me, name="Thanh Tâm", phone=new_phone())
    att = await add_attachment(
        me, kind="lead", record_id=lead.id, filename="../../ảnh da mặt.jpg", content=b"\xff\xd8jpeg"
    )
    assert Path(att.path).is_file() and "attachments" in att.path and ".." not in att.path
    assert att.content_type == "image/jpeg" and att.size == 6
    assert [a.id for a in await list_attachments(me, kind="lead", record_id=lead.id)] == [att.id]
    _, content = await read_attachment(me, att.id)
    assert content == b"\xff\xd8jpeg"
    with pytest.raises(DomainError):
        await read_attachment(personas["st_hda1"], att.id)


async def test_company_details_fetched_by_tax_code(personas: dict[str, Actor]) -> None:
    async with FakeTaxCode() as fake:
        client = TaxCodeClient(base_url=fake.base_url)
        ports.company_lookup = _TaxCodeLookup(client)
        try:
            lead = await create_lead(personas["st_q1b1"], name="Anh Tuấn", tax_code="0101245486")
            assert lead.company and "VINGROUP" in lead.company.upper() and lead.address
            fake.outage = "error"
            client.clear_cache()
            saved = await create_lead(personas["st_q1b1"], name="Chị Lụa", tax_code="0100109106")
            assert saved.id and saved.company is None  # a failed lookup never blocks saving
        finally:
            ports.company_lookup = None
            await client.aclose()
