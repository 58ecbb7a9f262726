"""Korean merges: adjacent sentences written as one on either side (1-2, 2-1) or both (2-2).

The set is built from the PUD sentences in the repository by ``alignment.synthetic.merged``
(deterministic): about three in ten positions of an article start a join.
"""

from __future__ import annotations

from collections import Counter

import pytest

from alignment.aligner import BEAD_PRIORS, DEV_BEAD_COUNTS, align, learned_priors
from alignment.evaluation import read_lines, score_documents
from alignment.synthetic import merged
from tests.factories import PUD


def merge_set(start: int, stop: int):
    zh, ko = read_lines(PUD / "zh.txt")[start:stop], read_lines(PUD / "ko.txt")[start:stop]
    articles = [sent_id[:6] for sent_id in read_lines(PUD / "sent_ids.txt")[start:stop]]
    return merged(zh, ko, src_lang="zh", tgt_lang="ko", articles=articles)


def test_the_merge_set_has_every_kind_of_merge():
    src, tgt, gold = merge_set(0, 300)
    kinds = Counter((len(s), len(t)) for s, t in gold)
    assert kinds[(2, 1)] >= 10 and kinds[(1, 2)] >= 10 and kinds[(2, 2)] >= 5
    assert [i for s, _t in gold for i in s] == list(range(len(src)))
    assert [j for _s, t in gold for j in t] == list(range(len(tgt)))
    assert "".join(src) == "".join(read_lines(PUD / "zh.txt")[:300])


@pytest.mark.parametrize(("start", "stop"), [(0, 300), (300, 600)])
def test_zh_ko_merges_are_found(start, stop):
    src, tgt, gold = merge_set(start, stop)
    beads = [(bead.src, bead.tgt) for bead in align(src, tgt, src_lang="zh", tgt_lang="ko")]
    assert score_documents([(gold, beads)]).strict_f1 >= 0.94
    found = set(beads)
    one_sided = [bead for bead in gold if {len(bead[0]), len(bead[1])} == {1, 2}]
    assert sum(bead in found for bead in one_sided) >= 0.9 * len(one_sided)


def test_merge_priors_are_learned_from_bead_counts():
    assert learned_priors(DEV_BEAD_COUNTS) == BEAD_PRIORS
    assert BEAD_PRIORS[(1, 1)] == 0.0
    assert BEAD_PRIORS[(1, 2)] == BEAD_PRIORS[(2, 1)] > BEAD_PRIORS[(2, 2)] > BEAD_PRIORS[(2, 3)]
    frequent_two_two = learned_priors({**DEV_BEAD_COUNTS, (2, 2): 400})
    assert frequent_two_two[(2, 2)] > BEAD_PRIORS[(2, 2)]


def triples(language: str, stop: int):
    """PUD with three Chinese sentences of one article written as one, every fourth bead (1-3)."""
    zh, tgt = read_lines(PUD / "zh.txt"), read_lines(PUD / f"{language}.txt")
    articles = read_lines(PUD / "sent_ids.txt")
    src_out, tgt_out, gold = [], [], []
    i = number = 0
    while i < stop:
        if number % 4 == 0 and i + 2 < stop and articles[i][:6] == articles[i + 2][:6]:
            gold.append(((len(src_out),), tuple(range(len(tgt_out), len(tgt_out) + 3))))
            src_out.append("".join(zh[i : i + 3]))
            tgt_out.extend(tgt[i : i + 3])
            i += 3
        else:
            gold.append(((len(src_out),), (len(tgt_out),)))
            src_out.append(zh[i])
            tgt_out.append(tgt[i])
            i += 1
        number += 1
    return src_out, tgt_out, gold


@pytest.mark.parametrize("language", ["en", "ko"])
def test_one_to_three_merges_are_found(language):
    src, tgt, gold = triples(language, 300)
    beads = [(bead.src, bead.tgt) for bead in align(src, tgt, src_lang="zh", tgt_lang=language)]
    one_to_three = [bead for bead in gold if len(bead[1]) == 3]
    assert len(one_to_three) >= 15
    found = set(beads)
    assert sum(bead in found for bead in one_to_three) >= 0.85 * len(one_to_three)
    assert score_documents([(gold, beads)]).strict_f1 >= 0.97
