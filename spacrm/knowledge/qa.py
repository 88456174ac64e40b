"""A trained question/answer pair, the unit the customer chatbot answers from, and the answer
it gives."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QAPair:
    """One trained answer. `variants` are other phrasings of the same question (they only help
    retrieval; the customer always receives `answer`)."""

    id: str
    question: str
    answer: str
    variants: tuple[str, ...] = ()

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question followed by its variants, the texts a customer message is matched against."""
        return (self.question, *self.variants)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the customer is told for one question (or that a person will answer)."""

    text: str
    match: str | None  # id of the pair answered from (or FACTS_MATCH); None exactly on handoff
    confidence: float
    handoff: bool
    # On a handoff, the pair the bot found closest: the digest offers to teach it (issue 7).
    closest: str | None = None
    # On a handoff, a pair likely meant yet not sure enough to send: the customer is asked "is
    # this what you mean?" and gets its answer on a yes (never sent unconfirmed).
    suggested: str | None = None
