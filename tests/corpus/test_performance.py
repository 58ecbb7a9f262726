"""Issue 18: costs that must not grow with a document or the corpus.

- the editor page, its rows fragment and the API's segments page cost the same queries on a
  document of 8 segments and one of 260;
- the progress counters and the length-norm sums kept by the triggers of migration 0010 equal a
  fresh scan after every kind of write;
- no request path (editor page, save, approve) runs an aggregate over the corpus: the norm comes
  from its kept sums, progress from the counters, and consistency from the memory's index.
"""

from __future__ import annotations

import base64
import json
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from alignment import services as alignment_services
from api.serializers import SegmentSerializer, TranslationSerializer, translation_data
from corpus import selectors
from corpus.models import Document, DocumentProgress, Segment, Translation
from tests.factories import api_client, make_document, make_user
from translations import assessment, services

pytestmark = pytest.mark.django_db


def document_with_rows(count: int) -> Document:
    return make_document("".join(f"第{i}段讲到一个问题。\n" for i in range(count)))


def fill(document: Document, translator, editor) -> None:
    """Every segment translated in en (draft, submitted, approved in turn), every third in ko."""
    for position in range(document.segments.count()):
        t = services.translation_create(
            document=document,
            language="en",
            first_position=position,
            text=f"Paragraph {position} is about a question.",
            actor=translator,
            submit=position % 3 != 0,
        )
        if position % 3 == 2:
            services.translation_approve(translation=t, version=t.version, actor=editor)
        if position % 3 == 0:
            services.translation_create(
                document=document,
                language="ko",
                first_position=position,
                text=f"문단 {position}",
                actor=editor,
            )


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def cursor(position: int) -> str:
    return base64.b64encode(f"p={position}".encode()).decode()


def test_pages_cost_the_same_queries_on_a_small_and_a_large_document():
    translator, editor = make_user("translator", ["en", "ko"]), make_user("editor")
    small, large = document_with_rows(8), document_with_rows(260)
    fill(small, translator, editor)
    fill(large, translator, editor)
    client = api_client(editor)
    count(client, reverse("editor:editor", args=[small.pk]))  # warm the session
    urls = [
        lambda d, deep: reverse("editor:editor", args=[d.pk]),
        lambda d, deep: reverse("editor:editor-rows", args=[d.pk]) + f"?after={deep}",
        lambda d, deep: reverse("editor:metrics", args=[d.pk]),
        lambda d, deep: reverse("editor:progress", args=[d.pk]),
        lambda d, deep: f"/api/v1/documents/{d.pk}/segments/?page_size=100&cursor={cursor(deep)}",
        lambda d, deep: f"/api/v1/documents/{d.pk}/",
    ]
    for url in urls:
        assert count(client, url(small, 2)) == count(client, url(large, 200)), url(large, 200)
    assert count(client, reverse("editor:editor", args=[large.pk])) <= 9


def fresh_progress(document: Document) -> dict:
    """The counters as the old full scan computed them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.language, t.status, count(DISTINCT t.id), count(s.id), coalesce(sum(s.words), 0)
            FROM corpus_translation t
            JOIN corpus_segment s ON s.document_id = t.document_id
                 AND s.position BETWEEN t.first_position AND t.last_position
            WHERE t.retired_at IS NULL AND t.document_id = %s
            GROUP BY 1, 2
            """,
            [document.pk],
        )
        return {(language, status): (n, segments, words) for language, status, n, segments, words in cursor}


def kept_progress(document: Document) -> dict:
    return {
        (row.language, row.status): (row.translations, row.segments, row.words)
        for row in DocumentProgress.objects.filter(document=document)
        if row.translations or row.segments or row.words
    }


