"""Limits of one alignment preview or apply, checked where the pasted translation is read (the browser
view and the API), before any sentence is aligned: the aligner runs inside the web request, so what it
is given must finish within a time budget (about 15 s on two cores), never hold a worker for minutes.

- ``WORKBENCH_ALIGN_MAX_CHARS`` characters of pasted text;
- ``WORKBENCH_ALIGN_MAX_SENTENCES`` sentences after splitting;
- ``WORKBENCH_ALIGN_MAX_CELLS``: the aligner's band between anchors grows to about
  ``|segments - sentences| x min(segments, sentences)`` cells when a paste is out of proportion with
  the document (a 200-sentence paste on a 10,800-segment document: 2.1M cells, 95 s; measured at
  35-45 us a cell), so that estimate is bounded too.

Larger work runs as a background job (``alignment.tasks``), where each limit is
``WORKBENCH_JOB_ALIGN_FACTOR`` times larger (``factor``); the settings can be raised as the aligner
gets faster.
"""

from __future__ import annotations

from django.conf import settings

from alignment.splitting import split_sentences
from corpus.errors import WorkbenchError
from corpus.models import Document


class PasteTooLarge(WorkbenchError):
    code = "too_large"
    status = 413


def _refuse(message: str, *, setting: str, maximum: int, found: int) -> PasteTooLarge:
    return PasteTooLarge(
        f"{message} (limit {setting}={maximum:,}).",
        detail={"field": "text", "limit": setting, "maximum": maximum, "found": found},
    )


def check_paste(*, document: Document, language: str, text: str, factor: int = 1) -> None:
    """Raises PasteTooLarge (413, code too_large, naming the limit) for a paste over a limit
    (``factor`` times the settings: a background job may align more than a request)."""
    max_chars = settings.WORKBENCH_ALIGN_MAX_CHARS * factor
    if len(text) > max_chars:
        raise _refuse(
            f"The translation has {len(text):,} characters; one alignment takes at most {max_chars:,}",
            setting="WORKBENCH_ALIGN_MAX_CHARS",
            maximum=max_chars,
            found=len(text),
        )
    sentences = len(split_sentences(text, language))
    max_sentences = settings.WORKBENCH_ALIGN_MAX_SENTENCES * factor
    if sentences > max_sentences:
        raise _refuse(
            f"The translation has {sentences:,} sentences; one alignment takes at most {max_sentences:,}",
            setting="WORKBENCH_ALIGN_MAX_SENTENCES",
            maximum=max_sentences,
            found=sentences,
        )
    segments = document.segment_count  # kept by a trigger on the segments
    cells = abs(segments - sentences) * min(segments, sentences)
    max_cells = settings.WORKBENCH_ALIGN_MAX_CELLS * factor
    if cells > max_cells:
        raise _refuse(
            f"{sentences:,} sentences against a document of {segments:,} segments are too far out of "
            "proportion to align within the time budget; paste the translation of a whole document "
            "(or of a document split into smaller ones)",
            setting="WORKBENCH_ALIGN_MAX_CELLS",
            maximum=max_cells,
            found=cells,
        )
