"""FacebookClient against the fake Graph over loopback."""

from __future__ import annotations

import httpx
import pytest

from spacrm.adapters.facebook.client import FacebookClient, FacebookSendError
from tests.adapters.facebook.conftest import PAGE_ID, PAGE_TOKEN, PSID
from tests.fakes.facebook import FakeGraph

HOUR = 3600.0


async def test_send_text_ok_records_exact_request(graph: FakeGraph, fb: FacebookClient) -> None:
    graph.user_wrote(PAGE_ID, PSID)
    mid = await fb.send_text(PAGE_ID, PAGE_TOKEN, PSID, "Chào chị, spa mở cửa 9h ạ")

    assert mid == graph.sent[-1].message_id
    req = graph.requests[-1]
    assert req.path == f"/v25.0/{PAGE_ID}/messages"
    assert req.query["access_token"] == PAGE_TOKEN
    assert req.body == {
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "Chào chị, spa mở cửa 9h ạ"},
    }


async def test_outside_24h_window_is_refused_and_flagged(
    graph: FakeGraph, fb: FacebookClient
) -> None:
    graph.user_wrote(PAGE_ID, PSID, at=graph.clock() - 25 * HOUR)
    with pytest.raises(FacebookSendError) as info:
        await fb.send_text(PAGE_ID, PAGE_TOKEN, PSID, "Nhắc lịch hẹn")
    err = info.value
    assert (err.code, err.subcode) == (10, 2018278)
    assert err.outside_window and err.permanent
    assert graph.sent == []


async def test_human_agent_tag_allowed_within_7_days(graph: FakeGraph, fb: FacebookClient) -> None:
    graph.user_wrote(PAGE_ID, PSID, at=graph.clock() - 3 * 24 * HOUR)
    await fb.send_text(PAGE_ID, PAGE_TOKEN, PSID, "Nhân viên trả lời", human_agent_tag=True)
    sent = graph.sent[-1]
    assert (sent.messaging_type, sent.tag) == ("MESSAGE_TAG", "HUMAN_AGENT")


async def test_human_agent_tag_refused_after_7_days(graph: FakeGraph, fb: FacebookClient) -> None:
    graph.user_wrote(PAGE_ID, PSID, at=graph.clock() - 8 * 24 * HOUR)
    with pytest.raises(FacebookSendError) as info:
        await fb.send_text(PAGE_ID, PAGE_TOKEN, PSID, "Trễ quá", human_agent_tag=True)
    assert info.value.outside_window


async def test_wrong_token_is_permanent_190(graph: FakeGraph, fb: FacebookClient) -> None:
    graph.user_wrote(PAGE_ID, PSID)
    with pytest.raises(FacebookSendError) as info:
        await fb.send_text(PAGE_ID, "stale-token", PSID, "xin chào")
    assert info.value.code == 190
    assert info.value.permanent and not info.value.outside_window


@pytest.mark.parametrize(
    ("code", "status", "permanent"),
    [(2, 400, False), (4, 400, False), (32, 400, False), (613, 400, False), (1, 500, False),
     (551, 400, True), (100, 400, True), (10, 400, True)],
)  # fmt: skip
async def test_queued_errors_are_classified(
    graph: FakeGraph, fb: FacebookClient, code: int, status: int, permanent: bool
) -> None:
    graph.user_wrote(PAGE_ID, PSID)
    graph.fail_next(code, status=status)
    with pytest.raises(FacebookSendError) as info:
        await fb.send_text(PAGE_ID, PAGE_TOKEN, PSID, "hi")
    assert info.value.code == code
    assert info.value.permanent is permanent
    assert not info.value.outside_window  # no 2018278 subcode
    # The failure was consumed: the next send goes through.
    await fb.send_text(PAGE_ID, PAGE_TOKEN, PSID, "hi again")
    assert len(graph.sent) == 1


async def test_network_error_is_temporary(graph: FakeGraph) -> None:
    await graph.stop()  # nothing listens on the port any more
    async with FacebookClient(graph_base=graph.base_url, timeout=2) as client:
        with pytest.raises(FacebookSendError) as info:
            await client.send_text(PAGE_ID, PAGE_TOKEN, PSID, "hi")
    assert not info.value.permanent


async def test_long_text_is_split_under_limit_at_sentences(
    graph: FakeGraph, fb: FacebookClient
) -> None:
    graph.user_wrote(PAGE_ID, PSID)
    sentence = "Liệu trình chăm sóc da mặt gồm làm sạch, tẩy tế bào chết và đắp mặt nạ. "
    text = (sentence * 70).strip()  # about 5000 characters
    assert len(text) > 4000
    last = await fb.send_text(PAGE_ID, PAGE_TOKEN, PSID, text)

    parts = [m.message["text"] for m in graph.sent]
    assert len(parts) == 3
    assert all(len(p) <= 2000 for p in parts)
    assert all(p.endswith("mặt nạ.") for p in parts)  # cut after a full stop, not mid-word
    assert " ".join(parts) == text
    assert last == graph.sent[-1].message_id


async def test_quick_replies_reach_graph(graph: FakeGraph, fb: FacebookClient) -> None:
    graph.user_wrote(PAGE_ID, PSID)
    await fb.send_quick_replies(
        PAGE_ID, PAGE_TOKEN, PSID, "Chị muốn đặt lịch ngày nào?",
        [[("Hôm nay", "day:0"), ("Ngày mai", "day:1")], [("Chọn ngày khác trong tuần sau", "day:x")]],
    )  # fmt: skip
    qrs = graph.sent[-1].message["quick_replies"]
    assert [q["payload"] for q in qrs] == ["day:0", "day:1", "day:x"]
    assert len(qrs[2]["title"]) <= 20


async def test_unknown_user_is_permanent(graph: FakeGraph, fb: FacebookClient) -> None:
    with pytest.raises(FacebookSendError) as info:
        await fb.send_text(PAGE_ID, PAGE_TOKEN, "123", "hi")
    assert info.value.code == 100 and info.value.permanent


async def test_get_user_name_best_effort(graph: FakeGraph, fb: FacebookClient) -> None:
    graph.add_user(PSID, first_name="Lan", last_name="Nguyễn")
    assert await fb.get_user_name(PSID, PAGE_TOKEN) == "Lan Nguyễn"
    assert graph.requests[-1].query["fields"] == "first_name,last_name"
    assert await fb.get_user_name("999", PAGE_TOKEN) is None
    assert await fb.get_user_name(PSID, "bad-token") is None


async def test_fake_accepts_token_in_form_and_json_body(graph: FakeGraph) -> None:
    """Graph takes the token as a form or body field too; other callers may rely on that."""
    graph.user_wrote(PAGE_ID, PSID)
    url = f"{graph.base_url}/v25.0/me/messages"
    async with httpx.AsyncClient() as http:
        form = await http.post(url, data={
            "access_token": PAGE_TOKEN, "recipient": f'{{"id":"{PSID}"}}',
            "messaging_type": "RESPONSE", "message": '{"text":"form"}'})  # fmt: skip
        body = await http.post(url, json={
            "access_token": PAGE_TOKEN, "recipient": {"id": PSID},
            "messaging_type": "RESPONSE", "message": {"text": "json"}})  # fmt: skip
        too_long = await http.post(url, json={
            "access_token": PAGE_TOKEN, "recipient": {"id": PSID},
            "messaging_type": "RESPONSE", "message": {"text": "x" * 2001}})  # fmt: skip
    assert form.status_code == body.status_code == 200
    assert [m.message["text"] for m in graph.sent] == ["form", "json"]
    assert too_long.status_code == 400 and too_long.json()["error"]["code"] == 100
