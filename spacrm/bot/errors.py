"""Domain errors → one or two friendly lines in the user's language."""

from __future__ import annotations

from spacrm.core.errors import DomainError
from spacrm.intents.texts import t


def error_text(exc: DomainError, lang: str) -> str:
    params = {k: v for k, v in exc.params.items() if isinstance(v, str | int | float)}
    return t(lang, f"err.{exc.code.value}", **params)
