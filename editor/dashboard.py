"""The editor's dashboard of one document: progress per language over time, findings by code,
post-editing effort per translator, review turnaround. Reads only; charts are SVG and CSS drawn by the
template from the numbers computed here (no chart library, no CDN).

Progress over time is replayed from the append-only history: every revision carries its
translation's status and span after the change, so the state at any moment is the last revision of
each translation up to then (a ``retire`` revision ends it). The replay reads the document's
revisions once (a few per translation).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from corpus import permissions, selectors
from corpus.models import Document, Revision

POINTS = 24  # samples on the time axis
CHART_WIDTH, CHART_HEIGHT = 560, 140
STATUS_ORDER = ["approved", "submitted", "draft", "rejected"]


def progress_over_time(document: Document, languages: list[str], now: datetime | None = None) -> dict:
    """language -> {"points": [(time, {status: segments})], "segments": n} from the revisions."""
    now = now or timezone.now()
    segments = document.segment_count  # kept by a trigger on the segments
    revisions = list(
        Revision.objects.filter(translation__document=document, translation__language__in=languages)
        .order_by("id")
        .values_list(
            "translation_id",
            "translation__language",
            "action",
            "status",
            "first_position",
            "last_position",
            "created_at",
        )
    )
    result = {language: {"segments": segments, "points": []} for language in languages}
    if not revisions:
        return result
    start = revisions[0][6]
    span = max(now - start, timedelta(minutes=1))
    times = [start + span * step / (POINTS - 1) for step in range(POINTS)]
    state: dict[int, tuple[str, str, int]] = {}
    index = 0
    for moment in times:
        while index < len(revisions) and revisions[index][6] <= moment:
            translation, language, action, status, first, last, _ = revisions[index]
            if action == Revision.Action.RETIRE:
                state.pop(translation, None)
            else:
                state[translation] = (language, status, last - first + 1)
            index += 1
        counts: dict[str, dict[str, int]] = {language: defaultdict(int) for language in languages}
        for language, status, size in state.values():
            counts[language][status] += size
        for language in languages:
            result[language]["points"].append((moment, dict(counts[language])))
    return result


def chart(series: dict, segments: int) -> dict:
    """SVG geometry for a stacked area chart of segments by status (approved at the bottom)."""
    points = series["points"]
    if not points or not segments:
        return {"areas": [], "width": CHART_WIDTH, "height": CHART_HEIGHT}
    step = CHART_WIDTH / max(1, len(points) - 1)
    # the y axis ends a little above the most segments ever covered (a young document's curve is
    # visible), never above the document's size
    peak = max(sum(counts.values()) for _, counts in points)
    scale = min(segments, max(10, -(-int(peak * 1.2) // 10) * 10))
    areas = []
    below = [0] * len(points)
    for status in STATUS_ORDER:
        top = [below[i] + counts.get(status, 0) for i, (_, counts) in enumerate(points)]
        if any(top[i] != below[i] for i in range(len(points))):
            upper = [
                f"{i * step:.1f},{CHART_HEIGHT - CHART_HEIGHT * top[i] / scale:.1f}"
                for i in range(len(points))
            ]
            lower = [
                f"{i * step:.1f},{CHART_HEIGHT - CHART_HEIGHT * below[i] / scale:.1f}"
                for i in reversed(range(len(points)))
            ]
            areas.append({"status": status, "points": " ".join(upper + lower), "last": top[-1] - below[-1]})
        below = top
    return {
        "areas": areas,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "start": points[0][0],
        "end": points[-1][0],
        "done": round(100 * below[-1] / segments, 1),
        "scale": scale,
    }


def effort_by_translator(document: Document) -> list[dict]:
    """Average post-editing effort (first version to current: TER and chrF) per author and language."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(u.username, 'import'), t.language, count(*),
                   avg((t.effort->>'ter')::float), avg((t.effort->>'chrf')::float),
                   avg((t.review_effort->>'ter')::float) FILTER (WHERE t.review_effort IS NOT NULL)
            FROM corpus_translation t LEFT JOIN auth_user u ON u.id = t.author_id
            WHERE t.document_id = %s AND t.retired_at IS NULL AND t.effort IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
            [document.pk],
        )
        rows = cursor.fetchall()
    return [
        {
            "translator": name,
            "language": language,
            "translations": count,
            "ter": None if ter is None else round(ter, 1),
            "chrf": None if chrf is None else round(chrf, 1),
            "review_ter": None if review is None else round(review, 1),
            "bar": min(100.0, ter or 0.0),
        }
        for name, language, count, ter, chrf, review in rows
    ]


