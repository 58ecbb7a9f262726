"""Who may do what through the REST API: every role x every action x both target languages.

Every denial asserts the HTTP status and the stable error code of the one error shape, and that the
refused write changed nothing.
"""

from __future__ import annotations

import pytest

from corpus.models import Translation
from tests.factories import api_client as client_for
from tests.factories import assert_error, make_user
from translations import services

API = "/api/v1"
ROLES = ["anonymous", "translator_en", "translator_ko", "editor", "admin"]
LANGUAGES = ["en", "ko"]
REVIEWERS = {"editor", "admin"}


@pytest.fixture
def writer(db):
    """A translator in every language who writes the translations the others act on."""
    return make_user("translator", username="writer")


@pytest.fixture
def users(translator_en, translator_ko, editor, admin_user):
    return {
        "anonymous": None,
        "translator_en": translator_en,
        "translator_ko": translator_ko,
        "editor": editor,
        "admin": admin_user,
    }


def make_translation(document, language: str, status: str, writer, reviewer) -> Translation:
    """A translation of segment 1 in ``status``, written by ``writer`` (and reviewed by ``reviewer``)."""
    t = services.translation_create(
        document=document, language=language, first_position=1, text=f"text {language}", actor=writer
    )
    if status in {"submitted", "approved", "rejected"}:
        t = services.translation_submit(translation=t, version=t.version, actor=writer)
    if status == "approved":
        t = services.translation_approve(translation=t, version=t.version, actor=reviewer)
    if status == "rejected":
        t = services.translation_reject(translation=t, version=t.version, reason="no", actor=reviewer)
    return t


def may_write(role: str, language: str) -> bool:
    return role in REVIEWERS or role == f"translator_{language}"


# action -> (state of the translation it acts on, or None, and how to call it)
ACTIONS = ["list_documents", "read_segments", "create", "patch", "submit", "approve", "reject", "reopen"]
ACTIONS += ["revisions", "me", "tokens"]
STATE = {"patch": "draft", "submit": "draft", "approve": "submitted", "reject": "submitted"}
STATE |= {"reopen": "approved", "revisions": "draft"}


def perform(client, action: str, document, translation: Translation | None, language: str):
    if action == "list_documents":
        return client.get(f"{API}/documents/")
    if action == "read_segments":
        return client.get(f"{API}/documents/{document.pk}/segments/", {f"status_{language}": "untranslated"})
    if action == "create":
        body = {"document": document.pk, "language": language, "first_position": 2, "text": "new"}
        return client.post(f"{API}/translations/", body, format="json")
    if action == "me":
        return client.get(f"{API}/me/")
    if action == "tokens":
        return client.get(f"{API}/tokens/")
    url = f"{API}/translations/{translation.pk}/"
    if action == "patch":
        return client.patch(url, {"text": "changed", "version": translation.version}, format="json")
    if action == "revisions":
        return client.get(url + "revisions/")
    body = {"version": translation.version}
    if action == "reject":
        body["reason"] = "Needs work"
    return client.post(url + f"{action}/", body, format="json")


def expected(role: str, action: str, language: str) -> tuple[int, str | None]:
    if role == "anonymous":
        return 401, "not_authenticated"
    if action in {"list_documents", "read_segments", "revisions", "me", "tokens"}:
        return 200, None
    if action in {"approve", "reject", "reopen"}:
        return (200, None) if role in REVIEWERS else (403, "forbidden_action")
    if not may_write(role, language):
        return 403, "forbidden_action"
    return (201, None) if action == "create" else (200, None)


