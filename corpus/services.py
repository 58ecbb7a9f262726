"""Every write to the corpus: source import and the translation workflow.

Each service is keyword-only, runs in one transaction, compares-and-sets ``version`` under a row
lock, and writes its ``Revision`` row in the same transaction. Views, serializers, admin and commands
call these; none of them repeat the rules.

Status transitions (the one table of them):

    draft     --submit--> submitted --approve--> approved --reopen (editor)--> submitted
    rejected  --submit--> submitted --reject (editor, reason)--> rejected
    edit: rejected -> draft, approved -> submitted (editors only), otherwise unchanged
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from corpus import assessment, memory, permissions
from corpus.errors import InvalidInput, InvalidSpan, InvalidTransition, SourceImportError, StaleVersion
from corpus.models import Document, Revision, Segment, Translation
from corpus.segmentation import SegmentationError, has_chinese, segment_document

Status = Translation.Status
Action = Revision.Action

SUBMITTABLE = {Status.DRAFT, Status.REJECTED}


# --- source import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    document: Document
    created: bool
    segments: int
    translations: int


def decode_source(data: bytes) -> str:
    """UTF-8 text of ``data`` (a BOM is allowed), or a SourceImportError saying where it breaks."""
    if not data.strip():
        raise SourceImportError("The file is empty.")
    limit = settings.WORKBENCH_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise SourceImportError(f"The file is {len(data):,} bytes; the limit is {limit:,} bytes.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise SourceImportError(
            f"The file is not UTF-8: byte 0x{byte:02x} at byte offset {error.start} cannot be decoded."
        ) from error
    if "\x00" in text:
        raise SourceImportError(f"The file contains a NUL character at offset {text.index(chr(0))}.")
    return text


@transaction.atomic
def document_import(*, data: bytes, file_name: str, title: str = "", actor=None) -> ImportResult:
    """Import a Chinese source document, all or nothing. The same bytes again: the existing document."""
    digest = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(sha256=digest).first()
    if existing is not None:
        return ImportResult(existing, created=False, segments=existing.segments.count(), translations=0)
    text = decode_source(data)
    if not has_chinese(text):
        raise SourceImportError("The file has no Chinese text; the workbench imports Chinese sources.")
    try:
        source = segment_document(text)
    except SegmentationError as error:
        raise SourceImportError(str(error)) from error
    if not source.segments:
        raise SourceImportError("The file has no source paragraphs.")
    title = (title or "").strip() or _default_title(source, file_name)
    document = Document.objects.create(
        title=title[:500], source_language="zh", file_name=file_name[:500], sha256=digest, created_by=actor
    )
    Segment.objects.bulk_create(
        Segment(
            document=document,
            position=position,
            paragraph=segment.paragraph,
            kind=segment.kind,
            text=segment.text,
            words=segment.words,
            chars=segment.chars,
            tokens=segment.tokens,
        )
        for position, segment in enumerate(source.segments)
    )
    now = timezone.now()
    translations = 0
    for line in source.korean_lines:
        positions = [i for i, segment in enumerate(source.segments) if segment.paragraph == line.paragraph]
        translation = Translation(
            document=document,
            language="ko",
            first_position=positions[0],
            last_position=positions[-1],
            text=line.text,
            status=Status.SUBMITTED,
            origin=Translation.Origin.SOURCE_DOCUMENT,
            updated_at=now,
            updated_by=actor,
        )
        assessment.assess(translation, source="".join(source.segments[i].text for i in positions))
        translation.save(force_insert=True)
        _record(translation, Action.IMPORT, actor, comment=f"line {line.line_number} of {file_name}")
        translations += 1
    return ImportResult(document, created=True, segments=len(source.segments), translations=translations)


def document_upload(*, upload, title: str, actor) -> ImportResult:
    """An uploaded source file (API or browser): editors only, size checked before reading it all."""
    permissions.ensure(permissions.can_import(actor))
    limit = settings.WORKBENCH_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise SourceImportError(f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes.")
    return document_import(
        data=upload.read(), file_name=upload.name or "upload.txt", title=title, actor=actor
    )


def _default_title(source, file_name: str) -> str:
    """The first line when it is a title (a heading that is not a numbered section), else the file name."""
    from corpus.segmentation import NUMBERED_HEADING, ORDINAL_HEADING

    first = source.segments[0]
    if (
        first.kind == "heading"
        and not NUMBERED_HEADING.match(first.text)
        and not ORDINAL_HEADING.match(first.text)
    ):
        return first.text
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem or "Untitled"


# --- translations -------------------------------------------------------------------------------


def _record(translation: Translation, action: str, actor, *, comment: str = "") -> Revision:
    return Revision.objects.create(
        translation=translation,
        action=action,
        text=translation.text,
        status=translation.status,
        version=translation.version,
        first_position=translation.first_position,
        last_position=translation.last_position,
        actor=actor if actor is not None and actor.is_authenticated else None,
        comment=comment,
    )


def _locked(translation: Translation | int) -> Translation:
    pk = translation if isinstance(translation, int) else translation.pk
    try:
        return Translation.objects.select_for_update().get(pk=pk, retired_at__isnull=True)
    except Translation.DoesNotExist:
        from corpus.errors import NotFound

        raise NotFound("No such translation (it may have been merged, split or re-aligned).") from None


def _check_version(current: Translation, version: int | None) -> None:
    if version is None:
        raise InvalidInput("A write must name the version it is based on.", detail={"field": "version"})
    if int(version) != current.version:
        raise StaleVersion(
            f"Version {version} is stale: the translation is at version {current.version}.",
            detail={
                "current": {
                    "id": current.pk,
                    "text": current.text,
                    "status": current.status,
                    "version": current.version,
                    "updated_by": current.updated_by.get_username() if current.updated_by else None,
                    "updated_at": current.updated_at.isoformat(),
                }
            },
        )


def _touch(translation: Translation, actor, fields: list[str]) -> None:
    translation.version += 1
    translation.updated_at = timezone.now()
    translation.updated_by = actor
    translation.save(update_fields=[*fields, "version", "updated_at", "updated_by"])


def _clean_text(text: str) -> str:
    if not isinstance(text, str):
        raise InvalidInput("Text must be a string.", detail={"field": "text"})
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > 100_000:
        raise InvalidInput("Text is longer than 100,000 characters.", detail={"field": "text"})
    return text


def validate_language(language: str) -> str:
    if language not in settings.WORKBENCH_TARGET_LANGUAGES:
        known = ", ".join(settings.WORKBENCH_TARGET_LANGUAGES)
        raise InvalidInput(
            f"Unknown target language '{language}' (known: {known}).", detail={"field": "language"}
        )
    return language


def lock_document(document: Document) -> None:
    """Serialises span changes of one document (the exclusion constraint is the backstop)."""
    Document.objects.select_for_update().filter(pk=document.pk).first()


def check_span_free(
    *, document: Document, language: str, first: int, last: int, ignore: tuple[int, ...] = ()
) -> None:
    if first < 0 or last < first:
        raise InvalidSpan(f"Span {first}..{last} is not a range of positions.")
    if not Segment.objects.filter(document=document, position=last).exists():
        raise InvalidSpan(f"Span {first}..{last} runs past the end of the document.")
    overlapping = (
        Translation.objects.filter(
            document=document,
            language=language,
            retired_at__isnull=True,
            first_position__lte=last,
            last_position__gte=first,
        )
        .exclude(pk__in=ignore)
        .values_list("pk", "first_position", "last_position")
        .first()
    )
    if overlapping:
        pk, a, b = overlapping
        raise InvalidSpan(
            f"Span {first}..{last} overlaps translation {pk} ({language}, segments {a}..{b}).",
            detail={"overlaps": pk},
        )


def new_draft(
    *,
    document: Document,
    language: str,
    first: int,
    last: int,
    text: str,
    origin: str,
    actor,
    source: str | None = None,
    score: float | None = None,
) -> Translation:
    """A new draft translation, assessed and not yet saved: the one way every path (typing, import,
    alignment, memory) builds one. ``source`` spares a query when the caller has the source text."""
    translation = Translation(
        document=document,
        language=language,
        first_position=first,
        last_position=last,
        text=text,
        status=Status.DRAFT,
        origin=origin,
        score=score,
        updated_at=timezone.now(),
        updated_by=actor,
        author=actor,
    )
    assessment.assess(translation, source=source)
    return translation


@transaction.atomic
def translation_create(
    *,
    document: Document,
    language: str,
    first_position: int,
    last_position: int | None = None,
    text: str,
    actor,
    origin: str = Translation.Origin.TYPED,
) -> Translation:
    """A new draft for an untranslated span (usually one segment)."""
    validate_language(language)
    permissions.ensure(permissions.can_write(actor, language))
    last_position = first_position if last_position is None else last_position
    text = _clean_text(text)
    lock_document(document)
    check_span_free(document=document, language=language, first=first_position, last=last_position)
    translation = new_draft(
        document=document,
        language=language,
        first=first_position,
        last=last_position,
        text=text,
        origin=origin,
        actor=actor,
    )
    try:
        with transaction.atomic():
            translation.save(force_insert=True)
    except IntegrityError as error:
        raise InvalidSpan(f"Span {first_position}..{last_position} is not free: {error}") from error
    _record(translation, Action.CREATE, actor)
    return translation


@transaction.atomic
def translation_save(*, translation: Translation | int, text: str, version: int, actor) -> Translation:
    """Change the text of a translation, based on ``version``; a stale version is refused."""
    current = _locked(translation)
    # A stale write is a 409 with the current state even when the text became approved meanwhile,
    # so the client re-reads instead of seeing a 403 it cannot act on.
    permissions.ensure(permissions.can_work_in(actor, current.language))
    _check_version(current, version)
    permissions.ensure(permissions.can_edit(actor, current))
    text = _clean_text(text)
    if text == current.text:
        return current
    new_status = {Status.REJECTED: Status.DRAFT, Status.APPROVED: Status.SUBMITTED}.get(
        current.status, current.status
    )
    if not text and new_status != Status.DRAFT:
        raise InvalidInput(
            f"A {new_status} translation cannot be emptied; it would leave nothing to review.",
            detail={"field": "text"},
        )
    current.text = text
    current.status = new_status
    current.author = actor
    _touch(current, actor, ["text", "status", "author", *assessment.assess(current)])
    _record(current, Action.EDIT, actor)
    memory.memory_sync(current)
    return current


@transaction.atomic
def translation_submit(*, translation: Translation | int, version: int, actor) -> Translation:
    current = _locked(translation)
    permissions.ensure(permissions.can_submit(actor, current))
    _check_version(current, version)
    if current.status not in SUBMITTABLE:
        raise InvalidTransition(f"A {current.status} translation cannot be submitted.")
    if not current.text.strip():
        raise InvalidInput("An empty translation cannot be submitted.", detail={"field": "text"})
    current.status = Status.SUBMITTED
    _touch(current, actor, ["status"])
    _record(current, Action.SUBMIT, actor)
    return current


@transaction.atomic
def translation_approve(*, translation: Translation | int, version: int, actor) -> Translation:
    current = _locked(translation)
    permissions.ensure(permissions.can_review(actor, current.language))
    _check_version(current, version)
    if current.status != Status.SUBMITTED:
        raise InvalidTransition(f"Only submitted translations can be approved; this one is {current.status}.")
    permissions.ensure(permissions.can_approve(actor, current))
    current.status = Status.APPROVED
    current.comment = ""
    submitted = (
        current.revisions.filter(action__in=[Action.SUBMIT, Action.IMPORT])
        .order_by("-id")
        .values_list("text", flat=True)
        .first()
    )
    fields = assessment.assess_review(current, submitted or "")
    source = assessment.source_text(current.document_id, current.first_position, current.last_position)
    fields += assessment.assess(current, source=source)
    current.findings += assessment.inconsistency_findings(current, source)
    current.check_codes = sorted({finding["code"] for finding in current.findings})
    _touch(current, actor, ["status", "comment", *fields])
    _record(current, Action.APPROVE, actor)
    memory.memory_sync(current, source=source)
    return current


@transaction.atomic
def translation_reject(*, translation: Translation | int, version: int, reason: str, actor) -> Translation:
    current = _locked(translation)
    permissions.ensure(permissions.can_review(actor, current.language))
    _check_version(current, version)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("A rejection needs a reason for the translator.", detail={"field": "reason"})
    if current.status != Status.SUBMITTED:
        raise InvalidTransition(f"Only submitted translations can be rejected; this one is {current.status}.")
    current.status = Status.REJECTED
    current.comment = reason[:5000]
    _touch(current, actor, ["status", "comment"])
    _record(current, Action.REJECT, actor, comment=current.comment)
    return current


@transaction.atomic
def translation_reopen(
    *, translation: Translation | int, version: int, actor, reason: str = ""
) -> Translation:
    current = _locked(translation)
    permissions.ensure(permissions.can_review(actor, current.language))
    _check_version(current, version)
    if current.status != Status.APPROVED:
        raise InvalidTransition(f"Only approved translations can be reopened; this one is {current.status}.")
    current.status = Status.SUBMITTED
    _touch(current, actor, ["status"])
    _record(current, Action.REOPEN, actor, comment=(reason or "").strip())
    memory.memory_sync(current)
    return current


@dataclass(frozen=True)
class BulkResult:
    approved: list[Translation]
    skipped: list[tuple[int, str]]  # (translation id, reason)


def translations_bulk_approve(*, translations: list[Translation], actor) -> BulkResult:
    """Approve each submitted translation at its current version; each approval is its own transaction.

    A translation the editor may not approve (four-eyes, language) or that changed meanwhile is skipped
    with its reason, so one refusal does not undo the others.
    """
    from corpus.errors import WorkbenchError

    approved, skipped = [], []
    for translation in translations:
        try:
            approved.append(
                translation_approve(translation=translation, version=translation.version, actor=actor)
            )
        except WorkbenchError as error:
            skipped.append((translation.pk, error.message))
    return BulkResult(approved, skipped)