def review_turnaround(document: Document) -> list[dict]:
    """Time from entering "submitted" to the editor's approve or reject, per language and reviewer."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH marked AS (
                SELECT r.translation_id, r.id, r.action, r.created_at, r.actor_id, t.language,
                       CASE WHEN r.status = 'submitted'
                             AND lag(r.status) OVER w IS DISTINCT FROM 'submitted' THEN r.created_at END AS entered
                FROM corpus_revision r JOIN corpus_translation t ON t.id = r.translation_id
                WHERE t.document_id = %s
                WINDOW w AS (PARTITION BY r.translation_id ORDER BY r.id)
            ), filled AS (
                SELECT *, max(entered) OVER (PARTITION BY translation_id ORDER BY id
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS since
                FROM marked
            )
            SELECT f.language, coalesce(u.username, '?'), f.action, extract(epoch FROM f.created_at - f.since)
            FROM filled f LEFT JOIN auth_user u ON u.id = f.actor_id
            WHERE f.action IN ('approve', 'reject') AND f.since IS NOT NULL
            """,
            [document.pk],
        )
        rows = cursor.fetchall()
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    decisions: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for language, reviewer, action, seconds in rows:
        for key in ((language, "all reviewers"), (language, reviewer)):
            groups[key].append(float(seconds))
            decisions[key][action] += 1
    longest = max((max(values) for values in groups.values()), default=0) or 1
    result = []
    for (language, reviewer), values in sorted(
        groups.items(), key=lambda item: (item[0][0], item[0][1] != "all reviewers", item[0][1])
    ):
        ordered = sorted(values)
        median = statistics.median(ordered)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        result.append(
            {
                "language": language,
                "reviewer": reviewer,
                "reviews": len(values),
                "approved": decisions[(language, reviewer)]["approve"],
                "rejected": decisions[(language, reviewer)]["reject"],
                "median": duration(median),
                "p90": duration(p90),
                "median_bar": 100 * median / longest,
                "p90_bar": 100 * p90 / longest,
            }
        )
    return result


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def findings_by_code(metrics: list[dict]) -> list[dict]:
    """Rows of (code, count per language) with bar widths relative to the largest count."""
    codes = sorted({code for entry in metrics for code in entry["checks"]})
    largest = max((count for entry in metrics for count in entry["checks"].values()), default=0) or 1
    return [
        {
            "code": code,
            "counts": [
                {
                    "language": entry["language"],
                    "count": entry["checks"].get(code, 0),
                    "bar": 100 * entry["checks"].get(code, 0) / largest,
                }
                for entry in metrics
            ],
        }
        for code in codes
    ]


@require_GET
def dashboard(request, document_id: int):
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=document_id)
    if not permissions.is_editor(request.user):
        raise PermissionDenied("Only editors see the dashboard.")
    languages = list(settings.WORKBENCH_TARGET_LANGUAGES)
    metrics = [selectors.document_metrics(document, language) for language in languages]
    over_time = progress_over_time(document, languages)
    charts = [
        {
            "language": language,
            "metrics": entry,
            **chart(over_time[language], over_time[language]["segments"]),
        }
        for language, entry in zip(languages, metrics, strict=True)
    ]
    return render(
        request,
        "editor/dashboard.html",
        {
            "document": document,
            "charts": charts,
            "statuses": STATUS_ORDER,
            "findings": findings_by_code(metrics),
            "effort": effort_by_translator(document),
            "turnaround": review_turnaround(document),
        },
    )
