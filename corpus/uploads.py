"""Reading uploaded bytes: the one place the upload limit (``WORKBENCH_MAX_UPLOAD_BYTES``) is checked.

Every upload path (source documents, bilingual files, pasted or uploaded alignments, memory and
glossary files, references) reads its bytes through ``read_upload`` or checks a body with
``check_size``, so the limit and its message are the same everywhere.
"""

from __future__ import annotations

from django.conf import settings

from corpus.errors import InvalidInput, SourceImportError


class TooLarge(InvalidInput):
    code = "too_large"
    status = 413


def limit() -> int:
    return settings.WORKBENCH_MAX_UPLOAD_BYTES


def check_size(size: int) -> None:
    if size > limit():
        raise TooLarge(
            f"The file is {size:,} bytes; the limit is {limit():,} bytes.",
            detail={"limit": limit(), "size": size},
        )


def read_upload(upload) -> bytes:
    """All bytes of an uploaded file (or bytes/str already read), refused before reading past the limit."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    elif isinstance(upload, str):
        data = upload.encode("utf-8")
    else:
        size = getattr(upload, "size", None)
        if size is not None:
            check_size(size)
        data = upload.read(limit() + 1)
    check_size(len(data))
    return data


def decode_text(data: bytes) -> str:
    """UTF-8 text of uploaded bytes (a BOM is allowed), or a SourceImportError saying where it breaks."""
    if not data.strip():
        raise SourceImportError("The file is empty.")
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise SourceImportError(
            f"The file is not UTF-8: byte 0x{byte:02x} at byte offset {error.start} cannot be decoded."
        ) from error
    if "\x00" in text:
        raise SourceImportError(f"The file contains a NUL character at offset {text.index(chr(0))}.")
    return text
