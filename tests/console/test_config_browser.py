"""The configuration screens in a real browser (Debian's headless Chromium via selenium, as the
kanban's test): an admin adds a user, changes a setting, approves a Q&A draft and tries a question,
and retries a failed message, which then reaches the (fake) mail server. Each checks the database
and what the user sees; screenshots land in the test's tmp directory."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from spacrm.core.models import QARecord, StoredSetting, User
from spacrm.core.services import outbox
from spacrm.core.services.users import check_password
from spacrm.core.settings import get_settings
from spacrm.core.vietqr import order_vietqr
from tests.console.conftest import Console
from tests.console.test_browser import _sign_in, browser, off_loop, pytestmark  # noqa: F401
from tests.console.test_config import clean_settings  # noqa: F401


def _flash_text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.ID, "flash").text)


async def test_admin_adds_a_user(console: Console, browser: Any, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    await _sign_in(console, browser, "admin")

    def add() -> str:
        browser.get(console.base + "/console/users")
        browser.find_element(By.ID, "new-login").send_keys("cf_newtech")
        browser.find_element(By.ID, "new-name").send_keys("Đinh Thị Kỹ Thuật")
        browser.find_element(By.ID, "new-email").send_keys("cf_newtech@lotus.example")
        Select(browser.find_element(By.ID, "new-role")).select_by_value("staff")
        Select(browser.find_element(By.ID, "new-place")).select_by_value("team:q1b")
        browser.find_element(By.ID, "new-password").send_keys("hoa-sen-2026")
        browser.find_element(By.ID, "new-technician").click()
        browser.find_element(By.ID, "add-user-submit").click()
        text = _flash_text(browser)
        browser.save_screenshot(str(tmp_path / "users.png"))
        return text

    try:
        flash = await off_loop(add)
        assert "cf_newtech" in flash and "Nhân viên" in flash
        user = await User.get(login="cf_newtech")
        q1b = await User.get(login="tl_q1b")
        assert (user.full_name, user.role, user.team_id) == (
            "Đinh Thị Kỹ Thuật",
            "staff",
            q1b.team_id,
        )
        assert user.is_technician and not user.is_front_desk and user.active
        assert check_password(user, "hoa-sen-2026")
        listed = await off_loop(lambda: browser.find_element(By.ID, f"user-{user.id}").text)
        assert "cf_newtech" in listed
    finally:
        await User.filter(login="cf_newtech").delete()


async def test_admin_changes_the_bank_account(
    console: Console,
    browser: Any,  # noqa: F811
    clean_settings: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    await _sign_in(console, browser, "admin")

    def change(key: str, value: str) -> str:
        browser.get(console.base + "/console/settings")
        field = browser.find_element(By.ID, f"value-{key}")
        field.clear()
        field.send_keys(value)
        browser.find_element(By.ID, f"save-{key}").click()
        return _flash_text(browser)

    assert "Đã lưu" in await off_loop(change, "bank_bin", "970436")
    assert "Đã lưu" in await off_loop(change, "bank_account", "0071000123456")
    await off_loop(browser.save_screenshot, str(tmp_path / "settings.png"))
    assert (await StoredSetting.get(key="bank_account")).value == "0071000123456"
    assert get_settings().bank_account == "0071000123456"
    payload = order_vietqr("HD2026-000042", 350_000)  # the next bill's QR pays into it
    assert payload is not None and "0071000123456" in payload and "970436" in payload
    # A wrong value: a clear message, the stored one stays.
    flash = await off_loop(change, "bank_bin", "12ab")
    assert "chưa hợp lệ" in flash
    assert get_settings().bank_bin == "970436"
    shown = await off_loop(
        lambda: browser.find_element(By.ID, "value-bank_account").get_attribute("value")
    )
    assert shown == "0071000123456"


async def test_manager_approves_a_draft_and_tries_a_question(
    console: Console,
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    draft = await QARecord.create(
        id="cf-case-the-tin-dung",
        question="Spa có nhận thanh toán bằng thẻ tín dụng không?",
        answer="Dạ có ạ, spa nhận Visa, Mastercard và JCB, không thu phí thêm.",
        variants=["quẹt thẻ visa được không"],
        approved=False,
    )
    try:
        await _sign_in(console, browser, "tl_q1a")

        def approve() -> str:
            browser.get(console.base + "/console/qa")
            browser.find_element(By.ID, f"approve-{draft.id}").click()
            return _flash_text(browser)

        assert "Đã duyệt" in await off_loop(approve)
        await draft.refresh_from_db()
        assert draft.approved

        def try_question() -> tuple[str, str]:
            field = browser.find_element(By.ID, "try-q")
            field.send_keys("cho em hỏi spa có nhận thẻ tín dụng không ạ")
            browser.find_element(By.ID, "try-submit").click()
            pair = browser.find_element(By.ID, "try-pair").text
            sure = browser.find_element(By.ID, "try-confidence").text
            browser.save_screenshot(str(tmp_path / "qa.png"))
            return str(pair), str(sure)

        pair, sure = await off_loop(try_question)
        assert pair == draft.id
        assert "độ chắc chắn" in sure and int(sure.split()[-1].rstrip("%")) >= 33
    finally:
        await QARecord.filter(id=draft.id).delete()


async def test_admin_retries_a_failed_message(
    console: Console,
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    # Failed in the same transaction as it is queued: the running dispatcher must not send it
    # first (it did once on PostgreSQL, and the page had nothing to retry).
    async with in_transaction():
        row = await outbox.enqueue(
            "email", "cf_retry@lotus.example", {"subject": "Lịch hẹn", "text": "Hẹn chị 15:00 mai."}
        )
        await outbox.mark_failed(row, "421 try again later")
    await _sign_in(console, browser, "admin")

    def retry() -> str:
        browser.get(console.base + "/console/outbox")
        browser.find_element(By.ID, f"retry-{row.id}").click()
        text = _flash_text(browser)
        browser.save_screenshot(str(tmp_path / "outbox.png"))
        return text

    assert "Đã xếp lại 1" in await off_loop(retry)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while True:  # the server's outbox sends it to the fake mail server
        mail = await console.smtp.wait_for_message(timeout=max(0.1, deadline - loop.time()))
        if mail["To"] == "cf_retry@lotus.example":
            break
    assert mail["Subject"] == "Lịch hẹn"
    for _ in range(100):
        await row.refresh_from_db()
        if row.status == "sent":
            break
        await asyncio.sleep(0.05)
    assert row.status == "sent"
