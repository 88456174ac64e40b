"""Lead stages in staff words: tiềm năng, đang chăm sóc, đã đặt lịch, đang sử dụng DV, ngừng chăm sóc."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.bot.nlu.text import Doc, kw

_NEG = r"(?:khong|ko|k|hok|hong|kg|kh0ng)"
# The customer agreed to come ("đồng ý đặt lịch", "chốt lịch", "đã chốt"): the stage is booked.
# With a service or a time the message is the booking itself (see intents.classify).
AGREED = kw(
    r"dong y\s+(?:dat lich|dat hen|book(?:\s+lich)?|hen|lam)",
    r"chot(?:\s+duoc)?\s+lich(?:\s+hen)?",
    r"(?:da|vua|moi)\s+chot(?!\s+(?:don|duoc|doanh|so|ca|sale))",
    r"chot\s+(?:roi|r|xong)",
)
# Checked in this order: "ngừng chăm sóc" contains "chăm sóc", "không tiềm năng" contains "tiềm năng".
_STAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "dead",
        kw(
            r"(?:ngung|dung|thoi|bo|huy)\s+(?:cham soc|cham sok|cs|theo doi|theo|tu van|follow)",
            r"dead|lost|that bai|mat khach|tu choi|rot",
            rf"{_NEG}\s+(?:con\s+)?(?:tiem nang|quan tam|mua|nhu cau|co nhu cau|lien lac duoc)",
            r"ngung|dung lai|dung(?!\s+(?:dv|dich vu|sp|san pham|g0i|goi|lieu trinh))|huy(?!\s+(?:lich|hen|don|book|buoi))",
        ),
    ),
    (
        "in_service",
        kw(
            r"(?:dang\s+|da\s+|bat dau\s+)?(?:su dung|sd|d0ng|dung|lam|xai)\s+(?:dich vu|dv|san pham|sp|lieu trinh|g0i|goi)"
            # "dùng liệu trình buổi thứ 3 hôm nay": a session redeemed (complete_session)
            r"(?!(?: [a-z]+){0,3}? buoi(?: thu)? \d)",
            r"dang su dung|dang lam|dang dieu tri|dang d0ng|in service|in_service|da mua|khach hang chinh thuc",
        ),
    ),
    (
        "booked",
        kw(
            r"(?:da\s+)?dat lich|da book|booked|book roi|da hen lich|da dat hen|dat hen|da co lich",
            AGREED.pattern,
        ),
    ),
    (
        "caring",
        kw(
            r"(?:dang\s+)?cham soc|(?:dang\s+)?cham sok|dang cs|caring|dang tu van|dang theo doi|dang follow|dang lien he"
        ),
    ),
    ("potential", kw(r"tiem nang|tiem nag|potential|lead moi|moi tiem nang|khtn|kh tn")),
)


@dataclass(frozen=True)
class StageHit:
    start: int
    end: int
    value: str


def find_stage(doc: Doc) -> StageHit | None:
    """The stage named in the message (the first by position among the strongest readings)."""
    for stage, pattern in _STAGES:
        for m in doc.find(pattern):
            word = doc.text[m.start() : m.end()]
            # "Huy" or "Dung" with a capital is a person, not "hủy"/"dừng".
            if stage == "dead" and word[:1].isupper() and m.group() in ("huy", "dung"):
                continue
            return StageHit(m.start(), m.end(), stage)
    return None


def parse_stage(text: str) -> str | None:
    """ "đang chăm sóc" -> "caring", "ngung cham soc" -> "dead"...; None when no stage is named."""
    try:
        hit = find_stage(Doc.of(text))
    except Exception:  # a slot parser answers "no stage" rather than breaking the dialog
        return None
    return hit.value if hit else None
