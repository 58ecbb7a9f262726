"""Finding 2: the alignment preview is bounded. It needs write access to the language, as apply does,
and a paste over a limit (characters, sentences, or too far out of proportion with the document) is a
413 too_large that names the limit, refused before the aligner runs, in the API and in the browser."""

from __future__ import annotations

import pytest

from alignment import services
from tests.factories import api_client, assert_error, make_document, make_user

ENGLISH = "The first sentence is here. The second one follows it.\nThe third stands alone.\n"


@pytest.fixture
def document(db):
    return make_document()


@pytest.fixture
def aligner_calls(monkeypatch):
    calls = []
    original = services.alignment_plan

    def counting(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services, "alignment_plan", counting)
    return calls


def api_preview(user, document, text, language="en"):
    client = api_client(user)
    return client.post(
        f"/api/v1/documents/{document.pk}/alignments/",
        {"language": language, "mode": "preview", "text": text},
        format="json",
    )


def browser_preview(client, user, document, text, language="en"):
    client.force_login(user)
    return client.post(
        f"/documents/{document.pk}/alignment/paste/",
        {"language": language, "mode": "preview", "text": text},
        follow=True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_language", "no_role"])
def test_a_preview_needs_write_access_to_the_language(document, aligner_calls, client, who):
    if who == "other_language":
        user = make_user("translator", ["ko"], username="tr_ko_preview")
    else:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("no_role", password="a-long-test-password-1")
    assert_error(api_preview(user, document, ENGLISH), 403, "forbidden_action")
    response = browser_preview(client, user, document, ENGLISH)
    assert "plan" not in response.context or response.context["plan"] is None
    assert any("language" in str(m) or "role" in str(m) for m in response.context["messages"])
    assert aligner_calls == []


@pytest.mark.django_db
def test_a_preview_within_the_limits_still_works(document, client):
    translator = make_user("translator", ["en"], username="tr_en_preview")
    response = api_preview(translator, document, ENGLISH)
    assert response.status_code == 200, response.content
    assert response.json()["summary"]["sentences"] == 3
    page = browser_preview(client, translator, document, ENGLISH)
    assert page.status_code == 200 and page.context["plan"] is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "value", "text"),
    [
        ("WORKBENCH_ALIGN_MAX_CHARS", 50, ENGLISH),
        ("WORKBENCH_ALIGN_MAX_SENTENCES", 2, ENGLISH),
        # 3 segments against 40 sentences: 37 x 3 = 111 cells of a band out of proportion
        ("WORKBENCH_ALIGN_MAX_CELLS", 100, "A sentence.\n" * 40),
    ],
)
def test_a_paste_over_a_limit_is_a_413_naming_it(
    document, aligner_calls, client, settings, setting, value, text
):
    setattr(settings, setting, value)
    translator = make_user("translator", ["en"], username="tr_en_limits")
    error = assert_error(api_preview(translator, document, text), 413, "too_large")
    assert error["detail"]["limit"] == setting and error["detail"]["maximum"] == value
    assert error["detail"]["found"] > value
    assert setting in error["message"]

    client.force_login(translator)
    page = client.post(
        f"/documents/{document.pk}/alignment/paste/", {"language": "en", "mode": "preview", "text": text}
    )
    assert page.status_code == 413
    html = page.content.decode()
    assert setting in html
    assert page.context["text"] == text  # kept, to be cut down
    assert aligner_calls == []


@pytest.mark.django_db
def test_the_limits_apply_to_an_uploaded_file_too(document, aligner_calls, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.WORKBENCH_ALIGN_MAX_SENTENCES = 2
    translator = make_user("translator", ["en"], username="tr_en_file")
    response = api_client(translator).post(
        f"/api/v1/documents/{document.pk}/alignments/",
        {"language": "en", "file": SimpleUploadedFile("en.txt", ENGLISH.encode())},
        format="multipart",
    )
    assert_error(response, 413, "too_large")
    assert aligner_calls == []
