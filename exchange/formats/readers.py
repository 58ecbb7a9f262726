"""Readers for importing exchange files back: ``bytes`` in, ``list[ImportedUnit]`` out.

Every reader has the signature ``read_<fmt>(data, *, source_lang, target_lang) -> list[ImportedUnit]``
and raises ``FormatError`` (a ``ValueError``) with a message saying what is wrong and where:

- empty input (or only white space);
- bytes that are not UTF-8 (TSV and JSONL always; XML when it declares UTF-8 or declares nothing):
  the byte offset and line of the first bad byte (or "truncated" when the data ends inside a character);
- XML with a DOCTYPE that declares entities (XXE, billion laughs) or that references entities:
  refused before or right after parsing, never expanded. A DOCTYPE that names an external DTD
  (``SYSTEM`` or ``PUBLIC`` id, even ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``) is refused too: libxml2
  would open a local file it names. Only a bare ``<!DOCTYPE tmx>`` is accepted. The parser never
  resolves entities, never touches the network, loads no DTD (its resolver answers every request with
  nothing) and keeps libxml2's size limits (``huge_tree=False``);
- malformed or truncated XML: lxml's message with line and column;
- a file whose languages do not match the requested pair (``en``, ``en-US``, ``EN_us`` all match
  ``en``: the primary language subtag is compared, case-insensitively);
- a field that should be a number or a date and is not.

Language matching is per language, not per side: ``read_tmx(data, source_lang="zh", target_lang="en")``
takes the ``zh`` ``<tuv>`` as the source whatever the file's ``srclang``. In multilingual TMX, a
``<tu>`` without a ``<tuv>`` in the source language is skipped; one without the target language reads
as an empty target. A file in which no unit has the source language, or none has the target language,
is refused. XLIFF units without ``<target>`` read as an empty target.

Inline markup in segments (``<g>``, ``<ph>``, ``<mrk>``...) is flattened to its text content.

Status (``ImportedUnit.status``, the workbench status of the target):

- TMX: the target ``<tuv>``'s ``x-status`` prop.
- XLIFF 1.2: ``approved="yes"``, ``final``, ``signed-off`` -> approved; ``needs-review-*`` -> submitted;
  ``translated``, ``needs-translation``, ``new``, ``needs-adaptation``, ``needs-l10n`` -> draft.
  When the file still carries our ``x-status`` context and the state is the one we exported for that
  status (the unit was not re-stated in a CAT tool), the exact status from the context wins (so
  ``rejected`` survives a round trip).
- XLIFF 2.0: ``final`` -> approved; ``reviewed``, ``translated`` -> submitted; ``initial`` -> draft;
  our ``subState="tw:<status>"`` wins likewise while it is consistent with ``state``.
- TSV: the ``status`` column; JSONL: ``target_status``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime

from lxml import etree

from .units import (
    SUBSTATE_PREFIX,
    FormatError,
    ImportedUnit,
    same_language,
    state12_to_status,
    state20_to_status,
    status_to_state12,
    status_to_state20,
)

__all__ = ["READERS", "read_jsonl", "read_tmx", "read_tsv", "read_xliff"]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
CREATION_GROUP = "translation-workbench"

_UTF8_BOM = b"\xef\xbb\xbf"
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_EXTERNAL_ID = re.compile(rb"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:]")


# --- shared helpers -----------------------------------------------------------------------------


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _require_content(data: bytes, what: str) -> None:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"{what} reader expects bytes, got {type(data).__name__}")
    if not bytes(data).strip(b" \t\r\n\x00" + _UTF8_BOM):
        raise FormatError(f"empty {what} file: there is nothing to import")


def _decode_utf8(data: bytes, what: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            raise FormatError(
                f"{what} file is truncated: it ends in the middle of a UTF-8 character "
                f"(offset {exc.start}, line {line})",
                line=line,
                offset=exc.start,
            ) from None
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise FormatError(
            f"{what} file is not valid UTF-8: byte 0x{bad} at offset {exc.start} "
            f"(line {line}); save it as UTF-8 and import it again",
            line=line,
            offset=exc.start,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _int(value: str | None, what: str, line: int | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        where = f" (line {line})" if line else ""
        raise FormatError(f"{what} must be an integer, got {value!r}{where}", line=line) from None


def _datetime(value: str | None, what: str, line: int | None) -> datetime | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{8}T\d{6}Z", value):  # TMX form
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        where = f" (line {line})" if line else ""
        raise FormatError(f"{what} is not a date: {value!r}{where}", line=line) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _check_languages(
    what: str, found: set[str], source_lang: str, target_lang: str, *, source_seen: bool, target_seen: bool
) -> None:
    if source_seen and target_seen:
        return
    missing = [lang for lang, seen in ((source_lang, source_seen), (target_lang, target_seen)) if not seen]
    found_text = ", ".join(sorted(found)) if found else "none"
    raise FormatError(
        f"{what} file does not match the requested languages {source_lang}->{target_lang}: "
        f"no text in {' or '.join(missing)} (languages in the file: {found_text})"
    )


# --- safe XML -----------------------------------------------------------------------------------


class _LoadNothing(etree.Resolver):
    """Answers every request for an external resource (DTD, entity) with an empty document, so
    libxml2 never opens a file or a URL, whatever the document names."""

    def resolve(self, system_url, public_id, context):
        return self.resolve_string("", context)


def _external_dtd_refused(what: str, named: str, line: int | None) -> FormatError:
    where = f", line {line}" if line else ""
    return FormatError(
        f"{what} file refused: its DOCTYPE names an external DTD ({named}{where}); external DTDs and "
        "entities are never loaded. Remove the DOCTYPE line and import it again.",
        line=line,
    )


def _safe_parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        attribute_defaults=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    parser.resolvers.add(_LoadNothing())
    return parser


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse untrusted XML: refuse entity declarations/references, check UTF-8, map errors."""
    _require_content(data, what)
    data = bytes(data)
    head = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # not UTF-16 with a BOM: ASCII-compatible
        declared = _XML_DECL_ENCODING.match(head[:512])
        encoding = declared.group(1).decode("ascii").lower().replace("_", "-") if declared else "utf-8"
        if encoding in ("utf-8", "utf8"):
            _decode_utf8(data, what)
        # A DOCTYPE that declares entities, found before the first element (the prolog).
        # (A best-effort scan of the raw bytes, for a message with a line number before libxml2 sees
        # the file; the check of the parsed DTD below is the authoritative one.)
        root_start = _FIRST_ELEMENT.search(data)
        doctype = _DOCTYPE.search(data, 0, root_start.start() if root_start else len(data))
        if doctype is not None:
            first_element = _FIRST_ELEMENT.search(data, doctype.end())
            end = first_element.start() if first_element else len(data)
            entity = _ENTITY_DECL.search(data, doctype.end(), end)
            if entity is not None:
                line = _line_at(data, entity.start())
                raise FormatError(
                    f"{what} file refused: its DOCTYPE declares entities (line {line}); entity "
                    "declarations are not allowed (external entities and entity expansion are unsafe)",
                    line=line,
                    offset=entity.start(),
                )
            external = _EXTERNAL_ID.match(data, doctype.start())
            if external is not None:
                kind = external.group(1).decode("ascii").upper()
                raise _external_dtd_refused(what, f"a {kind} id", _line_at(data, doctype.start()))
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        where = f"line {line}" + (f", column {column}" if column else "")
        raise FormatError(f"malformed {what} file: {exc.msg} ({where})", line=line) from None
    tree = root.getroottree()
    if tree.docinfo.system_url or tree.docinfo.public_id:  # authoritative, whatever the encoding
        ids = (("PUBLIC", tree.docinfo.public_id), ("SYSTEM", tree.docinfo.system_url))
        raise _external_dtd_refused(what, " ".join(f'{k} "{v}"' for k, v in ids if v), None)
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FormatError(
            f"{what} file refused: its DOCTYPE declares entities; entity declarations are not allowed"
        )
    for entity in root.iter(etree.Entity):
        raise FormatError(
            f"{what} file refused: entity reference {entity.text} at line {entity.sourceline}; "
            "entities are not allowed",
            line=entity.sourceline,
        )
    return root


