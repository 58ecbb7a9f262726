"""Reads that the browser views and the API share."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet, Sum

from corpus.models import Document, DocumentProgress, Revision, Segment, Translation

STATUSES = list(Translation.REVIEW_ORDER)
STATUS_FILTER_CHOICES = [*STATUSES, "untranslated"]
# Findings that come from outside quality's checks.
EXTRA_CHECK_CODES = {"alignment": "target sentences without source were joined to this unit by the aligner"}


@dataclass
class LanguageProgress:
    language: str
    segments: int
    counts: dict[str, int] = field(default_factory=dict)  # translations by status
    segments_by_status: dict[str, int] = field(default_factory=dict)  # segments covered, by status
    words_by_status: dict[str, int] = field(default_factory=dict)

    @property
    def untranslated(self) -> int:
        return self.segments - sum(self.segments_by_status.values())

    @property
    def translated_words(self) -> int:
        return sum(self.words_by_status.values())

    @property
    def approved_words(self) -> int:
        return self.words_by_status.get("approved", 0)

    def percent(self, status: str) -> float:
        if not self.segments:
            return 0.0
        if status == "untranslated":
            return 100.0 * self.untranslated / self.segments
        return 100.0 * self.segments_by_status.get(status, 0) / self.segments

    def bar(self) -> list[tuple[str, float, int]]:
        """(status, percent, segments) in the order a progress bar shows them."""
        order = reversed(Translation.REVIEW_ORDER)  # the most reviewed first
        parts = [(status, self.percent(status), self.segments_by_status.get(status, 0)) for status in order]
        return [*parts, ("untranslated", self.percent("untranslated"), self.untranslated)]


def documents_with_stats(user) -> QuerySet[Document]:
    """Visible documents; their segment, word and character totals are kept on the row (migration 0010)."""
    return Document.objects.visible_to(user).order_by("id")


def language_progress(documents: list[Document]) -> None:
    """Attach ``progress`` (language -> LanguageProgress) to each document, from the kept counters:
    one index read of a few rows per document, whatever its size."""
    ids = [document.pk for document in documents]
    rows: dict[int, dict[str, LanguageProgress]] = defaultdict(dict)
    for document in documents:
        for language in settings.WORKBENCH_TARGET_LANGUAGES:
            rows[document.pk][language] = LanguageProgress(language, document.segment_count or 0)
    if ids:
        for document_id, language, status, count, segments, words in DocumentProgress.objects.filter(
            document_id__in=ids, translations__gt=0
        ).values_list("document_id", "language", "status", "translations", "segments", "words"):
            progress = rows[document_id].get(language)
            if progress is None:
                continue
            progress.counts[status] = count
            progress.segments_by_status[status] = segments
            progress.words_by_status[status] = int(words)
    for document in documents:
        document.progress = rows[document.pk]


def length_norm_sums(language: str) -> tuple[int, float, float]:
    """(count, sum, sum of squares) of ln(target/source chars) over approved spans of ``language``,
    from the kept counters: one row per document, never a scan of the translations."""
    totals = DocumentProgress.objects.filter(language=language, status="approved").aggregate(
        n=Sum("norm_n"), total=Sum("norm_sum"), squares=Sum("norm_sumsq")
    )
    return int(totals["n"] or 0), float(totals["total"] or 0.0), float(totals["squares"] or 0.0)


def live_translations(document_id: int, language: str | None = None) -> QuerySet[Translation]:
    queryset = Translation.objects.filter(document_id=document_id, retired_at__isnull=True)
    return queryset.filter(language=language) if language else queryset


def _covering(language: str) -> QuerySet[Translation]:
    from django.db.models import OuterRef

    return Translation.objects.filter(
        document_id=OuterRef("document_id"),
        language=language,
        retired_at__isnull=True,
        first_position__lte=OuterRef("position"),
        last_position__gte=OuterRef("position"),
    )


def filter_segments(
    segments: QuerySet,
    *,
    statuses: dict[str, list[str]] | None = None,
    kind: str = "",
    source_text: str = "",
    target_text: str = "",
    target_language: str = "",
    check: str = "",
) -> QuerySet:
    """Filters of the segments list (API and editor): status per language, kind, text in source or target.

    ``statuses`` maps a language to the statuses wanted; ``untranslated`` means no live span covers it.
    """
    from django.db.models import Exists, Q

    for language, wanted in (statuses or {}).items():
        wanted = [status for status in wanted if status]
        if not wanted:
            continue
        condition = Q()
        real = [status for status in wanted if status != "untranslated"]
        if real:
            condition |= Q(Exists(_covering(language).filter(status__in=real)))
        if "untranslated" in wanted:
            condition |= ~Q(Exists(_covering(language)))
        segments = segments.filter(condition)
    if check:
        languages = [target_language] if target_language else list(settings.WORKBENCH_TARGET_LANGUAGES)
        condition = Q()
        for language in languages:
            covering = _covering(language)
            covering = (
                covering.exclude(check_codes=[])
                if check == "any"
                else covering.filter(check_codes__contains=[check])
            )
            condition |= Q(Exists(covering))
        segments = segments.filter(condition)
    if kind:
        segments = segments.filter(kind=kind)
    if source_text:
        segments = segments.filter(text__icontains=source_text)
    if target_text:
        languages = [target_language] if target_language else list(settings.WORKBENCH_TARGET_LANGUAGES)
        condition = Q()
        for language in languages:
            condition |= Q(Exists(_covering(language).filter(text__icontains=target_text)))
        segments = segments.filter(condition)
    return segments


@dataclass(slots=True)
class PageSpan:
    """A live translation as a page of rows reads it: one SQL row, no model instance (a page of 100
    rows in two languages built 700 model instances, a third of the API page's time)."""

    id: int
    document_id: int
    language: str
    first_position: int
    last_position: int
    text: str
    status: str
    version: int
    origin: str
    score: float | None
    comment: str
    author_id: int | None
    author_name: str | None
    updated_by_id: int | None
    updated_by_name: str | None
    updated_at: datetime
    created_at: datetime
    findings: list
    effort: dict | None
    review_effort: dict | None

    @property
    def pk(self) -> int:
        return self.id


_SPAN_COLUMNS = """t.id, t.document_id, t.language, t.first_position, t.last_position, t.text, t.status,
       t.version, t.origin, t.score, t.comment, t.author_id, a.{username}, t.updated_by_id, u.{username},
       t.updated_at, t.created_at, t.findings::text, t.effort::text, t.review_effort::text"""

# A run of rows (the page unfiltered, or nearly): the spans starting inside it (one index range read of
# translation_live_span) and, per language, the one span starting before it that may run into it (an
# index read backwards). Bounded on both ends: never every span after the page.
_SPANS_OF_A_RUN = """
SELECT {columns}
FROM (
    SELECT * FROM corpus_translation c
    WHERE c.document_id = %(document)s AND c.language = ANY(%(languages)s) AND c.retired_at IS NULL
      AND c.first_position BETWEEN %(low)s AND %(high)s
    UNION ALL
    SELECT b.* FROM unnest(%(languages)s::text[]) AS l(language)
    JOIN LATERAL (
        SELECT * FROM corpus_translation c
        WHERE c.document_id = %(document)s AND c.language = l.language AND c.retired_at IS NULL
          AND c.first_position < %(low)s
        ORDER BY c.first_position DESC
        LIMIT 1
    ) b ON b.last_position >= %(low)s
) t
LEFT JOIN {users} a ON a.id = t.author_id
LEFT JOIN {users} u ON u.id = t.updated_by_id
"""

# Rows far apart (a filtered page of a long document): per shown position and language, the one span
# starting at or before it (an index read backwards), kept when it reaches the position. Bounded by the
# page's rows however far apart they are; planning it costs about 1 ms, so runs use the query above.
_SPANS_OF_POSITIONS = """
SELECT DISTINCT ON (t.id) {columns}
FROM unnest(%(positions)s::integer[]) AS p(position)
CROSS JOIN unnest(%(languages)s::text[]) AS l(language)
JOIN LATERAL (
    SELECT * FROM corpus_translation c
    WHERE c.document_id = %(document)s AND c.language = l.language AND c.retired_at IS NULL
      AND c.first_position <= p.position
    ORDER BY c.first_position DESC
    LIMIT 1
) t ON t.last_position >= p.position
LEFT JOIN {users} a ON a.id = t.author_id
LEFT JOIN {users} u ON u.id = t.updated_by_id
ORDER BY t.id
"""
# A page whose rows spread over at most this many positions per row is read as a run.
_RUN_SPREAD = 4


def page_spans(
    document_id: int, positions: list[int], languages: list[str]
) -> dict[tuple[int, str], PageSpan]:
    """(position, language) -> the live span covering it, for the shown positions, in one query."""
    if not positions or not languages:
        return {}
    low, high = min(positions), max(positions)
    run = high - low + 1 <= _RUN_SPREAD * len(positions)
    users = get_user_model()
    names = {
        "users": connection.ops.quote_name(users._meta.db_table),
        "username": connection.ops.quote_name(users._meta.get_field(users.USERNAME_FIELD).column),
    }
    sql = (_SPANS_OF_A_RUN if run else _SPANS_OF_POSITIONS).format(
        columns=_SPAN_COLUMNS.format(**names), **names
    )
    params = {"document": document_id, "languages": list(languages), "low": low, "high": high}
    if not run:
        params["positions"] = sorted(set(positions))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_language: dict[str, list[PageSpan]] = defaultdict(list)
    for pk, *columns, findings, effort, review_effort in rows:
        # the JSON columns are read as text: json.loads is cheaper than the driver's typecaster
        span = PageSpan(pk, *columns, _json(findings) or [], _json(effort), _json(review_effort))
        by_language[span.language].append(span)
    covering: dict[tuple[int, str], PageSpan] = {}
    for language, spans in by_language.items():
        spans.sort(key=lambda span: span.first_position)
        firsts = [span.first_position for span in spans]
        for position in positions:
            at = bisect_right(firsts, position) - 1
            if at >= 0 and spans[at].last_position >= position:
                covering[position, language] = spans[at]
    return covering


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def parse_segment_filters(params) -> dict:
    """The segment filters of a query string (API and editor share them); unknown values are refused."""
    from corpus.errors import InvalidInput
    from corpus.models import Segment

    reject_nul(params)
    statuses = {}
    for language in settings.WORKBENCH_TARGET_LANGUAGES:
        raw = params.get(f"status_{language}", "")
        wanted = [value.strip() for value in raw.split(",") if value.strip()]
        unknown = sorted(set(wanted) - set(STATUS_FILTER_CHOICES))
        if unknown:
            raise InvalidInput(
                f"Unknown status {', '.join(unknown)} (known: {', '.join(STATUS_FILTER_CHOICES)}).",
                detail={"field": f"status_{language}"},
            )
        statuses[language] = wanted
    kind = params.get("kind", "")
    if kind and kind not in Segment.Kind.values:
        raise InvalidInput(f"Unknown kind '{kind}' (known: heading, body).", detail={"field": "kind"})
    target_language = params.get("target_language", "")
    check = params.get("check", "")
    if check and check != "any":
        from quality import CHECK_CODES

        if check not in CHECK_CODES and check not in EXTRA_CHECK_CODES:
            raise InvalidInput(
                f"Unknown check '{check}' (known: any, {', '.join(sorted({*CHECK_CODES, *EXTRA_CHECK_CODES}))}).",
                detail={"field": "check"},
            )
    return {
        "check": check,
        "statuses": statuses,
        "kind": kind,
        "source_text": params.get("q", "")[:200],
        "target_text": params.get("q_target", "")[:200],
        "target_language": target_language if target_language in settings.WORKBENCH_TARGET_LANGUAGES else "",
    }


def document_metrics(document: Document, language: str) -> dict:
    """Counts and words by status, findings by check code, average effort: a handful of queries."""
    language_progress([document])
    progress = document.progress[language]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT code, count(*) FROM corpus_translation t, unnest(t.check_codes) AS code
            WHERE t.document_id = %s AND t.language = %s AND t.retired_at IS NULL
            GROUP BY code ORDER BY code
            """,
            [document.pk, language],
        )
        checks = dict(cursor.fetchall())
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE effort IS NOT NULL),
                   avg((effort->>'ter')::float), avg((effort->>'chrf')::float),
                   count(*) FILTER (WHERE review_effort IS NOT NULL),
                   avg((review_effort->>'ter')::float), avg((review_effort->>'chrf')::float),
                   count(*) FILTER (WHERE cardinality(check_codes) > 0)
            FROM corpus_translation
            WHERE document_id = %s AND language = %s AND retired_at IS NULL
            """,
            [document.pk, language],
        )
        n, ter, chrf, rn, rter, rchrf, with_findings = cursor.fetchone()
    return {
        "document": document.pk,
        "language": language,
        "segments": progress.segments,
        "untranslated_segments": progress.untranslated,
        "translations": progress.counts,
        "segments_by_status": progress.segments_by_status,
        "words_by_status": progress.words_by_status,
        "translations_with_findings": with_findings or 0,
        "checks": checks,
        "effort": {"translations": n or 0, "ter": _round(ter), "chrf": _round(chrf)},
        "review_effort": {"translations": rn or 0, "ter": _round(rter), "chrf": _round(rchrf)},
    }


