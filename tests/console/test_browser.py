"""One real browser (Debian's headless Chromium via selenium): sign in with the code from the fake
SMTP server, drag a card to another column with the mouse (desktop) and with a finger on its
handle (phone, 390 px), and check the lead's stage in the database. Screenshots land in the
test's tmp directory (printed on failure)."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from spacrm.core.models import Lead
from spacrm.core.services.leads import create_lead
from spacrm.core.services.users import actor_for
from tests.conftest import new_phone
from tests.console.conftest import PASSWORD, Console, TempUser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
T = TypeVar("T")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) and shutil.which(CHROMEDRIVER)),
        reason="needs Debian's chromium and chromium-driver (make sysdeps installs them)",
    ),
]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


async def off_loop(fn: Callable[..., T], *args: Any) -> T:
    """Selenium blocks; the app under test runs on this event loop, so drive it from a thread."""
    return await asyncio.to_thread(fn, *args)


async def _sign_in(console: Console, driver: Any, login: str) -> None:
    from selenium.webdriver.common.by import By

    def password_step() -> None:
        driver.get(console.base + "/console")
        driver.find_element(By.ID, "login").send_keys(login)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "login-submit").click()
        driver.find_element(By.ID, "code")

    await off_loop(password_step)
    code = await console.code_for(login)

    def code_step() -> None:
        driver.find_element(By.ID, "code").send_keys(code)
        driver.find_element(By.ID, "code-submit").click()
        driver.find_element(By.ID, "board")

    await off_loop(code_step)


async def _wait_stage(lead: Lead, stage: str) -> None:
    for _ in range(100):
        await lead.refresh_from_db()
        if lead.stage == stage:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"lead stayed {lead.stage}, expected {stage}")


async def test_drag_cards_on_desktop_and_phone(
    console: Console, temp_user: TempUser, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.interaction import POINTER_TOUCH
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.by import By

    user = await temp_user("cs_browser", team="gva")
    actor = await actor_for(user)
    lead = await create_lead(actor, name="Mai Kéo Chuột", phone=new_phone(), value=1_500_000)
    second = await create_lead(actor, name="Lan Chạm Tay", phone=new_phone(), value=800_000)

    await _sign_in(console, browser, "cs_browser")

    def desktop_drag() -> str:
        browser.set_window_size(1280, 900)
        browser.get(console.base + "/console/leads")
        card = browser.find_element(By.ID, f"lead-{lead.id}")
        target = browser.find_element(By.CSS_SELECTOR, "#col-booked .cards")
        ActionChains(browser).click_and_hold(card).move_by_offset(10, 10).move_to_element(
            target
        ).release().perform()
        browser.find_element(By.CSS_SELECTOR, "#flash:not(:empty)")
        browser.save_screenshot(str(tmp_path / "desktop.png"))
        return str(browser.find_element(By.ID, "flash").text)

    flash = await off_loop(desktop_drag)
    await _wait_stage(lead, "booked")
    assert "Đã đặt lịch" in flash
    assert lead.contact_id is not None  # moving to booked converted the lead, as in chat

    def phone_drag() -> str:
        browser.set_window_size(390, 844)
        browser.get(console.base + "/console/leads")
        handle = browser.find_element(By.CSS_SELECTOR, f"#lead-{second.id} .handle")
        target = browser.find_element(By.CSS_SELECTOR, "#col-caring")
        browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", handle)
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert width <= 390
        finger = PointerInput(POINTER_TOUCH, "finger")
        actions = ActionBuilder(browser, mouse=finger)
        actions.pointer_action.move_to(handle).pointer_down()
        actions.pointer_action.move_by(5, 20)
        actions.pointer_action.move_to(target).pointer_up()
        actions.perform()
        browser.find_element(By.CSS_SELECTOR, "#flash:not(:empty)")
        browser.save_screenshot(str(tmp_path / "phone.png"))
        return str(browser.find_element(By.ID, "flash").text)

    flash = await off_loop(phone_drag)
    await _wait_stage(second, "caring")
    assert "Đang chăm sóc" in flash
    print("screenshots:", tmp_path / "desktop.png", tmp_path / "phone.png")
