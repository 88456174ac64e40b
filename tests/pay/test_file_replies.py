"""Images and documents in replies: the terminal writes them to --files DIR and shows the path;
Telegram gets them as a photo / document in the outbox payload."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from spacrm.adapters.cli.terminal import render
from spacrm.adapters.telegram.render import to_payload
from spacrm.intents.chat import Reply
from spacrm.reports.qr import qr_png


def test_terminal_writes_files_and_prints_paths(tmp_path: Path) -> None:
    png = qr_png("000201")
    reply = Reply(
        "Mã QR",
        files=[
            ("qr-HD1.png", png, "image/png"),
            ("bao-cao.xlsx", b"PK\x03\x04", "application/vnd.ms-excel"),
        ],
    )
    out = io.StringIO()
    render([reply, reply], out, tmp_path / "chat-files")
    lines = out.getvalue().splitlines()
    shown = [line.strip() for line in lines if line.strip().startswith("[")]
    assert shown == [
        f"[hình ảnh: {tmp_path / 'chat-files' / 'qr-HD1.png'}]",
        f"[tệp: {tmp_path / 'chat-files' / 'bao-cao.xlsx'}]",
        f"[hình ảnh: {tmp_path / 'chat-files' / 'qr-HD1-2.png'}]",  # never overwrites
        f"[tệp: {tmp_path / 'chat-files' / 'bao-cao-2.xlsx'}]",
    ]
    assert (tmp_path / "chat-files" / "qr-HD1.png").read_bytes() == png


def test_terminal_without_dir_and_hostile_names(tmp_path: Path) -> None:
    out = io.StringIO()
    render([Reply("x", files=[("../../etc/passwd", b"abc", "text/plain")])], out, tmp_path)
    assert (tmp_path / "passwd").read_bytes() == b"abc"  # the path part of a name is dropped
    out = io.StringIO()
    render([Reply("x", image=b"\x89PNG", image_name="a.png")], out)
    assert "[hình ảnh: a.png, 4 bytes]" in out.getvalue()


def test_telegram_payload_carries_photo_and_document() -> None:
    png = qr_png("000201")
    payload = to_payload(
        Reply("QR", files=[("qr.png", png, "image/png"), ("a.pdf", b"%PDF", "application/pdf")])
    )
    assert base64.b64decode(payload["image_b64"]) == png and payload["image_name"] == "qr.png"
    assert (
        base64.b64decode(payload["document_b64"]) == b"%PDF" and payload["document_name"] == "a.pdf"
    )
    assert "image_b64" not in to_payload(Reply("plain"))


def test_zalo_staff_payload_carries_the_image() -> None:
    from spacrm.adapters.zalo.staff import staff_payload

    png = qr_png("000201")
    payload = staff_payload(Reply("QR", files=[("qr.png", png, "image/png")]), None)
    assert base64.b64decode(payload["image_b64"]) == png and payload["image_name"] == "qr.png"
