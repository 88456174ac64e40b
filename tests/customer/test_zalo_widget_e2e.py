"""Zalo OA and the website widget end to end, plus `spacrm ask --json` on the dev eval set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from spacrm.core.models import Conversation, CustomerChannel, ProcessedEvent, SentMessageRef
from tests.conftest import SHARED, FreshData
from tests.customer.conftest import KB_FILE, OA, STAFF_TG, World, eventually


def zalo_texts(w: World, user: str) -> list[str]:
    return [str(m.message.get("text", "")) for m in w.zalo.messages_to(user)]


async def wait_zalo(w: World, user: str, n: int) -> list[str]:
    async def check() -> list[str] | None:
        got = zalo_texts(w, user)
        return got if len(got) >= n else None

    return list(await eventually(check))


def mid() -> str:
    return uuid.uuid4().hex


async def test_zalo_answer_refresh_handoff_and_reply(world: World) -> None:
    user = "8001000000000000001"
    world.zalo.add_user(OA, user, display_name="Mai")
    world.zalo.expire_access_token(OA)  # the first send must refresh the token (-216) and retry
    assert (
        await world.zalo.deliver_text(
            world.zalo_hook, OA, user, "gia goi triet long nach 10 buoi", msg_id=mid()
        )
        == 200
    )
    got = await wait_zalo(world, user, 1)
    assert "1.500.000đ" in got[0]
    channel = await CustomerChannel.get(kind="zalo", external_id=OA)
    assert world.zalo.refresh_count == 1 and channel.refresh_token and channel.token_expires_at
    # Same msg id again: processed once.
    same = mid()
    await world.zalo.deliver_text(world.zalo_hook, OA, user, "chủ nhật có làm không ạ", msg_id=same)
    await world.zalo.deliver_text(world.zalo_hook, OA, user, "chủ nhật có làm không ạ", msg_id=same)
    await wait_zalo(world, user, 2)
    await world.zalo.deliver_sticker(world.zalo_hook, OA, user)
    got = await wait_zalo(world, user, 3)
    assert len(got) == 3 and "nhãn dán" in got[2]
    # Handoff to the OA's staff (st_q1a2), who answers with the "Trả lời" button.
    await world.zalo.deliver_text(
        world.zalo_hook, OA, user, "cho em gặp nhân viên tư vấn", msg_id=mid()
    )
    got = await wait_zalo(world, user, 4)
    assert "nhân viên" in got[3]
    staff_tg = STAFF_TG["st_q1a2"]
    note = await world.tg.wait_for_sent(
        lambda s: s.chat_id == staff_tg and "Zalo OA" in (s.text or "") and "Mai" in (s.text or ""),
        timeout=10,
    )
    reply_btn = next(data for label, data in note.buttons if label == "Trả lời")
    await world.tg.push_callback(staff_tg, str(reply_btn), note.message_id)
    await world.tg.wait_for_sent(
        lambda s: s.chat_id == staff_tg and "Nhập câu trả lời" in (s.text or ""), timeout=10
    )
    await world.tg.push_message(staff_tg, "Dạ em Hạnh đây, chị cần tư vấn gì ạ?")
    got = await wait_zalo(world, user, 5)
    assert got[4] == "Dạ em Hạnh đây, chị cần tư vấn gì ạ?"
    # "Đóng" closes the conversation.
    close_btn = next(data for label, data in note.buttons if label == "Đóng")
    await world.tg.push_callback(staff_tg, str(close_btn), note.message_id)
    await eventually(
        lambda: Conversation.filter(channel="zalo", customer_ref=user, state="closed").exists()
    )


async def test_zalo_bad_signature_and_unknown_oa(world: World) -> None:
    before = await ProcessedEvent.filter(source="zalo").count()
    payload = world.zalo.user_event(
        OA, "8001000000000000009", "user_send_text", {"msg_id": mid(), "text": "hi"}
    )
    raw = json.dumps(payload).encode()
    assert (
        await world.zalo.deliver_raw(
            world.zalo_hook, raw, {"X-ZEvent-Signature": "mac=" + "0" * 64}
        )
        == 403
    )
    assert await world.zalo.deliver_raw(world.zalo_hook, raw, {}) == 403
    other = dict(payload, recipient={"id": "999"})
    assert await world.zalo.deliver_raw(world.zalo_hook, json.dumps(other).encode(), {}) == 200
    assert await world.zalo.deliver_raw(world.zalo_hook, b"{not json", {}) == 200
    assert await ProcessedEvent.filter(source="zalo").count() == before


async def test_zalo_outside_window_tells_staff(world: World) -> None:
    user = "8001000000000000002"
    await world.zalo.deliver_text(
        world.zalo_hook, OA, user, "spa có bán vé máy bay không", msg_id=mid()
    )
    await wait_zalo(world, user, 1)
    staff_tg = STAFF_TG["st_q1a2"]
    note = await world.tg.wait_for_sent(
        lambda s: s.chat_id == staff_tg and "vé máy bay" in (s.text or ""), timeout=10
    )
    world.zalo.user_wrote(OA, user, at=0.0)  # the customer last wrote long ago
    await world.tg.push_message(staff_tg, "Chị ơi", reply_to_message_id=note.message_id)
    warn = await world.tg.wait_for_sent(
        lambda s: s.chat_id == staff_tg and "Chưa gửi được" in (s.text or ""), timeout=10
    )
    assert "Zalo" in (warn.text or "")
    assert len(zalo_texts(world, user)) == 1


async def test_widget_answer_handoff_and_poll(world: World) -> None:
    session = f"w-{mid()}"
    async with httpx.AsyncClient(base_url=world.base, timeout=10) as http:
        demo = await http.get("/widget/demo")
        assert demo.status_code == 200 and "/widget/widget.js" in demo.text
        js = await http.get("/widget/widget.js")
        assert js.status_code == 200 and "/api/widget/messages" in js.text
        r = await http.post(
            "/api/widget/messages", json={"session_id": session, "text": "spa ở đâu vậy"}
        )
        assert r.status_code == 200 and "Nguyễn Văn Bảo" in r.json()["replies"][0]["text"]
        r = await http.post("/api/widget/messages", json={"session_id": session, "text": ""})
        assert r.json()["replies"] and "hỗ trợ" in r.json()["replies"][0]["text"]
        assert (await http.post("/api/widget/messages", content=b"[1]")).status_code == 400
        r = await http.post(
            "/api/widget/messages", json={"session_id": session, "text": "x" * 20_000}
        )
        assert r.status_code == 200 and r.json()["replies"]
        # x*20000 is not answerable: handed off to a staff member on Telegram.
        conv = await Conversation.get(channel="widget", customer_ref=session)
        assert conv.state == "handoff" and conv.assignee_id is not None
        staff_tg = STAFF_TG[next(k for k, v in world.staff.items() if v == conv.assignee_id)]
        note = await world.tg.wait_for_sent(
            lambda s: s.chat_id == staff_tg and "Website" in (s.text or ""), timeout=10
        )
        await world.tg.push_message(
            staff_tg, "Dạ chị cần hỗ trợ gì ạ?", reply_to_message_id=note.message_id
        )

        async def poll() -> list[dict[str, object]]:
            data = (
                await http.get("/api/widget/messages", params={"session_id": session, "after": 0})
            ).json()
            return list(data["replies"])

        replies = await eventually(poll)
        assert replies[0]["text"] == "Dạ chị cần hỗ trợ gì ạ?"
        last = (
            await http.get("/api/widget/messages", params={"session_id": session, "after": 0})
        ).json()["last_id"]
        again = await http.get(
            "/api/widget/messages", params={"session_id": session, "after": last}
        )
        assert again.json()["replies"] == []


async def test_widget_reply_before_the_bot_learns_the_message_id(world: World) -> None:
    """Telegram shows the handoff to the staff member before our send call returns its
    message_id: a reply in that instant still reaches the customer (matched by the quoted text)."""
    session = f"w-{mid()}"
    world.tg.send_latency = 1.5
    async with httpx.AsyncClient(base_url=world.base, timeout=10) as http:
        r = await http.post(
            "/api/widget/messages", json={"session_id": session, "text": "cho em gặp nhân viên"}
        )
        assert "nhân viên" in r.json()["replies"][0]["text"]
        conv = await Conversation.get(channel="widget", customer_ref=session)
        staff_tg = STAFF_TG[next(k for k, v in world.staff.items() if v == conv.assignee_id)]
        note = await world.tg.wait_for_sent(
            lambda s: s.chat_id == staff_tg and "Website" in (s.text or ""), timeout=10
        )
        # The send is still in flight: nothing maps Telegram's message id to the conversation yet.
        assert not await SentMessageRef.filter(
            chat_id=str(staff_tg), message_id=str(note.message_id)
        ).exists()
        await world.tg.push_message(
            staff_tg, "Dạ em nghe đây ạ", reply_to_message_id=note.message_id
        )

        async def poll() -> list[dict[str, object]]:
            data = (
                await http.get("/api/widget/messages", params={"session_id": session, "after": 0})
            ).json()
            return list(data["replies"])

        replies = await eventually(poll)
        assert [r["text"] for r in replies] == ["Dạ em nghe đây ạ"]
    world.tg.send_latency = 0.0
    # Once the send returns, the id is remembered for later replies.
    await eventually(
        lambda: SentMessageRef.filter(
            chat_id=str(staff_tg), message_id=str(note.message_id), thread_ref=f"conv:{conv.id}"
        ).exists()
    )


def _cli(tmp_path: Path, fresh_data: FreshData) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`spacrm` in a subprocess with its own database (no SPACRM_* from the test session)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    env["SPACRM_DATA_DIR"] = str(fresh_data(tmp_path))
    cli = [
        sys.executable,
        "-c",
        "import sys; from spacrm.adapters.cli.main import main; sys.exit(main())",
    ]

    def run(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cli, *args], env=env, capture_output=True, text=True, check=False, **kw
        )

    assert run("init").returncode == 0
    return run


def _ask_all(
    run: Callable[..., subprocess.CompletedProcess[str]], questions: list[str]
) -> list[dict[str, Any]]:
    out = run("ask", "--json", input="\n".join(questions) + "\n")
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(answers) == len(questions)
    for ans in answers:
        assert ans["handoff"] is (ans["match"] is None)
        assert 0 <= ans["confidence"] <= 1 and ans["answer"]
    return answers


def test_ask_json_after_kb_import(tmp_path: Path, fresh_data: FreshData) -> None:
    """`spacrm kb import` then `spacrm ask --json` from stdin, on the bundled spa FAQ."""
    run = _cli(tmp_path, fresh_data)
    imported = run("kb", "import", str(KB_FILE))
    assert imported.returncode == 0 and "12" in imported.stdout
    cases = [
        ("mấy giờ spa mở cửa vậy", "gio-mo-cua"),
        ("gia goi triet long nach 10 buoi", "gia-triet-long-nach"),
        ("chuyen khoan duoc ko", "thanh-toan"),
        ("spa có bán vé máy bay không", None),
        # Two questions: both answered, as on every channel (knowledge.parts).
        ("cho hỏi có chỗ gửi xe ô tô ko, spa mở cửa tới mấy giờ", "gui-xe"),
        ("cho hỏi ngân hàng bên cạnh, mấy giờ mở cửa, có chỗ gửi xe ko", None),
    ]
    answers = _ask_all(run, [q for q, _ in cases])
    assert [a["match"] for a in answers] == [expect for _, expect in cases]
    assert "1.500.000đ" in answers[1]["answer"]
    assert "20h00" in answers[4]["answer"] and "bãi" in answers[4]["answer"]
    bad = run("kb", "import", str(tmp_path / "missing.csv"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    # The widget's staff are named like a page's; without them the command says what is missing.
    for args in (
        ("channel", "add", "widget"),
        ("channel", "add", "widget", "--assign-to", "nobody"),
    ):
        bad = run(*args)
        assert bad.returncode == 2 and bad.stderr.count("\n") == 1, bad.stderr
    assert "--assign-to" in run("channel", "add", "widget").stderr


def test_ask_json_dev_eval(tmp_path: Path, fresh_data: FreshData) -> None:
    """The team's shared dev set (../shared/eval), when this checkout has it beside it."""
    faq, questions = SHARED / "eval" / "kb_dev.csv", SHARED / "eval" / "kb_dev_questions.jsonl"
    if not (faq.exists() and questions.exists()):
        pytest.skip("../shared/eval is not present in this checkout")
    run = _cli(tmp_path, fresh_data)
    assert run("kb", "import", str(faq)).returncode == 0
    rows = [json.loads(line) for line in questions.read_text("utf-8").splitlines() if line.strip()]
    answers = _ask_all(run, [r["text"] for r in rows])
    # Issue 7's costs: never a wrong pair, never an off-topic answer; a hand-off of an answerable
    # question is a miss, not an error (the learned decision hands off "đang mang thai có
    # massage được ko", which the rules alone sent at confidence 0.37).
    right = 0
    for row, ans in zip(rows, answers, strict=True):
        assert ans["match"] in (row["expect"], None), (row, ans)
        assert row["expect"] is not None or ans["handoff"], (row, ans)
        right += ans["match"] == row["expect"]
    assert right >= len(rows) - 1, right