EXPECTED_STATUS = {"patch": "draft", "submit": "submitted", "approve": "approved"}
EXPECTED_STATUS |= {"reject": "rejected", "reopen": "submitted"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, action, language, users, document, writer, editor2):
    translation = None
    if action in STATE:
        translation = make_translation(document, language, STATE[action], writer, editor2)
    before = list(Translation.objects.order_by("pk").values_list("pk", "text", "status", "version"))
    response = perform(client_for(users[role]), action, document, translation, language)
    status, code = expected(role, action, language)
    if code is not None:
        assert_error(response, status, code)
        after = list(Translation.objects.order_by("pk").values_list("pk", "text", "status", "version"))
        assert after == before, "a refused request changed a translation"
        return
    assert response.status_code == status, response.content[:500]
    body = response.json()
    if action == "create":
        assert (body["language"], body["text"], body["status"], body["version"]) == (
            language,
            "new",
            "draft",
            1,
        )
        assert Translation.objects.get(pk=body["id"]).updated_by == users[role]
    elif action in EXPECTED_STATUS:
        stored = Translation.objects.get(pk=translation.pk)
        assert stored.status == body["status"] == EXPECTED_STATUS[action]
        assert stored.version == body["version"] == translation.version + 1
        if action == "patch":
            assert stored.text == body["text"] == "changed"
    elif action == "list_documents":
        assert [d["id"] for d in body["results"]] == [document.pk]
    elif action == "read_segments":
        assert body["results"], "the document's untranslated segments are listed"
    elif action == "revisions":
        assert [r["action"] for r in body["results"]] == ["create"]
    elif action == "me":
        assert body["username"] == users[role].get_username()
        assert body["languages"] == ([language for language in LANGUAGES if may_write(role, language)])
    elif action == "tokens":
        assert body["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "translator_en", "editor"])
def test_bearer_header_with_a_bad_token_is_not_authenticated(role, users):
    client = client_for(users[role])
    client.credentials(HTTP_AUTHORIZATION="Bearer wb_not-a-real-token")
    assert_error(client.get(f"{API}/me/"), 401, "not_authenticated")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_translator_cannot_approve_reject_or_reopen(language, document, writer, editor2, users):
    translator = users[f"translator_{language}"]
    t = make_translation(document, language, "submitted", writer, editor2)
    client = client_for(translator)
    url = f"{API}/translations/{t.pk}/"
    error = assert_error(client.post(url + "approve/", {"version": t.version}), 403, "forbidden_action")
    assert "editor" in error["message"].lower()
    assert_error(client.post(url + "reject/", {"version": t.version, "reason": "x"}), 403, "forbidden_action")
    t = services.translation_approve(translation=t, version=t.version, actor=editor2)
    assert_error(client.post(url + "reopen/", {"version": t.version}), 403, "forbidden_action")
    assert Translation.objects.get(pk=t.pk).status == "approved"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_translator_cannot_change_approved_text_but_an_editor_can(language, document, writer, editor2, users):
    t = make_translation(document, language, "approved", writer, editor2)
    url = f"{API}/translations/{t.pk}/"
    translator = client_for(users[f"translator_{language}"])
    error = assert_error(
        translator.patch(url, {"text": "sneaky", "version": t.version}), 403, "forbidden_action"
    )
    assert "approved" in error["message"].lower()
    stored = Translation.objects.get(pk=t.pk)
    assert (stored.text, stored.status, stored.version) == (t.text, "approved", t.version)
    response = client_for(users["editor"]).patch(url, {"text": "Editor fix", "version": t.version})
    assert response.status_code == 200
    assert (response.json()["text"], response.json()["status"]) == ("Editor fix", "submitted")


@pytest.mark.django_db
def test_four_eyes_an_editor_cannot_approve_a_version_they_wrote(document, editor, editor2):
    mine = client_for(editor)
    created = mine.post(
        f"{API}/translations/",
        {"document": document.pk, "language": "ko", "first_position": 0, "text": "제목"},
    )
    assert created.status_code == 201
    t = created.json()
    url = f"{API}/translations/{t['id']}/"
    submitted = mine.post(url + "submit/", {"version": t["version"]})
    assert submitted.status_code == 200
    version = submitted.json()["version"]
    error = assert_error(mine.post(url + "approve/", {"version": version}), 403, "forbidden_action")
    assert "four-eyes" in error["message"].lower()
    assert Translation.objects.get(pk=t["id"]).status == "submitted"
    approved = client_for(editor2).post(url + "approve/", {"version": version})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["updated_by"] == editor2.username


@pytest.mark.django_db
def test_four_eyes_applies_to_the_last_writer_not_the_creator(document, writer, editor, editor2):
    """An editor who edits someone else's text becomes its author: another editor must approve it."""
    t = make_translation(document, "en", "submitted", writer, editor2)
    url = f"{API}/translations/{t.pk}/"
    edited = client_for(editor).patch(url, {"text": "Edited by the editor", "version": t.version})
    assert edited.status_code == 200
    version = edited.json()["version"]
    assert_error(client_for(editor).post(url + "approve/", {"version": version}), 403, "forbidden_action")
    assert client_for(editor2).post(url + "approve/", {"version": version}).status_code == 200


@pytest.mark.django_db
def test_translator_ko_cannot_write_english(document, writer, editor2, translator_ko):
    client = client_for(translator_ko)
    error = assert_error(
        client.post(
            f"{API}/translations/",
            {"document": document.pk, "language": "en", "first_position": 0, "text": "x"},
        ),
        403,
        "forbidden_action",
    )
    assert "'en'" in error["message"]
    assert not Translation.objects.filter(language="en").exists()
    t = make_translation(document, "en", "draft", writer, editor2)
    url = f"{API}/translations/{t.pk}/"
    assert_error(client.patch(url, {"text": "x", "version": 1}), 403, "forbidden_action")
    assert_error(client.post(url + "submit/", {"version": 1}), 403, "forbidden_action")
    assert Translation.objects.get(pk=t.pk).text == "text en"


@pytest.mark.django_db
def test_error_codes_of_refused_writes(document, writer, editor, editor2):
    client = client_for(editor)
    draft = make_translation(document, "en", "draft", writer, editor2)
    url = f"{API}/translations/{draft.pk}/"
    # A draft cannot be approved, rejected or reopened: invalid_transition.
    assert_error(client.post(url + "approve/", {"version": 1}), 409, "invalid_transition")
    assert_error(client.post(url + "reject/", {"version": 1, "reason": "r"}), 409, "invalid_transition")
    assert_error(client.post(url + "reopen/", {"version": 1}), 409, "invalid_transition")
    # A stale version: stale_version, with the current state.
    error = assert_error(client.patch(url, {"text": "late", "version": 7}), 409, "stale_version")
    assert error["detail"]["current"]["version"] == 1
    # Missing or malformed input: validation_error.
    assert_error(client.patch(url, {"text": "no version"}), 400, "validation_error")
    assert_error(client.patch(url, {"text": "bad", "version": "one"}), 400, "validation_error")
    submitted = services.translation_submit(translation=draft, version=1, actor=writer)
    assert_error(client.post(url + "reject/", {"version": submitted.version}), 400, "validation_error")
    assert_error(
        client.post(url + "reject/", {"version": submitted.version, "reason": "   "}), 400, "validation_error"
    )
    assert_error(
        client.post(
            f"{API}/translations/",
            {"document": document.pk, "language": "fr", "first_position": 0, "text": "x"},
        ),
        400,
        "validation_error",
    )
    # Unknown things: not_found.
    assert_error(client.get(f"{API}/translations/999999999/"), 404, "not_found")
    assert_error(client.post(f"{API}/translations/999999999/approve/", {"version": 1}), 404, "not_found")
    assert_error(client.get(f"{API}/documents/999999999/segments/"), 404, "not_found")
    assert_error(client.get(f"{API}/documents/999999999/"), 404, "not_found")
    assert_error(
        client.post(
            f"{API}/translations/",
            {"document": 999999999, "language": "en", "first_position": 0, "text": "x"},
        ),
        404,
        "not_found",
    )
    # Spans that overlap a live translation or run past the end of the document: invalid_span.
    error = assert_error(
        client.post(
            f"{API}/translations/",
            {"document": document.pk, "language": "en", "first_position": 0, "last_position": 1, "text": "x"},
        ),
        400,
        "invalid_span",
    )
    assert error["detail"]["overlaps"] == draft.pk
    assert_error(
        client.post(
            f"{API}/translations/",
            {"document": document.pk, "language": "en", "first_position": 500, "text": "x"},
        ),
        400,
        "invalid_span",
    )
    assert_error(
        client.post(
            f"{API}/translations/",
            {"document": document.pk, "language": "en", "first_position": 3, "last_position": 2, "text": "x"},
        ),
        400,
        "invalid_span",
    )
    stored = Translation.objects.get(pk=draft.pk)
    assert (stored.text, stored.status, stored.version) == ("text en", "submitted", 2)
    assert Translation.objects.count() == 1


@pytest.mark.django_db
def test_unsupported_methods_use_the_error_shape(document, editor, writer, editor2):
    t = make_translation(document, "en", "draft", writer, editor2)
    client = client_for(editor)
    assert_error(
        client.put(f"{API}/translations/{t.pk}/", {"text": "x", "version": 1}), 405, "method_not_allowed"
    )
    assert_error(client.delete(f"{API}/translations/{t.pk}/"), 405, "method_not_allowed")
    assert Translation.objects.filter(pk=t.pk).exists()
