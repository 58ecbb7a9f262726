"""API tokens: created and revoked by their owner, stored hashed, shown once."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from corpus.audit import audit
from corpus.errors import InvalidInput, NotFound
from corpus.models import ApiToken, AuditEvent
from corpus.permissions import access_columns, remember_access

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


def _token_user_sql() -> tuple[str, list[str]]:
    user_model = get_user_model()
    fields = [field for field in user_model._meta.concrete_fields]
    columns = ", ".join(f'u."{field.column}"' for field in fields)
    sql = (
        f"SELECT t.id, t.last_used_at, {access_columns('u.id')}, {columns}"
        f" FROM {ApiToken._meta.db_table} t JOIN {user_model._meta.db_table} u ON u.id = t.user_id"
        " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
        " ORDER BY t.created_at DESC LIMIT 1"
    )
    return sql, [field.attname for field in fields]


def token_user(key: str):
    """The active user of a live token, or None.

    One query for the token, its user and the user's permissions (``permissions.access_columns``),
    cached on the user for the request: an API request reads its permissions once, with its user.
    """
    sql, user_fields = _token_user_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [hash_key(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used_at, roles, limit, *values = row
    user = get_user_model().from_db(connection.alias, user_fields, values)
    remember_access(user, roles, limit)
    now = timezone.now()
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user
