"""Imports as background jobs: TMX into the memory, a glossary, a large source document."""

import io

from django.core.management import call_command

from corpus.models import Document, GlossaryTerm, MemoryUnit
from jobs.models import Job
from tests.corpus.test_memory import TMX
from tests.factories import api_client, assert_error, make_user


def run_worker():
    call_command("jobs_worker", batch=True, verbosity=0)


def upload(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def test_a_tmx_import_into_memory_is_a_job(transactional_db):
    editor = make_user("editor")
    response = api_client(editor).post(
        "/api/v1/memory/imports/", {"file": upload(TMX, "m.tmx"), "language": "en"}, format="multipart"
    )
    assert response.status_code == 202, response.content
    assert not MemoryUnit.objects.exists()
    run_worker()
    job = api_client(editor).get(response["Location"]).json()
    assert (job["state"], job["result"], job["done"], job["total"]) == ("done", {"units": 2}, 2, 2)
    assert MemoryUnit.objects.count() == 2


def test_a_broken_tmx_fails_the_job_with_the_reason(transactional_db):
    editor = make_user("editor")
    response = api_client(editor).post(
        "/api/v1/memory/imports/",
        {"file": upload(b"<tmx><body><tu>", "m.tmx"), "language": "en"},
        format="multipart",
    )
    run_worker()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "failed" and job.error_code == "validation_error" and job.error


def test_only_reviewers_import_memory(transactional_db):
    response = api_client(make_user("translator", ["en"])).post(
        "/api/v1/memory/imports/", {"file": upload(TMX, "m.tmx"), "language": "en"}, format="multipart"
    )
    assert_error(response, 403, "forbidden_action")
    assert not Job.objects.exists()


def test_a_glossary_import_in_the_background(transactional_db):
    editor = make_user("editor")
    csv = "language,source,target,status,note\nen,全球化,globalization,preferred,\nen,产业链,industrial chain,preferred,\n"
    response = api_client(editor).post(
        "/api/v1/glossary/import/",
        {"file": upload(csv.encode(), "g.csv"), "format": "csv", "background": True},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    run_worker()
    assert Job.objects.get().state == "done", Job.objects.get().error
    assert GlossaryTerm.objects.count() == 2


def test_a_large_source_document_is_imported_as_a_job(transactional_db, settings):
    settings.WORKBENCH_JOB_IMPORT_THRESHOLD = 10
    editor = make_user("editor")
    text = "测试标题\n第一句话。第二句话。\n".encode()
    response = api_client(editor).post(
        "/api/v1/documents/", {"file": upload(text, "big.txt")}, format="multipart"
    )
    assert response.status_code == 202, response.content
    run_worker()
    job = Job.objects.get()
    assert job.state == "done", job.error
    document = Document.objects.get(pk=job.result["document"])
    assert job.result["segments"] == document.segments.count() == 3
    page = api_client(editor).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and f"/documents/{document.pk}/" in page.content.decode()


def test_the_home_page_sends_a_large_source_import_to_its_job_page(transactional_db, settings, client):
    settings.WORKBENCH_JOB_IMPORT_THRESHOLD = 10
    client.force_login(make_user("editor"))
    response = client.post(
        "/", {"file": upload("测试标题\n第一句话。\n".encode(), "big.txt"), "title": "Big"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-state="queued"' in page.content.decode()
    assert client.get(f"/jobs/{job.pk}/progress/").status_code == 200


def test_the_cancel_button_of_the_job_page_cancels_a_queued_job(transactional_db, settings, client):
    settings.WORKBENCH_JOB_IMPORT_THRESHOLD = 10
    user = make_user("editor")
    client.force_login(user)
    client.post("/", {"file": upload("测试标题\n第一句话。\n".encode(), "big.txt")})
    job = Job.objects.get()
    fragment = client.post(f"/jobs/{job.pk}/cancel/")
    assert fragment.status_code == 200 and 'data-state="cancelled"' in fragment.content.decode()
    other = make_user("editor")  # editors see every job; a translator sees only their own
    client.force_login(make_user("translator", ["en"]))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    run_worker()
    assert Job.objects.get().state == "cancelled" and not Document.objects.exists()
