"""The write kernel: the only code that writes Translation and Revision rows.

Every use case (typing, review, alignment apply and fixes, imports, pre-translation, memory drafts,
the Korean lines of a source import) calls these functions inside its transaction. The kernel owns:

- the locks (a translation row, a pair in id order, a document's spans) and the version
  compare-and-set: a stale write is refused with the current state, never applied;
- the text rules: line endings, trimming, the length limit, no empty save;
- the workflow: the transition table and who may take each action (``translations.workflow``);
- assessment: findings, ``check_codes`` and effort, stored with the version they describe;
- the memory sync (approved text in, anything else out) and the append-only Revision row.

A translation that replaces others (alignment apply, merge, split) names them in ``replaces``, so
its history reaches theirs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from corpus import permissions
from corpus.errors import InvalidInput, InvalidSpan, InvalidTransition, NotFound, StaleVersion
from corpus.models import Document, Revision, Segment, Translation
from corpus.selectors import span_source, span_source_sql
from memory import glossary
from memory import tm as memory
from translations import assessment, workflow

Status = Translation.Status
Action = Revision.Action
Origin = Translation.Origin
MAX_TEXT = 100_000


class UnacknowledgedFindings(InvalidInput):
    """Approving a version with error-level findings needs the editor to confirm it."""

    code = "unacknowledged_findings"
    status = 409


# --- locks and versions ---------------------------------------------------------------------------


GONE = "No such translation (it may have been merged, split or re-aligned)."


def lock(translation: Translation | int) -> Translation:
    """The live translation, locked for this transaction."""
    pk = translation if isinstance(translation, int) else translation.pk
    try:
        return (
            Translation.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=pk, retired_at__isnull=True)
        )
    except Translation.DoesNotExist:
        raise NotFound(GONE) from None


@dataclass
class Locked:
    """A translation locked for one workflow step, with what its assessment needs (``with_source``):
    the span's source text and the counted glossary terms found in it."""

    translation: Translation
    source: str | None = None
    terms: list | None = None


def lock_for_write(
    translation: Translation | int, *, with_source: bool, documents: QuerySet[Document] | None = None
) -> Locked:
    """``lock`` for a save or a review step, in one round trip: the row (with the user names the
    answer and a 409 show) and, ``with_source``, its source and glossary terms, which the ORM would
    read in three more queries. ``documents``: only within these (the caller's visible ones), so a
    view need not read the row first."""
    pk = translation if isinstance(translation, int) else translation.pk
    users = get_user_model()._meta.db_table
    columns = ", ".join(f't."{field.column}"' for field in Translation._meta.concrete_fields)
    source_columns = source_join = ""
    if with_source:
        terms = glossary.terms_in_sql("src.text", "t.language")
        source_columns = f", src.text AS locked_source, {terms} AS locked_terms"
        source_join = f" CROSS JOIN LATERAL (SELECT {span_source_sql('t')} AS text) src"
    sql = (
        f"SELECT {columns}, ub.username AS locked_updated_by, au.username AS locked_author{source_columns}"
        f" FROM {Translation._meta.db_table} t"
        f" LEFT JOIN {users} ub ON ub.id = t.updated_by_id LEFT JOIN {users} au ON au.id = t.author_id"
        f"{source_join} WHERE t.id = %s AND t.retired_at IS NULL"
    )
    params: list = [pk]
    if documents is not None:
        try:
            visible, visible_params = documents.values("pk").query.sql_with_params()
        except EmptyResultSet:
            raise NotFound(GONE) from None
        sql += f" AND t.document_id IN ({visible})"
        params += visible_params
    rows = list(Translation.objects.raw(sql + " FOR UPDATE OF t", params))
    if not rows:
        raise NotFound(GONE)
    current = rows[0]
    # the user names as deferred users (id and username), as select_related would have them
    for name, username in (("updated_by", current.locked_updated_by), ("author", current.locked_author)):
        user_id = getattr(current, f"{name}_id")
        if user_id is not None:
            setattr(
                current,
                name,
                get_user_model().from_db(connection.alias, ["id", "username"], [user_id, username]),
            )
    if not with_source:
        return Locked(current)
    return Locked(current, current.locked_source, glossary.terms_from_rows(current.locked_terms or []))


