"""Serve the real app on a random loopback port with the outbox dispatcher (and, optionally,
Telegram polling) running, for end-to-end tests and the webhook benchmark."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.web.app import create_app


@asynccontextmanager
async def served(runtime: Runtime, *, telegram_polling: bool = False) -> AsyncIterator[str]:
    """Yields the base URL; on exit stops the server, the dispatcher, polling and background work."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(runtime), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
        )
    )
    tasks: list[asyncio.Task[Any]] = [
        asyncio.create_task(server.serve()),
        asyncio.create_task(runtime.dispatcher.run()),
    ]
    if runtime.inbox is not None:  # webhook updates are handled by the inbox workers too
        tasks.append(asyncio.create_task(runtime.inbox.work()))
        if telegram_polling:
            tasks.append(asyncio.create_task(runtime.inbox.poll(polling_timeout=1)))
    if runtime.customer_inbox is not None:  # Messenger / Zalo webhook events
        tasks.append(asyncio.create_task(runtime.customer_inbox.work()))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        runtime.dispatcher.stop()
        if runtime.inbox is not None:
            runtime.inbox.stop()
        if runtime.customer_inbox is not None:
            runtime.customer_inbox.stop()
        # Let the workers finish what they are doing: a task cancelled inside a database call
        # can leave the shared test connection's lock held for every later test.
        pending = [*tasks, *runtime._tasks]
        if pending:
            await asyncio.wait(pending, timeout=5)
        for task in [*tasks, *runtime._tasks]:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
