"""The exports' files formatted by PostgreSQL: SQL that turns unit rows into finished lines.

Why: a unit formatted in Python costs a row fetch, an ``ExportUnit`` and an lxml element; formatted
by PostgreSQL and sent through COPY it costs little more than COPY of the unit's row (bench/export.py,
1M zh-en units: XLIFF 42 s through lxml, 11 s this way, against 4.5-5.8 s for COPY of the rows).
Every function here must give exactly the bytes of the matching writer in ``exchange.formats``
(tests/corpus/test_exports_sql.py compares the two paths on hostile text: markup, quotes, tabs,
newlines, CRs, control characters, non-BMP characters).

Unit rows (``exchange.exports.unit_rows_sql``) have the columns ``document_id, title, first_position,
last_position, source, text, status, version, source_status, source_version, updated_at``, in document
order; ``source_status`` and ``source_version`` are NULL when the source side is Chinese. Each function
here wraps that query into one of a single text column ``line`` (the unit, without its final newline:
COPY adds it).

Pure SQL text; parameters are ``%s`` placeholders, returned in order beside the SQL.
"""

from __future__ import annotations

from .formats.units import CREATION_TOOL

# The TSV writer's escaping (backslash, tab, newline, carriage return), done by PostgreSQL.
_TSV_ESCAPES = (("\\\\", "\\\\\\\\"), ("\\t", "\\\\t"), ("\\n", "\\\\n"), ("\\r", "\\\\r"))

# Characters XML 1.0 cannot hold (the writers replace them by U+FFFD), as a regular expression;
# PostgreSQL text never holds NUL nor a lone surrogate. (regexp_replace is 6x faster than translate.)
_XML_ILLEGAL = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]"


def _tsv(expression: str) -> str:
    for old, new in _TSV_ESCAPES:
        expression = f"replace({expression}, E'{old}', E'{new}')"
    return expression


def _xml_safe(expression: str) -> str:
    return f"regexp_replace({expression}, '{_XML_ILLEGAL}', chr(65533), 'g')"


def _xml_text(expression: str) -> str:
    """What lxml writes for a text node: & < > escaped, a carriage return as &#13;."""
    escaped = (
        f"replace(replace(replace(replace({_xml_safe(expression)}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
        "E'\\r', '&#13;')"
    )
    return escaped


def _xml_attribute(expression: str) -> str:
    """What lxml writes for an attribute value: also " and the tab, newline and CR as references."""
    escaped = _xml_text(expression)
    for old, new in (('"', "&quot;"), ("\\t", "&#9;"), ("\\n", "&#10;")):
        escaped = f"replace({escaped}, E'{old}', '{new}')"
    return escaped


# Python's ``datetime.isoformat()`` of an aware UTC time: microseconds only when there are some.
_ISO_CHANGED = (
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE WHEN mod(extract(microseconds FROM updated_at)::int, 1000000) = 0 THEN ''"
    " ELSE to_char(updated_at AT TIME ZONE 'UTC', '.US') END || '+00:00'"
)
_UNIT_ID = "'d' || document_id || ':p' || first_position || '-' || last_position || ':' || %s::text"


def unit_suffix(source_lang: str, target_lang: str) -> str:
    """The end of a unit id: the target language, or both for a pivot (``d1:p3-4:en-ko``)."""
    return target_lang if source_lang == "zh" else f"{source_lang}-{target_lang}"


def tsv_lines(units: tuple[str, list], source_lang: str, target_lang: str) -> tuple[str, list]:
    """``write_tsv``'s rows."""
    inner, params = units
    sql = f"""
        SELECT concat_ws(E'\\t', document_id, first_position, last_position, %s::text, %s::text,
                         {_tsv("coalesce(source, '')")}, {_tsv("text")}, status, version,
                         coalesce({_tsv("source_status")}, ''), coalesce(source_version::text, ''),
                         {_ISO_CHANGED}, {_UNIT_ID}, {_tsv("title")}) AS line
        FROM ({inner}) units
    """
    return sql, [source_lang, target_lang, unit_suffix(source_lang, target_lang), *params]


def tmx_lines(units: tuple[str, list], source_lang: str, target_lang: str) -> tuple[str, list]:
    """``write_tmx``'s ``<tu>`` elements (the writer's header and footer go around them)."""
    inner, params = units
    sql = f"""
        SELECT concat(
            '<tu tuid="', {_xml_attribute(_UNIT_ID)},
            '" changedate="', to_char(updated_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"'), '"',
            CASE WHEN first_position <> last_position THEN ' segtype="block"' ELSE '' END,
            '><prop type="x-document-id">', document_id,
            '</prop><prop type="x-document-title">', {_xml_text("title")},
            '</prop><prop type="x-first-position">', first_position,
            '</prop><prop type="x-last-position">', last_position,
            '</prop><tuv xml:lang="', %s::text, '">',
            '<prop type="x-status">' || {_xml_text("source_status")} || '</prop>',
            '<prop type="x-version">' || source_version || '</prop>',
            '<seg>', {_xml_text("coalesce(source, '')")},
            '</seg></tuv><tuv xml:lang="', %s::text, '"><prop type="x-status">', status,
            '</prop><prop type="x-version">', version, '</prop><seg>', {_xml_text("text")},
            '</seg></tuv></tu>') AS line
        FROM ({inner}) units
    """
    return sql, [unit_suffix(source_lang, target_lang), source_lang, target_lang, *params]


