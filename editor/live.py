"""The live document: every open editor polls "what changed since my cursor, and who is here".

Transport: a poll every ``POLL_SECONDS`` from each open tab (see README, "The editor"). gunicorn's
threaded workers stay the right server: a poll holds no connection and costs three small indexed
queries (plus the session's), whatever the document's size.

The cursor is the one the export path uses (exchange.exports): a PostgreSQL snapshot. Every
translation row carries ``change_xid``, the transaction that last wrote it (a trigger stamps it;
retiring a span on alignment apply, merge or split is a write too). The rows of this document whose
writer is not visible in the cursor's snapshot are exactly what changed since; the answer carries
their spans and a new cursor taken in the same statement, so nothing committed in between is missed
(at worst a change is reported twice, which re-renders a row twice).

The answer names the changed spans and the *regions* of rows to re-render: the changed spans,
merged, widened to whole live spans so that a re-rendered block never cuts a rowspan. The tab fetches
each region through the rows endpoint (``?after=&until=``) with its own filters, and leaves the cell
its user is typing in alone (editor.js / live.js).

Presence: each poll upserts the tab's row (who, which cell is open) and reads the other fresh rows of
the document. A row not refreshed for ``PRESENCE_TTL_SECONDS`` is ignored and swept: a closed,
crashed or idle tab (live.js stops polling after ``IDLE_SECONDS`` without input) disappears by itself.
``pagehide`` also sends a beacon that removes it at once.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from corpus import selectors
from corpus.errors import InvalidInput
from corpus.models import Document, Presence
from exchange.exports import decode_cursor, encode_cursor

POLL_SECONDS = 2
PRESENCE_TTL_SECONDS = 10
IDLE_SECONDS = 300
TAB = re.compile(r"^[A-Za-z0-9_-]{8,32}$")


def document_for(request, document_id: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user), pk=document_id)


def cursor_now() -> str:
    """A cursor for "now": the page takes it before reading its rows, so no later change is missed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return encode_cursor(cursor.fetchone()[0])


def changes_since(document_id: int, since: str) -> tuple[str, list[dict]]:
    """(new cursor, spans of this document written since the ``since`` snapshot): one statement.

    ``change_xid >= xmin(since)`` bounds the scan with the change_xid index; the visibility test
    keeps the transactions that were still running when ``since`` was taken.
    """
    sql = """
        SELECT pg_current_snapshot()::text, t.language, t.first_position, t.last_position,
               t.retired_at IS NULL, t.version, t.status, u.username
        FROM (SELECT 1) AS one
        LEFT JOIN (corpus_translation t LEFT JOIN auth_user u ON u.id = t.updated_by_id)
          ON t.document_id = %s
         AND t.change_xid >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint
         AND NOT pg_visible_in_snapshot(t.change_xid::text::xid8, %s::pg_snapshot)
        ORDER BY t.first_position, t.language
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [document_id, since, since])
        rows = cursor.fetchall()
    changes = [
        {
            "language": language,
            "first": first,
            "last": last,
            "live": live,
            "version": version,
            "status": status,
            "by": by or "",
        }
        for _, language, first, last, live, version, status, by in rows
        if language is not None
    ]
    return rows[0][0], changes


def merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching intervals joined, in order."""
    merged: list[list[int]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(low, high) for low, high in merged]


def regions(document_id: int, changes: list[dict]) -> list[tuple[int, int]]:
    """Row ranges to re-render: the changed spans merged, widened to the live spans at their ends.

    One query, only when something changed. Live spans of a language never overlap, so after one
    widening the ends of a region are ends of spans in every language.
    """
    merged = merge([(change["first"], change["last"]) for change in changes])
    if not merged:
        return []
    ends = sorted({position for region in merged for position in region})
    covering = list(
        selectors.live_translations(document_id)
        .filter(first_position__lte=ends[-1], last_position__gte=ends[0])
        .values_list("first_position", "last_position")
    )
    widened = []
    for low, high in merged:
        for first, last in covering:
            if first <= low <= last or first <= high <= last:
                low, high = min(low, first), max(high, last)
        widened.append((low, high))
    return merge(widened)


