"""Glossary exchange with other tools: TBX (the standard ``martif`` layout with
``administrativeStatus`` term notes, which translate-toolkit reads) and CSV (source, language,
target, status, note). Imports are all or nothing and leave an audit row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from lxml import etree

from corpus import permissions
from corpus.audit import audit
from corpus.errors import InvalidInput
from corpus.models import AuditEvent, GlossaryTerm
from exchange.formats import FormatError
from exchange.formats.readers import parse_xml
from exchange.formats.units import primary_language
from memory.glossary import COUNTED, term_save

Status = GlossaryTerm.Status
TBX_STATUS = {Status.PREFERRED: "preferredTerm-admn-sts", Status.FORBIDDEN: "deprecatedTerm-admn-sts"}
TBX_STATUS_BACK = {
    "preferredterm-admn-sts": Status.PREFERRED,
    "admittedterm-admn-sts": Status.PREFERRED,
    "deprecatedterm-admn-sts": Status.FORBIDDEN,
    "supersededterm-admn-sts": Status.FORBIDDEN,
}
CSV_COLUMNS = ["source", "language", "target", "status", "note"]


def export_tbx(terms: list[GlossaryTerm]) -> bytes:
    """The counted terms (preferred and forbidden) as TBX; candidates and dismissed terms are the
    workbench's own review state and travel only in CSV, so a TBX round trip never promotes them."""
    terms = [term for term in terms if term.status in COUNTED]
    # Built as a tree: lxml's incremental writer (etree.xmlfile) declares the reserved xml namespace
    # under a generated prefix (xmlns:ns0=...; ns0:lang), which no XML parser accepts.
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = etree.Element("martif", {"type": "TBX", xml_lang: "zh"})
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = "translation-workbench glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for term in terms:
        entry = etree.SubElement(body, "termEntry", id=f"t{term.pk}")
        if term.note:
            etree.SubElement(entry, "descrip", type="definition").text = term.note
        source = etree.SubElement(entry, "langSet", {xml_lang: "zh"})
        etree.SubElement(etree.SubElement(source, "tig"), "term").text = term.source
        target = etree.SubElement(entry, "langSet", {xml_lang: term.language})
        tig = etree.SubElement(target, "tig")
        etree.SubElement(tig, "term").text = term.target
        if term.status in TBX_STATUS:
            etree.SubElement(tig, "termNote", type="administrativeStatus").text = TBX_STATUS[term.status]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def export_csv(terms: list[GlossaryTerm]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for term in terms:
        writer.writerow([term.source, term.language, term.target, term.status, term.note])
    return out.getvalue().encode()


@dataclass(frozen=True)
class ParsedTerm:
    source: str
    language: str
    target: str
    status: str
    note: str


def parse_tbx(data: bytes, languages: list[str]) -> list[ParsedTerm]:
    try:
        root = parse_xml(data, "TBX")
    except FormatError as error:
        raise InvalidInput(str(error), detail={"line": error.line}) from error
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    terms = []
    for entry in root.iter("termEntry"):
        note = " ".join((d.text or "").strip() for d in entry.iter("descrip"))
        sources, targets = [], []
        for lang_set in entry.iter("langSet"):
            language = primary_language(lang_set.get(lang_attr, ""))
            for tig in lang_set:
                if tig.tag not in {"tig", "ntig"}:
                    continue
                term = next(tig.iter("term"), None)
                text = "".join(term.itertext()).strip() if term is not None else ""
                status_note = next(
                    (n for n in tig.iter("termNote") if n.get("type") == "administrativeStatus"), None
                )
                status = TBX_STATUS_BACK.get(
                    ((status_note.text or "") if status_note is not None else "").strip().lower()
                )
                if not text:
                    continue
                if language == "zh":
                    sources.append(text)
                elif language in languages:
                    targets.append((language, text, status or Status.PREFERRED))
        for source in sources:
            terms.extend(
                ParsedTerm(source, language, text, status, note) for language, text, status in targets
            )
    return terms


def parse_csv(data: bytes, languages: list[str]) -> list[ParsedTerm]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"The CSV file is not UTF-8 (byte offset {error.start}).") from error
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"source", "language", "target"} <= set(reader.fieldnames):
        raise InvalidInput(
            "The CSV file needs the columns source, language, target (status and note optional)."
        )
    terms = []
    for number, row in enumerate(reader, start=2):
        language = (row.get("language") or "").strip()
        if language not in languages:
            raise InvalidInput(f"CSV line {number}: unknown language '{language}'.")
        status = (row.get("status") or Status.PREFERRED).strip()
        if status not in Status.values:
            raise InvalidInput(f"CSV line {number}: unknown status '{status}'.")
        terms.append(
            ParsedTerm(
                row["source"].strip(),
                language,
                (row.get("target") or "").strip(),
                status,
                (row.get("note") or "").strip(),
            )
        )
    return terms


@transaction.atomic
def glossary_import(*, data: bytes, format: str, actor, progress=None, batch_size: int = 500) -> dict:
    """Import TBX or CSV terms, all or nothing; existing terms are updated, new ones created.
    ``progress`` (a background job's): told the terms and every ``batch_size`` saved; it raises
    between batches to cancel, which rolls the whole import back."""
    if not data.strip():
        raise InvalidInput("The file is empty.")
    languages = list(settings.WORKBENCH_TARGET_LANGUAGES)
    if format == "tbx":
        parsed = parse_tbx(data, languages)
    elif format == "csv":
        parsed = parse_csv(data, languages)
    else:
        raise InvalidInput(
            f"Unknown glossary format '{format}' (known: tbx, csv).", detail={"field": "format"}
        )
    created = updated = 0
    if progress is not None:
        progress.start(len(parsed), phase="saving terms")
    for number, item in enumerate(parsed, 1):
        permissions.ensure(permissions.can_review(actor, item.language))
        existing = GlossaryTerm.objects.filter(
            language=item.language, source=item.source, target=item.target
        ).first()
        term_save(
            actor=actor,
            language=item.language,
            source=item.source,
            target=item.target,
            status=item.status,
            note=item.note,
            term=existing,
        )
        created += existing is None
        updated += existing is not None
        if progress is not None and (number % batch_size == 0 or number == len(parsed)):
            progress.advance(number - progress.done)
    audit(
        AuditEvent.Action.GLOSSARY_IMPORT,
        actor=actor,
        target="glossary",
        format=format,
        terms=len(parsed),
        created=created,
        updated=updated,
    )
    return {"terms": len(parsed), "created": created, "updated": updated}
