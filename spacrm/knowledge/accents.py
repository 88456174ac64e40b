"""Put the diacritics back on a question typed without them, from the spa's own Q&A text.

Customers type "giam mo bung bn"; the semantic model (knowledge.meaning) reads unaccented
Vietnamese poorly (it ranks the right pair first about a third as often as for the same question
with diacritics), since "mo", "bung" stand for a dozen words each. The pairs' questions, variants
and answers are written with diacritics, so they say which accented syllable a folded one most
likely is here, and with which neighbour: "mo bung" -> "mỡ bụng" at a slimming centre, "mở cửa"
for "mo cua" anywhere. Chat slang is expanded first ("bn" -> "bao nhiêu"). Syllables typed with
diacritics are kept; syllables the spa never wrote stay as typed.

A small Viterbi over the candidates of each syllable: how often the spa wrote the accented form
for that folded syllable, plus a bonus for each pair of neighbours the spa wrote together.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from spacrm.core.textnorm import fold, nfc
from spacrm.knowledge import lexicon

_TOKEN = re.compile(r"\w+")
# How much a pair of neighbours written together by the spa outweighs the single-syllable odds.
PAIR_BONUS = 3.0
MAX_CANDIDATES = 6  # accented forms kept per folded syllable (the most frequent)
MAX_WORDS = 60  # a question longer than this keeps its tail as typed (the model reads the start)


# Everyday chat the spa's own text rarely holds, written out with diacritics: the pronouns
# customers shorten to one letter and the particles they end a question with.
CHAT = """em muốn hỏi chị ơi anh ơi vậy ạ được không có không bao nhiêu tiền tối nay sáng mai
chiều nay hôm nay làm xong thì sao vậy nhé nha mình với cho em xin hỏi chút ạ đã chưa rồi
sáng trưa tối qua đâu nào gì thế nào bao lâu mấy giờ mấy ngày mấy tuần mấy tháng một hai ba
bốn năm sáu bảy tám chín mười hay là hoặc nhưng mà còn nữa thôi luôn cũng vẫn đang sẽ vừa mới
"""
_CHAT_SLANG = {"e": "em", "c": "chị", "ce": "chị em", "mik": "mình", "mk": "mình"}


def _words(text: str) -> list[str]:
    return _TOKEN.findall(nfc(text).lower())


def _lexicon_text() -> list[str]:
    """The lexicon's phrasings are written with diacritics: a base every spa shares."""
    texts: list[str] = []
    for name, value in vars(lexicon).items():
        # The English map's Vietnamese repeats the concepts; counting it again would tip the odds
        # of syllables ("an toàn" over "ăn") away from what customers write.
        if isinstance(value, dict) and name != "ENGLISH":
            texts.extend(k for k in value if isinstance(k, str))
            for v in value.values():
                if isinstance(v, str):
                    texts.append(v)
                elif isinstance(v, Iterable):
                    texts.extend(x for x in v if isinstance(x, str))
    return [t for t in texts if t != fold(t) and t not in lexicon.ACCENT_BASE_EXCLUDED]


class Restorer:
    """The accent statistics of one set of texts (a spa's pairs)."""

    def __init__(self, texts: Iterable[str]) -> None:
        single: dict[str, Counter[str]] = defaultdict(Counter)
        self._pairs: Counter[tuple[str, str]] = Counter()
        for text in (*texts, *_lexicon_text(), CHAT):
            words = _words(text)
            for word in words:
                single[fold(word)][word] += 1
            for left, right in itertools.pairwise(words):
                self._pairs[left, right] += 1
        self._options: dict[str, list[tuple[str, float]]] = {}
        for folded, counts in single.items():
            total = sum(counts.values())
            self._options[folded] = [
                (word, math.log(count / total))
                for word, count in counts.most_common(MAX_CANDIDATES)
            ]

    def restore(self, question: str) -> str:
        """`question` with diacritics where the spa's text says which ones (lower case)."""
        words = _words(question)
        tail = words[MAX_WORDS:]
        typed: list[str] = []
        for word in words[:MAX_WORDS]:
            expansion = (
                _CHAT_SLANG.get(word) or lexicon.SLANG.get(word) or lexicon.SLANG.get(fold(word))
            )
            typed.extend(expansion.split() if expansion else (word,))
        if not typed:
            return question
        lattice = [
            self._options.get(word, [(word, 0.0)]) if word == fold(word) else [(word, 0.0)]
            for word in typed
        ]
        # best[i][word] = (score, previous word) of the best path ending in `word` at i
        best: list[dict[str, tuple[float, str]]] = [{word: (odds, "") for word, odds in lattice[0]}]
        for options in lattice[1:]:
            column: dict[str, tuple[float, str]] = {}
            for word, odds in options:
                column[word] = max(
                    (score + odds + PAIR_BONUS * math.log1p(self._pairs[prev, word]), prev)
                    for prev, (score, _) in best[-1].items()
                )
            best.append(column)
        word = max(best[-1], key=lambda w: best[-1][w][0])
        out = [word]
        for column in reversed(best[1:]):
            word = column[word][1]
            out.append(word)
        return " ".join([*reversed(out), *tail])
