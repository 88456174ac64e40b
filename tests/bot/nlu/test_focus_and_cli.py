"""`focus_ref`: the message points at the customer on screen by a pronoun or a demonstrative,
which the engine needs to tell "refers to the open card" from "names nobody" (issue 6). And
`spacrm nlu` answers every line with one JSON object, whatever bytes it is given."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from spacrm.bot.nlu import NluResult, parse

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "text",
    [
        "chị ấy ngừng chăm sóc rồi",
        "đã gọi anh ấy, hẹn mai",
        "em ấy đặt lịch massage 15h thứ 7",
        "chuyển khách này sang đã đặt lịch",
        "kh này chuyển khoản 1tr5",
        "khách đó không đến",
        "bạn ấy tới rồi",
        "ghi chú người này: thích trà gừng",
        "chị này hẹn thứ 6 gọi lại",
        "chi ay ck 500k",
    ],
)
def test_pronoun_or_demonstrative_sets_focus_ref(text: str) -> None:
    result = parse(text, now=NOW)
    assert result.focus_ref, result
    assert "customer" not in result.slots


@pytest.mark.parametrize(
    "text",
    [
        "chuyển chị Lan sang đã đặt lịch",
        "đã gọi, khách hẹn mai",  # names nobody, points at nobody: the engine asks
        "hôm nay có lịch hẹn nào",
        "tổng quan tuần này",
        "Hồ Kim Hằng đặt lịch massage 10h thứ 7",
    ],
)
def test_no_reference_leaves_focus_ref_false(text: str) -> None:
    assert not parse(text, now=NOW).focus_ref


def test_focus_ref_is_not_part_of_the_printed_contract() -> None:
    result = parse("chị ấy ngừng chăm sóc rồi", now=NOW)
    assert json.loads(result.to_json()) == {"intent": "move_lead", "slots": {"stage": "dead"}}
    assert NluResult("help") == NluResult("help", {}, focus_ref=False)  # old callers unchanged


def _nlu(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "spacrm.adapters.cli.main",
            "nlu",
            "--now",
            "2026-11-25T10:00",
            *args,
        ],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def _random_line(rng: random.Random) -> str:
    pools = [
        (0x20, 0x7E),  # ASCII
        (0xC0, 0x1EF9),  # Latin with Vietnamese letters
        (0x300, 0x36F),  # lone combining marks
        (0x4E00, 0x4FFF),  # CJK
        (0x1F300, 0x1F64F),  # emoji
        (0x200B, 0x202E),  # zero-width and bidi controls
    ]
    chars = []
    for _ in range(rng.randint(0, 80)):
        lo, hi = rng.choice(pools)
        chars.append(chr(rng.randint(lo, hi)))
    words = ["đặt lịch", "chị", "Lan", "0912345678", "1tr5", "ck", "?", "mai", "hủy", "HD2026-"]
    return "".join(chars) + " " + " ".join(rng.choices(words, k=rng.randint(0, 6)))


def test_spacrm_nlu_never_crashes_on_random_input() -> None:
    rng = random.Random(20261125)
    lines = [_random_line(rng).replace("\n", " ").replace("\r", " ") for _ in range(400)]
    payload = "\n".join(lines).encode("utf-8") + b"\n\xff\xfe broken utf-8 \xc3\n\x00\n"
    done = _nlu(stdin=payload)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines) + 2
    assert all(set(x) == {"intent", "slots"} and isinstance(x["slots"], dict) for x in out)


def test_spacrm_nlu_argument_with_undecodable_bytes() -> None:
    done = _nlu(os.fsdecode(b"\xff\xfe \xd0 ch\xe1\xbb\x8b Lan"))
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert set(json.loads(done.stdout)) == {"intent", "slots"}
