"""Finding 6: the login throttle cannot lock everybody out. Failures count per (username, address) pair,
and per address at a higher limit; a success clears its pair; the client address behind a proxy is the
one the trusted proxy wrote, not what the client claims."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from corpus.accounts import client_address
from tests.factories import PASSWORD, make_user

LOGIN = "/accounts/login/"


def attempt(client, username, password="wrong", address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_made_up_usernames_from_one_address_do_not_lock_the_people_there(client, settings):
    make_user("translator", username="colleague")
    for n in range(settings.LOGIN_FAILURE_LIMIT + 2):
        assert attempt(client, f"nobody{n}").status_code == 200
    assert attempt(client, "colleague", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_guessed_account_is_locked_for_that_address_only(client, settings):
    make_user("translator", username="victim")
    make_user("translator", username="neighbour")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert attempt(client, "victim").status_code == 200
    assert attempt(client, "victim", PASSWORD).status_code == 429
    assert attempt(client, "VICTIM", PASSWORD).status_code == 429  # usernames count case-insensitively
    assert attempt(client, "neighbour", PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "victim", PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_one_address_spraying_many_usernames_is_refused_at_the_higher_limit(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    make_user("translator", username="sprayed")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        assert attempt(client, f"guess{n}").status_code == 200
    refused = attempt(client, "sprayed", PASSWORD)
    assert refused.status_code == 429 and "your address" in refused.content.decode()
    assert attempt(client, "sprayed", PASSWORD, address="10.0.0.3").status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_count_of_its_pair(client, settings):
    make_user("translator", username="forgetful")
    for _round in range(3):
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            assert attempt(client, "forgetful").status_code == 200
        assert attempt(client, "forgetful", PASSWORD).status_code == 302
        client.logout()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.9", "10.0.0.9"),  # not behind a proxy: the header is the client's word
        (1, "1.2.3.4", "10.0.0.9", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "10.0.0.9", "1.2.3.4"),  # a spoofed first entry is ignored
        (2, "6.6.6.6, 1.2.3.4, 10.1.1.1", "10.0.0.9", "1.2.3.4"),
        (1, "not-an-address", "10.0.0.9", "10.0.0.9"),
        (1, "", "10.0.0.9", "10.0.0.9"),
        (1, "2001:db8::1", "10.0.0.9", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