def _text(element: etree._Element | None) -> str:
    """Text content of a segment, inline markup flattened."""
    if element is None:
        return ""
    if len(element) == 0:
        return element.text or ""
    return "".join(element.itertext())


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


# --- TMX ----------------------------------------------------------------------------------------


def read_tmx(data: bytes, *, source_lang: str, target_lang: str) -> list[ImportedUnit]:
    """Read a TMX (1.1-1.4b) file; props written by ``write_tmx`` come back as unit fields."""
    root = parse_xml(data, "TMX")
    if _local(root.tag) != "tmx":
        raise FormatError(f"not a TMX file: the root element is <{_local(root.tag)}>, expected <tmx>")
    body = root.find("body")
    if body is None:
        raise FormatError(
            f"not a TMX file: <tmx> has no <body> (line {root.sourceline})", line=root.sourceline
        )
    found: set[str] = set()
    source_seen = target_seen = False
    units: list[ImportedUnit] = []
    for tu in body.iter("tu"):
        line = tu.sourceline
        source_tuv = target_tuv = None
        for tuv in tu.iterchildren("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")
            if not lang:
                raise FormatError(f"TMX <tuv> without xml:lang (line {tuv.sourceline})", line=tuv.sourceline)
            found.add(lang)
            if same_language(lang, source_lang):
                if source_tuv is not None:
                    raise FormatError(
                        f"TMX <tu> has two <tuv> in {source_lang} (line {tuv.sourceline})",
                        line=tuv.sourceline,
                    )
                source_tuv = tuv
            elif same_language(lang, target_lang):
                if target_tuv is not None:
                    raise FormatError(
                        f"TMX <tu> has two <tuv> in {target_lang} (line {tuv.sourceline})",
                        line=tuv.sourceline,
                    )
                target_tuv = tuv
        source_seen = source_seen or source_tuv is not None
        target_seen = target_seen or target_tuv is not None
        if source_tuv is None:
            continue
        props = _props(tu)
        source_props = _props(source_tuv)
        target_props = _props(target_tuv) if target_tuv is not None else {}
        units.append(
            ImportedUnit(
                source_text=_text(source_tuv.find("seg")),
                target_text=_text(target_tuv.find("seg")) if target_tuv is not None else "",
                document_id=_int(props.get("x-document-id"), "x-document-id", line),
                first_position=_int(props.get("x-first-position"), "x-first-position", line),
                last_position=_int(props.get("x-last-position"), "x-last-position", line),
                status=target_props.get("x-status"),
                unit_id=tu.get("tuid"),
                document_title=props.get("x-document-title"),
                source_status=source_props.get("x-status"),
                source_version=_int(source_props.get("x-version"), "x-version", line),
                target_version=_int(target_props.get("x-version"), "x-version", line),
                changed_at=_datetime(tu.get("changedate"), "changedate", line),
                line=line,
            )
        )
    _check_languages("TMX", found, source_lang, target_lang, source_seen=source_seen, target_seen=target_seen)
    return units


