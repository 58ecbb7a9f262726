import pytest
from django.db import connection

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_anonymous_users_see_only_login_and_health(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200
    health = client.get("/health/")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = client.get("/ready/")
    assert ready.status_code == 200 and ready.json()["status"] == "ok" and ready.json()["database"] == "ok"
    assert ready.json()["queue"] == {"depth": 0, "oldest_age_seconds": None, "running": 0}
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_login_form_has_standard_fields(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in html and 'name="password"' in html


@pytest.mark.django_db
def test_document_list_after_login(client, seed, translator_en, django_assert_max_num_queries):
    assert client.post("/accounts/login/", {"username": "tr_en", "password": PASSWORD}).status_code == 302
    with django_assert_max_num_queries(8):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert seed.title in html
    assert ">215<" in html  # segments
    assert "1 submitted" in html  # the Korean title from the source document
    assert 'data-language="en"' in html and 'data-language="ko"' in html


@pytest.mark.django_db
def test_document_list_queries_do_not_grow_with_documents(client, admin_user):
    from tests.factories import make_document

    client.force_login(admin_user)
    make_document()
    client.get("/")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(5):
        make_document()
    with CaptureQueriesContext(connection) as six:
        client.get("/")
    assert len(six) == len(one)
