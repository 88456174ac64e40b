"""The customer's language: Vietnamese unless she writes English (UX.md: "English when the
customer writes English"). A customer writing without diacritics is still Vietnamese: a message
counts as English only when it has no Vietnamese letter and more English words than Vietnamese
chat words. The language holds for the turn being answered (a context variable set by the
engine), so every text the customer reads is picked in it; staff notices stay Vietnamese."""

from __future__ import annotations

import re
from contextvars import ContextVar

from spacrm.intents.customer.booking_texts import BOOKING, BOOKING_EN
from spacrm.intents.customer.texts import CUSTOMER, CUSTOMER_EN

CURRENT: ContextVar[str] = ContextVar("customer_lang", default="vi")
STATE = "clang"  # dialog rows: the language a customer conversation is answered in

_VI_LETTERS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")
_EN_WORDS = frozenset(
    """hi hello hey there the i i'd i'm im my you your is are am do does did can could would like
    want wanna book booking appointment please thanks thank how much what when where which who
    tomorrow today tonight price prices cost available free time name have has any for of with
    and or it this that at on in to be will yes no not don't dont morning afternoon evening
    need get make good great okay sorry about open close hours"""
    "".split()
)
_VI_WORDS = frozenset(
    """em chi anh ko khong cho minh dat lich gia bao nhieu nha nhe oi duoc dc k vay roi la co
    ten sdt buoi sang chieu toi mai hom nay thu shop ak a ah u uh vang da ban con slot muon
    xin lam gi sao the nao may gio"""
    "".split()
)


# A Vietnamese syllable typed without diacritics: initial consonant(s), vowels, a final among
# c/ch/m/n/ng/nh/p/t. "lan truoc lam xong bi rat do het mat, that vong qua" has two English words
# ("do", "that") but is all Vietnamese syllables; "gift", "cards", "please" are none.
_VI_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)


def detect(text: str) -> str | None:
    """ "en", "vi", or None when the message says nothing about it (a number, a phone, "ok")."""
    if _VI_LETTERS.search(text.lower()):
        return "vi"
    words = re.findall(r"[a-z']+", text.lower())
    english = sum(w in _EN_WORDS for w in words)
    vietnamese = sum(w in _VI_WORDS for w in words)
    syllables = sum(w not in _EN_WORDS and bool(_VI_SYLLABLE.match(w)) for w in words)
    if english and english > max(vietnamese, syllables):
        return "en"
    if vietnamese:
        return "vi"
    return None


def customer(key: str) -> str:
    """A customer text in the turn's language (Vietnamese when it has no English version)."""
    return (CUSTOMER_EN if CURRENT.get() == "en" else CUSTOMER).get(key) or CUSTOMER[key]


def booking(key: str) -> str:
    return (BOOKING_EN if CURRENT.get() == "en" else BOOKING).get(key) or BOOKING[key]


# English booking words rewritten as the Vietnamese the booking parser and the menu know; the
# spa's menu is Vietnamese, so the usual English names of spa treatments are mapped too.
_PM = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)")
_EN_TO_VI = [
    (r"\b(?:underarms?|armpits?)\s+(?:laser\s+)?hair\s+removal\b", "triệt lông nách"),
    (
        r"\b(?:laser\s+)?hair\s+removal\s+(?:on|for)\s+(?:the\s+|my\s+)?(?:underarms?|armpits?)\b",
        "triệt lông nách",
    ),
    (r"\bupper\s+lip\s+(?:laser\s+)?hair\s+removal\b", "triệt lông mép"),
    (r"\b(?:laser\s+)?hair\s+removal\b", "triệt lông"),
    (r"\bbasic\s+facial\b", "chăm sóc da cơ bản"),
    (r"\b(?:deep|intensive|advanced)\s+(?:cleansing\s+)?facial\b", "chăm sóc da chuyên sâu"),
    (r"\b(?:facial|face)\s+massage\b", "massage mặt"),
    (r"\bfacial\b", "chăm sóc da"),
    (r"\bbody\s+massage\b", "massage body"),
    (r"\b(?:foot|feet|leg)\s+massage\b", "massage chân"),
    (r"\b(?:head\s+spa|hair\s+wash|shampoo)\b", "gội đầu"),
    (r"\bacne\s+(?:treatment|facial)\b", "trị mụn"),
    (
        r"\b(?:reschedule|move|change)\s+(?:it|my\s+appointment|the\s+appointment|my\s+booking)?"
        r"\s*to\b",
        "dời lịch sang",
    ),
    (r"\bcancel\s+(?:it|my\s+appointment|the\s+appointment|my\s+booking)\b", "hủy lịch"),
    (r"\b(?:book|reserve|make\s+an\s+appointment\s+for|schedule)\b", "đặt lịch"),
    (r"\bday\s+after\s+tomorrow\b", "ngày mốt"),
    (r"\btomorrow\b", "ngày mai"),
    (r"\btonight\b", "tối nay"),
    (r"\btoday\b", "hôm nay"),
    (r"\bnext\s+week\b", "tuần sau"),
    (r"\bmonday\b", "thứ 2"),
    (r"\btuesday\b", "thứ 3"),
    (r"\bwednesday\b", "thứ 4"),
    (r"\bthursday\b", "thứ 5"),
    (r"\bfriday\b", "thứ 6"),
    (r"\bsaturday\b", "thứ 7"),
    (r"\bsunday\b", "chủ nhật"),
    (r"\bin\s+the\s+morning\b|\bmorning\b", "sáng"),
    (r"\bin\s+the\s+afternoon\b|\bafternoon\b", "chiều"),
    (r"\bin\s+the\s+evening\b|\bevening\b", "tối"),
]