def _props(element: etree._Element) -> dict[str, str]:
    return {prop.get("type", ""): prop.text or "" for prop in element.iterchildren("prop")}


# --- XLIFF --------------------------------------------------------------------------------------


def read_xliff(data: bytes, *, source_lang: str, target_lang: str) -> list[ImportedUnit]:
    """Read XLIFF 1.2 (also 1.0/1.1 and namespace-less) or XLIFF 2.0, chosen by the root element."""
    root = parse_xml(data, "XLIFF")
    if _local(root.tag) != "xliff":
        raise FormatError(f"not an XLIFF file: the root element is <{_local(root.tag)}>, expected <xliff>")
    namespace = etree.QName(root).namespace
    if namespace == XLIFF20_NS or (root.get("version") or "").startswith("2"):
        return _read_xliff20(root, namespace or "", source_lang, target_lang)
    return _read_xliff12(root, namespace or "", source_lang, target_lang)


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def _read_xliff12(root: etree._Element, ns: str, source_lang: str, target_lang: str) -> list[ImportedUnit]:
    found: set[str] = set()
    source_seen = target_seen = False
    units: list[ImportedUnit] = []
    for file in root.iterchildren(_q(ns, "file")):
        file_source = file.get("source-language")
        file_target = file.get("target-language")
        for lang in (file_source, file_target):
            if lang:
                found.add(lang)
        if not same_language(file_source, source_lang) or (
            file_target is not None and not same_language(file_target, target_lang)
        ):
            continue
        source_seen = True
        target_seen = target_seen or file_target is not None
        for tu in file.iter(_q(ns, "trans-unit")):
            line = tu.sourceline
            source = tu.find(_q(ns, "source"))
            if source is None:
                raise FormatError(f"XLIFF <trans-unit> without <source> (line {line})", line=line)
            target = tu.find(_q(ns, "target"))
            if target is not None and target.get(XML_LANG):
                if not same_language(target.get(XML_LANG), target_lang):
                    raise FormatError(
                        f"XLIFF <target xml:lang={target.get(XML_LANG)!r}> does not match the requested "
                        f"target language {target_lang} (line {target.sourceline})",
                        line=target.sourceline,
                    )
                target_seen = True
            target_text = _text(target)
            context = {
                c.get("context-type", ""): c.text or ""
                for group in tu.iterchildren(_q(ns, "context-group"))
                if group.get("name") == CREATION_GROUP
                for c in group.iterchildren(_q(ns, "context"))
            }
            state = target.get("state") if target is not None else None
            status = state12_to_status(state, tu.get("approved") == "yes")
            exported = context.get("x-status")
            if exported and state == status_to_state12(exported, target_text):
                status = exported
            units.append(
                ImportedUnit(
                    source_text=_text(source),
                    target_text=target_text,
                    document_id=_int(context.get("x-document-id"), "x-document-id", line),
                    first_position=_int(context.get("x-first-position"), "x-first-position", line),
                    last_position=_int(context.get("x-last-position"), "x-last-position", line),
                    status=status,
                    unit_id=tu.get("id"),
                    document_title=file.get("original") if context else None,
                    source_status=context.get("x-source-status"),
                    source_version=_int(context.get("x-source-version"), "x-source-version", line),
                    target_version=_int(context.get("x-version"), "x-version", line),
                    changed_at=_datetime(context.get("x-changed-at"), "x-changed-at", line),
                    line=line,
                )
            )
    _check_languages(
        "XLIFF", found, source_lang, target_lang, source_seen=source_seen, target_seen=target_seen
    )
    return units


