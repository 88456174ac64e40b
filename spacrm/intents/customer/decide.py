"""The customer bot's offline decision for one message, in the order the engine applies it:
a complaint or a request for a person goes to staff, a phone number with nothing asked is a
lead (a person calls back), anything else is answered from the trained
Q&A or handed off. `spacrm kb test` scores exactly this."""

from __future__ import annotations

from spacrm.intents.customer import detect
from spacrm.knowledge.answering import answer_offline
from spacrm.knowledge.handoff import HANDOFF_TEXT
from spacrm.knowledge.qa import Answer
from spacrm.knowledge.retrieval import Retriever


def decide(text: str, retriever: Retriever) -> Answer:
    if detect.is_complaint(text):
        return Answer(HANDOFF_TEXT, None, 0.0, True)
    if detect.find_phone(text):
        # As the engine: the number is kept as a lead and the rest is the question; a number
        # with nothing asked ("gọi lại cho em số 09...") is for a person to call back.
        text = detect.without_phones(text)
        if not detect.has_question(text):
            return Answer(HANDOFF_TEXT, None, 0.0, True)
    return answer_offline(text, retriever)
