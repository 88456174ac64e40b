"""Zalo webhook signatures and event parsing; deliveries come from the fake over loopback."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from spacrm.adapters.zalo.webhook import parse_event, parse_event_body, verify_signature
from tests.adapters.zalo.conftest import APP_ID, OA_ID, OA_SECRET, USER, MemoryTokens, Receiver
from tests.fakes.zalo import FakeZalo, sign


async def test_signed_text_event_is_accepted_and_parsed(
    zalo: FakeZalo, tokens: MemoryTokens, receiver: Receiver
) -> None:
    status = await zalo.deliver_text(
        receiver.url,
        OA_ID,
        USER,
        "Em muốn đặt lịch chiều mai",
        msg_id="7d1f",
        timestamp_ms=1718000000123,
    )
    assert status == 200
    (event,) = receiver.events
    assert event.event_name == "user_send_text" and event.is_user_message
    assert (event.oa_id, event.user_id, event.msg_id) == (OA_ID, USER, "7d1f")
    assert event.text == "Em muốn đặt lịch chiều mai"
    assert event.timestamp_ms == 1718000000123
    # The body carries the timestamp as a string and UTF-8 text, as Zalo sends it.
    payload = zalo.deliveries[-1].payload
    assert payload is not None and payload["timestamp"] == "1718000000123"


async def test_image_and_sticker_events(
    zalo: FakeZalo, tokens: MemoryTokens, receiver: Receiver
) -> None:
    await zalo.deliver_image(receiver.url, OA_ID, USER, "https://photo.fake/1.jpg")
    await zalo.deliver_sticker(receiver.url, OA_ID, USER)
    image, sticker = receiver.events
    assert (image.event_name, image.attachments) == ("user_send_image", ["image"])
    assert (sticker.event_name, sticker.attachments) == ("user_send_sticker", ["sticker"])
    assert image.msg_id and sticker.msg_id and image.msg_id != sticker.msg_id


async def test_forged_and_missing_signatures_are_rejected(
    zalo: FakeZalo, tokens: MemoryTokens, receiver: Receiver
) -> None:
    payload = zalo.user_event(OA_ID, USER, "user_send_text", {"msg_id": "1", "text": "hi"})
    raw = json.dumps(payload).encode()
    wrong_key = sign(raw, APP_ID, payload["timestamp"], "not-the-oa-secret")
    assert await zalo.deliver_raw(receiver.url, raw, {"X-ZEvent-Signature": wrong_key}) == 401
    assert await zalo.deliver_raw(receiver.url, raw, {}) == 401
    tampered = raw.replace(b'"hi"', b'"ho"')
    good_for_raw = sign(raw, APP_ID, payload["timestamp"], OA_SECRET)
    assert (
        await zalo.deliver_raw(receiver.url, tampered, {"X-ZEvent-Signature": good_for_raw}) == 401
    )
    assert receiver.events == []
    assert await zalo.deliver_raw(receiver.url, raw, {"X-ZEvent-Signature": good_for_raw}) == 200


def test_signature_formula_and_prefix_tolerance() -> None:
    raw = b'{"app_id":"123","event_name":"user_send_text","timestamp":"1700000000000"}'
    digest = hashlib.sha256(b"123" + raw + b"1700000000000" + b"secret").hexdigest()
    assert verify_signature(raw, f"mac={digest}", "secret")
    assert verify_signature(raw, digest, "secret")  # some senders omit "mac="
    assert verify_signature(raw, f"  MAC={digest.upper()} ", "secret")
    assert not verify_signature(raw, f"mac={digest}", "other")
    assert not verify_signature(raw, None, "secret")
    assert not verify_signature(b"not json", f"mac={digest}", "secret")
    assert not verify_signature(b'{"timestamp":"1"}', f"mac={digest}", "secret")  # no app_id
    assert not verify_signature(raw, "mac=ĐĐĐ", "secret")  # non-ASCII header must not raise
    # A numeric timestamp is hashed as its digits.
    raw_num = b'{"app_id":"123","timestamp":1700000000000}'
    digest_num = hashlib.sha256(b"123" + raw_num + b"1700000000000" + b"secret").hexdigest()
    assert verify_signature(raw_num, f"mac={digest_num}", "secret")


def test_receipt_and_follow_shapes() -> None:
    seen = parse_event({
        "event_name": "user_seen_message", "app_id": APP_ID, "sender": {"id": OA_ID},
        "recipient": {"id": USER}, "message": {"msg_ids": ["m1", "m2"]}, "timestamp": "1700000000000",
    })  # fmt: skip
    assert seen is not None and (seen.oa_id, seen.user_id, seen.msg_id) == (OA_ID, USER, "m1")
    follow = parse_event({
        "app_id": APP_ID, "oa_id": OA_ID, "follower": {"id": USER}, "user_id_by_app": "x",
        "event_name": "follow", "source": "oa_profile", "timestamp": "1700000000001",
    })  # fmt: skip
    assert follow is not None and (follow.oa_id, follow.user_id) == (OA_ID, USER)
    assert follow.msg_id is None and follow.event_id == f"follow:{OA_ID}:{USER}:1700000000001"
    echo = parse_event({
        "event_name": "oa_send_text", "app_id": APP_ID, "sender": {"id": OA_ID, "admin_id": "9"},
        "recipient": {"id": USER}, "message": {"msg_id": "e1", "text": "Dạ"}, "timestamp": "1",
    })  # fmt: skip
    assert echo is not None and (echo.oa_id, echo.user_id) == (OA_ID, USER)
    assert not echo.is_user_message


def test_big_numeric_ids_stay_exact_strings() -> None:
    raw = (
        b'{"event_name":"user_send_text","app_id":2001000000000000001,'
        b'"sender":{"id":8120734526351000123},"recipient":{"id":4318263722480000001},'
        b'"message":{"msg_id":"m","text":"a"},"timestamp":"5"}'
    )
    event = parse_event_body(raw)
    assert event is not None
    assert (event.user_id, event.oa_id, event.app_id) == (USER, OA_ID, APP_ID)


@pytest.mark.parametrize(
    "payload",
    [None, "x", [], {}, {"event_name": 5}, {"event_name": "user_send_text"},
     {"event_name": "user_send_text", "sender": "u", "recipient": {"id": OA_ID}},
     {"event_name": "follow", "follower": None}],
)  # fmt: skip
def test_bad_shapes_give_none(payload: Any) -> None:
    assert parse_event(payload) is None


def test_partial_message_fields_are_tolerated() -> None:
    event = parse_event({
        "event_name": "user_send_image", "sender": {"id": USER}, "recipient": {"id": OA_ID},
        "message": {"attachments": [None, {"type": "image"}, {"type": 3}], "text": 7},
        "timestamp": "not-a-number",
    })  # fmt: skip
    assert event is not None
    assert event.attachments == ["image"] and event.text is None and event.timestamp_ms == 0
    assert parse_event_body(b"\xff\xfe") is None
