"""The console's lists, import, export and lead view (#20, #21, #22) over HTTP, signed in like a
browser: what the user sees, and what ends up in the database."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from spacrm.core.models import Attachment, CustomerKey, ImportBatch, Lead, SearchEntry
from spacrm.core.services.leads import create_lead
from spacrm.core.services.users import actor_for
from tests.conftest import new_phone
from tests.console.conftest import Console, TempUser, form_csrf


async def test_search_export_card_and_scope(console: Console, temp_user: TempUser) -> None:
    me = await temp_user("cd_list1", team="q1a")
    other = await temp_user("cd_list2", team="q1b")
    actor, stranger = await actor_for(me), await actor_for(other)
    tag = "Zyxw"
    await create_lead(
        actor,
        name=f"{tag} Hồng Nhung",
        phone=new_phone(),
        company='=HYPERLINK("x")',
        source="facebook",
    )
    await create_lead(
        actor, name=f"{tag} Thu Hà", phone=new_phone(), company="Spa Ánh Dương", source="zalo"
    )
    theirs = await create_lead(stranger, name=f"{tag} Người Khác", phone=new_phone(), source="zalo")

    async with console.client() as c:
        await console.sign_in(c, "cd_list1")
        # AND: name and source; OR: either. Diacritics optional; a date range that holds today.
        base = {
            "f": ["name", "source", "created_at"],
            "v": [tag.lower(), "zalo", "01/01/2020"],
            "u": ["", "", "31/12/2099"],
        }
        r = await c.get("/console/list/leads", params={**base, "m": "all"})
        assert r.status_code == 200
        assert "Zyxw Thu Hà" in r.text and "Hồng Nhung" not in r.text and "Người Khác" not in r.text
        r = await c.get(
            "/console/list/leads",
            params={"f": ["name", "company"], "v": [tag, "anh duong"], "u": ["", ""], "m": "any"},
        )
        assert "Hồng Nhung" in r.text and "Thu Hà" in r.text and "Người Khác" not in r.text
        r = await c.get(
            "/console/list/leads", params={"f": "created_at", "v": "31/02/2026", "u": ""}
        )
        assert r.status_code == 400 and "31/02/2026" in r.text  # a clear message, not a 500

        # Export = the same search, with formula-looking text neutralised.
        r = await c.get(
            "/console/list/leads/export.xlsx", params={"f": "name", "v": tag, "u": "", "m": "all"}
        )
        assert r.status_code == 200
        sheet = load_workbook(io.BytesIO(r.content)).active
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        names = {row[0] for row in cells[1:]}
        assert names == {"Zyxw Hồng Nhung", "Zyxw Thu Hà"}
        assert '\'=HYPERLINK("x")' in [v for row in cells for v in row]

        # Another team's customer by URL: "not found", like an id that does not exist.
        assert (await c.get(f"/console/leads/{theirs.id}")).status_code == 404
        assert (await c.get("/console/leads/99999999")).status_code == 404

        # The all-in-one view and its attachments.
        lead = await Lead.get(name="Zyxw Thu Hà")
        r = await c.get(f"/console/leads/{lead.id}")
        assert r.status_code == 200 and "Spa Ánh Dương" in r.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
        r = await c.post(
            f"/console/leads/{lead.id}/attachments",
            data={"csrf": csrf},
            files={"file": ("ảnh da.png", png, "image/png")},
        )
        assert r.status_code == 303
        att = await Attachment.get(lead_id=lead.id)
        assert att.content_type == "image/png"
        r = await c.get(f"/console/attachments/{att.id}")
        assert r.content == png and r.headers["content-disposition"].startswith("attachment")
        r = await c.post(
            f"/console/leads/{lead.id}/attachments",
            data={"csrf": csrf},
            files={"file": ("virus.jpg", b"MZ\x90\0 not a jpeg", "image/jpeg")},
        )
        r = await c.get(r.headers["location"])
        assert "virus.jpg" in r.text and await Attachment.filter(lead_id=lead.id).count() == 1
        r = await c.post(
            f"/console/leads/{theirs.id}/attachments",
            data={"csrf": csrf},
            files={"file": ("a.png", png, "image/png")},
        )
        assert r.status_code == 404

        # The kanban's filters.
        r = await c.get("/console/leads", params={"source": "zalo", "from": "01/01/2020", "to": ""})
        assert r.status_code == 200 and "Zyxw Thu Hà" in r.text and "Zyxw Hồng Nhung" not in r.text

    async with console.client() as c:
        await console.sign_in(c, "cd_list2")
        assert (await c.get(f"/console/leads/{lead.id}")).status_code == 404
        assert (await c.get(f"/console/attachments/{att.id}")).status_code == 404
        r = await c.get("/console/list/leads", params={"f": "name", "v": tag, "u": ""})
        assert "Người Khác" in r.text and "Thu Hà" not in r.text
    await Attachment.filter(lead_id=lead.id).delete()


def _messy(path: Path, phones: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Công ty TNHH Spa Sen — danh sách khách"])
    sheet.append([])
    sheet.append(["", "Số ĐT", "Ghi chu", "Ho ten khach"])
    sheet.append(["", phones[0], "=1+1", "Khách Nhập Một"])
    sheet.append(["", "12ab", "", "SĐT Hỏng"])
    sheet.append(["", phones[1], "", "Khách Nhập Hai"])
    book.save(path)
    return path.read_bytes()


async def test_import_flow_with_undo(console: Console, temp_user: TempUser, tmp_path: Path) -> None:
    await temp_user("cd_imp1", team="q1a")
    phones = [new_phone(), new_phone()]
    content = _messy(tmp_path / "k.xlsx", phones)
    async with console.client() as c:
        await console.sign_in(c, "cd_imp1")
        csrf = await form_csrf(c, "/console/import")
        r = await c.post(
            "/console/import",
            data={"csrf": csrf},
            files={"file": ("khách lạ.csv", content, "text/csv")},
        )
        assert r.status_code == 400 and ".xlsx" in r.text  # an xlsx named .csv: said so
        r = await c.post(
            "/console/import",
            data={"csrf": csrf},
            files={"file": ("khách lạ.xlsx", content, "application/octet-stream")},
        )
        assert r.status_code == 200, r.text
        token = re.search(r"/console/import/([0-9a-f]{32})/preview", r.text).group(1)  # type: ignore[union-attr]
        chosen = {}
        for block in re.findall(r'<select name="col_\d+".*?</select>', r.text, re.S):
            picked = re.search(r'<option value="(\w+)" selected', block)
            if picked:
                chosen[re.search(r"col_\d+", block).group(0)] = picked.group(1)  # type: ignore[union-attr]
        assert chosen == {"col_1": "phone", "col_2": "needs", "col_3": "name"}
        form = {"csrf": csrf, "header_row": "2", "update": "0", **chosen}
        r = await c.post(f"/console/import/{token}/preview", data=form)
        assert (
            "2 tạo mới" in r.text and "1 không nhập được" in r.text and "SĐT không hợp lệ" in r.text
        )
        assert not await Lead.filter(phone__in=phones).exists()
        r = await c.post(f"/console/import/{token}/run", data=form)
        assert r.status_code == 303
        batch_url = r.headers["location"]
        for _ in range(100):
            r = await c.get(batch_url)
            if 'data-status="done"' in r.text:
                break
            await asyncio.sleep(0.1)
        assert "2 mới" in r.text
        one = await Lead.get(phone=phones[0])
        assert one.needs == "=1+1" and one.name == "Khách Nhập Một"
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
        r = await c.post(batch_url + "/undo", data={"csrf": csrf})
        r = await c.get(r.headers["location"])
        assert "Đã hoàn tác" in r.text
        assert not await Lead.filter(phone__in=phones).exists()
        assert not await CustomerKey.filter(value__in=phones).exists()
        assert not await SearchEntry.filter(phone__in=phones).exists()
        batch_id = int(batch_url.rsplit("/", 1)[1])
        assert (await ImportBatch.get(id=batch_id)).status == "undone"

    await temp_user("cd_imp2", team="q1a")
    async with console.client() as c:  # someone else's import is not there for them
        await console.sign_in(c, "cd_imp2")
        assert (await c.get(batch_url)).status_code == 404
