"""Planning an alignment: a pasted translation split into sentences and aligned to the source.

Reads only. Approved translations of the language, and submitted ones unless the caller asks to
replace them, are kept: found in the pasted text they are fixed anchors of the aligner; not found,
the units that overlap them are dropped from the plan (their segments keep what the reviewers saw).
Applying a plan is a use case of the write kernel (``alignment.services.alignment_apply``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from alignment.aligner import Bead, align
from alignment.language import language_mismatch
from alignment.splitting import joiner, paragraph_indices, split_sentences
from corpus.errors import InvalidInput
from corpus.languages import validate_language
from corpus.models import Document, Segment, Translation

Status = Translation.Status
LOW_SCORE = 0.5


@dataclass
class PlannedUnit:
    first: int | None  # source positions (None for a target sentence with no source)
    last: int | None
    sentences: list[int]
    text: str
    score: float
    kept: Translation | None = None  # an approved or submitted translation kept as a fixed anchor
    flags: list[str] = field(default_factory=list)
    source: str = ""  # the covered source text, for display

    @property
    def is_untranslated(self) -> bool:
        """No text for these segments, in the paste or kept."""
        return not self.sentences and self.held is None

    standing: Translation | None = None  # a kept translation the paste did not contain, left as it is

    @property
    def held(self) -> Translation | None:
        """The reviewed translation these segments keep (an anchor found in the paste, or standing)."""
        return self.kept or self.standing


@dataclass
class AlignmentPlan:
    document: Document
    language: str
    sentences: list[str]
    units: list[PlannedUnit]
    replace_submitted: bool = False
    submitted_in_range: int = 0  # submitted translations the paste would replace if asked to

    def summary(self) -> dict:
        aligned = [u for u in self.units if u.sentences and u.kept is None and u.first is not None]
        return {
            "sentences": len(self.sentences),
            "units": len(aligned),
            "anchors": sum(1 for u in self.units if u.kept is not None),
            "kept_submitted": sum(
                1 for u in self.units if u.held is not None and u.held.status == "submitted"
            ),
            "kept_approved": sum(1 for u in self.units if u.held is not None and u.held.status == "approved"),
            "submitted_replaceable": self.submitted_in_range,
            "untranslated_segments": sum(
                u.last - u.first + 1 for u in self.units if u.first is not None and u.is_untranslated
            ),
            "low_score_units": sum(1 for u in aligned if u.score < LOW_SCORE),
            "flagged_units": sum(1 for u in aligned if u.flags),
        }


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _anchors(kept: list[Translation], sentences: list[str]) -> list[tuple[range, range, Translation]]:
    """Kept translations whose text is found, as consecutive sentences, in the pasted text."""
    keys = [_key(sentence) for sentence in sentences]
    anchors = []
    start = 0
    for translation in kept:
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


def alignment_plan(
    *, document: Document, language: str, text: str, replace_submitted: bool = False
) -> AlignmentPlan:
    validate_language(language)
    if mismatch := language_mismatch(text, language):
        raise InvalidInput(mismatch, detail={"field": "text"})
    sentences = split_sentences(text, language)
    if not sentences:
        raise InvalidInput("The translation has no sentences to align.", detail={"field": "text"})
    rows = list(
        Segment.objects.filter(document=document).order_by("position").values_list("text", "paragraph")
    )
    segments = [text for text, _paragraph in rows]
    kept_statuses = [Status.APPROVED] if replace_submitted else [Status.APPROVED, Status.SUBMITTED]
    kept = list(
        Translation.objects.filter(
            document=document, language=language, status__in=kept_statuses, retired_at__isnull=True
        ).order_by("first_position")
    )
    found = _anchors(kept, sentences)
    by_source = {anchor[0].start: anchor[2] for anchor in found}
    beads = align(
        segments,
        sentences,
        src_lang="zh",
        tgt_lang=language,
        anchors=[(src, tgt) for src, tgt, _ in found],
        # paragraph breaks agreeing on both sides are soft anchors
        src_paragraphs=[paragraph for _text, paragraph in rows],
        tgt_paragraphs=paragraph_indices(text, language),
    )
    units = _units(beads, sentences, language, by_source)
    _drop_overlaps_with_unanchored(units, kept, found)
    submitted = sum(1 for t in kept if t.status == Status.SUBMITTED)
    if replace_submitted:
        submitted = Translation.objects.filter(
            document=document, language=language, status=Status.SUBMITTED, retired_at__isnull=True
        ).count()
    return AlignmentPlan(document, language, sentences, units, replace_submitted, submitted)


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
            kept=anchors.get(bead.src[0]) if bead.src[0] in anchors and bead.score >= 1.0 else None,
        )
        if orphans and unit.sentences and unit.kept is None:
            unit.sentences = orphans + unit.sentences
            unit.flags.append(f"{len(orphans)} target sentence(s) without source joined here")
            orphans = []
        elif orphans and unit.kept is not None:
            # never carry target sentences across a fixed anchor: they join the unit before it
            previous = units[-1] if units else None
            if previous is not None and previous.sentences and previous.kept is None:
                previous.sentences += orphans
                previous.flags.append(f"{len(orphans)} target sentence(s) without source joined here")
                orphans = []
        units.append(unit)
    if orphans:  # trailing target sentences: join the last unit that has text
        for unit in reversed(units):
            if unit.sentences and unit.kept is None:
                unit.sentences += orphans
                unit.flags.append(f"{len(orphans)} target sentence(s) without source joined here")
                break
    for unit in units:
        unit.text = joiner(language).join(sentences[j] for j in unit.sentences)
    return units


def _drop_overlaps_with_unanchored(units: list[PlannedUnit], kept: list[Translation], found) -> None:
    """A kept translation not found in the pasted text still stands: units that overlap it are
    dropped from the plan (their segments keep the reviewed text, shown as what it is)."""
    anchored = {anchor[2].pk for anchor in found}
    standing = [t for t in kept if t.pk not in anchored]
    if not standing:
        return
    for unit in units:
        if unit.kept is not None or unit.first is None:
            continue
        over = next(
            (t for t in standing if unit.first <= t.last_position and t.first_position <= unit.last), None
        )
        if over is not None:
            if unit.sentences:
                unit.flags.append(f"overlaps a {over.status} translation; not applied")
            unit.sentences = []
            unit.text = ""
            unit.standing = over
