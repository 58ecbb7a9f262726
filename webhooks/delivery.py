"""Delivering one webhook call: signed, through the queue, retried with exponential backoff.

Attempt n (1-based) that fails (no answer, or a status outside 2xx) is retried after
``WORKBENCH_WEBHOOK_BACKOFF_SECONDS * 2**(n-1)`` seconds, up to ``WORKBENCH_WEBHOOK_ATTEMPTS``
attempts; then the delivery is failed, and an editor can redeliver it. Each attempt is a task of its
own, so a worker is never held by a sleeping retry.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from webhooks import guard
from webhooks.models import Delivery

logger = logging.getLogger("webhooks")
SIGNATURE_HEADER = "X-Workbench-Signature"


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body>``; receivers compare it in constant time."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempt: int) -> timedelta:
    """The wait after failed attempt ``attempt`` (1-based): base, 2 x base, 4 x base ..."""
    return timedelta(seconds=settings.WORKBENCH_WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1))


def schedule(delivery: Delivery, *, at=None) -> None:
    """Queue an attempt (in the caller's transaction: it is sent only if that commits)."""
    runner = deliver.using(run_after=at) if at is not None else deliver
    runner.enqueue(str(delivery.pk))


@task()
def deliver(delivery_id: str) -> str:
    """One attempt at one delivery; schedules the next attempt when it fails and attempts remain."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook")
            .filter(pk=delivery_id, state=Delivery.State.PENDING)
            .first()
        )
        if delivery is None:
            return "skipped"  # delivered, failed, or being attempted by another worker
        hook = delivery.webhook
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "workbench-webhooks/1",
            SIGNATURE_HEADER: signature(hook.secret, body),
            "X-Workbench-Event": delivery.event,
            "X-Workbench-Delivery": str(delivery.pk),
        }
        code, error = None, ""
        try:
            target = guard.check_url(hook.url)
            code = guard.post(target, body, headers, settings.WORKBENCH_WEBHOOK_TIMEOUT_SECONDS)
            if not 200 <= code < 300:
                error = f"the receiver answered {code}"
        except guard.AddressRefused as refused:
            error = refused.message
        except OSError as failure:  # refused, reset, timed out, TLS
            error = f"{type(failure).__name__}: {failure}"[:2000]
        now = timezone.now()
        delivery.attempts += 1
        delivery.response_code = code
        delivery.error = error
        delivery.last_attempt_at = now
        delivery.next_attempt_at = None
        if not error:
            delivery.state = Delivery.State.DELIVERED
            delivery.delivered_at = now
        elif delivery.attempts >= settings.WORKBENCH_WEBHOOK_ATTEMPTS:
            delivery.state = Delivery.State.FAILED
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            schedule(delivery, at=delivery.next_attempt_at)
        delivery.save()
        if error:
            logger.info(
                "webhook %s delivery %s attempt %s: %s", hook.pk, delivery.pk, delivery.attempts, error
            )
        return delivery.state
