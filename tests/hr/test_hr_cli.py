"""`spacrm salary set`, `spacrm pay add`, `spacrm payroll run|show|export|lock` as a user runs
them (real processes on a fresh demo database)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.adapters.cli.test_cli import run
from tests.conftest import FreshData


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, fresh_data: FreshData) -> dict[str, str]:
    data = fresh_data(tmp_path_factory.mktemp("hr-cli"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env = {**clean, "SPACRM_DATA_DIR": str(data)}
    assert run(env, "init", "--demo").returncode == 0
    return env


def test_payroll_commands(env: dict[str, str], tmp_path: Path) -> None:
    out = run(env, "salary", "set", "st_q1a1", "--base", "9100000", "--allowance", "500000",
              "--standard-days", "26")  # fmt: skip
    assert out.returncode == 0 and "9.100.000" in out.stdout, out.stderr
    assert run(env, "pay", "add", "st_q1a1", "--month", "2026-11", "--kind", "advance",
               "--amount", "2000000").returncode == 0  # fmt: skip
    out = run(env, "payroll", "run", "--month", "2026-11")
    assert out.returncode == 0 and "25 payslips" in out.stdout, out.stderr
    assert "25/25" in out.stderr  # the progress bar
    out = run(env, "payroll", "show", "st_q1a1", "--month", "2026-11")
    assert out.returncode == 0, out.stderr
    assert "9.100.000" in out.stdout and "-2.000.000" in out.stdout
    assert "7.600.000" in out.stdout  # 9.100.000 + 500.000 − 2.000.000
    xlsx = tmp_path / "luong.xlsx"
    assert run(env, "payroll", "export", "--month", "2026-11", "--out", str(xlsx)).returncode == 0
    rows = list(load_workbook(xlsx).active.values)
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    assert len(body) == 25
    assert body["st_q1a1"][header.index("net")] == 7_600_000
    assert body["st_q1a1"][header.index("advance")] == -2_000_000
    assert run(env, "payroll", "lock", "--month", "2026-11").returncode == 0
    out = run(env, "payroll", "run", "--month", "2026-11")
    assert out.returncode == 2 and "Bảng lương tháng 11/2026 đã khoá" in out.stderr
    out = run(env, "salary", "set", "st_q1a1", "--base", "0")
    assert out.returncode == 2 and "Số tiền “0” chưa hợp lệ" in out.stderr
    out = run(env, "payroll", "run", "--month", "2026-12", "--user", "tl_q1a")
    assert out.returncode == 2 and "quyền" in out.stderr
