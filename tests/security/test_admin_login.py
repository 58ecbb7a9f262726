"""Finding 1: /admin/login/ is no way around the login throttle. It checks no password itself and sends
people to the site's (throttled) login, then on to the admin."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import PASSWORD


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", "", PASSWORD)


@pytest.mark.django_db
def test_wrong_admin_passwords_are_not_answered_by_a_login_form(client, superuser):
    for _ in range(12):
        response = client.post("/admin/login/", {"username": "boss", "password": "guess"})
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_does_not_get_in_through_the_admin_while_the_login_is_locked(client, superuser):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "boss", "password": "guess"})
    assert client.post("/accounts/login/", {"username": "boss", "password": PASSWORD}).status_code == 429
    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_admin_is_reached_through_the_site_login(client, superuser):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F", response.redirect_chain
    logged_in = client.post("/accounts/login/", {"username": "boss", "password": PASSWORD, "next": "/admin/"})
    assert logged_in.status_code == 302 and logged_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_admin_login_never_redirects_to_another_site(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
