"""Export jobs: aligned bilingual units streamed from one consistent snapshot.

Units are live translation spans; the source side is the text of the covered segments joined as the
source reads. For en-ko the unit is the smallest source range where an English run of spans and a
Korean run of spans both begin and end, each side's translations in that range joined.

Every export runs in one REPEATABLE READ, READ ONLY transaction, so it sees one snapshot. TSV, TMX,
XLIFF 1.2 and JSONL are formatted by PostgreSQL (``exchange.export_sql``) and streamed by COPY; XLIFF
2.0 reads unit rows through a server-side (named) cursor into its writer. Either way memory does not
grow with the export.

Incremental exports: the cursor an export returns is that transaction's snapshot
(``pg_current_snapshot()``). Every translation row carries the id of the transaction that last wrote
it (``change_xid``, stamped by a trigger). An export "since" a cursor returns exactly the units whose
rows were written by transactions *not visible* in that snapshot: a change that committed while the
previous export was running was invisible to it, so it comes next time; a change it saw never comes
again. Timestamps cannot give that guarantee; commit visibility does.
"""

from __future__ import annotations

import base64
import binascii
import json
import queue
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

from django.conf import settings
from django.db import connection, transaction

from corpus.cursors import CURSOR_PREFIX, encode_cursor
from corpus.errors import InvalidInput
from exchange import export_sql
from exchange.formats import EXTENSIONS, TSV_COLUMNS, WRITERS, ExportUnit
from translations import workflow

PAIRS = {"zh-en": ("zh", "en"), "zh-ko": ("zh", "ko"), "en-ko": ("en", "ko")}
STATUSES = frozenset(workflow.STATUS_ORDER)
FETCH = 2000

SNAPSHOT = re.compile(r"^\d+:\d+:(\d+(,\d+)*)?$")


@dataclass(frozen=True)
class ExportRequest:
    pair: str
    format: str
    statuses: tuple[str, ...] = ("approved",)
    documents: tuple[int, ...] = ()
    since: str | None = None  # a snapshot, decoded from the cursor

    @property
    def languages(self) -> tuple[str, str]:
        return PAIRS[self.pair]


def decode_cursor(cursor: str) -> str:
    if not cursor.startswith(CURSOR_PREFIX):
        raise InvalidInput("The cursor is not one this workbench returned.", detail={"field": "since"})
    body = cursor[len(CURSOR_PREFIX) :]
    try:
        snapshot = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("The cursor is damaged.", detail={"field": "since"}) from None
    if not SNAPSHOT.match(snapshot) or not _valid_snapshot(snapshot):
        raise InvalidInput("The cursor is damaged.", detail={"field": "since"})
    return snapshot


def _valid_snapshot(snapshot: str) -> bool:
    """What PostgreSQL's pg_snapshot input accepts: 0 < xmin <= xmax, xmin <= xip < xmax, ascending.

    Checked here so that a damaged cursor is a 400 before streaming, not a database error mid-stream.
    """
    xmin, xmax, xip = snapshot.split(":")
    values = [int(xmin), int(xmax), *(int(value) for value in xip.split(",") if value)]
    if any(value >= 2**63 for value in values) or not 0 < values[0] <= values[1]:
        return False
    previous = values[0]
    for value in values[2:]:
        if not previous <= value < values[1]:
            return False
        previous = value
    return True


