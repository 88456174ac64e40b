"""The admin web console at /console (#11): sign-in, the LeadCard kanban and the configuration
screens (users and the org tree, channels, Q&A, catalogue, operations, settings, failed messages)."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.web.console import (
    auth_routes,
    board_routes,
    calendar_routes,
    card_routes,
    catalog_routes,
    channels_routes,
    import_routes,
    kpi_routes,
    list_routes,
    operations_routes,
    outbox_routes,
    qa_pair_routes,
    qa_routes,
    settings_routes,
    users_routes,
    zalo_routes,
)
from spacrm.adapters.web.console.common import HERE, Console, Refused
from spacrm.adapters.web.console.security import Signer
from spacrm.adapters.web.console.usage_log import ConsoleUsage


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return exc.response


def mount_console(app: FastAPI, runtime: Runtime) -> None:
    app.state.console = Console(runtime, Signer.for_data_dir(runtime.settings.data_dir))
    app.add_exception_handler(Refused, _refused)
    app.add_middleware(ConsoleUsage)  # one usage row per console post (#33)
    app.include_router(auth_routes.router)
    app.include_router(board_routes.router)
    # configuration screens (concfg)
    for screen in (users_routes, channels_routes, qa_routes, catalog_routes, operations_routes,
                   settings_routes, outbox_routes):  # fmt: skip
        app.include_router(screen.router)
    # condata (#20 #21 #22): lists with search and export, import, the all-in-one lead view
    app.include_router(list_routes.router)
    app.include_router(import_routes.router)
    app.include_router(card_routes.router)
    # consoleconf (#11): one Q&A pair's variants, one at a time
    app.include_router(qa_pair_routes.router)
    # consoleconf (#11): days off and opening hours, KPI settings edited
    app.include_router(calendar_routes.router)
    app.include_router(kpi_routes.router)
    # consoleconf (#11): connecting the Zalo OA by OAuth (PKCE)
    app.include_router(zalo_routes.router)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
