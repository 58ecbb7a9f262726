"""Who may do what: the one place. The API's permission checks and the browser views call it.

Roles are Django groups ``translator`` and ``editor``; superusers act as editors. A user may be
limited to some target languages by a ``LanguageAccess`` row (no row: every language).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from corpus.errors import ForbiddenAction
from corpus.models import LanguageAccess, Translation

TRANSLATOR = "translator"
EDITOR = "editor"
ROLES = (TRANSLATOR, EDITOR)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def ensure(decision: Decision) -> None:
    if not decision:
        raise ForbiddenAction(decision.reason)


def roles(user) -> frozenset[str]:
    """The user's roles, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if getattr(user, "_workbench_roles", None) is None:
        load_access(user)
    return user._workbench_roles


def languages(user) -> frozenset[str]:
    """Target languages the user may work in."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if getattr(user, "_workbench_languages", None) is None:
        load_access(user)
    return user._workbench_languages


def access_columns(user_id: str) -> str:
    """Two SQL columns: the user's roles (text[]) and language limit (text[] or NULL), for the user
    whose id is the SQL expression ``user_id``. ``load_access`` reads them alone; the token lookup
    reads them with the user, so a token request reads its permissions in the same round trip."""
    memberships = get_user_model().groups.through._meta.db_table
    return (
        f"ARRAY(SELECT g.name FROM {Group._meta.db_table} g JOIN {memberships} ug ON ug.group_id = g.id"
        f" WHERE ug.user_id = {user_id} AND g.name IN ('{TRANSLATOR}', '{EDITOR}')),"
        f" (SELECT a.languages FROM {LanguageAccess._meta.db_table} a WHERE a.user_id = {user_id}"
        " ORDER BY a.id LIMIT 1)"
    )


def load_access(user) -> None:
    """Roles and languages of a signed-in user in one query, cached on the user object: a request
    reads its permissions once, however many decisions it asks for."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {access_columns('%(user)s')}", {"user": user.pk})
        found, limit = cursor.fetchone()
    remember_access(user, found, limit)


def remember_access(user, found: list[str] | None, limit: list[str] | None) -> None:
    """Cache on ``user`` the roles and language limit read by ``access_columns``."""
    everything = frozenset(settings.WORKBENCH_TARGET_LANGUAGES)
    names = set(found or [])
    if user.is_superuser:
        names |= {TRANSLATOR, EDITOR}
    user._workbench_roles = frozenset(names) if user.is_active else frozenset()
    if user.is_superuser:
        user._workbench_languages = everything
    else:
        user._workbench_languages = everything & frozenset(limit) if limit else everything


def is_editor(user) -> bool:
    return EDITOR in roles(user)


def is_translator(user) -> bool:
    return TRANSLATOR in roles(user)


def can_work_in(user, language: str) -> Decision:
    if not roles(user):
        return deny("You have no translator or editor role.")
    if language not in languages(user):
        return deny(f"You do not work in the language '{language}'.")
    return ALLOWED


def can_write(user, language: str) -> Decision:
    """Create a translation or change its text (approved text is checked by can_edit)."""
    return can_work_in(user, language)


def can_edit(user, translation: Translation) -> Decision:
    decision = can_write(user, translation.language)
    if not decision:
        return decision
    if translation.status == Translation.Status.APPROVED and not is_editor(user):
        return deny("Approved text can only be changed by an editor.")
    return ALLOWED


def can_submit(user, translation: Translation) -> Decision:
    return can_work_in(user, translation.language)


def can_review(user, language: str) -> Decision:
    if not is_editor(user):
        return deny("Only editors review translations.")
    return can_work_in(user, language)


def can_approve(user, translation: Translation) -> Decision:
    decision = can_review(user, translation.language)
    if not decision:
        return decision
    if (
        translation.author_id is not None
        and translation.author_id == user.pk
        and not settings.WORKBENCH_ALLOW_SELF_APPROVAL
    ):
        return deny("Four-eyes review: you wrote the current version, so another editor must approve it.")
    return ALLOWED


def can_fix_alignment(user, translation: Translation) -> Decision:
    """Merge, split or move a boundary: approved units are fixed for translators."""
    return can_edit(user, translation)


def can_import(user) -> Decision:
    """Import a source document."""
    if not is_editor(user):
        return deny("Only editors import source documents.")
    return ALLOWED


def can_manage_webhooks(user) -> Decision:
    """Register, remove and redeliver webhooks (they can carry any document's events)."""
    if not is_editor(user):
        return deny("Only editors manage webhooks.")
    return ALLOWED


def can_see_job(user, started_by_id: int | None) -> Decision:
    """A background job: the user who started it, and editors."""
    if user.is_authenticated and (started_by_id == user.pk or is_editor(user)):
        return ALLOWED
    return deny("This job was started by someone else.")
