"""Reads that the browser views and the API share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, QuerySet, Sum

from corpus.models import Document, Translation

STATUSES = [choice.value for choice in Translation.Status]


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
        order = ["approved", "submitted", "draft", "rejected"]
        parts = [(status, self.percent(status), self.segments_by_status.get(status, 0)) for status in order]
        return [*parts, ("untranslated", self.percent("untranslated"), self.untranslated)]


def documents_with_stats(user) -> QuerySet[Document]:
    return (
        Document.objects.visible_to(user)
        .annotate(segment_count=Count("segments"), word_count=Sum("segments__words"), char_count=Sum("segments__chars"))
        .order_by("id")
    )


def language_progress(documents: list[Document]) -> None:
    """Attach ``progress`` (language -> LanguageProgress) to each document, in one query for all."""
    ids = [document.pk for document in documents]
    rows: dict[int, dict[str, LanguageProgress]] = defaultdict(dict)
    for document in documents:
        for language in settings.WORKBENCH_TARGET_LANGUAGES:
            rows[document.pk][language] = LanguageProgress(language, document.segment_count or 0)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT t.document_id, t.language, t.status, count(DISTINCT t.id), count(s.id), coalesce(sum(s.words), 0)
                FROM corpus_translation t
                JOIN corpus_segment s ON s.document_id = t.document_id
                     AND s.position BETWEEN t.first_position AND t.last_position
                WHERE t.retired_at IS NULL AND t.document_id = ANY(%s)
                GROUP BY 1, 2, 3
                """,
                [ids],
            )
            for document_id, language, status, count, segments, word_sum in cursor.fetchall():
                progress = rows[document_id].get(language)
                if progress is None:
                    continue
                progress.counts[status] = count
                progress.segments_by_status[status] = segments
                progress.words_by_status[status] = int(word_sum)
    for document in documents:
        document.progress = rows[document.pk]
