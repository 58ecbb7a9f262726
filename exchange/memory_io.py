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
def memory_import_tmx(*, data: bytes, language: str, actor) -> int:
    """Add the units of a TMX file (zh -> language) to the memory, marked as imported."""
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
    MemoryUnit.objects.bulk_create(rows, batch_size=1000)
    audit(AuditEvent.Action.MEMORY_IMPORT, actor=actor, target="memory", language=language, units=len(rows))
    return len(rows)
