"""A bounded schemathesis run over the whole API schema as a TRANSLATOR (test_api_schema.py runs it as an
editor): the refusals a translator meets (approve, other languages, references) must be documented
error responses, never a 5xx and never a body that breaks the schema."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from alignment import references
from corpus import tokens
from tests.corpus import test_api_schema as base
from tests.factories import make_user
from translations import services

API = base.API

# The schema test's fixtures, reused: the served schema, fast password hashing, and the schema bound to
# the WSGI application (which takes this module's ``fuzz_data`` below).
openapi = base.openapi
fuzz_schema = base.fuzz_schema


@pytest.fixture
def fuzz_data(seed, editor, editor2):
    """Real objects for a translator's token: their own translations in each state, a token of theirs,
    a reference so that the scores answer, and findings so that ``?check=`` has rows to filter."""
    translator = make_user("translator", ["en"], username="fuzz_translator")
    ids = []
    for position, state in enumerate(["draft", "submitted", "approved", "rejected"], start=1):
        t = services.translation_create(
            document=seed, language="en", first_position=position, text=f"t{position} 1999", actor=translator
        )
        if state != "draft":
            t = services.translation_submit(translation=t, version=t.version, actor=translator)
        if state == "approved":
            t = services.translation_approve(translation=t, version=t.version, actor=editor2)
        if state == "rejected":
            t = services.translation_reject(translation=t, version=t.version, reason="r", actor=editor2)
        ids.append(t.pk)
    lines = "\n".join(f"reference {position}" for position in range(seed.segments.count()))
    references.reference_load(document=seed, language="en", data=lines.encode(), name="ref", actor=editor)
    spare, _ = tokens.token_create(user=translator, name="spare")
    _, key = tokens.token_create(user=translator, name="fuzz")
    return {"key": key, "document": seed.pk, "translations": ids, "token": spare.pk}


@pytest.mark.django_db(transaction=True)  # each request commits on its own, as in production
def test_fuzzed_requests_as_a_translator_get_no_server_error_and_conform(fuzz_schema, fuzz_data):
    # schemathesis's WSGI transport asks for gzip but does not decode it (compression is tested in
    # tests/corpus/test_performance.py)
    headers = {"Authorization": f"Bearer {fuzz_data['key']}", "Accept-Encoding": "identity"}
    failures, operations, calls = [], [], []
    started = time.monotonic()
    for result in fuzz_schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(f"{API}/"):
            continue
        operations.append(operation.label)
        run = base.fuzz_operation(operation, fuzz_data, headers, calls)
        try:
            run()
        except Exception as error:  # one operation's failure must not hide the others'
            failures.append(f"{operation.label}: {type(error).__name__}: {error}")
    elapsed = time.monotonic() - started

    assert len(operations) >= 16, operations
    for label in (
        f"GET {API}/documents/{{id}}/metrics/",
        f"POST {API}/documents/{{id}}/references/",
        f"GET {API}/documents/{{id}}/scores/",
        f"POST {API}/translations/{{id}}/approve/",
    ):
        assert label in operations, (label, operations)
    assert len(calls) >= len(operations) * 5, "the run was too small to mean anything"
    statuses = Counter(status for _, status in calls)
    assert not [call for call in calls if call[1] >= 500], calls
    assert any(status < 300 for status in statuses), statuses
    assert statuses[403] > 0, f"a translator was never refused anything: {statuses}"
    assert not failures, "\n\n".join(failures)
    assert elapsed < 60, f"the fuzz run took {elapsed:.0f} s"


schema = base.schema


@pytest.mark.django_db
def test_a_translators_quality_requests_conform_to_the_schema(schema, seed, translator_en, editor):
    """The requests the fuzz run rarely gets right (a real language), made by hand as a translator's token."""
    _, key = tokens.token_create(user=translator_en, name="job")
    client = base.APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    checked = base.Checked(schema, client)
    created = checked.call(
        "POST",
        f"{API}/translations/",
        201,
        data={"document": seed.pk, "language": "en", "first_position": 1, "text": "In 1999, 3 things."},
    )
    assert created["findings"] and created["effort"]["ter"] == 0.0

    metrics = checked.call(
        "GET", f"{API}/documents/{{id}}/metrics/", 200, id=seed.pk, data={"language": "en"}
    )
    assert metrics["translations"] == {"draft": 1}
    assert metrics["checks"] == dict.fromkeys({f["code"] for f in created["findings"]}, 1)
    checked.call("GET", f"{API}/documents/{{id}}/metrics/", 400, id=seed.pk, data={"language": "xx"})
    checked.call("GET", f"{API}/documents/{{id}}/metrics/", 404, id=10**9, data={"language": "en"})

    checked.call("GET", f"{API}/documents/{{id}}/scores/", 404, id=seed.pk, data={"language": "en"})
    lines = "\n".join(f"reference {position}" for position in range(seed.segments.count()))
    checked.call(
        "POST", f"{API}/documents/{{id}}/references/", 403, id=seed.pk, data={"language": "ko", "text": lines}
    )
    checked.call(
        "POST",
        f"{API}/documents/{{id}}/references/",
        400,
        id=seed.pk,
        data={"language": "en", "text": "a\nb"},
    )
    loaded = checked.call(
        "POST", f"{API}/documents/{{id}}/references/", 201, id=seed.pk, data={"language": "en", "text": lines}
    )
    assert loaded["segments"] == 1 and loaded["bleu"]["signature"]
    scores = checked.call("GET", f"{API}/documents/{{id}}/scores/", 200, id=seed.pk, data={"language": "en"})
    assert scores == loaded

    code = created["findings"][0]["code"]
    rows = checked.call(
        "GET", f"{API}/documents/{{document_id}}/segments/", 200, document_id=seed.pk, data={"check": code}
    )
    assert 1 in {row["position"] for row in rows["results"]}
    checked.call(
        "GET", f"{API}/documents/{{document_id}}/segments/", 400, document_id=seed.pk, data={"check": "bogus"}
    )
