"""A chapter pasted into a long document: the stretch is located first, then aligned alone.

The document is generated (``alignment.synthetic.long_document``) from the PUD set in the repository:
PUD sentences 200-399 (Chinese) sit in the middle of thousands of other PUD Chinese sentences, and
their English or Korean translation is pasted.
"""

from __future__ import annotations

import pytest

from alignment import aligner
from alignment.aligner import align, locate
from alignment.evaluation import read_lines
from alignment.synthetic import long_document, partial
from tests.factories import PUD

START, STOP = 200, 400


def pud(language: str) -> list[str]:
    return read_lines(PUD / f"{language}.txt")


def document(total: int = 5000) -> tuple[list[str], int]:
    zh = pud("zh")
    return long_document(zh[START:STOP], zh[:START] + zh[STOP:], total=total)


def expected(n: int, offset: int) -> list[tuple]:
    return [((i,), (i - offset,)) if offset <= i < offset + STOP - START else ((i,), ()) for i in range(n)]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_stretch_is_found_and_aligned_as_if_alone(language):
    src, offset = document()
    tgt = pud(language)[START:STOP]
    beads = align(src, tgt, src_lang="zh", tgt_lang=language)
    assert [(bead.src, bead.tgt) for bead in beads] == expected(len(src), offset)


def test_locate_returns_a_narrow_stretch_around_the_paste():
    src, offset = document()
    tokens = [aligner._tokens(text, "en", "zh") for text in pud("en")[START:STOP]]
    found = locate(src, tokens, src_lang="zh", tgt_lang="en")
    assert found is not None
    start, stop = found
    assert start <= offset and offset + STOP - START <= stop
    assert stop - start < 2 * (STOP - START)


def test_locating_reads_a_sample_of_the_source_not_all_of_it(monkeypatch):
    src, _offset = document(8000)
    read = []
    tokens = aligner._tokens

    def counting(text, language, other):
        if language == "zh":
            read.append(text)
        return tokens(text, language, other)

    monkeypatch.setattr(aligner, "_tokens", counting)
    align(src, pud("en")[START:STOP], src_lang="zh", tgt_lang="en")
    # every second sentence while locating (200 target sentences), then the stretch and its margins
    assert len(read) <= 8000 // 2 + 3 * (STOP - START)


def test_fixed_anchors_inside_the_stretch_are_kept():
    src, offset = document()
    tgt = pud("en")[START:STOP]
    beads = align(
        src, tgt, src_lang="zh", tgt_lang="en", anchors=[(range(offset + 50, offset + 51), range(50, 51))]
    )
    assert [(bead.src, bead.tgt) for bead in beads] == expected(len(src), offset)
    assert next(bead.score for bead in beads if bead.src == (offset + 50,)) == 1.0


def test_a_partial_korean_paste_leaves_the_rest_untranslated():
    src, tgt, gold = partial(pud("zh")[:300], pud("ko")[:300], 100, 200)
    beads = align(src, tgt, src_lang="zh", tgt_lang="ko")
    assert [(bead.src, bead.tgt) for bead in beads] == gold


def test_a_long_paste_found_nowhere_in_a_long_document_is_not_aligned():
    zh, en = pud("zh"), pud("en")
    src, _offset = long_document([], zh[:500], total=5000)
    beads = align(src, en[500:1000], src_lang="zh", tgt_lang="en")
    assert [(bead.src, bead.tgt) for bead in beads] == [((i,), ()) for i in range(5000)] + [
        ((), (j,)) for j in range(500)
    ]
