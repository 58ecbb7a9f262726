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


def client_address(request) -> str | None:
    """The client's address; behind a proxy that sets X-Forwarded-For, its first hop when trusted."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.TRUST_X_FORWARDED_FOR else ""
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return address or None


def login_refusal(*, username: str, address: str | None) -> str:
    """Why a login attempt is refused right now ("" when it may go ahead)."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    from corpus.models import LoginFailure

    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    condition = Q(username=username.lower())
    if address:
        condition |= Q(address=address)
    failures = recent.filter(condition).count()
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
        return f"Too many failed logins; try again in {minutes} minutes."
    return ""


def login_failed(*, username: str, address: str | None) -> None:
    from corpus.models import LoginFailure

    LoginFailure.objects.create(username=(username or "")[:150].lower(), address=address)
