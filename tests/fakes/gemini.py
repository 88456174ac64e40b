"""A fake Gemini API (generativelanguage.googleapis.com) for tests and hand-run demos.

A real aiohttp.web server on 127.0.0.1, so the real google-genai client talks to it over
loopback (see /work/shared/protocols/gemini.md)::

    async with FakeGemini(api_key="k") as fake:
        llm = GeminiLLM("k", base_url=fake.base_url)
        fake.queue_text("Dạ ...")               # next generateContent answer
        fake.queue_error(500)                    # then an INTERNAL error envelope
        fake.queue_text("late", delay=5)         # then a reply slower than the caller's timeout
        fake.queue_json({"pair_id": None})       # next structured (JSON-schema) answer
        ...
        assert "Hỏi:" in fake.requests[-1].prompt

Serves `/v1/` and `/v1beta/` `models/{model}:generateContent`, `:streamGenerateContent` (SSE),
`:batchEmbedContents` and `:embedContent`; checks `x-goog-api-key` (403 PERMISSION_DENIED).
With nothing queued, generateContent echoes the first "Đáp: ..." line of the prompt (the
grounded-answer context) or answers HANDOFF, so grounded answering works without scripting.
Structured requests (responseMimeType application/json) have their own queue; with nothing
queued they confirm the first "Mã: ..." candidate of the prompt (`{"pair_id": ...}`).

Run by hand: ``python -m tests.fakes.gemini --port 18080 --api-key test-key``
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSONDict = dict[str, Any]

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
EMBEDDING_SIZE = 64
_ROUTE = re.compile(r"^/(v1|v1beta)/models/([^/:]+):(\w+)$")


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    message: str = ""
    delay: float = 0.0


@dataclass
class RecordedRequest:
    path: str
    api_version: str
    model: str
    method: str
    headers: dict[str, str]
    json: JSONDict

    @property
    def prompt(self) -> str:
        """The text of all user contents."""
        return "\n".join(
            part.get("text", "")
            for content in self.json.get("contents", [])
            for part in content.get("parts", [])
        )

    @property
    def structured(self) -> bool:
        """A JSON-schema (structured output) request, e.g. the pair confirmation."""
        config = self.json.get("generationConfig") or {}
        return config.get("responseMimeType") == "application/json"

    @property
    def system(self) -> str:
        instruction = self.json.get("systemInstruction") or {}
        return "\n".join(part.get("text", "") for part in instruction.get("parts", []))


@dataclass
class FakeGemini:
    api_key: str = "test-key"
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[RecordedRequest] = field(default_factory=list)
    _queue: deque[Reply] = field(default_factory=deque)
    _json_queue: deque[Reply] = field(default_factory=deque)
    _embed_errors: deque[int] = field(default_factory=deque)
    # Words the fake "understands" as others, for embeddings and default confirmations:
    # {"peel": "thay da sinh học"} makes a question about peel close to that pair.
    synonyms: dict[str, str] = field(default_factory=dict)
    _runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def queue_text(self, text: str, *, delay: float = 0.0) -> None:
        self._queue.append(Reply(text=text, delay=delay))

    def queue_error(self, status: int, message: str = "", *, delay: float = 0.0) -> None:
        self._queue.append(Reply(status=status, message=message or "fake error", delay=delay))

    def queue_json(self, value: object, *, delay: float = 0.0) -> None:
        """The next structured answer (any JSON value; a str is sent as it is, malformed or not)."""
        text = value if isinstance(value, str) else json.dumps(value)
        self._json_queue.append(Reply(text=text, delay=delay))

    def queue_json_error(self, status: int, message: str = "") -> None:
        self._json_queue.append(Reply(status=status, message=message or "fake error"))

    def queue_embed_error(self, status: int) -> None:
        self._embed_errors.append(status)

    @property
    def embed_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if "Embed" in r.method]

    @property
    def answer_requests(self) -> list[RecordedRequest]:
        """The requests asking for text (wording a reply), not the structured confirmations."""
        return [r for r in self.requests if r.method.endswith("Content") and not r.structured]

    async def start(self) -> FakeGemini:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:  # a random free port: read back what the OS chose
            self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeGemini:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        match = _ROUTE.match(request.path)
        if match is None:
            return _error(404, f"no route {request.path}")
        version, model, method = match.groups()
        try:
            body = await request.json() if request.can_read_body else {}
        except json.JSONDecodeError:
            return _error(400, "body is not JSON")
        self.requests.append(
            RecordedRequest(request.path, version, model, method, dict(request.headers), body)
        )
        if request.headers.get("x-goog-api-key") != self.api_key:
            return _error(403, "API key not valid. Please pass a valid API key.")
        if method in ("batchEmbedContents", "embedContent"):
            if self._embed_errors:
                status = self._embed_errors.popleft()
                return _error(status, "fake embedding error")
            return web.json_response(_embeddings(method, body, self.synonyms))
        if method not in ("generateContent", "streamGenerateContent"):
            return _error(404, f"unknown method {method}")
        if self.requests[-1].structured:
            reply = (
                self._json_queue.popleft()
                if self._json_queue
                else Reply(_default_json(body, self.synonyms))
            )
        else:
            reply = self._queue.popleft() if self._queue else Reply(text=_default_text(body))
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            return _error(reply.status, reply.message)
        if method == "streamGenerateContent":
            return await _stream(request, reply.text, model)
        return web.json_response(_generated(reply.text, model))


def _error(status: int, message: str) -> web.Response:
    envelope = {
        "error": {"code": status, "message": message, "status": STATUS_NAMES.get(status, "UNKNOWN")}
    }
    return web.json_response(envelope, status=status)


def _generated(text: str, model: str) -> JSONDict:
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 3, "totalTokenCount": 8},
        "modelVersion": model,
        "responseId": "fake",
    }


async def _stream(request: web.Request, text: str, model: str) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    words = text.split(" ")
    chunks = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
    for i, chunk in enumerate(c for c in chunks if c):
        piece = chunk if i == 0 else " " + chunk
        await response.write(f"data: {json.dumps(_generated(piece, model))}\r\n\r\n".encode())
    await response.write_eof()
    return response


def _default_text(body: JSONDict) -> str:
    """Echo the first trained answer in the prompt: a grounded reply the tests can predict."""
    for content in body.get("contents", []):
        for part in content.get("parts", []):
            for line in part.get("text", "").splitlines():
                if line.startswith("Đáp:"):
                    return str(line.removeprefix("Đáp:").strip())
    return "HANDOFF"


def _default_json(body: JSONDict, synonyms: dict[str, str]) -> str:
    """Confirm the first candidate ("Mã: ...") whose question shares a word (3+ letters, after
    `synonyms`) with the customer's question at the end of the prompt, else none."""
    text = "\n".join(
        part.get("text", "") for c in body.get("contents", []) for part in c.get("parts", [])
    )
    lines = text.splitlines()
    asked = _words(lines[-1] if lines else "", synonyms)
    current = None
    for line in lines:
        if line.startswith("Mã:"):
            current = line.removeprefix("Mã:").strip()
        elif line.startswith("Hỏi:") and current and asked & _words(line[4:], synonyms):
            return json.dumps({"pair_id": current})
    return json.dumps({"pair_id": None})


