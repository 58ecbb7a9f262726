"""API tokens: made through the API or the command, shown once, stored hashed, revocable by their owner."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.test import APIClient

from corpus.models import ApiToken
from tests.factories import assert_error

API = "/api/v1"


def logged_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def create_token(user, name: str = "export job") -> dict:
    response = logged_in(user).post(f"{API}/tokens/", {"name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_created_key_is_shown_once_and_only_its_hash_is_stored(editor):
    created = create_token(editor)
    key = created["key"]
    assert key.startswith("wb_") and len(key) > 30
    assert created["name"] == "export job" and created["revoked_at"] is None
    assert key.startswith(created["prefix"])
    row = ApiToken.objects.get(pk=created["id"])
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    # The key itself appears in no column of the row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(t)::text FROM corpus_apitoken t WHERE id = %s", [row.pk])
        (raw,) = cursor.fetchone()
    assert key not in raw and key[10:] not in raw
    # Listing never shows it again.
    listed = logged_in(editor).get(f"{API}/tokens/").json()["results"]
    assert [t["id"] for t in listed] == [created["id"]]
    assert "key" not in listed[0]
    assert key not in str(listed)


@pytest.mark.django_db
def test_bearer_key_authenticates_and_revoking_it_ends_access(translator_en):
    created = create_token(translator_en)
    client = bearer(created["key"])
    me = client.get(f"{API}/me/")
    assert me.status_code == 200
    assert me.json()["username"] == translator_en.username
    assert ApiToken.objects.get(pk=created["id"]).last_used_at is not None
    # "Token <key>" works too; a wrong key does not.
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {created['key']}")
    assert other.get(f"{API}/me/").status_code == 200
    assert_error(bearer(created["key"] + "x").get(f"{API}/me/"), 401, "not_authenticated")
    assert_error(bearer("").get(f"{API}/me/"), 401, "not_authenticated")
    # A token can revoke itself.
    revoked = client.delete(f"{API}/tokens/{created['id']}/")
    assert revoked.status_code == 204
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None
    assert_error(client.get(f"{API}/me/"), 401, "not_authenticated")
    assert_error(client.get(f"{API}/documents/"), 401, "not_authenticated")
    # 401 responses tell the client how to authenticate.
    assert client.get(f"{API}/me/")["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_a_bearer_token_acts_with_its_users_permissions(document, translator_ko):
    key = create_token(translator_ko)["key"]
    client = bearer(key)
    refused = client.post(
        f"{API}/translations/",
        {"document": document.pk, "language": "en", "first_position": 0, "text": "x"},
        format="json",
    )
    assert_error(refused, 403, "forbidden_action")
    allowed = client.post(
        f"{API}/translations/",
        {"document": document.pk, "language": "ko", "first_position": 0, "text": "제목"},
        format="json",
    )
    assert allowed.status_code == 201
    assert allowed.json()["updated_by"] == translator_ko.username


@pytest.mark.django_db
def test_bearer_requests_need_no_csrf_token(document, translator_en):
    key = create_token(translator_en)["key"]
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.post(
        f"{API}/translations/",
        {"document": document.pk, "language": "en", "first_position": 0, "text": "Title"},
        format="json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_an_inactive_users_token_stops_working(editor):
    key = create_token(editor)["key"]
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    assert_error(bearer(key).get(f"{API}/me/"), 401, "not_authenticated")


@pytest.mark.django_db
def test_a_user_cannot_see_or_revoke_anothers_token(editor, editor2):
    theirs = create_token(editor2, "theirs")
    client = logged_in(editor)
    assert client.get(f"{API}/tokens/").json()["results"] == []
    assert_error(client.delete(f"{API}/tokens/{theirs['id']}/"), 404, "not_found")
    assert_error(
        bearer(create_token(editor)["key"]).delete(f"{API}/tokens/{theirs['id']}/"), 404, "not_found"
    )
    assert ApiToken.objects.get(pk=theirs["id"]).revoked_at is None
    assert bearer(theirs["key"]).get(f"{API}/me/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name(editor, name):
    response = logged_in(editor).post(f"{API}/tokens/", {"name": name}, format="json")
    assert_error(response, 400, "validation_error")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_anonymous_cannot_make_tokens():
    assert_error(APIClient().post(f"{API}/tokens/", {"name": "x"}, format="json"), 401, "not_authenticated")
    assert not ApiToken.objects.exists()


def run(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_api_token_command_create_list_revoke(editor, editor2):
    output = run("create", editor.username, "--name", "nightly export")
    header, key = output.strip().splitlines()
    token = ApiToken.objects.get(user=editor)
    assert header.startswith(f"Token {token.pk} 'nightly export' for {editor.username}")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert bearer(key).get(f"{API}/me/").json()["username"] == editor.username

    listing = run("list", editor.username)
    assert listing.startswith(f"{token.pk}\tnightly export\t{token.prefix}")
    assert "active" in listing and key not in listing
    assert run("list", editor2.username) == ""

    with pytest.raises(CommandError, match="No such token"):
        run("revoke", editor2.username, str(token.pk))
    assert bearer(key).get(f"{API}/me/").status_code == 200

    assert f"Revoked token {token.pk}" in run("revoke", editor.username, str(token.pk))
    assert "revoked" in run("list", editor.username)
    assert_error(bearer(key).get(f"{API}/me/"), 401, "not_authenticated")


@pytest.mark.django_db
def test_api_token_command_refuses_unknown_users_and_empty_names(editor):
    with pytest.raises(CommandError, match="No user named"):
        run("create", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="name"):
        run("create", editor.username, "--name", " ")
    assert not ApiToken.objects.exists()
