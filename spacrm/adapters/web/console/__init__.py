"""The admin web console at /console (#11): sign-in and the LeadCard kanban so far."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.web.console import (
    auth_routes,
    board_routes,
    card_routes,
    import_routes,
    list_routes,
)
from spacrm.adapters.web.console.common import HERE, Console
from spacrm.adapters.web.console.security import Signer


def mount_console(app: FastAPI, runtime: Runtime) -> None:
    app.state.console = Console(runtime, Signer.for_data_dir(runtime.settings.data_dir))
    app.include_router(auth_routes.router)
    app.include_router(board_routes.router)
    # condata (#20 #21 #22): lists with search and export, import, the all-in-one lead view
    app.include_router(list_routes.router)
    app.include_router(import_routes.router)
    app.include_router(card_routes.router)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
