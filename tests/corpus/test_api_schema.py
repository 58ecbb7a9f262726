"""The OpenAPI schema: it generates, real responses conform to it, and a bounded fuzz run finds no 5xx."""

from __future__ import annotations

import json

import pytest
import requests
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from corpus import tokens
from tests.factories import make_user
from translations import services

API = "/api/v1"


@pytest.fixture
def openapi(db) -> dict:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return json.loads(response.content)


@pytest.fixture
def schema(openapi):
    return schemathesis.openapi.from_dict(openapi)


def as_schemathesis(response, method: str, url: str) -> schemathesis.Response:
    request = requests.Request(method, f"http://testserver{url}").prepare()
    return schemathesis.Response(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=True,
    )


class Checked:
    """An API client whose every response must be documented and conform to the schema."""

    def __init__(self, schema, client: APIClient):
        self.schema, self.client = schema, client
        self.seen: set[tuple[str, str, int]] = set()

    def call(self, method: str, template: str, status: int, *, data=None, **path) -> dict | None:
        url = template.format(**path)
        response = getattr(self.client, method.lower())(url, data, format="json" if method != "GET" else None)
        assert response.status_code == status, (method, url, response.status_code, response.content[:500])
        operation = self.schema[template][method]
        assert operation.responses.find_by_status_code(status) is not None, (
            f"{method} {template} answered {status}, which its schema does not document"
        )
        operation.validate_response(as_schemathesis(response, method, url))
        self.seen.add((method, template, status))
        return response.json() if response.content else None


@pytest.mark.django_db
def test_schema_is_served_as_json_with_format_json(openapi):
    """The documented address /api/schema/?format=json gives JSON (and YAML stays the default)."""
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in {
        "application/vnd.oai.openapi+json",
        "application/json",
    }, (
        "/api/schema/?format=json answered " + response["Content-Type"] + ": settings.REST_FRAMEWORK"
        " URL_FORMAT_OVERRIDE=None disables ?format= for the schema view"
    )
    assert json.loads(response.content) == openapi
    assert APIClient().get("/api/schema/").content.startswith(b"openapi: 3.")


def test_schema_generates_and_describes_every_endpoint(openapi):
    assert openapi["openapi"].startswith("3.")
    paths = openapi["paths"]
    for path, methods in {
        f"{API}/documents/": {"get"},
        f"{API}/documents/{{id}}/": {"get"},
        f"{API}/documents/{{document_id}}/segments/": {"get"},
        f"{API}/translations/": {"get", "post"},
        f"{API}/translations/{{id}}/": {"get", "patch"},
        f"{API}/translations/{{id}}/submit/": {"post"},
        f"{API}/translations/{{id}}/approve/": {"post"},
        f"{API}/translations/{{id}}/reject/": {"post"},
        f"{API}/translations/{{id}}/reopen/": {"post"},
        f"{API}/translations/{{id}}/revisions/": {"get"},
        f"{API}/me/": {"get"},
        f"{API}/tokens/": {"get", "post"},
        f"{API}/tokens/{{id}}/": {"delete"},
    }.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    assert "put" not in paths[f"{API}/translations/{{id}}/"]
    assert openapi["components"]["securitySchemes"]["tokenAuth"] == {"type": "http", "scheme": "bearer"}
    segment_params = {
        p["name"] for p in paths[f"{API}/documents/{{document_id}}/segments/"]["get"]["parameters"]
    }
    assert {"cursor", "page_size", "status_en", "status_ko", "kind", "q", "q_target"} <= segment_params
    for path, methods in paths.items():
        if not path.startswith(f"{API}/"):
            continue
        for method, operation in methods.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


@pytest.mark.django_db
def test_docs_page_renders(editor):
    client = APIClient()
    client.force_login(editor)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


