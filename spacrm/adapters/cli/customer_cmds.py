"""Customer-chatbot commands (kb, ask, channel); filled in by the customer chatbot feature."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {}


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    return None
