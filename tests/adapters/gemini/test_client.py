"""GeminiLLM (the real google-genai client) against FakeGemini over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from spacrm.adapters.gemini.client import GeminiLLM
from spacrm.knowledge.answering import LLMError
from tests.fakes.gemini import FakeGemini


@pytest.fixture
async def fake() -> AsyncIterator[FakeGemini]:
    async with FakeGemini(api_key="k") as server:
        yield server


@pytest.mark.parametrize("api_version", [None, "v1beta"])
async def test_generate_sends_system_instruction_and_prompt(
    fake: FakeGemini, api_version: str | None
) -> None:
    llm = GeminiLLM("k", "gemini-test", fake.base_url, api_version=api_version)
    fake.queue_text("Dạ chào chị ạ")
    assert await llm.generate(system="be nice", prompt="xin chào", timeout=5) == "Dạ chào chị ạ"
    sent = fake.requests[-1]
    assert sent.api_version == (api_version or "v1")
    assert sent.model == "gemini-test" and sent.method == "generateContent"
    assert sent.headers["x-goog-api-key"] == "k"
    assert sent.system == "be nice" and sent.prompt == "xin chào"
    assert sent.json["generationConfig"]["temperature"] == pytest.approx(0.2)
    await llm.aclose()


async def test_errors_become_llm_error(fake: FakeGemini) -> None:
    llm = GeminiLLM("k", "m", fake.base_url)
    fake.queue_error(429, "Resource has been exhausted")
    with pytest.raises(LLMError, match="429"):
        await llm.generate(system="s", prompt="p", timeout=5)
    assert len(fake.requests) == 1  # no silent retries that would multiply the wait


async def test_timeout_becomes_llm_error(fake: FakeGemini) -> None:
    fake.queue_text("too late", delay=2)
    with pytest.raises(LLMError, match="within"):
        await GeminiLLM("k", "m", fake.base_url).generate(system="s", prompt="p", timeout=0.2)


async def test_wrong_key_is_permission_denied(fake: FakeGemini) -> None:
    with pytest.raises(LLMError, match=r"PERMISSION_DENIED|403"):
        await GeminiLLM("wrong", "m", fake.base_url).generate(system="s", prompt="p", timeout=5)


async def test_unreachable_server_is_llm_error() -> None:
    llm = GeminiLLM("k", "m", "http://127.0.0.1:9")
    with pytest.raises(LLMError):
        await llm.generate(system="s", prompt="p", timeout=1)


async def test_fake_serves_streaming_and_embeddings(fake: FakeGemini) -> None:
    llm = GeminiLLM("k", "m", fake.base_url)
    client = llm._client  # the SDK itself, to exercise the fake's other routes
    fake.queue_text("Dạ spa mở cửa 9h ạ")
    chunks = [
        c.text
        async for c in await client.aio.models.generate_content_stream(model="m", contents="hi")
    ]
    assert "".join(c or "" for c in chunks) == "Dạ spa mở cửa 9h ạ"
    result = await client.aio.models.embed_content(model="e", contents=["a", "b"])
    assert result.embeddings is not None and len(result.embeddings) == 2
    assert fake.requests[-1].method == "batchEmbedContents"
