"""Unit types, the format error, language matching and status mappings shared by writers and readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

CREATION_TOOL = "translation-workbench"

#: Workbench translation statuses (``corpus.models.Translation.Status``), repeated here so that the
#: format library stays importable without Django.
STATUSES = ("draft", "submitted", "approved", "rejected")


class FormatError(ValueError):
    """An import file that cannot be read: says what is wrong and where (``line`` / ``offset`` when known)."""

    def __init__(self, message: str, *, line: int | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.offset = offset


@dataclass(frozen=True, slots=True)
class ExportUnit:
    """One aligned bilingual unit: a target translation and the source text of the positions it covers.

    For zh→en / zh→ko exports the source side is the Chinese segment text, so ``source_status`` and
    ``source_version`` are None. For en→ko exports the source side is itself a translation and carries
    its own status and version.
    """

    document_id: int
    document_title: str
    first_position: int
    last_position: int
    source_lang: str
    target_lang: str
    source_text: str
    target_text: str
    source_status: str | None
    target_status: str
    source_version: int | None
    target_version: int
    changed_at: datetime  # aware, UTC
    unit_id: str  # stable, e.g. "d12:p3-5:en"


@dataclass(frozen=True, slots=True)
class ImportedUnit:
    """One unit read back from an exchange file. Everything but the two texts is optional: files
    written by this library carry all of it, files from other tools usually only the texts.

    ``status`` is the *target* status in workbench terms (draft/submitted/approved/rejected), mapped
    from the format's own state where the file has one. ``line`` is where the unit starts in the file
    (1-based line number; for TSV/JSONL the physical line), for error messages; it is not compared.
    """

    source_text: str
    target_text: str
    document_id: int | None = None
    first_position: int | None = None
    last_position: int | None = None
    status: str | None = None
    unit_id: str | None = None
    document_title: str | None = None
    source_status: str | None = None
    source_version: int | None = None
    target_version: int | None = None
    changed_at: datetime | None = None
    line: int | None = field(default=None, compare=False)


def primary_language(tag: str) -> str:
    """``en-US`` / ``EN_us`` / ``en`` -> ``en``; ``zh-Hans`` / ``zh-CN`` -> ``zh``; ``ko-KR`` -> ``ko``."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def same_language(a: str | None, b: str) -> bool:
    return a is not None and primary_language(a) == primary_language(b)


def unit_resname(document_id: int, first_position: int, last_position: int) -> str:
    """Language-independent location name, e.g. ``d12:p3-5`` (used as XLIFF resname / unit name)."""
    return f"d{document_id}:p{first_position}-{last_position}"


def location_note(unit: ExportUnit) -> str:
    if unit.first_position == unit.last_position:
        return f"{unit.document_title} (document {unit.document_id}), segment {unit.first_position}"
    return (
        f"{unit.document_title} (document {unit.document_id}), "
        f"segments {unit.first_position}-{unit.last_position}"
    )


# --- XLIFF 1.2 ----------------------------------------------------------------------------------
# Export: status -> (state, approved attribute). Import maps the state back; see state12_to_status.


def status_to_state12(status: str, text: str) -> str:
    if status == "approved":
        return "final"
    if status == "submitted":
        return "needs-review-translation"
    if status == "draft" and text:
        return "translated"
    return "needs-translation"  # empty drafts and rejected translations


def state12_to_status(state: str | None, approved: bool) -> str | None:
    if approved or state in ("final", "signed-off"):
        return "approved"
    if state is None:
        return None
    if state.startswith("needs-review-"):
        return "submitted"
    if state in ("translated", "needs-translation", "new", "needs-adaptation", "needs-l10n"):
        return "draft"
    return None  # x-... custom states


# --- XLIFF 2.0 ----------------------------------------------------------------------------------
SUBSTATE_PREFIX = "tw:"


def status_to_state20(status: str) -> str:
    if status == "approved":
        return "final"
    if status == "submitted":
        return "translated"
    return "initial"  # draft, rejected


def state20_to_status(state: str | None) -> str | None:
    return {"final": "approved", "reviewed": "submitted", "translated": "submitted", "initial": "draft"}.get(
        state or "initial"
    )
