"""Glossary: terms zh -> en and zh -> ko, preferred or forbidden, with notes.

Editors manage the glossary; translators read it. Candidates come from jieba's keyword extraction
(``jieba.analyse``) over a document and count only once an editor gives them a translation and makes
them preferred (or forbidden). The ``glossary`` quality check uses the counted terms.

Exchange: TBX (the standard ``martif`` layout with ``administrativeStatus`` term notes, which
translate-toolkit reads) and CSV (source, language, target, status, note).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from lxml import etree

from corpus import permissions
from corpus.errors import InvalidInput, NotFound
from corpus.models import Document, GlossaryTerm, Segment
from corpus.quality import GlossaryTerm as CheckTerm

Status = GlossaryTerm.Status
COUNTED = (Status.PREFERRED, Status.FORBIDDEN)
TBX_STATUS = {Status.PREFERRED: "preferredTerm-admn-sts", Status.FORBIDDEN: "deprecatedTerm-admn-sts"}
TBX_STATUS_BACK = {
    "preferredterm-admn-sts": Status.PREFERRED,
    "admittedterm-admn-sts": Status.PREFERRED,
    "deprecatedterm-admn-sts": Status.FORBIDDEN,
    "supersededterm-admn-sts": Status.FORBIDDEN,
}
CSV_COLUMNS = ["source", "language", "target", "status", "note"]


def check_terms(language: str) -> list[CheckTerm]:
    """The counted terms of ``language`` in the form the quality check takes."""
    grouped: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"preferred": [], "forbidden": []})
    for source, target, status in GlossaryTerm.objects.filter(
        language=language, status__in=COUNTED
    ).values_list("source", "target", "status"):
        grouped[source][status].append(target)
    return [
        CheckTerm(source=source, preferred=tuple(parts["preferred"]), forbidden=tuple(parts["forbidden"]))
        for source, parts in grouped.items()
    ]


def _clean(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"The {field} is longer than {limit} characters.", detail={"field": field})
    return value


@transaction.atomic
def term_save(
    *,
    actor,
    language: str,
    source: str,
    target: str = "",
    status: str = Status.PREFERRED,
    note: str = "",
    term: GlossaryTerm | None = None,
) -> GlossaryTerm:
    """Create a term, or change one (editors only)."""
    from corpus.services import validate_language

    validate_language(language)
    permissions.ensure(permissions.can_review(actor, language))
    source, target = _clean(source, "source", 200), _clean(target, "target", 300)
    if not source:
        raise InvalidInput("A term needs its Chinese source.", detail={"field": "source"})
    if status not in Status.values:
        raise InvalidInput(f"Unknown status '{status}'.", detail={"field": "status"})
    if status in COUNTED and not target:
        raise InvalidInput("A preferred or forbidden term needs its translation.", detail={"field": "target"})
    term = term or GlossaryTerm(created_by=actor)
    term.language, term.source, term.target, term.status, term.note = (
        language,
        source,
        target,
        status,
        note or "",
    )
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:
        raise InvalidInput(f"The term {source} → {target} ({language}) exists already.") from None
    return term


@transaction.atomic
def term_delete(*, actor, term: GlossaryTerm) -> None:
    permissions.ensure(permissions.can_review(actor, term.language))
    term.delete()


@transaction.atomic
def glossary_propose(*, document: Document, language: str, actor, top: int = 30) -> list[GlossaryTerm]:
    """Candidate terms for a document from jieba's TF-IDF keywords; an editor reviews them."""
    import jieba.analyse

    from corpus.services import validate_language

    validate_language(language)
    permissions.ensure(permissions.can_review(actor, language))
    text = "\n".join(
        Segment.objects.filter(document=document).order_by("position").values_list("text", flat=True)
    )
    keywords = [word for word in jieba.analyse.extract_tags(text, topK=top * 2) if len(word) >= 2][:top]
    known = set(
        GlossaryTerm.objects.filter(language=language, source__in=keywords).values_list("source", flat=True)
    )
    created = [
        GlossaryTerm(language=language, source=word, target="", status=Status.CANDIDATE, created_by=actor)
        for word in keywords
        if word not in known
    ]
    GlossaryTerm.objects.bulk_create(created)
    return created


# --- highlighting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    source: str
    translations: dict[str, list[str]]  # language -> preferred targets
    forbidden: dict[str, list[str]]


def hits_finder(languages: list[str]):
    """A function text -> list[Hit] over the counted terms of ``languages`` (one query)."""
    terms: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: {"preferred": defaultdict(list), "forbidden": defaultdict(list)}
    )
    for source, language, target, status in GlossaryTerm.objects.filter(
        language__in=languages, status__in=COUNTED
    ).values_list("source", "language", "target", "status"):
        terms[source][status][language].append(target)
    if not terms:
        return lambda text: []
    pattern = re.compile("|".join(re.escape(source) for source in sorted(terms, key=len, reverse=True)))

    def find(text: str) -> list[Hit]:
        return [
            Hit(
                match.start(),
                match.end(),
                match.group(0),
                dict(terms[match.group(0)]["preferred"]),
                dict(terms[match.group(0)]["forbidden"]),
            )
            for match in pattern.finditer(text)
        ]

    return find


# --- exchange -----------------------------------------------------------------------------------


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
    from corpus.exchange import FormatError
    from corpus.exchange.readers import _parse_xml
    from corpus.exchange.units import primary_language

    try:
        root = _parse_xml(data, "TBX")
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
def glossary_import(*, data: bytes, format: str, actor) -> dict:
    """Import TBX or CSV terms, all or nothing; existing terms are updated, new ones created."""
    from django.conf import settings

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
    for item in parsed:
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
    return {"terms": len(parsed), "created": created, "updated": updated}


def get_term(pk: int) -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(pk=pk).first()
    if term is None:
        raise NotFound("No such glossary term.")
    return term
