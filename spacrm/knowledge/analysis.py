"""Turn a customer message or a trained question into weighted match features.

Pipeline: NFC + lower case -> drop courtesy particles -> fold diacritics -> expand chat slang ->
(optionally) fix typos against the trained vocabulary -> find lexicon concepts -> features.

Features, by kind (the weight says how much a kind counts before IDF):
  w:word    folded content word                      n:123   a number ("199k", "9h", "10")
  a:word    the word as typed with diacritics, so "nám" (melasma) can beat "nam" (male)
  b:w1_w2   two consecutive content words ("triet_long"); Vietnamese words are often two syllables
  k:name    a lexicon concept ("k:price" for "bn", "giá sao", "chi phí" ...)
Character trigrams of the folded words are kept apart for fuzzy matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacrm.core.textnorm import fold, nfc
from spacrm.knowledge import lexicon

# Retrieval only reads the start of a message: a pasted 20,000-character text must stay fast.
MAX_ANALYSED_CHARS = 600

KIND_WEIGHTS = {"w": 1.0, "n": 0.3, "a": 0.4, "b": 0.7, "k": 1.5, "q": 1.0, "f": 0.8}
# Words inside a concept phrase mostly restate the concept ("quẹt thẻ" is k:payment); they keep a
# little weight to tell "sơn gel" from "đắp gel", while the concept carries the meaning, so a
# synonym ("chuyển khoản" for "thanh toán") scores almost like the same words.
COVERED_FACTOR = 0.35

# A unit after a number ("5 tháng") weighs like the number: detail, not topic.
UNIT_FACTOR = KIND_WEIGHTS["n"]

_TOKEN = re.compile(r"\w+")
_CLOCK_TIME = re.compile(r"^\d{1,2}h\d{0,2}$")


@dataclass(frozen=True, slots=True)
class Analysis:
    words: tuple[str, ...]
    concepts: frozenset[str]
    features: dict[str, float]  # feature -> kind weight
    trigrams: frozenset[str]
    # Word/bigram features inside a concept phrase -> that concept: when the other side has the
    # concept, these words count as matched ("chương trình ưu đãi" is fully said by "khuyến mãi").
    explained_by: dict[str, frozenset[str]]
    # Specific services named (folded family phrases that are not generic: "uon", "son gel").
    services: frozenset[str] = frozenset()
    typed: tuple[str, ...] = ()  # `words` as typed (with diacritics when the writer used them)
    corrected: tuple[tuple[str, str], ...] = ()  # (as written, trained word) typo repairs

    @property
    def question_kinds(self) -> frozenset[str]:
        return self.concepts & lexicon.QUESTION_CONCEPTS


def _fold_phrase(phrase: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(phrase)))


_SLANG: dict[str, tuple[str, ...]] = {
    key: _fold_phrase(value) for key, value in lexicon.SLANG.items()
}
# folded phrase -> {spelling with diacritics -> concepts}
_PHRASE_CONCEPTS: dict[tuple[str, ...], dict[tuple[str, ...], set[str]]] = {}
for _concept, _phrases in lexicon.CONCEPTS.items():
    for _phrase in _phrases:
        _spelled = tuple(_TOKEN.findall(nfc(_phrase).lower()))
        _by_spelling = _PHRASE_CONCEPTS.setdefault(_fold_phrase(_phrase), {})
        _by_spelling.setdefault(_spelled, set()).add(_concept)
_LONGEST_PHRASE = max(len(phrase) for phrase in _PHRASE_CONCEPTS)
LEXICON_WORDS = frozenset(word for phrase in _PHRASE_CONCEPTS for word in phrase)
_GENERIC = frozenset(_fold_phrase(phrase) for phrase in lexicon.FAMILY_GENERIC)
_SERVICE_ALIASES = {
    _fold_phrase(alias): " ".join(_fold_phrase(name))
    for alias, name in lexicon.SERVICE_ALIASES.items()
}


def _phrase_concepts(typed: list[str], folded: list[str]) -> set[str]:
    """Concepts of a phrase; a word typed *with* diacritics must be spelled like the lexicon's
    ("nám có" is not "nam có"), a word typed without them matches any spelling."""
    found: set[str] = set()
    for spelling, concepts in _PHRASE_CONCEPTS.get(tuple(folded), {}).items():
        if all(t == f or t == s for t, f, s in zip(typed, folded, spelling, strict=True)):
            found |= concepts
    return found


_PHRASE_SLANG = {
    tuple(_TOKEN.findall(nfc(key).lower())): value for key, value in lexicon.PHRASE_SLANG.items()
}


def _merge_phrases(typed_words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(typed_words):
        pair = tuple(typed_words[i : i + 2])
        if pair in _PHRASE_SLANG:
            out.extend(_PHRASE_SLANG[pair].split())
            i += 2
        else:
            out.append(typed_words[i])
            i += 1
    return out


_ENGLISH = {tuple(key.split()): value.split() for key, value in lexicon.ENGLISH.items()}
_ENGLISH_LONGEST = max(len(key) for key in _ENGLISH)
_ENGLISH_WORDS = frozenset(w for key in _ENGLISH for w in key) | lexicon.ENGLISH_FILLER
# A folded Vietnamese syllable: onset, vowels, coda. An English message has words that are not
# ("how", "price", "where"); a Vietnamese one typed without diacritics ("co the an do") has none.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)


def _is_english(words: list[str]) -> bool:
    """Mostly English words, and at least one that no Vietnamese syllable is spelled like; or,
    when the message names things the lexicon does not know ("what's the water temperature for
    babies"), two English function words and two words no Vietnamese syllable is spelled like,
    with seven words in ten English-looking ("the", "can", "may" alone fold like "thẻ", "cần",
    "máy")."""
    if not words or not all(word.isascii() for word in words):
        return False
    known = [word in _ENGLISH_WORDS for word in words]
    unsyllabic = [not _SYLLABLE.match(word) for word in words]
    pairs = list(zip(known, unsyllabic, strict=True))
    if sum(known) >= max(1, 0.6 * len(words)) and any(k and u for k, u in pairs):
        return True
    filler = sum(word in lexicon.ENGLISH_FILLER for word in words)
    looking = sum(k or u for k, u in pairs)
    return sum(unsyllabic) >= 2 and filler >= 2 and looking >= 0.7 * len(words)


def _from_english(words: list[str]) -> list[str]:
    """An English message word by word in the Vietnamese a customer would type ("how much for a
    nose job" -> "bao nhiêu nâng mũi"); words it does not know ("sunscreen") stay as written."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for length in range(min(_ENGLISH_LONGEST, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + length])
            if phrase in _ENGLISH:
                out.extend(_ENGLISH[phrase])
                i += length
                break
        else:
            if words[i] not in lexicon.ENGLISH_FILLER:
                out.append(words[i])
            i += 1
    return out


def tokens(text: str) -> list[tuple[str, str]]:
    """(as typed, folded) word pairs with particles dropped and slang expanded."""
    out: list[tuple[str, str]] = []
    raw = _TOKEN.findall(nfc(text[:MAX_ANALYSED_CHARS]).lower())
    if _is_english(raw):
        raw = _from_english(raw)
    for typed in _merge_phrases(raw):
        if typed in lexicon.ACCENTED_STOPWORDS or typed == "_":
            continue
        folded = fold(typed)
        # A word typed with diacritics is itself: "hồng" (pink) is not the "hong" of "không".
        plain = typed.replace("đ", "d") == folded
        expansion = _SLANG.get(typed) or (_SLANG.get(folded) if plain else None)
        if expansion:
            out.extend((word, word) for word in expansion)
        else:
            out.append((typed, folded))
    return out


def analyze(text: str, correct: Callable[[str], str | None] | None = None) -> Analysis:
    """Features of one text. `correct` maps an unknown word to a trained one (typo repair)."""
    pairs = tokens(text)
    repairs: list[tuple[str, str]] = []
    if correct is not None:
        fixed_pairs = [_corrected(pair, correct) for pair in pairs]
        repairs = [(a[1], b[1]) for a, b in zip(pairs, fixed_pairs, strict=True) if a != b]
        pairs = fixed_pairs
    concepts, dropped, covered, services = _find_concepts(
        [t for t, _ in pairs], [f for _, f in pairs]
    )

    words: list[str] = []
    typed_words: list[str] = []
    owners: list[frozenset[str]] = []  # the concept covering each kept word, if any
    features: dict[str, float] = {}
    explained_by: dict[str, frozenset[str]] = {}
    for position, (typed, word) in enumerate(pairs):
        if position in dropped or word in lexicon.FOLDED_STOPWORDS:
            continue
        owner = covered.get(position, frozenset())
        factor = COVERED_FACTOR if owner - lexicon.FAMILY_CONCEPTS else 1.0
        if position and word in lexicon.UNITS and pairs[position - 1][1][:1].isdigit():
            factor = min(factor, UNIT_FACTOR)
        words.append(word)
        typed_words.append(typed)
        owners.append(owner)
        if word[0].isdigit():
            _put(features, "n:" + word, KIND_WEIGHTS["n"])
            continue
        names = ["w:" + word] + (["a:" + typed] if typed != word else [])
        for name in names:
            _put(features, name, KIND_WEIGHTS[name[0]] * factor)
            _explain(explained_by, name, owner)
    for i in range(len(words) - 1):
        name = f"b:{words[i]}_{words[i + 1]}"
        both = owners[i] & owners[i + 1]
        factor = COVERED_FACTOR if both - lexicon.FAMILY_CONCEPTS else 1.0
        _put(features, name, KIND_WEIGHTS["b"] * factor)
        _explain(explained_by, name, both)
    if any(_CLOCK_TIME.match(word) for word in words) and not concepts - lexicon.SOFT_CONCEPTS:
        # "tối nay 7h qua được không": a time of day with nothing else asked is about hours.
        concepts.add("hours")
    for concept in concepts:
        features["k:" + concept] = KIND_WEIGHTS[_concept_kind(concept)]
    return Analysis(
        tuple(words),
        frozenset(concepts),
        features,
        _trigrams(words),
        explained_by,
        services,
        tuple(typed_words),
        tuple(repairs),
    )


def _concept_kind(concept: str) -> str:
    if concept in lexicon.QUESTION_CONCEPTS:
        return "q"
    return "f" if concept in lexicon.FAMILY_CONCEPTS else "k"


def _put(features: dict[str, float], feature: str, weight: float) -> None:
    # A word seen twice, once inside a concept phrase, keeps its stronger weight.
    features[feature] = max(weight, features.get(feature, 0.0))


def _explain(explained_by: dict[str, frozenset[str]], feature: str, owner: frozenset[str]) -> None:
    # The same word outside any concept phrase elsewhere in the text must be matched itself.
    if not owner:
        explained_by[feature] = frozenset()
    elif explained_by.get(feature) != frozenset():
        explained_by[feature] = explained_by.get(feature, frozenset()) | owner


def _corrected(pair: tuple[str, str], correct: Callable[[str], str | None]) -> tuple[str, str]:
    word = pair[1]
    if (
        len(word) < 4
        or word in LEXICON_WORDS
        or word in lexicon.FOLDED_STOPWORDS
        or word in lexicon.GENERIC_WORDS  # a real word ("chồng"), not a typo of "chọn"
    ):
        return pair
    fixed = correct(word)
    return (fixed, fixed) if fixed else pair


def _find_concepts(
    typed: list[str], words: list[str]
) -> tuple[set[str], set[int], dict[int, frozenset[str]], frozenset[str]]:
    """Greedy longest-phrase match, so "bao nhiêu buổi" is a duration, not a price.

    Returns the concepts, the positions whose words are dropped (question words and filler:
    "bao", "gia" alone would only add noise), the topic concepts covering other positions and
    the specific services named.
    """
    services: set[str] = set()
    concepts: set[str] = set()
    dropped: set[int] = set()
    covered: dict[int, frozenset[str]] = {}
    for span, found in concept_spans(typed, words):
        if found & lexicon.QUESTION_CONCEPTS or lexicon.FILLER in found:
            dropped.update(span)
        else:
            covered.update(dict.fromkeys(span, frozenset(found)))
        phrase = tuple(words[span.start : span.stop])
        if found & lexicon.FAMILY_CONCEPTS and phrase not in _GENERIC:
            services.add(_SERVICE_ALIASES.get(phrase, " ".join(phrase)))
        concepts |= found - {lexicon.FILLER}
    return concepts, dropped, covered, frozenset(services)


def concept_spans(typed: list[str], words: list[str]) -> list[tuple[range, set[str]]]:
    """The lexicon phrases of a text, longest first, left to right: (word positions, concepts)."""
    spans: list[tuple[range, set[str]]] = []
    i = 0
    while i < len(words):
        for length in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            found = _phrase_concepts(typed[i : i + length], words[i : i + length])
            if found:
                spans.append((range(i, i + length), found))
                i += length
                break
        else:
            i += 1
    return spans


def _trigrams(words: list[str]) -> frozenset[str]:
    grams: set[str] = set()
    for word in words:
        padded = f"#{word}#"
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)