@pytest.mark.django_db
def test_responses_of_the_main_endpoints_conform_to_the_schema(schema, seed, translator_en, editor, editor2):
    translator = APIClient()
    translator.force_login(translator_en)
    reviewer = APIClient()
    reviewer.force_login(editor2)
    tr, ed = Checked(schema, translator), Checked(schema, reviewer)
    anonymous = Checked(schema, APIClient())

    documents = tr.call("GET", f"{API}/documents/", 200)
    assert documents["results"][0]["id"] == seed.pk
    tr.call("GET", f"{API}/documents/{{id}}/", 200, id=seed.pk)
    segments = tr.call(
        "GET", f"{API}/documents/{{document_id}}/segments/", 200, document_id=seed.pk, data={"page_size": 500}
    )
    assert any(row["translations"]["ko"] for row in segments["results"])  # the seed's Korean title
    tr.call(
        "GET",
        f"{API}/documents/{{document_id}}/segments/",
        200,
        document_id=seed.pk,
        data={"status_ko": "submitted", "kind": "heading"},
    )
    created = tr.call(
        "POST",
        f"{API}/translations/",
        201,
        data={"document": seed.pk, "language": "en", "first_position": 0, "text": "Title"},
    )
    tid = created["id"]
    tr.call("GET", f"{API}/translations/", 200, data={"document": seed.pk, "language": "en"})
    tr.call("GET", f"{API}/translations/{{id}}/", 200, id=tid)
    saved = tr.call(
        "PATCH", f"{API}/translations/{{id}}/", 200, id=tid, data={"text": "A title", "version": 1}
    )
    submitted = tr.call(
        "POST", f"{API}/translations/{{id}}/submit/", 200, id=tid, data={"version": saved["version"]}
    )
    rejected = ed.call(
        "POST",
        f"{API}/translations/{{id}}/reject/",
        200,
        id=tid,
        data={"version": submitted["version"], "reason": "Capitalise"},
    )
    saved = tr.call(
        "PATCH",
        f"{API}/translations/{{id}}/",
        200,
        id=tid,
        data={"text": "A Title", "version": rejected["version"]},
    )
    submitted = tr.call(
        "POST", f"{API}/translations/{{id}}/submit/", 200, id=tid, data={"version": saved["version"]}
    )
    approved = ed.call(
        "POST", f"{API}/translations/{{id}}/approve/", 200, id=tid, data={"version": submitted["version"]}
    )
    ed.call("POST", f"{API}/translations/{{id}}/reopen/", 200, id=tid, data={"version": approved["version"]})
    segments = tr.call("GET", f"{API}/documents/{{document_id}}/segments/", 200, document_id=seed.pk)
    assert segments["results"][0]["translations"]["en"]["id"] == tid
    revisions = tr.call("GET", f"{API}/translations/{{id}}/revisions/", 200, id=tid)
    assert len(revisions["results"]) == 8
    tr.call("GET", f"{API}/me/", 200)
    token = tr.call("POST", f"{API}/tokens/", 201, data={"name": "job"})
    tr.call("GET", f"{API}/tokens/", 200)

    # Errors: every documented error of the writes has the one error shape.
    stale = tr.call("PATCH", f"{API}/translations/{{id}}/", 409, id=tid, data={"text": "late", "version": 1})
    assert stale["error"]["code"] == "stale_version"
    tr.call("PATCH", f"{API}/translations/{{id}}/", 400, id=tid, data={"text": "no version"})
    tr.call("POST", f"{API}/translations/{{id}}/approve/", 403, id=tid, data={"version": 8})
    ed.call("POST", f"{API}/translations/{{id}}/reopen/", 409, id=tid, data={"version": 8})
    tr.call(
        "POST",
        f"{API}/translations/",
        400,
        data={"document": seed.pk, "language": "en", "first_position": 0, "text": "overlap"},
    )
    tr.call("GET", f"{API}/translations/{{id}}/", 404, id=10**9)
    tr.call("GET", f"{API}/documents/{{id}}/", 404, id=10**9)
    tr.call("GET", f"{API}/documents/{{document_id}}/segments/", 404, document_id=10**9)
    tr.call("GET", f"{API}/documents/{{document_id}}/segments/", 400, document_id=seed.pk, data={"kind": "x"})
    anonymous.call("GET", f"{API}/translations/{{id}}/", 401, id=tid)
    anonymous.call("POST", f"{API}/translations/{{id}}/submit/", 401, id=tid, data={"version": 8})
    tr.call("DELETE", f"{API}/tokens/{{id}}/", 204, id=token["id"])
    ed.call("DELETE", f"{API}/tokens/{{id}}/", 404, id=token["id"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"{API}/documents/", 401),
        (f"{API}/me/", 401),
        (f"{API}/tokens/", 401),
        (f"{API}/translations/", 401),
    ],
)
def test_list_endpoints_document_their_error_responses(schema, path, status):
    """A client generated from the schema must know that a list can answer 401 with the error shape."""
    Checked(schema, APIClient()).call("GET", path, status)


