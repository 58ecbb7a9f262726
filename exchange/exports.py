"""Export jobs: aligned bilingual units streamed from one consistent snapshot.

Units are live translation spans; the source side is the text of the covered segments joined as the
source reads. For en-ko the unit is the smallest source range where an English run of spans and a
Korean run of spans both begin and end, each side's translations in that range joined.

Every export runs in one REPEATABLE READ, READ ONLY transaction and reads rows through a server-side
(named) cursor, so memory does not grow with the export and the export sees one snapshot.

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
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from corpus.cursors import CURSOR_PREFIX, encode_cursor
from corpus.errors import InvalidInput
from exchange.formats import WRITERS, ExportUnit
from translations import workflow

PAIRS = {"zh-en": ("zh", "en"), "zh-ko": ("zh", "ko"), "en-ko": ("en", "ko")}
STATUSES = frozenset(workflow.STATUS_ORDER)
FETCH = 2000
XML_CHUNK = 500  # units per streamed chunk of an XML export (the writers' default)
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


def _source_pair_units(request: ExportRequest) -> Iterator[ExportUnit]:
    source_lang, target_lang = request.languages
    sql, params = source_pair_sql(request)
    for document_id, title, first, last, text, status, version, updated_at, source in _named_cursor_rows(
        sql, params
    ):
        yield ExportUnit(
            document_id=document_id,
            document_title=title,
            first_position=first,
            last_position=last,
            source_lang=source_lang,
            target_lang=target_lang,
            source_text=source or "",
            target_text=text,
            source_status=None,
            target_status=status,
            source_version=None,
            target_version=version,
            changed_at=updated_at,
            unit_id=f"d{document_id}:p{first}-{last}:{target_lang}",
        )


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

    A range where either side has a gap (an untranslated segment) gives no unit.
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


def pivot_sql(request: ExportRequest) -> tuple[str, list]:
    extra, params = _filters(request)
    sql = f"""
        SELECT t.document_id, d.title, t.language, t.first_position, t.last_position, t.text, t.status,
               t.version, t.updated_at, {self_changed(request)}
        FROM corpus_translation t JOIN corpus_document d ON d.id = t.document_id
        WHERE t.retired_at IS NULL AND t.language = ANY(%s) AND t.text <> ''{extra}
        ORDER BY t.document_id, t.first_position, t.language
    """
    since_params = [request.since, request.since] if request.since else []
    return sql, [*since_params, list(request.languages), *params]


def self_changed(request: ExportRequest) -> str:
    if not request.since:
        return "true"
    return (
        "(t.change_xid >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint"
        " AND NOT pg_visible_in_snapshot(t.change_xid::text::xid8, %s::pg_snapshot))"
    )


def _pivot_units(request: ExportRequest) -> Iterator[ExportUnit]:
    source_lang, target_lang = request.languages
    sql, params = pivot_sql(request)
    joiner = " "
    current: int | None = None
    title = ""
    spans: dict[str, list[Span]] = {source_lang: [], target_lang: []}

    def flush() -> Iterator[ExportUnit]:
        for first, last, left, right in pivot_units(spans[source_lang], spans[target_lang]):
            if not all(span.status in request.statuses for span in (*left, *right)):
                continue
            if request.since and not any(span.changed for span in (*left, *right)):
                continue
            yield ExportUnit(
                document_id=current,
                document_title=title,
                first_position=first,
                last_position=last,
                source_lang=source_lang,
                target_lang=target_lang,
                source_text=joiner.join(span.text for span in left),
                target_text=joiner.join(span.text for span in right),
                source_status=_combined(left),
                target_status=_combined(right),
                source_version=max(span.version for span in left),
                target_version=max(span.version for span in right),
                changed_at=max(span.updated_at for span in (*left, *right)),
                unit_id=f"d{current}:p{first}-{last}:{source_lang}-{target_lang}",
            )

    for (
        document_id,
        doc_title,
        language,
        first,
        last,
        text,
        status,
        version,
        updated_at,
        changed,
    ) in _named_cursor_rows(sql, params):
        if document_id != current:
            if current is not None:
                yield from flush()
            current, title = document_id, doc_title
            spans = {source_lang: [], target_lang: []}
        spans[language].append(Span(first, last, text, status, version, updated_at, bool(changed)))
    if current is not None:
        yield from flush()


def _combined(spans: list[Span]) -> str:
    statuses = {span.status for span in spans}
    if len(statuses) == 1:
        return statuses.pop()
    for status in ("rejected", "draft", "submitted", "approved"):  # the least advanced wins
        if status in statuses:
            return status
    return "draft"


def units(request: ExportRequest) -> Iterator[ExportUnit]:
    return _pivot_units(request) if request.pair == "en-ko" else _source_pair_units(request)


def stream_export(request: ExportRequest) -> Iterator[bytes | str]:
    """A generator: the first item is the next cursor (str), then the file's bytes in chunks.

    The caller takes the cursor with ``next()`` (the transaction is open from then on) and streams the
    rest; closing the generator early ends the transaction, leaving nothing behind.
    """
    from importlib.metadata import version

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_current_snapshot()::text")
            snapshot = cursor.fetchone()[0]
        cursor_value = encode_cursor(snapshot)
        yield cursor_value
        source_lang, target_lang = request.languages
        if request.format == "tsv" and request.pair != "en-ko":
            yield from _tsv_from_sql(request)
            return
        if request.format == "tmx" and request.pair != "en-ko":
            yield from _tmx_from_sql(request, cursor_value, _tool_version(version))
            return
        writer = WRITERS[request.format]
        yield from writer(
            units(request),
            source_lang=source_lang,
            target_lang=target_lang,
            cursor=cursor_value,
            tool_version=_tool_version(version),
        )


def _sql_escape(expression: str) -> str:
    """The TSV writer's escaping (backslash, tab, newline, carriage return), done by PostgreSQL."""
    return (
        f"replace(replace(replace(replace({expression}, E'\\\\', E'\\\\\\\\'), "
        f"E'\\t', E'\\\\t'), E'\\n', E'\\\\n'), E'\\r', E'\\\\r')"
    )


