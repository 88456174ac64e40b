"""What the chat-channel clients share about their HTTP client: one httpx.AsyncClient, closed
with the channel client when the channel client made it (not when the app or a test passed its
own), and `async with` support."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import httpx


class OwnedHttp:
    _http: httpx.AsyncClient
    _owns_http: bool

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
