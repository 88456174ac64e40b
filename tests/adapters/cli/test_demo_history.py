"""`spacrm init --demo` writes six weeks of the chain's life through the staff services: the
ledgers it leaves must agree with each other as if staff had done the work (a real process on a
fresh database, read back with the standard library's sqlite3)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.adapters.cli.test_cli import run
from tests.conftest import FreshData


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, fresh_data: FreshData) -> sqlite3.Connection:
    data = fresh_data(tmp_path_factory.mktemp("demo-history"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env = {**clean, "SPACRM_DATA_DIR": str(data)}
    out = run(env, "init", "--demo")
    assert out.returncode == 0, out.stderr
    assert "6 tuần hoạt động mẫu" in out.stdout
    again = run(env, "init", "--demo")  # idempotent: nothing more is added
    assert again.returncode == 0 and "6 tuần" not in again.stdout
    return sqlite3.connect(Path(data) / "spacrm.sqlite3")


def one(db: sqlite3.Connection, sql: str) -> int:
    return int(db.execute(sql).fetchone()[0] or 0)


def test_orders_receipts_and_debts_agree(db: sqlite3.Connection) -> None:
    assert one(db, "SELECT COUNT(*) FROM sales_order") >= 30
    # Each order's paid amount is the sum of its receipts, never above its total, and some
    # customers still owe (the debts report has something to list).
    off = one(db, "SELECT COUNT(*) FROM sales_order o WHERE paid != (SELECT COALESCE(SUM(amount), "
                  "0) FROM voucher v WHERE v.order_id = o.id AND v.kind = 'receipt')")  # fmt: skip
    assert off == 0
    assert one(db, "SELECT COUNT(*) FROM sales_order WHERE paid > total") == 0
    assert one(db, "SELECT COUNT(*) FROM sales_order WHERE paid < total") > 0
    assert one(db, "SELECT COUNT(*) FROM voucher WHERE kind = 'payment'") > 0  # expenses
    # Gapless order numbers, as the numbering service hands them out.
    by_year: dict[str, list[int]] = {}
    for (number,) in db.execute("SELECT number FROM sales_order"):
        year, seq = number.rsplit("-", 1)
        by_year.setdefault(year, []).append(int(seq))
    for seqs in by_year.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_sessions_stock_and_commission_agree(db: sqlite3.Connection) -> None:
    done = one(db, "SELECT COUNT(*) FROM appointment WHERE status = 'done'")
    assert done > 0
    assert one(db, "SELECT COUNT(*) FROM commission") == done
    # Each course's used sessions are exactly its completed appointments.
    mismatched = one(db, "SELECT COUNT(*) FROM course c WHERE c.sessions_used != (SELECT COUNT(*) "
                         "FROM appointment a WHERE a.course_id = c.id AND a.status = 'done')")  # fmt: skip
    assert mismatched == 0
    assert one(db, "SELECT COUNT(*) FROM stock_move WHERE kind = 'session'") > 0
    # Today has appointments for the front desk's day and its timeline.
    upcoming = "SELECT COUNT(*) FROM appointment WHERE starts_at >= datetime('now', '-1 day')"
    assert one(db, upcoming) > 0
    assert one(db, "SELECT COUNT(*) FROM kpi_setting") >= 4
