"""Finding 13: a filter value a list cannot take is a 400 that names the parameter, not silently ignored
(``?document=1 OR 1=1`` listed every document's translations)."""

from __future__ import annotations

import pytest

from tests.factories import api_client, assert_error, make_document, make_user
from translations import services


@pytest.fixture
def two_documents(db):
    translator = make_user("translator", ["en"], username="tr_filters")
    documents = [make_document(), make_document()]
    for document in documents:
        services.translation_create(
            document=document, language="en", first_position=0, text="x", actor=translator
        )
    return translator, documents


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("document", "1 OR 1=1"),
        ("document", "-1"),
        ("document", "1.0"),
        ("document", "٣"),  # a digit, but not an ASCII one
        ("document", "99999999999999999999"),
        ("language", "xx"),
        ("status", "everything"),
    ],
)
def test_an_invalid_translation_filter_is_a_400_naming_it(two_documents, param, value):
    translator, _ = two_documents
    response = api_client(translator).get("/api/v1/translations/", {param: value})
    error = assert_error(response, 400, "validation_error")
    assert error["detail"] == {"field": param}
    assert param in error["message"]


@pytest.mark.django_db
def test_valid_translation_filters_still_filter(two_documents):
    translator, documents = two_documents
    client = api_client(translator)
    results = client.get("/api/v1/translations/", {"document": documents[0].pk}).json()["results"]
    assert [r["document"] for r in results] == [documents[0].pk]
    assert (
        len(client.get("/api/v1/translations/", {"language": "en", "status": "draft"}).json()["results"]) == 2
    )
    assert len(client.get("/api/v1/translations/", {"document": ""}).json()["results"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("param", "value"), [("language", "xx"), ("status", "nonsense")])
def test_an_invalid_glossary_filter_is_a_400_naming_it(param, value):
    client = api_client(make_user("translator", ["en"], username="tr_glossary_filters"))
    error = assert_error(client.get("/api/v1/glossary/", {param: value}), 400, "validation_error")
    assert error["detail"] == {"field": param}
