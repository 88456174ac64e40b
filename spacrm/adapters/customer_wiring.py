"""Attaches the customer chatbot channels to the runtime (filled in by that feature)."""

from __future__ import annotations

from spacrm.adapters.runtime import Runtime


async def attach(runtime: Runtime) -> None:
    return None