def _read_xliff20(root: etree._Element, ns: str, source_lang: str, target_lang: str) -> list[ImportedUnit]:
    src, trg = root.get("srcLang"), root.get("trgLang")
    found = {lang for lang in (src, trg) if lang}
    _check_languages(
        "XLIFF",
        found,
        source_lang,
        target_lang,
        source_seen=same_language(src, source_lang),
        target_seen=trg is None or same_language(trg, target_lang),
    )
    units: list[ImportedUnit] = []
    segment_tag, ignorable_tag = _q(ns, "segment"), _q(ns, "ignorable")
    for file in root.iterchildren(_q(ns, "file")):
        for unit in file.iter(_q(ns, "unit")):
            line = unit.sourceline
            meta = {
                m.get("type", ""): m.text or ""
                for group in unit.iterfind(f"{{{MDA_NS}}}metadata/{{{MDA_NS}}}metaGroup")
                if group.get("category") == CREATION_GROUP
                for m in group.iterchildren(f"{{{MDA_NS}}}meta")
            }
            sources: list[str] = []
            targets: list[str] = []
            states: list[str | None] = []
            sub_states: list[str | None] = []
            for part in unit.iterchildren(segment_tag, ignorable_tag):
                source = part.find(_q(ns, "source"))
                if source is None:
                    raise FormatError(f"XLIFF <{_local(part.tag)}> without <source> (line {part.sourceline})")
                sources.append(_text(source))
                target = part.find(_q(ns, "target"))
                # an ignorable without a target keeps its source text in the target
                targets.append(
                    _text(target) if target is not None else ("" if part.tag == segment_tag else sources[-1])
                )
                if part.tag == segment_tag:
                    states.append(part.get("state"))
                    sub_states.append(part.get("subState"))
            if not sources:
                raise FormatError(f"XLIFF <unit> without <segment> (line {line})", line=line)
            statuses = [state20_to_status(state) for state in states]
            order = ["draft", "submitted", "approved"]
            status = min((s for s in statuses if s), key=order.index, default=None)
            if len(states) == 1 and sub_states[0] and sub_states[0].startswith(SUBSTATE_PREFIX):
                exported = sub_states[0][len(SUBSTATE_PREFIX) :]
                if status_to_state20(exported) == (states[0] or "initial"):
                    status = exported
            units.append(
                ImportedUnit(
                    source_text="".join(sources),
                    target_text="".join(targets) if any(targets) else "",
                    document_id=_int(meta.get("document-id"), "document-id", line),
                    first_position=_int(meta.get("first-position"), "first-position", line),
                    last_position=_int(meta.get("last-position"), "last-position", line),
                    status=status,
                    unit_id=unit.get("id"),
                    document_title=file.get("original") if meta else None,
                    source_status=meta.get("source-status"),
                    source_version=_int(meta.get("source-version"), "source-version", line),
                    target_version=_int(meta.get("version"), "version", line),
                    changed_at=_datetime(meta.get("changed-at"), "changed-at", line),
                    line=line,
                )
            )
    return units


