"""`spacrm catalog`, `spacrm orders show`, `spacrm vouchers` as a user runs them (real processes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adapters.cli.test_cli import run
from tests.conftest import FreshData


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, fresh_data: FreshData) -> dict[str, str]:
    import os

    data = fresh_data(tmp_path_factory.mktemp("sales-cli"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env = {**clean, "SPACRM_DATA_DIR": str(data), "SPACRM_BANK_BIN": "970422",
           "SPACRM_BANK_ACCOUNT": "0123456789"}  # fmt: skip
    assert run(env, "init", "--demo").returncode == 0
    return env


def test_catalog_list_and_import(env: dict[str, str], tmp_path: Path) -> None:
    listed = run(env, "catalog", "list").stdout
    assert listed.count(" service ") >= 30 and listed.count(" goods ") >= 15
    assert listed.count(" package ") >= 8 and " consumable " in listed
    found = run(env, "catalog", "list", "--search", "triet nach").stdout
    assert "Triệt lông nách" in found and "Triệt nách 10 buổi" in found and "Massage" not in found
    cheap = run(env, "catalog", "list", "--kind", "goods", "--max-price", "200000").stdout
    assert "Tinh dầu sả chanh" in cheap and "Anessa" not in cheap

    good = tmp_path / "menu.csv"
    good.write_text("loai,ma,ten,gia,nhom,thanh_phan\n"
                    "dich vu,DV90,Gội đầu bồ kết,120.000,Gội đầu,VT11:15\n"
                    "goi,GOI90,Gội bồ kết 5 lần,500000,,DV90:1:5\n", encoding="utf-8")  # fmt: skip
    out = run(env, "catalog", "import", str(good))
    assert out.returncode == 0 and "2 new" in out.stdout, out.stderr
    assert "Gội bồ kết 5 lần" in run(env, "catalog", "list", "--search", "bo ket").stdout

    missing = tmp_path / "missing.csv"
    missing.write_text("code,name\nX1,Thing\n", encoding="utf-8")
    out = run(env, "catalog", "import", str(missing))
    assert out.returncode == 2 and "missing column(s): kind, price" in out.stderr
    assert "Traceback" not in out.stderr
    dupes = tmp_path / "dupes.csv"
    dupes.write_text("kind,code,name,price\ngoods,SP98,A,1000\ngoods,SP98,B,2000\n",
                     encoding="utf-8")  # fmt: skip
    out = run(env, "catalog", "import", str(dupes))
    assert out.returncode == 2 and "SP98 trùng" in out.stderr
    assert "SP98" not in run(env, "catalog", "list").stdout  # nothing half-saved


def test_orders_show_json_and_vouchers(env: dict[str, str]) -> None:
    sold = run(env, "chat", "--user", "lt_q1",
               stdin="bán gói massage body 5 buổi cho chị Lan\n1\n")  # fmt: skip
    assert "Đã tạo đơn HD2026-000001" in sold.stdout or "Đã tạo đơn HD" in sold.stdout, sold.stdout
    number = sold.stdout.split("Đã tạo đơn ")[1].split()[0]
    shown = run(env, "orders", "show", number.lower(), "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert (
        data["number"] == number and data["total"] == 1_500_000 and data["outstanding"] == 1_500_000
    )
    assert data["lines"][0]["sessions"] == 5 and data["status"] == "confirmed"
    assert data["vietqr"].startswith("000201") and number.replace("-", "") in data["vietqr"]
    text = run(env, "orders", "show", number).stdout
    assert "Massage body 5 buổi" in text and "1.500.000" in text
    missing = run(env, "orders", "show", "HD2026-999999")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr

    added = run(env, "vouchers", "add", "--user", "lt_hd", "--name", "Mua khăn", "--amount", "350k")
    assert added.returncode == 0 and added.stdout.startswith("PC2026-"), added.stderr
    assert "Mua khăn" in run(env, "vouchers", "list", "--kind", "payment").stdout
    bad = run(env, "vouchers", "add", "--user", "lt_hd", "--name", "x", "--amount", "abc")
    assert bad.returncode == 2 and "not valid" in bad.stderr
    listed = json.loads(run(env, "orders", "list", "--status", "unpaid", "--json").stdout)
    assert number in [o["number"] for o in listed]
    assert number not in run(env, "orders", "list", "--status", "paid").stdout
    assert number in run(env, "orders", "list", "--user", "lt_q1").stdout
    assert number not in run(env, "orders", "list", "--user", "lt_hd").stdout  # another branch


_TRANSFER = """
import asyncio, sys
from datetime import UTC, datetime
from spacrm.adapters.app import wiring
from spacrm.core.services.bank_transfers import apply_bank_transfer

async def main():
    await wiring.start()
    try:
        out = await apply_bank_transfer(provider="sepay", provider_id=sys.argv[1], amount=777000,
            note="CK tien goi dau", account="0123456789",
            received_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC), raw={})
        print(out.review_id)
    finally:
        await wiring.stop()

asyncio.run(main())
"""


def test_payments_review_list_and_resolve(env: dict[str, str]) -> None:
    """A transfer with no order code (one-branch spas get it at that branch; the demo chain has
    three, so the board sees it) is listed by `payments review`, then ignored."""
    import subprocess
    import sys

    made = subprocess.run([sys.executable, "-c", _TRANSFER, "cli-review-1"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert made.returncode == 0, made.stderr[-2000:]
    review_id = int(made.stdout.strip().splitlines()[-1])
    listed = json.loads(run(env, "payments", "review", "--json").stdout)
    row = next(r for r in listed if r["id"] == review_id)
    assert (row["amount"], row["reason"], row["note"]) == (777_000, "no_code", "CK tien goi dau")
    assert "777.000" in run(env, "payments", "review").stdout
    # The Q1 front desk does not see a transfer of no branch; the seller may not resolve it.
    assert review_id not in [r["id"] for r in json.loads(
        run(env, "payments", "review", "--json", "--user", "lt_q1").stdout)]  # fmt: skip
    refused = run(env, "payments", "ignore", str(review_id), "--user", "st_q1a1")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert run(env, "payments", "ignore", str(review_id)).returncode == 0
    assert review_id not in [r["id"] for r in json.loads(
        run(env, "payments", "review", "--json").stdout)]  # fmt: skip
    ignored = json.loads(run(env, "payments", "review", "--json", "--status", "ignored").stdout)
    assert review_id in [r["id"] for r in ignored]
    bad = run(env, "vouchers", "add", "--user", "lt_q1", "--name", "x", "--amount", "100k",
              "--category", "food")  # fmt: skip
    assert bad.returncode == 2 and "category" in bad.stderr
    seller = run(env, "vouchers", "add", "--user", "st_q1a1", "--name", "Mua khăn",
                 "--amount", "100k")  # fmt: skip
    assert seller.returncode == 2 and "Traceback" not in seller.stderr