def touch_presence(*, tab: str, user, document: Document, language: str, position: int | None) -> None:
    """Upsert the tab's presence row (one statement); a tab id is never taken over by another user."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Presence._meta.db_table} (tab, user_id, document_id, language, position, seen_at)
            VALUES (%s, %s, %s, %s, %s, now())
            ON CONFLICT (tab) DO UPDATE
               SET document_id = EXCLUDED.document_id, language = EXCLUDED.language,
                   position = EXCLUDED.position, seen_at = EXCLUDED.seen_at
             WHERE {Presence._meta.db_table}.user_id = EXCLUDED.user_id
            """,
            [tab, user.pk, document.pk, language, position],
        )


def present(*, document: Document, tab: str) -> list[dict]:
    """The other fresh tabs on the document, sweeping the document's expired rows in the same statement."""
    table = Presence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH swept AS (
                DELETE FROM {table} WHERE document_id = %s AND seen_at < now() - make_interval(secs => %s)
            )
            SELECT u.username, p.language, p.position, p.user_id
            FROM {table} p JOIN auth_user u ON u.id = p.user_id
            WHERE p.document_id = %s AND p.tab <> %s AND p.seen_at >= now() - make_interval(secs => %s)
            ORDER BY u.username, p.language, p.position
            """,
            [document.pk, PRESENCE_TTL_SECONDS, document.pk, tab, PRESENCE_TTL_SECONDS],
        )
        rows = cursor.fetchall()
    return [
        {"user": username, "language": language, "position": position, "user_id": user_id}
        for username, language, position, user_id in rows
    ]


@require_POST
def poll(request, document_id: int):
    """Changes since the tab's cursor, the regions to re-render, and who else is here."""
    document = document_for(request, document_id)
    tab = request.POST.get("tab", "")
    if not TAB.match(tab):
        return JsonResponse({"error": {"code": "invalid_tab", "message": "A tab id is needed."}}, status=400)
    language = request.POST.get("language", "")
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = None
    if language not in settings.WORKBENCH_TARGET_LANGUAGES or position is None:
        language, position = "", None
    touch_presence(tab=tab, user=request.user, document=document, language=language, position=position)
    try:
        since = decode_cursor(request.POST.get("cursor", ""))
    except InvalidInput:
        since = None
    if since is None:
        cursor, changes = cursor_now(), []
    else:
        snapshot, changes = changes_since(document.pk, since)
        cursor = encode_cursor(snapshot)
    others = present(document=document, tab=tab)
    for entry in others:
        entry["me"] = entry.pop("user_id") == request.user.pk
    response = JsonResponse(
        {
            "cursor": cursor,
            "changes": changes,
            "regions": regions(document.pk, changes),
            "present": others,
            "poll_seconds": POLL_SECONDS,
            "idle_seconds": IDLE_SECONDS,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def leave(request, document_id: int):
    """The tab is closing (``pagehide`` beacon): its presence goes at once, not after the TTL."""
    Presence.objects.filter(
        tab=request.POST.get("tab", ""), user=request.user, document_id=document_id
    ).delete()
    return JsonResponse({}, status=200)


@require_GET
def metrics(request, document_id: int):
    """The quality-metrics table, refreshed after every save, review or live change."""
    document = document_for(request, document_id)
    return render(
        request, "corpus/editor.html#metrics", {"document": document, "metrics": metrics_of(document)}
    )


def metrics_of(document: Document) -> list[dict]:
    entries = [
        selectors.document_metrics(document, language) for language in settings.WORKBENCH_TARGET_LANGUAGES
    ]
    for entry in entries:
        entry["translated_words"] = sum(entry["words_by_status"].values())
        entry["approved_words"] = entry["words_by_status"].get("approved", 0)
    return entries
