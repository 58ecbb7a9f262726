"""Applying alignments and fixing them by hand: translation edits, written through the kernel.

``alignment_apply`` replaces, in one transaction, the drafts and rejected translations of the
stretch of the source the pasted text covers with the plan's units (origin ``aligned``, status
draft, the bead score kept). Submitted translations are replaced only when the caller asks for it
(``replace_submitted``); approved ones never are. Each new unit names the translations it replaced,
so their whole history stays reachable from it.

Manual fixes: ``translation_merge`` (two neighbouring units become one), ``translation_split`` (one
unit becomes two at a target sentence boundary, the source divided where the user says) and
``translation_move_sentence`` (the first or last target sentence moves to the neighbour). Each is
version-checked, leaves revisions, and is refused on approved units for translators.
"""

from __future__ import annotations

from django.db import transaction

from alignment.plan import LOW_SCORE, AlignmentPlan, PlannedUnit, alignment_plan
from alignment.splitting import joiner, split_sentences
from corpus import permissions
from corpus.errors import InvalidInput, InvalidSpan, SourceImportError
from corpus.models import Revision, Translation
from corpus.selectors import span_sources
from corpus.uploads import decode_text
from translations import kernel, workflow

Action = Revision.Action
Status = Translation.Status


@transaction.atomic
def alignment_apply(
    *, plan: AlignmentPlan, actor, replace_submitted: bool | None = None, progress=None, batch_size: int = 500
) -> dict:
    """Replace what the plan may replace in the stretch the pasted translation covers.

    Only the stretch of the source the paste covers (from its first to its last aligned segment)
    is touched: pasting the translation of one article leaves the drafts of the others.
    ``progress`` (a background job's): told the units to write and each batch written; it raises
    between batches to cancel, which rolls the whole apply back.
    """
    document, language = plan.document, plan.language
    if replace_submitted is None:
        replace_submitted = plan.replace_submitted
    permissions.ensure(permissions.can_write(actor, language))
    kernel.lock_document(document)
    covered = [unit for unit in plan.units if unit.sentences and unit.first is not None]
    low = min((unit.first for unit in covered), default=0)
    high = max((unit.last for unit in covered), default=-1)
    replaceable = workflow.REPLACEABLE_WHEN_ASKED if replace_submitted else workflow.REPLACEABLE
    live = kernel.lock_live(document, language, first=low, last=high) if high >= low else []
    replaced = [t for t in live if t.status in replaceable]
    kept = [(t.first_position, t.last_position) for t in live if t.status not in replaceable]
    # kept spans outside the stretch still bound what may be created (a plan can be stale)
    kept += list(
        Translation.objects.filter(document=document, language=language, retired_at__isnull=True)
        .exclude(status__in=replaceable)
        .exclude(pk__in=[t.pk for t in live])
        .values_list("first_position", "last_position")
    )
    wanted = [
        unit
        for unit in plan.units
        if unit.kept is None
        and unit.sentences
        and unit.first is not None
        and not any(unit.first <= b and a <= unit.last for a, b in kept)
    ]
    sources = span_sources(document.pk, [(unit.first, unit.last) for unit in wanted])
    if progress is not None:
        progress.start(len(wanted), phase="writing units")
    created = kernel.replace(
        replaced,
        [
            kernel.NewUnit(
                first=unit.first,
                last=unit.last,
                text=unit.text,
                source=sources[(unit.first, unit.last)],
                score=unit.score,
                flags=list(unit.flags),
                comment=f"aligned, score {unit.score:.2f}",
            )
            for unit in wanted
        ],
        document=document,
        language=language,
        origin=Translation.Origin.ALIGNED,
        action=Action.ALIGN,
        actor=actor,
        comment="replaced by an alignment",
        progress=progress.advance if progress is not None else None,
        batch_size=batch_size,
    )
    return {
        **plan.summary(),
        "created": len(created),
        "retired": len(replaced),
        "replaced_submitted": sum(1 for t in replaced if t.status == Status.SUBMITTED),
        "replaced_range": [low, high] if high >= low else None,
    }


def decode_upload(data: bytes) -> str:
    try:
        return decode_text(data)
    except SourceImportError as error:
        raise InvalidInput(error.message) from error


# --- manual fixes -------------------------------------------------------------------------------


def _sentences(translation: Translation) -> list[str]:
    return split_sentences(translation.text, translation.language) if translation.text.strip() else []


