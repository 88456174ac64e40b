"""VietQR payloads against the published vectors (protocols/payments.md §1.3)."""

from __future__ import annotations

import pytest

from spacrm.core.vietqr import crc16_ccitt, parse_payload, vietqr_payload


def test_crc_check_value() -> None:
    assert f"{crc16_ccitt(b'123456789'):04X}" == "29B1"


def test_static_qr_without_amount() -> None:
    got = vietqr_payload(bank_bin="970423", account="0099999999")
    assert got == (
        "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4"
    )


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "note", "expected"),
    [
        ("970422", "0023457923442", 40123, "test text string",
         "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA5303704540540123"
         "5802VN62200816test text string6304D9C6"),
        ("970422", "0023457923442", 40123, "chuyển khoản",
         "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA5303704540540123"
         "5802VN62160812chuyen khoan6304722F"),
        ("970422", "0023457923442ASDFLJASDFAS", 40123, "chuyen khoan alsdkf laksjdf alskdjf",
         "00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA5303704540540123"
         "5802VN62290825chuyen khoan alsdkf laksj6304E5DB"),
        ("970415", "0011001932418", 120000, "ung ho lu lut",
         "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
         "62170813ung ho lu lut6304C15C"),
        ("970422", "0123456789", 1250000, "SPA HD000123",
         "00020101021238540010A00000072701240006970422011001234567890208QRIBFTTA5303704540712500005802VN"
         "62160812SPA HD00012363042D49"),
    ],
)  # fmt: skip
def test_dynamic_vectors(
    bank_bin: str, account: str, amount: int, note: str, expected: str
) -> None:
    assert vietqr_payload(bank_bin=bank_bin, account=account, amount=amount, note=note) == expected


def test_round_trip_and_note_cleaning() -> None:
    payload = vietqr_payload(
        bank_bin="970436", account="1234567890", amount=2_500_000, note="Đơn HD2026-000123 (Lan)"
    )
    parsed = parse_payload(payload)
    assert parsed.amount == 2_500_000 and parsed.dynamic
    assert parsed.note == "Don HD2026 000123 Lan"
    assert parsed.account == "1234567890" and parsed.bank_bin == "970436"
    assert payload.isascii()
    # lowercase CRC from other generators is still accepted
    assert parse_payload(payload[:-4] + payload[-4:].lower()) == parsed
    with pytest.raises(ValueError, match="CRC"):
        parse_payload(payload[:-1] + ("0" if payload[-1] != "0" else "1"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bank_bin": "97042", "account": "1"},
        {"bank_bin": "970422", "account": "  "},
        {"bank_bin": "970422", "account": "1", "amount": 0},
        {"bank_bin": "970422", "account": "1", "amount": -5},
        {"bank_bin": "970422", "account": "1", "amount": 10**13},
    ],
)
def test_bad_input_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        vietqr_payload(**kwargs)  # type: ignore[arg-type]


def test_order_note_and_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from spacrm.core.settings import reset_settings
    from spacrm.core.vietqr import order_vietqr, transfer_note

    assert transfer_note("HD2026-000123") == "HD2026000123"
    assert transfer_note("hđ 2026_7") == "HD20267"
    monkeypatch.setenv("SPACRM_BANK_BIN", "970422")
    monkeypatch.setenv("SPACRM_BANK_ACCOUNT", "0123456789")
    reset_settings()
    try:
        payload = order_vietqr("HD2026-000123", 1_250_000)
        assert payload is not None
        parsed = parse_payload(payload)
        assert (parsed.amount, parsed.note, parsed.account) == (
            1_250_000,
            "HD2026000123",
            "0123456789",
        )
        assert order_vietqr("HD2026-000123", 0) is None
        monkeypatch.delenv("SPACRM_BANK_ACCOUNT")
        reset_settings()
        assert order_vietqr("HD2026-000123", 5) is None
    finally:
        reset_settings()