def tsv_lines_sql(request: ExportRequest) -> tuple[str, list]:
    """The zh-X export as finished TSV lines, formatted by PostgreSQL (the same bytes as
    ``exchange.formats.write_tsv``; tests/corpus/test_exports_fast_tsv.py holds them equal). Python
    then only joins and encodes, which keeps the export close to the speed of COPY."""
    _, target = request.languages
    inner, params = source_pair_sql(request)
    changed = (
        "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        " || CASE WHEN mod(extract(microseconds FROM updated_at)::int, 1000000) = 0 THEN ''"
        " ELSE to_char(updated_at AT TIME ZONE 'UTC', '.US') END || '+00:00'"
    )
    sql = f"""
        SELECT concat_ws(E'\\t', document_id, first_position, last_position, 'zh', %s,
                         {_sql_escape("coalesce(source, '')")}, {_sql_escape("text")}, status, version, '', '',
                         {changed},
                         'd' || document_id || ':p' || first_position || '-' || last_position || ':' || %s,
                         {_sql_escape("title")}) || E'\\n'
        FROM ({inner}) units
    """
    return sql, [target, target, *params]


def _tsv_from_sql(request: ExportRequest) -> Iterator[bytes]:
    from exchange.formats import TSV_COLUMNS

    yield ("\t".join(TSV_COLUMNS) + "\n").encode()
    sql, params = tsv_lines_sql(request)
    connection.ensure_connection()
    with connection.connection.cursor(name="workbench_export_tsv") as cursor:
        cursor.itersize = FETCH
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            yield "".join(row[0] for row in rows).encode()


# What lxml does to a text node: & < > escaped, a carriage return as &#13;, and (after the writer's
# fallback) characters XML cannot hold replaced by U+FFFD. PostgreSQL text never holds NUL.
_XML_ILLEGAL_SQL = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]"


def _xml_text_sql(expression: str) -> str:
    escaped = (
        f"replace(replace(replace(replace({expression}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
        "E'\\r', '&#13;')"
    )
    return f"regexp_replace({escaped}, '{_XML_ILLEGAL_SQL}', chr(65533), 'g')"


def tmx_lines_sql(request: ExportRequest) -> tuple[str, list]:
    """The zh-X export's TMX units as finished lines, formatted by PostgreSQL: the same bytes as
    ``exchange.formats.write_tmx`` (tests/corpus/test_exports_fast_xml.py holds them equal)."""
    source_lang, target = request.languages
    inner, params = source_pair_sql(request)
    sql = f"""
        SELECT concat(
            '<tu tuid="d', document_id, ':p', first_position, '-', last_position, ':', %s::text,
            '" changedate="', to_char(updated_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"'), '"',
            CASE WHEN first_position <> last_position THEN ' segtype="block"' ELSE '' END,
            '><prop type="x-document-id">', document_id,
            '</prop><prop type="x-document-title">', {_xml_text_sql("title")},
            '</prop><prop type="x-first-position">', first_position,
            '</prop><prop type="x-last-position">', last_position,
            '</prop><tuv xml:lang="', %s::text, '"><seg>', {_xml_text_sql("coalesce(source, '')")},
            '</seg></tuv><tuv xml:lang="', %s::text, '"><prop type="x-status">', status,
            '</prop><prop type="x-version">', version, '</prop><seg>', {_xml_text_sql("text")},
            E'</seg></tuv></tu>\\n')
        FROM ({inner}) units
    """
    return sql, [target, source_lang, target, *params]


def _tmx_from_sql(request: ExportRequest, cursor_value: str, tool_version: str) -> Iterator[bytes]:
    """The writer's own header and footer around unit lines PostgreSQL formats (about 3x faster)."""
    from exchange.formats import write_tmx

    source_lang, target_lang = request.languages
    empty = b"".join(
        write_tmx(
            iter(()),
            source_lang=source_lang,
            target_lang=target_lang,
            cursor=cursor_value,
            tool_version=tool_version,
        )
    )
    cut = empty.index(b"<body>\n") + len(b"<body>\n")
    yield empty[:cut]
    sql, params = tmx_lines_sql(request)
    connection.ensure_connection()
    with connection.connection.cursor(name="workbench_export_tmx") as cursor:
        cursor.itersize = FETCH
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(XML_CHUNK):  # chunks as the writer makes them
            yield "".join(row[0] for row in rows).encode()
    yield empty[cut:]


def _tool_version(version) -> str:
    try:
        return f"workbench/django-{version('django')}"
    except Exception:  # metadata missing: the version is informative only
        return "workbench"


def export_filename(request: ExportRequest) -> str:
    from exchange.formats import EXTENSIONS

    return f"workbench-{request.pair}.{EXTENSIONS[request.format].lstrip('.')}"
