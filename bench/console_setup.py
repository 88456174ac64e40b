"""What the console benchmarks share: many leads spread over the demo's staff (plain ones for the
configuration pages, dated and sourced ones for the kanban's filters), and a signed-in console
client over the ASGI app (no network, no emailed code). Import after bench_database()."""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import timedelta
from typing import Any


async def insert_leads(n_leads: int, values: tuple[int, ...] = (0, 500_000, 1_500_000)) -> None:
    """`n_leads` leads in every stage, owned round-robin by the demo's staff, 5,000 a statement."""
    from spacrm.core.models import Lead, User
    from spacrm.core.stages import LEAD_STAGES

    staff = [u for u in await User.all() if u.role == "staff"]
    rng = random.Random(7)
    batch: list[Lead] = []
    for n in range(n_leads):
        owner = staff[n % len(staff)]
        lead = Lead(
            name=f"Khách {n}", name_key=f"khach {n}", stage=rng.choice(LEAD_STAGES),
            value=rng.choice(values), owner_id=owner.id,
            team_id=owner.team_id, branch_id=owner.branch_id, region_id=owner.region_id,
        )  # fmt: skip
        batch.append(lead)
        if len(batch) == 5000:
            await Lead.bulk_create(batch)
            batch = []
    if batch:
        await Lead.bulk_create(batch)


async def board_leads(n_leads: int) -> None:
    """`n_leads` of bench_engine's leads (created over the last ~350 days, ten owners), each with
    a source, and the planner's statistics fresh: what the kanban's filters work on."""
    from bench_engine import seed
    from tortoise import connections

    await seed(n_leads, 0)
    conn = connections.get("default")
    await conn.execute_script(
        "UPDATE lead SET source = CASE id % 3 WHEN 0 THEN 'facebook' WHEN 1 THEN 'zalo'"
        " ELSE 'gioi thieu' END; ANALYZE;"
    )
    if conn.capabilities.dialect != "sqlite":
        # That UPDATE rewrote every row; autovacuum would tidy up (and mark pages all-visible,
        # which index-only scans need) within minutes on a live server.
        await conn.execute_script("VACUUM ANALYZE lead")


async def console_client(login: str = "admin") -> Any:
    """An httpx client on the whole web app with `login`'s console session cookie."""
    import httpx

    from spacrm.adapters.app.runtime import build_runtime
    from spacrm.adapters.web.app import create_app
    from spacrm.adapters.web.console.security import SESSION_COOKIE
    from spacrm.core import clock
    from spacrm.core.models import ConsoleSession, User
    from spacrm.core.settings import get_settings

    app = create_app(build_runtime(get_settings()))
    token = secrets.token_urlsafe(32)
    await ConsoleSession.create(
        user=await User.get(login=login),
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=clock.now() + timedelta(hours=1),
    )
    cookie = app.state.console.signer.sign("session", token)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://bench",
        cookies={SESSION_COOKIE: cookie},
    )
