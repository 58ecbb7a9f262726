"""Accounts and roles: the writes that create users and put them in the workflow's groups."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from corpus.errors import InvalidInput
from corpus.models import LanguageAccess
from corpus.permissions import ROLES


def ensure_groups() -> None:
    for name in ROLES:
        Group.objects.get_or_create(name=name)


@transaction.atomic
def account_create(
    *, username: str, password: str, role: str, languages: list[str] | None = None, email: str = ""
):
    if role not in ROLES:
        raise InvalidInput(f"Unknown role '{role}' (known: {', '.join(ROLES)}).")
    unknown = sorted(set(languages or []) - set(settings.WORKBENCH_TARGET_LANGUAGES))
    if unknown:
        raise InvalidInput(f"Unknown target language(s): {', '.join(unknown)}.")
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise InvalidInput(f"A user named '{username}' exists already.")
    ensure_groups()
    user = user_model.objects.create_user(username=username, password=password, email=email)
    groups = [role] if role == "translator" else ["translator", "editor"]
    user.groups.set(Group.objects.filter(name__in=groups))
    if languages:
        LanguageAccess.objects.create(user=user, languages=sorted(set(languages)))
    return user
