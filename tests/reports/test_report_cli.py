"""`spacrm kpi add|list`, `spacrm report export` and charts in `spacrm chat --files`, as a user
runs them (real processes on a fresh demo database)."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from spacrm.core import clock
from tests.adapters.cli.test_cli import run
from tests.conftest import FreshData


def demo_month() -> date:
    """A month holding the demo's activities (done over the 20 days before it was seeded): the
    current one in Vietnam, except on its first day, when "this month" has hardly begun (these
    CLI runs use the real clock; a suite run after 17:00 UTC on the 30th found nothing)."""
    return clock.today() - timedelta(days=1)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, fresh_data: FreshData) -> dict[str, str]:
    data = fresh_data(tmp_path_factory.mktemp("reports-cli"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env = {**clean, "SPACRM_DATA_DIR": str(data)}
    assert run(env, "init", "--demo", "--no-history").returncode == 0  # counts from the bare chain
    return env


def test_kpi_add_and_list(env: dict[str, str]) -> None:
    out = run(env, "kpi", "add", "--name", "KPI tháng 11", "--start", "2026-11-01", "--end",
              "2026-11-30", "--team", "q1a", "--calls", "20", "--revenue", "10000000",
              "--commission-pct", "3")  # fmt: skip
    assert out.returncode == 0 and "saved" in out.stdout, out.stderr
    bad = run(env, "kpi", "add", "--name", "x", "--start", "2026-11-30", "--end", "2026-11-01",
              "--employee", "st_q1a1")  # fmt: skip
    assert (
        bad.returncode == 2 and "trước ngày bắt đầu" in bad.stderr and "Traceback" not in bad.stderr
    )
    neg = run(env, "kpi", "add", "--name", "x", "--start", "2026-11-01", "--end", "2026-11-30",
              "--employee", "st_q1a1", "--calls", "-1")  # fmt: skip
    assert neg.returncode == 2 and "không được âm" in neg.stderr
    listed = run(env, "kpi", "list").stdout
    assert (
        listed.count("KPI tháng 11") == 1 and "calls=20" in listed and "revenue=10000000" in listed
    )
    assert "KPI tháng 11" not in run(env, "kpi", "list", "--user", "st_q1b1").stdout


def test_report_export_file(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "detail.xlsx"
    period = demo_month().strftime("%Y-%m")
    out = run(env, "report", "export", "sales_activity_detail", "--period", period, "--out",
              str(target))  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "Thời gian" and f"{len(rows) - 1} rows" in out.stdout and len(rows) > 10
    mine = run(env, "report", "export", "leads", "--user", "st_q1a1", "--period", period,
               "--out", str(tmp_path / "l.xlsx"))  # fmt: skip
    everyone = run(env, "report", "export", "leads", "--period", period, "--out",
                   str(tmp_path / "all.xlsx"))  # fmt: skip
    assert int(mine.stdout.split()[-2]) < int(everyone.stdout.split()[-2])
    assert run(env, "report", "export", "pie_of_everything").returncode == 2  # not an export
    stock_out = run(env, "report", "export", "stock", "--out", str(tmp_path / "s.xlsx"))
    assert stock_out.returncode == 0, stock_out.stderr


def test_chat_saves_chart_images(env: dict[str, str], tmp_path: Path) -> None:
    month = f"tháng {demo_month().month}/{demo_month().year}"
    out = run(env, "chat", "--user", "bd_q1", "--files", str(tmp_path),
              stdin=f"biểu đồ khách tiềm năng theo nguồn {month}\ntổng quan tuần này\n"
                    f"xuất excel hoạt động bán hàng {month}\n")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "[hình ảnh:" in out.stdout and "[tệp:" in out.stdout, out.stdout
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == 2
    for png in pngs:
        assert Image.open(io.BytesIO(png.read_bytes())).size[0] == 1080
    assert list(tmp_path.glob("sales_activity_summary-*.xlsx"))


def test_profit_debts_and_usage_from_the_cli(env: dict[str, str], tmp_path: Path) -> None:
    chatted = run(env, "chat", "--user", "st_q1a1", stdin="tổng quan tuần này\ncông nợ\n")
    assert chatted.returncode == 0 and "Công nợ" in chatted.stdout, chatted.stdout
    usage = run(env, "report", "usage", "--user", "tl_q1a", "--out", str(tmp_path / "u.xlsx"))
    assert usage.returncode == 0, usage.stderr
    assert "Sử dụng CRM — Nhóm" in usage.stdout and "2 lượt chat" in usage.stdout, usage.stdout
    rows = list(openpyxl.load_workbook(tmp_path / "u.xlsx").active.iter_rows(values_only=True))
    assert rows[1][1] == 2  # the busiest first: st_q1a1's two turns
    debts = run(env, "report", "debts")
    assert debts.returncode == 0 and "Công nợ — Toàn chuỗi" in debts.stdout, debts.stderr
    profit = run(env, "report", "profit", "--period", "2099-01")
    assert profit.returncode == 2 and "chưa tới" in profit.stderr


def test_report_rebuild_rollup(env: dict[str, str]) -> None:
    """The roll-ups of an existing database recounted from its activities (run twice: same)."""
    first = run(env, "report", "rebuild-rollup")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("report roll-ups rebuilt: ")
    again = run(env, "report", "rebuild-rollup")
    assert again.stdout == first.stdout


def test_profit_by_opportunity(env: dict[str, str], tmp_path: Path) -> None:
    """`report profit --by opportunity` (#32): the chat's text per deal, the xlsx with --out."""
    sold = run(env, "chat", "--user", "st_q1b1",
               stdin="thêm khách chị Cơ Hội CLI 0912000333\n"
                     "bán gói triệt nách 10 buổi cho chị Cơ Hội CLI 0912000333 2tr5\n")  # fmt: skip
    assert sold.returncode == 0 and "Đã tạo đơn" in sold.stdout, sold.stdout
    target = tmp_path / "deals.xlsx"
    out = run(env, "report", "profit", "--by", "opportunity", "--user", "st_q1b1",
              "--out", str(target))  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Lợi nhuận theo cơ hội" in out.stdout and "Đơn chưa gắn cơ hội: 1 đơn" in out.stdout
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Cơ hội", "Giai đoạn cơ hội")
    assert rows[1][0] == "(Chưa gắn cơ hội)" and rows[1][5] == 2_500_000
    bad = run(env, "report", "profit", "--by", "team")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
