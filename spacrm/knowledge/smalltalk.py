"""Polite replies to messages that are only small talk: a greeting, thanks, goodbye, "ok".

`small_talk(text)` returns a reply, or None when the message carries anything else ("chào shop,
giá gội đầu bao nhiêu" is a question and goes through `answering.answer`). Only whole messages
made of small-talk words (plus who they address: "shop", "em", "chị"... and particles) count,
so a reply never swallows a question.

Note for callers: `handoff.asks_for_person` also matches a bare call-out ("ad ơi", "alo",
"shop ơi"); check `small_talk` first if those should be greeted rather than handed off.
"""

from __future__ import annotations

import re

from spacrm.core.textnorm import fold_words

GREETING = "greeting"
THANKS = "thanks"
GOODBYE = "goodbye"
ACK = "ack"

REPLIES = {
    GREETING: "Dạ em chào anh/chị ạ. Anh/chị cần em tư vấn dịch vụ nào ạ?",
    THANKS: "Dạ không có chi ạ. Anh/chị cần hỗ trợ thêm gì cứ nhắn em ạ.",
    GOODBYE: "Dạ em cảm ơn anh/chị, hẹn gặp lại anh/chị ạ.",
    ACK: "Dạ, anh/chị cần em hỗ trợ thêm gì cứ nhắn em ạ.",
}

# Folded phrases (fold_words: no diacritics, lower case, punctuation as spaces).
_PHRASES: dict[str, tuple[str, ...]] = {
    kind: tuple(phrase.strip() for phrase in phrases.split("|"))
    for kind, phrases in {
        GREETING: """hello|helo|hellu|hi|hey|alo|a lo|chao|xin chao|chao buoi sang|chao buoi chieu
            |chao buoi toi|good morning""",
        THANKS: """cam on|camon|cm on|thanks|thank|thank you|thanks you|thankyou|thank u|tks|thks
            |thx|ty|cam on nhieu|cam on nhe""",
        GOODBYE: """bye|bye bye|bai|bai bai|pp|tam biet|chao tam biet|hen gap lai|hen gap lai sau
            |goodbye|good bye""",
        ACK: """ok|oke|okie|oki|okay|okela|ok la|uh|uk|um|u|uhm|da|vang|da vang|duoc roi|dc roi
            |ok roi|roi|hieu roi|da hieu|biet roi|da biet|da duoc|ok duoc|yes|oh""",
    }.items()
}
# Whom the message addresses and particles: allowed around small talk, meaningless alone.
_ADDRESS = frozenset(
    """shop sop spa salon tiem ad admin em e chi c anh a ban b moi nguoi mn ca nha oi oii
    nhe nha nhen ne ha ho ak ah nhieu nhiu lam rat luon minh mk""".split()
)
_CALL_OUT = frozenset("oi oii shop spa salon tiem ad admin".split())
_LONGEST = max(len(phrase.split()) for phrases in _PHRASES.values() for phrase in phrases)
_LOOKUP = {tuple(phrase.split()): kind for kind, phrases in _PHRASES.items() for phrase in phrases}
# Priority when a message mixes kinds: "ok cảm ơn shop" is thanks, "dạ chào em" a greeting.
_PRIORITY = (THANKS, GOODBYE, GREETING, ACK)
_REPEATS = re.compile(r"(.)\1{2,}")  # "helloooo", "okkk" -> one letter too many is still fine
MAX_SMALL_TALK_CHARS = 80


def kind_of(text: str) -> str | None:
    """GREETING / THANKS / GOODBYE / ACK when the whole message is small talk, else None."""
    if len(text) > MAX_SMALL_TALK_CHARS:
        return None
    words = [_REPEATS.sub(r"\1", word) for word in fold_words(text).split()]
    found: set[str] = set()
    i = 0
    while i < len(words):
        for length in range(min(_LONGEST, len(words) - i), 0, -1):
            kind = _LOOKUP.get(tuple(words[i : i + length]))
            if kind is not None:
                found.add(kind)
                i += length
                break
        else:
            if words[i] not in _ADDRESS:
                return None  # a word that is not small talk: a real message
            i += 1
    if not found and _CALL_OUT & set(words):
        return GREETING  # "ad ơi", "shop ơi", "em ơi" alone: calling someone, a greeting
    return next((kind for kind in _PRIORITY if kind in found), None)


def small_talk(text: str) -> str | None:
    """A polite reply when `text` is only a greeting, thanks, goodbye or acknowledgement."""
    kind = kind_of(text)
    return REPLIES[kind] if kind else None
