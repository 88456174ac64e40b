"""VietQR payloads: the EMVCo merchant-presented QR in the NAPAS profile (protocols/payments.md §1).

Pure functions, no I/O: the order card, the bill and `orders show --json` all build the same string.
A bank app reads the account, the amount and the transfer note (tag 62/08) from it, so the note must
be ASCII and short; we put the order code there."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.core.textnorm import strip_marks

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
MAX_CONSUMER_ID = 19
MAX_NOTE = 25
MAX_AMOUNT_CHARS = 13
_NOT_NOTE = re.compile(r"[^0-9A-Za-z ]+")


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def ascii_note(text: str) -> str:
    """The transfer note as bank apps keep it: no diacritics (đ→d), letters, digits and spaces,
    cut to 25 characters so the TLV length is also the byte length."""
    plain = _NOT_NOTE.sub(" ", strip_marks(text))
    return " ".join(plain.split())[:MAX_NOTE].rstrip()


def vietqr_payload(
    *,
    bank_bin: str,
    account: str,
    amount: int | None = None,
    note: str = "",
    to_card: bool = False,
) -> str:
    """The payload string. An amount makes it a one-time (dynamic, `12`) code; without one it is the
    reusable (static, `11`) code for the account. Integer VND only."""
    if not (bank_bin.isdigit() and len(bank_bin) == 6):
        raise ValueError("bank BIN must be 6 digits")
    account = account.strip()[:MAX_CONSUMER_ID]
    if not account:
        raise ValueError("account number is empty")
    if amount is not None and (amount <= 0 or len(str(amount)) > MAX_AMOUNT_CHARS):
        raise ValueError("amount must be a positive integer of at most 13 digits")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    merchant = (
        _tlv("00", NAPAS_GUID)
        + _tlv("01", beneficiary)
        + _tlv("02", SERVICE_TO_CARD if to_card else SERVICE_TO_ACCOUNT)
    )
    parts = [
        _tlv("00", "01"),
        _tlv("01", "12" if amount is not None else "11"),
        _tlv("38", merchant),
        _tlv("53", "704"),
    ]
    if amount is not None:
        parts.append(_tlv("54", str(amount)))
    parts.append(_tlv("58", "VN"))
    clean_note = ascii_note(note)
    if clean_note:
        parts.append(_tlv("62", _tlv("08", clean_note)))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


@dataclass(frozen=True, slots=True)
class ParsedQR:
    bank_bin: str
    account: str
    service: str
    amount: int | None
    note: str
    dynamic: bool


def _fields(data: str) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while i < len(data):
        if i + 4 > len(data):
            raise ValueError("truncated TLV")
        tag, size = data[i : i + 2], int(data[i + 2 : i + 4])
        value = data[i + 4 : i + 4 + size]
        if len(value) != size:
            raise ValueError(f"field {tag} is shorter than its length")
        out[tag] = value
        i += 4 + size
    return out


def parse_payload(payload: str) -> ParsedQR:
    """Read a payload back (tests, and a sanity check before we print one). Checks the CRC."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise ValueError("no CRC field")
    expected = f"{crc16_ccitt(payload[:-4].encode('ascii')):04X}"
    if payload[-4:].upper() != expected:
        raise ValueError("CRC mismatch")
    top = _fields(payload[:-8])
    if top.get("00") != "01":
        raise ValueError("payload format indicator must be 01")
    merchant = _fields(top["38"])
    if merchant.get("00") != NAPAS_GUID:
        raise ValueError("not a NAPAS payload")
    beneficiary = _fields(merchant["01"])
    extra = _fields(top["62"]) if "62" in top else {}
    return ParsedQR(
        bank_bin=beneficiary["00"],
        account=beneficiary["01"],
        service=merchant.get("02", ""),
        amount=int(top["54"]) if "54" in top else None,
        note=extra.get("08", ""),
        dynamic=top.get("01") == "12",
    )


_NOT_CODE = re.compile(r"[^0-9A-Z]+")


def transfer_note(order_number: str) -> str:
    """The note for an order: its code in capitals without separators ("HD2026-000123" →
    "HD2026000123"). Banks drop or change `-`, `_` and `.`; the matcher finds the code either way."""
    return _NOT_CODE.sub("", strip_marks(order_number).upper())[:MAX_NOTE]


def order_vietqr(order_number: str, outstanding: int) -> str | None:
    """The dynamic VietQR payload for what is still owed on an order, into the spa's account from
    settings; None when nothing is owed or no account is set."""
    from spacrm.core.settings import get_settings

    settings = get_settings()
    if outstanding <= 0 or not settings.bank_bin or not settings.bank_account:
        return None
    return vietqr_payload(
        bank_bin=settings.bank_bin,
        account=settings.bank_account,
        amount=outstanding,
        note=transfer_note(order_number),
    )
