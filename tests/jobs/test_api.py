"""The 202 flow: a large alignment and a pre-translation answered with a job to follow, then done."""

from django.core.management import call_command

from corpus.models import Translation
from jobs.models import Job
from tests.factories import api_client, assert_error, make_document, make_user

PASTE = "The title. The first sentence talks about the problem. The second sentence says hello, he said. The third paragraph has one sentence."


def run_worker():
    call_command("jobs_worker", batch=True, verbosity=0)


def test_a_large_alignment_is_a_job_followed_to_its_result(transactional_db, settings):
    settings.WORKBENCH_JOB_ALIGN_THRESHOLD = 20
    document = make_document()
    client = api_client(make_user("translator", ["en"]))
    response = client.post(
        f"/api/v1/documents/{document.pk}/alignments/",
        {"language": "en", "mode": "apply", "text": PASTE},
        format="json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and response["Location"] == body["url"] == f"/api/v1/jobs/{body['id']}/"
    assert not Translation.objects.filter(
        document=document
    ).exists()  # nothing yet: the request only queued it
    run_worker()
    job = client.get(body["url"]).json()
    assert job["state"] == "done", job
    assert job["percent"] == 100 and job["done"] == job["total"] > 0
    assert (
        job["result"]["summary"]["created"]
        == Translation.objects.filter(document=document, language="en").count()
        > 0
    )
    assert job["started_at"] and job["ended_at"] and job["started_by"]


def test_a_queued_job_is_cancelled_by_delete_and_a_finished_one_cannot_be(transactional_db, settings):
    settings.WORKBENCH_JOB_ALIGN_THRESHOLD = 20
    document = make_document()
    user = make_user("translator", ["en"])
    client = api_client(user)
    url = client.post(
        f"/api/v1/documents/{document.pk}/alignments/",
        {"language": "en", "mode": "apply", "text": PASTE},
        format="json",
    ).json()["url"]
    response = client.delete(url)
    assert response.status_code == 202 and response.json()["state"] == "cancelled"
    run_worker()  # the task finds the job cancelled and does nothing
    assert client.get(url).json()["state"] == "cancelled"
    assert not Translation.objects.filter(document=document).exists()
    assert_error(client.delete(url), 409, "invalid_transition")


def test_jobs_are_seen_by_their_starter_and_editors_only(transactional_db, settings):
    settings.WORKBENCH_JOB_ALIGN_THRESHOLD = 20
    document = make_document()
    client = api_client(make_user("translator", ["en"]))
    url = client.post(
        f"/api/v1/documents/{document.pk}/alignments/",
        {"language": "en", "mode": "preview", "text": PASTE},
        format="json",
    ).json()["url"]
    assert_error(api_client(make_user("translator", ["en"])).get(url), 404, "not_found")
    assert api_client(make_user("editor")).get(url).status_code == 200
    run_worker()
    job = client.get(url).json()
    assert job["state"] == "done" and job["result"]["mode"] == "preview" and job["result"]["units"]
    assert not Translation.objects.filter(document=document).exists()  # a preview writes nothing


def test_pretranslation_in_the_background(memory_document):
    client = api_client(make_user("translator", ["en"]))
    response = client.post(
        f"/api/v1/documents/{memory_document.pk}/pretranslate/",
        {"language": "en", "background": True},
        format="json",
    )
    assert response.status_code == 202
    run_worker()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "done" and job.result["filled"] == memory_document.segments.count()


def test_ready_reports_the_queue(transactional_db, settings, client):
    settings.WORKBENCH_JOB_ALIGN_THRESHOLD = 20
    document = make_document()
    api_client(make_user("translator", ["en"])).post(
        f"/api/v1/documents/{document.pk}/alignments/", {"language": "en", "text": PASTE}, format="json"
    )
    queue = client.get("/ready/").json()["queue"]
    assert queue["depth"] == 1 and queue["oldest_age_seconds"] >= 0
