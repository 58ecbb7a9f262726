"""Finding 12: without mail set up (no EMAIL_HOST) the password reset pages do not exist; the other
account pages stay."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from workbench.urls import account_urls

RESET_PAGES = ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", RESET_PAGES)
def test_password_reset_is_off_without_mail(client, settings, path):
    assert not settings.PASSWORD_RESET_ENABLED
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "someone@example.org"}).status_code == 404


def test_password_reset_has_no_url_without_mail():
    with pytest.raises(NoReverseMatch):
        reverse("password_reset")
    assert reverse("logout") == "/accounts/logout/"
    assert reverse("password_change") == "/accounts/password_change/"


def test_password_reset_pages_exist_when_mail_is_set_up():
    names = {p.name for p in account_urls(password_reset=True)}
    assert {
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    } <= names
    assert not {n for n in (p.name for p in account_urls(password_reset=False)) if "reset" in n}
