"""Translation memory from other tools: TMX files added to the memory as imported units."""

from __future__ import annotations

from django.db import transaction

from corpus import permissions
from corpus.audit import audit
from corpus.errors import InvalidInput
from corpus.languages import validate_language
from corpus.models import AuditEvent, MemoryUnit
from exchange.formats import FormatError, read_tmx
from memory.tm import unit_fields


@transaction.atomic
def memory_import_tmx(*, data: bytes, language: str, actor, progress=None, batch_size: int = 1000) -> int:
    """Add the units of a TMX file (zh -> language) to the memory, marked as imported.

    ``progress`` (a background job's): told the units and each batch inserted; it raises between
    batches to cancel, which rolls the whole import back."""
    validate_language(language)
    permissions.ensure(permissions.can_review(actor, language))
    try:
        units = read_tmx(data, source_lang="zh", target_lang=language)
    except FormatError as error:
        raise InvalidInput(str(error), detail={"line": error.line}) from error
    rows = [
        MemoryUnit(
            language=language,
            origin=MemoryUnit.Origin.TMX,
            created_by=actor,
            **unit_fields(u.source_text, u.target_text),
        )
        for u in units
        if u.source_text.strip() and u.target_text.strip()
    ]
    if progress is None:
        MemoryUnit.objects.bulk_create(rows, batch_size=batch_size)
    else:
        progress.start(len(rows), phase="adding units")
        for start in range(0, len(rows), batch_size):
            MemoryUnit.objects.bulk_create(rows[start : start + batch_size])
            progress.advance(len(rows[start : start + batch_size]))
    audit(AuditEvent.Action.MEMORY_IMPORT, actor=actor, target="memory", language=language, units=len(rows))
    return len(rows)