def lock_pair(one: Translation | int, two: Translation | int) -> tuple[Translation, Translation]:
    """Lock two translations in id order, so two fixes on the same pair never deadlock."""
    pk_one = one if isinstance(one, int) else one.pk
    pk_two = two if isinstance(two, int) else two.pk
    if pk_one <= pk_two:
        first = lock(pk_one)
        return first, lock(pk_two)
    second = lock(pk_two)
    return lock(pk_one), second


def lock_document(document: Document) -> None:
    """Serialises span changes of one document (the exclusion constraint is the backstop).

    FOR NO KEY UPDATE: writers of the same document wait for each other, but the foreign-key checks
    other transactions run at commit (FOR KEY SHARE on the document) do not wait for it; with the
    progress counters' row locks, a plain FOR UPDATE here closed deadlock cycles under load.
    """
    Document.objects.select_for_update(no_key=True).filter(pk=document.pk).first()


def lock_live(document: Document, language: str, *, first: int | None = None, last: int | None = None):
    """The live translations of a document and language (optionally overlapping first..last), locked."""
    rows = Translation.objects.select_for_update().filter(
        document=document, language=language, retired_at__isnull=True
    )
    if first is not None and last is not None:
        rows = rows.filter(first_position__lte=last, last_position__gte=first)
    return list(rows.order_by("first_position"))


def current_state(current: Translation) -> dict:
    return {
        "id": current.pk,
        "text": current.text,
        "status": current.status,
        "version": current.version,
        "updated_by": current.updated_by.get_username() if current.updated_by else None,
        "updated_at": current.updated_at.isoformat(),
    }


def check_version(current: Translation, version: int | None) -> None:
    if version is None:
        raise InvalidInput("A write must name the version it is based on.", detail={"field": "version"})
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise InvalidInput("The version must be a whole number.", detail={"field": "version"}) from None
    if version != current.version:
        raise StaleVersion(
            f"Version {version} is stale: the translation is at version {current.version}.",
            detail={"current": current_state(current)},
        )


# --- text and spans -----------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Line endings unified and the text trimmed; an empty save is refused (nothing is wiped by it)."""
    if not isinstance(text, str):
        raise InvalidInput("Text must be a string.", detail={"field": "text"})
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"Text is longer than {MAX_TEXT:,} characters.", detail={"field": "text"})
    if not text:
        raise InvalidInput(
            "The translation is empty: nothing was saved (type a translation, or press Escape to cancel).",
            detail={"field": "text"},
        )
    return text


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


def _user(actor):
    """The signed-in user behind ``actor``, or None (the system: the seed, a shell command)."""
    return actor if actor is not None and actor.is_authenticated else None


# --- the history row ------------------------------------------------------------------------------


def _revision(translation: Translation, action: str, actor, comment: str = "") -> Revision:
    return Revision(
        translation=translation,
        action=action,
        text=translation.text,
        status=translation.status,
        version=translation.version,
        first_position=translation.first_position,
        last_position=translation.last_position,
        actor=_user(actor),
        comment=comment,
    )


def _store(translation: Translation, actor, fields: Iterable[str], action: str, comment: str = "") -> None:
    """A new version of a locked translation: its changed ``fields`` and its history row, in one
    round trip (an UPDATE and an INSERT sent together; two ORM saves were two round trips and twice
    the query building)."""
    translation.version += 1
    translation.updated_at = timezone.now()
    translation.updated_by = _user(actor)
    revision = _revision(translation, action, actor, comment)
    revision.created_at = translation.updated_at
    changed = [Translation._meta.get_field(name) for name in dict.fromkeys([*fields, *STAMP])]
    stored = [Revision._meta.get_field(name) for name in REVISION_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Translation._meta.db_table} SET "
            + ", ".join(f'"{field.column}" = %s' for field in changed)
            + " WHERE id = %s; "
            + f"INSERT INTO {Revision._meta.db_table} ("
            + ", ".join(f'"{field.column}"' for field in stored)
            + ") VALUES ("
            + ", ".join(["%s"] * len(stored))
            + ")",
            [
                *(
                    field.get_db_prep_save(getattr(translation, field.attname), connection)
                    for field in changed
                ),
                translation.pk,
                *(field.get_db_prep_save(getattr(revision, field.attname), connection) for field in stored),
            ],
        )


STAMP = ("version", "updated_at", "updated_by")
REVISION_FIELDS = (
    "translation",
    "action",
    "text",
    "status",
    "version",
    "first_position",
    "last_position",
    "actor",
    "comment",
    "created_at",
)


# --- creating -----------------------------------------------------------------------------------


