"""Typing and review: the translation use cases of the editor and the API.

Each is one transaction through the write kernel (``translations.kernel``), which holds the locks,
the version compare-and-set, the text rules, the workflow table and the history row. The rules of
who may do what are in ``corpus.permissions`` and ``translations.workflow``. Review steps are
announced to webhooks (``webhooks.events``) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from corpus import permissions
from corpus.errors import WorkbenchError
from corpus.languages import validate_language
from corpus.models import Document, Revision, Translation
from translations import kernel
from webhooks import events

Action = Revision.Action


@transaction.atomic
def translation_create(
    *,
    document: Document,
    language: str,
    first_position: int,
    last_position: int | None = None,
    text: str,
    actor,
    origin: str = Translation.Origin.TYPED,
    submit: bool = False,
) -> Translation:
    """A new draft for an untranslated span (usually one segment); ``submit``: and submit it, in the
    same transaction. An empty one is refused."""
    validate_language(language)
    permissions.ensure(permissions.can_write(actor, language))
    last_position = first_position if last_position is None else last_position
    created = kernel.create(
        document=document,
        language=language,
        first=first_position,
        last=last_position,
        text=text,
        actor=actor,
        origin=origin,
    )
    if submit:
        return translation_submit(translation=created, version=created.version, actor=actor)
    return created


def translation_save(
    *,
    translation: Translation | int,
    text: str,
    version: int,
    actor,
    submit: bool = False,
    documents: QuerySet[Document] | None = None,
) -> Translation:
    """Change the text of a translation, based on ``version``; a stale version is refused.
    ``submit``: and submit it (Ctrl+Shift+Enter), both or neither. ``documents``: the translation
    must be in one of these (the documents the actor sees)."""
    if not submit:
        # one kernel step: its own transaction (a transaction around it would add a savepoint)
        return kernel.write(
            translation, action=Action.EDIT, version=version, actor=actor, text=text, documents=documents
        )
    with transaction.atomic():
        saved = kernel.write(
            translation, action=Action.EDIT, version=version, actor=actor, text=text, documents=documents
        )
        return translation_submit(translation=saved, version=saved.version, actor=actor)


@transaction.atomic
def translation_submit(
    *, translation: Translation | int, version: int, actor, documents: QuerySet[Document] | None = None
) -> Translation:
    submitted = kernel.write(
        translation, action=Action.SUBMIT, version=version, actor=actor, documents=documents
    )
    events.translation_event(events.TRANSLATION_SUBMITTED, submitted, actor)
    return submitted


@transaction.atomic
def translation_approve(
    *,
    translation: Translation | int,
    version: int,
    actor,
    acknowledge_findings: bool = False,
    documents: QuerySet[Document] | None = None,
) -> Translation:
    """Approve a submitted version; one with error-level findings needs ``acknowledge_findings``.
    Once it commits, a document language that is now fully approved is announced to webhooks."""
    approved = kernel.write(
        translation,
        action=Action.APPROVE,
        version=version,
        actor=actor,
        acknowledge_findings=acknowledge_findings,
        documents=documents,
    )
    events.translation_event(events.TRANSLATION_APPROVED, approved, actor)
    return approved


@transaction.atomic
def translation_reject(
    *,
    translation: Translation | int,
    version: int,
    reason: str,
    actor,
    documents: QuerySet[Document] | None = None,
) -> Translation:
    rejected = kernel.write(
        translation, action=Action.REJECT, version=version, actor=actor, comment=reason, documents=documents
    )
    events.translation_event(events.TRANSLATION_REJECTED, rejected, actor)
    return rejected


@transaction.atomic
def translation_reopen(
    *,
    translation: Translation | int,
    version: int,
    actor,
    reason: str = "",
    documents: QuerySet[Document] | None = None,
) -> Translation:
    reopened = kernel.write(
        translation,
        action=Action.REOPEN,
        version=version,
        actor=actor,
        comment=(reason or "").strip(),
        documents=documents,
    )
    events.translation_event(events.TRANSLATION_REOPENED, reopened, actor)
    return reopened


@dataclass(frozen=True)
class BulkResult:
    approved: list[Translation]
    skipped: list[tuple[int, str]]  # (translation id, reason)


def translations_bulk_approve(
    *, translations: list[Translation], actor, acknowledge_findings: bool = False
) -> BulkResult:
    """Approve each submitted translation at its current version; each approval is its own transaction.

    A translation the editor may not approve (four-eyes, language, unconfirmed error findings) or that
    changed meanwhile is skipped with its reason, so one refusal does not undo the others.
    """
    approved, skipped = [], []
    for translation in translations:
        try:
            approved.append(
                translation_approve(
                    translation=translation,
                    version=translation.version,
                    actor=actor,
                    acknowledge_findings=acknowledge_findings,
                )
            )
        except WorkbenchError as error:
            skipped.append((translation.pk, error.message))
    return BulkResult(approved, skipped)
