"""`parse(text, now)`: a staff message -> intent and slots, rule based and fast."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from spacrm.bot.nlu.contacts import find_phones
from spacrm.bot.nlu.dates import find_dates
from spacrm.bot.nlu.intents import Facts, classify
from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.names import find_customer
from spacrm.bot.nlu.periods import find_period
from spacrm.bot.nlu.reports import find_report
from spacrm.bot.nlu.result import NluResult
from spacrm.bot.nlu.slots import EXTRACTORS
from spacrm.bot.nlu.stages import find_stage
from spacrm.bot.nlu.text import Doc
from spacrm.bot.nlu.times import find_times
from spacrm.bot.nlu.vocab import SERVICE
from spacrm.core import clock

log = logging.getLogger(__name__)

_HAS_WORD = re.compile(r"[a-z0-9]")
_MOVE_PREPOSITION = re.compile(
    r"(?<![a-z])(?:sang|ve|qua|thanh|len|xuong|vao|la|thanh|o)\s+(?:trang thai\s+|giai doan\s+|muc\s+|stage\s+)?$"
)


def local_today(now: datetime | date | None) -> date:
    """The day in Vietnam for `now` (naive datetimes are Vietnam time already)."""
    if now is None:
        return clock.today()
    if isinstance(now, datetime):
        return now.astimezone(clock.TZ).date() if now.tzinfo else now.date()
    return now


def _facts(doc: Doc, today: date) -> Facts:
    phones = find_phones(doc)
    for hit in phones:
        doc.take(hit.start, hit.end)
    stage = find_stage(doc)
    after_prep = bool(stage and _MOVE_PREPOSITION.search(doc.key, max(0, stage.start - 24), stage.start))
    name = find_customer(doc)
    dates = find_dates(doc, today)
    for d in dates:
        doc.take(d.start, d.end)
    times = find_times(doc)
    money = find_money(doc, plain=False)
    doc.used[:] = bytes(len(doc.used))
    return Facts(
        phone=bool(phones),
        money=bool(money),
        stage=stage is not None,
        stage_after_preposition=after_prep,
        name=name is not None,
        date=bool(dates),
        future_date=any(d.value >= today for d in dates),
        time=bool(times),
        service=doc.has(SERVICE),
        report=find_report(doc) is not None,
        period=find_period(doc, today) is not None,
    )


def parse(text: str, now: datetime | date | None = None) -> NluResult:
    """Understand one staff message. Never raises: anything unexpected is `unknown`."""
    try:
        doc = Doc.of(text if isinstance(text, str) else "")
        if not _HAS_WORD.search(doc.key):
            return NluResult("unknown", {})
        today = local_today(now)
        intent = classify(doc, _facts(doc, today))
        return NluResult(intent, EXTRACTORS[intent](doc, today))
    except Exception:  # the chat must go on; the engine asks the user instead
        log.exception("nlu failed on a message of %d chars", len(text) if isinstance(text, str) else -1)
        return NluResult("unknown", {})