@dataclass
class NewUnit:
    """A translation to create: its span, text and what it carries along."""

    first: int
    last: int
    text: str
    source: str | None = None  # the span's source text, when the caller has it (spares a query)
    score: float | None = None
    status: str = Status.DRAFT
    comment: str = ""
    flags: list[str] = field(default_factory=list)  # alignment notes, stored as findings
    replaces: list[int] = field(default_factory=list)


def _build(
    unit: NewUnit, *, document_id: int, language: str, origin: str, actor, author, now, glossary
) -> Translation:
    user = _user(actor)
    translation = Translation(
        document_id=document_id,
        language=language,
        first_position=unit.first,
        last_position=unit.last,
        text=unit.text,
        status=unit.status,
        origin=origin,
        score=unit.score,
        updated_at=now,
        updated_by=user,
        author=author,
        replaces=list(unit.replaces),
    )
    source = unit.source
    if source is None:
        source = span_source(document_id, unit.first, unit.last)
    assessment.assess(translation, source=source, extra=unit.flags, glossary=glossary)
    return translation


@transaction.atomic
def create(
    *,
    document: Document,
    language: str,
    first: int,
    last: int,
    text: str,
    actor,
    origin: str = Origin.TYPED,
    action: str = Action.CREATE,
    status: str = Status.DRAFT,
    comment: str = "",
    author="actor",
    check_span: bool = True,
) -> Translation:
    """One new translation over a free span, with its first revision."""
    text = clean_text(text)
    if check_span:
        lock_document(document)
        check_span_free(document=document, language=language, first=first, last=last)
    (translation,) = create_many(
        document=document,
        language=language,
        units=[NewUnit(first=first, last=last, text=text, status=status, comment=comment)],
        actor=actor,
        origin=origin,
        action=action,
        author=author,
    )
    return translation


def create_many(
    *,
    document: Document,
    language: str,
    units: list[NewUnit],
    actor,
    origin: str,
    action: str,
    author="actor",
    progress: Callable[[int], None] | None = None,
    batch_size: int = 500,
) -> list[Translation]:
    """Many new translations (alignment apply, pre-translation, imports) in two bulk inserts.

    The caller holds the document lock and has checked the spans are free; the exclusion
    constraint refuses an overlap all the same (as a clear InvalidSpan).
    ``author``: "actor" (the default), or a user, or None (nobody wrote it: the seed on first run).
    ``progress``: called with the number of units written after each batch of ``batch_size`` (a
    background job reports progress and may raise there to cancel: the caller's transaction rolls back).
    """
    now = timezone.now()
    writer = _user(actor) if author == "actor" else author
    glossary = assessment.glossary_for(language) if units else []
    step = max(1, batch_size if progress is not None else len(units))
    created: list[Translation] = []
    for start in range(0, len(units), step):
        batch = units[start : start + step]
        built = [
            _build(
                unit,
                document_id=document.pk,
                language=language,
                origin=origin,
                actor=actor,
                author=writer,
                now=now,
                glossary=glossary,
            )
            for unit in batch
        ]
        try:
            with transaction.atomic():
                _insert_translations(built, now)
        except IntegrityError as error:
            raise InvalidSpan(f"A span is not free: {error}".splitlines()[0]) from error
        _insert_revisions(
            [
                _revision(translation, action, actor, unit.comment)
                for translation, unit in zip(built, batch, strict=True)
            ],
            now,
        )
        for translation in built:
            if translation.status == Status.APPROVED:
                memory.memory_sync(translation)
        created += built
        if progress is not None:
            progress(len(batch))
    return created


# Bulk inserts as one INSERT ... SELECT FROM unnest(column arrays): the driver sends each column
# as one array, sparing Django's per-value preparation (a third of a 10k pre-translation's time).
INSERT_TRANSLATIONS = """
INSERT INTO corpus_translation (
    document_id, language, first_position, last_position, text, status, version, origin, score,
    comment, created_at, updated_at, updated_by_id, author_id, replaces, findings, check_codes,
    first_text, effort, review_effort, change_xid)
SELECT %(document)s, %(language)s, u.first, u.last, u.text, u.status, 1, %(origin)s, u.score,
       u.comment, %(now)s, %(now)s, %(updated_by)s, %(author)s, u.replaces::bigint[], u.findings::jsonb,
       u.check_codes::varchar(20)[], u.first_text, u.effort::jsonb, NULL, 0
FROM unnest(%(first)s::int[], %(last)s::int[], %(text)s::text[], %(status)s::text[],
            %(score)s::float8[], %(comment)s::text[], %(replaces)s::text[], %(findings)s::text[],
            %(check_codes)s::text[], %(first_text)s::text[], %(effort)s::text[])
     AS u(first, last, text, status, score, comment, replaces, findings, check_codes, first_text, effort)
RETURNING id, first_position
"""