def _check(actor, pairs: list[tuple[Translation, int]]) -> None:
    """Language first, then the versions, then the rule for fixing: a stale fix is a 409 with the
    current state even when the unit was approved meanwhile (like a save), not a 403."""
    for translation, _version in pairs:
        permissions.ensure(permissions.can_work_in(actor, translation.language))
    for translation, version in pairs:
        kernel.check_version(translation, version)
    for translation, _version in pairs:
        permissions.ensure(permissions.can_fix_alignment(actor, translation))


def _status_from(template: Translation) -> str:
    """A unit fixed from approved text goes back to review; anything else is a draft."""
    return Status.SUBMITTED if template.status == Status.APPROVED else Status.DRAFT


def _unit(first: int, last: int, text: str, status: str) -> kernel.NewUnit:
    return kernel.NewUnit(first=first, last=last, text=text, status=status if text.strip() else Status.DRAFT)


@transaction.atomic
def translation_merge(
    *, first: Translation | int, second: Translation | int, first_version: int, second_version: int, actor
) -> Translation:
    """Two neighbouring translations of one language become one (only untranslated segments between)."""
    a, b = kernel.lock_pair(first, second)
    if a.first_position > b.first_position:
        a, b = b, a
        first_version, second_version = second_version, first_version
    _check(actor, [(a, first_version), (b, second_version)])
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
    text = joiner(a.language).join(part for part in (a.text.strip(), b.text.strip()) if part)
    (merged,) = kernel.replace(
        [a, b],
        [_unit(a.first_position, b.last_position, text, _status_from(a))],
        document=a.document,
        language=a.language,
        origin=a.origin if a.origin == b.origin else Translation.Origin.TYPED,
        action=Action.MERGE,
        actor=actor,
        comment=f"merged #{a.pk} and #{b.pk}",
    )
    return merged


@transaction.atomic
def translation_split(
    *, translation: Translation | int, version: int, sentences_first: int, source_split: int, actor
) -> tuple[Translation, Translation]:
    """Split at a target sentence boundary: the first ``sentences_first`` sentences stay with the source
    segments before ``source_split``; the rest go with ``source_split``..last."""
    current = kernel.lock(translation)
    _check(actor, [(current, version)])
    parts = _sentences(current)
    if not current.first_position < source_split <= current.last_position:
        raise InvalidSpan(
            f"The source split must be a position after {current.first_position} and at most {current.last_position}."
        )
    if not 0 <= sentences_first <= len(parts):
        raise InvalidInput(
            f"The translation has {len(parts)} sentences; cannot keep {sentences_first} in the first part."
        )
    glue = joiner(current.language)
    status = _status_from(current)
    head, tail = kernel.replace(
        [current],
        [
            _unit(current.first_position, source_split - 1, glue.join(parts[:sentences_first]), status),
            _unit(source_split, current.last_position, glue.join(parts[sentences_first:]), status),
        ],
        document=current.document,
        language=current.language,
        origin=current.origin,
        action=Action.SPLIT,
        actor=actor,
        comment=f"split #{current.pk}",
    )
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
    current, other = kernel.lock_pair(translation, neighbour)
    _check(actor, [(current, version), (other, neighbour_version)])
    if current.document_id != other.document_id or current.language != other.language:
        raise InvalidSpan("The neighbour must be a translation of the same document and language.")
    parts = _sentences(current)
    if len(parts) < 2:
        raise InvalidInput("A translation needs at least two sentences to give one away.")
    glue = joiner(current.language)
    if other.last_position == current.first_position - 1:
        moved, kept = parts[0], parts[1:]
        other_text = glue.join(part for part in (other.text.strip(), moved) if part)
    elif other.first_position == current.last_position + 1:
        moved, kept = parts[-1], parts[:-1]
        other_text = glue.join(part for part in (moved, other.text.strip()) if part)
    else:
        raise InvalidSpan("Sentences move only to the translation right before or right after.")
    comment = f"moved sentence “{moved[:60]}”"
    kernel.edit(current, text=glue.join(kept), actor=actor, comment=comment)
    kernel.edit(other, text=other_text, actor=actor, comment=comment)
    return current, other


__all__ = [
    "LOW_SCORE",
    "AlignmentPlan",
    "PlannedUnit",
    "alignment_apply",
    "alignment_plan",
    "split_sentences",
    "translation_merge",
    "translation_move_sentence",
    "translation_split",
]
