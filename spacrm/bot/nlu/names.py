"""People's names: the customer after an honorific ("chị Lan"), a capitalised run ("Lê Thị Thu"),
or the person after a marker ("ktv Hoa", "của Hoa"). Names are sliced from the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from spacrm.bot.nlu.dates import parse_date
from spacrm.bot.nlu.text import Doc
from spacrm.bot.nlu.vocab import (
    BARE_HONORIFICS,
    BEFORE_COLLEAGUE,
    COMPANY_FORMS,
    COMPANY_MARKER,
    GIVEN_NAMES,
    HONORIFIC_FILLERS,
    HONORIFICS,
    PHRASE_AFTER_NAME,
    STOPWORDS,
    SURNAMES,
)
from spacrm.core.textnorm import fold

_TOKEN = re.compile(r"[^\W\d_]+")
# Capitalised words that are not names when they follow one ("chị Lan Thứ 6", "anh Nam SĐT").
_TITLE_STOP = frozenset(
    "thứ chủ ngày lúc sđt sdt email mst ktv nguồn nguon zalo facebook fb tiktok spa kpi dv "
    "sáng chiều tối trưa hôm tuần tháng nhé ạ".split()
)
_MAX_NAME_WORDS = 4
_MAX_COMPANY_WORDS = 5
# Capitalised words after "spa"/"cửa hàng" that name a place, not the business ("spa Quận 1").
_PLACE_WORDS = frozenset("quận q phường huyện đường số chi nhánh cơ sở cn tp thành phố".split())
# "chu nhat" is Sunday, not "chú Nhật", when written without diacritics; "thứ 2" / "thu hai" is
# Monday, not a customer "Thu" ("nhắc em thứ 2 gọi lại chị Lan").
_DAY_NAME = re.compile(r"chu nhat(?![a-z])")
_WEEKDAY = re.compile(r"(?:chu nhat|thu (?:[2-7]|hai|ba|tu|nam|sau|bay))(?![a-z0-9])")


@dataclass(frozen=True)
class NameHit:
    start: int  # where the honorific or marker starts: all of it is used up
    end: int
    value: str


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    key: str


class _Tokens:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.items = [
            _Tok(m.start(), m.end(), m.group(), doc.key[m.start() : m.end()])
            for m in _TOKEN.finditer(doc.text)
        ]
        letters = [ch for ch in doc.text if ch.isalpha()]
        upper = sum(ch.isupper() for ch in letters)
        # A message typed in capitals says nothing about which words are names.
        self.shouting = len(letters) >= 6 and upper > 0.7 * len(letters)

    def joined(self, i: int) -> bool:
        """True when token i+1 follows token i after a single space (no comma, digits...)."""
        if i + 1 >= len(self.items):
            return False
        return self.doc.text[self.items[i].end : self.items[i + 1].start] == " "

    def is_title(self, tok: _Tok) -> bool:
        w = tok.text
        if self.shouting:
            return False
        return w[0].isupper() and (len(w) == 1 or not w[1:].isupper())

    def free(self, tok: _Tok) -> bool:
        return self.doc.free(tok.start, tok.end)

    def lower_ok(self, i: int) -> bool:
        tok = self.items[i]
        if _WEEKDAY.match(self.doc.key, tok.start):
            return False
        # Written with diacritics, a lowercase word is a name only if it is a common one.
        if self.doc.has_marks and tok.key not in GIVEN_NAMES:
            return False
        return (
            len(tok.key) >= 2
            and tok.key not in STOPWORDS
            and (tok.text.islower() or self.shouting)
            and not PHRASE_AFTER_NAME.match(self.doc.key, tok.start)
        )

    def name_at(self, i: int, *, lowercase: bool) -> tuple[int, int] | None:
        """Token range [i, j) of a name starting at token i, or None."""
        if i >= len(self.items) or not self.free(self.items[i]):
            return None
        tok = self.items[i]
        if self.is_title(tok) and tok.text.lower() not in _TITLE_STOP:
            j = i + 1
            while (
                j - i < _MAX_NAME_WORDS
                and self.joined(j - 1)
                and self.is_title(self.items[j])
                and self.items[j].text.lower() not in _TITLE_STOP
                and self.free(self.items[j])
            ):
                j += 1
            return i, j
        if not lowercase:
            return None
        if self.lower_ok(i):
            return (i, i + 2) if self.given_pair(i) else (i, i + 1)
        if self.plain_pair(i):
            return i, i + 2
        return None

    def given_pair(self, i: int) -> bool:
        """Tokens i and i+1 are two common given names typed as one name ("lan anh")."""
        return (
            i + 1 < len(self.items)
            and self.joined(i)
            and self.items[i].key in GIVEN_NAMES
            and self.items[i + 1].key in GIVEN_NAMES
            and self.lower_ok(i + 1)
        )

    def plain_pair(self, i: int) -> bool:
        """ "chị mai anh": a common word alone ("mai", tomorrow) is a name before another given
        name. Only a word without diacritics ("tư vấn" is no "Tú Vân")."""
        tok = self.items[i]
        return (
            tok.text == tok.key
            and self.given_pair(i)
            and not _WEEKDAY.match(self.doc.key, tok.start)
        )

    def value(self, i: int, j: int) -> str:
        return self.doc.text[self.items[i].start : self.items[j - 1].end]


def _honorific(tokens: _Tokens, i: int) -> bool:
    low = tokens.items[i].text.lower()
    if low in HONORIFICS:
        return True
    if low in BARE_HONORIFICS and i + 1 < len(tokens.items):
        if _DAY_NAME.match(tokens.doc.key, tokens.items[i].start):
            return False
        nxt = tokens.items[i + 1]
        if tokens.is_title(nxt):
            return True
        # Without diacritics anywhere, "chi lan" can only be "chị Lan"; a one-letter honorific
        # ("c lan", "a tuan") only before a common given name ("a nham" is "à nhầm").
        common = len(low) > 1 or nxt.key in GIVEN_NAMES
        # With diacritics elsewhere "c"/"a" is still "chị"/"anh" before a common given name
        # ("c lan thanh toán 2tr"): "à" would have been typed with its mark.
        plain = not tokens.doc.has_marks or len(low) == 1
        named = tokens.lower_ok(i + 1) or tokens.plain_pair(i + 1)
        return plain and common and low != "ban" and named
    return False


def find_named(doc: Doc) -> NameHit | None:
    """Whoever the message names, honorific or not: after an honorific, a capitalised full
    name, a lower-case full name, or a given name opening the message before a verb."""
    return (
        find_customer(doc)
        or find_capitalised_name(doc, single=False)
        or find_lowercase_full_name(doc)
        or find_subject_name(doc)
    )


def find_customer(doc: Doc) -> NameHit | None:
    """The first name after an honorific ("chị Lan", "kh anh Trần Văn Nam", "co Mai"), or the
    business after "công ty"/"cty"/"cửa hàng"/"spa" ("cty Minh Phát" -> "Minh Phát"), whichever
    comes first. "chị ấy", "khách này" point back at someone: they are no name."""
    tokens = _Tokens(doc)
    person = _person(tokens)
    company = _company(tokens)
    if person is None or (company is not None and company.start < person.start):
        return company
    return person


def _company(tokens: _Tokens) -> NameHit | None:
    """A business name: the capitalised words after a company keyword, legal forms skipped
    ("công ty TNHH Hoa Sen" -> "Hoa Sen"). A lowercase or all-capitals message gives none."""
    doc, items = tokens.doc, tokens.items
    if tokens.shouting:
        return None
    for m in doc.find(COMPANY_MARKER):
        i = next((k for k, t in enumerate(items) if t.start >= m.end()), None)
        if i is None or doc.text[m.end() : items[i].start].strip() not in ("", ":"):
            continue
        while i < len(items) and items[i].key in COMPANY_FORMS and tokens.joined(i):
            i += 1
        j = i
        while (
            j < len(items)
            and j - i < _MAX_COMPANY_WORDS
            and (j == i or tokens.joined(j - 1))
            and tokens.free(items[j])
            and _company_word(tokens, items[j])
        ):
            j += 1
        if j > i:
            return NameHit(m.start(), items[j - 1].end, tokens.value(i, j))
    return None


def _company_word(tokens: _Tokens, tok: _Tok) -> bool:
    low = tok.text.lower()
    if low in _TITLE_STOP or low in _PLACE_WORDS:
        return False
    capitals = len(tok.text) >= 2 and tok.text.isupper()  # "cty ABC"
    return tokens.is_title(tok) or capitals


def _person(tokens: _Tokens) -> NameHit | None:
    doc, items = tokens.doc, tokens.items
    for i, tok in enumerate(items):
        if not tokens.free(tok) or not _honorific(tokens, i):
            continue
        j = i + 1
        # "khách hàng chị Lan", "khách chị Ngọc": skip fillers and a second honorific.
        while j < len(items) and tokens.joined(j - 1):
            low = items[j].text.lower()
            # "khách hàng chị Lan": "hàng" only follows "khách"; "chi Hang" is Hằng.
            filler = low in HONORIFIC_FILLERS and items[j - 1].key in ("khach", "kh")
            if filler or (low in HONORIFICS and low not in ("anh", "em")):
                j += 1
            elif low in ("anh", "em") and j + 1 < len(items) and tokens.is_title(items[j + 1]):
                j += 1
            else:
                break
        if j >= len(items) or (
            not tokens.joined(j - 1) and not _colon_between(doc, items[j - 1], items[j])
        ):
            continue
        span = tokens.name_at(j, lowercase=True)
        if span:
            return NameHit(tok.start, items[span[1] - 1].end, tokens.value(*span))
    return None


def _colon_between(doc: Doc, a: _Tok, b: _Tok) -> bool:
    return doc.text[a.end : b.start].strip() in (":", "-")


def find_capitalised_name(doc: Doc, *, single: bool) -> NameHit | None:
    """A name written without honorific: the first run of capitalised words that are not
    command words ("KH mới: Lê Thị Thu, email ..."). `single` also accepts one word."""
    tokens = _Tokens(doc)
    items = tokens.items
    i = 0
    while i < len(items):
        span = tokens.name_at(i, lowercase=False) if tokens.is_title(items[i]) else None
        if span is None:
            i += 1
            continue
        start, end = span
        # Sentence-initial capitals ("Thêm Lê Thị Thu") are command words, not names; a family
        # name opening a longer run stays ("Phạm Thu Trang").
        while (
            start < end
            and items[start].key in STOPWORDS
            and not (items[start].key in SURNAMES and end - start >= 2)
        ):
            start += 1
        if end - start >= 2 or (end - start == 1 and single and start > 0):
            return NameHit(items[start].start, items[end - 1].end, tokens.value(start, end))
        i = span[1]
    return None


# Family names that are rarely another word: "le kim vy" typed in lower case is still a full
# name. Left out: đang, làm, mai, đó, họ, hạ, vụ, vợ, đường… ("dang cham soc" is no name).
_SAFE_SURNAMES = frozenset(
    "nguyen tran le pham hoang huynh bui dinh doan trinh truong quach".split()
)
# A name opening the message, then what the person did: "Vy chuyển khoản 2tr", "Lan đến rồi".
_SUBJECT_VERBS = frozenset(
    "da vua moi chuyen chuyn ck tm den toi t0i khong ko k bung huy dat hen mua thanh tra goi "
    "check c0 co xin nhan gui muon".split()
)


def find_lowercase_full_name(doc: Doc) -> NameHit | None:
    """A family name then given names, all in lower case ("le kim vy", "trần thu hà")."""
    tokens = _Tokens(doc)
    items = tokens.items
    for i, tok in enumerate(items):
        if tok.key not in _SAFE_SURNAMES or not tok.text.islower() or not tokens.free(tok):
            continue
        j = i + 1
        while (
            j < len(items)
            and j - i < _MAX_NAME_WORDS
            and tokens.joined(j - 1)
            and items[j].key in GIVEN_NAMES
            and items[j].text.islower()
            and tokens.free(items[j])
            and not PHRASE_AFTER_NAME.match(doc.key, items[j].start)
        ):
            j += 1
        if j - i >= 2:
            return NameHit(tok.start, items[j - 1].end, tokens.value(i, j))
    return None


def find_subject_name(doc: Doc) -> NameHit | None:
    """One capitalised given name opening the message, followed by what the person did."""
    tokens = _Tokens(doc)
    items = tokens.items
    if len(items) < 2 or doc.text[: items[0].start].strip():
        return None
    first, nxt = items[0], items[1]
    if (
        tokens.is_title(first)
        and first.key in GIVEN_NAMES
        and first.key not in STOPWORDS
        and tokens.joined(0)
        and nxt.key in _SUBJECT_VERBS
        and tokens.free(first)
    ):
        return NameHit(first.start, first.end, first.text)
    return None


def find_title_after(doc: Doc, marker: re.Pattern[str]) -> NameHit | None:
    """A capitalised name right after a marker, without honorific ("cho Kim", "gọi lại Lan",
    "tên Hồng"): the position says it is a person, the capital that it is a name."""
    tokens = _Tokens(doc)
    items = tokens.items
    for m in doc.find(marker):
        i = next((k for k, t in enumerate(items) if t.start >= m.end()), None)
        if i is None or doc.text[m.end() : items[i].start].strip() not in ("", ":"):
            continue
        if not tokens.is_title(items[i]) or items[i].text.lower() in HONORIFICS:
            continue
        span = tokens.name_at(i, lowercase=False)
        if span:
            return NameHit(items[span[0]].start, items[span[1] - 1].end, tokens.value(*span))
    return None


def find_person_after(doc: Doc, marker: re.Pattern[str]) -> NameHit | None:
    """The name right after a marker ("ktv Hoa", "của chị Hoa", "nv: Thúy")."""
    tokens = _Tokens(doc)
    items = tokens.items
    for m in doc.find(marker):
        i = next((k for k, t in enumerate(items) if t.start >= m.end()), None)
        if i is None or doc.text[m.end() : items[i].start].strip() not in ("", ":", "-"):
            continue
        if items[i].text.lower() in HONORIFICS | BARE_HONORIFICS and i + 1 < len(items):
            nxt = tokens.name_at(i + 1, lowercase=True)
            if nxt:
                return NameHit(m.start(), items[nxt[1] - 1].end, tokens.value(*nxt))
        span = tokens.name_at(i, lowercase=True)
        if span:
            return NameHit(m.start(), items[span[1] - 1].end, tokens.value(*span))
    return None


def given_names(text: str) -> frozenset[str]:
    """The words of `text` (folded) that may be someone's given name: after a role or honorific
    ("ktv Hoa mai nghỉ", "cho Mai nghỉ thứ 6"), or written with a capital that is not the
    message's first word ("Mai …" first is as likely "tomorrow"). A leave request is checked
    against the sender's colleagues with these (core/services/hr.colleague_named)."""
    words = text.split()
    keys = [fold(w).strip(".,!?:;") for w in words]
    found: set[str] = set()
    for i, (word, key) in enumerate(zip(words, keys, strict=True)):
        after_title = i > 0 and keys[i - 1] in BEFORE_COLLEAGUE
        capital = word[:1].isupper() and (i > 0 or (len(words) > 1 and key != "mai"))
        if key and (after_title or capital):
            found.add(key)
    return frozenset(found)


