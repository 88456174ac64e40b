"""A trained question/answer pair: the unit the customer chatbot answers from."""

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
