"""API tokens: created and revoked by their owner, stored hashed, shown once."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from corpus.audit import audit
from corpus.errors import InvalidInput, NotFound
from corpus.models import ApiToken, AuditEvent

KEY_PREFIX = "wb_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("A token needs a name of 1 to 100 characters.", detail={"field": "name"})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=hash_key(key))
    audit(AuditEvent.Action.TOKEN_CREATE, actor=user, target="token", target_id=token.pk, name=name)
    return token, key


@transaction.atomic
def token_revoke(*, user, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound("No such token of yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(AuditEvent.Action.TOKEN_REVOKE, actor=user, target="token", target_id=token.pk, name=token.name)
    return token


def token_user(key: str):
    """The active user of a live token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
