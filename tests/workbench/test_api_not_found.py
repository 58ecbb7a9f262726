"""Every unknown path under /api/ answers in the one JSON error shape, never Django's HTML 404 page."""

import pytest

from tests.factories import api_client, assert_error, make_user

UNKNOWN = ["/api/", "/api/nothing-here/", "/api/v1/", "/api/v2/documents/", "/api/v1/documents/1/nonsense/"]


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_unknown_api_paths_answer_in_the_error_shape(settings, debug):
    settings.DEBUG = debug
    signed_in = api_client(make_user("editor"))
    for client in (api_client(), signed_in):
        for path in UNKNOWN:
            response = client.get(path)
            assert response["Content-Type"] == "application/json"
            assert path in assert_error(response, 404, "not_found")["message"]
            assert "Content-Security-Policy" in response and "X-Request-ID" in response
        assert_error(client.post("/api/v1/nothing/", {"a": 1}), 404, "not_found")
        assert_error(client.get("/api/v1/documents/1/nonsense"), 404, "not_found")


@pytest.mark.django_db
def test_the_api_keeps_its_own_404s_and_slash_redirects():
    client = api_client(make_user("editor"))
    error = assert_error(client.get("/api/v1/documents/999999/"), 404, "not_found")
    assert "no API endpoint" not in error["message"]
    redirect = client.get("/api/v1/documents")
    assert (redirect.status_code, redirect["Location"]) == (301, "/api/v1/documents/")


@pytest.mark.django_db
def test_unknown_pages_outside_the_api_stay_html(client):
    client.force_login(make_user("editor"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