def export_request(
    *, pair: str, format: str, status: str = "approved", documents=(), since: str | None = None
) -> ExportRequest:
    """Validate the parameters of an export (API and command share this)."""
    if pair not in PAIRS:
        raise InvalidInput(f"Unknown pair '{pair}' (known: {', '.join(PAIRS)}).", detail={"field": "pair"})
    if format not in WRITERS:
        raise InvalidInput(
            f"Unknown format '{format}' (known: {', '.join(WRITERS)}).", detail={"field": "format"}
        )
    for language in PAIRS[pair]:
        if language != "zh" and language not in settings.WORKBENCH_TARGET_LANGUAGES:
            raise InvalidInput(
                f"Language '{language}' is not a target language here.", detail={"field": "pair"}
            )
    if status == "any":
        statuses = tuple(sorted(STATUSES))
    else:
        statuses = tuple(sorted({value.strip() for value in status.split(",") if value.strip()}))
        unknown = set(statuses) - STATUSES
        if unknown or not statuses:
            known = ", ".join(sorted(STATUSES))
            raise InvalidInput(
                f"Unknown status '{status}' (known: any, {known}).", detail={"field": "status"}
            )
    try:
        document_ids = tuple(sorted({int(value) for value in documents}))
    except (TypeError, ValueError):
        raise InvalidInput(
            "Documents are given by their numeric ids.", detail={"field": "document"}
        ) from None
    if document_ids:
        from corpus.models import Document

        missing = sorted(
            set(document_ids) - set(Document.objects.filter(pk__in=document_ids).values_list("pk", flat=True))
        )
        if missing:
            raise InvalidInput(
                f"No document with id {', '.join(map(str, missing))}.", detail={"field": "document"}
            )
    snapshot = decode_cursor(since) if since else None
    return ExportRequest(pair=pair, format=format, statuses=statuses, documents=document_ids, since=snapshot)


def _filters(request: ExportRequest, alias: str = "t") -> tuple[str, list]:
    sql, params = [], []
    if request.documents:
        sql.append(f"{alias}.document_id = ANY(%s)")
        params.append(list(request.documents))
    return (" AND " + " AND ".join(sql)) if sql else "", params


def _since(request: ExportRequest, alias: str = "t") -> tuple[str, list]:
    if not request.since:
        return "", []
    return (
        f" AND {alias}.change_xid >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint"
        f" AND NOT pg_visible_in_snapshot({alias}.change_xid::text::xid8, %s::pg_snapshot)",
        [request.since, request.since],
    )


def source_pair_sql(request: ExportRequest) -> tuple[str, list]:
    """One row per zh-X unit, in document order (also what bench/export.py COPYs as the limit)."""
    _, target = request.languages
    extra, params = _filters(request)
    since, since_params = _since(request)
    sql = f"""
        SELECT t.document_id, d.title, t.first_position, t.last_position, t.text, t.status, t.version,
               t.updated_at,
               (SELECT string_agg(s.text, '' ORDER BY s.position) FROM corpus_segment s
                 WHERE s.document_id = t.document_id
                   AND s.position BETWEEN t.first_position AND t.last_position) AS source
        FROM corpus_translation t JOIN corpus_document d ON d.id = t.document_id
        WHERE t.retired_at IS NULL AND t.language = %s AND t.status = ANY(%s) AND t.text <> ''{extra}{since}
        ORDER BY t.document_id, t.first_position
    """
    return sql, [target, list(request.statuses), *params, *since_params]


def _named_cursor_rows(sql: str, params: list) -> Iterator[tuple]:
    connection.ensure_connection()
    with connection.connection.cursor(name="workbench_export") as cursor:
        cursor.itersize = FETCH
        cursor.execute(sql, params)
        yield from cursor


@dataclass
class Span:
    first: int
    last: int
    text: str
    status: str
    version: int
    updated_at: object
    changed: bool


def pivot_units(left: list[Span], right: list[Span]) -> Iterator[tuple[int, int, list[Span], list[Span]]]:
    """Group two sorted, non-overlapping span lists into the smallest ranges where both begin and end.

    A range where either side has a gap (an untranslated segment) gives no unit. This is the pivot's
    definition, in plain Python: exports run ``pivot_units_sql``, which tests hold equal to it.
    """
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        if a.first != b.first:
            if a.first < b.first:
                i += 1
            else:
                j += 1
            continue
        group_a, group_b = [a], [b]
        end_a, end_b = a.last, b.last
        i, j = i + 1, j + 1
        complete = True
        while end_a != end_b:
            if end_a < end_b:
                if i < len(left) and left[i].first == end_a + 1:
                    group_a.append(left[i])
                    end_a = left[i].last
                    i += 1
                else:
                    complete = False
                    break
            elif j < len(right) and right[j].first == end_b + 1:
                group_b.append(right[j])
                end_b = right[j].last
                j += 1
            else:
                complete = False
                break
        if complete:
            yield a.first, end_a, group_a, group_b