# --- TSV ----------------------------------------------------------------------------------------

_TSV_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_TSV_UNESCAPED = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _tsv_unescape(field: str) -> str:
    if "\\" not in field:
        return field
    # \\ \t \n \r are escapes (PostgreSQL COPY text format); any other backslash stays as it is.
    return _TSV_ESCAPE.sub(lambda m: _TSV_UNESCAPED.get(m.group(1), m.group(0)), field)


def read_tsv(data: bytes, *, source_lang: str, target_lang: str) -> list[ImportedUnit]:
    """Read TSV with a header row. Needs ``source`` and ``target`` columns (or columns named by the
    language codes, e.g. ``zh`` and ``en``); every other column of ``TSV_COLUMNS`` is optional.
    When the ``source_lang`` / ``target_lang`` columns are present they must match the request."""
    _require_content(data, "TSV")
    text = _decode_utf8(bytes(data), "TSV")
    lines = text.split("\n")
    header = [name.strip().lower() for name in lines[0].rstrip("\r").split("\t")]
    index = {name: i for i, name in enumerate(header) if name}

    def column(names: tuple[str, ...], lang: str) -> int | None:
        for name in names:
            if name in index:
                return index[name]
        # a spreadsheet may name the text columns by language: "zh", "en-US"...
        return next((i for name, i in index.items() if same_language(name, lang)), None)

    source_col = column(("source", "source_text"), source_lang)
    target_col = column(("target", "target_text"), target_lang)
    if source_col is None or target_col is None:
        raise FormatError(
            "TSV header (line 1) needs a 'source' and a 'target' column (or columns named "
            f"{source_lang} and {target_lang}); found: {', '.join(header) or 'none'}",
            line=1,
        )
    get: Callable[[str], int | None] = index.get
    cols = {name: get(name) for name in (
        "document_id", "first_position", "last_position", "source_lang", "target_lang", "status",
        "version", "source_status", "source_version", "changed_at", "unit_id", "document_title",
    )}  # fmt: skip
    width = len(header)
    found: set[str] = set()
    units: list[ImportedUnit] = []
    for number, raw in enumerate(lines[1:], start=2):
        row_text = raw[:-1] if raw.endswith("\r") else raw
        if not row_text:
            continue
        row = row_text.split("\t")
        if len(row) != width:
            raise FormatError(f"TSV line {number} has {len(row)} fields, the header has {width}", line=number)

        def field(name: str, row: list[str] = row) -> str | None:
            i = cols[name]
            return None if i is None else _tsv_unescape(row[i])

        for name, requested in (("source_lang", source_lang), ("target_lang", target_lang)):
            lang = field(name)
            if lang:
                found.add(lang)
                if not same_language(lang, requested):
                    raise FormatError(
                        f"TSV line {number}: {name} is {lang!r}, the import is {source_lang}->{target_lang}",
                        line=number,
                    )
        units.append(
            ImportedUnit(
                source_text=_tsv_unescape(row[source_col]),
                target_text=_tsv_unescape(row[target_col]),
                document_id=_int(field("document_id"), "document_id", number),
                first_position=_int(field("first_position"), "first_position", number),
                last_position=_int(field("last_position"), "last_position", number),
                status=field("status") or None,
                unit_id=field("unit_id") or None,
                document_title=field("document_title"),
                source_status=field("source_status") or None,
                source_version=_int(field("source_version"), "source_version", number),
                target_version=_int(field("version"), "version", number),
                changed_at=_datetime(field("changed_at"), "changed_at", number),
                line=number,
            )
        )
    return units


