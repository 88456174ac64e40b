"""Tell the clause that asks from the clauses that only tell (issue 7, fifth pass).

Customers wrap their question in everyday talk about themselves: "chị đứng bán hàng cả ngày
mỏi chân quá, massage chân bên em giá sao", "tuần sau e đi biển Vũng Tàu với công ty, xăm xong có
tắm biển được ko". Words of that talk the spa never wrote ("bán hàng", "Vũng Tàu") are no sign the
customer asks about another business, yet `retrieval.foreign_words` hands such a question off. A
word list cannot keep up with everything people say about themselves, so this decides by the
message's structure instead: a word the spa never wrote is only context when it sits in a clause
that asks nothing (no question word, no "what kind of answer" concept), while another clause asks,
and the message is about one of the spa's own topics (a word of its Q&A that says more than
"giá", "mấy giờ", "ở đâu"). A word the spa never wrote inside the asking clause still hands off:
"ngân hàng mấy giờ mở cửa", "mình cần mở tài khoản ngân hàng, mấy giờ mở cửa".

Two shapes say the same inside any clause: the place after "em ở" / "mình ở" (where the customer
comes from) and a word followed by a degree word ("xấu quá", "khen lắm": a quality or a feeling).

Measured and dropped (fifth pass): a list of everyday words derived from the dev sets' customer
questions (a word used around questions of 2+ businesses, never in an off-topic one) held 18
words and covered 5 of the 35 such words of a left-out set; word frequencies (wordfreq's
Vietnamese list) rank "khuya" (4.1) and "xíu" (4.1) below "hàng" (6.0) and "phim" (5.6).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacrm.core.textnorm import fold, nfc
from spacrm.knowledge import lexicon
from spacrm.knowledge.analysis import MAX_ANALYSED_CHARS, Analysis, analyze

# Punctuation, "thì" (also typed "thi": the noun "thi", an exam, is rare in a spa's chat) and "mà"
# typed with its accent ("ma" folded is also "má", "mã") end a clause: "hồi trước e xăm cái hình
# xấu quá giờ muốn xóa đi thì bao nhiêu tiền", "e chay xe may toi thi gui xe o dau".
# A "?" stays with its clause (zero-width split after it): it is what makes that clause ask.
_BOUNDARY = re.compile(r"(?<=\?)|[,.;!\n…]+|\s(?:thì|thi|mà)\s")
_WORD = re.compile(r"\w+")
OWN_TOPIC_WORDS = 2
# Folded words that make a clause ask something (with the lexicon's question concepts: price,
# duration, hours, where, how...). "mấy" is left out: folded, it is also "máy" (xe máy).
_ASKING = frozenset("khong ko k hok hong khum kg hem chua gi sao nao dau ai bao".split())


# Words of the phrases that ask for a kind of answer ("mở" of "mở cửa", "giá"): alone they name
# no topic ("mở tài khoản ngân hàng" is not the spa's opening hours).
_QUESTION_WORDS = frozenset(
    word
    for concept in lexicon.QUESTION_CONCEPTS
    for phrase in lexicon.CONCEPTS.get(concept, ())
    for word in _WORD.findall(fold(phrase))
)


def _asks(raw: str, words: list[str], analysis: Analysis) -> bool:
    return (
        "?" in raw
        or any(word in _ASKING for word in words)
        or bool(analysis.concepts & lexicon.QUESTION_CONCEPTS)
    )


def _topic_words(analysis: Analysis, vocabulary: frozenset[str]) -> set[str]:
    """Words of the spa's Q&A in `analysis` that name a topic, not only the kind of answer."""
    return {
        word
        for word in analysis.words
        if word in vocabulary
        and word not in lexicon.GENERIC_WORDS
        and word not in lexicon.UNITS
        and not word[0].isdigit()
        and word not in _QUESTION_WORDS
        and not analysis.explained_by.get("w:" + word, frozenset()) & lexicon.QUESTION_CONCEPTS
    }


