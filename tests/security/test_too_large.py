"""Finding 8: a body over the limit is refused from its Content-Length before it is read: under /api/
with the API's error shape, code too_large, status 413 (it was Django's HTML "Bad Request (400)")."""

from __future__ import annotations

import pytest

from tests.factories import api_client, assert_error, make_document, make_user

LIMIT = 4096


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


@pytest.fixture
def translator(db):
    return make_user("translator", ["en"], username="tr_large")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["multipart", "json"])
def test_an_api_body_over_the_limit_is_a_json_413(small_limit, translator, kind):
    document = make_document()
    body = {"language": "en", "text": "x" * (LIMIT * 2)}
    client = api_client(translator)
    client.raise_request_exception = False
    response = client.post(f"/api/v1/documents/{document.pk}/alignments/", body, format=kind)
    error = assert_error(response, 413, "too_large")
    assert error["detail"] == {"limit_bytes": LIMIT}
    assert f"{LIMIT:,} bytes" in error["message"]


@pytest.mark.django_db
def test_a_browser_body_over_the_limit_is_a_413_that_says_so(small_limit, client, translator):
    document = make_document()
    client.force_login(translator)
    client.raise_request_exception = False
    response = client.post(
        f"/documents/{document.pk}/alignment/paste/", {"language": "en", "text": "x" * (LIMIT * 2)}
    )
    assert response.status_code == 413
    assert "larger than the limit" in response.content.decode()


@pytest.mark.django_db
def test_a_body_within_the_limit_goes_through(small_limit, translator):
    response = api_client(translator).post("/api/v1/tokens/", {"name": "x" * 50}, format="json")
    assert response.status_code in {201, 403}, response.content  # 403: tokens need a session (finding 7)


def test_a_json_body_without_a_length_is_still_read_only_up_to_the_limit(small_limit):
    """A chunked body has no Content-Length to refuse up front: the parser stops at the limit, and
    the request guard answers the error with the same 413."""
    import io

    from django.core.exceptions import RequestDataTooBig
    from django.test import RequestFactory

    from workbench.parsers import LimitedJSONParser
    from workbench.requestguard import RequestGuardMiddleware

    body = io.BytesIO(b'{"text": "' + b"x" * (LIMIT * 2) + b'"}')
    with pytest.raises(RequestDataTooBig):
        LimitedJSONParser().parse(body)
    request = RequestFactory().post("/api/v1/translations/")
    response = RequestGuardMiddleware(lambda r: None).process_exception(request, RequestDataTooBig("x"))
    assert response.status_code == 413 and b'"too_large"' in response.content
