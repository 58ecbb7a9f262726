"""The source side of a document: its immutable segments, created once from the imported bytes.

``document_create`` makes the Document and its Segments; the Korean lines a source may carry are
translations, written by the import use case (``exchange.sources``) through the write kernel.
"""

from __future__ import annotations

import hashlib
import io

from django.db import connection, transaction

from corpus.errors import SourceImportError
from corpus.models import Document, Segment
from corpus.segmentation import (
    NUMBERED_HEADING,
    ORDINAL_HEADING,
    SegmentationError,
    SegmentedSource,
    has_chinese,
    segment_document,
)
from corpus.uploads import decode_text


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def existing_document(data: bytes) -> Document | None:
    """The document already imported from these exact bytes, if any."""
    return Document.objects.filter(sha256=sha256(data)).first()


def parse_source(data: bytes) -> SegmentedSource:
    """The segmented source of ``data``, or a SourceImportError saying what is wrong with it."""
    text = decode_text(data)
    if not has_chinese(text):
        raise SourceImportError("The file has no Chinese text; the workbench imports Chinese sources.")
    try:
        source = segment_document(text)
    except SegmentationError as error:
        raise SourceImportError(str(error)) from error
    if not source.segments:
        raise SourceImportError("The file has no source paragraphs.")
    return source


@transaction.atomic
def document_create(*, data: bytes, source: SegmentedSource, file_name: str, title: str, actor) -> Document:
    title = (title or "").strip() or default_title(source, file_name)
    document = Document.objects.create(
        title=title[:500],
        source_language="zh",
        file_name=file_name[:500],
        sha256=sha256(data),
        created_by=actor,
    )
    copy_segments(
        document.pk,
        (
            (
                position,
                segment.paragraph,
                segment.kind,
                segment.text,
                segment.words,
                segment.chars,
                segment.tokens,
            )
            for position, segment in enumerate(source.segments)
        ),
    )
    # the totals were just kept by the segments' trigger: the returned document carries them
    document.refresh_from_db(fields=["segment_count", "word_count", "char_count"])
    return document


def _copy_text(value: str) -> str:
    """A value in COPY's text format: backslash, tab, newline and carriage return escaped."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _array_literal(items: list[str]) -> str:
    """A PostgreSQL text[] literal, every element quoted."""
    quoted = (item.replace("\\", "\\\\").replace('"', '\\"') for item in items)
    return "{" + ",".join(f'"{item}"' for item in quoted) + "}"


def copy_segments(document_id: int, rows) -> None:
    """Insert segments with COPY FROM STDIN (about 7x faster than bulk_create), inside the caller's
    transaction. ``rows``: (position, paragraph, kind, text, words, chars, tokens)."""
    buffer = io.StringIO()
    for position, paragraph, kind, text, words, chars, tokens in rows:
        buffer.write(
            f"{document_id}\t{position}\t{paragraph}\t{kind}\t{_copy_text(text)}\t{words}\t{chars}\t"
            f"{_copy_text(_array_literal(tokens))}\n"
        )
    buffer.seek(0)
    columns = "document_id, position, paragraph, kind, text, words, chars, tokens"
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {Segment._meta.db_table} ({columns}) FROM STDIN", buffer)


def default_title(source: SegmentedSource, file_name: str) -> str:
    """The first line when it is a title (a heading that is not a numbered section), else the file name."""
    first = source.segments[0]
    if (
        first.kind == "heading"
        and not NUMBERED_HEADING.match(first.text)
        and not ORDINAL_HEADING.match(first.text)
    ):
        return first.text
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem or "Untitled"
