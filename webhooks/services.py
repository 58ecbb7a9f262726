"""Registering webhooks and redelivering: editors only. The secret is shown once, on creation."""

from __future__ import annotations

import secrets

from django.db import transaction

from corpus import permissions
from corpus.errors import InvalidInput
from corpus.models import Document
from webhooks import guard
from webhooks.delivery import schedule
from webhooks.events import EVENTS
from webhooks.models import Delivery, Webhook


@transaction.atomic
def webhook_create(
    *, url: str, actor, document: Document | None = None, events: list[str] | None = None
) -> Webhook:
    """A new hook; its URL must pass the address guard now (and again at every delivery)."""
    permissions.ensure(permissions.can_manage_webhooks(actor))
    unknown = sorted(set(events or ()) - set(EVENTS))
    if unknown:
        raise InvalidInput(f"Unknown event(s): {', '.join(unknown)}.", detail={"field": "events"})
    guard.check_url(url)
    return Webhook.objects.create(
        created_by=actor,
        url=url,
        document=document,
        events=sorted(set(events or ())),
        secret=secrets.token_urlsafe(32),
    )


@transaction.atomic
def webhook_delete(*, webhook: Webhook, actor) -> None:
    permissions.ensure(permissions.can_manage_webhooks(actor))
    webhook.delete()


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, actor) -> Delivery:
    """Send the same body again (a fresh round of attempts), e.g. after the receiver was fixed."""
    permissions.ensure(permissions.can_manage_webhooks(actor))
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.state = Delivery.State.PENDING
    delivery.attempts = 0
    delivery.error = ""
    delivery.next_attempt_at = None
    delivery.save(update_fields=["state", "attempts", "error", "next_attempt_at"])
    schedule(delivery)
    return delivery
