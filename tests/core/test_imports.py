"""Import (#21): any layout, every encoding, dry run = the import's decisions, undo restores."""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from spacrm.core.actors import Actor
from spacrm.core.errors import DomainError
from spacrm.core.models import CustomerKey, ImportBatch, Lead, SearchEntry
from spacrm.core.services import import_rows, imports
from spacrm.core.services.leads import create_lead
from spacrm.core.services.search import search
from spacrm.core.services.table_files import file_format, read_rows
from tests.conftest import new_phone


def messy_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A title, a date line and a blank row above the header; columns in an odd order."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH KHÁCH HÀNG THÁNG 3"])
    sheet.append(["Ngày xuất: 08/03/2026"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Ghi chú",
            "SĐT di động",
            "Họ và tên KH",
            "E-mail",
            "Tên công ty",
            "MST",
            "Nguồn khách",
            "Giá trị dự kiến",
        ]
    )
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    book.save(path)
    return path


@pytest.fixture
async def cleanup(db: str) -> AsyncIterator[list[str]]:
    phones: list[str] = []
    yield phones
    ids = [lead.id for lead in await Lead.filter(phone__in=phones)]
    await CustomerKey.filter(lead_id__in=ids).delete()
    await SearchEntry.filter(kind="lead", ref_id__in=ids).delete()
    await Lead.filter(id__in=ids).delete()


async def test_messy_xlsx_dry_run_import_and_undo(
    personas: dict[str, Actor], tmp_path: Path, cleanup: list[str]
) -> None:
    me, other = personas["st_q1a1"], personas["st_q1b1"]
    p = [new_phone() for _ in range(6)]
    cleanup.extend(p)
    mine = await create_lead(me, name="Cũ Của Tôi", phone=p[3], company="Trước")
    theirs = await create_lead(other, name="Của Nhóm Khác", phone=p[4])
    path = messy_xlsx(tmp_path / "khach.xlsx", [
        ["quan tâm triệt lông", p[0], "Nguyễn Thị Ánh", "anh@example.vn", "Hoa Sen", "", "Facebook", "5.000.000"],
        ["=HYPERLINK(\"http://evil\",\"bấm\")", p[1], "Trần Bình", "", "", "", "zalo", "2tr"],
        ["", "09123", "Số Sai", "", "", "", "", ""],
        ["", p[1], "Trùng Trong Tệp", "", "", "", "", ""],
        ["", p[3], "Cũ Của Tôi", "", "Công ty Mới", "", "", ""],
        ["", p[4], "Của Nhóm Khác", "", "", "", "", ""],
        ["", p[5], "", "", "", "", "", ""],
        [],
    ])  # fmt: skip
    assert file_format(path.name, path.read_bytes()[:8], path.stat().st_size) == "xlsx"
    found = imports.inspect(path, "xlsx")
    assert found.header_row == 3
    names = {found.headers[i]: f for i, f in found.mapping.items()}
    assert names == {
        "Ghi chú": "needs", "SĐT di động": "phone", "Họ và tên KH": "name", "E-mail": "email",
        "Tên công ty": "company", "MST": "tax_code", "Nguồn khách": "source", "Giá trị dự kiến": "value",
    }  # fmt: skip

    before = await Lead.all().count()
    tally = await imports.dry_run(
        me, path, "xlsx", header_row=3, mapping=found.mapping, update=True
    )
    assert (tally.create, tally.update, tally.skip, tally.refuse) == (2, 1, 1, 3)
    reasons = {o.line: (o.action, o.reason) for o in tally.shown}
    assert reasons[7] == ("refuse", "invalid_phone")
    assert reasons[8] == ("skip", "duplicate_in_file")
    assert reasons[10] == ("refuse", "duplicate_hidden")
    assert reasons[11] == ("refuse", "no_name")
    assert await Lead.all().count() == before  # a dry run writes nothing

    batch, _ = await imports.run_import(
        me, path, "xlsx", filename="khach.xlsx", header_row=3, mapping=found.mapping, update=True
    )
    assert (batch.created, batch.updated, batch.skipped, batch.refused) == (2, 1, 1, 3)
    anh = await Lead.get(phone=p[0])
    assert (anh.name, anh.company, anh.source, anh.value, anh.owner_id) == (
        "Nguyễn Thị Ánh", "Hoa Sen", "facebook", 5_000_000, me.user_id)  # fmt: skip
    binh = await Lead.get(phone=p[1])
    assert binh.needs == '=HYPERLINK("http://evil","bấm")'  # the formula's text, not its result
    assert binh.value == 2_000_000
    assert (await Lead.get(id=mine.id)).company == "Công ty Mới"
    assert (await Lead.get(id=theirs.id)).owner_id == other.user_id
    assert [f.ref_id for f in await search(me, "Nguyễn Thị Ánh")] == [anh.id]  # searchable at once

    await imports.undo_import(me, batch.id)
    assert not await Lead.filter(phone__in=[p[0], p[1]]).exists()
    assert not await CustomerKey.filter(value__in=[p[0], p[1]]).exists()
    assert (await Lead.get(id=mine.id)).company == "Trước"  # restored exactly
    assert await Lead.all().count() == before
    assert (await ImportBatch.get(id=batch.id)).status == "undone"
    with pytest.raises(DomainError):
        await imports.undo_import(me, batch.id)
    with pytest.raises(DomainError):  # someone else's import is "not found"
        await imports.undo_import(other, batch.id)


