"""In a real browser — Playwright for Python driving Debian's headless Chromium (no browser
download: executable_path): sign in with the code from the fake SMTP server, drag a card across
stages on a desktop and on a 390 px phone (finger on the handle), search with AND / OR and a date
range, export, import a messy xlsx through the page (mapping, dry run, import, undo), and another
team's customer by URL. Screenshots are kept in the test's tmp directory (printed)."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from spacrm.core.models import Lead
from spacrm.core.services.leads import create_lead
from spacrm.core.services.users import actor_for
from tests.conftest import new_phone
from tests.console.conftest import PASSWORD, Console, TempUser

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="needs Debian's chromium (make sysdeps installs it)",
    ),
]


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    playwright = pytest.importorskip("playwright.async_api")
    async with playwright.async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def sign_in(console: Console, page: Any, login: str) -> None:
    await page.goto(console.base + "/console")
    await page.fill("#login", login)
    await page.fill("#password", PASSWORD)
    await page.click("#login-submit")
    await page.wait_for_selector("#code")
    await page.fill("#code", await console.code_for(login))
    await page.click("#code-submit")
    await page.wait_for_selector("#board")


async def _wait_stage(lead: Lead, stage: str) -> None:
    for _ in range(100):
        await lead.refresh_from_db()
        if lead.stage == stage:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"lead stayed {lead.stage}, expected {stage}")


async def test_drag_on_desktop_and_phone(
    console: Console, temp_user: TempUser, browser: Any, tmp_path: Path
) -> None:
    actor = await actor_for(await temp_user("cd_pw1", team="gva"))
    first = await create_lead(actor, name="Pw Kéo Chuột", phone=new_phone(), value=1_500_000)
    second = await create_lead(actor, name="Pw Chạm Tay", phone=new_phone(), value=800_000)

    desktop = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await desktop.new_page()
    await sign_in(console, page, "cd_pw1")
    card = page.locator(f"#lead-{first.id}")
    box = await card.bounding_box()
    target = await page.locator("#col-booked .cards").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + 10, y + 10, steps=3)
    await page.mouse.move(target["x"] + 20, target["y"] + 10, steps=8)
    await page.mouse.up()
    await page.wait_for_selector("#flash:not(:empty)")
    await page.screenshot(path=str(tmp_path / "pw-desktop.png"))
    assert "Đã đặt lịch" in await page.inner_text("#flash")
    await _wait_stage(first, "booked")

    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = await phone.new_page()
    await sign_in(console, page, "cd_pw1")
    handle = page.locator(f"#lead-{second.id} .handle")
    await handle.scroll_into_view_if_needed()
    assert await page.evaluate("document.documentElement.clientWidth") <= 390
    hb = await handle.bounding_box()
    tb = await page.locator("#col-caring").bounding_box()
    cdp = await phone.new_cdp_session(page)
    x, y = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2

    async def touch(kind: str, px: float, py: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": px, "y": py}]
        await cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    await touch("touchStart", x, y)
    for i in range(1, 11):  # the finger moves in small steps, as a real one does
        await touch("touchMove", x + (tb["x"] + 30 - x) * i / 10, y + (tb["y"] + 20 - y) * i / 10)
    await touch("touchEnd", 0, 0)
    await page.wait_for_selector("#flash:not(:empty)")
    await page.screenshot(path=str(tmp_path / "pw-phone.png"))
    assert "Đang chăm sóc" in await page.inner_text("#flash")
    await _wait_stage(second, "caring")
    print("screenshots:", tmp_path)


async def test_search_export_import_and_scope(
    console: Console, temp_user: TempUser, browser: Any, tmp_path: Path
) -> None:
    me = await actor_for(await temp_user("cd_br1", team="gva"))
    other = await actor_for(await temp_user("cd_br2", team="q1b"))
    await create_lead(me, name="Qyx Lan Anh", phone=new_phone(), company="Hòa Sen", source="zalo")
    await create_lead(
        me, name="Qyx Bảo Ngọc", phone=new_phone(), company="Bình Minh", source="facebook"
    )
    theirs = await create_lead(other, name="Qyx Người Ngoài", phone=new_phone(), source="zalo")
    phones = [new_phone(), new_phone()]
    book = Workbook()
    sheet = book.active
    sheet.append(["Khách mới tháng 3"])
    sheet.append([])
    sheet.append(["Ghi chú", "Tên KH", "Mobile"])
    sheet.append(['=HYPERLINK("http://x")', "Qyx Nhập Một", phones[0]])
    sheet.append(["", "Qyx Nhập Hai", phones[1]])
    sheet.append(["", "", "0903"])
    xlsx = tmp_path / "khách lạ.xlsx"
    book.save(xlsx)

    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = await context.new_page()
    await sign_in(console, page, "cd_br1")

    async def search(mode: str) -> str:
        await page.goto(console.base + "/console/list/leads")
        await page.select_option("#f0", "name")
        await page.fill("#v0", "qyx")
        await page.select_option("#f1", "company")
        await page.fill("#v1", "hoa sen")
        await page.select_option("#f2", "created_at")
        await page.fill("#v2", "01/01/2020")
        await page.fill("#u2", "31/12/2099")
        await page.check(f'input[name="m"][value="{mode}"]')
        await page.click("#search-submit")
        await page.wait_for_selector("#found")
        await page.screenshot(path=str(tmp_path / f"search-{mode}.png"))
        return str(await page.inner_text("main"))

    text = await search("all")
    assert "Qyx Lan Anh" in text and "Qyx Bảo Ngọc" not in text and "Người Ngoài" not in text
    text = await search("any")
    assert "Qyx Lan Anh" in text and "Qyx Bảo Ngọc" in text and "Người Ngoài" not in text
    async with page.expect_download() as info:
        await page.click("#export")
    download = await info.value
    sheet = load_workbook(io.BytesIO(Path(await download.path()).read_bytes())).active
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == {
        "Qyx Lan Anh",
        "Qyx Bảo Ngọc",
    }

    await page.goto(console.base + "/console/import")
    await page.set_input_files("#import-file", str(xlsx))
    await page.click("#upload-submit")
    assert await page.input_value("#col_1") == "name"
    assert await page.input_value("#col_2") == "phone"
    await page.click("#preview-submit")
    summary = await page.inner_text("#dry-summary")
    assert "2 tạo mới" in summary and "1 không nhập được" in summary
    await page.screenshot(path=str(tmp_path / "import-preview.png"))
    await page.click("#run-submit")
    await page.wait_for_selector('#batch[data-status="done"]', timeout=30_000)
    assert "2 mới" in await page.inner_text("#batch")
    await page.screenshot(path=str(tmp_path / "import-done.png"))
    assert (await Lead.get(phone=phones[0])).needs == '=HYPERLINK("http://x")'
    await page.click("#undo-submit")
    await page.wait_for_selector("#batch-msg")
    assert not await Lead.filter(phone__in=phones).exists()

    response = await page.goto(console.base + f"/console/leads/{theirs.id}")
    assert response.status == 404 and "Người Ngoài" not in await page.inner_text("body")
    await context.close()
    print("screenshots:", tmp_path)
