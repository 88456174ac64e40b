"""What an uploaded file really is (#22 attachments): the bytes decide, and they must agree with
the extension, so a script renamed "anh.jpg" is refused instead of stored and served back."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from spacrm.core.errors import DomainError, ErrorCode

# extension → (content type, how to recognise the bytes)
_IMAGES = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "pdf": ("application/pdf", (b"%PDF-",)),
}
_OFFICE = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
}
_TEXT = {"txt": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def sniff(filename: str, content: bytes) -> str:
    """The content type to store and serve `content` as; DomainError when it is not an allowed
    kind of file or not what its extension says."""
    ext = Path(filename).suffix.lower().lstrip(".")
    refused = DomainError(ErrorCode.INVALID_VALUE, field="file", value=filename[:60])
    if ext in _IMAGES:
        kind, magics = _IMAGES[ext]
        if content.startswith(magics):
            return kind
        raise refused
    if ext == "webp":
        if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
            return "image/webp"
        raise refused
    if ext in _OFFICE:
        kind, folder = _OFFICE[ext]
        if not content.startswith(b"PK\x03\x04"):
            raise refused
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except (zipfile.BadZipFile, ValueError) as exc:
            raise refused from exc
        if "[Content_Types].xml" in names and any(n.startswith(folder) for n in names):
            return kind
        raise refused
    if ext in _TEXT:
        sample = content[:65536]
        if b"\x00" in sample:
            raise refused
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # a character cut at the sample's end is fine
                raise refused from exc
        return _TEXT[ext]
    raise refused
