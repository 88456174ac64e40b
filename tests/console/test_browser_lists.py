"""In the real browser (Debian's headless Chromium via selenium, like test_browser.py): search with
AND / OR and a date range, import a messy xlsx through the page (mapping, dry run, import, undo),
and another team's customer by URL. Screenshots land in the test's tmp directory."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]

from spacrm.core.models import Lead
from spacrm.core.services.leads import create_lead
from spacrm.core.services.users import actor_for
from tests.conftest import new_phone
from tests.console.conftest import Console, TempUser
from tests.console.test_browser import _sign_in, browser, off_loop, pytestmark

__all__ = ["browser", "pytestmark"]


async def test_search_import_and_scope_in_the_browser(
    console: Console, temp_user: TempUser, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

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

    await _sign_in(console, browser, "cd_br1")

    def search(mode: str) -> str:
        browser.set_window_size(1280, 900)
        browser.get(console.base + "/console/list/leads")
        Select(browser.find_element(By.ID, "f0")).select_by_value("name")
        browser.find_element(By.ID, "v0").send_keys("qyx")
        Select(browser.find_element(By.ID, "f1")).select_by_value("company")
        browser.find_element(By.ID, "v1").send_keys("hoa sen")
        Select(browser.find_element(By.ID, "f2")).select_by_value("created_at")
        browser.find_element(By.ID, "v2").send_keys("01/01/2020")
        browser.find_element(By.ID, "u2").send_keys("31/12/2099")
        browser.find_element(By.CSS_SELECTOR, f'input[name="m"][value="{mode}"]').click()
        browser.find_element(By.ID, "search-submit").click()
        browser.find_element(By.ID, "found")
        browser.save_screenshot(str(tmp_path / f"search-{mode}.png"))
        return str(browser.find_element(By.TAG_NAME, "main").text)

    text = await off_loop(search, "all")
    assert "Qyx Lan Anh" in text and "Qyx Bảo Ngọc" not in text and "Người Ngoài" not in text
    text = await off_loop(search, "any")
    assert "Qyx Lan Anh" in text and "Qyx Bảo Ngọc" in text and "Người Ngoài" not in text
    href = await off_loop(lambda: browser.find_element(By.ID, "export").get_attribute("href"))
    assert "export.xlsx" in href and "m=any" in href and "hoa+sen" in href

    def import_file() -> str:
        browser.get(console.base + "/console/import")
        browser.find_element(By.ID, "import-file").send_keys(str(xlsx))
        browser.find_element(By.ID, "upload-submit").click()
        assert (
            Select(browser.find_element(By.ID, "col_1")).first_selected_option.get_attribute(
                "value"
            )
            == "name"
        )
        assert (
            Select(browser.find_element(By.ID, "col_2")).first_selected_option.get_attribute(
                "value"
            )
            == "phone"
        )
        browser.find_element(By.ID, "preview-submit").click()
        summary = browser.find_element(By.ID, "dry-summary").text
        browser.save_screenshot(str(tmp_path / "import-preview.png"))
        browser.find_element(By.ID, "run-submit").click()
        return str(summary)

    summary = await off_loop(import_file)
    assert "2 tạo mới" in summary and "1 không nhập được" in summary

    def wait_done() -> str:
        for _ in range(100):
            box = browser.find_element(By.ID, "batch")
            if box.get_attribute("data-status") == "done":
                browser.save_screenshot(str(tmp_path / "import-done.png"))
                return str(box.text)
            browser.implicitly_wait(0)
            import time

            time.sleep(0.1)
            browser.refresh()
        raise AssertionError("import did not finish")

    done = await off_loop(wait_done)
    assert "2 mới" in done
    one = await Lead.get(phone=phones[0])
    assert one.needs == '=HYPERLINK("http://x")'
    await off_loop(lambda: browser.find_element(By.ID, "undo-submit").click())
    for _ in range(50):
        if not await Lead.filter(phone__in=phones).exists():
            break
        await asyncio.sleep(0.1)
    assert not await Lead.filter(phone__in=phones).exists()

    def open_theirs() -> str:
        browser.get(console.base + f"/console/leads/{theirs.id}")
        return str(browser.find_element(By.TAG_NAME, "body").text)

    assert "Người Ngoài" not in await off_loop(open_theirs)
    print("screenshots:", tmp_path)