def _clock(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), match.group(2) or ""
    if match.group(3).startswith("p") and hour < 12:
        hour += 12
    return f"{hour}h{minute}"


def english_to_vietnamese(text: str) -> str:
    """An English booking message in the words the Vietnamese booking parser reads ("book a basic
    facial tomorrow at 2pm" → "đặt lịch a chăm sóc da cơ bản ngày mai at 14h")."""
    return english_words(text.lower())


def english_words(text: str) -> str:
    """`english_to_vietnamese` keeping the case of what it does not rewrite (a name's capital:
    the staff parser reads it, bot/nlu/english.py)."""
    out = _PM.sub(_clock, text)
    for pattern, words in _EN_TO_VI:
        out = re.sub(pattern, words, out, flags=re.IGNORECASE)
    return out


# English questions asked of the Vietnamese Q&A: the question words become the Vietnamese ones the
# retriever reads ("how much" = "giá bao nhiêu"), treatment names as for bookings, and English
# grammar words are dropped; any other English word stays and is "foreign" to the spa's Q&A, so
# the question goes to a person rather than being matched on what is left ("gift cards").
_EN_QUESTION = [
    (r"\bhow\s+much\b|\bprices?\b|\bcosts?\b", "giá bao nhiêu"),
    (r"\bhow\s+many\s+(?:sessions|times|treatments)\b", "mấy buổi"),
    (r"\bhow\s+long\b", "bao lâu"),
    (r"\bwhat\s+time\b|\bopening\s+hours\b|\b(?:open|close)\b", "mấy giờ mở cửa"),
    (r"\bwhere\b|\baddress\b", "ở đâu"),
    (r"\bparking\b|\bpark\b", "gửi xe"),
    (r"\bwi-?fi\s+password\b|\bwi-?fi\b", "mật khẩu wifi"),
    (r"\b(?:promotions?|discounts?|deals?|offers?)\b", "khuyến mãi"),
    (r"\binstall?ments?\b", "trả góp"),
    (r"\brefunds?\b", "hoàn tiền"),
    (r"\bpregnant\b", "mang bầu"),
    (r"\bpackage\s+of\s+(\d+)\b|\b(\d+)[-\s]sessions?\s+package\b", r"gói \1\2 buổi"),
    (r"\bsessions?\b", "buổi"),
]
_EN_GRAMMAR = frozenset(
    """a an the is are am do does did can could would will i i'd i'm my me you your we our us it
    its this that these those for of to in on at with about please what which there much many
    per one each hi hello thanks thank and or also how""".split()
)


def english_question(text: str) -> str:
    """An English question in the words the Vietnamese Q&A reads ("how much is underarm hair
    removal?" → "giá bao nhiêu triệt lông nách")."""
    out = english_to_vietnamese(text)
    for pattern, words in _EN_QUESTION:
        out = re.sub(pattern, words, out)
    kept = [w for w in re.findall(r"[\w']+", out) if w not in _EN_GRAMMAR]
    return " ".join(kept)