def _fold(text: str) -> str:
    stripped = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")


def _words(text: str, synonyms: dict[str, str]) -> set[str]:
    folded = _fold(text)
    for word, meaning in synonyms.items():
        folded = re.sub(rf"\b{re.escape(_fold(word))}\b", _fold(meaning), folded)
    return {w for w in re.findall(r"\w+", folded) if len(w) >= 3}


def _vector(text: str, synonyms: dict[str, str]) -> list[float]:
    """A bag of words hashed into EMBEDDING_SIZE dimensions: texts sharing words (after
    `synonyms`, the fake's notion of meaning) are close, unrelated ones nearly orthogonal."""
    vector = [0.0] * EMBEDDING_SIZE
    for word in _words(text, synonyms):
        digest = hashlib.sha256(word.encode()).digest()
        vector[int.from_bytes(digest[:4], "big") % EMBEDDING_SIZE] += 1.0
    return vector if any(vector) else [1.0] + [0.0] * (EMBEDDING_SIZE - 1)


def _embeddings(method: str, body: JSONDict, synonyms: dict[str, str]) -> JSONDict:
    def text_of(content: JSONDict) -> str:
        return " ".join(p.get("text", "") for p in content.get("parts", []))

    if method == "embedContent":
        return {"embedding": {"values": _vector(text_of(body.get("content", {})), synonyms)}}
    requests = body.get("requests", [])
    return {
        "embeddings": [
            {"values": _vector(text_of(r.get("content", {})), synonyms)} for r in requests
        ]
    }


async def _serve(port: int, api_key: str) -> None:
    async with FakeGemini(api_key=api_key, port=port) as fake:
        print(f"fake Gemini on {fake.base_url} (api key {api_key!r}); Ctrl-C to stop", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the fake Gemini API")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--api-key", default="test-key")
    args = parser.parse_args()
    try:
        asyncio.run(_serve(args.port, args.api_key))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
