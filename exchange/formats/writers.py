"""Streaming writers: ``Iterable[ExportUnit]`` in, ``Iterator[bytes]`` out.

Every writer has the signature::

    write_<fmt>(units, *, source_lang, target_lang, cursor, tool_version, chunk_size=500, created_at=None)

and yields UTF-8 bytes: the preamble first, then one chunk every ``chunk_size`` units, then the rest
and the closing part. Nothing is kept between chunks, so memory does not grow with the number of
units; the same generator feeds a ``StreamingHttpResponse`` or a file. Units must all be of the
requested language pair (``ValueError`` otherwise). An empty iterable gives a valid empty file.

The XML formats are written with lxml's incremental writer (``etree.xmlfile``) into an in-memory
buffer that is drained at every chunk; no XML is ever assembled by string concatenation. XML 1.0
cannot carry most C0 control characters (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F) nor
U+FFFE/U+FFFF; in the XML formats they are replaced by U+FFFD (TSV and JSONL keep them).

Where the pagination cursor goes (``cursor`` is the cursor of the *next* page, computed by the caller
from the same snapshot before streaming; None when this is the last page):

- **TMX 1.4b**: ``<header>`` ``<prop type="x-next-cursor">`` (absent when None).
- **XLIFF 1.2**: in the ``<header>`` of the first ``<file>``, as an extension element
  ``<tw:next-cursor xmlns:tw="urn:x-translation-workbench:exchange:1">`` (absent when None).
- **XLIFF 2.0**: in the first ``<file>``, ``<mda:metadata><mda:metaGroup category="translation-workbench">
  <mda:meta type="next-cursor">`` (absent when None).
- **TSV**: nowhere; the file stays a pure table. The HTTP view sends the cursor in a response header,
  the management command prints it on stderr.
- **JSONL**: a final trailer line ``{"next_cursor": "..." | null, "units": N}`` after the unit lines.
  Its presence also proves the stream was not cut short. Unit lines are recognised by ``unit_id``.

Format details:

- TMX: header ``segtype="sentence"``; a ``<tu>`` covering more than one source segment
  (``first_position != last_position``) says ``segtype="block"``. ``tuid`` = ``unit_id``,
  ``changedate`` = ``changed_at`` in TMX form (``YYYYMMDDThhmmssZ``, second precision). ``<tu>`` props:
  ``x-document-id``, ``x-document-title``, ``x-first-position``, ``x-last-position``. ``<tuv>`` props:
  ``x-status`` and ``x-version`` (the source ``<tuv>`` has them only when the source is a translation).
- XLIFF 1.2: one ``<file original="document title">`` per run of units of one document;
  ``<trans-unit id=unit_id resname="d12:p3-5" xml:space="preserve">``; ``<target state=...>``:
  approved -> ``final`` (+ ``approved="yes"``), submitted -> ``needs-review-translation``,
  draft -> ``translated`` (``needs-translation`` when empty), rejected -> ``needs-translation``.
  The exact workbench data is in ``<context-group name="translation-workbench" purpose="location">``
  (``context-type`` ``x-document-id``, ``x-first-position``, ``x-last-position``, ``x-status``,
  ``x-version``, ``x-source-status``, ``x-source-version``, ``x-changed-at``), a human-readable
  location in a ``<note>``.
- XLIFF 2.0: one ``<file id="fN" original="document title">`` per run of units of one document;
  ``<unit id=unit_id name="d12:p3-5" xml:space="preserve">`` with ``mda:metadata`` (same keys, without
  the ``x-``), a location ``<note>``, one ``<segment state=... subState="tw:<status>">``: approved ->
  ``final``, submitted -> ``translated``, draft and rejected -> ``initial``.
- TSV: header row ``TSV_COLUMNS``; fields escaped like PostgreSQL's COPY text format (``\\\\``,
  ``\\t``, ``\\n``, ``\\r``); None (source status/version of Chinese sources) is an empty field;
  ``changed_at`` in ISO 8601.
- JSONL: one compact JSON object per unit with the ``ExportUnit`` field names (``changed_at`` ISO 8601),
  ``ensure_ascii=False``, then the trailer.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import chain, groupby
from operator import attrgetter

from lxml import etree

from .units import (
    CREATION_TOOL,
    SUBSTATE_PREFIX,
    ExportUnit,
    location_note,
    status_to_state12,
    status_to_state20,
    unit_resname,
)

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "TSV_COLUMNS",
    "WRITERS",
    "Writer",
    "write_jsonl",
    "write_tmx",
    "write_tsv",
    "write_xliff",
    "write_xliff2",
]

DEFAULT_CHUNK_SIZE = 500

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
TW_NS = "urn:x-translation-workbench:exchange:1"
MDA_METADATA = f"{{{MDA_NS}}}metadata"
MDA_GROUP = f"{{{MDA_NS}}}metaGroup"
MDA_META = f"{{{MDA_NS}}}meta"

TSV_COLUMNS = (
    "document_id",
    "first_position",
    "last_position",
    "source_lang",
    "target_lang",
    "source",
    "target",
    "status",
    "version",
    "source_status",
    "source_version",
    "changed_at",
    "unit_id",
    "document_title",
)

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def _clean(unit: ExportUnit) -> ExportUnit:
    """A copy of ``unit`` with every string made XML-safe (only used after lxml refused a string)."""
    return ExportUnit(
        **{
            name: _xml_safe(value) if isinstance(value, str) else value
            for name, value in ((n, getattr(unit, n)) for n in ExportUnit.__dataclass_fields__)
        }
    )


def _check_pair(unit: ExportUnit, source_lang: str, target_lang: str) -> None:
    if unit.source_lang != source_lang or unit.target_lang != target_lang:
        raise ValueError(
            f"unit {unit.unit_id} is {unit.source_lang}->{unit.target_lang}, "
            f"the export is {source_lang}->{target_lang}"
        )


_ZERO = timedelta(0)


def _tmx_date(value: datetime) -> str:
    if value.utcoffset() != _ZERO:
        value = value.astimezone(UTC)
    return (
        f"{value.year:04d}{value.month:02d}{value.day:02d}"
        f"T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"
    )


def _drain(buffer: io.BytesIO) -> bytes:
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data


Template = Callable[[str, str, bool, bool], etree._Element]
Fill = Callable[[etree._Element, ExportUnit], None]


def _xml_stream(
    units: Iterable[ExportUnit],
    xf: etree.xmlfile,
    buffer: io.BytesIO,
    template: Template,
    fill: Fill,
    source_lang: str,
    target_lang: str,
    chunk_size: int,
) -> Iterator[bytes]:
    """Write one element per unit, yielding the buffer every ``chunk_size`` units.

    Each unit's element is a copy of a prebuilt template (one per variant: whether the source side
    has a status / a version) whose texts and attributes ``fill`` sets; copying a small subtree in
    lxml is about four times faster than building it element by element.
    """
    templates: dict[tuple[bool, bool], etree._Element] = {}
    pending = 0
    for unit in units:
        if unit.source_lang != source_lang or unit.target_lang != target_lang:
            _check_pair(unit, source_lang, target_lang)
        key = (unit.source_status is not None, unit.source_version is not None)
        prototype = templates.get(key)
        if prototype is None:
            prototype = templates[key] = template(source_lang, target_lang, *key)
        element = prototype.__copy__()
        try:
            fill(element, unit)
        except ValueError:  # lxml: "All strings must be XML compatible"
            element = prototype.__copy__()
            fill(element, _clean(unit))
        xf.write(element, "\n")
        pending += 1
        if pending >= chunk_size:
            pending = 0
            xf.flush()
            yield _drain(buffer)


# --- TMX 1.4b -----------------------------------------------------------------------------------


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = value


def _tmx_template(
    source_lang: str, target_lang: str, source_status: bool, source_version: bool
) -> etree._Element:
    sub = etree.SubElement
    tu = etree.Element("tu")
    for kind in ("x-document-id", "x-document-title", "x-first-position", "x-last-position"):
        sub(tu, "prop", type=kind)
    tuv = sub(tu, "tuv", {XML_LANG: source_lang})
    if source_status:
        sub(tuv, "prop", type="x-status")
    if source_version:
        sub(tuv, "prop", type="x-version")
    sub(tuv, "seg")
    tuv = sub(tu, "tuv", {XML_LANG: target_lang})
    sub(tuv, "prop", type="x-status")
    sub(tuv, "prop", type="x-version")
    sub(tuv, "seg")
    return tu


def _tmx_fill(tu: etree._Element, unit: ExportUnit) -> None:
    tu.set("tuid", unit.unit_id)
    tu.set("changedate", _tmx_date(unit.changed_at))
    if unit.first_position != unit.last_position:
        tu.set("segtype", "block")
    document_id, title, first, last, source, target = tu
    document_id.text = str(unit.document_id)
    title.text = unit.document_title
    first.text = str(unit.first_position)
    last.text = str(unit.last_position)
    i = 0
    if unit.source_status is not None:
        source[0].text = unit.source_status
        i = 1
    if unit.source_version is not None:
        source[i].text = str(unit.source_version)
    source[-1].text = unit.source_text
    target[0].text = unit.target_status
    target[1].text = str(unit.target_version)
    target[2].text = unit.target_text


def write_tmx(
    units: Iterable[ExportUnit],
    *,
    source_lang: str,
    target_lang: str,
    cursor: str | None,
    tool_version: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    created_at: datetime | None = None,
) -> Iterator[bytes]:
    """TMX 1.4b, ``srclang`` = ``source_lang``; see the module docstring for the layout."""
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            header = etree.Element(
                "header",
                creationtool=CREATION_TOOL,
                creationtoolversion=tool_version,
                datatype="plaintext",
                segtype="sentence",
                adminlang="en",
                srclang=source_lang,
                creationdate=_tmx_date(created_at or datetime.now(UTC)),
            )
            header.set("o-tmf", CREATION_TOOL)
            _prop(header, "x-target-lang", target_lang)
            if cursor is not None:
                _prop(header, "x-next-cursor", cursor)
            xf.write(header, "\n")
            with xf.element("body"):
                xf.write("\n")
                yield from _xml_stream(
                    units, xf, buffer, _tmx_template, _tmx_fill, source_lang, target_lang, chunk_size
                )
            xf.write("\n")
    buffer.write(b"\n")
    yield _drain(buffer)


# --- XLIFF 1.2 ----------------------------------------------------------------------------------


_METADATA_KINDS = ("document-id", "first-position", "last-position", "status", "version")


def _metadata_kinds(source_status: bool, source_version: bool) -> list[str]:
    """The unit metadata both XLIFF versions carry, in order (XLIFF 1.2 prefixes them with ``x-``)."""
    kinds = [*_METADATA_KINDS]
    if source_status:
        kinds.append("source-status")
    if source_version:
        kinds.append("source-version")
    kinds.append("changed-at")
    return kinds


def _fill_metadata(group: etree._Element, unit: ExportUnit) -> None:
    """Fill the elements ``_metadata_kinds`` laid out, in the same order."""
    values = [str(unit.document_id), str(unit.first_position), str(unit.last_position), unit.target_status]
    values.append(str(unit.target_version))
    if unit.source_status is not None:
        values.append(unit.source_status)
    if unit.source_version is not None:
        values.append(str(unit.source_version))
    values.append(unit.changed_at.isoformat())
    for element, value in zip(group, values, strict=True):
        element.text = value


def _xliff12_template(
    source_lang: str, target_lang: str, source_status: bool, source_version: bool
) -> etree._Element:
    # Elements are created without a namespace: they are written inside <xliff xmlns="urn:...:1.2">,
    # so in the document they are in the XLIFF namespace (and lxml does not redeclare it on each one).
    sub = etree.SubElement
    tu = etree.Element("trans-unit", {"id": "", "resname": "", XML_SPACE: "preserve"})
    sub(tu, "source", {XML_LANG: source_lang})
    sub(tu, "target", {XML_LANG: target_lang, "state": ""})
    group = sub(tu, "context-group", name=CREATION_TOOL, purpose="location")
    for kind in _metadata_kinds(source_status, source_version):
        sub(group, "context", {"context-type": f"x-{kind}"})
    sub(tu, "note", {"from": CREATION_TOOL})
    return tu


def _xliff12_fill(tu: etree._Element, unit: ExportUnit) -> None:
    tu.set("id", unit.unit_id)
    tu.set("resname", unit_resname(unit.document_id, unit.first_position, unit.last_position))
    if unit.target_status == "approved":
        tu.set("approved", "yes")
    source, target, group, note = tu
    source.text = unit.source_text
    target.set("state", status_to_state12(unit.target_status, unit.target_text))
    target.text = unit.target_text
    _fill_metadata(group, unit)
    note.text = location_note(unit)


def write_xliff(
    units: Iterable[ExportUnit],
    *,
    source_lang: str,
    target_lang: str,
    cursor: str | None,
    tool_version: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    created_at: datetime | None = None,
) -> Iterator[bytes]:
    """XLIFF 1.2 (the version CAT tools import); see the module docstring for the layout."""
    buffer = io.BytesIO()
    date = (created_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    first_file = True

    def file_attributes(title: str) -> dict[str, str]:
        return {
            "original": title,
            "source-language": source_lang,
            "target-language": target_lang,
            "datatype": "plaintext",
            "tool-id": CREATION_TOOL,
            "date": date,
        }

    def write_header(xf: etree.xmlfile) -> None:
        nonlocal first_file
        header = etree.Element("header")
        etree.SubElement(
            header,
            "tool",
            {"tool-id": CREATION_TOOL, "tool-name": CREATION_TOOL, "tool-version": tool_version},
        )
        if first_file and cursor is not None:
            etree.SubElement(header, f"{{{TW_NS}}}next-cursor", nsmap={"tw": TW_NS}).text = cursor
        first_file = False
        xf.write("\n", header, "\n")

    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{XLIFF12_NS}}}xliff", nsmap={None: XLIFF12_NS}, version="1.2"):
            xf.write("\n")
            for _, group in groupby(units, key=attrgetter("document_id")):
                run = iter(group)
                first = next(run)
                with xf.element(f"{{{XLIFF12_NS}}}file", file_attributes(_xml_safe(first.document_title))):
                    write_header(xf)
                    with xf.element(f"{{{XLIFF12_NS}}}body"):
                        xf.write("\n")
                        yield from _xml_stream(
                            chain((first,), run),
                            xf,
                            buffer,
                            _xliff12_template,
                            _xliff12_fill,
                            source_lang,
                            target_lang,
                            chunk_size,
                        )
                xf.write("\n")
            if first_file:  # no units: XLIFF 1.2 still needs one <file>
                with xf.element(f"{{{XLIFF12_NS}}}file", file_attributes(f"{CREATION_TOOL}-export")):
                    write_header(xf)
                    with xf.element(f"{{{XLIFF12_NS}}}body"):
                        pass
                xf.write("\n")
    buffer.write(b"\n")
    yield _drain(buffer)


# --- XLIFF 2.0 ----------------------------------------------------------------------------------


def _meta(group: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(group, MDA_META, type=kind).text = value


def _xliff20_template(
    source_lang: str, target_lang: str, source_status: bool, source_version: bool
) -> etree._Element:
    # Same no-namespace trick as XLIFF 1.2 for the core elements; mda elements carry their namespace.
    sub = etree.SubElement
    unit = etree.Element("unit", {"id": "", "name": "", XML_SPACE: "preserve"}, nsmap={"mda": MDA_NS})
    group = sub(sub(unit, MDA_METADATA), MDA_GROUP, category=CREATION_TOOL)
    for kind in _metadata_kinds(source_status, source_version):
        sub(group, MDA_META, type=kind)
    sub(sub(unit, "notes"), "note", category="location")
    segment = sub(unit, "segment", state="", subState="")
    sub(segment, "source")
    sub(segment, "target")
    return unit


def _xliff20_fill(element: etree._Element, unit: ExportUnit) -> None:
    element.set("id", unit.unit_id)
    element.set("name", unit_resname(unit.document_id, unit.first_position, unit.last_position))
    metadata, notes, segment = element
    group = metadata[0]
    _fill_metadata(group, unit)
    notes[0].text = location_note(unit)
    segment.set("state", status_to_state20(unit.target_status))
    segment.set("subState", SUBSTATE_PREFIX + unit.target_status)
    segment[0].text = unit.source_text
    segment[1].text = unit.target_text


def write_xliff2(
    units: Iterable[ExportUnit],
    *,
    source_lang: str,
    target_lang: str,
    cursor: str | None,
    tool_version: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    created_at: datetime | None = None,
) -> Iterator[bytes]:
    """XLIFF 2.0; see the module docstring for the layout. ``created_at`` is unused (no date field)."""
    buffer = io.BytesIO()
    files = 0

    def write_file_metadata(xf: etree.xmlfile) -> None:
        metadata = etree.Element(MDA_METADATA, nsmap={"mda": MDA_NS})
        group = etree.SubElement(metadata, MDA_GROUP, category=CREATION_TOOL)
        _meta(group, "tool-version", tool_version)
        if files == 1 and cursor is not None:
            _meta(group, "next-cursor", cursor)
        xf.write("\n", metadata, "\n")

    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(
            f"{{{XLIFF20_NS}}}xliff",
            nsmap={None: XLIFF20_NS, "mda": MDA_NS},
            version="2.0",
            srcLang=source_lang,
            trgLang=target_lang,
        ):
            xf.write("\n")
            for _, group in groupby(units, key=attrgetter("document_id")):
                run = iter(group)
                first = next(run)
                files += 1
                with xf.element(
                    f"{{{XLIFF20_NS}}}file", id=f"f{files}", original=_xml_safe(first.document_title)
                ):
                    write_file_metadata(xf)
                    yield from _xml_stream(
                        chain((first,), run),
                        xf,
                        buffer,
                        _xliff20_template,
                        _xliff20_fill,
                        source_lang,
                        target_lang,
                        chunk_size,
                    )
                xf.write("\n")
            if not files:  # no units: an (empty) <file> so that readers find the metadata
                files = 1
                with xf.element(f"{{{XLIFF20_NS}}}file", id="f1"):
                    write_file_metadata(xf)
                xf.write("\n")
    buffer.write(b"\n")
    yield _drain(buffer)


# --- TSV ----------------------------------------------------------------------------------------


def _tsv_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(
    units: Iterable[ExportUnit],
    *,
    source_lang: str,
    target_lang: str,
    cursor: str | None,
    tool_version: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    created_at: datetime | None = None,
) -> Iterator[bytes]:
    """TSV with a header row (``TSV_COLUMNS``); the cursor is not written (see the module docstring)."""
    esc = _tsv_escape
    yield ("\t".join(TSV_COLUMNS) + "\n").encode()
    rows: list[str] = []
    append = rows.append
    for u in units:
        if u.source_lang != source_lang or u.target_lang != target_lang:
            _check_pair(u, source_lang, target_lang)
        append(
            f"{u.document_id}\t{u.first_position}\t{u.last_position}\t{u.source_lang}\t{u.target_lang}\t"
            f"{esc(u.source_text)}\t{esc(u.target_text)}\t{u.target_status}\t{u.target_version}\t"
            f"{'' if u.source_status is None else esc(u.source_status)}\t"
            f"{'' if u.source_version is None else u.source_version}\t"
            f"{u.changed_at.isoformat()}\t{esc(u.unit_id)}\t{esc(u.document_title)}\n"
        )
        if len(rows) >= chunk_size:
            yield "".join(rows).encode()
            rows.clear()
    if rows:
        yield "".join(rows).encode()


# --- JSONL --------------------------------------------------------------------------------------


def write_jsonl(
    units: Iterable[ExportUnit],
    *,
    source_lang: str,
    target_lang: str,
    cursor: str | None,
    tool_version: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    created_at: datetime | None = None,
) -> Iterator[bytes]:
    """One JSON object per unit, then the trailer ``{"next_cursor": ..., "units": N}``."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows: list[str] = []
    count = 0
    for u in units:
        _check_pair(u, source_lang, target_lang)
        rows.append(
            encode(
                {
                    "unit_id": u.unit_id,
                    "document_id": u.document_id,
                    "document_title": u.document_title,
                    "first_position": u.first_position,
                    "last_position": u.last_position,
                    "source_lang": u.source_lang,
                    "target_lang": u.target_lang,
                    "source_text": u.source_text,
                    "target_text": u.target_text,
                    "source_status": u.source_status,
                    "target_status": u.target_status,
                    "source_version": u.source_version,
                    "target_version": u.target_version,
                    "changed_at": u.changed_at.isoformat(),
                }
            )
        )
        count += 1
        if len(rows) >= chunk_size:
            yield ("\n".join(rows) + "\n").encode()
            rows.clear()
    rows.append(encode({"next_cursor": cursor, "units": count}))
    yield ("\n".join(rows) + "\n").encode()


Writer = Callable[..., Iterator[bytes]]

WRITERS: dict[str, Writer] = {
    "tmx": write_tmx,
    "xliff": write_xliff,
    "xliff2": write_xliff2,
    "tsv": write_tsv,
    "jsonl": write_jsonl,
}

CONTENT_TYPES: dict[str, str] = {
    "tmx": "application/x-tmx+xml; charset=utf-8",
    "xliff": "application/x-xliff+xml; charset=utf-8",
    "xliff2": "application/xliff+xml; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}

EXTENSIONS: dict[str, str] = {
    "tmx": ".tmx",
    "xliff": ".xlf",
    "xliff2": ".xlf",
    "tsv": ".tsv",
    "jsonl": ".jsonl",
}