def drop_context_words(
    question: str,
    unknown: frozenset[str],
    vocabulary: frozenset[str],
    correct: Callable[[str], str | None] | None = None,
) -> str:
    """`question` without the `unknown` words (folded) of clauses that ask nothing, when another
    clause asks and the spa's topic is named in an asking clause or in that clause itself; else
    `question` unchanged."""
    parts = [p for p in _BOUNDARY.split(nfc(question[:MAX_ANALYSED_CHARS]).lower()) if p.strip()]
    described = [_described(raw, unknown) for raw in parts]
    if any(described):
        parts = [
            " ".join(w for i, w in enumerate(_WORD.findall(raw)) if i not in drop)
            for raw, drop in zip(parts, described, strict=True)
        ]
        parts = [p for p in parts if p.strip()]
        question = ", ".join(parts)
    if len(parts) < 2:
        return question
    clauses = []
    for raw in parts:
        words = [fold(w) for w in _WORD.findall(raw)]
        analysis = analyze(raw, correct)
        topics = _topic_words(analysis, vocabulary)
        # Nothing the spa could answer about: no topic word, no concept (a kind of customer, a
        # price, a time) - "e đi làm về mệt quá", "hôm trước bạn e làm ở đây khen lắm".
        idle = not topics and not analysis.concepts - {lexicon.FILLER}
        clauses.append((raw, words, _asks(raw, words, analysis), topics, idle))
    asking_topics = set().union(*(topics for _, _, asks, topics, _ in clauses if asks))
    if not any(asks for _, _, asks, _, _ in clauses):
        return question
    kept: list[str] = []
    for raw, words, asks, topics, idle in clauses:
        if idle and not asks and asking_topics:
            # Its known everyday words ("làm", "ở đây") would only lift a pair's match: a trap
            # wrapped in chit-chat ("…, bạn có bán ghế massage ko") must score as if asked bare.
            continue
        # One shared word is no topic of its own ("mở tài khoản", "mua iphone trả góp"): a clause
        # that only tells stands on the asking clauses' topic, or on two words of the spa's own.
        if asks or not (asking_topics or len(topics) >= OWN_TOPIC_WORDS):
            kept.append(raw.strip())
            continue
        # Named only in this clause, the topic must not be what the unknown word qualifies:
        # "mua iphone trả góp" is about an iphone, "trời lạnh muốn đi xông hơi" about the sauna.
        near = set() if asking_topics else _next_to(words, topics)
        kept.append(
            " ".join(
                w for w, f in zip(_WORD.findall(raw), words, strict=True) if f not in unknown - near
            )
        )
    return ", ".join(part for part in kept if part)


def _next_to(words: list[str], topics: set[str]) -> set[str]:
    """Words right before or after a topic word."""
    return {
        words[j]
        for i, word in enumerate(words)
        if word in topics
        for j in (i - 1, i + 1)
        if 0 <= j < len(words)
    }


# Where the customer is: "em ở quận 10", "mình ở Thủ Đức qua có xa không". A place after a person
# and "ở" says where they come from, not what they ask about.
_PERSONS = frozenset("e em minh mk mik chi c anh toi t tui to nha".split())
_PLACE_WORDS = 3
# Degree words after a word make it a quality or a feeling ("xấu quá", "khen lắm", "sợ ghê"),
# never the name of another business. Folded, "qua" and "lam" are also "qua" (over) and "làm"
# (do): without diacritics they count only at the end of a clause.
_DEGREE_TYPED = frozenset("quá lắm ghê".split())
_DEGREE_FOLDED = frozenset("qua lam ghe".split())


def _described(raw: str, unknown: frozenset[str]) -> set[int]:
    """Positions (in `raw`'s words) of unknown words that describe the customer: their place,
    or a quality they feel (see _PERSONS, _DEGREE_TYPED)."""
    typed = _WORD.findall(raw)
    words = [fold(w) for w in typed]
    found: set[int] = set()
    for i, word in enumerate(words):
        if word == "o" and i and words[i - 1] in _PERSONS:
            found |= {j for j in range(i + 1, min(i + 1 + _PLACE_WORDS, len(words)))}
        last = i + 1 == len(words) - 1
        if i + 1 < len(words) and (
            typed[i + 1] in _DEGREE_TYPED or (last and words[i + 1] in _DEGREE_FOLDED)
        ):
            found.add(i)
    return {i for i in found if words[i] in unknown}
