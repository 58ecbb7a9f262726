"""Finding 11: every API response carries Cache-Control: no-store (answers, errors, the schema)."""

from __future__ import annotations

import pytest
from django.utils.cache import get_max_age

from tests.factories import api_client, make_user


@pytest.mark.django_db
def test_api_responses_are_not_stored():
    client = api_client(make_user("translator", ["en"], username="tr_cache"))
    client.raise_request_exception = False
    responses = [
        client.get("/api/v1/me/"),
        client.get("/api/v1/documents/"),
        client.get("/api/v1/translations/999999/"),
        client.get("/api/v1/translations/", {"cursor": "garbage"}),
        api_client().get("/api/v1/me/"),
        client.get("/api/schema/"),
    ]
    for response in responses:
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert "no-store" in directives, (response.status_code, response.get("Cache-Control"))
        assert get_max_age(response) in (None, 0)


@pytest.mark.django_db
def test_a_request_refused_before_any_view_is_not_stored_either():
    client = api_client(make_user("translator", ["en"], username="tr_cache_nul"))
    response = client.get("/api/v1/documents/", {"q": "\x00"})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
