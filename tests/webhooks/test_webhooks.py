"""Webhooks: signed bodies, retries with backoff, the delivery log, redelivery, the address guard,
and the 'document language fully approved' event with its export cursor."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from corpus.models import Segment
from exchange.exports import decode_cursor
from tests.factories import api_client, assert_error, make_document, make_user
from translations import services
from translations import tasks as translation_tasks
from webhooks import guard
from webhooks.delivery import backoff, deliver, signature
from webhooks.events import language_approved_check
from webhooks.models import Delivery


class Receiver:
    """A loopback HTTP receiver answering the codes it is given (then 200)."""

    def __init__(self, codes=()):
        self.codes = list(codes)
        self.requests = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.requests.append((dict(self.headers), body))
                self.send_response(owner.codes.pop(0) if owner.codes else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WORKBENCH_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WORKBENCH_WEBHOOK_BACKOFF_SECONDS = 10
    settings.WORKBENCH_WEBHOOK_ATTEMPTS = 3
    server = Receiver()
    yield server
    server.close()


def register(editor, url, **extra):
    response = api_client(editor).post("/api/v1/webhooks/", {"url": url, **extra}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def submitted_translation(document, translator):
    segment = Segment.objects.filter(document=document).order_by("position").first()
    return services.translation_create(
        document=document,
        language="en",
        first_position=segment.position,
        text="The title",
        actor=translator,
        submit=True,
    )


def test_an_approval_is_delivered_signed_with_a_versioned_body(db, receiver):
    editor, translator = make_user("editor"), make_user("translator", ["en"])
    document = make_document()
    hook = register(editor, receiver.url, events=["translation.approved"])
    assert len(hook["secret"]) >= 32
    assert "secret" not in api_client(editor).get(f"/api/v1/webhooks/{hook['id']}/").json()  # shown once
    translation = submitted_translation(document, translator)
    services.translation_approve(translation=translation, version=translation.version, actor=editor)
    (delivery,) = Delivery.objects.all()  # the submit was not asked for
    assert deliver.call(str(delivery.pk)) == "delivered"
    ((headers, body),) = receiver.requests
    expected = "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Workbench-Signature"] == expected == signature(hook["secret"], body)
    payload = json.loads(body)
    assert payload["version"] == 1 and payload["event"] == "translation.approved"
    assert payload["data"]["translation"] == translation.pk and payload["data"]["status"] == "approved"
    assert payload["delivery"] == str(delivery.pk) == headers["X-Workbench-Delivery"]


def test_failures_are_retried_with_exponential_backoff_and_logged(db, receiver):
    receiver.codes = [500, 503, 500]
    editor = make_user("editor")
    hook = register(editor, receiver.url)
    translator = make_user("translator", ["en"])
    submitted_translation(make_document(), translator)
    (delivery,) = Delivery.objects.filter(event="translation.submitted")
    waits = []
    for attempt in (1, 2, 3):
        before = DBTaskResult.objects.count()
        assert deliver.call(str(delivery.pk)) == ("pending" if attempt < 3 else "failed")
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.response_code) == (attempt, receiver_code(attempt))
        if attempt < 3:
            retry = DBTaskResult.objects.order_by("-enqueued_at").first()
            assert DBTaskResult.objects.count() == before + 1 and retry.run_after == delivery.next_attempt_at
            waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
    assert waits == [timedelta(seconds=10), timedelta(seconds=20)] == [backoff(1), backoff(2)]
    log = api_client(editor).get(f"/api/v1/webhooks/{hook['id']}/deliveries/").json()
    assert [(d["state"], d["attempts"], d["response_code"]) for d in log] == [("failed", 3, 500)]
    # the receiver is fixed: an editor redelivers
    response = api_client(editor).post(f"/api/v1/webhooks/{hook['id']}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202 and response.json()["state"] == "pending"
    assert deliver.call(str(delivery.pk)) == "delivered"
    assert len(receiver.requests) == 4


def receiver_code(attempt):
    return {1: 500, 2: 503, 3: 500}[attempt]


def test_the_whole_language_approved_carries_the_export_cursor(db, receiver):
    editor, translator = make_user("editor"), make_user("translator", ["en"])
    document = make_document()
    register(editor, receiver.url, events=["document.language_approved"], document=document.pk)
    positions = list(
        Segment.objects.filter(document=document).order_by("position").values_list("position", flat=True)
    )
    for position in positions:
        created = services.translation_create(
            document=document,
            language="en",
            first_position=position,
            text=f"Sentence {position}.",
            actor=translator,
            submit=True,
        )
        with pytest.raises(Delivery.DoesNotExist):
            Delivery.objects.get()
        services.translation_approve(
            translation=created, version=created.version, actor=editor, acknowledge_findings=True
        )
    # on_commit does not run inside the test's transaction: run what it would
    (delivery,) = language_approved_check(document.pk, "en")
    data = json.loads(delivery.body)["data"]
    assert data["language"] == "en" and data["cursor"].startswith("v1.")
    xmin, xmax, _ = decode_cursor(data["cursor"]).split(":")  # the cursor exports read back as "since"
    assert 0 < int(xmin) <= int(xmax)


def test_private_and_loopback_addresses_are_refused_unless_allowed(db, settings):
    settings.WORKBENCH_WEBHOOK_ALLOWED_HOSTS = []
    editor = make_user("editor")
    for url in (
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://169.254.169.254/",
    ):
        assert_error(
            api_client(editor).post("/api/v1/webhooks/", {"url": url}, format="json"), 400, "address_refused"
        )
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "fc00::1",
        "0.0.0.0",
    ):
        assert not guard.public(address), address
    assert guard.public("93.184.216.34")
    settings.WORKBENCH_WEBHOOK_ALLOWED_HOSTS = ["10.0.0.0/8"]
    assert guard.check_url("http://10.1.2.3:8080/x?y=1").address == "10.1.2.3"


def test_only_editors_manage_webhooks(db):
    assert_error(
        api_client(make_user("translator", ["en"])).post(
            "/api/v1/webhooks/", {"url": "http://example.com/"}, format="json"
        ),
        403,
        "forbidden_action",
    )


def test_a_finished_job_and_a_fully_approved_language_are_announced_after_commit(transactional_db, receiver):
    """Real commits (no test transaction): the approval's on_commit check finds the language
    approved; a job's end is announced with its state."""
    editor, translator = make_user("editor"), make_user("translator", ["en"])
    document = make_document()
    register(editor, receiver.url, events=["document.language_approved", "job.finished"])
    positions = (
        Segment.objects.filter(document=document).order_by("position").values_list("position", flat=True)
    )
    for position in positions:
        created = services.translation_create(
            document=document,
            language="en",
            first_position=position,
            text=f"Sentence {position}.",
            actor=translator,
            submit=True,
        )
        assert not Delivery.objects.exists()  # not yet: segments remain unapproved
        services.translation_approve(
            translation=created, version=created.version, actor=editor, acknowledge_findings=True
        )
    (approved,) = Delivery.objects.filter(event="document.language_approved")
    assert json.loads(approved.body)["data"]["cursor"].startswith("v1.")
    job = translation_tasks.reassess_start(document=document, language="en", actor=editor)
    call_command("jobs_worker", batch=True, verbosity=0)  # runs the job, then delivers both events
    (finished,) = Delivery.objects.filter(event="job.finished")
    data = json.loads(finished.body)["data"]
    assert (data["job"], data["state"], data["kind"]) == (job.pk, "done", "reassess")
    assert Delivery.objects.get(pk=finished.pk).state == "delivered"
    assert {json.loads(body)["event"] for _, body in receiver.requests} == {
        "document.language_approved",
        "job.finished",
    }
