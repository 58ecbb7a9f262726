"""The events other systems can be told about, and the one versioned JSON body they arrive in.

    {"version": 1, "event": "translation.approved", "delivery": "<uuid>", "occurred_at": "...",
     "document": 12, "data": {...}}

Events: ``translation.submitted``, ``translation.approved``, ``translation.rejected``,
``translation.reopened``, ``document.language_approved`` (every segment of a document in a language
is covered by approved translations; ``data.cursor`` is the export cursor to pull from) and
``job.finished``. ``emit`` runs in the caller's transaction: the delivery rows and their queued tasks
commit with the change they report, or not at all.
"""

from __future__ import annotations

import json
import uuid

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from corpus.cursors import current_cursor
from corpus.models import Segment, Translation
from webhooks.delivery import schedule
from webhooks.models import Delivery, Webhook

BODY_VERSION = 1
TRANSLATION_SUBMITTED = "translation.submitted"
TRANSLATION_APPROVED = "translation.approved"
TRANSLATION_REJECTED = "translation.rejected"
TRANSLATION_REOPENED = "translation.reopened"
LANGUAGE_APPROVED = "document.language_approved"
JOB_FINISHED = "job.finished"
EVENTS = (
    TRANSLATION_SUBMITTED,
    TRANSLATION_APPROVED,
    TRANSLATION_REJECTED,
    TRANSLATION_REOPENED,
    LANGUAGE_APPROVED,
    JOB_FINISHED,
)


def body(event: str, delivery_id: uuid.UUID, document_id: int | None, data: dict) -> str:
    return json.dumps(
        {
            "version": BODY_VERSION,
            "event": event,
            "delivery": str(delivery_id),
            "occurred_at": timezone.now().isoformat(),
            "document": document_id,
            "data": data,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def hooks_for(event: str, document_id: int | None):
    scope = Q(document__isnull=True)
    if document_id is not None:
        scope |= Q(document_id=document_id)
    return [
        hook for hook in Webhook.objects.filter(scope, active=True) if not hook.events or event in hook.events
    ]


def emit(event: str, *, document_id: int | None, data: dict) -> list[Delivery]:
    """A delivery for every active hook that wants ``event`` (one query when none does)."""
    deliveries = []
    for hook in hooks_for(event, document_id):
        delivery_id = uuid.uuid4()
        delivery = Delivery.objects.create(
            id=delivery_id, webhook=hook, event=event, body=body(event, delivery_id, document_id, data)
        )
        schedule(delivery)
        deliveries.append(delivery)
    return deliveries


def translation_event(event: str, translation: Translation, actor) -> None:
    """A review step on one translation; an approval also checks, once it has committed, whether
    the whole document language is now approved."""
    emit(
        event,
        document_id=translation.document_id,
        data={
            "translation": translation.pk,
            "language": translation.language,
            "first_position": translation.first_position,
            "last_position": translation.last_position,
            "status": translation.status,
            "version": translation.version,
            "actor": actor.get_username() if actor is not None and actor.is_authenticated else None,
        },
    )
    if event == TRANSLATION_APPROVED:
        document_id, language = translation.document_id, translation.language
        transaction.on_commit(lambda: language_approved_check(document_id, language))


def fully_approved(document_id: int, language: str) -> bool:
    """Every segment is covered by a live approved translation (live spans never overlap)."""
    covered = Translation.objects.filter(
        document_id=document_id,
        language=language,
        retired_at__isnull=True,
        status=Translation.Status.APPROVED,
    ).aggregate(n=Sum(F("last_position") - F("first_position") + 1))["n"]
    return bool(covered) and covered == Segment.objects.filter(document_id=document_id).count()


@transaction.atomic
def language_approved_check(document_id: int, language: str) -> list[Delivery]:
    """After an approval committed: if the document language is now fully approved, tell the hooks,
    with the export cursor of a snapshot that sees that approval."""
    if not hooks_for(LANGUAGE_APPROVED, document_id) or not fully_approved(document_id, language):
        return []
    return emit(
        LANGUAGE_APPROVED,
        document_id=document_id,
        data={"language": language, "cursor": current_cursor()},
    )
