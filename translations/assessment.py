"""Quality of stored translations: runs the pure checks and metrics of ``quality`` when a
translation is written, and stores the findings and effort with the version they describe.

The services call ``assess`` inside their transaction, right before saving; reading a page never
recomputes anything.
"""

from __future__ import annotations

import math
import time

from corpus.models import MemoryUnit, Translation
from corpus.selectors import length_norm_sums, span_source
from memory.glossary import check_terms
from memory.tm import normalise_source
from quality import LengthNorm, check_pair, edit_effort

NORM_MIN_SAMPLES = 20
NORM_TTL_SECONDS = 30
_norm_cache: dict[str, tuple[float, LengthNorm | None]] = {}


def length_norm(language: str) -> LengthNorm | None:
    """ln(target/source) length ratio of approved translations of ``language``; None below 20 samples.

    From the sums the counters keep on every write (``corpus.selectors.length_norm_sums``): a read of
    one row per document, never a scan of the translations inside a user's save. Cached per process
    for a few seconds: the norm moves slowly and a stale one is harmless.
    """
    cached = _norm_cache.get(language)
    if cached and time.monotonic() - cached[0] < NORM_TTL_SECONDS:
        return cached[1]
    count, total, squares = length_norm_sums(language)
    norm = None
    if count >= NORM_MIN_SAMPLES:
        mean = total / count
        variance = max((squares - count * mean * mean) / (count - 1), 0.0)
        norm = LengthNorm(mean=mean, std=max(math.sqrt(variance), 0.1), n=count)
    _norm_cache[language] = (time.monotonic(), norm)
    return norm


def glossary_for(language: str) -> list:
    """The counted glossary terms of ``language``, to load once for a bulk write."""
    return check_terms(language)


def set_findings(translation: Translation, findings: list[dict]) -> None:
    """The one place findings and their ``check_codes`` (the filter index) are set together."""
    translation.findings = findings
    translation.check_codes = sorted({finding["code"] for finding in findings})


def assess(
    translation: Translation,
    *,
    source: str | None = None,
    extra: list[str] = (),
    with_consistency: bool = False,
    glossary: list | None = None,
) -> list[str]:
    """Recompute findings and effort of the translation's current text; returns the fields it set.

    ``extra``: notes of the aligner, stored as ``alignment`` warnings. ``with_consistency`` (on
    approval): also compare with approved translations of the same source elsewhere. ``glossary``:
    the language's counted terms when the caller loaded them once for many units (``glossary_for``).
    """
    if source is None:
        source = span_source(translation.document_id, translation.first_position, translation.last_position)
    norm = length_norm(translation.language) if translation.text.strip() else None
    findings = [
        finding.as_dict()
        for finding in check_pair(
            source,
            translation.text,
            source_lang="zh",
            target_lang=translation.language,
            norms={("zh", translation.language): norm} if norm else None,
            glossary=(
                (glossary if glossary is not None else check_terms(translation.language))
                if translation.text.strip()
                else ()
            ),
        )
    ]
    findings += [
        {"code": "alignment", "severity": "warning", "message": note, "detail": None} for note in extra
    ]
    if with_consistency and translation.pk is not None:
        findings += inconsistency_findings(translation, source)
    set_findings(translation, findings)
    if not translation.first_text and translation.text.strip():
        translation.first_text = translation.text
    if translation.first_text:
        translation.effort = _effort(translation.first_text, translation.text, translation.language)
    return ["findings", "check_codes", "first_text", "effort"]


UNCHANGED_EFFORT = {"ter": 0.0, "chrf": 100.0, "num_edits": 0, "changed": False}


def _effort(before: str, after: str, language: str) -> dict:
    if before == after:
        # what sacrebleu gives for identical text (a test holds them equal); a new translation's
        # first version is its current one, so bulk writes skip two sentence scores per unit
        return dict(UNCHANGED_EFFORT)
    result = edit_effort(before, after, target_lang=language)
    return {key: _finite(result[key]) for key in ("ter", "chrf", "num_edits", "changed")}


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def assess_review(translation: Translation, submitted_text: str) -> list[str]:
    """At approval: effort between the submitted text and the approved one, when an editor changed it."""
    if submitted_text and submitted_text != translation.text:
        translation.review_effort = _effort(submitted_text, translation.text, translation.language)
    else:
        translation.review_effort = None
    return ["review_effort"]


def inconsistency_findings(translation: Translation, source: str) -> list[dict]:
    """Approved translations elsewhere of the same source text with a different target.

    Read from the memory, which holds every approved translation keyed by its normalised source
    (an index read), rather than by joining every approved span with its segments.
    """
    rows = list(
        MemoryUnit.objects.filter(
            language=translation.language,
            source_key=normalise_source(source),
            origin=MemoryUnit.Origin.APPROVED,
            translation__status=Translation.Status.APPROVED,
            translation__retired_at__isnull=True,
        )
        .exclude(translation_id=translation.pk)
        .order_by("translation_id")
        .values_list(
            "translation_id", "translation__document_id", "translation__first_position", "translation__text"
        )[:20]
    )
    others = [row for row in rows if row[3].strip() != translation.text.strip()]
    if not others:
        return []
    first = others[0]
    return [
        {
            "code": "inconsistent",
            "severity": "warning",
            "message": (
                f"the same source is approved as “{first[3][:80]}” elsewhere "
                f"(document {first[1]}, segment {first[2]}){' and in other places' if len(others) > 1 else ''}"
            ),
            "detail": {"translations": [row[0] for row in others]},
        }
    ]
