""" "While staff come, is this what you mean?" (issue 7): a customer question the bot is not sure
enough to answer is handed off as before, and when its likely pair is known (`Answer.suggested`)
the hand-off message offers it too, with the pair's question and one button. A yes (the button,
"đúng", "1") sends the pair's answer, keeps her wording as a variant for staff to approve and
tells the staff member what she was sent; anything else goes to staff like every message of a
handed-off chat. Never an answer she did not confirm, and never less of a hand-off: dev sets,
knowledge/answering.py OFFER_FLOOR."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacrm.core import clock
from spacrm.core.models import Conversation
from spacrm.core.services import dialogs
from spacrm.core.textnorm import fold
from spacrm.intents.chat import Button, Reply
from spacrm.intents.customer import lang
from spacrm.knowledge.qa import QAPair

STATE = "kboffer"
OFFER_SECONDS = 30 * 60  # an older offer is forgotten: a late "đúng" goes to staff like the rest
YES = "ko:y"  # the button's payload
MAX_WORDS = 6

_NO = re.compile(r"\b(?:khong|ko|k|hok|hong|kg|sai|chua|no|nope|not|ch)\b")
_YES = re.compile(
    r"^(?:1|dung|chuan|phai|vang|da|u|uh|um|uhm|ok|oke|okay|yes|yep|yeah|co|chinh xac|dung vay"
    r"|dung roi|dung r|phai roi|right|correct|xem|see)\b"
)


@dataclass(frozen=True, slots=True)
class Offer:
    pair_id: str
    question: str  # what she asked, kept as a variant when she says yes


async def make(conv: Conversation, pair: QAPair, question: str) -> Reply:
    """The hand-off message with the offer, remembered (the button: a quick reply on Messenger,
    a numbered line on Zalo, a chip on the widget)."""
    row = {"pair": pair.id, "question": question[:500], "at": clock.now().timestamp()}
    await dialogs.save(STATE, str(conv.id), row)
    text = lang.customer("handoff") + "\n" + lang.customer("offer").format(question=pair.question)
    return Reply(text, [[Button(lang.customer("offer_yes"), YES)]])


async def take(conv: Conversation) -> Offer | None:
    """The offer waiting for her answer (forgotten once read, or when too old)."""
    row = await dialogs.load(STATE, str(conv.id))
    if not row:
        return None
    await dialogs.clear(STATE, str(conv.id))
    if clock.now().timestamp() - float(row.get("at") or 0) > OFFER_SECONDS:
        return None
    return Offer(str(row.get("pair") or ""), str(row.get("question") or ""))


def read(text: str) -> bool:
    """A yes to the offer ("đúng rồi", "1", "vâng ạ", "xem", the button); a no ("không phải",
    "sai rồi") or anything else is for the staff member coming."""
    if text == YES:
        return True
    folded = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    if not folded or len(folded.split()) > MAX_WORDS or _NO.search(folded):
        return False
    return _YES.search(folded) is not None
