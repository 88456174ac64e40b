"""Search precision (#6): every typed word starts a word of the name; closest names first; a
phone is found by its first digits as well as by its last ones."""

from __future__ import annotations

import itertools

from spacrm.core.actors import Actor
from spacrm.core.models import Lead
from spacrm.core.services.leads import create_lead, leads_by_ids
from spacrm.core.services.search import name_matches, name_words, search
from tests.conftest import new_phone

_prefix = itertools.count(100)


async def _names(actor: Actor, query: str) -> list[str]:
    found = await search(actor, query, limit=20)
    leads = await leads_by_ids(actor, [f.ref_id for f in found if f.kind == "lead"])
    return [lead.name for lead in leads]


async def test_a_word_must_start_a_word_of_the_name(personas: dict[str, Actor]) -> None:
    me = personas["tl_hda"]  # a team lead: sees the team's demo leads too (many Nguyễn)
    for name in ("Lê Thị Yến", "Nguyễn Thảo Vy", "Hoàng Sơn", "Trần Thị Hoa", "Hồ Kim Hằng"):
        await create_lead(me, name=name, phone=new_phone())
    yen = await _names(me, "Yến")
    assert "Lê Thị Yến" in yen
    assert all(name_matches(" ".join(name_words(n)), ["yen"]) for n in yen), yen
    hoa = await _names(me, "Hoa")
    assert "Trần Thị Hoa" in hoa and "Hoàng Sơn" not in hoa
    assert "Hồ Kim Hằng" in await _names(me, "Hồ")
    assert "Hoàng Sơn" in await _names(me, "Hoàn")  # a part of a word finds the names it starts
    assert (await _names(me, "ho kim hang"))[0] == "Hồ Kim Hằng"
    assert "Hồ Kim Hằng" not in await _names(me, "Kim Hoa")


async def test_closest_names_come_first(personas: dict[str, Actor]) -> None:
    me = personas["st_q1b1"]
    for name in ("Lê Kim Vy", "Kim Vyanh Trần", "Phạm Vy Kim"):
        await create_lead(me, name=name, phone=new_phone())
    found = await _names(me, "Kim Vy")
    assert found[0] == "Lê Kim Vy" and "Phạm Vy Kim" in found
    assert "Kim Vyanh Trần" not in found  # whole words typed: names they only start come not
    assert "Kim Vyanh Trần" in await _names(me, "Kim Vya")
    assert (await _names(me, "le kim v"))[0] == "Lê Kim Vy"


async def test_phone_prefix_and_suffix(personas: dict[str, Actor]) -> None:
    me = personas["st_gva1"]
    phone = f"0352{next(_prefix):03d}{new_phone()[-3:]}"
    lead = await create_lead(me, name="Đào Thị Cúc", phone=phone)
    for typed in (phone[:7], phone[:4] + " " + phone[4:7], phone[-4:]):
        assert "Đào Thị Cúc" in await _names(me, typed), typed
    assert await Lead.filter(id=lead.id, phone=phone).exists()


def test_name_matching_rule() -> None:
    assert name_matches("nguyen thi yen", ["yen"])
    assert not name_matches("nguyen thao vy", ["yen"])
    assert name_matches("hoang son", ["hoa"])  # a prefix; whole-word names are preferred
    assert name_matches("le kim vy", ["vy", "kim"])
    assert not name_matches("le kim", ["kim", "ki"])  # each typed word needs its own name word
