"""Finding 7: a bearer token cannot mint tokens. Creating a token needs a signed-in session (a person),
so no token can outlive the revocation of the token that made it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from corpus import tokens
from corpus.models import ApiToken
from tests.factories import api_client, assert_error, make_user


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.django_db
def test_a_token_cannot_create_a_child_token():
    user = make_user("editor", username="minter")
    parent, key = tokens.token_create(user=user, name="parent")
    response = bearer(key).post("/api/v1/tokens/", {"name": "child"}, format="json")
    assert_error(response, 403, "forbidden_action")
    assert list(ApiToken.objects.filter(user=user).values_list("name", flat=True)) == ["parent"]
    tokens.token_revoke(user=user, token_id=parent.pk)
    assert_error(bearer(key).get("/api/v1/me/"), 401, "not_authenticated")


@pytest.mark.django_db
def test_a_signed_in_person_still_creates_tokens_and_a_token_still_reads():
    user = make_user("editor", username="person")
    response = api_client(user).post("/api/v1/tokens/", {"name": "job"}, format="json")
    assert response.status_code == 201
    assert bearer(response.json()["key"]).get("/api/v1/tokens/").status_code == 200
