"""`spacrm ask` and `spacrm kb suggest` with the real google-genai client talking to FakeGemini
over loopback. The CLI runs as a subprocess with its own database, so the fake keeps serving in
this test's event loop while it waits."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.conftest import FreshData
from tests.customer.conftest import KB_FILE
from tests.fakes.gemini import FakeGemini

KEY = "gemini-test-key"
NAIL = "gia-triet-long-nach"
TRAINED = "Dạ triệt lông nách 199.000đ/buổi, gói 10 buổi 1.500.000đ ạ."
QUESTION = "gia goi triet long nach 10 buoi"

Run = Callable[..., Awaitable[tuple[int, str, str]]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeGemini]:
    async with FakeGemini(api_key=KEY) as server:
        yield server


@pytest.fixture
async def cli(tmp_path: Path, fake: FakeGemini, fresh_data: FreshData) -> Run:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    base["SPACRM_DATA_DIR"] = str(fresh_data(tmp_path))
    code = "import sys; from spacrm.adapters.cli.main import main; sys.exit(main())"

    async def run(
        *args: str, stdin: str | None = None, gemini: bool = True, **env: str
    ) -> tuple[int, str, str]:
        full = dict(base, **env)
        if gemini:
            full |= {"SPACRM_GEMINI_API_KEY": KEY, "SPACRM_GEMINI_BASE_URL": fake.base_url}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, *args, env=full, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(stdin.encode() if stdin else None), 300)
        return proc.returncode or 0, out.decode(), err.decode()

    assert (await run("init", gemini=False))[0] == 0
    assert (await run("kb", "import", str(KB_FILE), gemini=False))[0] == 0
    return run


async def ask(cli: Run, question: str, **env: str) -> dict[str, object]:
    code, out, err = await cli("ask", "--json", question, **env)
    assert code == 0, err
    return dict(json.loads(out))


async def test_ask_answers_from_gemini_with_the_retrieved_qa(cli: Run, fake: FakeGemini) -> None:
    fake.queue_text("Dạ gói 10 buổi triệt lông nách là 1.500.000đ, chị muốn đặt lịch không ạ?")
    got = await ask(cli, QUESTION)
    assert (
        got["answer"] == "Dạ gói 10 buổi triệt lông nách là 1.500.000đ, chị muốn đặt lịch không ạ?"
    )
    assert got["match"] == NAIL and got["handoff"] is False
    sent = fake.requests[-1]
    assert sent.method == "generateContent" and sent.headers["x-goog-api-key"] == KEY
    assert (
        QUESTION in sent.prompt and f"Đáp: {TRAINED}" in sent.prompt
    )  # grounded on the retrieved pair
    assert "Chỉ dùng thông tin" in sent.system


async def test_gemini_inventing_a_price_is_not_sent(cli: Run, fake: FakeGemini) -> None:
    fake.queue_text("Dạ gói 10 buổi chỉ 990.000đ thôi ạ")
    got = await ask(cli, QUESTION)
    assert got["answer"] == TRAINED and got["match"] == NAIL


async def test_gemini_error_or_timeout_falls_back_to_the_trained_answer(
    cli: Run, fake: FakeGemini
) -> None:
    fake.queue_error(500, "internal")
    got = await ask(cli, QUESTION)
    assert (got["answer"], got["match"], got["handoff"]) == (TRAINED, NAIL, False)
    assert len(fake.answer_requests) == 1  # besides the structured pair confirmation
    fake.queue_text("Dạ quá trễ rồi ạ", delay=2)
    got = await ask(cli, QUESTION, SPACRM_GEMINI_TIMEOUT="0.5")
    assert (got["answer"], got["match"]) == (TRAINED, NAIL)
    assert len(fake.answer_requests) == 2  # Gemini was asked, and not waited for


async def test_off_topic_is_handed_off_without_asking_gemini(cli: Run, fake: FakeGemini) -> None:
    got = await ask(cli, "thời tiết mai thế nào")
    assert got["match"] is None and got["handoff"] is True
    # Embedded and shown for confirmation (issue 7), but no reply is worded from any pair.
    assert fake.answer_requests == []


async def test_kb_suggest_stores_gemini_phrasings_for_approval(cli: Run, fake: FakeGemini) -> None:
    fake.queue_text(
        "1. triệt nách bn tiền\n2. Triệt lông nách giá bao nhiêu?\n- giá triệt lông vùng nách\n3. triet long nach bao nhieu tien"
    )
    code, out, err = await cli("kb", "suggest", NAIL, "-n", "4")
    assert code == 0, err
    sent = fake.requests[-1]
    assert "Triệt lông nách giá bao nhiêu?" in sent.prompt and "4" in sent.prompt
    # The question itself is not suggested back; numbering and bullets are gone.
    assert (
        "triệt nách bn tiền" in out
        and "giá triệt lông vùng nách" in out
        and "triet long nach bao nhieu tien" in out
    )
    assert "Triệt lông nách giá bao nhiêu?" not in out

    code, out, _ = await cli("kb", "suggestions", gemini=False)
    lines = [line.split(None, 2) for line in out.splitlines()]
    assert [(qa, text) for _, qa, text in lines] == [
        (NAIL, "triệt nách bn tiền"), (NAIL, "giá triệt lông vùng nách"), (NAIL, "triet long nach bao nhieu tien"),
    ]  # fmt: skip
    ids = [number for number, _, _ in lines]

    # Not approved yet: the phrasing does not count for retrieval.
    before = await ask(cli, "giá triệt lông vùng nách", gemini=False)
    assert (await cli("kb", "approve", ids[1], gemini=False))[0] == 0
    assert (await cli("kb", "reject", ids[0], gemini=False))[0] == 0
    code, _, err = await cli("kb", "approve", ids[0], gemini=False)  # already decided
    assert code == 2 and err.count("\n") == 1
    after = await ask(cli, "giá triệt lông vùng nách", gemini=False)
    assert after["match"] == NAIL and float(str(after["confidence"])) > float(
        str(before["confidence"])
    )
    code, out, _ = await cli("kb", "suggestions", gemini=False)
    assert out.split()[0] == ids[2] and len(out.splitlines()) == 1

    # Asking again does not queue what is already known or waiting.
    fake.queue_text(
        "giá triệt lông vùng nách\ntriet long nach bao nhieu tien\nnách triệt bao nhiêu 1 lần"
    )
    code, out, _ = await cli("kb", "suggest", NAIL)
    assert code == 0 and "nách triệt bao nhiêu 1 lần" in out and "vùng nách" not in out


async def test_kb_suggest_errors_are_one_line(cli: Run, fake: FakeGemini) -> None:
    code, out, err = await cli("kb", "suggest", NAIL, gemini=False)
    assert code == 2 and out == "" and "SPACRM_GEMINI_API_KEY" in err and err.count("\n") == 1
    code, _, err = await cli("kb", "suggest", "no-such-pair")
    assert code == 2 and "no-such-pair" in err and err.count("\n") == 1
    fake.queue_error(503, "overloaded")
    code, _, err = await cli("kb", "suggest", NAIL)
    assert code == 2 and "thử lại sau" in err and err.count("\n") == 1
    listed = await cli("kb", "suggestions", gemini=False, SPACRM_LANG="en")
    assert listed[1].strip() == "No suggestions waiting."
