"""The configuration screens' paged lists and finer edits over HTTP (#11): users, Q&A pairs and the
catalogue a page at a time with a search box; one Q&A pair's variants added, changed and deleted;
technicians' days off and branch opening hours; KPI settings changed and deactivated. Each change
is checked in the database (and, for Q&A and hours, in what the bot or booking then does)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from spacrm.core import clock
from spacrm.core.models import (
    Branch,
    BranchHours,
    CatalogItem,
    KpiSetting,
    QARecord,
    TechnicianDayOff,
    User,
)
from spacrm.core.services import kb
from spacrm.core.services.availability import opening
from tests.console.conftest import Console, TempUser, form_csrf


async def _flash(client: httpx.AsyncClient, r: httpx.Response) -> str:
    assert r.status_code == 303, (r.status_code, r.text[:300])
    page = await client.get(r.headers["location"])
    assert page.status_code == 200
    found = re.search(r'<p id="flash"[^>]*>([^<]*)</p>', page.text)
    return found.group(1) if found else ""


def _rows(html: str, prefix: str) -> list[str]:
    return re.findall(rf'<tr id="{prefix}-([^"]+)"', html)


async def test_qa_pairs_users_and_catalogue_are_paged_and_searched(console: Console) -> None:
    rows = [kb.QAData(f"cfpg-{n:03d}", f"Câu hỏi phân trang {n}", f"Đáp {n}") for n in range(120)]
    await kb.import_pairs(rows)
    items = [
        CatalogItem(kind="goods", code=f"CFPG{n:03d}", name=f"Kem thử {n}",
                    name_key=f"kem thu {n}", price=1000)
        for n in range(60)
    ]  # fmt: skip
    await CatalogItem.bulk_create(items)
    try:
        async with console.client() as client:
            await console.sign_in(client, "admin")
            first = await client.get("/console/qa", params={"s": "cfpg-"})
            shown = _rows(first.text, "pair")
            assert shown == [f"cfpg-{n:03d}" for n in range(50)]
            # A search is not counted (another scan of 100k pairs): "next" while there is more.
            assert "Trang 1<" in first.text and 'rel="next"' in first.text
            last = await client.get("/console/qa", params={"s": "cfpg-", "page": "3"})
            assert _rows(last.text, "pair") == [f"cfpg-{n:03d}" for n in range(100, 120)]
            assert 'rel="next"' not in last.text and 'rel="prev"' in last.text
            # The whole list is counted; a page past its end is the last page, and a bad page
            # number is the first, never a 422.
            total = await QARecord.filter(approved=True).count()
            pages = (total - 1) // 50 + 1
            whole = await client.get("/console/qa?page=99999")
            assert f"Trang {pages}/{pages} · {total} dòng" in whole.text
            bad = await client.get("/console/qa?s=cfpg-&page=abc")
            assert bad.status_code == 200 and _rows(bad.text, "pair")[0] == "cfpg-000"
            # The question's words find a pair too.
            one = await client.get("/console/qa", params={"s": "phân trang 117"})
            assert _rows(one.text, "pair") == ["cfpg-117"]
            # Users: by login, or by name without diacritics.
            users = await client.get("/console/users", params={"q": "tl_q1a"})
            ids = _rows(users.text, "user")
            assert ids == [str((await User.get(login="tl_q1a")).id)]
            # The catalogue: by code, 50 a page, the name without diacritics.
            page1 = await client.get("/console/catalog", params={"q": "cfpg"})
            assert len(_rows(page1.text, "item")) == 50 and 'rel="next"' in page1.text
            page2 = await client.get("/console/catalog", params={"q": "cfpg", "page": "2"})
            assert len(_rows(page2.text, "item")) == 10
            named = await client.get("/console/catalog", params={"q": "kem thu 59"})
            assert _rows(named.text, "item") == [str((await CatalogItem.get(code="CFPG059")).id)]
    finally:
        await QARecord.filter(id__startswith="cfpg-").delete()
        await CatalogItem.filter(code__startswith="CFPG").delete()


async def test_a_pairs_variants_are_edited_one_at_a_time(console: Console) -> None:
    await kb.add_pair(
        kb.QAData("cf-var", "Spa có wifi không cfv", "Dạ có, mật khẩu ở quầy.", ("wifi cfv",))
    )
    url = "/console/qa/pair?id=cf-var"
    try:
        async with console.client() as client:
            await console.sign_in(client, "tl_q1a")
            page = await client.get(url)
            assert page.status_code == 200 and 'id="variant-0"' in page.text
            csrf = await form_csrf(client, url)
            post = {"csrf": csrf, "pair_id": "cf-var"}
            r = await client.post(
                "/console/qa/pair/variants", data={**post, "text": "mật khẩu wifi cfv"}
            )
            assert "Đã lưu cách hỏi" in await _flash(client, r)
            # The same phrasing again (case and diacritics aside) is refused with the reason.
            r = await client.post(
                "/console/qa/pair/variants", data={**post, "text": "Mat khau WIFI cfv"}
            )
            assert "đã có trong cặp này" in await _flash(client, r)
            pair = await QARecord.get(id="cf-var")
            assert pair.variants == ["wifi cfv", "mật khẩu wifi cfv"]
            # The customer bot answers the new phrasing at once.
            tried = await client.get("/console/qa", params={"q": "mật khẩu wifi cfv"})
            assert 'id="try-pair">cf-var<' in tried.text
            r = await client.post(
                "/console/qa/pair/variants/edit",
                data={**post, "index": "0", "old": "wifi cfv", "text": "wifi miễn phí cfv"},
            )
            await _flash(client, r)
            # An edit of a phrasing that changed meanwhile is refused, nothing else changes.
            r = await client.post(
                "/console/qa/pair/variants/edit",
                data={**post, "index": "0", "old": "wifi cfv", "text": "sai cfv"},
            )
            assert "vừa thay đổi" in await _flash(client, r)
            assert (await QARecord.get(id="cf-var")).variants[0] == "wifi miễn phí cfv"
            r = await client.post(
                "/console/qa/pair/variants/remove",
                data={**post, "index": "1", "old": "mật khẩu wifi cfv"},
            )
            assert "Đã xoá" in await _flash(client, r)
            pair = await QARecord.get(id="cf-var")
            assert pair.variants == ["wifi miễn phí cfv"]
            # The question and answer, and an empty one refused.
            r = await client.post(
                "/console/qa/pair", data={**post, "question": "Wifi spa cfv", "answer": "  "}
            )
            assert "không được để trống" in await _flash(client, r)
            r = await client.post(
                "/console/qa/pair",
                data={**post, "question": "Wifi spa cfv", "answer": "Có, miễn phí."},
            )
            await _flash(client, r)
            pair = await QARecord.get(id="cf-var")
            assert (pair.question, pair.answer) == ("Wifi spa cfv", "Có, miễn phí.")
            # Unknown pair: 404, for the page and the forms.
            assert (await client.get("/console/qa/pair?id=cf-nope")).status_code == 404
            r = await client.post("/console/qa/pair/variants", data={"csrf": csrf,
                                  "pair_id": "cf-nope", "text": "x"})  # fmt: skip
            assert r.status_code == 404
            # A forged CSRF token changes nothing.
            r = await client.post(
                "/console/qa/pair/variants", data={**post, "csrf": "forged", "text": "cfv khác"}
            )
            assert r.status_code == 403
            assert (await QARecord.get(id="cf-var")).variants == ["wifi miễn phí cfv"]
    finally:
        await QARecord.filter(id="cf-var").delete()


async def test_staff_cannot_edit_variants(console: Console, temp_user: TempUser) -> None:
    await temp_user("cf_novar", team="q1a")
    await kb.add_pair(kb.QAData("cf-var2", "Câu hỏi cfv2", "Đáp cfv2"))
    try:
        async with console.client() as client:
            await console.sign_in(client, "cf_novar")
            assert (await client.get("/console/qa/pair?id=cf-var2")).status_code == 403
            csrf = await form_csrf(client, "/console/leads")
            r = await client.post(
                "/console/qa/pair/variants", data={"csrf": csrf, "pair_id": "cf-var2", "text": "x"}
            )
            assert r.status_code == 403
            assert (await QARecord.get(id="cf-var2")).variants == []
    finally:
        await QARecord.filter(id="cf-var2").delete()


async def test_days_off_and_opening_hours(console: Console, temp_user: TempUser) -> None:
    tech = await temp_user("cf_offtech", team="hda")
    await User.filter(id=tech.id).update(is_technician=True)
    branch = await Branch.get(code="hd")
    kept = [
        (h.weekday, h.open_min, h.close_min) for h in await BranchHours.filter(branch_id=branch.id)
    ]
    today = clock.today()
    day = today + timedelta(days=10)
    try:
        async with console.client() as client:
            await console.sign_in(client, "admin")
            csrf = await form_csrf(client, "/console/operations")
            post = {"csrf": csrf, "user_id": str(tech.id)}
            r = await client.post(
                "/console/operations/days-off",
                data={**post, "first": day.isoformat(), "last": (day + timedelta(days=2)).isoformat(),
                      "part": "full", "reason": "cưới em gái"},
            )  # fmt: skip
            assert "3 ngày" in await _flash(client, r)
            rows = await TechnicianDayOff.filter(user_id=tech.id).order_by("day")
            assert [(x.day, x.part) for x in rows] == [
                (day + timedelta(days=n), "full") for n in range(3)
            ]
            # Bad input: clear messages, nothing stored.
            cases = {
                "đã qua": {"first": (today - timedelta(days=1)).isoformat(), "last": ""},
                "trước ngày bắt đầu": {"first": day.isoformat(),
                                       "last": (day - timedelta(days=1)).isoformat()},
                "tối đa 62 ngày": {"first": day.isoformat(),
                                   "last": (day + timedelta(days=100)).isoformat()},
            }  # fmt: skip
            for words, dates in cases.items():
                r = await client.post("/console/operations/days-off", data={**post, **dates})
                assert words in await _flash(client, r), words
            assert await TechnicianDayOff.filter(user_id=tech.id).count() == 3
            # A morning, then the afternoon of the same day: a whole day off.
            later = (day + timedelta(days=20)).isoformat()
            for part in ("morning", "afternoon"):
                r = await client.post(
                    "/console/operations/days-off", data={**post, "first": later, "part": part}
                )
                await _flash(client, r)
            merged = await TechnicianDayOff.get(user_id=tech.id, day=day + timedelta(days=20))
            assert merged.part == "full"
            page = await client.get("/console/operations")
            assert f'id="day-off-{rows[0].id}"' in page.text and "cưới em gái" in page.text
            r = await client.post(
                f"/console/operations/days-off/{rows[0].id}/remove", data={"csrf": csrf}
            )
            await _flash(client, r)
            assert not await TechnicianDayOff.exists(id=rows[0].id)
            r = await client.post(f"/console/operations/days-off/{rows[0].id}/remove",
                                  data={"csrf": csrf})  # fmt: skip
            assert r.status_code == 404
            # Opening hours: a wrong day refuses the whole week; "nghỉ" closes a day.
            week = {f"day{d}": "08:30-20:00" for d in range(7)}
            r = await client.post(
                f"/console/operations/branches/{branch.id}/hours",
                data={"csrf": csrf, **week, "day3": "20:00-08:30"},
            )
            assert "20:00-08:30" in await _flash(client, r)
            assert [
                (h.weekday, h.open_min, h.close_min)
                for h in await BranchHours.filter(branch_id=branch.id)
            ] == kept or kept == []
            r = await client.post(
                f"/console/operations/branches/{branch.id}/hours",
                data={"csrf": csrf, **week, "day6": "nghỉ"},
            )
            await _flash(client, r)
            monday = today + timedelta(days=7 - today.weekday())
            assert await opening(branch.id, monday) == (8 * 60 + 30, 20 * 60)
            assert await opening(branch.id, monday + timedelta(days=6)) is None  # Sunday closed
            page = await client.get("/console/operations")
            assert 'value="nghỉ"' in page.text
            r = await client.post("/console/operations/branches/999999/hours",
                                  data={"csrf": csrf, **week})  # fmt: skip
            assert r.status_code == 404
    finally:
        await TechnicianDayOff.filter(user_id=tech.id).delete()
        await BranchHours.filter(branch_id=branch.id).delete()
        await BranchHours.bulk_create(
            [
                BranchHours(branch_id=branch.id, weekday=w, open_min=o, close_min=c)
                for w, o, c in kept
            ]
        )


async def test_kpi_settings_are_edited_and_deactivated(
    console: Console, temp_user: TempUser
) -> None:
    member = await temp_user("cf_kpiman", team="q1a")
    try:
        async with console.client() as client:
            await console.sign_in(client, "admin")
            csrf = await form_csrf(client, "/console/operations")
            form = {"csrf": csrf, "name": "CF quý 1", "who": "user:cf_kpiman",
                    "start": "2027-01-01", "end": "2027-03-31", "t_calls": "100",
                    "t_revenue": "90.000.000", "commission_pct": "3",
                    "description": "Chỉ tiêu quý", "has_active": "1", "active": "1"}  # fmt: skip
            r = await client.post("/console/operations/kpi", data=form)
            assert "CF quý 1" in await _flash(client, r)
            setting = await KpiSetting.get(name="CF quý 1")
            assert (setting.user_id, setting.calls, setting.revenue, setting.commission_pct) == (
                member.id, 100, 90_000_000, 3,
            )  # fmt: skip
            assert setting.description == "Chỉ tiêu quý"
            edit = f"/console/operations/kpi/{setting.id}"
            # Negative targets and reversed dates are refused with the reason; nothing changes.
            r = await client.post(edit, data={**form, "t_calls": "-5"})
            assert "không được âm" in await _flash(client, r)
            r = await client.post(edit, data={**form, "end": "2026-12-01"})
            assert "trước ngày bắt đầu" in await _flash(client, r)
            await setting.refresh_from_db()
            assert setting.calls == 100 and str(setting.end_date) == "2027-03-31"
            # Changed: the team instead of the person, new targets, the calls target dropped.
            r = await client.post(
                edit, data={**form, "who": "team:q1a", "t_calls": "", "t_meetings": "12",
                            "name": "CF quý 1 nhóm"},
            )  # fmt: skip
            assert "CF quý 1 nhóm" in await _flash(client, r)
            await setting.refresh_from_db()
            assert (setting.user_id, setting.calls, setting.meetings) == (None, 0, 12)
            assert setting.team_id == (await User.get(login="tl_q1a")).team_id
            page = await client.get("/console/operations")
            assert f'id="edit-kpi-{setting.id}"' in page.text
            r = await client.post(f"{edit}/active", data={"csrf": csrf, "active": "0"})
            assert "Đã ngừng áp dụng" in await _flash(client, r)
            await setting.refresh_from_db()
            assert not setting.active
            assert (await client.post("/console/operations/kpi/999999",
                                      data=form)).status_code == 404  # fmt: skip
    finally:
        await KpiSetting.filter(name__startswith="CF quý 1").delete()