def _round(value):
    return None if value is None else round(float(value), 2)


def reject_nul(params) -> None:
    """PostgreSQL text cannot hold NUL: a parameter with one is a clear 400, not a server error."""
    from corpus.errors import InvalidInput

    for key in params:
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        if any("\x00" in str(value) for value in values):
            raise InvalidInput(f"The parameter '{key}' contains a NUL character.", detail={"field": key})


def lineage(translation_id: int) -> list[int]:
    """The translation and every translation it replaced (alignment, merge, split), transitively."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE lineage(id) AS (
                SELECT %s::bigint
                UNION
                SELECT unnest(t.replaces) FROM corpus_translation t JOIN lineage l ON t.id = l.id
            )
            SELECT id FROM lineage
            """,
            [translation_id],
        )
        return [row[0] for row in cursor.fetchall()]


def history(translation: Translation) -> QuerySet:
    """Revisions of the translation and of everything it replaced, newest first: nothing replaced
    is out of reach."""
    ids = lineage(translation.pk)
    return Revision.objects.filter(translation_id__in=ids).order_by("-created_at", "-id")


def span_source(document_id: int, first: int, last: int) -> str:
    """The source side of a span: its segments' text joined as Chinese reads (no separator)."""
    texts = Segment.objects.filter(document_id=document_id, position__range=(first, last)).order_by(
        "position"
    )
    return "".join(texts.values_list("text", flat=True))


def span_source_sql(translation: str) -> str:
    """``span_source`` as an SQL expression, for a query that reads the translation aliased
    ``translation`` anyway (the kernel's lock before a save reads the row and its source at once)."""
    return (
        f"(SELECT coalesce(string_agg(s.text, '' ORDER BY s.position), '') FROM {Segment._meta.db_table} s"
        f" WHERE s.document_id = {translation}.document_id"
        f" AND s.position BETWEEN {translation}.first_position AND {translation}.last_position)"
    )


def span_sources(document_id: int, spans: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The source text of many spans of one document in one query."""
    if not spans:
        return {}
    low = min(first for first, _ in spans)
    high = max(last for _, last in spans)
    texts = dict(
        Segment.objects.filter(document_id=document_id, position__range=(low, high)).values_list(
            "position", "text"
        )
    )
    return {(first, last): "".join(texts[p] for p in range(first, last + 1)) for first, last in spans}
