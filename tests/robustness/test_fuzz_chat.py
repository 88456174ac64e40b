"""10,000 fuzzed chat lines and forged button presses through the staff engine (with the
customer-handoff hook, as every staff channel runs it): 0 crashes (issue 13 #10).

A crash is an exception escaping the engine or its "unexpected error" answer (the engine turns
any exception into that reply, so it is what the user would see). Fixed seed: a failure is
reproducible with the printed line. SPACRM_FUZZ_LINES changes the count (10,000 by default).
"""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.bot.engine import Engine
from spacrm.core.actors import Actor
from spacrm.core.models import User
from spacrm.intents.chat import ChatEvent
from spacrm.intents.staff.buttons import HANDLERS
from spacrm.intents.texts import t
from tests.conftest import FreshData

ROOT = Path(__file__).resolve().parents[2]
LINES = int(os.environ.get("SPACRM_FUZZ_LINES", "10000"))
SEED = 20261130

# Phone numbers and emails only the fuzz uses: the leads it creates share the test database.
PHRASES = [
    "thêm khách chị Lan 0339100001",
    "thêm khách anh Minh 03xx100004 email fuzz-minh@example.com",
    "xem khách Lan",
    "xem khách 678",
    "xem khách 0339100003",
    "tra cứu mst 0314409058",
    "mã số thuế 0101234567",
    "chuyển chị Lan sang đang chăm sóc",
    "chuyển khách sang đã đặt lịch",
    "đã gọi chị Yến, hẹn thứ 6",
    "hẹn gọi lại chị Lan lúc 3h chiều mai",
    "tổng quan",
    "danh sách khách",
    "khách của tôi",
    "khách đang chăm sóc",
    "vụ việc của nhóm",
    "tạo vụ việc chị Thu Hà 0339100002 phàn nàn da bị kích ứng",
    "hướng dẫn",
    "1",
    "2",
    "3",
    "hủy",
    "/start",
    "/help",
    "/lang en",
    "/lang vi",
    "/lang xx",
    "/leads",
    "alo alo",
    "chuyen khoan1tr5",
    "đặt lịch cho bạn Kim 9h sáng mai",
    "khách này đang chăm sóc hay đặt lịch rồi?",
    "xem lich su cham soc chi Vy",
    "ghi chú: khách thích trà gừng",
    "ngày 31/2",
    "25/13/2026",
    "hẹn ngày 99/99",
    "lúc 25h",
    "giá trị 12tr",
    "doanh thu tháng 13",
    "tuần 60 năm 2026",
]
HOSTILE = [
    "\x00",
    "\ud800",
    "\udfff",
    "²",
    "³",
    "¹",
    "١٢٣",
    "߀",
    "𝟗",
    "½",
    "⑤",
    "Ⅻ",
    "\u200b",
    "\u202e",
    "\u0301",
    "🙂",
    "👨‍👩‍👧",
    "\t",
    "\n",
    "\r",
    "'",
    '"',
    "%s",
    "{0}",
    "{name}",
    "\\",
    ";--",
    "9" * 4400,
    "1" * 20,
    "-1",
    "0",
    "1e309",
    "NaN",
    "0x1F",
    "09" * 8,
    "+84 " + "9" * 30,
]
PENDING = ["pk", "kd", "dt"]
HANDOFF = ["hr", "hc", "hb"]
ARGS = ["1", "0", "-1", "²", "١", "9" * 4400, "99999999999", "2147483648", "", "abc",
        "\x00", "\ud800", "booked", "dead", "1:2:3", "1:booked:1", "1:booked:²"]  # fmt: skip


def _line(rng: random.Random) -> str:
    base = rng.choice(PHRASES)
    for _ in range(rng.randint(0, 4)):
        pos = rng.randint(0, len(base))
        base = base[:pos] + rng.choice(HOSTILE) + base[pos:]
    if rng.random() < 0.05:
        base = rng.choice(HOSTILE) * rng.randint(1, 50)
    return base


def _payload(rng: random.Random) -> str:
    prefix = rng.choice([*HANDLERS, *PENDING, *HANDOFF, "zz", "", "cancel"])
    args = ":".join(rng.choice(ARGS) for _ in range(rng.randint(0, 3)))
    return f"{prefix}:{args}"[:300]


