"""Re-assessment of a document: the findings of every live translation recomputed (after the checks,
the glossary or the length norms changed), in one transaction, usually as a background job."""

from __future__ import annotations

from django.db import transaction

from corpus import permissions
from corpus.languages import validate_language
from corpus.models import Document
from translations import kernel


@transaction.atomic
def document_reassess(
    *, document: Document, language: str, actor, progress=None, batch_size: int = 500
) -> dict:
    """Recompute the findings of the document's live translations in ``language`` (editors)."""
    validate_language(language)
    permissions.ensure(permissions.can_review(actor, language))
    kernel.lock_document(document)
    live = kernel.lock_live(document, language)
    if progress is not None:
        progress.start(len(live), phase="re-assessing")
    before = sum(len(t.findings) for t in live)
    kernel.reassess(live, progress=progress.advance if progress is not None else None, batch_size=batch_size)
    after = sum(len(t.findings) for t in live)
    return {"translations": len(live), "findings_before": before, "findings_after": after}