# A side made of several spans has the status of its least advanced one: statuses ranked in that order.
ORDER = "(ARRAY['rejected', 'draft', 'submitted', 'approved'])"
RANK = "array_position(ARRAY['rejected', 'draft', 'submitted', 'approved']::varchar[], status) - 1"


def pivot_units_sql(request: ExportRequest) -> tuple[str, list]:
    """One row per en-ko unit, in document order: ``pivot_units`` done by PostgreSQL in one query.

    A unit starts where both languages have a span starting (a common start) and ends at the first
    position at or after it where both have a span ending (a common end); it counts only when neither
    side has a gap in between. Gaps are found with run numbers: a language's spans are numbered by how
    many gaps precede them, and since run numbers only grow along a document, the smallest run number
    of the common ends after a start is that of the first one. Each span then finds its unit as the last
    unit start at or before it. Also what bench/export.py COPYs as the en-ko limit; a test holds its units
    equal to ``pivot_units``'.
    """
    source_lang, target_lang = request.languages
    extra, params = _filters(request)
    since = (
        "t.change_xid >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint"
        " AND NOT pg_visible_in_snapshot(t.change_xid::text::xid8, %s::pg_snapshot)"
        if request.since
        else "true"
    )
    since_params = [request.since, request.since] if request.since else []
    sql = f"""
        WITH spans AS (
            SELECT document_id, language, first_position, last_position, text, status, version, updated_at,
                   changed, sum(gap) OVER (PARTITION BY document_id, language ORDER BY first_position) AS run
            FROM (
                SELECT t.document_id, t.language, t.first_position, t.last_position, t.text, t.status,
                       t.version, t.updated_at, {since} AS changed,
                       CASE WHEN t.first_position = 1 + lag(t.last_position) OVER (
                           PARTITION BY t.document_id, t.language ORDER BY t.first_position)
                       THEN 0 ELSE 1 END AS gap
                FROM corpus_translation t
                WHERE t.retired_at IS NULL AND t.language = ANY(%s) AND t.text <> ''{extra}
            ) spans
        ),
        source AS (SELECT * FROM spans WHERE language = %s),
        target AS (SELECT * FROM spans WHERE language = %s),
        bounds AS (
            SELECT a.document_id, a.first_position AS position, 0 AS is_end, a.run AS source_run,
                   b.run AS target_run
            FROM source a JOIN target b ON b.document_id = a.document_id AND b.first_position = a.first_position
            UNION ALL
            SELECT a.document_id, a.last_position, 1, a.run, b.run
            FROM source a JOIN target b ON b.document_id = a.document_id AND b.last_position = a.last_position
        ),
        units AS (
            SELECT document_id, position AS first_position, end_position AS last_position
            FROM (
                SELECT *, min(position) FILTER (WHERE is_end = 1) OVER w AS end_position,
                       min(source_run) FILTER (WHERE is_end = 1) OVER w AS end_source_run,
                       min(target_run) FILTER (WHERE is_end = 1) OVER w AS end_target_run
                FROM bounds
                WINDOW w AS (PARTITION BY document_id ORDER BY position DESC, is_end DESC ROWS UNBOUNDED PRECEDING)
            ) bounds
            WHERE is_end = 0 AND source_run = end_source_run AND target_run = end_target_run
        ),
        placed AS (
            SELECT *, max(unit_first) OVER w AS unit_start, max(unit_last) OVER w AS unit_end
            FROM (
                SELECT document_id, first_position AS position, 0 AS is_span, first_position AS unit_first,
                       last_position AS unit_last, NULL AS language, NULL::int AS last_position, NULL AS text,
                       NULL AS status, NULL::int AS version, NULL::timestamptz AS updated_at, NULL::bool AS changed
                FROM units
                UNION ALL
                SELECT document_id, first_position, 1, NULL, NULL, language, last_position, text, status,
                       version, updated_at, changed
                FROM spans
            ) rows
            WINDOW w AS (PARTITION BY document_id ORDER BY position, is_span ROWS UNBOUNDED PRECEDING)
        ),
        grouped AS (
            SELECT document_id, unit_start, unit_end,
                   string_agg(text, ' ' ORDER BY position) FILTER (WHERE language = %s) AS source,
                   string_agg(text, ' ' ORDER BY position) FILTER (WHERE language = %s) AS text,
                   min({RANK}) FILTER (WHERE language = %s) AS source_rank,
                   min({RANK}) FILTER (WHERE language = %s) AS rank,
                   max(version) FILTER (WHERE language = %s) AS source_version,
                   max(version) FILTER (WHERE language = %s) AS version,
                   max(updated_at) AS updated_at
            FROM placed
            WHERE is_span = 1 AND last_position <= unit_end
            GROUP BY document_id, unit_start, unit_end
            HAVING bool_and(status = ANY(%s)) AND bool_or(changed)
        )
        SELECT g.document_id, d.title, g.unit_start AS first_position, g.unit_end AS last_position, g.source,
               g.text,
               {ORDER}[g.rank + 1] AS status, g.version, {ORDER}[g.source_rank + 1] AS source_status,
               g.source_version, g.updated_at
        FROM grouped g JOIN corpus_document d ON d.id = g.document_id
        ORDER BY g.document_id, g.unit_start
    """
    return sql, [
        *since_params,
        list(request.languages),
        *params,
        source_lang,
        target_lang,
        source_lang,
        target_lang,
        source_lang,
        target_lang,
        source_lang,
        target_lang,
        list(request.statuses),
    ]