INSERT_REVISIONS = """
INSERT INTO corpus_revision (translation_id, action, text, status, version, first_position,
                             last_position, actor_id, comment, created_at)
SELECT u.translation, %(action)s, u.text, u.status, u.version, u.first, u.last, %(actor)s, u.comment, %(now)s
FROM unnest(%(translation)s::bigint[], %(text)s::text[], %(status)s::text[], %(version)s::int[],
            %(first)s::int[], %(last)s::int[], %(comment)s::text[])
     AS u(translation, text, status, version, first, last, comment)
"""


def _array(values) -> str:
    return "{" + ",".join(str(int(value)) for value in values) + "}"


def _text_array(values) -> str:
    return (
        "{" + ",".join('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"
    )


def _insert_translations(built: list[Translation], now) -> None:
    """Insert new translations (one document, language, origin and writer) and set their ids."""
    if not built:
        return
    first = built[0]
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_TRANSLATIONS,
            {
                "document": first.document_id,
                "language": first.language,
                "origin": first.origin,
                "now": now,
                "updated_by": first.updated_by_id,
                "author": first.author_id,
                "first": [t.first_position for t in built],
                "last": [t.last_position for t in built],
                "text": [t.text for t in built],
                "status": [t.status for t in built],
                "score": [t.score for t in built],
                "comment": [t.comment for t in built],
                "replaces": [_array(t.replaces) for t in built],
                "findings": [json.dumps(t.findings) for t in built],
                "check_codes": [_text_array(t.check_codes) for t in built],
                "first_text": [t.first_text for t in built],
                "effort": [None if t.effort is None else json.dumps(t.effort) for t in built],
            },
        )
        ids = dict((position, pk) for pk, position in cursor.fetchall())
    for translation in built:
        translation.pk = ids[translation.first_position]
        translation.version = 1
        translation.created_at = now
        translation._state.adding = False
        translation._state.db = connection.alias


def _insert_revisions(revisions: list[Revision], now) -> None:
    """Insert the first revisions of new translations (one action and actor)."""
    if not revisions:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_REVISIONS,
            {
                "action": revisions[0].action,
                "actor": revisions[0].actor_id,
                "now": now,
                "translation": [r.translation_id for r in revisions],
                "text": [r.text for r in revisions],
                "status": [r.status for r in revisions],
                "version": [r.version for r in revisions],
                "first": [r.first_position for r in revisions],
                "last": [r.last_position for r in revisions],
                "comment": [r.comment for r in revisions],
            },
        )


# --- changing -----------------------------------------------------------------------------------


def edit(
    current: Translation,
    *,
    text: str,
    actor,
    action: str = Action.EDIT,
    comment: str = "",
    source: str | None = None,
    terms: list | None = None,
) -> Translation:
    """New text for a locked translation (the caller checked its version and the permission).

    The status follows the table (rejected -> draft, approved -> submitted). Returns it unchanged
    when the text is the same. ``source`` and ``terms``: the span's source and glossary terms when
    the caller read them with the lock (``lock_for_write``).
    """
    text = clean_text(text)
    if text == current.text:
        return current
    new_status = workflow.next_status(current.status, Action.EDIT)
    was_approved = current.status == Status.APPROVED
    current.text = text
    current.status = new_status
    current.author = _user(actor)
    fields = ["text", "status", "author", *assessment.assess(current, source=source, glossary=terms)]
    _store(current, actor, fields, action, comment)
    if was_approved or current.status == Status.APPROVED:
        # only approved text is in the memory: a draft edit leaves it alone
        memory.memory_sync(current, source=source)
    return current


