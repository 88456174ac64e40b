"""Log records are capped: a 2 MB customer name or a 5 MB unknown update must not be written to
the log whole (disk, and secrets or personal data in what nobody meant to log)."""

from __future__ import annotations

import logging
from typing import Any

MAX_MESSAGE = 2000  # characters of a formatted log message
_installed = False


def install() -> None:
    """Wrap the log record factory once per process, so every logger and handler gets messages
    of at most MAX_MESSAGE characters. Records are only made for enabled levels, so formatting
    here costs nothing extra."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to logging's own error report
            return record
        if len(message) > MAX_MESSAGE:
            record.msg = f"{message[:MAX_MESSAGE]}… ({len(message)} chars)"
            record.args = None
        return record

    logging.setLogRecordFactory(factory)
