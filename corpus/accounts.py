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
    """The client's address. Directly exposed (``TRUSTED_PROXIES=0``, the default) it is the peer,
    ``REMOTE_ADDR``. Behind N trusted proxies that each append the address they saw to
    X-Forwarded-For, it is the N-th entry from the right: the one the outermost trusted proxy wrote.
    Entries further left were sent by the client and can be anything, so they are never used."""
    import ipaddress

    remote = request.META.get("REMOTE_ADDR", "")
    address = remote
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            address = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        try:
            return str(ipaddress.ip_address(remote))
        except ValueError:
            return None


def _login_key(username: str) -> str:
    return (username or "")[:150].lower()


def login_refusal(*, username: str, address: str | None) -> str:
    """Why a login attempt is refused right now ("" when it may go ahead).

    Failures count per (username, address) pair, ``LOGIN_FAILURE_LIMIT`` in the window, so a guesser
    locks only their own pair and never the other people at that address (a whole office behind one
    proxy); and per address at the higher ``LOGIN_ADDRESS_FAILURE_LIMIT``, so one address cannot spray
    guesses over many usernames."""
    from datetime import timedelta

    from django.utils import timezone

    from corpus.models import LoginFailure

    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
    pair = recent.filter(username=_login_key(username), address=address)
    if pair.count() >= settings.LOGIN_FAILURE_LIMIT:
        return f"Too many failed logins for this account; try again in {minutes} minutes."
    if address and recent.filter(address=address).count() >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return f"Too many failed logins from your address; try again in {minutes} minutes."
    return ""


def login_failed(*, username: str, address: str | None) -> None:
    from corpus.models import LoginFailure

    LoginFailure.objects.create(username=_login_key(username), address=address)


def login_succeeded(*, username: str, address: str | None) -> None:
    """A successful login clears the failures of its (username, address) pair, and only those."""
    from corpus.models import LoginFailure

    LoginFailure.objects.filter(username=_login_key(username), address=address).delete()
