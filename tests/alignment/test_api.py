"""Alignment REST API: preview/apply with text or file, validation, permissions, the manual fixes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from corpus.models import Revision, Translation
from tests.alignment.test_services import SMALL, approved, draft, gold, gold_document, live, snapshot
from tests.factories import api_client as client_for
from tests.factories import make_document

API = "/api/v1"
COUNT = 12


def align_url(document) -> str:
    return f"{API}/documents/{document.pk}/alignments/"


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()["error"]
    assert body["code"] == code, body
    return body


@pytest.fixture
def pud(db):
    return gold_document(COUNT)


@pytest.fixture
def small(db):
    return make_document(SMALL)


@pytest.mark.django_db
def test_preview_with_text_writes_nothing(pud, translator_en):
    before = snapshot(pud)
    response = client_for(translator_en).post(
        align_url(pud),
        {"language": "en", "text": "\n".join(gold("en", COUNT)), "mode": "preview"},
        format="json",
    )
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert (body["mode"], body["language"]) == ("preview", "en")
    assert body["summary"]["sentences"] == COUNT
    en = gold("en", COUNT)
    exact = [
        u
        for u in body["units"]
        if u["first_position"] == u["last_position"] and u["text"] == en[u["first_position"]]
    ]
    assert len(exact) >= COUNT - 1
    assert all(0 <= u["score"] <= 1 and u["anchor"] is None for u in body["units"])
    assert snapshot(pud) == before


@pytest.mark.django_db
def test_preview_is_the_default_mode(pud, translator_en):
    response = client_for(translator_en).post(
        align_url(pud), {"language": "en", "text": "\n".join(gold("en", COUNT))}
    )
    assert response.status_code == 200
    assert response.json()["mode"] == "preview"
    assert not live(pud)


@pytest.mark.django_db
def test_apply_with_text_creates_aligned_drafts(pud, translator_en, editor):
    en = gold("en", COUNT)
    anchor = approved(pud, 4, en[4], translator=translator_en, editor=editor)
    response = client_for(translator_en).post(
        align_url(pud), {"language": "en", "text": "\n".join(en), "mode": "apply"}, format="json"
    )
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert body["summary"]["created"] == COUNT - 1
    assert body["summary"]["anchors"] == 1
    assert [u["anchor"] for u in body["units"] if u["anchor"]] == [anchor.pk]
    units = live(pud)
    assert len(units) == COUNT
    assert [t.text for t in units] == en
    assert {t.origin for t in units if t.pk != anchor.pk} == {Translation.Origin.ALIGNED}
    assert (
        Revision.objects.filter(translation__document=pud, action=Revision.Action.ALIGN).count() == COUNT - 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["preview", "apply"])
def test_alignment_from_an_uploaded_utf8_file(pud, translator_en, mode):
    data = ("\ufeff" + "\n".join(gold("en", COUNT)) + "\n").encode("utf-8")
    response = client_for(translator_en).post(
        align_url(pud),
        {"language": "en", "mode": mode, "file": SimpleUploadedFile("en.txt", data, "text/plain")},
        format="multipart",
    )
    assert response.status_code == (200 if mode == "preview" else 201), response.content[:500]
    assert response.json()["summary"]["sentences"] == COUNT
    texts = [t.text for t in live(pud)]
    assert texts == (gold("en", COUNT) if mode == "apply" else [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"language": "en", "mode": "apply", "file": "latin1"},
        {"language": "en", "mode": "apply", "text": ""},
        {"language": "en", "mode": "apply", "text": "  \n \n"},
        {"language": "xx", "mode": "apply", "text": "Hello there."},
        {"language": "en", "mode": "apply"},
        {"language": "en", "mode": "everything", "text": "Hello there."},
    ],
    ids=["non-utf8-file", "empty-text", "blank-text", "unknown-language", "no-text", "bad-mode"],
)
def test_bad_requests_are_validation_errors_and_change_nothing(pud, translator_en, payload):
    draft(pud, 0, "A typed draft.", translator_en)
    before = snapshot(pud)
    payload = dict(payload)
    if payload.get("file") == "latin1":
        payload["file"] = SimpleUploadedFile("en.txt", "Café déjà vu.\n".encode("latin-1"), "text/plain")
    response = client_for(translator_en).post(align_url(pud), payload, format="multipart")
    error(response, 400, "validation_error")
    assert snapshot(pud) == before


@pytest.mark.django_db
def test_anonymous_is_401_and_another_language_translator_cannot_apply(pud, translator_ko):
    payload = {"language": "en", "text": "\n".join(gold("en", COUNT)), "mode": "apply"}
    error(client_for().post(align_url(pud), payload, format="json"), 401, "not_authenticated")
    error(client_for(translator_ko).post(align_url(pud), payload, format="json"), 403, "forbidden_action")
    assert not live(pud)


@pytest.mark.django_db
def test_unknown_document_is_404(translator_en):
    response = client_for(translator_en).post(
        f"{API}/documents/999999/alignments/", {"language": "en", "text": "Hi."}
    )
    error(response, 404, "not_found")


# --- manual fixes --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_via_api(small, translator_en):
    a = draft(small, 0, "One.", translator_en)
    b = draft(small, 1, "Two.", translator_en, last=2)
    response = client_for(translator_en).post(
        f"{API}/translations/merge/",
        {"first": a.pk, "second": b.pk, "first_version": 1, "second_version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert (body["first_position"], body["last_position"], body["text"]) == (0, 2, "One. Two.")
    assert [t.pk for t in live(small)] == [body["id"]]


@pytest.mark.django_db
def test_merge_via_api_refused_with_a_translation_between(small, translator_en):
    a = draft(small, 0, "One.", translator_en)
    draft(small, 1, "Two.", translator_en)
    c = draft(small, 2, "Three.", translator_en)
    before = snapshot(small)
    response = client_for(translator_en).post(
        f"{API}/translations/merge/",
        {"first": a.pk, "second": c.pk, "first_version": 1, "second_version": 1},
        format="json",
    )
    error(response, 400, "invalid_span")
    assert snapshot(small) == before


@pytest.mark.django_db
def test_split_via_api(small, translator_en):
    t = draft(small, 1, "First. Second. Third.", translator_en, last=3)
    response = client_for(translator_en).post(
        f"{API}/translations/{t.pk}/split/",
        {"version": 1, "sentences_first": 1, "source_split": 2},
        format="json",
    )
    assert response.status_code == 200, response.content[:500]
    parts = [(p["first_position"], p["last_position"], p["text"]) for p in response.json()]
    assert parts == [(1, 1, "First."), (2, 3, "Second. Third.")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentences_first", "source_split", "code"),
    [(1, 1, "invalid_span"), (1, 9, "invalid_span"), (5, 2, "validation_error")],
)
def test_split_via_api_refused(small, translator_en, sentences_first, source_split, code):
    t = draft(small, 1, "First. Second. Third.", translator_en, last=3)
    before = snapshot(small)
    response = client_for(translator_en).post(
        f"{API}/translations/{t.pk}/split/",
        {"version": 1, "sentences_first": sentences_first, "source_split": source_split},
        format="json",
    )
    error(response, 400, code)
    assert snapshot(small) == before


@pytest.mark.django_db
def test_move_via_api_both_ways(small, translator_en):
    a = draft(small, 0, "Alpha.", translator_en)
    b = draft(small, 1, "Beta one. Beta two. Beta three.", translator_en)
    c = draft(small, 2, "Gamma.", translator_en)
    client = client_for(translator_en)
    response = client.post(
        f"{API}/translations/{b.pk}/move/",
        {"version": 1, "neighbour": a.pk, "neighbour_version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content[:500]
    assert [(p["id"], p["text"], p["version"]) for p in response.json()] == [
        (b.pk, "Beta two. Beta three.", 2),
        (a.pk, "Alpha. Beta one.", 2),
    ]
    response = client.post(
        f"{API}/translations/{b.pk}/move/",
        {"version": 2, "neighbour": c.pk, "neighbour_version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content[:500]
    assert [(p["text"], p["version"]) for p in response.json()] == [
        ("Beta two.", 3),
        ("Beta three. Gamma.", 2),
    ]


@pytest.mark.django_db
def test_move_via_api_refused_when_not_neighbours_or_one_sentence(small, translator_en):
    a = draft(small, 0, "Alpha one. Alpha two.", translator_en)
    c = draft(small, 2, "Gamma.", translator_en)
    d = draft(small, 3, "Delta.", translator_en)
    client = client_for(translator_en)
    before = snapshot(small)
    url = f"{API}/translations/{{}}/move/"
    error(
        client.post(url.format(a.pk), {"version": 1, "neighbour": c.pk, "neighbour_version": 1}),
        400,
        "invalid_span",
    )
    error(
        client.post(url.format(d.pk), {"version": 1, "neighbour": c.pk, "neighbour_version": 1}),
        400,
        "validation_error",
    )
    assert snapshot(small) == before


@pytest.mark.django_db
def test_every_fix_via_api_refused_on_a_stale_version(small, translator_en):
    a = draft(small, 0, "Alpha one. Alpha two.", translator_en)
    b = draft(small, 1, "Beta one. Beta two.", translator_en, last=2)
    client = client_for(translator_en)
    before = snapshot(small)
    body = error(
        client.post(
            f"{API}/translations/merge/",
            {"first": a.pk, "second": b.pk, "first_version": 1, "second_version": 2},
        ),
        409,
        "stale_version",
    )
    assert body["detail"]["current"]["version"] == 1
    error(
        client.post(
            f"{API}/translations/{b.pk}/split/", {"version": 2, "sentences_first": 1, "source_split": 2}
        ),
        409,
        "stale_version",
    )
    error(
        client.post(
            f"{API}/translations/{a.pk}/move/", {"version": 3, "neighbour": b.pk, "neighbour_version": 1}
        ),
        409,
        "stale_version",
    )
    assert snapshot(small) == before


@pytest.mark.django_db
def test_fixes_via_api_on_approved_units_forbidden_for_translators_allowed_for_editors(
    small, translator_en, editor, editor2
):
    a = approved(small, 0, "Alpha one. Alpha two.", translator=translator_en, editor=editor, last=1)
    b = draft(small, 2, "Beta.", translator_en)
    translator = client_for(translator_en)
    before = snapshot(small)
    merge = {"first": a.pk, "second": b.pk, "first_version": a.version, "second_version": 1}
    split = {"version": a.version, "sentences_first": 1, "source_split": 1}
    move = {"version": a.version, "neighbour": b.pk, "neighbour_version": 1}
    error(translator.post(f"{API}/translations/merge/", merge), 403, "forbidden_action")
    error(translator.post(f"{API}/translations/{a.pk}/split/", split), 403, "forbidden_action")
    error(translator.post(f"{API}/translations/{a.pk}/move/", move), 403, "forbidden_action")
    assert snapshot(small) == before
    response = client_for(editor2).post(f"{API}/translations/{a.pk}/split/", split)
    assert response.status_code == 200, response.content[:500]
    assert [(p["text"], p["status"]) for p in response.json()] == [
        ("Alpha one.", "submitted"),
        ("Alpha two.", "submitted"),
    ]


@pytest.mark.django_db
def test_fixes_on_a_retired_translation_are_404(small, translator_en):
    a = draft(small, 0, "One.", translator_en)
    b = draft(small, 1, "Two.", translator_en)
    client = client_for(translator_en)
    merge = {"first": a.pk, "second": b.pk, "first_version": 1, "second_version": 1}
    assert client.post(f"{API}/translations/merge/", merge).status_code == 200
    error(client.post(f"{API}/translations/merge/", merge), 404, "not_found")
