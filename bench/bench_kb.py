"""Retrieval benchmark: 5,000 synthetic-but-varied Q&A pairs, ~2,000 customer questions, offline.

    .venv/bin/python bench/bench_kb.py

Prints the index build time and answer latency (median, p95, p99). Target: median < 10 ms.
With the semantic model installed (extra `semantic`), the build embeds the 5,000 pairs too, as
the customer engine does (off the event loop there); SPACRM_SEMANTIC=0 measures the words alone.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time

from spacrm.core.textnorm import fold
from spacrm.knowledge.answering import answer
from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever

PAIRS = 5_000
QUESTIONS = 2_000

SERVICES = [
    "triệt lông nách",
    "triệt lông chân",
    "gội đầu dưỡng sinh",
    "massage body",
    "massage mặt",
    "trị mụn",
    "trị nám",
    "peel da",
    "chăm sóc da mặt",
    "sơn gel",
    "đắp bột",
    "nối mi",
    "cắt tóc nữ",
    "uốn tóc",
    "nhuộm tóc",
    "tắm trắng",
    "xông hơi",
    "lấy nhân mụn",
    "wax lông mày",
    "phun môi",
    "điêu khắc chân mày",
    "trị thâm",
    "cấy collagen",
    "hút chì thải độc",
]
BRANCHES = [f"chi nhánh {i}" for i in range(1, 41)] + ["quận 1", "quận 3", "Thủ Đức", "Gò Vấp"]
TEMPLATES = [
    ("{s} giá bao nhiêu ở {b}?", "Dạ {s} tại {b} giá {p}.000đ ạ."),
    ("{s} mất bao lâu ở {b}?", "Dạ {s} tại {b} khoảng {m} phút ạ."),
    ("{s} mấy buổi thì thấy hiệu quả ({b})?", "Dạ {s} thường {m} buổi ạ."),
    ("Bà bầu làm {s} ở {b} được không?", "Dạ mẹ bầu {b} không làm {s} ạ."),
    ("{s} ở {b} có đau không?", "Dạ {s} chỉ hơi châm chích ạ."),
    ("{b} có khuyến mãi {s} không?", "Dạ {b} giảm {m}% {s} ạ."),
    ("Sau khi làm {s} cần kiêng gì ({b})?", "Dạ sau {s} tránh nắng {m} ngày ạ."),
]
ASKED = [
    "{s} {b} bn",
    "gia {s} o {b}",
    "{s} bao lâu vậy {b}",
    "bau lam {s} dc ko {b}",
    "{s} {b} đau ko e",
    "{b} đang có km {s} ko",
    "làm {s} xong kiêng gì {b}",
    "ship hàng ra {b} không",
    "{s} giá sao c",
    "kể chuyện cười đi",
]


def _pairs(rng: random.Random) -> list[QAPair]:
    pairs = []
    for i in range(PAIRS):
        question, answer_text = TEMPLATES[i % len(TEMPLATES)]
        s, b = rng.choice(SERVICES), rng.choice(BRANCHES)
        values = {"s": s, "b": b, "p": rng.randint(50, 2000), "m": rng.randint(2, 90)}
        pairs.append(QAPair(f"p{i}", question.format(**values), answer_text.format(**values)))
    return pairs


def _questions(rng: random.Random) -> list[str]:
    out = []
    for _ in range(QUESTIONS):
        text = rng.choice(ASKED).format(s=rng.choice(SERVICES), b=rng.choice(BRANCHES))
        out.append(fold(text) if rng.random() < 0.4 else text)  # many customers skip diacritics
    return out


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    rng = random.Random(7)
    pairs = _pairs(rng)
    started = time.perf_counter()
    retriever = Retriever(pairs, semantic=True)
    build = time.perf_counter() - started
    questions = _questions(rng)
    latencies = []
    handoffs = 0
    for question in questions:
        started = time.perf_counter()
        result = await answer(question, retriever)
        latencies.append((time.perf_counter() - started) * 1000)
        handoffs += result.handoff
    print(f"pairs: {len(pairs)}  questions: {len(questions)}  handoffs: {handoffs}")
    print(f"index build: {build:.2f} s (semantic model: {retriever.meaning is not None})")
    print(
        f"answer latency: median {statistics.median(latencies):.2f} ms, "
        f"p95 {_percentile(latencies, 0.95):.2f} ms, p99 {_percentile(latencies, 0.99):.2f} ms, "
        f"max {max(latencies):.2f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
