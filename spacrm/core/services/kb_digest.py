"""The daily "câu hỏi chưa trả lời được" digest (issue 7, seed #36): once a day, at the morning
summary's time, every manager who approves the chatbot's knowledge and is linked on a staff chat
gets the open unanswered customer questions. Claimed by a unique (kind, user, day) row written
with the queued message in one transaction (`scheduled_sends.claim_and_queue`), so it goes out
once a day across processes, and a crash between the two leaves neither. Nothing is sent on a day
with no question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacrm.core import clock
from spacrm.core.actors import Role
from spacrm.core.models import UnansweredQuestion, User
from spacrm.core.services import scheduled_sends
from spacrm.core.services.channels import staff_route
from spacrm.core.services.kb_training import OPEN
from spacrm.core.services.morning import is_due

KIND = "kb_digest"
# The people who decide what the bot says for the whole company (team leads approve articles
# of their team but are not asked every morning).
DIGEST_ROLES = (Role.ADMIN, Role.BOARD, Role.REGION, Role.BRANCH_DIRECTOR)
MAX_QUESTIONS = 500


@dataclass(frozen=True, slots=True)
class Digest:
    user_id: int
    lang: str
    channel: str
    chat_id: str
    day: date
    questions: list[tuple[int, str, str | None]]  # (id, text, best matching pair id)


async def pending_kb_digests() -> list[Digest]:
    """Today's digests due and not sent yet (not claimed here: the bot claims each with
    its message, `scheduled_sends.claim_and_queue`)."""
    if not is_due(clock.now()):
        return []
    rows = await UnansweredQuestion.filter(status=OPEN).order_by("id").limit(MAX_QUESTIONS)
    if not rows:
        return []
    questions = [(r.id, r.text, r.best_match) for r in rows]
    today = clock.today()
    sent = await scheduled_sends.claimed_users(KIND, today)
    out = []
    for user in await User.filter(active=True, role__in=list(DIGEST_ROLES)).order_by("id"):
        if user.id in sent:
            continue
        route = await staff_route(user.id)
        if route is None:
            continue
        out.append(Digest(user.id, user.lang, route[0], route[1], today, questions))
    return out


async def question(question_id: int) -> UnansweredQuestion | None:
    return await UnansweredQuestion.get_or_none(id=question_id, status=OPEN)


async def pair_question(pair_id: str) -> str | None:
    """The question of an approved pair (the digest names the pair a variant would join)."""
    from spacrm.core.models import QARecord

    pair = await QARecord.get_or_none(id=pair_id, approved=True)
    return pair.question if pair else None
