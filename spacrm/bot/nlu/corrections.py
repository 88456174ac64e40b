"""A value corrected in the same message: "chị Thoa ck 2tr, à nhầm 2tr5", "t6, à lộn t7".

Staff fix a slip in the next words instead of retyping. Read as typed, the first value would be
the one written (a payment of 2tr instead of 2tr5: a wrong write). The correction marker is
followed by a value of some kind (an amount, a clock time, a day, a customer); that value takes the place of
the last value of the same kind before the marker, and the marker and its value are dropped, so
every intent and slot finder reads the message as meant.
"""

from __future__ import annotations

import re
from datetime import date

from spacrm.bot.nlu.dates import find_dates
from spacrm.bot.nlu.money import find_money
from spacrm.bot.nlu.names import find_customer
from spacrm.bot.nlu.text import Doc
from spacrm.bot.nlu.times import find_times

# "à nhầm", "nhầm", "à lộn", "à không," (a slip named, then the right value). "lộn" and "không"
# need the "à" (alone they mean other things: "lộn xộn", a negation).
_MARK = re.compile(
    r"(?<![a-z0-9])(?:(?:a|ay|oi|ui|uh)\s*,?\s*)?nham(?:\s+(?:roi|r|chut|ti))?"
    r"|(?<![a-z0-9])a\s*,?\s*lon(?![a-z0-9])"
    r"|(?<![a-z0-9])a\s+(?:khong|ko|k)\s*,"
    r"|(?<![a-z0-9])(?:sua|dinh chinh)\s+lai\s*(?:la|thanh)?(?=\s*\d)"
)
_MARK_END = re.compile(r"\s*(?:la|thanh|,|:|-)?\s*")
_PART = re.compile(r"(?<![a-z])(?:sang|trua|chieu|toi|dem)(?![a-z])")
# How far after the marker its value may start ("à nhầm, là 2tr5").
_REACH = 12

Span = tuple[int, int]


def _names(doc: Doc, mark: Span, value_from: int) -> list[Span]:
    """The customer named before the marker and the one named after it ("c Lan, à nhầm c Hoa")."""
    spans: list[Span] = []
    for used in ((mark[0], len(doc.text)), (0, value_from)):
        part = Doc(text=doc.text, key=doc.key, has_marks=doc.has_marks)
        part.take(*used)
        hit = find_customer(part)
        if hit is not None:
            spans.append((hit.start, hit.end))
    return spans


def _spans(doc: Doc, today: date, mark: Span, value_from: int) -> list[tuple[str, list[Span]]]:
    money = [(h.start, h.end) for h in find_money(doc, plain=False)]
    dates = [(h.start, h.end) for h in find_dates(doc, today)]
    times = [(h.start, h.end) for h in find_times(doc)]
    names = _names(doc, mark, value_from)
    return [("money", money), ("time", times), ("date", dates), ("name", names)]


def apply_corrections(doc: Doc, today: date) -> Doc:
    """`doc` with each corrected value put in place of the slip; `doc` itself when none."""
    mark = _MARK.search(doc.key)
    if mark is None:
        return doc
    start = _MARK_END.match(doc.key, mark.end())
    value_from = start.end() if start else mark.end()
    best: tuple[str, Span, Span] | None = None
    for kind, spans in _spans(doc, today, mark.span(), value_from):
        after = [s for s in spans if value_from <= s[0] <= value_from + _REACH]
        before = [s for s in spans if s[1] <= mark.start()]
        if after and before and (best is None or after[0][0] < best[2][0]):
            best = (kind, before[-1], after[0])
    if best is None:
        return doc
    kind, old, new = best
    text = doc.text
    replacement = text[new[0] : new[1]]
    if kind == "time" and not _PART.search(doc.key, new[0], new[1]):
        part = _PART.search(doc.key, old[0], old[1])
        if part:  # "8h tối, à nhầm 9h" is nine in the evening
            replacement += " " + text[part.start() : part.end()]
    rest = text[old[1] : mark.start()].rstrip(" ,")
    fixed = text[: old[0]] + replacement + rest + " " + text[new[1] :]
    return apply_corrections(Doc.of(fixed), today)  # the marker is gone: this ends
