"""Re-assessment of a document as a background job: findings recomputed, nothing else changed."""

from django.core.management import call_command

from corpus.models import Revision, Segment, Translation
from jobs.models import Job
from tests.factories import api_client, assert_error, make_document, make_user
from translations import services


def test_reassessment_recomputes_findings_without_a_new_version(transactional_db):
    document = make_document()
    translator, editor = make_user("translator", ["en"]), make_user("editor")
    first = Segment.objects.filter(document=document).order_by("position").first()
    created = services.translation_create(
        document=document, language="en", first_position=first.position, text="The title", actor=translator
    )
    Translation.objects.filter(pk=created.pk).update(
        findings=[], check_codes=["stale"]
    )  # checks changed since
    revisions = Revision.objects.count()
    response = api_client(editor).post(
        f"/api/v1/documents/{document.pk}/reassess/", {"language": "en"}, format="json"
    )
    assert response.status_code == 202, response.content
    call_command("jobs_worker", batch=True, verbosity=0)
    job = Job.objects.get()
    assert job.state == "done" and job.result["translations"] == 1 and (job.done, job.total) == (1, 1)
    created.refresh_from_db()
    assert "stale" not in created.check_codes and created.version == 1
    assert Revision.objects.count() == revisions


def test_only_reviewers_reassess(transactional_db):
    document = make_document()
    response = api_client(make_user("translator", ["en"])).post(
        f"/api/v1/documents/{document.pk}/reassess/", {"language": "en"}, format="json"
    )
    assert_error(response, 403, "forbidden_action")
