"""The frozen clock the bookings, hr, reports and sales tests share: one definition, each conftest
takes it with `frozen_clock = frozen_clock_at(NOW)` (an autouse fixture of that folder)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from spacrm.core import clock
from spacrm.core.ports import ports
from spacrm.intents.texts import t

WEDNESDAY = datetime(2026, 11, 25, 10, 0)  # the day those suites' fixtures are written for


def frozen_clock_at(now: datetime = WEDNESDAY) -> Callable[[], Iterator[None]]:
    """An autouse fixture: the clock stops at `now` (local time) and the chat texts are wired as
    the composition root does (services queue notices through `ports.translate`)."""

    @pytest.fixture(autouse=True)
    def frozen_clock() -> Iterator[None]:
        clock.freeze(now)
        ports.translate = t
        yield
        clock.freeze(None)

    return frozen_clock
