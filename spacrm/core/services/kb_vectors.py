"""The database cache of Q&A embeddings (issue 7): one row per pair and embedding model, with a
hash of the embedded text so a changed pair is embedded again."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from spacrm.core.models import QAEmbedding


class DatabaseVectorStore:
    async def load(self, model: str) -> dict[str, tuple[str, list[float]]]:
        rows = await QAEmbedding.filter(model=model)
        return {row.pair_id: (row.text_hash, list(row.vector)) for row in rows}

    async def save(self, model: str, rows: dict[str, tuple[str, list[float]]]) -> None:
        async with in_transaction():
            for pair_id, (digest, vector) in rows.items():
                await QAEmbedding.update_or_create(
                    pair_id=pair_id, model=model,
                    defaults={"text_hash": digest, "vector": vector},
                )  # fmt: skip


store = DatabaseVectorStore()
