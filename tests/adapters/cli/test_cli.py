"""The `spacrm` command as a new user runs it: real processes, a fresh data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SPACRM = [sys.executable, "-m", "spacrm.adapters.cli.main"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("cli-data")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    return {**clean, "SPACRM_DATA_DIR": str(data)}


def run(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SPACRM, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_init_demo_is_idempotent(env: dict[str, str]) -> None:
    first = run(env, "init", "--demo")
    assert first.returncode == 0, first.stderr
    assert (
        "Lotus Spa" in first.stdout and (Path(env["SPACRM_DATA_DIR"]) / "spacrm.sqlite3").exists()
    )
    second = run(env, "init", "--demo")
    assert second.returncode == 0 and "không thay đổi gì" in second.stdout
    english = run({**env, "SPACRM_LANG": "en"}, "init", "--demo")
    assert "nothing changed" in english.stdout
    users = run(env, "users", "list").stdout
    for login in ["ceo", "admin", "rm_nam", "bd_q1", "tl_q1a", "st_q1a1", "st_q1a2", "tl_q1b", "st_q1b1",
                  "bd_gv", "tl_gva", "st_gva1", "rm_bac", "bd_hd", "tl_hda", "st_hda1"]:  # fmt: skip
        assert f"{login}@lotus.example" in users


def test_demo_answers_customers_out_of_the_box(env: dict[str, str]) -> None:
    run(env, "init", "--demo")
    asked = run(env, "ask", "--json", "triệt nách bn tiền")
    answer = json.loads(asked.stdout)
    assert answer["match"] == "gia-triet-nach" and "2.500.000" in answer["answer"]
    # A spa's own training is never overwritten by a later `init --demo`.
    run(env, "kb", "remove", "wifi")
    run(env, "init", "--demo")
    assert "wifi" not in run(env, "kb", "list").stdout


def test_users_commands(env: dict[str, str]) -> None:
    run(env, "init", "--demo")
    added = run(
        env,
        "users",
        "add",
        "st_q1a3",
        "--email",
        "st_q1a3@lotus.example",
        "--name",
        "Lâm Thị Bích",
        "--role",
        "staff",
        "--team",
        "q1a",
    )
    assert added.returncode == 0, added.stderr
    again = run(
        env,
        "users",
        "add",
        "st_q1a3",
        "--email",
        "x@lotus.example",
        "--name",
        "X",
        "--role",
        "staff",
    )
    assert (
        again.returncode == 2 and "đã tồn tại" in again.stderr and "Traceback" not in again.stderr
    )
    bad_team = run(
        env,
        "users",
        "add",
        "zz",
        "--email",
        "zz@lotus.example",
        "--name",
        "Z",
        "--role",
        "staff",
        "--team",
        "nope",
    )
    assert bad_team.returncode == 2 and "Traceback" not in bad_team.stderr
    assert run(env, "users", "set-role", "st_q1a3", "team_lead").returncode == 0
    assert run(env, "users", "deactivate", "st_q1a3").returncode == 0
    listing = run(env, "users", "list").stdout
    assert "st_q1a3" in listing and "Trưởng nhóm" in listing and "[đã khóa]" in listing
    english = run({**env, "SPACRM_LANG": "en"}, "users", "list").stdout
    assert "Team lead" in english and "[inactive]" in english
    unknown = run(env, "chat", "--user", "nobody")
    assert (
        unknown.returncode == 2 and "nobody" in unknown.stderr and "Traceback" not in unknown.stderr
    )


def test_nlu_one_and_many(env: dict[str, str]) -> None:
    one = run(
        env, "nlu", "--now", "2026-11-25T10:00", "đã gọi chị Lan 0912 345 678, hẹn thứ 6 qua spa"
    )
    assert json.loads(one.stdout) == {
        "intent": "log_activity",
        "slots": {
            "kind": "call",
            "customer": "Lan",
            "phone": "0912345678",
            "next_date": "2026-11-27",
        },
    }
    many = run(env, "nlu", "--now", "2026-11-25T10:00", stdin="xem khách 0912345678\nhướng dẫn\n")
    lines = [json.loads(x) for x in many.stdout.splitlines()]
    assert [x["intent"] for x in lines] == ["show_customer", "help"]
    bad = run(env, "nlu", "--now", "yesterday", "x")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_terminal_chat_script(env: dict[str, str]) -> None:
    run(env, "init", "--demo")
    script = "\n".join([
        "thêm khách chị Hồng 0977 111 333 quan tâm nối mi",
        "1",  # the first button under the card: move to the next stage
        "xem khách 333",
        "hướng dẫn",
    ]) + "\n"  # fmt: skip
    out = run(env, "chat", "--user", "st_q1a1", stdin=script)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Đã thêm khách tiềm năng Hồng" in text and "0977 111 333" in text
    assert "[1]" in text and "Đã chuyển Hồng sang" in text
    assert text.count("👤 Hồng") >= 3
    assert "Mình là trợ lý CRM" in text


def test_outbox_commands(env: dict[str, str]) -> None:
    import sqlite3

    run(env, "init", "--demo")
    db = sqlite3.connect(Path(env["SPACRM_DATA_DIR"]) / "spacrm.sqlite3")
    db.execute(
        "INSERT INTO outbox_message (channel, chat_id, payload, status, attempts, next_attempt_at, last_error, created_at)"
        " VALUES ('telegram', '42', '{\"text\": \"Xin chào\"}', 'failed', 3, '2026-11-25 00:00:00+00:00',"
        " 'Forbidden: bot was blocked by the user', '2026-11-25 00:00:00+00:00')"
    )
    # A link-code email that could not be sent: the code is still live and must not be printed.
    db.execute(
        "INSERT INTO outbox_message (channel, chat_id, payload, status, attempts, next_attempt_at, last_error, created_at)"
        ' VALUES (\'email\', \'a@lotus.example\', \'{"subject": "Mã", "text": "Mã của bạn: 482913"}\','
        " 'failed', 3, '2026-11-25 00:00:00+00:00', 'SMTP 550 for code 482913', '2026-11-25 00:00:00+00:00')"
    )
    db.commit()
    db.close()
    assert "lỗi 2" in run(env, "outbox", "status").stdout
    listed = run(env, "outbox", "failed").stdout
    assert "blocked" in listed and "Xin chào" in listed and "Mã của bạn" in listed
    assert "482913" not in listed
    assert "failed 2" in run({**env, "SPACRM_LANG": "en"}, "outbox", "status").stdout
    assert "Đã xếp lại 2" in run(env, "outbox", "retry").stdout
    status = run(env, "outbox", "status").stdout
    assert "lỗi 0" in status and "Đang chờ gửi 2" in status
