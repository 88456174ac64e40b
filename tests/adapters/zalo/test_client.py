"""ZaloClient against the fake Zalo (OA API, OAuth, ZNS) over loopback."""

from __future__ import annotations

import asyncio

import pytest

from spacrm.adapters.zalo.client import OaCredentials, ZaloApiError, ZaloClient
from tests.adapters.zalo.conftest import OA_ID, USER, MemoryTokens, Receiver
from tests.fakes.zalo import FakeZalo

HOUR = 3600.0


async def test_send_text_ok(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.user_wrote(OA_ID, USER)
    mid = await client.send_text(creds, tokens, USER, "Dạ spa xin chào chị ạ")

    (sent,) = zalo.sent
    assert mid == sent.message_id
    assert sent.message == {"text": "Dạ spa xin chào chị ạ"}
    req = zalo.requests[-1]
    assert req.path == "/v3.0/oa/message/cs"
    assert req.headers["access_token"] == tokens.access
    assert "authorization" not in req.headers
    assert req.body["recipient"] == {"user_id": USER}


async def test_reply_to_uses_the_users_message_id(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens,
    receiver: Receiver,
) -> None:  # fmt: skip
    await zalo.deliver_text(receiver.url, OA_ID, USER, "Cho em hỏi giá", msg_id="abc123")
    await client.send_text(creds, tokens, USER, "Dạ 300k ạ", reply_to_msg_id="abc123")
    assert zalo.requests[-1].body["recipient"] == {"message_id": "abc123"}
    assert zalo.sent[-1].user_id == USER  # the fake resolved the message id to the user


async def test_expired_token_refreshes_once_and_saves_new_pair(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.user_wrote(OA_ID, USER)
    old_access, old_refresh = tokens.access, tokens.refresh
    zalo.expire_access_token(OA_ID)

    await client.send_text(creds, tokens, USER, "Chào chị")

    assert zalo.refresh_count == 1
    assert len(zalo.sent) == 1
    assert [r.path for r in zalo.requests] == [
        "/v3.0/oa/message/cs", "/v4/oa/access_token", "/v3.0/oa/message/cs"]  # fmt: skip
    oauth = zalo.requests[1]
    assert oauth.headers["secret_key"] == creds.secret_key
    assert oauth.body == {"refresh_token": old_refresh, "app_id": creds.app_id,
                          "grant_type": "refresh_token"}  # fmt: skip
    (saved,) = tokens.saved
    assert saved[0] != old_access and saved[1] != old_refresh
    assert saved[2] == 90000  # arrived as the string "90000"
    assert zalo.requests[2].headers["access_token"] == saved[0]


async def test_reused_refresh_token_is_refused(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    spent = tokens.refresh
    await client.refresh_tokens(creds, tokens, spent)
    with pytest.raises(ZaloApiError) as info:
        await client.refresh_tokens(creds, tokens, spent)
    assert info.value.code == -14014 and info.value.permanent
    assert "used" in info.value.message
    assert len(tokens.saved) == 1


async def test_token_expired_and_refresh_spent_elsewhere_fails_permanently(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.user_wrote(OA_ID, USER)
    stale = MemoryTokens(tokens.access, tokens.refresh)
    await client.refresh_tokens(creds, tokens, tokens.refresh)  # another process refreshed
    zalo.expire_access_token(OA_ID)
    with pytest.raises(ZaloApiError) as info:
        await client.send_text(creds, stale, USER, "hi")
    assert info.value.code == -14014 and info.value.permanent
    assert zalo.sent == []


async def test_concurrent_sends_refresh_only_once(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    for i in range(5):
        zalo.user_wrote(OA_ID, f"{USER[:-1]}{i}")
    zalo.expire_access_token(OA_ID)

    ids = await asyncio.gather(
        *(client.send_text(creds, tokens, f"{USER[:-1]}{i}", f"tin {i}") for i in range(5))
    )

    assert zalo.refresh_count == 1
    assert len(tokens.saved) == 1
    assert len(set(ids)) == 5 and len(zalo.sent) == 5
    oauth_calls = [r for r in zalo.requests if r.path == "/v4/oa/access_token"]
    assert len(oauth_calls) == 1


async def test_eight_replies_per_user_message_then_minus_213(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.user_wrote(OA_ID, USER)
    for i in range(8):
        await client.send_text(creds, tokens, USER, f"tin {i}")
    with pytest.raises(ZaloApiError) as info:
        await client.send_text(creds, tokens, USER, "tin 9")
    assert info.value.code == -213
    assert info.value.outside_window and info.value.permanent
    zalo.user_wrote(OA_ID, USER)  # the user writes again: counter resets
    await client.send_text(creds, tokens, USER, "lại được")
    assert len(zalo.sent) == 9


@pytest.mark.parametrize(("hours_ago", "code"), [(49, -213), (24 * 7 + 1, -230)])
async def test_window_expiry_codes(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens,
    hours_ago: float, code: int,
) -> None:  # fmt: skip
    zalo.user_wrote(OA_ID, USER, at=zalo.clock() - hours_ago * HOUR)
    with pytest.raises(ZaloApiError) as info:
        await client.send_text(creds, tokens, USER, "Nhắc lịch")
    assert info.value.code == code and info.value.outside_window


async def test_within_48h_is_fine(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.user_wrote(OA_ID, USER, at=zalo.clock() - 47 * HOUR)
    await client.send_text(creds, tokens, USER, "Nhắc lịch")
    assert len(zalo.sent) == 1


@pytest.mark.parametrize(
    ("code", "status", "permanent"),
    [(-201, 200, True), (-32, 200, False), (0, 502, False)],
)
async def test_error_classification(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens,
    code: int, status: int, permanent: bool,
) -> None:  # fmt: skip
    zalo.user_wrote(OA_ID, USER)
    zalo.fail_next(code, status=status)
    with pytest.raises(ZaloApiError) as info:
        await client.send_text(creds, tokens, USER, "hi")
    assert info.value.permanent is permanent
    assert not info.value.outside_window
    if status == 200:
        assert info.value.code == code


async def test_network_error_is_temporary(
    zalo: FakeZalo, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    base = zalo.base_url
    await zalo.stop()
    async with ZaloClient(openapi_base=base, oauth_base=base, zns_base=base, timeout=2) as c:
        with pytest.raises(ZaloApiError) as info:
            await c.send_text(creds, tokens, USER, "hi")
    assert not info.value.permanent


async def test_long_text_split(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.user_wrote(OA_ID, USER)
    text = "\n".join(
        f"Dòng {i}: gói chăm sóc da {i} buổi, giá ưu đãi tháng này." for i in range(90)
    )
    assert len(text) > 4000
    last = await client.send_text(creds, tokens, USER, text)
    parts = [m.message["text"] for m in zalo.sent]
    assert len(parts) == 3 and all(len(p) <= 2000 for p in parts)
    assert "\n".join(parts) == text  # cut at line ends
    assert last == zalo.sent[-1].message_id


async def test_upload_and_send_image(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.user_wrote(OA_ID, USER)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    attachment_id = await client.upload_image(creds, tokens, png, "bill.png")
    assert zalo.uploads[attachment_id] == png
    await client.send_image(creds, tokens, USER, attachment_id=attachment_id)
    element = zalo.sent[-1].message["attachment"]["payload"]["elements"][0]
    assert element == {"media_type": "image", "attachment_id": attachment_id}
    with pytest.raises(ZaloApiError) as info:
        await client.send_image(creds, tokens, USER, attachment_id="att-unknown")
    assert info.value.code == -201


async def test_user_profile(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.add_user(OA_ID, USER, display_name="Ngọc Hân", follower=False)
    profile = await client.get_user_profile(creds, tokens, USER)
    assert (profile.user_id, profile.display_name, profile.is_follower) == (USER, "Ngọc Hân", False)
    assert zalo.requests[-1].query["data"] == f'{{"user_id": "{USER}"}}'
    with pytest.raises(ZaloApiError):
        await client.get_user_profile(creds, tokens, "123")


async def test_zns_success_and_delivery_receipt(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens,
    receiver: Receiver,
) -> None:  # fmt: skip
    zalo.set_webhook(OA_ID, receiver.url)
    zalo.add_template("231234", ["customer_name", "booking_time"])
    zalo.add_user(OA_ID, USER, phone="84987654321")
    data = {"customer_name": "An", "booking_time": "15:00 20/06"}

    msg_id, quota = await client.send_zns(creds, tokens, "84987654321", "231234", data, "outbox-42")

    assert quota == {"dailyQuota": "500", "remainingQuota": "499"}
    assert zalo.zns_sent[-1].tracking_id == "outbox-42"
    assert zalo.requests[-1].path == "/message/template"
    await zalo.wait_for_deliveries()
    (receipt,) = receiver.events
    assert receipt.event_name == "user_received_message"
    assert (receipt.oa_id, receipt.user_id) == (OA_ID, USER)  # direction flipped for receipts
    assert receipt.tracking_id == "outbox-42" and receipt.msg_id == msg_id


@pytest.mark.parametrize(
    ("phone", "template_data", "code"),
    [("0987654321", {"customer_name": "An"}, -108),
     ("+84987654321", {"customer_name": "An"}, -108),
     ("84987654321", {"customer_name": "An", "extra": "x"}, -112),
     ("84987654321", {"name": "An"}, -112),
     ("84987654321", {}, -112)],
)  # fmt: skip
async def test_zns_rejects_bad_phone_and_template_keys(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens,
    phone: str, template_data: dict[str, str], code: int,
) -> None:  # fmt: skip
    zalo.add_template("231234", ["customer_name"])
    with pytest.raises(ZaloApiError) as info:
        await client.send_zns(creds, tokens, phone, "231234", template_data, "t1")
    assert info.value.code == code and info.value.permanent
    assert zalo.zns_sent == []


async def test_zns_unknown_template(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    with pytest.raises(ZaloApiError) as info:
        await client.send_zns(creds, tokens, "84987654321", "999", {}, "t1")
    assert info.value.code == -109


async def test_zns_refreshes_expired_token_too(
    zalo: FakeZalo, client: ZaloClient, creds: OaCredentials, tokens: MemoryTokens
) -> None:
    zalo.add_template("231234", ["customer_name"])
    zalo.expire_access_token()
    msg_id, _ = await client.send_zns(
        creds, tokens, "84987654321", "231234", {"customer_name": "An"}, "t1"
    )
    assert msg_id == zalo.zns_sent[-1].msg_id and zalo.refresh_count == 1