def unit_rows_sql(request: ExportRequest) -> tuple[str, list]:
    """The export's unit rows (``exchange.export_sql``'s columns), for any pair, in document order."""
    if request.pair == "en-ko":
        return pivot_units_sql(request)
    inner, params = source_pair_sql(request)
    return (
        f"SELECT document_id, title, first_position, last_position, source, text, status, version,"
        f" NULL::text AS source_status, NULL::int AS source_version, updated_at FROM ({inner}) units",
        params,
    )


def _units(request: ExportRequest) -> Iterator[ExportUnit]:
    source_lang, target_lang = request.languages
    suffix = export_sql.unit_suffix(source_lang, target_lang)
    sql, params = unit_rows_sql(request)
    for (
        document_id,
        title,
        first,
        last,
        source,
        text,
        status,
        version,
        source_status,
        source_version,
        updated_at,
    ) in _named_cursor_rows(sql, params):
        yield ExportUnit(
            document_id=document_id,
            document_title=title,
            first_position=first,
            last_position=last,
            source_lang=source_lang,
            target_lang=target_lang,
            source_text=source or "",
            target_text=text,
            source_status=source_status,
            target_status=status,
            source_version=source_version,
            target_version=version,
            changed_at=updated_at,
            unit_id=f"d{document_id}:p{first}-{last}:{suffix}",
        )


def units(request: ExportRequest) -> Iterator[ExportUnit]:
    """The export's units as ``ExportUnit`` objects, for the writers that format in Python."""
    return _units(request)