# --- a bounded fuzz run over the whole schema -------------------------------------------------------


@pytest.fixture
def fuzz_data(seed, editor, editor2):
    """Real objects for the generated requests to hit: a translation in each state, a token."""
    writer = make_user("translator", username="fuzz_writer")
    ids = []
    for position, state in enumerate(["draft", "submitted", "approved", "rejected"], start=1):
        t = services.translation_create(
            document=seed, language="en", first_position=position, text=f"t{position}", actor=writer
        )
        if state != "draft":
            t = services.translation_submit(translation=t, version=t.version, actor=writer)
        if state == "approved":
            t = services.translation_approve(translation=t, version=t.version, actor=editor2)
        if state == "rejected":
            t = services.translation_reject(translation=t, version=t.version, reason="r", actor=editor2)
        ids.append(t.pk)
    spare, _ = tokens.token_create(user=editor, name="spare")
    _, key = tokens.token_create(user=editor, name="fuzz")
    return {"key": key, "document": seed.pk, "translations": ids, "token": spare.pk}


@pytest.fixture
def fuzz_schema(openapi, fuzz_data):
    """The schema calling the real WSGI application in this thread, inside the test's transaction."""
    loaded = schemathesis.openapi.from_dict(openapi)
    loaded.app = get_wsgi_application()
    # As Django's test client does: the end of a request must not close the test's connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield loaded
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def aim_at_real_objects(case, fuzz_data) -> None:
    """Point about half of the generated path parameters at real objects, so writes reach the services."""
    for name, value in list(case.path_parameters.items()):
        if not isinstance(value, int) or value % 2:
            continue
        if name == "document_id" or (name == "id" and "/documents/" in case.path):
            case.path_parameters[name] = fuzz_data["document"]
        elif name == "id" and "/tokens/" in case.path:
            case.path_parameters[name] = fuzz_data["token"]
        elif name == "id":
            case.path_parameters[name] = fuzz_data["translations"][value % 8 // 2]


FUZZ_SETTINGS = settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def fuzz_operation(operation, fuzz_data, headers, calls):
    checks = [not_a_server_error, response_schema_conformance]

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy())
    def run(case):
        aim_at_real_objects(case, fuzz_data)
        response = case.call(headers=headers)
        calls.append((operation.label, response.status_code))
        case.validate_response(response, checks=checks, headers=headers)

    return run


@pytest.mark.django_db(transaction=True)  # each request commits on its own, as in production
def test_fuzzed_requests_get_no_server_error_and_conform_to_the_schema(fuzz_schema, fuzz_data):
    """A bounded, deterministic schemathesis run over every operation of the API, as an editor."""
    # schemathesis's WSGI transport asks for gzip but does not decode it (compression is tested in
    # tests/corpus/test_performance.py)
    headers = {"Authorization": f"Bearer {fuzz_data['key']}", "Accept-Encoding": "identity"}
    failures, operations, calls = [], 0, []
    for result in fuzz_schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(f"{API}/"):
            continue
        operations += 1

        run = fuzz_operation(operation, fuzz_data, headers, calls)
        try:
            run()
        except Exception as error:  # one operation's failure must not hide the others'
            failures.append(f"{operation.label}: {type(error).__name__}: {error}")
    assert operations >= 13, failures
    assert len(calls) >= operations * 5, "the run was too small to mean anything"
    assert any(status < 300 for _, status in calls), "no generated request was ever accepted"
    assert not failures, "\n\n".join(failures)
