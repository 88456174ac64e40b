"""Gemini behind the knowledge layer's `LLM` protocol (google-genai SDK, one chokepoint)."""

from __future__ import annotations

import asyncio

from google import genai
from google.genai import types

from spacrm.knowledge.answering import LLMError

DEFAULT_MODEL = "gemini-2.5-flash"
EMBEDDING_MODEL = "gemini-embedding-001"
TEMPERATURE = 0.2  # low: answers must stay close to the trained texts


class GeminiLLM:
    """`api_version=None` keeps the SDK's default (v1 in google-genai 3.x, v1beta in 1.x)."""

    def __init__(
        self,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        *,
        api_version: str | None = None,
        embedding_model: str = EMBEDDING_MODEL,
    ) -> None:
        self.model = model
        self.embedding_model = embedding_model
        options = types.HttpOptions(base_url=base_url, api_version=api_version)
        self._client = genai.Client(api_key=api_key, http_options=options)

    # The LLM protocol takes the timeout as a value: callers pick it per use, the adapter enforces it.
    async def generate(self, *, system: str, prompt: str, timeout: float) -> str:  # noqa: ASYNC109
        config = types.GenerateContentConfig(system_instruction=system, temperature=TEMPERATURE)
        return await self._call(prompt, config, timeout)

    async def generate_json(
        self,
        *,
        system: str,
        prompt: str,
        schema: dict[str, object],
        timeout: float,  # noqa: ASYNC109 - see generate
    ) -> str:
        """Structured output: the reply is JSON following `schema` (the knowledge layer parses it)."""
        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=0.0,
            response_mime_type="application/json",
            response_schema=schema,
        )
        return await self._call(prompt, config, timeout)

    async def _call(
        self,
        prompt: str,
        config: types.GenerateContentConfig,
        timeout: float,  # noqa: ASYNC109
    ) -> str:
        try:
            response = await asyncio.wait_for(
                self._client.aio.models.generate_content(
                    model=self.model, contents=prompt, config=config
                ),
                timeout,
            )
        except TimeoutError as exc:
            raise LLMError(f"Gemini did not answer within {timeout:g}s") from exc
        except Exception as exc:  # the SDK raises APIError, httpx/aiohttp errors, ValueError...
            raise LLMError(f"Gemini call failed: {type(exc).__name__}: {exc}") from exc
        return str(response.text or "")

    async def embed(
        self,
        texts: list[str],
        *,
        query: bool,
        timeout: float,  # noqa: ASYNC109 - see generate
    ) -> list[list[float]]:
        """Embeddings for retrieval (knowledge.semantic.Embedder); one batch request."""
        config = types.EmbedContentConfig(
            task_type="RETRIEVAL_QUERY" if query else "RETRIEVAL_DOCUMENT"
        )
        try:
            response = await asyncio.wait_for(
                self._client.aio.models.embed_content(
                    model=self.embedding_model,
                    contents=texts,  # type: ignore[arg-type]  # list[str] is accepted
                    config=config,
                ),
                timeout,
            )
        except TimeoutError as exc:
            raise LLMError(f"Gemini embeddings did not answer within {timeout:g}s") from exc
        except Exception as exc:  # see _call
            raise LLMError(f"Gemini embeddings failed: {type(exc).__name__}: {exc}") from exc
        vectors = [list(e.values or []) for e in response.embeddings or []]
        if len(vectors) != len(texts) or not all(vectors):
            raise LLMError("Gemini returned fewer embeddings than texts")
        return vectors

    async def aclose(self) -> None:
        await self._client.aio.aclose()
