"""Import bilingual files (TMX, XLIFF, TSV, JSONL) back into a document's translations.

Units are matched to source segments by their source text and position: a unit that names positions
whose source text is the joined text of those segments matches there; otherwise a unit whose source
text equals exactly one segment's text (or a run of consecutive segments) of the document matches
there. All or nothing, with a report. An import never overwrites approved text or a newer version,
and never changes a span that another translation covers differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from corpus import permissions
from corpus.errors import InvalidInput
from corpus.languages import validate_language
from corpus.models import Document, Revision, Segment, Translation
from corpus.segmentation import normalise
from exchange.formats import READERS, FormatError, ImportedUnit
from translations import kernel

Status = Translation.Status


@dataclass
class ImportReport:
    units: int = 0
    matched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "units": self.units,
            "matched": self.matched,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unmatched": self.unmatched,
            "conflicts": self.conflicts,
        }


def _key(text: str) -> str:
    return normalise(text).replace(" ", "")


def _match(unit: ImportedUnit, segments: list[str], starts: dict[str, list[int]]) -> tuple[int, int] | None:
    source = _key(unit.source_text)
    if not source:
        return None
    if unit.first_position is not None and unit.last_position is not None:
        first, last = unit.first_position, unit.last_position
        if 0 <= first <= last < len(segments) and _key("".join(segments[first : last + 1])) == source:
            return first, last
    # A segment's key is its first 8 characters, or all of it when shorter: a unit over several
    # segments whose first is short (a heading, a short sentence) is found under that shorter key.
    candidates = sorted({first for n in range(1, 9) for first in starts.get(source[:n], ())})
    for first in candidates:
        joined = ""
        for last in range(first, min(len(segments), first + 50)):
            joined += _key(segments[last])
            if joined == source:
                return first, last
            if not source.startswith(joined):
                break
    return None


@transaction.atomic
def translations_import(
    *, document: Document, data: bytes, format: str, language: str, actor, dry_run: bool = False
) -> ImportReport:
    validate_language(language)
    permissions.ensure(permissions.can_write(actor, language))
    reader = READERS.get(format)
    if reader is None:
        raise InvalidInput(
            f"Unknown format '{format}' (known: {', '.join(READERS)}).", detail={"field": "format"}
        )
    try:
        units = reader(data, source_lang="zh", target_lang=language)
    except FormatError as error:
        raise InvalidInput(str(error), detail={"line": error.line, "offset": error.offset}) from error
    kernel.lock_document(document)
    segments = list(
        Segment.objects.filter(document=document).order_by("position").values_list("text", flat=True)
    )
    starts: dict[str, list[int]] = {}
    for position, text in enumerate(segments):
        starts.setdefault(_key(text)[:1], []).append(position)
    live = kernel.lock_live(document, language)
    report = ImportReport(units=len(units))
    claimed: set[int] = set()
    for unit in units:
        where = {"line": unit.line, "source": unit.source_text[:80]}
        text = normalise_target(unit.target_text)
        if not text:
            report.unmatched.append({**where, "reason": "empty target"})
            continue
        span = _match(unit, segments, starts)
        if span is None:
            report.unmatched.append({**where, "reason": "no segment of this document has this source text"})
            continue
        first, last = span
        report.matched += 1
        if first in claimed:
            report.conflicts.append(
                {**where, "reason": f"another unit of this file already matched segment {first}"}
            )
            continue
        claimed.add(first)
        overlapping = [t for t in live if t.first_position <= last and first <= t.last_position]
        exact = next((t for t in overlapping if (t.first_position, t.last_position) == (first, last)), None)
        if exact is None and overlapping:
            other = overlapping[0]
            report.conflicts.append(
                {
                    **where,
                    "reason": f"segments {first}..{last} are covered differently by translation {other.pk}",
                }
            )
            continue
        if exact is None:
            translation = kernel.create(
                document=document,
                language=language,
                first=first,
                last=last,
                text=text,
                actor=actor,
                origin=Translation.Origin.IMPORTED,
                action=Revision.Action.IMPORT,
                comment=f"imported from {format}",
                check_span=False,
            )
            live.append(translation)
            report.created += 1
            continue
        if exact.text == text:
            report.unchanged += 1
            continue
        if exact.status == Status.APPROVED:
            report.conflicts.append(
                {**where, "reason": f"translation {exact.pk} is approved; an import never overwrites it"}
            )
            continue
        if unit.target_version is not None and exact.version > unit.target_version:
            report.conflicts.append(
                {
                    **where,
                    "reason": f"translation {exact.pk} is at version {exact.version}, newer than the file's {unit.target_version}",
                }
            )
            continue
        kernel.edit(
            exact, text=text, actor=actor, action=Revision.Action.IMPORT, comment=f"imported from {format}"
        )
        report.updated += 1
    if dry_run:
        transaction.set_rollback(True)
    return report


def normalise_target(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()
