"""`spacrm kb import | test | unanswered | teach | dismiss` as a spa owner runs them: real processes,
a fresh data directory, Vietnamese messages by default and English with SPACRM_LANG=en."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FreshData

# Like the installed `spacrm` script (with `-m` the module would be __main__, a second copy).
SPACRM = [
    sys.executable,
    "-c",
    "import sys; from spacrm.adapters.cli.main import main; sys.exit(main())",
]
SEED = """
import asyncio
from spacrm.adapters.app import wiring
from spacrm.core.services import kb_training

async def main():
    await wiring.start()
    try:
        for text in ["cho e xin pass wifi", "pass wifi la gi", "co ban son moi ko"]:
            await kb_training.note_unanswered(text, handed_off=True, confidence=0.1, channel="zalo")
    finally:
        await wiring.stop()

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, fresh_data: FreshData) -> dict[str, str]:
    data = fresh_data(tmp_path_factory.mktemp("kb-cli"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    return {**clean, "SPACRM_DATA_DIR": str(data)}


def run(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SPACRM, *args], env={**env, **extra}, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def test_semicolon_csv_test_file_and_training(env: dict[str, str], tmp_path: Path) -> None:
    assert run(env, "init").returncode == 0
    faq = tmp_path / "faq.csv"
    # Excel in a Vietnamese locale saves "CSV" with semicolons.
    faq.write_text(
        "id;question;answer;variants\n"
        "gio;Spa mở cửa mấy giờ?;Dạ spa mở cửa 9h–21h mỗi ngày ạ.;Giờ làm việc\n"
        "dia-chi;Spa ở đâu?;Dạ spa ở 12 Lê Lợi, quận 1 ạ.;\n"
        "gui-xe;Có chỗ gửi xe không?;Dạ có, xe máy giữ miễn phí ngay trước cửa spa ạ.;\n",
        encoding="utf-8",
    )
    imported = run(env, "kb", "import", str(faq))
    assert imported.returncode == 0, imported.stderr
    assert "Đã nhập 3 cặp hỏi–đáp (3 mới, 0 cập nhật)." in imported.stdout

    cases = tmp_path / "cases.txt"
    cases.write_text(
        "# question | expected id (- = must hand off)\n"
        "spa mo cua may h | gio\n"
        "dia chi o dau a | dia-chi\n"
        "gui xe may o dau | gui-xe\n"
        "ngân hàng mấy giờ mở cửa | -\n"
        "cho gặp quản lý |\n",
        encoding="utf-8",
    )
    tested = run(env, "kb", "test", str(cases))
    assert tested.returncode == 0, tested.stderr
    assert "Trả lời đúng:        3/3 (100.0%)" in tested.stdout
    assert "Trả lời SAI cặp:     0 (0.0%)" in tested.stdout
    assert "Chuyển nhân viên đúng: 2/2 (100.0%)" in tested.stdout
    english = run(env, "kb", "test", str(cases), SPACRM_LANG="en")
    assert "Answered right:      3/3 (100.0%)" in english.stdout

    seeded = subprocess.run([sys.executable, "-c", SEED], env=env, capture_output=True,
                            text=True, timeout=120, check=False)  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    listed = run(env, "kb", "unanswered")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].strip().startswith("2×  [1,2]  cho e xin pass wifi")
    assert any("1×  [3]  co ban son moi ko" in line for line in lines)

    taught = run(
        env, "kb", "teach", "1,2", "--id", "wifi", "--answer", "Dạ mật khẩu wifi là lotus2024 ạ."
    )
    assert taught.returncode == 0, taught.stderr
    assert "Đã tạo cặp hỏi–đáp wifi từ 2 câu hỏi của khách." in taught.stdout
    asked = run(env, "ask", "pass wifi la gi vay")
    assert "lotus2024" in asked.stdout
    wrong = run(env, "kb", "teach", "3", "--to", "khong-co")
    assert (
        wrong.returncode == 2
        and "Không tìm thấy câu hỏi đang chờ 3 hoặc cặp khong-co." in wrong.stderr
    )
    assert "1 câu hỏi" in run(env, "kb", "dismiss", "3").stdout
    assert "Không có câu hỏi nào đang chờ" in run(env, "kb", "unanswered").stdout


def test_bad_files_are_explained_in_vietnamese(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init")
    missing = run(env, "kb", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "Không tìm thấy tệp" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id;question\na;Q?\n", encoding="utf-8")
    wrong = run(env, "kb", "import", str(bad))
    assert wrong.returncode == 2 and "thiếu cột answer" in wrong.stderr
    cases = tmp_path / "bad.txt"
    cases.write_text("chỉ có câu hỏi\n", encoding="utf-8")
    assert run(env, "kb", "test", str(cases)).returncode == 2
