"""What the printing tests share: the server's printer routes on a free port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import uvicorn
from fastapi import FastAPI

from spacrm.adapters.web.printer_routes import register
from spacrm.core.settings import Settings


@pytest.fixture
async def server(db: str) -> AsyncIterator[str]:
    app = FastAPI()
    register(app, Settings(print_max_attempts=3))
    srv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{srv.servers[0].sockets[0].getsockname()[1]}"
    srv.should_exit = True
    await task
