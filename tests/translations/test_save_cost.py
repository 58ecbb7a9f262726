"""What one save costs (issue 18): a fixed number of queries whatever the glossary, the span or the
user's languages; permissions read once per request; and the one statement the kernel locks with
(row, span source, glossary terms found in it) gives the same assessment as reading each alone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from corpus import selectors, tokens
from corpus.models import Revision, Segment, Translation
from memory import glossary
from tests.factories import api_client, assert_error, make_document, make_user
from translations import assessment, kernel, services

pytestmark = pytest.mark.django_db

CONTROL = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")
PERMISSION_TABLES = ("auth_group", "corpus_languageaccess")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.token_create(user=user, name='cost')[1]}")
    return client


def patch(client, translation_id: int, text: str, version: int | None = None):
    if version is None:
        version = Translation.objects.values_list("version", flat=True).get(pk=translation_id)
    return client.patch(
        f"/api/v1/translations/{translation_id}/", {"text": text, "version": version}, format="json"
    )


def statements(client, translation_id: int, text: str) -> list[str]:
    """The SQL statements of one PATCH, transaction control left out."""
    version = Translation.objects.values_list("version", flat=True).get(pk=translation_id)
    with CaptureQueriesContext(connection) as captured:
        response = patch(client, translation_id, text, version)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["text"] == text
    return [q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(CONTROL)]


def reading_permissions(sql: list[str]) -> list[str]:
    return [q for q in sql if any(table in q for table in PERMISSION_TABLES)]


@pytest.fixture
def span():
    """A translation over two segments of a document."""
    document = make_document()
    author = make_user("translator", ["en"])
    return services.translation_create(
        document=document, language="en", first_position=1, last_position=2, text="First.", actor=author
    )


def test_a_token_save_is_three_statements_whatever_the_glossary_and_the_user(span, editor):
    client = token_client(editor)
    assert patch(client, span.pk, "Warm up: the token's last use and the norm cache.").status_code == 200
    plain = statements(client, span.pk, "A plain save.")
    # the token with its user and permissions; the row locked with its source and glossary terms;
    # the new version with its revision
    assert len(plain) == 3, plain
    assert plain[0].startswith("SELECT") and "corpus_apitoken" in plain[0]
    assert reading_permissions(plain) == [plain[0]]
    assert "FOR UPDATE" in plain[1] and "corpus_segment" in plain[1] and "corpus_glossaryterm" in plain[1]
    assert plain[2].startswith("UPDATE") and "INSERT INTO corpus_revision" in plain[2]

    for number in range(40):
        glossary.term_save(actor=editor, language="en", source=f"术语{number}", target=f"term {number}")
    limited = make_user("translator", ["en"])
    assert limited.language_access.languages == ["en"]
    client = token_client(limited)
    assert patch(client, span.pk, "Warm up again.").status_code == 200
    busy = statements(client, span.pk, "A save with a glossary, by a translator limited to English.")
    assert len(busy) == len(plain), busy
    assert len(reading_permissions(busy)) == 1


def test_a_session_save_reads_its_permissions_once(span, editor):
    client = api_client(editor)
    assert patch(client, span.pk, "Warm up.").status_code == 200
    sql = statements(client, span.pk, "Saved in the browser's session.")
    assert len(reading_permissions(sql)) == 1, sql
    assert not any("corpus_glossaryterm" in q and "FOR UPDATE" not in q for q in sql)


def test_the_stored_assessment_is_what_the_whole_glossary_and_the_span_source_give(span, editor):
    source = selectors.span_source(span.document_id, 1, 2)
    third = Segment.objects.get(document_id=span.document_id, position=3).text
    glossary.term_save(actor=editor, language="en", source="问题", target="question")  # in the span
    glossary.term_save(actor=editor, language="en", source="你好", target="hello", status="forbidden")
    glossary.term_save(actor=editor, language="en", source=third[:3], target="third")  # outside it
    glossary.term_save(actor=editor, language="ko", source="问题", target="문제")  # another language
    text = "The first sentence is about a matter; the second says “hello!”, he said."
    response = patch(token_client(editor), span.pk, text)
    assert response.status_code == 200, response.content[:300]

    stored = Translation.objects.get(pk=span.pk)
    expected = Translation.objects.get(pk=span.pk)
    assessment.assess(expected, source=source, glossary=glossary.check_terms("en"))
    assert stored.findings == expected.findings and stored.check_codes == expected.check_codes
    problems = {
        (f["detail"]["problem"], f["detail"]["source_term"])
        for f in stored.findings
        if f["code"] == "glossary"
    }
    assert problems == {("preferred_missing", "问题"), ("forbidden_used", "你好")}
    assert response.json()["findings"] == [
        {key: finding[key] for key in ("code", "severity", "message", "detail")}
        for finding in stored.findings
    ]
    # the history row was written with the version, in the same round trip
    revision = Revision.objects.filter(translation=span).latest("id")
    assert (revision.version, revision.text, revision.action, revision.actor_id) == (
        stored.version,
        text,
        "edit",
        editor.pk,
    )
    assert revision.created_at == stored.updated_at


def test_the_lock_reads_the_span_source_and_only_the_terms_found_in_it(span, editor):
    glossary.term_save(actor=editor, language="en", source="问题", target="question")
    glossary.term_save(actor=editor, language="en", source="问题", target="issue", status="forbidden")
    glossary.term_save(actor=editor, language="en", source="不在这里", target="not here")
    locked = kernel.lock_for_write(span.pk, with_source=True)
    assert locked.source == selectors.span_source(span.document_id, 1, 2)
    assert [(t.source, t.preferred, t.forbidden) for t in locked.terms] == [
        ("问题", ("question",), ("issue",))
    ]
    assert locked.translation.updated_by.username == span.updated_by.username
    assert kernel.lock_for_write(span.pk, with_source=False).source is None


def test_a_stale_save_is_refused_with_the_current_state_and_writes_nothing(span, editor):
    client = token_client(editor)
    assert patch(client, span.pk, "Newer text.").status_code == 200
    revisions = Revision.objects.filter(translation=span).count()
    response = client.patch(
        f"/api/v1/translations/{span.pk}/", {"text": "Based on version 1.", "version": 1}, format="json"
    )
    current = assert_error(response, 409, "stale_version")["detail"]["current"]
    assert (current["text"], current["version"], current["updated_by"]) == ("Newer text.", 2, editor.username)
    assert Revision.objects.filter(translation=span).count() == revisions


def test_a_save_of_a_retired_or_unknown_translation_is_a_404(span, editor):
    client = token_client(editor)
    kernel.retire([span], actor=editor, comment="replaced")
    for path in (span.pk, 10**9, "abc"):
        response = client.patch(
            f"/api/v1/translations/{path}/", {"text": "Lost?", "version": 1}, format="json"
        )
        assert_error(response, 404, "not_found")
    assert Translation.objects.get(pk=span.pk).text == "First."
