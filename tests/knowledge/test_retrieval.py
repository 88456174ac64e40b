from __future__ import annotations

import pytest

from spacrm.knowledge.qa import QAPair
from spacrm.knowledge.retrieval import Retriever

PAIRS = [
    QAPair("gia-goi", "Gội đầu dưỡng sinh bao nhiêu tiền?", "Dạ 150.000đ ạ."),
    QAPair("dat-lich", "Làm sao để đặt lịch?", "Dạ chị nhắn tên và giờ ạ."),
    QAPair("gui-xe", "Có chỗ gửi xe không?", "Dạ có chỗ gửi xe máy ạ."),
]


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("gội đầu dưỡng sinh bao nhiêu tiền", "gia-goi"),  # as trained
        ("goi dau duong sinh gia bn", "gia-goi"),  # no diacritics + slang
        ("gội dầu dưỡng sinh giá nhiu", "gia-goi"),  # diacritic typo + slang
        ("goi dau duong sinhh bao nhieu", "gia-goi"),  # letter typo
        ("cho mình book lịch", "dat-lich"),  # synonym
        ("đi ô tô đỗ ở đâu", "gui-xe"),  # synonyms
    ],
)
def test_finds_the_pair(text: str, expect: str) -> None:
    hits = Retriever(PAIRS).search(text)
    assert hits and hits[0].pair.id == expect
    assert all(0 < hit.score <= 1 for hit in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_k_limits_hits_and_nothing_shared_gives_nothing() -> None:
    retriever = Retriever(PAIRS)
    assert len(retriever.search("gội đầu đặt lịch gửi xe", k=2)) <= 2
    assert retriever.search("qwerty zxcv") == []
    assert Retriever().search("giá") == []


def test_index_is_rebuilt_on_change() -> None:
    retriever = Retriever(PAIRS)
    assert not retriever.search("nối mi volume")
    retriever.upsert(QAPair("mi", "Có nối mi không?", "Dạ có nối mi volume ạ."))
    assert retriever.search("nối mi volume")[0].pair.id == "mi"
    assert retriever.remove("mi") and not retriever.remove("mi")
    assert not retriever.search("nối mi volume")
    retriever.replace(PAIRS[:1])
    assert [p.id for p in retriever.pairs] == ["gia-goi"]


async def test_index_built_in_a_thread_is_swapped_in_whole() -> None:
    import asyncio

    from spacrm.knowledge.qa import QAPair
    from spacrm.knowledge.retrieval import Retriever, build_index

    pairs = [
        QAPair("gio", "Spa mở cửa mấy giờ?", "Dạ 9h–21h ạ."),
        QAPair("xe", "Có chỗ gửi xe không?", "Dạ có giữ xe máy miễn phí ạ."),
    ]
    retriever = Retriever()
    index = await asyncio.to_thread(build_index, pairs)
    retriever.use_index(index)
    assert retriever.search("spa mo cua may gio")[0].pair.id == "gio"
    assert {p.id for p in retriever.pairs} == {"gio", "xe"}