async def test_undo_refused_after_later_edit(
    personas: dict[str, Actor], tmp_path: Path, cleanup: list[str]
) -> None:
    me = personas["st_q1a1"]
    phone = new_phone()
    cleanup.append(phone)
    path = messy_xlsx(tmp_path / "a.xlsx", [["", phone, "Sửa Sau", "", "", "", "", ""]])
    found = imports.inspect(path, "xlsx")
    batch, _ = await imports.run_import(
        me, path, "xlsx", filename="a.xlsx", header_row=found.header_row, mapping=found.mapping
    )
    await Lead.filter(phone=phone).update(version=5)
    with pytest.raises(DomainError):
        await imports.undo_import(me, batch.id)
    assert await Lead.filter(phone=phone).exists()


@pytest.mark.parametrize(
    ("name", "encoding", "sep"),
    [("a.csv", "utf-8", ","), ("b.csv", "utf-8-sig", ";"), ("c.csv", "utf-16", ";"),
     ("d.csv", "cp1258", ";"), ("e.txt", "utf-8", "\t"), ("f.txt", "utf-16-le", "\t")],
)  # fmt: skip
async def test_text_files_every_encoding(
    personas: dict[str, Actor], tmp_path: Path, name: str, encoding: str, sep: str
) -> None:
    lines = ["Báo cáo khách", "", sep.join(["Tên khách hàng", "Điện thoại", "Địa chỉ"]),
             sep.join(["Phạm Thị Hương", "0903 123 456", "Quận 1"]), sep.join(["Lê Đức", "0912345678", "Hà Nội"])]  # fmt: skip
    body = "\r\n".join(lines)
    raw = _cp1258(body) if encoding == "cp1258" else body.encode(encoding)
    path = tmp_path / name
    path.write_bytes(raw)
    fmt = file_format(name, raw[:8], len(raw))
    found = imports.inspect(path, fmt)
    assert sorted(found.mapping.values()) == ["address", "name", "phone"]
    assert found.sample[0][0] == "Phạm Thị Hương"
    tally = await imports.dry_run(
        personas["st_q1a1"], path, fmt, header_row=found.header_row, mapping=found.mapping
    )
    assert tally.total == 2 and tally.refuse == 0


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _cp1258(text: str) -> bytes:
    """As Windows writes Vietnamese in code page 1258: the tone as a separate combining mark."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(
            unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones
        )
    return "".join(out).encode("cp1258")


def test_files_that_are_not_what_they_say(tmp_path: Path) -> None:
    xlsx = tmp_path / "x.xlsx"
    Workbook().save(xlsx)
    zipped = xlsx.read_bytes()
    cases = [
        ("khach.xlsx", b"Ten,SDT\nA,0903123456\n", "not_xlsx"),
        ("khach.csv", zipped, "xlsx_named_csv"),
        ("khach.csv", b"%PDF-1.4 ...", "not_text"),
        ("khach.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old_excel"),
        ("khach.docx", b"abc", "extension"),
        ("khach.csv", b"", "empty"),
    ]
    for name, head, reason in cases:
        with pytest.raises(DomainError) as err:
            file_format(name, head[:8], len(head))
        assert err.value.params["reason"] == reason
    with pytest.raises(DomainError) as err:
        file_format("big.csv", b"a", 21 * 1024 * 1024)
    assert err.value.params["reason"] == "too_big"


async def test_import_after_a_staged_dry_run_reads_the_rows_it_showed(
    personas: dict[str, Actor], tmp_path: Path, cleanup: list[str]
) -> None:
    me = personas["st_q1a1"]
    p = [new_phone() for _ in range(3)]
    cleanup.extend(p)
    path = messy_xlsx(tmp_path / "s.xlsx", [["", p[0], "Lý Thu", "", "", "", "", ""],
                                            ["", "12ab", "Sai Số", "", "", "", "", ""]])  # fmt: skip
    found = imports.inspect(path, "xlsx")
    kwargs = {"header_row": found.header_row, "mapping": found.mapping}
    tally = await imports.dry_run(me, path, "xlsx", stage=True, **kwargs)  # type: ignore[arg-type]
    assert (tally.create, tally.refuse) == (1, 1)
    staged = path.with_name("s.xlsx.staged")
    assert staged.exists()
    # Another mapping is not the one staged: it reads the file (name from the phone column).
    other = {**found.mapping}
    assert imports._staged(staged, imports._stage_key(path, found.header_row, other)) is not None
    other.pop(next(i for i, f in other.items() if f == "email"))
    assert imports._staged(staged, imports._stage_key(path, found.header_row, other)) is None
    # The import takes the rows the dry run validated; without the stage (or with a damaged one)
    # it reads the file again, to the same result.
    batch, _ = await imports.run_import(me, path, "xlsx", filename="s.xlsx", **kwargs)  # type: ignore[arg-type]
    assert (batch.created, batch.refused) == (1, 1)
    assert (await Lead.get(phone=p[0])).name == "Lý Thu"
    await imports.undo_import(me, batch.id)
    imports.drop_stage(path)
    assert not staged.exists()
    staged.write_bytes(b"\x00garbage")
    batch, _ = await imports.run_import(me, path, "xlsx", filename="s.xlsx", **kwargs)  # type: ignore[arg-type]
    assert batch.created == 1
    await imports.undo_import(me, batch.id)


def test_reader_process_gives_the_rows_read_here(tmp_path: Path) -> None:
    """A big file is read and validated by a child process (import_rows.piped): the very rows
    this process would make, refusals included; a file that is not what it says fails the same."""
    rows: list[list[object]] = [
        [
            "ghi chú",
            "0912 345 678",
            "Nguyễn  Thị Lan",
            "LAN@Example.vn",
            "Hoa Sen",
            "",
            "Zalo",
            "5tr",
        ],
        ["", "12ab", "Sai Số", "", "", "", "", ""],
        ["", "", "", "", "", "", "", ""],
        ["", "0912345678", "Trùng Số", "", "", "", "", "1.500.000"],
        ["", "", "Chỉ Tên", "x@", "", "", "", ""],
        ["", "", "Giá Lạ", "", "", "", "", "năm"],
    ] * 700  # over one chunk
    path = messy_xlsx(tmp_path / "big.xlsx", rows)
    found = imports.inspect(path, "xlsx")
    here = [
        [o.plain() for o in chunk]
        for chunk in import_rows.chunks(read_rows(path, "xlsx"), found.header_row, found.mapping)
    ]
    there = [
        [o.plain() for o in chunk]
        for chunk in import_rows.piped(path, "xlsx", found.header_row, found.mapping)
    ]
    assert len(here) == 2 and here == there  # 3,500 records (blank lines are none)
    assert {o[3] for chunk in there for o in chunk} == {
        "",
        "invalid_phone",
        "invalid_email",
        "invalid_value",
    }
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DomainError) as err:
        next(import_rows.piped(broken, "xlsx", found.header_row, found.mapping))
    assert err.value.params["reason"] == "not_xlsx"


async def test_import_through_the_reader_process(
    personas: dict[str, Actor], tmp_path: Path, cleanup: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import and dry run of a file read by the reader process decide and write the same."""
    monkeypatch.setattr(imports, "PIPE_MIN_BYTES", 0)
    me = personas["st_q1a1"]
    p = [new_phone() for _ in range(3)]
    cleanup.extend(p)
    path = messy_xlsx(tmp_path / "r.xlsx", [["", p[0], "Lý Thu", "", "", "", "", ""],
                                            ["", "12ab", "Sai Số", "", "", "", "", ""],
                                            ["", p[1], "Hà Mai", "", "", "", "", "2tr"],
                                            ["", p[0], "Lý Thu Lần Hai", "", "", "", "", ""]])  # fmt: skip
    found = imports.inspect(path, "xlsx")
    kwargs = {"header_row": found.header_row, "mapping": found.mapping}
    tally = await imports.dry_run(me, path, "xlsx", **kwargs)  # type: ignore[arg-type]
    assert (tally.create, tally.skip, tally.refuse) == (2, 1, 1)
    batch, _ = await imports.run_import(me, path, "xlsx", filename="r.xlsx", **kwargs)  # type: ignore[arg-type]
    assert (batch.created, batch.skipped, batch.refused) == (2, 1, 1)
    assert (await Lead.get(phone=p[1])).value == 2_000_000
    await imports.undo_import(me, batch.id)
    assert not await Lead.filter(phone__in=p[:2]).exists()