@transaction.atomic
def write(
    translation: Translation | int,
    *,
    action: str,
    version: int | None,
    actor,
    text: str | None = None,
    comment: str = "",
    acknowledge_findings: bool = False,
    documents: QuerySet[Document] | None = None,
) -> Translation:
    """One workflow step on one translation: edit, submit, approve, reject or reopen.

    Order of the checks: the language (a 403 that re-reading cannot fix), then the version (a stale
    write is a 409 with the current state, even if the text became approved meanwhile), then the
    transition and who may take it. ``documents``: the translation must be in one of these (the
    documents the actor sees), or it is not found.
    """
    locked = lock_for_write(
        translation, with_source=action in (Action.EDIT, Action.APPROVE), documents=documents
    )
    current = locked.translation
    permissions.ensure(workflow.gate(actor, action, current.language))
    check_version(current, version)
    new_status = workflow.next_status(current.status, action)
    if new_status is None:
        raise InvalidTransition(workflow.refusal(current.status, action))
    permissions.ensure(workflow.WHO[action](actor, current))
    if action == Action.EDIT:
        return edit(
            current,
            text=text if text is not None else "",
            actor=actor,
            comment=comment,
            source=locked.source,
            terms=locked.terms,
        )
    if action == Action.SUBMIT and not current.text.strip():
        raise InvalidInput("An empty translation cannot be submitted.", detail={"field": "text"})
    if action == Action.REJECT:
        comment = (comment or "").strip()
        if not comment:
            raise InvalidInput("A rejection needs a reason for the translator.", detail={"field": "reason"})
        comment = comment[:5000]
    fields = ["status"]
    source = None
    if action == Action.APPROVE:
        errors = [f for f in current.findings if f.get("severity") == "error"]
        if errors and not acknowledge_findings:
            raise UnacknowledgedFindings(
                f"This version has {len(errors)} error-level finding(s): "
                + "; ".join(f.get("message") or f.get("code", "") for f in errors[:3])
                + ". Confirm to approve it anyway.",
                detail={"findings": errors, "field": "acknowledge_findings"},
            )
        submitted = (
            current.revisions.filter(action__in=[Action.SUBMIT, Action.IMPORT])
            .order_by("-id")
            .values_list("text", flat=True)
            .first()
        )
        source = locked.source
        current.status = new_status
        fields += assessment.assess_review(current, submitted or "")
        fields += assessment.assess(current, source=source, with_consistency=True, glossary=locked.terms)
    current.status = new_status
    if action in (Action.APPROVE, Action.REJECT):
        current.comment = comment if action == Action.REJECT else ""
        fields.append("comment")
    _store(current, actor, fields, action, comment)
    if action in (Action.APPROVE, Action.REOPEN):
        memory.memory_sync(current, source=source)
    return current


# --- replacing ----------------------------------------------------------------------------------


def retire(translations: Iterable[Translation], *, actor, comment: str) -> None:
    """Spans replaced by an alignment, merge or split: kept with their history, no longer live."""
    now = timezone.now()
    retired = list(translations)
    for translation in retired:
        translation.retired_at = now
    if not retired:
        return
    Translation.objects.bulk_update(retired, ["retired_at"])
    Revision.objects.bulk_create(_revision(t, Action.RETIRE, actor, comment) for t in retired)
    for translation in retired:
        if translation.status == Status.APPROVED:
            memory.memory_sync(translation)


def replace(
    old: list[Translation],
    new: list[NewUnit],
    *,
    document: Document,
    language: str,
    origin: str,
    action: str,
    actor,
    comment: str,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 500,
) -> list[Translation]:
    """Retire ``old`` and create ``new`` in their place; each new unit names the old ones it overlaps."""
    retire(old, actor=actor, comment=comment)
    for unit in new:
        unit.replaces = unit.replaces or [
            t.pk for t in old if t.first_position <= unit.last and unit.first <= t.last_position
        ]
        unit.comment = unit.comment or comment
    return create_many(
        document=document,
        language=language,
        units=new,
        actor=actor,
        origin=origin,
        action=action,
        progress=progress,
        batch_size=batch_size,
    )


# --- re-assessing ---------------------------------------------------------------------------------


def reassess(
    translations: list[Translation], *, progress: Callable[[int], None] | None = None, batch_size: int = 500
) -> int:
    """Recompute the findings of locked translations (after the checks, the glossary or the length
    norms changed). Findings describe the current version: no new version and no revision; the
    aligner's notes on a unit are kept."""
    step = max(1, batch_size)
    for start in range(0, len(translations), step):
        batch = translations[start : start + step]
        fields: list[str] = []
        for translation in batch:
            notes = [f.get("message", "") for f in translation.findings if f.get("code") == "alignment"]
            fields = assessment.assess(translation, extra=notes)
        if batch:
            Translation.objects.bulk_update(batch, fields)
        if progress is not None:
            progress(len(batch))
    return len(translations)
