"""Importing a Chinese source document: its segments, and the Korean lines it may carry.

All or nothing. The same bytes again report the existing document. A Hangul line right after a
Chinese line is that line's Korean translation: it is written through the kernel as a submitted
translation by the importer (or by nobody when the seed is loaded on first run), so the importer
cannot approve it (four-eyes), and a user without Korean access cannot import one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from corpus import permissions
from corpus.audit import audit
from corpus.documents import document_create, existing_document, parse_source
from corpus.errors import ForbiddenAction
from corpus.models import AuditEvent, Document, Revision, Translation
from corpus.uploads import read_upload
from translations import kernel

KOREAN = "ko"


@dataclass(frozen=True)
class ImportResult:
    document: Document
    created: bool
    segments: int
    translations: int


@transaction.atomic
def document_import(*, data: bytes, file_name: str, title: str = "", actor=None) -> ImportResult:
    """Import a Chinese source document, all or nothing. The same bytes again: the existing document.

    ``actor`` None is the system (the seed on first run, ``import_source`` from the shell).
    """
    existing = existing_document(data)
    if existing is not None:
        return ImportResult(existing, created=False, segments=existing.segments.count(), translations=0)
    source = parse_source(data)
    if source.korean_lines and actor is not None:
        decision = permissions.can_write(actor, KOREAN)
        if not decision:
            raise ForbiddenAction(
                f"The file carries {len(source.korean_lines)} Korean line(s), which become Korean "
                f"translations, and you cannot write Korean: {decision.reason}"
            )
    document = document_create(data=data, source=source, file_name=file_name, title=title, actor=actor)
    units = []
    for line in source.korean_lines:
        positions = [i for i, segment in enumerate(source.segments) if segment.paragraph == line.paragraph]
        units.append(
            kernel.NewUnit(
                first=positions[0],
                last=positions[-1],
                text=line.text,
                source="".join(source.segments[i].text for i in positions),
                status=Translation.Status.SUBMITTED,
                comment=f"line {line.line_number} of {file_name}",
            )
        )
    kernel.create_many(
        document=document,
        language=KOREAN,
        units=units,
        actor=actor,
        origin=Translation.Origin.SOURCE_DOCUMENT,
        action=Revision.Action.IMPORT,
    )
    audit(
        AuditEvent.Action.SOURCE_IMPORT,
        actor=actor,
        target="document",
        target_id=document.pk,
        file_name=file_name,
        segments=len(source.segments),
        korean_lines=len(units),
    )
    return ImportResult(document, created=True, segments=len(source.segments), translations=len(units))


def document_upload(*, upload, title: str, actor) -> ImportResult:
    """An uploaded source file (API or browser): editors only, size checked before reading it all."""
    permissions.ensure(permissions.can_import(actor))
    data = read_upload(upload)
    return document_import(data=data, file_name=upload.name or "upload.txt", title=title, actor=actor)
