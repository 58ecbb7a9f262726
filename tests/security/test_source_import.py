"""Finding 3: a source import bypassed four-eyes and language access. The Korean line of a source is
written through the kernel by the importer: they cannot approve it, and without Korean access they
cannot import it (a clear error, nothing written)."""

from __future__ import annotations

import pytest

from corpus.models import AuditEvent, Translation
from tests.factories import KOREAN_SOURCE, api_client, assert_error, make_user


@pytest.mark.django_db
def test_an_importer_cannot_approve_the_korean_line_they_imported():
    importer, other = make_user("editor"), make_user("editor")
    response = api_client(importer).post(
        "/api/v1/documents/", {"file": _upload(KOREAN_SOURCE)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    ko = Translation.objects.get(document_id=response.json()["id"], language="ko")
    assert ko.author_id == importer.pk and ko.updated_by_id == importer.pk
    refused = api_client(importer).post(
        f"/api/v1/translations/{ko.pk}/approve/", {"version": ko.version, "acknowledge_findings": True}
    )
    assert_error(refused, 403, "forbidden_action")
    approved = api_client(other).post(
        f"/api/v1/translations/{ko.pk}/approve/", {"version": ko.version, "acknowledge_findings": True}
    )
    assert approved.status_code == 200, approved.content


@pytest.mark.django_db
def test_an_editor_without_korean_cannot_import_a_korean_line():
    english_only = make_user("editor", ["en"])
    before = Translation.objects.count()
    response = api_client(english_only).post(
        "/api/v1/documents/", {"file": _upload(KOREAN_SOURCE)}, format="multipart"
    )
    error = assert_error(response, 403, "forbidden_action")
    assert "Korean" in error["message"]
    assert Translation.objects.count() == before
    assert not AuditEvent.objects.filter(action="source.import").exists()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("with-korean.txt", data, content_type="text/plain")
