"""Paragraph breaks as soft anchors: a break met on both sides at once draws the alignment to it.

The set is built from the PUD sentences in the repository by ``alignment.synthetic.omitted``: a
paragraph per article, and about 15 % of the Korean (or English) sentences left out, which a
translation does and which lengths and words alone place badly.
"""

from __future__ import annotations

import pytest

from alignment.aligner import align
from alignment.evaluation import read_lines, score_documents
from alignment.synthetic import omitted
from tests.factories import PUD


def omitted_set(language: str, stop: int):
    zh, tgt = read_lines(PUD / "zh.txt")[:stop], read_lines(PUD / f"{language}.txt")[:stop]
    articles = [sent_id[:6] for sent_id in read_lines(PUD / "sent_ids.txt")[:stop]]
    return omitted(zh, tgt, articles=articles)


def f1(gold, beads) -> float:
    return score_documents([(gold, [(bead.src, bead.tgt) for bead in beads])]).strict_f1


def test_the_omitted_set_leaves_sentences_out_and_numbers_paragraphs():
    src, tgt, gold, src_paragraphs, tgt_paragraphs = omitted_set("ko", 500)
    left_out = [bead for bead in gold if not bead[1]]
    assert 50 <= len(left_out) <= 100
    assert len(src) == len(src_paragraphs) == 500 and len(tgt) == len(tgt_paragraphs) == 500 - len(left_out)
    assert src_paragraphs[0] == 0 and src_paragraphs == sorted(src_paragraphs)
    assert set(tgt_paragraphs) <= set(src_paragraphs)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_paragraph_breaks_on_both_sides_improve_the_alignment(language):
    src, tgt, gold, src_paragraphs, tgt_paragraphs = omitted_set(language, 500)
    without = f1(gold, align(src, tgt, src_lang="zh", tgt_lang=language))
    beads = align(
        src,
        tgt,
        src_lang="zh",
        tgt_lang=language,
        src_paragraphs=src_paragraphs,
        tgt_paragraphs=tgt_paragraphs,
    )
    assert f1(gold, beads) >= without + 0.01
    assert f1(gold, beads) >= 0.95


def test_paragraphs_on_one_side_only_change_nothing():
    src, tgt, _gold, src_paragraphs, _tgt_paragraphs = omitted_set("ko", 200)
    plain = align(src, tgt, src_lang="zh", tgt_lang="ko")
    one_side = align(
        src, tgt, src_lang="zh", tgt_lang="ko", src_paragraphs=src_paragraphs, tgt_paragraphs=[0] * len(tgt)
    )
    assert one_side == plain


def test_paragraph_numbers_must_match_the_sentences():
    with pytest.raises(ValueError, match="one paragraph number per sentence"):
        align(
            ["一。", "二。"],
            ["One.", "Two."],
            src_lang="zh",
            tgt_lang="en",
            src_paragraphs=[0],
            tgt_paragraphs=[0, 1],
        )
