"""A message holding several questions: "spa mở cửa mấy giờ, có chỗ gửi xe ko ạ".

The whole message is read first. Two things then depend on its parts:
- the whole is answered: each other part answered surely from another pair is added
  (`others`); a part the bot is unsure of adds nothing, nobody is called;
- the whole is handed off because two pairs both fit it and the decision trusts neither: it is
  answered part by part (`asking` then `joined`) when every part asks something, each is
  answered surely from its own pair and the message holds no word the spa never wrote. A part
  that tells gives the others their subject ("cho hỏi ngân hàng bên cạnh, mấy giờ mở cửa": the
  bank's hours, not the spa's), so it keeps the hand-off.

Shared by the customer engine (every channel, `spacrm ask`) and `answering.answer_offline`
(`spacrm kb test`, the eval sets), so what is measured is what customers get.
"""

from __future__ import annotations

import re

from spacrm.core.textnorm import fold_words
from spacrm.knowledge.qa import Answer
from spacrm.knowledge.retrieval import Retriever

# Where one question ends and the next begins in a message: "?", ",", ";", a new line, "và".
_CLAUSES = re.compile(r"[?;,\n]|\s(?:và|va|với lại|voi lai|also|and)\s", re.I)
MAX_PARTS = 3
MAX_TEXT = 2000  # a 20,000-character message is split from its beginning


def split(text: str) -> list[str]:
    """The parts of a message long enough to be a question of their own (3+ words)."""
    return [p for p in _CLAUSES.split(text[:MAX_TEXT]) if len(p.split()) >= 3]


# Folded words that ask: "không"/"ko"/"chưa" (yes/no), "gì", "sao", "nào", "ai", "bao"
# (nhiêu / lâu) and its abbreviations. Not a topic that can be asked about ("cho rẻ", "cuối
# tuần cả nhà đi" name a price and a time yet ask nothing: read as questions, "cuối tuần cả nhà
# đi, con nít có làm được không" was answered with the opening hours).
_ASKING = frozenset(
    "khong ko k hok hong khum kg khg hem chua gi sao nao ai bao bn bnh bnhieu".split()
)
# Asking words whose folded form is also another word ("mấy": máy, "đâu": đau): accented, or
# folded where the word beside them leaves one reading ("mấy giờ", "ở đâu").
_ASKING_ACCENTED = re.compile(r"\b(?:mấy|đâu)\b", re.I)
_ASKING_FOLDED = re.compile(r"\bmay (?:gio|h|tieng|buoi|lan|ngay|phut)\b|\bo dau\b")


def asks(part: str) -> bool:
    """Whether a part asks something ("e đang ở spa, xin pass wifi": the first part tells)."""
    folded = fold_words(part)
    if "?" in part or _ASKING_ACCENTED.search(part) or _ASKING_FOLDED.search(folded):
        return True
    return any(word in _ASKING for word in folded.split())


def others(text: str) -> list[str]:
    """The parts of an answered message that may be other questions (to answer, if sure)."""
    parts = split(text)
    return [p for p in parts[:MAX_PARTS] if asks(p)] if len(parts) >= 2 else []


def asking(text: str, retriever: Retriever) -> list[str] | None:
    """The parts of a handed-off message to answer one by one, or None when it is not 2-3
    questions of the spa's own words."""
    parts = split(text)
    if not 2 <= len(parts) <= MAX_PARTS or not all(map(asks, parts)):
        return None
    if retriever.assess(text).foreign:
        return None
    return parts


def joined(answers: list[Answer]) -> Answer | None:
    """One answer to every part, when each is sure and from its own pair; else None."""
    if any(a.handoff or not a.text for a in answers):
        return None
    if len({a.match for a in answers}) < len(answers):
        return None
    confidence = min(a.confidence for a in answers)
    return Answer("\n".join(a.text for a in answers), answers[0].match, confidence, False)
