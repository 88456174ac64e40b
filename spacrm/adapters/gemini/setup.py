"""Settings → the Gemini `LLM`, or None without a key. Kept apart from the channel wiring so
`spacrm ask` / `kb suggest` do not import the web and chat stacks (google-genai is imported
only when a key is set)."""

from __future__ import annotations

from spacrm.core.settings import Settings
from spacrm.knowledge.answering import LLM


def make_llm(settings: Settings) -> LLM | None:
    if settings.gemini_api_key is None or not settings.gemini_api_key.get_secret_value():
        return None
    from spacrm.adapters.gemini.client import GeminiLLM

    return GeminiLLM(
        settings.gemini_api_key.get_secret_value(),
        settings.gemini_model,
        settings.gemini_base_url or None,
    )
