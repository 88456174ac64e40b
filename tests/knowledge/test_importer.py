from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from spacrm.knowledge.importer import QAImportError, load_qa_file
from spacrm.knowledge.qa import QAPair

CSV = "id,question,answer,variants\nmo-cua,Mấy giờ mở cửa?,Dạ 9h ạ.,Giờ mở cửa|mo cua may gio\ndia-chi,Ở đâu?,Dạ 12 Lê Lợi ạ.,\n"


def _write(tmp_path: Path, text: str, name: str = "qa.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_csv(tmp_path: Path) -> None:
    pairs = load_qa_file(_write(tmp_path, CSV))
    assert pairs == [
        QAPair("mo-cua", "Mấy giờ mở cửa?", "Dạ 9h ạ.", ("Giờ mở cửa", "mo cua may gio")),
        QAPair("dia-chi", "Ở đâu?", "Dạ 12 Lê Lợi ạ."),
    ]


def test_csv_with_bom_and_capitalised_headers(tmp_path: Path) -> None:
    text = CSV.replace("id,question,answer,variants", "ID,Question,ANSWER,Variants")
    pairs = load_qa_file(_write(tmp_path, text, encoding="utf-8-sig"))
    assert [p.id for p in pairs] == ["mo-cua", "dia-chi"]


def test_csv_without_variants_column_and_blank_rows(tmp_path: Path) -> None:
    pairs = load_qa_file(_write(tmp_path, "question,answer,id\nHỏi?,Đáp ạ.,a\n,,\n"))
    assert pairs == [QAPair("a", "Hỏi?", "Đáp ạ.")]


def test_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Id", "Question", "Answer", "Variants"])
    sheet.append([12, "Giá gội đầu?", "Dạ 150.000đ ạ.", "goi dau bn | gội đầu giá sao"])
    sheet.append([None, None, None, None])
    path = tmp_path / "qa.xlsx"
    book.save(path)
    assert load_qa_file(path) == [
        QAPair("12", "Giá gội đầu?", "Dạ 150.000đ ạ.", ("goi dau bn", "gội đầu giá sao"))
    ]


@pytest.mark.parametrize(
    ("text", "row", "reason"),
    [
        ("id,question,answer\na,Q?,\n", 2, "missing answer"),
        ("id,question,answer\na,Q?,A\n,Q2?,A2\n", 3, "missing id"),
        ("id,question,answer\na,,A\n", 2, "missing question"),
        ("id,question,answer\na,Q?,A\na,Q2?,A2\n", 3, "duplicate id 'a'"),
        ("id,question\na,Q?\n", 1, "missing column(s) answer"),
        ("", 1, "empty"),
    ],
)
def test_bad_rows(tmp_path: Path, text: str, row: int, reason: str) -> None:
    with pytest.raises(QAImportError) as caught:
        load_qa_file(_write(tmp_path, text))
    assert caught.value.row_number == row
    assert reason in str(caught.value)


def test_unsupported_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(QAImportError, match="unsupported"):
        load_qa_file(_write(tmp_path, "x", name="qa.txt"))
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes(b"id,question,answer\na,Gi\xe1?,D\xe1\n")  # a legacy 8-bit code page
    with pytest.raises(QAImportError, match="UTF-8"):
        load_qa_file(legacy)
