"""`spacrm stock …`, `spacrm appointments list` and booking in `spacrm chat`, as a user runs them
(real processes on a fresh demo database)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta

import pytest

from spacrm.core import clock
from tests.adapters.cli.test_cli import run
from tests.conftest import FreshData, new_phone


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, fresh_data: FreshData) -> dict[str, str]:
    data = fresh_data(tmp_path_factory.mktemp("booking-cli"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env = {**clean, "SPACRM_DATA_DIR": str(data)}
    assert run(env, "init", "--demo", "--no-history").returncode == 0  # counts from the bare chain
    return env


def _on_hand(env: dict[str, str], product: str) -> dict[str, float]:
    out = run(env, "stock", "show", product, "--json")
    assert out.returncode == 0, out.stderr
    return {row["branch"]: row["quantity"] for row in json.loads(out.stdout)}


def test_stock_commands(env: dict[str, str]) -> None:
    assert _on_hand(env, "VT13") == {"Quận 1": 5000, "Gò Vấp": 5000, "Hà Đông": 5000}
    out = run(env, "stock", "in", "serum vitamin c", "20", "--branch", "q1", "--cost", "420000")
    assert out.returncode == 0 and "40 chai" in out.stdout, out.stderr
    out = run(env, "stock", "issue", "SP03", "100", "--branch", "q1", "--reason", "vỡ")
    assert out.returncode == 2 and "Kho không đủ Serum vitamin C 30ml: còn 40" in out.stderr
    out = run(env, "stock", "transfer", "SP03", "5", "--from", "q1", "--to", "q1")
    assert out.returncode == 2 and "là một" in out.stderr
    assert run(env, "stock", "transfer", "SP03", "5", "--from", "q1", "--to", "gv").returncode == 0
    out = run(env, "stock", "adjust", "SP03", "33", "--branch", "q1")
    assert out.returncode == 0 and "33 chai" in out.stdout
    assert _on_hand(env, "SP03") == {"Quận 1": 33, "Gò Vấp": 25, "Hà Đông": 20}
    out = run(env, "stock", "show", "không có món này")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_front_desk_books_in_the_terminal(env: dict[str, str]) -> None:
    phone = new_phone()
    # Vietnam's real day, as the CLI reads "mai" (this folder's clock is frozen in-process)
    tomorrow = datetime.now(clock.TZ).date() + timedelta(days=1)
    chat = run(env, "chat", "--user", "lt_q1", stdin=(
        f"thêm khách chị Diệu {phone}\n"
        f"đặt lịch chị Diệu {phone} massage body 15h ngày mai ktv Hoa\n"
        f"lịch ktv Hoa ngày mai\n"
    ))  # fmt: skip
    assert chat.returncode == 0, chat.stderr
    assert "Đã đặt lịch cho Diệu" in chat.stdout and "15:00–16:00" in chat.stdout, chat.stdout
    listed = run(env, "appointments", "list", "--date", tomorrow.isoformat(), "--json")
    rows = [r for r in json.loads(listed.stdout) if r["customer"] == "Diệu"]
    assert [(r["start"][11:16], r["technician"], r["status"]) for r in rows] == [
        ("15:00", "Hoa", "booked")
    ]
