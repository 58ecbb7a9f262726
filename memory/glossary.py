"""Glossary: terms zh -> en and zh -> ko, preferred or forbidden, with notes.

Editors manage the glossary; translators read it. Candidates come from jieba's keyword extraction
(``jieba.analyse``) over a document and count only once an editor gives them a translation and makes
them preferred (or forbidden). The ``glossary`` quality check uses the counted terms.

Exchange with other tools (TBX and CSV) is in ``exchange.glossary_io``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from corpus import permissions
from corpus.audit import audit
from corpus.errors import InvalidInput, NotFound
from corpus.languages import validate_language
from corpus.models import AuditEvent, Document, GlossaryTerm, Segment
from quality import GlossaryTerm as CheckTerm

Status = GlossaryTerm.Status
COUNTED = (Status.PREFERRED, Status.FORBIDDEN)


def check_terms(language: str) -> list[CheckTerm]:
    """The counted terms of ``language`` in the form the quality check takes."""
    return terms_from_rows(
        GlossaryTerm.objects.filter(language=language, status__in=COUNTED).values_list(
            "source", "target", "status"
        )
    )


def terms_in_sql(source: str, language: str) -> str:
    """SQL for the counted terms of ``language`` whose source occurs in ``source`` (SQL expressions),
    as JSON [source, target, status] rows in ``check_terms``' order. The glossary check looks only
    at terms found in the source, so a save reads those, not the whole glossary."""
    return (
        "(SELECT json_agg(json_build_array(g.source, g.target, g.status) ORDER BY g.source, g.target)"
        f" FROM {GlossaryTerm._meta.db_table} g WHERE g.language = {language}"
        f" AND g.status IN ({', '.join(repr(str(status)) for status in COUNTED)})"
        f" AND g.source <> '' AND strpos({source}, g.source) > 0)"
    )


def terms_from_rows(rows) -> list[CheckTerm]:
    """(source, target, status) rows, grouped into the quality check's terms."""
    grouped: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"preferred": [], "forbidden": []})
    for source, target, status in rows:
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
    audit(
        AuditEvent.Action.GLOSSARY_SAVE,
        actor=actor,
        target="term",
        target_id=term.pk,
        language=language,
        source=source,
        translation=target,
        status=status,
    )
    return term


@transaction.atomic
def term_delete(*, actor, term: GlossaryTerm) -> None:
    permissions.ensure(permissions.can_review(actor, term.language))
    audit(
        AuditEvent.Action.GLOSSARY_DELETE,
        actor=actor,
        target="term",
        target_id=term.pk,
        language=term.language,
        source=term.source,
        translation=term.target,
        status=term.status,
    )
    term.delete()


@transaction.atomic
def glossary_propose(*, document: Document, language: str, actor, top: int = 30) -> list[GlossaryTerm]:
    """Candidate terms for a document from jieba's TF-IDF keywords; an editor reviews them."""
    import jieba.analyse  # loads jieba's IDF table: only when candidates are proposed

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
    audit(
        AuditEvent.Action.GLOSSARY_PROPOSE,
        actor=actor,
        target="document",
        target_id=document.pk,
        language=language,
        candidates=[term.source for term in created],
    )
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


def get_term(pk: int) -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(pk=pk).first()
    if term is None:
        raise NotFound("No such glossary term.")
    return term
