"""Finding 4: bad input is a 4xx, never a 500. A NUL character is refused once for every request (path,
query, form, cookies: workbench.requestguard), a cursor whose position is not a number is a 400
invalid_cursor on every paginated list, and JSON nested absurdly deep is a 400 parse_error."""

from __future__ import annotations

import base64

import pytest

from corpus import tokens
from tests.factories import api_client, assert_error, make_document, make_user
from translations import services

API = "/api/v1"


@pytest.fixture
def translator(db):
    return make_user("translator", ["en"], username="tr_bad_input")


def plain(client):
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_a_nul_in_the_login_username_is_a_400_without_login(client):
    response = plain(client).post("/accounts/login/", {"username": "ad\x00min", "password": "x"})
    assert response.status_code == 400, response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["q", "language"])
@pytest.mark.parametrize("path", ["glossary/", "memory/concordance/"])
def test_a_nul_in_the_glossary_and_concordance_api_is_a_400(translator, path, param):
    params = {"q": "全球", "language": "en", param: "e\x00n"}
    response = plain(api_client(translator)).get(f"{API}/{path}", params)
    error = assert_error(response, 400, "validation_error")
    assert error["detail"] == {"field": param}


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["q", "language"])
def test_a_nul_in_the_browser_concordance_is_a_400(client, translator, param):
    document = make_document()
    client.force_login(translator)
    params = {"q": "全球", "language": "en", param: "e\x00n"}
    response = plain(client).get(f"/documents/{document.pk}/concordance/", params)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_cookie_or_a_form_field_is_a_400(client, translator):
    client = plain(client)
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/accounts/login/").status_code == 400
    client.cookies.clear()
    client.force_login(translator)
    document = make_document()
    response = client.post(f"/documents/{document.pk}/alignment/paste/", {"language": "en", "text": "a\x00b"})
    assert response.status_code == 400


def cursor(position: str) -> str:
    return base64.b64encode(f"o=0&p={position}".encode()).decode()


@pytest.mark.django_db
@pytest.mark.parametrize("position", ["not-a-number", "1.5", "99999999999999999999999"])
def test_a_cursor_whose_position_is_not_a_number_is_a_400_on_every_list(translator, position):
    document = make_document()
    translation = services.translation_create(
        document=document, language="en", first_position=0, text="x", actor=translator
    )
    tokens.token_create(user=translator, name="spare")
    lists = [
        "documents/",
        f"documents/{document.pk}/segments/",
        "translations/",
        f"translations/{translation.pk}/revisions/",
        "tokens/",
        "glossary/",
    ]
    client = plain(api_client(translator))
    for path in lists:
        response = client.get(f"{API}/{path}", {"cursor": cursor(position)})
        error = assert_error(response, 400, "invalid_cursor")
        assert error["detail"] == {"field": "cursor"}, path
        assert_error(client.get(f"{API}/{path}", {"cursor": "%%%garbage"}), 400, "invalid_cursor")
        assert client.get(f"{API}/{path}", {"cursor": cursor("0")}).status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [100_000, 1_000, 33])
def test_json_nested_too_deep_is_a_400(translator, depth):
    body = "[" * depth + "]" * depth
    response = plain(api_client(translator)).post(
        f"{API}/translations/", body, content_type="application/json"
    )
    error = assert_error(response, 400, "parse_error")
    assert "32 levels" in error["message"]


@pytest.mark.django_db
def test_json_within_the_depth_limit_and_brackets_in_strings_still_parse(translator):
    document = make_document()
    body = {"document": document.pk, "language": "en", "first_position": 0, "text": "[[[[" * 50 + "{"}
    response = api_client(translator).post(f"{API}/translations/", body, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_nul_inside_a_json_string_is_a_400(translator):
    document = make_document()
    body = {"document": document.pk, "language": "en", "first_position": 0, "text": "a\x00b"}
    response = plain(api_client(translator)).post(f"{API}/translations/", body, format="json")
    assert_error(response, 400, "parse_error")


def test_a_jsonl_import_line_nested_too_deep_is_a_format_error():
    from exchange.formats import FormatError
    from exchange.formats.readers import read_jsonl

    with pytest.raises(FormatError, match="line 1: nested too deep"):
        read_jsonl(("[" * 100_000 + "]" * 100_000).encode(), source_lang="zh", target_lang="en")
