"""Writing the audit trail (``AuditEvent``): one row per write that matters, in the caller's transaction."""

from __future__ import annotations

from corpus.models import AuditEvent


def audit(action: str, *, actor, target: str, target_id: int | None = None, **detail) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        target=target,
        target_id=target_id,
        detail=detail,
    )
