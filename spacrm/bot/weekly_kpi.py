"""The weekly KPI image → one chat message per manager, through the outbox (once a week).

The message is the chat's own KPI report (`KPI tuần trước`), built as that manager, so it is
scoped exactly like the report they would ask for."""

from __future__ import annotations

import base64

from spacrm.bot.scheduled import queue_each
from spacrm.core import clock
from spacrm.core.models import User
from spacrm.core.services import weekly_kpi
from spacrm.core.services.users import actor_for
from spacrm.core.services.weekly_kpi import WeeklyKpi
from spacrm.intents.chat import ChatEvent
from spacrm.intents.context import Ctx
from spacrm.intents.staff import kpi_report


async def send_weekly_kpis() -> int:
    return await queue_each(weekly_kpi.KIND, await weekly_kpi.pending_weekly_kpis(), _message)


async def _message(due: WeeklyKpi) -> dict[str, object]:
    user = await User.get(id=due.user_id)
    actor = await actor_for(user)
    event = ChatEvent(channel=due.channel, external_user_id=str(user.id), chat_id=due.chat_id)
    ctx = Ctx(actor, event, clock.local_now())
    reply = (await kpi_report.run(ctx, {"period": due.week}))[0]
    payload: dict[str, object] = {
        "text": ctx.t("weekly_kpi.caption_head") + "\n" + reply.text,
        "buttons": [[[ctx.t("btn.reports"), "rm"]]],
    }
    images = [f for f in reply.all_files() if f[2].startswith("image/")]
    if images:
        payload["image_b64"] = base64.b64encode(images[0][1]).decode()
        payload["image_name"] = images[0][0]
    return payload
