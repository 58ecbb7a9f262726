"""Pre-translation: untranslated segments filled from 100% memory matches, as drafts, in one go."""

from __future__ import annotations

from django.db import transaction

from corpus import permissions
from corpus.languages import validate_language
from corpus.models import Document, MemoryUnit, Revision, Segment, Translation
from memory.tm import normalise_source
from translations import kernel


@transaction.atomic
def document_pretranslate(
    *, document: Document, language: str, actor, progress=None, batch_size: int = 500
) -> dict:
    """Fill untranslated segments from 100% matches (origin memory, status draft), in one transaction.

    ``progress`` (a background job's, ``jobs.runner.Progress``): told the units to write and each
    batch written; it raises between batches to cancel, which rolls everything back.
    """
    validate_language(language)
    permissions.ensure(permissions.can_write(actor, language))
    kernel.lock_document(document)
    covered = set()
    for first, last in Translation.objects.filter(
        document=document, language=language, retired_at__isnull=True
    ).values_list("first_position", "last_position"):
        covered.update(range(first, last + 1))
    segments = [
        (position, text)
        for position, text in Segment.objects.filter(document=document)
        .order_by("position")
        .values_list("position", "text")
        if position not in covered
    ]
    keys = {normalise_source(text): position for position, text in segments}
    found: dict[str, MemoryUnit] = {}
    for unit in MemoryUnit.objects.filter(language=language, source_key__in=list(keys)).order_by("id"):
        found[unit.source_key] = unit  # the newest unit wins
    units = [
        kernel.NewUnit(
            first=position,
            last=position,
            text=found[key].target_text,
            source=text,
            comment=f"pre-translated from memory unit {found[key].pk}",
        )
        for position, text in segments
        if (key := normalise_source(text)) in found
    ]
    if progress is not None:
        progress.start(len(units), phase="writing drafts")
    created = kernel.create_many(
        document=document,
        language=language,
        units=units,
        actor=actor,
        origin=Translation.Origin.MEMORY,
        action=Revision.Action.CREATE,
        progress=progress.advance if progress is not None else None,
        batch_size=batch_size,
    )
    return {"untranslated": len(segments), "filled": len(created)}
