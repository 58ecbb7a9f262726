"""Reference translations and the scores of the working translations against them.

A reference is kept apart from the working translations. It is loaded either from a file with one
line per source segment, or as a whole text that the aligner splits and aligns to the source.
Scores come from sacrebleu only (``quality.corpus_scores``), each with its signature.
"""

from __future__ import annotations

from django.db import transaction

from alignment.aligner import align
from alignment.splitting import joiner, split_sentences
from corpus import permissions
from corpus.audit import audit
from corpus.errors import InvalidInput
from corpus.languages import validate_language
from corpus.models import AuditEvent, Document, Reference, ReferenceUnit, Segment, Translation
from corpus.uploads import decode_text as decode_source
from quality import corpus_scores


@transaction.atomic
def reference_load(
    *, document: Document, language: str, data: bytes, name: str, actor, aligned: bool = False
) -> Reference:
    """Load a reference, all or nothing. ``aligned``: a whole text aligned by the aligner."""
    validate_language(language)
    permissions.ensure(permissions.can_work_in(actor, language))
    text = decode_source(data)
    segments = list(
        Segment.objects.filter(document=document).order_by("position").values_list("text", flat=True)
    )
    if aligned:
        units = _aligned_units(segments, text, language)
        origin = Reference.Origin.ALIGNED
    else:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) != len(segments):
            raise InvalidInput(
                f"The reference has {len(lines)} lines but the document has {len(segments)} segments; "
                "give one line per source segment (an empty line for a segment without reference).",
                detail={"lines": len(lines), "segments": len(segments)},
            )
        units = [(i, i, line.strip()) for i, line in enumerate(lines)]
        origin = Reference.Origin.LINES
    reference = Reference.objects.create(
        document=document,
        language=language,
        name=(name or "reference")[:200],
        origin=origin,
        created_by=actor,
    )
    ReferenceUnit.objects.bulk_create(
        ReferenceUnit(reference=reference, first_position=first, last_position=last, text=text)
        for first, last, text in units
    )
    audit(
        AuditEvent.Action.REFERENCE_LOAD,
        actor=actor,
        target="reference",
        target_id=reference.pk,
        document=document.pk,
        language=language,
        units=len(units),
    )
    return reference


def _aligned_units(segments: list[str], text: str, language: str) -> list[tuple[int, int, str]]:
    sentences = split_sentences(text, language)
    if not sentences:
        raise InvalidInput("The reference text has no sentences.")
    units = []
    for bead in align(segments, sentences, src_lang="zh", tgt_lang=language):
        if bead.src and bead.tgt:
            units.append((bead.src[0], bead.src[-1], joiner(language).join(sentences[j] for j in bead.tgt)))
    return units


def reference_scores(reference: Reference) -> dict:
    """Corpus BLEU, chrF and TER of the live translations against the reference, over the units both cover.

    A unit is a live translation span; the reference side is the reference text of the same positions.
    Reference units that straddle a translation span's edge are left out, so both sides mean the same.
    """
    units = list(
        reference.units.order_by("first_position").values_list("first_position", "last_position", "text")
    )
    by_position: dict[int, tuple[int, int, str]] = {}
    for first, last, text in units:
        if not text.strip():
            continue  # an empty line: no reference for these segments, so no span over them is scored
        for position in range(first, last + 1):
            by_position[position] = (first, last, text)
    translations = (
        Translation.objects.filter(
            document_id=reference.document_id, language=reference.language, retired_at__isnull=True
        )
        .exclude(text="")
        .order_by("first_position")
        .values_list("first_position", "last_position", "text")
    )
    hypotheses, references = [], []
    joiner = " "
    for first, last, text in translations:
        covering = [by_position.get(position) for position in range(first, last + 1)]
        if any(unit is None for unit in covering):
            continue
        starts = sorted({unit[0] for unit in covering})
        if covering[0][0] < first or covering[-1][1] > last:
            continue  # the reference unit reaches outside this translation's span
        reference_text = joiner.join(next(u[2] for u in covering if u[0] == s) for s in starts).strip()
        if not reference_text:
            continue
        hypotheses.append(text)
        references.append(reference_text)
    if not hypotheses:
        return {"segments": 0, "bleu": None, "chrf": None, "ter": None, "target_lang": reference.language}
    return corpus_scores(hypotheses, references, target_lang=reference.language)
