"""The composition root: settings → database → the outside capabilities core/ and knowledge/ use."""

from __future__ import annotations

import logging

from spacrm.adapters.taxcode.client import TaxCodeClient
from spacrm.core.db import close_db, init_db
from spacrm.core.ports import CompanyDetails, ports
from spacrm.core.settings import get_settings
from spacrm.intents.texts import t
from spacrm.knowledge import meaning

log = logging.getLogger(__name__)


class _TaxCodeLookup:
    """Adapts the VietQR client to core's CompanyLookup port."""

    def __init__(self, client: TaxCodeClient) -> None:
        self.client = client

    async def lookup(self, tax_code: str) -> CompanyDetails | None:
        info = await self.client.lookup(tax_code)
        if info is None:
            return None
        return CompanyDetails(tax_code=info.tax_code, name=info.name, address=info.address)


async def start(db_url: str | None = None) -> None:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # The FAQ's vectors of the offline model, kept beside the database: a new process answers
    # without embedding the whole Q&A again.
    meaning.use_vector_file(settings.data_dir / "cache" / "e5_vectors.npz")
    await init_db(db_url)
    ports.company_lookup = _TaxCodeLookup(TaxCodeClient(base_url=settings.taxcode_api_base))
    ports.translate = t


async def stop() -> None:
    lookup = ports.company_lookup
    if isinstance(lookup, _TaxCodeLookup):
        await lookup.client.aclose()
    ports.company_lookup = None
    await close_db()