def fresh_norm(language: str) -> tuple[int, float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), coalesce(sum(r), 0), coalesce(sum(r * r), 0) FROM (
                SELECT ln(length(regexp_replace(t.text, '\\s', '', 'g'))::float8 / sum(s.chars)) AS r
                FROM corpus_translation t
                JOIN corpus_segment s ON s.document_id = t.document_id
                     AND s.position BETWEEN t.first_position AND t.last_position
                WHERE t.language = %s AND t.status = 'approved' AND t.retired_at IS NULL
                      AND length(regexp_replace(t.text, '\\s', '', 'g')) > 0
                GROUP BY t.id, t.text HAVING sum(s.chars) >= 8
            ) ratios
            """,
            [language],
        )
        return cursor.fetchone()


def assert_counters_fresh(*documents: Document) -> None:
    for document in documents:
        assert kept_progress(document) == fresh_progress(document)
    for language in ("en", "ko"):
        n, total, squares = selectors.length_norm_sums(language)
        fresh_n, fresh_total, fresh_squares = fresh_norm(language)
        assert n == fresh_n
        assert math.isclose(total, fresh_total, abs_tol=1e-6)
        assert math.isclose(squares, fresh_squares, abs_tol=1e-6)


def test_counters_follow_every_kind_of_write():
    translator, editor = make_user("translator", ["en", "ko"]), make_user("editor")
    document = document_with_rows(30)
    assert Document.objects.get(pk=document.pk).segment_count == 30
    assert Document.objects.get(pk=document.pk).word_count == sum(
        document.segments.values_list("words", flat=True)
    )
    fill(document, translator, editor)
    assert_counters_fresh(document)
    approved = Translation.objects.filter(document=document, language="en", status="approved").order_by("id")
    first = approved[0]
    edited = services.translation_save(
        translation=first, text="A much longer English text than before.", version=first.version, actor=editor
    )
    assert edited.status == "submitted"
    second = approved[0]
    services.translation_reopen(translation=second, version=second.version, actor=editor, reason="look again")
    third = approved[0]
    other_editor = make_user("editor")
    services.translation_save(
        translation=third, text="Edited by an editor.", version=third.version, actor=editor
    )
    third.refresh_from_db()
    services.translation_approve(translation=third, version=third.version, actor=other_editor)
    assert_counters_fresh(document)
    # a merge retires two spans and creates one over both
    one, two = Translation.objects.filter(
        document=document, language="en", first_position__in=[0, 1], retired_at__isnull=True
    ).order_by("first_position")
    alignment_services.translation_merge(
        first=one, second=two, first_version=one.version, second_version=two.version, actor=editor
    )
    assert_counters_fresh(document)


def test_no_request_path_runs_a_corpus_wide_aggregate():
    translator, editor = make_user("translator", ["en", "ko"]), make_user("editor")
    document = document_with_rows(30)
    fill(document, translator, editor)
    assessment._norm_cache.clear()
    client = api_client(editor)
    submitted = Translation.objects.filter(document=document, language="en", status="submitted").first()
    draft = Translation.objects.filter(document=document, language="en", status="draft").first()
    with CaptureQueriesContext(connection) as captured:
        saved = client.patch(
            f"/api/v1/translations/{draft.pk}/",
            {"text": "Paragraph is about a question, edited.", "version": draft.version},
            format="json",
        )
        assert saved.status_code == 200
        approved = client.post(
            f"/api/v1/translations/{submitted.pk}/approve/", {"version": submitted.version}, format="json"
        )
        assert approved.status_code == 200, approved.content
        assert client.get(reverse("editor:editor", args=[document.pk])).status_code == 200
        assert client.get(reverse("editor:progress", args=[document.pk])).status_code == 200
    sql = [query["sql"].lower() for query in captured.captured_queries]
    # the length norm came from its kept sums, not from the translations
    assert any("corpus_documentprogress" in q and "norm_sum" in q for q in sql)
    for q in sql:
        assert "stddev" not in q and "avg(" not in q, q
        if "corpus_translation" in q and ("group by" in q or "count(" in q or "sum(" in q):
            pytest.fail(f"an aggregate over translations in a request: {q[:300]}")
    # and the kept norm is the one a full scan gives
    assert_counters_fresh(document)


def serialized(segments: list[Segment], languages: list[str]) -> list[dict]:
    """What ``SegmentSerializer`` gives for ``segments``, their translations looked up one by one."""
    for segment in segments:
        segment.translations = {
            language: Translation.objects.select_related("author", "updated_by")
            .filter(
                document_id=segment.document_id,
                language=language,
                retired_at__isnull=True,
                first_position__lte=segment.position,
                last_position__gte=segment.position,
            )
            .first()
            for language in languages
        }
    return json.loads(JSONRenderer().render(SegmentSerializer(segments, many=True).data))


def test_plain_dicts_equal_the_serializers():
    translator, editor = make_user("translator", ["en", "ko"]), make_user("editor")
    document = document_with_rows(12)
    fill(document, translator, editor)
    # a span over two segments, a score, findings with a detail, an effort and no author
    one, two = Translation.objects.filter(
        document=document, language="en", first_position__in=[3, 4], retired_at__isnull=True
    ).order_by("first_position")
    merged = alignment_services.translation_merge(
        first=one, second=two, first_version=one.version, second_version=two.version, actor=editor
    )
    t = Translation.objects.filter(document=document, status="approved").first()
    Translation.objects.filter(pk=t.pk).update(
        score=0.5,
        findings=[{"code": "numbers", "severity": "error", "message": "2 is missing", "detail": {"n": [2]}}],
        effort={"ter": 12.5, "chrf": 80, "num_edits": 3, "changed": True},
        author=None,
        updated_by=None,
    )
    for translation in Translation.objects.filter(document=document).select_related("author", "updated_by"):
        assert translation_data(translation) == TranslationSerializer(translation).data
    languages = ["en", "ko"]
    client = api_client(editor)
    url = f"/api/v1/documents/{document.pk}/segments/"
    page = client.get(url, {"page_size": 500}).json()["results"]
    segments = list(Segment.objects.filter(document=document).order_by("position"))
    assert page == serialized(segments, languages)
    assert [row["translations"]["en"]["id"] for row in page[3:5]] == [merged.pk, merged.pk]
    # a sparse filtered page (its rows far apart) finds each row's span, also one starting before it
    wanted = Translation.objects.filter(document=document, language="en", status="submitted", retired_at=None)
    submitted = sorted({p for t in wanted for p in range(t.first_position, t.last_position + 1)})
    rows, response = [], client.get(url, {"status_en": "submitted", "page_size": 2})
    while True:
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            break
        response = client.get(body["next"])
    assert [row["position"] for row in rows] == submitted
    assert rows == serialized([s for s in segments if s.position in submitted], languages)


@pytest.mark.parametrize(
    "positions",
    [
        list(range(40)),  # a run from the top
        list(range(5, 25)),  # a run whose first row is inside a span starting before it
        [6, 200, 201],  # far apart: read position by position
        [0, 7, 150, 259],
        [259],
    ],
)
def test_page_spans_are_the_covering_live_spans(positions):
    translator, editor = make_user("translator", ["en", "ko"]), make_user("editor")
    document = document_with_rows(260)
    for first, last in [(0, 0), (1, 2), (4, 9), (150, 150), (199, 210), (259, 259)]:
        services.translation_create(
            document=document,
            language="en",
            first_position=first,
            last_position=last,
            text=f"en {first}",
            actor=translator,
        )
    services.translation_create(
        document=document, language="ko", first_position=3, last_position=7, text="ko", actor=editor
    )
    retired = Translation.objects.get(document=document, language="en", first_position=150)
    Translation.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    covering = selectors.page_spans(document.pk, positions, ["en", "ko"])
    expected = {
        (position, language): pk
        for position in positions
        for language in ("en", "ko")
        for pk in selectors.live_translations(document.pk, language)
        .filter(first_position__lte=position, last_position__gte=position)
        .values_list("pk", flat=True)
    }
    assert {key: span.pk for key, span in covering.items()} == expected
    assert expected  # every case shows some span
    span = next(iter(covering.values()))
    instance = Translation.objects.select_related("author", "updated_by").get(pk=span.pk)
    assert (span.text, span.version, span.author_name, span.updated_at) == (
        instance.text,
        instance.version,
        instance.author.username,
        instance.updated_at,
    )


@pytest.mark.parametrize("text", ["a", "Hi.", "문장 1.", "Sentence number 12 is here.", "。", "x" * 300])
def test_the_effort_of_an_unchanged_text_is_what_sacrebleu_gives(text):
    from quality import edit_effort

    for language in ("en", "ko"):
        measured = edit_effort(text, text, target_lang=language)
        assert {key: measured[key] for key in assessment.UNCHANGED_EFFORT} == assessment.UNCHANGED_EFFORT


def test_html_and_json_are_compressed_when_asked():
    import gzip
    import json

    editor = make_user("editor")
    document = document_with_rows(40)
    client = api_client(editor)
    for url in [reverse("editor:editor", args=[document.pk]), f"/api/v1/documents/{document.pk}/segments/"]:
        plain = client.get(url)
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in plain
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
        assert len(packed.content) < len(plain.content) / 2
        if url.startswith("/api/"):
            assert json.loads(gzip.decompress(packed.content)) == plain.json()
