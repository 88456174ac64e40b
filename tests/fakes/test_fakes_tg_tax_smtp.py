"""The Telegram, tax-code and SMTP fakes, exercised through the real clients.

aiogram (over aiohttp), TaxCodeClient (over httpx) and SmtpMailer (over smtplib) talk to the fakes
on 127.0.0.1, so these tests also pin down the wire behaviour the adapters rely on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from spacrm.adapters.smtp.client import MailError, SmtpMailer
from spacrm.adapters.taxcode.client import CompanyInfo, TaxCodeClient, parent_code
from tests.fakes.smtp import FakeSMTP
from tests.fakes.taxcode import FakeTaxCode, valid_tax_code
from tests.fakes.telegram import FakeTelegram

TOKEN = "123456:TEST"


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as fake:
        yield fake


def make_bot(tg: FakeTelegram, token: str = TOKEN) -> Bot:
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    b = make_bot(tg)
    yield b
    await b.session.close()


# ===================================================================== Telegram: basic methods
async def test_get_me_returns_the_bot_user(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "spacrm_test_bot")
    assert [r.method for r in tg.requests] == ["getMe"]
    assert tg.requests[0].status == 200


async def test_send_message_with_inline_keyboard_round_trips(tg: FakeTelegram, bot: Bot) -> None:
    msg = await bot.send_message(
        42, "Chọn giai đoạn cho khách Lan:", reply_markup=keyboard(("Mới", "stage:new"))
    )
    assert msg.message_id == 1
    assert msg.chat.id == 42 and msg.chat.type == "private"
    assert msg.from_user is not None and msg.from_user.id == 123456
    assert msg.text == "Chọn giai đoạn cho khách Lan:"
    assert msg.reply_markup is not None
    assert msg.reply_markup.inline_keyboard[0][0].callback_data == "stage:new"
    # aiogram sends a urlencoded form with the markup as a JSON string; the fake decoded it.
    recorded = tg.calls("sendMessage")[0]
    assert recorded.params["chat_id"] == "42"
    assert recorded.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Mới"
    [sent] = tg.sent_messages(42)
    assert sent.text == "Chọn giai đoạn cho khách Lan:"
    assert sent.buttons == [("Mới", "stage:new")]


async def test_message_ids_increment_per_chat(tg: FakeTelegram, bot: Bot) -> None:
    ids = [(await bot.send_message(chat, "hi")).message_id for chat in (1, 1, 2, 1, 2)]
    assert ids == [1, 2, 1, 3, 2]
    assert [s.message_id for s in tg.sent_messages(1)] == [1, 2, 3]
    assert len(tg.sent_messages()) == 5


async def test_send_photo_multipart_upload_keeps_the_bytes(tg: FakeTelegram, bot: Bot) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    msg = await bot.send_photo(
        42, BufferedInputFile(png, filename="chart.png"), caption="Doanh thu tháng 5"
    )
    assert msg.caption == "Doanh thu tháng 5"
    assert msg.photo and msg.photo[-1].file_size == len(png)
    recorded = tg.calls("sendPhoto")[0]
    assert recorded.files["photo"] == png  # chunked multipart, resolved through attach://
    assert recorded.params["photo"].startswith("attach://")
    assert tg.sent_messages(42)[0].text == "Doanh thu tháng 5"
    # Re-sending by the returned file_id needs no upload.
    again = await bot.send_photo(42, msg.photo[-1].file_id)
    assert again.photo and again.photo[0].file_size == len(png)


async def test_send_document_keeps_file_name(tg: FakeTelegram, bot: Bot) -> None:
    data = b"PK\x03\x04 fake xlsx"
    msg = await bot.send_document(7, BufferedInputFile(data, filename="bao_cao.xlsx"))
    assert msg.document is not None
    assert (msg.document.file_name, msg.document.file_size) == ("bao_cao.xlsx", len(data))
    assert tg.calls("sendDocument")[0].files["document"] == data


async def test_edit_message_text_and_not_modified(tg: FakeTelegram, bot: Bot) -> None:
    kb = keyboard(("Xong", "done"))
    msg = await bot.send_message(42, "Đang xử lý…", reply_markup=kb)
    edited = await bot.edit_message_text(
        text="Đã lưu", chat_id=42, message_id=msg.message_id, reply_markup=kb
    )
    assert isinstance(edited, Message)
    assert edited.text == "Đã lưu" and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="Đã lưu", chat_id=42, message_id=msg.message_id, reply_markup=kb
        )
    # Same text but the keyboard removed is a modification.
    await bot.edit_message_text(text="Đã lưu", chat_id=42, message_id=msg.message_id)
    assert [s.method for s in tg.sent_messages(42)] == [
        "sendMessage",
        "editMessageText",
        "editMessageText",
    ]
    assert tg.sent_messages(42)[-1].reply_markup is None
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="x", chat_id=42, message_id=999)


async def test_edit_reply_markup_and_delete_message(tg: FakeTelegram, bot: Bot) -> None:
    msg = await bot.send_message(42, "Chọn:", reply_markup=keyboard(("A", "a")))
    await bot.edit_message_reply_markup(chat_id=42, message_id=msg.message_id, reply_markup=None)
    assert tg.messages[(42, msg.message_id)].get("reply_markup") is None
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_reply_markup(chat_id=42, message_id=msg.message_id)
    assert await bot.delete_message(42, msg.message_id) is True
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(42, msg.message_id)


async def test_chat_action_and_commands(tg: FakeTelegram, bot: Bot) -> None:
    assert await bot.send_chat_action(42, "typing") is True
    await bot.set_my_commands(
        [
            BotCommand(command="start", description="Bắt đầu"),
            BotCommand(command="help", description="Trợ giúp"),
        ]
    )
    assert [c["command"] for c in tg.commands] == ["start", "help"]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


# ===================================================================== Telegram: limits
async def test_text_length_limits(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(42, "ạ" * 4096)  # Vietnamese letters are one UTF-16 unit each
    with pytest.raises(TelegramBadRequest, match="message text is too long"):
        await bot.send_message(42, "ạ" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is too long"):
        await bot.send_message(42, "😀" * 2049)  # 4098 UTF-16 units: counted conservatively
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(42, "   ")
    assert len(tg.sent_messages()) == 1
    assert [r.status for r in tg.calls("sendMessage")] == [200, 400, 400, 400]


async def test_caption_limit(bot: Bot) -> None:
    photo = BufferedInputFile(b"img", filename="a.jpg")
    await bot.send_photo(42, photo, caption="c" * 1024)
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_photo(42, photo, caption="c" * 1025)


async def test_callback_data_is_limited_to_64_bytes_not_characters(bot: Bot) -> None:
    await bot.send_message(42, "ok", reply_markup=keyboard(("A", "đ" * 32)))  # 64 bytes
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(42, "x", reply_markup=keyboard(("A", "đ" * 33)))  # 66 bytes


# ===================================================================== Telegram: failures
async def test_blocked_chat_is_forbidden(tg: FakeTelegram, bot: Bot) -> None:
    tg.blocked.add(99)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(99, "Chào chị")
    await bot.send_message(100, "Chào anh")  # other chats still work
    assert [s.chat_id for s in tg.sent_messages()] == [100]


async def test_fail_next_429_raises_retry_after_once(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(42, "một")
    assert caught.value.retry_after == 7
    await bot.send_message(42, "hai")  # only the next call failed
    assert [r.status for r in tg.calls("sendMessage")] == [429, 200]
    assert [s.text for s in tg.sent_messages()] == ["hai"]


async def test_fail_next_count_and_502(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next("SENDMESSAGE", status=502, count=2)  # method names are case-insensitive
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.send_message(42, "x")
    await bot.get_me()  # other methods are unaffected
    assert (await bot.send_message(42, "y")).text == "y"


async def test_outage_switch_fails_everything_until_cleared(tg: FakeTelegram, bot: Bot) -> None:
    tg.outage = True
    with pytest.raises(TelegramServerError):
        await bot.send_message(42, "x")
    with pytest.raises(TelegramServerError):
        await bot.send_photo(42, BufferedInputFile(b"1", filename="a.png"))
    tg.outage = False
    assert (await bot.send_message(42, "y")).message_id == 1


async def test_wrong_token_is_unauthorized(tg: FakeTelegram) -> None:
    other = make_bot(tg, token="999:WRONG")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await other.get_me()
    finally:
        await other.session.close()
    assert tg.requests == []  # rejected before being recorded as a call


async def test_raw_http_json_body_case_and_unknown_method(tg: FakeTelegram) -> None:
    async with httpx.AsyncClient(base_url=f"{tg.base_url}/bot{TOKEN}") as http:
        r = await http.post(
            "/SENDMESSAGE",
            json={
                "chat_id": 5,
                "text": "json",
                "reply_markup": {"inline_keyboard": [[{"text": "B", "callback_data": "b"}]]},
            },
        )
        assert r.status_code == 200 and r.json()["result"]["text"] == "json"
        r = await http.post("/noSuchMethod")
        assert r.status_code == 404
        assert r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        r = await http.get("/getMe")  # GET works too
        assert r.json()["result"]["id"] == 123456
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{tg.base_url}/bot1:NOPE/getMe")
        assert r.status_code == 401
        assert r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert tg.sent_messages(5)[0].buttons == [("B", "b")]


# ===================================================================== Telegram: updates
async def test_get_updates_long_poll_wakes_on_push_and_offset_confirms(
    tg: FakeTelegram, bot: Bot
) -> None:
    assert await bot.get_updates(timeout=0) == []  # short poll answers at once

    async def push_later() -> None:
        await asyncio.sleep(0.2)
        await tg.push_message(42, "Em muốn đặt lịch", first_name="Hoa")

    started = time.monotonic()
    pusher = asyncio.create_task(push_later())
    updates = await bot.get_updates(timeout=5)
    await pusher
    assert 0.15 < time.monotonic() - started < 3  # woken by the push, not by the timeout
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "Em muốn đặt lịch"
    assert message.from_user is not None and message.from_user.first_name == "Hoa"
    # Unconfirmed updates come back again; an offset above them drops them for good.
    assert [u.update_id for u in await bot.get_updates()] == [updates[0].update_id]
    assert await bot.get_updates(offset=updates[0].update_id + 1) == []
    assert await bot.get_updates() == []


async def test_get_updates_times_out_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_stop_releases_a_long_poll_in_flight(tg: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await tg.stop()
    assert await asyncio.wait_for(poll, 3) == []
    assert time.monotonic() - started < 1.5


async def test_user_messages_share_the_chat_message_ids(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(42, "Chào")
    update = await tg.push_message(42, "/start", reply_to_message_id=1)
    assert update["message"]["message_id"] == 2
    assert update["message"]["entities"][0]["type"] == "bot_command"
    assert update["message"]["reply_to_message"]["text"] == "Chào"
    assert (await bot.send_message(42, "Tiếp")).message_id == 3


async def test_dispatcher_polling_with_buttons_end_to_end(tg: FakeTelegram, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message()
    async def on_message(message: Message) -> None:
        await message.answer(f"Bạn nói: {message.text}", reply_markup=keyboard(("Có", "yes")))

    @dp.callback_query()
    async def on_callback(query: CallbackQuery) -> None:
        await query.answer("Đã ghi nhận")
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"Bạn chọn: {query.data}")

    polling = asyncio.create_task(
        dp.start_polling(bot, polling_timeout=1, handle_signals=False, close_bot_session=False)
    )
    try:
        await tg.push_message(42, "xin chào")
        reply = await tg.wait_for_sent(lambda m: m.chat_id == 42)
        assert reply.text == "Bạn nói: xin chào"
        update = await tg.push_callback(42, "yes", reply.message_id)
        assert update["callback_query"]["message"]["text"] == "Bạn nói: xin chào"
        edit = await tg.wait_for_sent(lambda m: m.method == "editMessageText")
        assert (edit.message_id, edit.text) == (reply.message_id, "Bạn chọn: yes")
        query_id = update["callback_query"]["id"]
        assert tg.callback_answers[query_id]["text"] == "Đã ghi nhận"
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)
    assert tg.calls("getMe"), "start_polling asks getMe first"
    # Only the update types the dispatcher handles were asked for.
    assert set(tg.calls("getUpdates")[0].params["allowed_updates"]) == {"message", "callback_query"}


async def test_answer_callback_query_rejects_unknown_or_reused_ids(
    tg: FakeTelegram, bot: Bot
) -> None:
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query("12345")
    update = await tg.push_callback(42, "x", 77)  # unknown message: no `message` in the query
    assert "message" not in update["callback_query"]
    query_id = update["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="OK") is True
    with pytest.raises(TelegramBadRequest):
        await bot.answer_callback_query(query_id)


async def test_wait_for_sent_times_out_with_a_useful_message(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(1, "không khớp")
    with pytest.raises(TimeoutError, match="không khớp"):
        await tg.wait_for_sent(lambda m: m.chat_id == 2, timeout=0.2)


# ===================================================================== Telegram: webhook
async def test_webhook_delivery_with_secret_and_answer_in_response(
    tg: FakeTelegram, bot: Bot
) -> None:
    dp = Dispatcher()

    @dp.message()
    async def on_message(message: Message) -> object:
        # Returning the method makes aiogram answer it inside the webhook response body.
        return message.answer(f"webhook: {message.text}")

    app = web.Application()
    SimpleRequestHandler(dp, bot, secret_token="s3cr3t-Token", handle_in_background=False).register(
        app, path="/tg"
    )
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/tg", secret_token="s3cr3t-Token")
        assert tg.webhook_secret == "s3cr3t-Token"
        with pytest.raises(TelegramConflictError):
            await bot.get_updates()

        await tg.push_message(7, "chào")
        delivery = tg.webhook_deliveries[-1]
        assert (delivery.status, delivery.answered_method) == (200, "sendMessage")
        assert tg.sent_messages(7)[-1].text == "webhook: chào"

        tg.webhook_secret = "wrong"  # the receiver must refuse a bad secret
        await tg.push_message(7, "giả mạo")
        assert tg.webhook_deliveries[-1].status == 401
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 1 and info.last_error_message

        await bot.delete_webhook(drop_pending_updates=True)
        assert (await bot.get_webhook_info()).url == ""
        assert await bot.get_updates() == []
    finally:
        await runner.cleanup()


async def test_webhook_unreachable_keeps_update_pending(tg: FakeTelegram, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/nowhere")
    await tg.push_message(3, "alo")
    assert tg.webhook_deliveries[-1].status is None
    assert tg.webhook_deliveries[-1].error
    await bot.delete_webhook()
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "alo"


async def test_set_webhook_rejects_bad_secret(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="secret token"):
        await bot.set_webhook("http://127.0.0.1:1/x", secret_token="có dấu")


# ===================================================================== tax code
@pytest.fixture
async def taxfake() -> AsyncIterator[FakeTaxCode]:
    async with FakeTaxCode() as fake:
        yield fake


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_fake_taxcode_wire_shape(taxfake: FakeTaxCode) -> None:
    async with httpx.AsyncClient(base_url=taxfake.base_url) as http:
        found = (await http.get("/v2/business/0101245486")).json()
        unknown = await http.get("/v2/business/0100109106")
        invalid = await http.get("/v2/business/0100233489")
    assert found["code"] == "00" and found["data"]["shortName"] == "VINGROUP"
    assert unknown.status_code == 200 and unknown.json()["code"] == "51"
    assert unknown.json()["data"] is None
    assert invalid.status_code == 200 and invalid.json()["code"] == "52"
    assert taxfake.requests == ["0101245486", "0100109106", "0100233489"]


def test_tax_code_check_digit_and_parent_code() -> None:
    for code in ("0100233488", "0314409058", "0101245486", "0314409058-002"):
        assert valid_tax_code(code), code
    for code in ("0100233489", "0314409058-000", "123", "01002334880"):
        assert not valid_tax_code(code), code
    assert parent_code(" 0314.409.058-002 ") == "0314409058"
    assert parent_code("0314409058") == "0314409058"
    assert parent_code("079201012345") is None  # 12-digit personal code: not a business
    assert parent_code("abc") is None


async def test_lookup_found_and_cached(taxfake: FakeTaxCode) -> None:
    async with TaxCodeClient(base_url=taxfake.base_url) as client:
        info = await client.lookup("0101245486")
        assert info == CompanyInfo(
            tax_code="0101245486",
            name="TẬP ĐOÀN VINGROUP - CÔNG TY CP",
            international_name="VINGROUP JOINT STOCK COMPANY",
            short_name="VINGROUP",
            address=taxfake.companies["0101245486"].address,
            status="NNT đang hoạt động",
        )
        assert await client.lookup("0101245486") == info
        assert await client.lookup("0101 245 486") == info  # same key after normalising
    assert taxfake.requests == ["0101245486"]


async def test_lookup_branch_asks_for_the_parent(taxfake: FakeTaxCode) -> None:
    async with TaxCodeClient(base_url=taxfake.base_url) as client:
        info = await client.lookup("0314409058-002")
    assert info is not None and info.tax_code == "0314409058"
    assert info.name == "CÔNG TY CỔ PHẦN THẨM MỸ VIỆN HOA MAI"
    assert taxfake.requests == ["0314409058"]


async def test_lookup_added_company_with_null_names(taxfake: FakeTaxCode) -> None:
    taxfake.add("0100109106", "CÔNG TY TNHH SPA BÌNH YÊN", "1 Tràng Tiền, Hà Nội")
    async with TaxCodeClient(base_url=taxfake.base_url) as client:
        info = await client.lookup("0100109106")
    assert info is not None
    assert (info.name, info.international_name, info.short_name) == (
        "CÔNG TY TNHH SPA BÌNH YÊN",
        None,
        None,
    )


async def test_not_found_and_invalid_give_none_and_negative_cache_expires(
    taxfake: FakeTaxCode,
) -> None:
    clock = FakeClock()
    async with TaxCodeClient(base_url=taxfake.base_url, negative_ttl=3600, clock=clock) as client:
        assert await client.lookup("0100109106") is None  # valid but unknown: "51"
        assert await client.lookup("0100233489") is None  # bad check digit: "52"
        assert await client.lookup("0100109106") is None
        assert taxfake.requests == ["0100109106", "0100233489"]  # negative results cached
        taxfake.add("0100109106", "CÔNG TY MỚI", "Hà Nội")
        clock.now += 3601
        info = await client.lookup("0100109106")
    assert info is not None and info.name == "CÔNG TY MỚI"
    assert taxfake.requests.count("0100109106") == 2


async def test_positive_cache_lasts_a_week(taxfake: FakeTaxCode) -> None:
    clock = FakeClock()
    async with TaxCodeClient(base_url=taxfake.base_url, clock=clock) as client:
        await client.lookup("0100233488")
        clock.now += 6 * 24 * 3600
        await client.lookup("0100233488")
        assert len(taxfake.requests) == 1
        clock.now += 2 * 24 * 3600
        await client.lookup("0100233488")
    assert len(taxfake.requests) == 2


async def test_outage_error_gives_none_and_recovers(taxfake: FakeTaxCode) -> None:
    clock = FakeClock()
    async with TaxCodeClient(base_url=taxfake.base_url, error_ttl=60, clock=clock) as client:
        taxfake.outage = "error"
        assert await client.lookup("0100233488") is None
        assert await client.lookup("0100233488") is None  # briefly remembered: no second call
        assert len(taxfake.requests) == 1
        taxfake.outage = None
        clock.now += 61
        info = await client.lookup("0100233488")
    assert info is not None and info.name.startswith("CÔNG TY TNHH")


async def test_outage_hang_times_out_quickly(taxfake: FakeTaxCode) -> None:
    taxfake.outage = "hang"
    async with TaxCodeClient(base_url=taxfake.base_url, timeout=0.3) as client:
        started = time.monotonic()
        assert await client.lookup("0100233488") is None
    assert time.monotonic() - started < 2


async def test_unreachable_server_and_garbage_input_give_none() -> None:
    async with TaxCodeClient(base_url="http://127.0.0.1:9", timeout=1) as client:
        assert await client.lookup("0100233488") is None
        assert await client.lookup("not a code") is None


async def test_concurrent_lookups_share_one_request(taxfake: FakeTaxCode) -> None:
    async with TaxCodeClient(base_url=taxfake.base_url) as client:
        results = await asyncio.gather(*(client.lookup("0314409058") for _ in range(5)))
    assert all(r is not None and r.tax_code == "0314409058" for r in results)
    assert taxfake.requests == ["0314409058"]


# ===================================================================== SMTP
SENDER = "Spa Hoa Sen <no-reply@hoasen.vn>"


@pytest.fixture
async def smtp() -> AsyncIterator[FakeSMTP]:
    async with FakeSMTP() as fake:
        yield fake


async def test_send_utf8_plain_mail(smtp: FakeSMTP) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp.port, sender=SENDER)
    await mailer.send(
        "lan@example.com", "Xác nhận lịch hẹn ngày 12/6", "Chào chị Lan,\nHẹn gặp chị lúc 9 giờ."
    )
    mail = await smtp.wait_for_mail()
    msg = mail.message
    assert msg["Subject"] == "Xác nhận lịch hẹn ngày 12/6"
    assert msg["To"] == "lan@example.com"
    assert "Spa Hoa Sen" in msg["From"]
    assert (
        msg.get_content().replace("\r\n", "\n").strip() == "Chào chị Lan,\nHẹn gặp chị lúc 9 giờ."
    )
    assert (mail.mail_from, mail.rcpt_tos) == ("no-reply@hoasen.vn", ["lan@example.com"])
    assert mail.raw.isascii()  # headers RFC 2047-encoded, body quoted-printable
    assert msg["Message-ID"].endswith("@hoasen.vn>")
    assert smtp.messages == [msg]


async def test_send_with_html_alternative(smtp: FakeSMTP) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp.port, sender=SENDER)
    await mailer.send(
        "a@example.com", "Báo cáo", "Doanh thu: 12.500.000 ₫", html="<b>Doanh thu</b>: 12.500.000 ₫"
    )
    msg = await smtp.wait_for_message()
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert plain is not None and "12.500.000 ₫" in plain.get_content()
    assert html is not None and "<b>Doanh thu</b>" in html.get_content()


@pytest.mark.parametrize("password", ["secret", "mật-khẩu"])  # smtplib itself is ASCII-only
async def test_auth_success_and_failures(password: str) -> None:
    async with FakeSMTP(user="spa", password=password) as fake:
        good = SmtpMailer("127.0.0.1", fake.port, sender=SENDER, user="spa", password=password)
        await good.send("a@example.com", "ok", "ok")
        assert (await fake.wait_for_mail()).authenticated_as == "spa"

        bad = SmtpMailer("127.0.0.1", fake.port, sender=SENDER, user="spa", password="sai")
        with pytest.raises(MailError) as caught:
            await bad.send("a@example.com", "x", "x")
        assert caught.value.permanent is False and caught.value.code == 535

        anonymous = SmtpMailer("127.0.0.1", fake.port, sender=SENDER)
        with pytest.raises(MailError) as caught:
            await anonymous.send("a@example.com", "x", "x")
        assert caught.value.permanent is False and caught.value.code == 530
        assert len(fake.messages) == 1
        # smtplib tries each offered mechanism in turn, so the bad password fails more than once.
        assert fake.auth_attempts[0][1:] == ("spa", True)
        assert len(fake.auth_attempts) > 1
        assert not any(ok for _, _, ok in fake.auth_attempts[1:])


async def test_recipient_refusals_permanent_and_temporary(smtp: FakeSMTP) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp.port, sender=SENDER)
    smtp.reject(
        "550 5.1.1 <ghost@example.com>: Recipient address rejected",
        recipients=["ghost@example.com"],
    )
    with pytest.raises(MailError) as caught:
        await mailer.send("ghost@example.com", "x", "x")
    assert caught.value.permanent is True and caught.value.code == 550
    await mailer.send("real@example.com", "x", "x")  # only the listed address is refused

    smtp.reject("451 4.3.0 Try again later")
    with pytest.raises(MailError) as caught:
        await mailer.send("real@example.com", "x", "x")
    assert caught.value.permanent is False and caught.value.code == 451
    smtp.accept()
    await mailer.send("real@example.com", "y", "y")
    assert [m["Subject"] for m in smtp.messages] == ["x", "y"]


async def test_server_down_is_temporary_and_comes_back(smtp: FakeSMTP) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp.port, sender=SENDER, timeout=2)
    await asyncio.to_thread(smtp.set_down, True)
    assert smtp.down
    with pytest.raises(MailError) as caught:
        await mailer.send("a@example.com", "x", "x")
    assert caught.value.permanent is False
    await asyncio.to_thread(smtp.set_down, False)
    await mailer.send("a@example.com", "lại", "lại")
    assert (await smtp.wait_for_message())["Subject"] == "lại"


async def test_bad_addresses_and_headers_are_permanent(smtp: FakeSMTP) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp.port, sender=SENDER)
    for to, subject in (
        ("not-an-address", "x"),
        ("a@example.com\r\nBcc: x@evil.com", "x"),
        ("a@example.com", "x\r\nBcc: x@evil.com"),
    ):
        with pytest.raises(MailError) as caught:
            await mailer.send(to, subject, "x")
        assert caught.value.permanent is True
    assert smtp.messages == []


async def test_required_starttls_missing_is_an_error(smtp: FakeSMTP) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp.port, sender=SENDER, starttls=True)
    with pytest.raises(MailError, match="STARTTLS") as caught:
        await mailer.send("a@example.com", "x", "x")
    assert caught.value.permanent is False
    assert smtp.messages == []


def test_sender_without_address_is_a_config_error() -> None:
    with pytest.raises(ValueError):
        SmtpMailer("127.0.0.1", 25, sender="Spa Hoa Sen")
