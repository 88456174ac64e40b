"""A fake VietQR business lookup (`GET /v2/business/{taxCode}`) for tests and demos.

Same shape as https://api.vietqr.io (see /work/shared/protocols/vietnam.md §1): always HTTP 200
and the outcome in `code` — "00" found, "51" not found (also for branch codes, as reported for
the real API), "52" invalid. Usage::

    async with FakeTaxCode() as fake:
        client = TaxCodeClient(base_url=fake.base_url)
        info = await client.lookup("0101245486")
        assert fake.requests == ["0101245486"]

Run by hand: ``python -m tests.fakes.taxcode --port 8082``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web

Outage = Literal["error", "hang"] | None

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def valid_tax_code(code: str) -> bool:
    """10 digits with the GDT check digit, optionally followed by a 3-digit branch 001–999."""
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", code)
    if match is None:
        return False
    head, branch = match.group(1), match.group(2)
    if branch == "000" or head[2:9] == "0000000":
        return False
    remainder = sum(w * int(d) for w, d in zip(_WEIGHTS, head, strict=False)) % 11
    return remainder != 0 and (10 - remainder) % 10 == int(head[9])


@dataclass
class FakeCompany:
    tax_code: str
    name: str
    address: str
    international_name: str | None = None
    short_name: str | None = None
    status: str = "NNT đang hoạt động"

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.tax_code,
            "name": self.name,
            "internationalName": self.international_name,
            "shortName": self.short_name,
            "address": self.address,
            "status": self.status,
        }


# Valid codes; apart from Vingroup (quoted in vietnam.md) the names are invented for tests.
DEFAULT_COMPANIES = (
    FakeCompany(
        "0101245486",
        "TẬP ĐOÀN VINGROUP - CÔNG TY CP",
        "Số 7, Đường Bằng Lăng 1, Khu đô thị Vinhomes Riverside, Phường Việt Hưng, Quận Long Biên, Thành phố Hà Nội, Việt Nam",
        "VINGROUP JOINT STOCK COMPANY",
        "VINGROUP",
    ),
    FakeCompany(
        "0100233488",
        "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SEN VÀNG",
        "Số 12 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Thành phố Hà Nội, Việt Nam",
    ),
    FakeCompany(
        "0314409058",
        "CÔNG TY CỔ PHẦN THẨM MỸ VIỆN HOA MAI",
        "45 Nguyễn Thị Minh Khai, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh, Việt Nam",
        "HOA MAI BEAUTY JOINT STOCK COMPANY",
        "HOA MAI BEAUTY",
    ),
    FakeCompany(
        "0315458241",
        "CÔNG TY TNHH SPA AN NHIÊN",
        "88 Lê Lợi, Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh, Việt Nam",
        status="NNT ngừng hoạt động nhưng chưa hoàn thành thủ tục đóng MST",
    ),
)


class FakeTaxCode:
    """VietQR-shaped lookup server on 127.0.0.1; records the codes it was asked about."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, preload: bool = True) -> None:
        self.host = host
        self.port = port
        self.companies: dict[str, FakeCompany] = {}
        self.requests: list[str] = []  # raw {taxCode} path values, in order (proves caching)
        # "error": HTTP 500 with an HTML body; "hang": never answer (client timeout path).
        self.outage: Outage = None
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        if preload:
            for company in DEFAULT_COMPANIES:
                self.companies[company.tax_code] = company

    def add(
        self,
        tax_code: str,
        name: str,
        address: str,
        *,
        international_name: str | None = None,
        short_name: str | None = None,
        status: str = "NNT đang hoạt động",
    ) -> FakeCompany:
        company = FakeCompany(tax_code, name, address, international_name, short_name, status)
        self.companies[tax_code] = company
        return company

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> FakeTaxCode:
        app = web.Application()
        app.router.add_get("/v2/business/{tax_code}", self._handle)
        self._release = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        self._release.set()  # let "hang" handlers finish so shutdown is quick
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTaxCode:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        code = request.match_info["tax_code"]
        self.requests.append(code)
        if self.outage == "hang":
            await self._release.wait()
            return web.Response(status=504, text="gateway timeout")
        if self.outage == "error":
            return web.Response(
                status=500,
                text="<html><body>Internal Server Error</body></html>",
                content_type="text/html",
            )
        if not valid_tax_code(code):
            body: dict[str, Any] = {
                "code": "52",
                "desc": "Invalid tax code - Mã số thuế không hợp lệ",
                "data": None,
            }
        elif code in self.companies:
            body = {
                "code": "00",
                "desc": "Success - Thành công",
                "data": self.companies[code].as_data(),
                "metadata": {
                    "source": "https://www.gdt.gov.vn",
                    "updatedAt": "2026-01-05T09:27:43.000Z",
                },
            }
        else:
            body = {
                "code": "51",
                "desc": "Tax code not found - Không tìm thấy mã số thuế",
                "data": None,
            }
        return web.json_response(body, dumps=lambda o: json.dumps(o, ensure_ascii=False))


async def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake VietQR business lookup")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082)
    args = parser.parse_args(argv)
    async with FakeTaxCode(host=args.host, port=args.port) as fake:
        print(f"Fake VietQR lookup at {fake.base_url}/v2/business/{{taxCode}}")
        for company in fake.companies.values():
            print(f"  {company.tax_code}  {company.name}")
        await asyncio.Event().wait()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main())
