"""Company lookup by Vietnamese tax code (mã số thuế) through the public VietQR API.

`GET {base_url}/v2/business/{taxCode}` answers HTTP 200 whatever happens; the outcome is in
`code` ("00" found, "51" not found, "52" invalid). A lookup only fills in a company's name and
address for convenience, so it never raises: any failure is logged and gives None, and saving a
customer goes on without it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.vietqr.io"
WEEK = 7 * 24 * 3600.0

_SEPARATORS = re.compile(r"[\s.\-_/]")


@dataclass(frozen=True)
class CompanyInfo:
    tax_code: str
    name: str
    international_name: str | None
    short_name: str | None
    address: str | None
    status: str | None


class _Failed:
    """Marker for an error (network, HTTP, unexpected body) as opposed to "not found"."""


_FAILED = _Failed()


def parent_code(tax_code: str) -> str | None:
    """The 10-digit code to look up: itself, or the head office of a 13-digit branch code.

    Branches are looked up through their parent because the API reports "51" for them.
    Anything that is not 10 or 13 digits (after removing spaces, dots and dashes) gives None.
    """
    digits = _SEPARATORS.sub("", tax_code or "")
    if re.fullmatch(r"\d{10}", digits):
        return digits
    if re.fullmatch(r"\d{13}", digits):
        return digits[:10]
    return None


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class TaxCodeClient:
    """Async VietQR business lookup with an in-process TTL cache.

    Found companies are cached for `cache_ttl` (the registry lags the tax office by weeks anyway),
    "not found"/"invalid" for `negative_ttl` (a company registered today shows up later), and
    failures for `error_ttl` so a bulk import during an outage does not wait `timeout` per row.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 3.0,
        *,
        cache_ttl: float = WEEK,
        negative_ttl: float = 6 * 3600.0,
        error_ttl: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers={"Accept": "application/json", "User-Agent": "spacrm/0.1"},
            transport=transport,
        )
        self._cache_ttl = cache_ttl
        self._negative_ttl = negative_ttl
        self._error_ttl = error_ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, CompanyInfo | None]] = {}
        self._inflight: dict[str, asyncio.Task[CompanyInfo | _Failed | None]] = {}

    async def lookup(self, tax_code: str) -> CompanyInfo | None:
        """The company registered under `tax_code` (or its head office), or None."""
        code = parent_code(tax_code)
        if code is None:
            log.info("taxcode lookup skipped: %r is not a 10/13-digit tax code", tax_code)
            return None
        cached = self._cache.get(code)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        # Concurrent lookups of one code share a single request.
        task = self._inflight.get(code)
        if task is None:
            task = asyncio.ensure_future(self._fetch(code))
            self._inflight[code] = task
            task.add_done_callback(lambda _t: self._inflight.pop(code, None))
        outcome = await asyncio.shield(task)
        if isinstance(outcome, _Failed):
            self._store(code, None, self._error_ttl)
            return None
        self._store(code, outcome, self._cache_ttl if outcome else self._negative_ttl)
        return outcome

    def clear_cache(self) -> None:
        self._cache.clear()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> TaxCodeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _store(self, code: str, value: CompanyInfo | None, ttl: float) -> None:
        if ttl > 0:
            self._cache[code] = (self._clock() + ttl, value)

    async def _fetch(self, code: str) -> CompanyInfo | _Failed | None:
        body = await self._get(f"/v2/business/{code}")
        if body is None:
            return _FAILED
        result = body.get("code")
        if result in ("51", "52"):
            log.info("taxcode %s: %s (%s)", code, result, body.get("desc"))
            return None
        data = body.get("data")
        if result != "00" or not isinstance(data, dict) or not _opt_str(data.get("name")):
            log.warning(
                "taxcode %s: unexpected answer code=%r desc=%r", code, result, body.get("desc")
            )
            return _FAILED
        return CompanyInfo(
            tax_code=_opt_str(data.get("id")) or code,
            name=str(data["name"]).strip(),
            international_name=_opt_str(data.get("internationalName")),
            short_name=_opt_str(data.get("shortName")),
            address=_opt_str(data.get("address")),
            status=_opt_str(data.get("status")),
        )

    async def _get(self, path: str) -> dict[str, Any] | None:
        """The one place that talks HTTP: a JSON object, or None after logging why not."""
        try:
            response = await self._http.get(path)
            response.raise_for_status()
            body = response.json()
        except httpx.TimeoutException:
            log.warning("taxcode lookup timed out: GET %s", path)
            return None
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("taxcode lookup failed: GET %s: %s", path, exc)
            return None
        except Exception:  # a lookup is a convenience: nothing in it may break a save
            log.exception("taxcode lookup crashed: GET %s", path)
            return None
        if not isinstance(body, dict):
            log.warning("taxcode lookup: GET %s answered a non-object JSON body", path)
            return None
        return body
