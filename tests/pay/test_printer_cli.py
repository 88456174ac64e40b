"""`spacrm printers …` and `spacrm-printer` as a new user runs them (real processes)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import FreshData

SPACRM = [sys.executable, "-m", "spacrm.adapters.cli.main"]
AGENT = [sys.executable, "-m", "spacrm.printer_agent"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, fresh_data: FreshData) -> dict[str, str]:
    data = fresh_data(tmp_path_factory.mktemp("printer-cli"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    return {**clean, "SPACRM_DATA_DIR": str(data)}


def run(
    env: dict[str, str], *args: str, cmd: list[str] = SPACRM
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cmd, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_printers_add_list_remove(env: dict[str, str]) -> None:
    assert run(env, "init", "--demo").returncode == 0
    added = run(env, "printers", "add", "quay-q1", "--branch", "q1", "--paper", "k57")
    assert added.returncode == 0, added.stderr
    assert "Token (shown once): prn_" in added.stdout
    listed = run(env, "printers", "list")
    assert "quay-q1" in listed.stdout and "k57" in listed.stdout and "q1" in listed.stdout
    dup = run(env, "printers", "add", "quay-q1")
    assert dup.returncode == 2 and "Traceback" not in dup.stderr and dup.stderr.count("\n") == 1
    bad_branch = run(env, "printers", "add", "quay-x", "--branch", "nowhere")
    assert bad_branch.returncode == 2 and "Traceback" not in bad_branch.stderr
    bad_paper = run(env, "printers", "add", "quay-y", "--paper", "a4")
    assert bad_paper.returncode == 2
    assert run(env, "printers", "remove", "quay-q1").returncode == 0
    assert "quay-q1" not in run(env, "printers", "list").stdout
    gone = run(env, "printers", "remove", "quay-q1")
    assert gone.returncode == 2 and "Traceback" not in gone.stderr
    assert run(env, "printers", "retry", "999999").returncode == 2


def test_agent_command_line(env: dict[str, str]) -> None:
    missing = run(env, cmd=AGENT)
    assert missing.returncode == 2 and "--token" in missing.stderr
    unreachable = run(
        env,
        "--server",
        "http://127.0.0.1:9",
        "--token",
        "x",
        "--printer",
        "file:/tmp/x",
        "--once",
        cmd=AGENT,
    )
    assert unreachable.returncode == 1 and "Traceback" not in unreachable.stderr
    bad_target = run(env, "--help", cmd=AGENT)
    assert bad_target.returncode == 0 and "network:HOST" in bad_target.stdout
