"""Importing source documents through the API and the document list page (editors only)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from corpus.models import Document, Segment, Translation

SOURCE = "测试文档\n第一句话。第二句话！\n한국어 제목\n".encode()


def upload(client, content: bytes, name: str = "doc.txt", **extra):
    return client.post(
        "/api/v1/documents/", {"file": SimpleUploadedFile(name, content), **extra}, format="multipart"
    )


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def counts():
    return Document.objects.count(), Segment.objects.count(), Translation.objects.count()


@pytest.mark.django_db
def test_editor_imports_through_the_api_and_the_same_bytes_again_is_the_same_document(editor):
    client = api_client(editor)
    created = upload(client, SOURCE, title="Mine")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["title"] == "Mine" and body["segments"] == 3
    assert body["languages"]["ko"]["translations"] == {"submitted": 1}
    again = upload(client, SOURCE)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Document.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        ("中国".encode("gbk"), "not UTF-8"),
        (b"No Chinese here.", "no Chinese text"),
    ],
)
def test_bad_uploads_are_400_and_change_nothing(editor, content, message):
    before = counts()
    response = upload(api_client(editor), content)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert message in response.json()["error"]["message"] or message in str(response.json())
    assert counts() == before


@pytest.mark.django_db
def test_oversized_upload_is_refused(editor, settings):
    settings.WORKBENCH_MAX_UPLOAD_BYTES = 10
    response = upload(api_client(editor), SOURCE)
    assert response.status_code == 413 and "limit is 10 bytes" in response.json()["error"]["message"]
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_translators_and_anonymous_cannot_import(translator_en):
    denied = upload(api_client(translator_en), SOURCE)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden_action"
    anonymous = upload(APIClient(), SOURCE)
    assert anonymous.status_code == 401
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_editor_imports_from_the_document_list(client, editor):
    client.force_login(editor)
    assert "Import a Chinese source document" in client.get("/").content.decode()
    response = client.post("/", {"file": SimpleUploadedFile("page.txt", SOURCE), "title": "<b>T</b>"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    assert "&lt;b&gt;T&lt;/b&gt;" in client.get("/").content.decode()
    bad = client.post("/", {"file": SimpleUploadedFile("bad.txt", b"\xff\xfe\xfa")})
    assert bad.status_code == 400 and "not UTF-8" in bad.content.decode()
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_translators_see_no_import_form(client, translator_en):
    client.force_login(translator_en)
    assert "Import a Chinese source document" not in client.get("/").content.decode()
