"""Reads that the browser views and the API share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet, Subquery, Sum

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


def attach_translations(document_id: int, segments: list, languages: list[str] | None = None) -> None:
    """Set ``segment.translations`` (language -> covering live Translation or None), in one query."""
    languages = languages or list(settings.WORKBENCH_TARGET_LANGUAGES)
    for segment in segments:
        segment.translations = dict.fromkeys(languages)
    if not segments:
        return
    low = min(segment.position for segment in segments)
    high = max(segment.position for segment in segments)
    # Bounded on both ends: the spans starting inside the page, plus per language the one span that
    # starts before it and may run into it (an index read backwards from ``low``). Asking only
    # "last >= low" would read every span after the page.
    starting_before = Q()
    for language in languages:
        before = (
            live_translations(document_id, language)
            .filter(first_position__lt=low)
            .order_by("-first_position")
            .values("pk")[:1]
        )
        starting_before |= Q(pk=Subquery(before), last_position__gte=low)
    spans = (
        live_translations(document_id)
        .filter(Q(first_position__gte=low, first_position__lte=high) | starting_before)
        .filter(language__in=languages)
        .select_related("updated_by", "author")
        .order_by("language", "first_position")
    )
    by_language: dict[str, list[Translation]] = defaultdict(list)
    for translation in spans:
        by_language[translation.language].append(translation)
    for segment in segments:
        for language in languages:
            for translation in by_language[language]:
                if translation.first_position <= segment.position <= translation.last_position:
                    segment.translations[language] = translation
                    break


@dataclass
class EditorCell:
    """One translation cell of the editor: a live span, or an untranslated segment."""

    language: str
    translation: Translation | None
    first: int
    last: int
    rowspan: int = 1
    actions: dict = field(default_factory=dict)  # action -> offered (set by the view from the workflow)
    error_findings: list = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.translation.status if self.translation else "untranslated"


@dataclass
class EditorRow:
    segment: object
    cells: list[EditorCell | None]  # None: covered by a span that starts on an earlier row


def editor_rows(segments: list, languages: list[str]) -> list[EditorRow]:
    """Rows for the editor table; a span covering several shown rows is one cell with a rowspan."""
    rows: list[EditorRow] = []
    open_cells: dict[str, EditorCell | None] = dict.fromkeys(languages)
    for segment in segments:
        cells: list[EditorCell | None] = []
        for language in languages:
            translation = segment.translations.get(language)
            current = open_cells[language]
            if (
                translation is not None
                and current is not None
                and current.translation is not None
                and current.translation.pk == translation.pk
            ):
                current.rowspan += 1
                cells.append(None)
                continue
            if translation is None:
                cell = EditorCell(language, None, segment.position, segment.position)
            else:
                cell = EditorCell(
                    language, translation, translation.first_position, translation.last_position
                )
            open_cells[language] = cell
            cells.append(cell)
        rows.append(EditorRow(segment, cells))
    return rows


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