# --- JSONL --------------------------------------------------------------------------------------


def read_jsonl(data: bytes, *, source_lang: str, target_lang: str) -> list[ImportedUnit]:
    """Read JSONL written by ``write_jsonl``; the ``next_cursor`` trailer line is skipped."""
    _require_content(data, "JSONL")
    text = _decode_utf8(bytes(data), "JSONL")
    units: list[ImportedUnit] = []
    for number, line_text in enumerate(text.split("\n"), start=1):
        if not line_text.strip():
            continue
        try:
            obj = json.loads(line_text)
        except json.JSONDecodeError as exc:
            raise FormatError(f"JSONL line {number}: {exc.msg} (column {exc.colno})", line=number) from None
        except RecursionError:
            raise FormatError(f"JSONL line {number}: nested too deep", line=number) from None
        if not isinstance(obj, dict):
            raise FormatError(f"JSONL line {number}: expected an object", line=number)
        if "unit_id" not in obj and "next_cursor" in obj:
            continue
        for name, requested in (("source_lang", source_lang), ("target_lang", target_lang)):
            lang = obj.get(name)
            if lang is not None and not same_language(str(lang), requested):
                raise FormatError(
                    f"JSONL line {number}: {name} is {lang!r}, the import is {source_lang}->{target_lang}",
                    line=number,
                )
        source, target = obj.get("source_text"), obj.get("target_text", "")
        if not isinstance(source, str) or not isinstance(target, str):
            raise FormatError(
                f"JSONL line {number}: source_text and target_text must be strings", line=number
            )

        def num(name: str, obj: dict = obj, number: int = number) -> int | None:
            value = obj.get(name)
            return None if value is None else _int(str(value), name, number)

        units.append(
            ImportedUnit(
                source_text=source,
                target_text=target,
                document_id=num("document_id"),
                first_position=num("first_position"),
                last_position=num("last_position"),
                status=obj.get("target_status"),
                unit_id=obj.get("unit_id"),
                document_title=obj.get("document_title"),
                source_status=obj.get("source_status"),
                source_version=num("source_version"),
                target_version=num("target_version"),
                changed_at=_datetime(obj.get("changed_at"), "changed_at", number),
                line=number,
            )
        )
    return units


Reader = Callable[..., list[ImportedUnit]]

READERS: dict[str, Reader] = {
    "tmx": read_tmx,
    "xliff": read_xliff,
    "xliff2": read_xliff,
    "tsv": read_tsv,
    "jsonl": read_jsonl,
}