@pytest.mark.slow
async def test_fuzzed_lines_never_crash_the_engine(
    personas: dict[str, Actor], caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(SEED)
    engine = Engine()
    engine.before = CustomerEngine().staff_hook
    # The fuzz types "/lang en": the demo users' languages are put back afterwards, so other
    # tests (sharing the database) still talk to them in Vietnamese.
    actors = [personas[p] for p in ("st_q1a1", "tl_q1a", "bd_q1", "ceo")]
    langs = {a.user_id: a.lang for a in actors}
    unexpected = {t(lang, "err.unexpected", ref="")[:30] for lang in ("vi", "en")}
    crashes: list[str] = []
    caplog.set_level(logging.ERROR, logger="spacrm")
    for i in range(LINES):
        actor = actors[i % len(actors)]
        press = rng.random() < 0.3
        text, payload = (None, _payload(rng)) if press else (_line(rng), None)
        event = ChatEvent(
            channel="fuzz", external_user_id=actor.login, chat_id=f"fuzz-{actor.login}",
            text=text, payload=payload, event_id=f"fuzz-{SEED}-{i}",
        )  # fmt: skip
        try:
            replies = await engine.handle(event, actor=actor)
        except Exception as exc:  # the engine must never let one out
            crashes.append(f"{i}: {payload or text!r}: {exc!r}")
            continue
        if any(r.text.startswith(u) for r in replies for u in unexpected):
            crashes.append(f"{i}: {payload or text!r}")
    for user_id, lang in langs.items():
        await User.filter(id=user_id).update(lang=lang)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not crashes, f"{len(crashes)} crashes of {LINES}:\n" + "\n".join(crashes[:20])
    assert not errors, errors[:5]


CUSTOMER_LINES = int(os.environ.get("SPACRM_FUZZ_CUSTOMER_LINES", "1500"))


@pytest.mark.slow
async def test_fuzzed_customer_messages_never_crash_the_customer_bot(
    personas: dict[str, Actor], caplog: pytest.LogCaptureFixture
) -> None:
    """The customer side (widget, Facebook, Zalo share CustomerEngine.handle)."""
    assert personas
    rng = random.Random(SEED + 1)
    engine = CustomerEngine()
    caplog.set_level(logging.ERROR, logger="spacrm")
    for i in range(CUSTOMER_LINES):
        session = f"fuzz-{SEED}-{i % 37}"
        event = ChatEvent(
            channel=rng.choice(["widget", "facebook", "zalo"]), external_user_id=session,
            chat_id=session, text=_line(rng), account_ref=rng.choice(["web", "p1", "\ud800"]),
            display_name=rng.choice([None, "Lan", "N" * 5000, "\x00Hoa\udfff"]),
        )  # fmt: skip
        replies = await engine.handle(event)
        assert isinstance(replies, list)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[:5]


TERMINAL_LINES = int(os.environ.get("SPACRM_FUZZ_TERMINAL_LINES", "1500"))


@pytest.mark.slow
def test_fuzzed_lines_into_spacrm_chat(tmp_path: Path, fresh_data: FreshData) -> None:
    """`spacrm chat` as a user runs it, fed fuzzed lines (with bytes that are not UTF-8, and
    numbers typed as button choices): exit 0, no traceback, no "unexpected error"."""
    rng = random.Random(SEED + 2)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env.update(SPACRM_DATA_DIR=str(fresh_data(tmp_path)), PYTHONPATH=str(ROOT))
    cli = [sys.executable, "-m", "spacrm.adapters.cli.main"]
    init = subprocess.run([*cli, "init", "--demo"], env=env, capture_output=True, timeout=120)
    assert init.returncode == 0, init.stderr
    lines: list[bytes] = []
    for _ in range(TERMINAL_LINES):
        roll = rng.random()
        if roll < 0.15:
            line = rng.choice(["1", "2", "²", "١", "9" * 4400, "0", "-1", "99"])
        else:
            line = _line(rng).replace("\n", " ").replace("\r", " ")
        data = line.encode("utf-8", "surrogatepass")
        if rng.random() < 0.03:
            data += b"\xff\xfe\xc3"  # not UTF-8
        lines.append(data)
    out = subprocess.run(
        [*cli, "chat", "--user", "st_q1a1"], env=env, input=b"\n".join(lines) + b"\n",
        capture_output=True, timeout=900,
    )  # fmt: skip
    stdout = out.stdout.decode("utf-8", "replace")
    stderr = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert not any(t(lang, "err.unexpected", ref="")[:30] in stdout for lang in ("vi", "en"))