# What a colleague does in a leave or overtime message right after their name ("Hồng nghỉ phép
# thứ 7", "cho Mai xin nghỉ", "ktv Hoa tăng ca tối qua").
_LEAVE_VERBS = frozenset("nghi xin tang lam ot off dang bao om bi ve".split())


def leave_subject(text: str) -> str:
    """The given name a leave or overtime message is about, as typed, or "": a name opening the
    message (capitalised) or after a role ("ktv", "cho", "chị"), followed by the verb. The sender
    files only their own (core/services/hr), so a name that is not theirs files nothing."""
    words = text.split()
    keys = [fold(w).strip(".,!?:;") for w in words]
    for i, (word, key) in enumerate(zip(words, keys, strict=True)):
        if i + 1 >= len(words) or keys[i + 1] not in _LEAVE_VERBS:
            continue
        pronoun = word.lower() in HONORIFICS or key in BARE_HONORIFICS
        opening = i == 0 and word[:1].isupper()
        after_title = i > 0 and keys[i - 1] in BEFORE_COLLEAGUE
        # "Mai nghỉ" opening a message is as likely "tomorrow"; "cho Mai nghỉ" is her, and so
        # is "Mai tăng ca tối qua" (another day named: "Mai" is no day).
        tomorrow = key == "mai" and not (
            word[:1].isupper()
            and (after_title or parse_date(" ".join(words[i + 1 :]), date.today()) is not None)
        )
        if key in GIVEN_NAMES and not pronoun and not tomorrow and (opening or after_title):
            return word.strip(".,!?:;")
    return ""