def stream_export(request: ExportRequest) -> Iterator[bytes | str]:
    """A generator: the first item is the next cursor (str), then the file's bytes in chunks.

    The caller takes the cursor with ``next()`` (the transaction is open from then on) and streams the
    rest; closing the generator early ends the transaction, leaving nothing behind.

    TSV, TMX, XLIFF 1.2 and JSONL are formatted by PostgreSQL (``exchange.export_sql``) and streamed by
    COPY between the writer's own preamble and ending; XLIFF 2.0 goes through its writer.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_current_snapshot()::text")
            snapshot = cursor.fetchone()[0]
        cursor_value = encode_cursor(snapshot)
        yield cursor_value
        source_lang, target_lang = request.languages
        tool_version = _tool_version()
        units_sql = unit_rows_sql(request)
        if request.format == "tsv":
            yield ("\t".join(TSV_COLUMNS) + "\n").encode()
            yield from copy_lines(*export_sql.tsv_lines(units_sql, source_lang, target_lang))
            return
        if request.format in ("tmx", "xliff"):
            created_at = datetime.now(UTC)
            empty = b"".join(
                WRITERS[request.format](
                    iter(()),
                    source_lang=source_lang,
                    target_lang=target_lang,
                    cursor=cursor_value,
                    tool_version=tool_version,
                    created_at=created_at,
                )
            )
            if request.format == "tmx":
                lines = export_sql.tmx_lines(units_sql, source_lang, target_lang)
                cut = empty.index(b"<body>\n") + len(b"<body>\n")
                head, tail = empty[:cut], empty[cut:]
            else:
                lines = export_sql.xliff_lines(
                    units_sql,
                    source_lang,
                    target_lang,
                    cursor=cursor_value,
                    tool_version=tool_version,
                    date=created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                )
                cut = empty.index(b"<file ")
                head, tail = empty[:cut], b"</xliff>\n"
            yield head
            written = False
            for chunk in copy_lines(*lines):
                written = True
                yield chunk
            # No units: the writer's own ending (for XLIFF, with the one empty <file> it still needs).
            yield tail if written else empty[cut:]
            return
        if request.format == "jsonl":
            count = 0
            for chunk in copy_lines(*export_sql.jsonl_lines(units_sql, source_lang, target_lang)):
                count += chunk.count(b"\n")  # one line a unit: JSON escapes every newline in a value
                yield chunk
            yield (
                json.dumps({"next_cursor": cursor_value, "units": count}, separators=(",", ":")) + "\n"
            ).encode()
            return
        yield from WRITERS[request.format](
            units(request),
            source_lang=source_lang,
            target_lang=target_lang,
            cursor=cursor_value,
            tool_version=tool_version,
        )


COPY_CHUNK = 1 << 18  # bytes of COPY output per streamed chunk
_DONE = object()


class _CopySink:
    """The file COPY writes into (one call per row): gathers rows into chunks for the stream's queue.

    COPY's CSV format with a carriage return as the quote character and every value quoted writes
    each row as CR + line + CR + LF and leaves what is inside untouched: the lines never hold a CR
    (TSV escapes it as \\r, XML as &#13;), so removing every CR from a chunk leaves exactly the lines.
    (COPY's text format would escape the backslashes, tabs and newlines of the lines a second time.)
    """

    def __init__(self, chunks: queue.Queue, stop: threading.Event) -> None:
        self.chunks, self.stop = chunks, stop
        self.rows: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.rows.append(data)
        self.size += len(data)
        if self.size >= COPY_CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.put(b"".join(self.rows).replace(b"\r", b""))
            self.rows, self.size = [], 0

    def put(self, item) -> None:
        while not self.stop.is_set():  # once the reader has gone, what is left is dropped
            try:
                self.chunks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue


def copy_lines(sql: str, params: list) -> Iterator[bytes]:
    """The rows of ``sql`` (one text column, each a line without its newline), as chunks of bytes.

    ``COPY (sql) TO STDOUT`` in the export's transaction. psycopg2 writes COPY's output into a file
    object until the end, so the COPY runs in a thread on the same connection and hands chunks over a
    small queue: memory stays a few chunks, and nothing else uses the connection meanwhile (the stream
    is its only user). Closing the stream early cancels the COPY and waits for the thread, so the
    transaction can end.
    """
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
    copy = f"COPY ({query}) TO STDOUT WITH (FORMAT csv, QUOTE E'\\r', FORCE_QUOTE *)"
    chunks: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()
    sink = _CopySink(chunks, stop)

    def run() -> None:
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(copy, sink, size=COPY_CHUNK)
            sink.flush()
            sink.put(_DONE)
        except BaseException as error:  # handed to the reader, which raises it
            sink.put(error)

    thread = threading.Thread(target=run, name="workbench-export-copy", daemon=True)
    thread.start()
    try:
        while (item := chunks.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if thread.is_alive():
            stop.set()
            raw.cancel()
        thread.join()


def _tool_version() -> str:
    try:
        return f"workbench/django-{metadata.version('django')}"
    except Exception:  # metadata missing: the version is informative only
        return "workbench"


def export_filename(request: ExportRequest) -> str:
    return f"workbench-{request.pair}.{EXTENSIONS[request.format].lstrip('.')}"