def xliff_lines(
    units: tuple[str, list],
    source_lang: str,
    target_lang: str,
    *,
    cursor: str | None,
    tool_version: str,
    date: str,
) -> tuple[str, list]:
    """``write_xliff``'s ``<trans-unit>`` elements, with the ``<file>`` of each document opened before its
    first unit and closed after its last (the preamble and ``</xliff>`` go around them).

    ``date`` is the files' ``date`` attribute, already in the writer's form (``2026-01-01T00:00:00Z``).
    """
    inner, params = units
    cursor_element = (
        f'<tw:next-cursor xmlns:tw="urn:x-translation-workbench:exchange:1">{cursor}</tw:next-cursor>'
        if cursor is not None
        else ""
    )
    header = (
        f'<header><tool tool-id="{CREATION_TOOL}" tool-name="{CREATION_TOOL}" tool-version="{tool_version}"/>'
    )
    sql = f"""
        SELECT concat(
            CASE WHEN previous_document IS DISTINCT FROM document_id THEN concat(
                '<file original="', {_xml_attribute("title")}, '" source-language="', %s::text,
                '" target-language="', %s::text, '" datatype="plaintext" tool-id="{CREATION_TOOL}" date="',
                %s::text, E'">\\n', %s::text,
                CASE WHEN previous_document IS NULL THEN %s::text ELSE '' END, E'</header>\\n<body>\\n')
            END,
            '<trans-unit id="', {_xml_attribute(_UNIT_ID)}, '" resname="d', document_id, ':p', first_position,
            '-', last_position, '" xml:space="preserve"',
            CASE WHEN status = 'approved' THEN ' approved="yes"' ELSE '' END,
            '><source xml:lang="', %s::text, '">', {_xml_text("coalesce(source, '')")},
            '</source><target xml:lang="', %s::text, '" state="',
            CASE WHEN status = 'approved' THEN 'final'
                 WHEN status = 'submitted' THEN 'needs-review-translation'
                 WHEN status = 'draft' AND text <> '' THEN 'translated'
                 ELSE 'needs-translation' END,
            '">', {_xml_text("text")},
            '</target><context-group name="{CREATION_TOOL}" purpose="location">',
            '<context context-type="x-document-id">', document_id,
            '</context><context context-type="x-first-position">', first_position,
            '</context><context context-type="x-last-position">', last_position,
            '</context><context context-type="x-status">', status,
            '</context><context context-type="x-version">', version, '</context>',
            '<context context-type="x-source-status">' || {_xml_text("source_status")} || '</context>',
            '<context context-type="x-source-version">' || source_version || '</context>',
            '<context context-type="x-changed-at">', {_ISO_CHANGED},
            '</context></context-group><note from="{CREATION_TOOL}">', {_xml_text("title")},
            ' (document ', document_id, '), ',
            CASE WHEN first_position = last_position THEN 'segment ' || first_position
                 ELSE 'segments ' || first_position || '-' || last_position END,
            '</note></trans-unit>',
            CASE WHEN next_document IS DISTINCT FROM document_id THEN E'\\n</body></file>' END) AS line
        FROM (
            SELECT *, lag(document_id) OVER w AS previous_document, lead(document_id) OVER w AS next_document
            FROM ({inner}) units
            WINDOW w AS (ORDER BY document_id, first_position)
        ) units
    """
    return sql, [
        source_lang,
        target_lang,
        date,
        header,
        cursor_element,
        unit_suffix(source_lang, target_lang),
        source_lang,
        target_lang,
        *params,
    ]


def _json(expression: str) -> str:
    """A JSON string as Python's ``json`` writes it with ``ensure_ascii=False``: PostgreSQL's escaping
    is the same (\\" \\\\ \\b \\f \\n \\r \\t, other control characters as \\u00xx)."""
    return f"to_json({expression}::text)::text"


def jsonl_lines(units: tuple[str, list], source_lang: str, target_lang: str) -> tuple[str, list]:
    """``write_jsonl``'s unit lines (the caller writes the trailer, with the count of lines)."""
    inner, params = units
    sql = f"""
        SELECT concat(
            '{{"unit_id":', {_json(_UNIT_ID)}, ',"document_id":', document_id,
            ',"document_title":', {_json("title")}, ',"first_position":', first_position,
            ',"last_position":', last_position, ',"source_lang":', {_json("%s")},
            ',"target_lang":', {_json("%s")}, ',"source_text":', {_json("coalesce(source, '')")},
            ',"target_text":', {_json("text")}, ',"source_status":', coalesce({_json("source_status")}, 'null'),
            ',"target_status":', {_json("status")}, ',"source_version":', coalesce(source_version::text, 'null'),
            ',"target_version":', version, ',"changed_at":"', {_ISO_CHANGED}, '"}}') AS line
        FROM ({inner}) units
    """
    return sql, [unit_suffix(source_lang, target_lang), source_lang, target_lang, *params]
