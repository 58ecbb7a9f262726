"""Applying alignments and fixing them by hand: the writes of the alignment app.

``alignment_plan`` splits a pasted translation into sentences and aligns them to a document's source
segments, with the approved translations of that language as fixed anchors. ``alignment_apply``
replaces, in one transaction, every live translation of that language that is not approved by the
plan's units (origin ``aligned``, status draft, the bead score kept). Replaced spans are retired, not
deleted, so their history stays.

Manual fixes: ``translation_merge`` (two neighbouring units become one), ``translation_split`` (one
unit becomes two at a target sentence boundary, the source divided where the user says) and
``translation_move_sentence`` (the first or last target sentence moves to the neighbour). Each is
version-checked, leaves revisions, and is refused on approved units for translators.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from alignment.aligner import Bead, align
from alignment.language import language_mismatch
from alignment.splitting import split_sentences
from corpus import assessment, memory, permissions
from corpus.errors import InvalidInput, InvalidSpan, SourceImportError
from corpus.models import Document, Revision, Segment, Translation
from corpus.services import (
    _check_version,
    _locked,
    _record,
    decode_source,
    lock_document,
    new_draft,
    validate_language,
)

Action = Revision.Action
Status = Translation.Status
LOW_SCORE = 0.5


@dataclass
class PlannedUnit:
    first: int | None  # source positions (None for a target sentence with no source)
    last: int | None
    sentences: list[int]
    text: str
    score: float
    approved: Translation | None = None  # an approved translation kept as a fixed anchor
    flags: list[str] = field(default_factory=list)
    source: str = ""  # the covered source text, for display

    @property
    def is_untranslated(self) -> bool:
        return not self.sentences


@dataclass
class AlignmentPlan:
    document: Document
    language: str
    sentences: list[str]
    units: list[PlannedUnit]

    def summary(self) -> dict:
        aligned = [u for u in self.units if u.sentences and u.approved is None and u.first is not None]
        return {
            "sentences": len(self.sentences),
            "units": len(aligned),
            "anchors": sum(1 for u in self.units if u.approved is not None),
            "untranslated_segments": sum(u.last - u.first + 1 for u in self.units if u.is_untranslated),
            "low_score_units": sum(1 for u in aligned if u.score < LOW_SCORE),
            "flagged_units": sum(1 for u in aligned if u.flags),
        }


def _joiner(language: str) -> str:
    return "" if language in {"zh", "ja"} else " "


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _anchors(approved: list[Translation], sentences: list[str]) -> list[tuple[range, range, Translation]]:
    """Approved translations whose text is found, as consecutive sentences, in the pasted text."""
    keys = [_key(sentence) for sentence in sentences]
    anchors = []
    start = 0
    for translation in approved:
        target = _key(translation.text)
        if not target:
            continue
        found = None
        for i in range(start, len(keys)):
            joined = ""
            for j in range(i, min(len(keys), i + 12)):
                joined += keys[j]
                if joined == target:
                    found = (i, j + 1)
                    break
                if not target.startswith(joined):
                    break
            if found:
                break
        if found:
            anchors.append(
                (range(translation.first_position, translation.last_position + 1), range(*found), translation)
            )
            start = found[1]
    return anchors


def alignment_plan(*, document: Document, language: str, text: str) -> AlignmentPlan:
    validate_language(language)
    if mismatch := language_mismatch(text, language):
        raise InvalidInput(mismatch, detail={"field": "text"})
    sentences = split_sentences(text, language)
    if not sentences:
        raise InvalidInput("The translation has no sentences to align.", detail={"field": "text"})
    segments = list(
        Segment.objects.filter(document=document).order_by("position").values_list("text", flat=True)
    )
    approved = list(
        Translation.objects.filter(
            document=document, language=language, status=Status.APPROVED, retired_at__isnull=True
        ).order_by("first_position")
    )
    found = _anchors(approved, sentences)
    by_source = {anchor[0].start: anchor[2] for anchor in found}
    beads = align(
        segments,
        sentences,
        src_lang="zh",
        tgt_lang=language,
        anchors=[(src, tgt) for src, tgt, _ in found],
    )
    units = _units(beads, sentences, language, by_source)
    _drop_overlaps_with_unanchored(units, approved, found)
    return AlignmentPlan(document, language, sentences, units)


def _units(
    beads: list[Bead], sentences: list[str], language: str, anchors: dict[int, Translation]
) -> list[PlannedUnit]:
    units: list[PlannedUnit] = []
    orphans: list[int] = []
    for bead in beads:
        if not bead.src:
            orphans.extend(bead.tgt)
            continue
        unit = PlannedUnit(
            first=bead.src[0],
            last=bead.src[-1],
            sentences=list(bead.tgt),
            text="",
            score=round(float(bead.score), 4),
            approved=anchors.get(bead.src[0]) if bead.src[0] in anchors and bead.score >= 1.0 else None,
        )
        if orphans and unit.sentences and unit.approved is None:
            unit.sentences = orphans + unit.sentences
            unit.flags.append(f"{len(orphans)} target sentence(s) without source joined here")
            orphans = []
        elif orphans and unit.approved is not None:
            # never carry target sentences across a fixed anchor: they join the unit before it
            previous = units[-1] if units else None
            if previous is not None and previous.sentences and previous.approved is None:
                previous.sentences += orphans
                previous.flags.append(f"{len(orphans)} target sentence(s) without source joined here")
                orphans = []
        units.append(unit)
    if orphans:  # trailing target sentences: join the last unit that has text
        for unit in reversed(units):
            if unit.sentences and unit.approved is None:
                unit.sentences += orphans
                unit.flags.append(f"{len(orphans)} target sentence(s) without source joined here")
                break
    for unit in units:
        unit.text = _joiner(language).join(sentences[j] for j in unit.sentences)
    return units


def _drop_overlaps_with_unanchored(units: list[PlannedUnit], approved: list[Translation], found) -> None:
    """An approved translation not found in the pasted text still stands: units that overlap it are
    dropped from the plan (their segments keep the approved text)."""
    anchored = {anchor[2].pk for anchor in found}
    standing = [(t.first_position, t.last_position) for t in approved if t.pk not in anchored]
    if not standing:
        return
    for unit in units:
        overlapping = any(unit.first is not None and unit.first <= b and a <= unit.last for a, b in standing)
        if unit.approved is None and overlapping:
            unit.flags.append("overlaps an approved translation; not applied")
            unit.sentences = []
            unit.text = ""


@transaction.atomic
def alignment_apply(*, plan: AlignmentPlan, actor) -> dict:
    """Replace the live, not approved translations of the plan's language with the plan's units.

    Only the stretch of the source the pasted translation covers is replaced (from its first to its
    last aligned segment): pasting the translation of one article leaves the drafts of the others.
    """
    document, language = plan.document, plan.language
    permissions.ensure(permissions.can_write(actor, language))
    lock_document(document)
    now = timezone.now()
    covered = [unit for unit in plan.units if unit.sentences and unit.first is not None]
    low = min((unit.first for unit in covered), default=0)
    high = max((unit.last for unit in covered), default=-1)
    replaced = list(
        Translation.objects.select_for_update()
        .filter(
            document=document,
            language=language,
            retired_at__isnull=True,
            first_position__lte=high,
            last_position__gte=low,
        )
        .exclude(status=Status.APPROVED)
    )
    approved_spans = list(
        Translation.objects.filter(
            document=document, language=language, retired_at__isnull=True, status=Status.APPROVED
        ).values_list("first_position", "last_position")
    )
    for translation in replaced:
        translation.retired_at = now
        translation.save(update_fields=["retired_at"])
        _record(translation, Action.RETIRE, actor, comment="replaced by an alignment")
    segments = dict(Segment.objects.filter(document=document).values_list("position", "text"))
    created = []
    for unit in plan.units:
        if unit.approved is not None or not unit.sentences or unit.first is None:
            continue
        if any(unit.first <= b and a <= unit.last for a, b in approved_spans):
            continue
        translation = new_draft(
            document=document,
            language=language,
            first=unit.first,
            last=unit.last,
            text=unit.text,
            origin=Translation.Origin.ALIGNED,
            actor=actor,
            source="".join(segments[p] for p in range(unit.first, unit.last + 1)),
            score=unit.score,
        )
        for flag in unit.flags:
            translation.findings.append(
                {"code": "alignment", "severity": "warning", "message": flag, "detail": None}
            )
        if unit.flags:
            translation.check_codes = sorted({*translation.check_codes, "alignment"})
        created.append(translation)
    Translation.objects.bulk_create(created)
    Revision.objects.bulk_create(
        Revision(
            translation=t,
            action=Action.ALIGN,
            text=t.text,
            status=t.status,
            version=t.version,
            first_position=t.first_position,
            last_position=t.last_position,
            actor=actor,
            comment=f"aligned, score {t.score:.2f}",
        )
        for t in created
    )
    return {
        **plan.summary(),
        "created": len(created),
        "retired": len(replaced),
        "replaced_range": [low, high] if high >= low else None,
    }


def decode_upload(data: bytes) -> str:
    try:
        return decode_source(data)
    except SourceImportError as error:
        raise InvalidInput(error.message) from error


# --- manual fixes -------------------------------------------------------------------------------


def _sentences(translation: Translation) -> list[str]:
    return split_sentences(translation.text, translation.language) if translation.text.strip() else []


def _replace(
    old: list[Translation], new: list[Translation], action: str, actor, comment: str
) -> list[Translation]:
    now = timezone.now()
    for translation in old:
        translation.retired_at = now
        translation.save(update_fields=["retired_at"])
        _record(translation, Action.RETIRE, actor, comment=comment)
        memory.memory_sync(translation)
    for translation in new:
        translation.updated_at = now
        translation.updated_by = actor
        translation.author = actor
        assessment.assess(translation)
        translation.save(force_insert=True)
        _record(translation, action, actor, comment=comment)
    return new


def _ensure_language(actor, *translations: Translation) -> None:
    """Checked before the version: a stale fix is a 409 with the current state even when the unit was
    approved meanwhile (like ``translation_save``), so the client re-reads instead of seeing a 403."""
    for translation in translations:
        permissions.ensure(permissions.can_work_in(actor, translation.language))


def _locked_pair(one: Translation | int, two: Translation | int) -> tuple[Translation, Translation]:
    """Lock two translations in id order, so two fixes on the same pair never deadlock."""
    pk_one = one if isinstance(one, int) else one.pk
    pk_two = two if isinstance(two, int) else two.pk
    if pk_one <= pk_two:
        first = _locked(pk_one)
        return first, _locked(pk_two)
    second = _locked(pk_two)
    return _locked(pk_one), second


def _ensure_fixable(actor, *translations: Translation) -> None:
    for translation in translations:
        permissions.ensure(permissions.can_fix_alignment(actor, translation))


def _new_from(template: Translation, *, first: int, last: int, text: str) -> Translation:
    status = Status.DRAFT if template.status != Status.APPROVED else Status.SUBMITTED
    if not text.strip():
        status = Status.DRAFT
    return Translation(
        document_id=template.document_id,
        language=template.language,
        first_position=first,
        last_position=last,
        text=text,
        status=status,
        origin=template.origin,
        score=template.score,
    )


@transaction.atomic
def translation_merge(
    *, first: Translation | int, second: Translation | int, first_version: int, second_version: int, actor
) -> Translation:
    """Two neighbouring translations of one language become one (only untranslated segments between)."""
    a, b = _locked_pair(first, second)
    if a.first_position > b.first_position:
        a, b = b, a
        first_version, second_version = second_version, first_version
    _ensure_language(actor, a, b)
    _check_version(a, first_version)
    _check_version(b, second_version)
    _ensure_fixable(actor, a, b)
    if a.document_id != b.document_id or a.language != b.language:
        raise InvalidSpan("Only translations of one document and language can be merged.")
    between = Translation.objects.filter(
        document_id=a.document_id,
        language=a.language,
        retired_at__isnull=True,
        first_position__gt=a.last_position,
        last_position__lt=b.first_position,
    )
    if between.exists():
        raise InvalidSpan(
            "Only neighbouring translations can be merged; another translation lies between them."
        )
    text = _joiner(a.language).join(part for part in (a.text.strip(), b.text.strip()) if part)
    merged = _new_from(a, first=a.first_position, last=b.last_position, text=text)
    if a.origin != b.origin:
        merged.origin = Translation.Origin.TYPED
    merged.score = None
    (merged,) = _replace([a, b], [merged], Action.MERGE, actor, comment=f"merged #{a.pk} and #{b.pk}")
    return merged


@transaction.atomic
def translation_split(
    *, translation: Translation | int, version: int, sentences_first: int, source_split: int, actor
) -> tuple[Translation, Translation]:
    """Split at a target sentence boundary: the first ``sentences_first`` sentences stay with the source
    segments before ``source_split``; the rest go with ``source_split``..last."""
    current = _locked(translation)
    _ensure_language(actor, current)
    _check_version(current, version)
    _ensure_fixable(actor, current)
    parts = _sentences(current)
    if not current.first_position < source_split <= current.last_position:
        raise InvalidSpan(
            f"The source split must be a position after {current.first_position} and at most {current.last_position}."
        )
    if not 0 <= sentences_first <= len(parts):
        raise InvalidInput(
            f"The translation has {len(parts)} sentences; cannot keep {sentences_first} in the first part."
        )
    joiner = _joiner(current.language)
    head = _new_from(
        current,
        first=current.first_position,
        last=source_split - 1,
        text=joiner.join(parts[:sentences_first]),
    )
    tail = _new_from(
        current, first=source_split, last=current.last_position, text=joiner.join(parts[sentences_first:])
    )
    head.score = tail.score = None
    _replace([current], [head, tail], Action.SPLIT, actor, comment=f"split #{current.pk}")
    return head, tail


@transaction.atomic
def translation_move_sentence(
    *,
    translation: Translation | int,
    version: int,
    neighbour: Translation | int,
    neighbour_version: int,
    actor,
) -> tuple[Translation, Translation]:
    """Move the first target sentence of ``translation`` to the neighbour before it, or its last sentence
    to the neighbour after it (which one follows from where the neighbour is)."""
    current, other = _locked_pair(translation, neighbour)
    _ensure_language(actor, current, other)
    _check_version(current, version)
    _check_version(other, neighbour_version)
    _ensure_fixable(actor, current, other)
    if current.document_id != other.document_id or current.language != other.language:
        raise InvalidSpan("The neighbour must be a translation of the same document and language.")
    parts = _sentences(current)
    if len(parts) < 2:
        raise InvalidInput("A translation needs at least two sentences to give one away.")
    joiner = _joiner(current.language)
    if other.last_position == current.first_position - 1:
        moved, kept = parts[0], parts[1:]
        other_text = joiner.join(part for part in (other.text.strip(), moved) if part)
    elif other.first_position == current.last_position + 1:
        moved, kept = parts[-1], parts[:-1]
        other_text = joiner.join(part for part in (moved, other.text.strip()) if part)
    else:
        raise InvalidSpan("Sentences move only to the translation right before or right after.")
    now = timezone.now()
    for item, text in ((current, joiner.join(kept)), (other, other_text)):
        item.text = text
        if item.status == Status.APPROVED:
            item.status = Status.SUBMITTED
        elif item.status == Status.REJECTED:
            item.status = Status.DRAFT
        item.version += 1
        item.updated_at = now
        item.updated_by = actor
        item.author = actor
        fields = assessment.assess(item)
        item.save(update_fields=["text", "status", "version", "updated_at", "updated_by", "author", *fields])
        _record(item, Action.EDIT, actor, comment=f"moved sentence “{moved[:60]}”")
        memory.memory_sync(item)
    return current, other


__all__ = [
    "AlignmentPlan",
    "PlannedUnit",
    "alignment_apply",
    "alignment_plan",
    "split_sentences",
    "translation_merge",
    "translation_move_sentence",
    "translation_split",
]
