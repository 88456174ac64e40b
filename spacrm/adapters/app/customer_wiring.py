"""Attaches the customer chatbot to the runtime: Messenger/Zalo senders, the Telegram handoff
hook, and the webhook + widget routes."""

from __future__ import annotations

from typing import Any

from spacrm.adapters.app.runtime import Runtime
from spacrm.adapters.facebook.client import FacebookClient
from spacrm.adapters.facebook.sender import FacebookSender
from spacrm.adapters.gemini.setup import make_llm
from spacrm.adapters.zalo.client import ZaloClient
from spacrm.adapters.zalo.sender import DbTokens, ZaloSender, credentials
from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core.services import channels
from spacrm.core.settings import Settings

__all__ = ["attach", "build_engine", "make_llm"]


def build_engine(settings: Settings) -> CustomerEngine:
    return CustomerEngine(llm=make_llm(settings), llm_timeout=settings.gemini_timeout)


async def attach(runtime: Runtime, engine: CustomerEngine | None = None) -> CustomerEngine:
    settings = runtime.settings
    engine = engine or build_engine(settings)
    fb = FacebookClient(settings.facebook_graph_base, settings.facebook_api_version)
    zalo = ZaloClient(settings.zalo_openapi_base, settings.zalo_oauth_base, settings.zns_base)
    runtime.dispatcher.senders["facebook"] = FacebookSender(fb, settings)
    runtime.dispatcher.senders["zalo"] = ZaloSender(zalo, settings)
    runtime.engine.before = engine.staff_hook  # every staff channel: Telegram, Zalo, terminal

    async def fb_name(page_id: str, psid: str) -> str | None:
        channel = await channels.get_channel("facebook", page_id)
        return await fb.get_user_name(psid, channel.access_token) if channel else None

    async def zalo_name(oa_id: str, user_id: str) -> str | None:
        channel = await channels.get_channel("zalo", oa_id)
        if channel is None:
            return None
        profile = await zalo.get_user_profile(
            credentials(channel, settings), DbTokens(channel.id), user_id
        )
        return profile.display_name

    def routes(app: Any, rt: Runtime) -> None:
        from spacrm.adapters.web.customer_routes import register

        register(app, rt, engine, {"facebook": fb_name, "zalo": zalo_name})

    runtime.web_extensions.append(routes)
    return engine
