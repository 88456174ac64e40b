"""`spacrm catalog`, `spacrm orders show`, `spacrm vouchers` as a user runs them (real processes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adapters.cli.test_cli import run


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    import os

    data = tmp_path_factory.mktemp("sales-cli")
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
