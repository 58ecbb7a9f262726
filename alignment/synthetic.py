"""Test and benchmark sets made from a parallel corpus aligned 1-1 (PUD): merges, cuts, long documents.

All deterministic (a seeded ``random.Random``), pure, and with gold beads in the evaluation format
(``(src_ids, tgt_ids)`` tuples).

- ``merged(src, tgt, ...)``: adjacent sentences of one article written as one on either side or both,
  as real Korean translations do: 1-2 (the source joined), 2-1 (the target joined) and 2-2 beads
  (both sides joined, the sentence boundary moved so that neither half matches alone).
- ``omitted(src, tgt, ...)``: some target sentences left out (1-0 beads), with the paragraph of
  every sentence (one per article), to measure paragraph breaks as soft anchors.
- ``partial(src, tgt, start, stop)``: only ``tgt[start:stop]`` is pasted; the rest of the source is
  left untranslated (1-0 beads).
- ``long_document(stretch, filler, ...)``: a stretch of source sentences set in the middle of a long
  document made of filler sentences (a chapter pasted into a book).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

Bead = tuple[tuple[int, ...], tuple[int, ...]]
JOINER = {"zh": "", "ja": "", "ko": " ", "en": " "}


def _join(first: str, second: str, language: str) -> str:
    return first + JOINER.get(language, " ") + second


def merged(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    articles: Sequence[int] | None = None,
    rate: float = 0.3,
    seed: int = 15,
) -> tuple[list[str], list[str], list[Bead]]:
    """Join pairs of adjacent parallel sentences (same article) on one side or both.

    ``articles[i]`` is the article of sentence pair ``i`` (pairs of different articles are never
    joined). About ``rate`` of the positions start a join: a third 2-1, a third 1-2, a sixth 2-2
    (the target halves cut at another point), the rest kept 1-1.
    """
    src_out, tgt_out, gold, _src_par, _tgt_par = merged_paragraphs(
        src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, articles=articles, rate=rate, seed=seed
    )
    return src_out, tgt_out, gold


def merged_paragraphs(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    articles: Sequence[int] | None = None,
    rate: float = 0.3,
    seed: int = 15,
) -> tuple[list[str], list[str], list[Bead], list[int], list[int]]:
    """``merged``, and the paragraph of each source and target sentence: its article, numbered
    in order (the texts as pasted with a paragraph per article)."""
    rng = random.Random(seed)
    out_src: list[str] = []
    out_tgt: list[str] = []
    gold: list[Bead] = []
    src_paragraphs: list[int] = []
    tgt_paragraphs: list[int] = []
    paragraph = 0
    i = 0
    n = len(src)
    while i < n:
        same_article = i + 1 < n and (articles is None or articles[i] == articles[i + 1])
        roll = rng.random()
        if same_article and roll < rate:
            kind = rng.choice(["2-1", "2-1", "1-2", "1-2", "2-2"])
            s0, s1 = len(out_src), len(out_tgt)
            if kind == "2-1":
                out_src.extend([src[i], src[i + 1]])
                out_tgt.append(_join(tgt[i], tgt[i + 1], tgt_lang))
                gold.append(((s0, s0 + 1), (s1,)))
            elif kind == "1-2":
                out_src.append(_join(src[i], src[i + 1], src_lang))
                out_tgt.extend([tgt[i], tgt[i + 1]])
                gold.append(((s0,), (s1, s1 + 1)))
            else:  # 2-2: the target's two sentences cut elsewhere than the source's
                out_src.extend([src[i], src[i + 1]])
                whole = _join(tgt[i], tgt[i + 1], tgt_lang)
                words = whole.split(" ") if " " in whole else list(whole)
                cut = max(
                    1, min(len(words) - 1, len(words) // 3 if rng.random() < 0.5 else 2 * len(words) // 3)
                )
                glue = " " if " " in whole else ""
                out_tgt.extend([glue.join(words[:cut]), glue.join(words[cut:])])
                gold.append(((s0, s0 + 1), (s1, s1 + 1)))
            i += 2
        else:
            gold.append(((len(out_src),), (len(out_tgt),)))
            out_src.append(src[i])
            out_tgt.append(tgt[i])
            i += 1
        src_paragraphs.extend([paragraph] * (len(out_src) - len(src_paragraphs)))
        tgt_paragraphs.extend([paragraph] * (len(out_tgt) - len(tgt_paragraphs)))
        if articles is not None and i < n and articles[i] != articles[i - 1]:
            paragraph += 1
    return out_src, out_tgt, gold, src_paragraphs, tgt_paragraphs


def omitted(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    articles: Sequence[int],
    rate: float = 0.15,
    seed: int = 15,
) -> tuple[list[str], list[str], list[Bead], list[int], list[int]]:
    """A 1-1 corpus with about ``rate`` of the target sentences left out (their source is 1-0).

    Returns the source, the target, the gold, and each side's paragraph numbers: a paragraph per
    article (``articles[i]`` is the article of pair ``i``), as the texts would be pasted.
    """
    rng = random.Random(seed)
    out_tgt: list[str] = []
    gold: list[Bead] = []
    src_paragraphs: list[int] = []
    tgt_paragraphs: list[int] = []
    paragraph = 0
    for i, sentence in enumerate(tgt):
        if i and articles[i] != articles[i - 1]:
            paragraph += 1
        src_paragraphs.append(paragraph)
        if rng.random() < rate:
            gold.append(((i,), ()))
            continue
        gold.append(((i,), (len(out_tgt),)))
        out_tgt.append(sentence)
        tgt_paragraphs.append(paragraph)
    return list(src), out_tgt, gold, src_paragraphs, tgt_paragraphs


def partial(
    src: Sequence[str], tgt: Sequence[str], start: int, stop: int
) -> tuple[list[str], list[str], list[Bead]]:
    """The whole source against ``tgt[start:stop]`` (1-1 corpora): the rest of the source is 1-0."""
    gold: list[Bead] = []
    for i in range(len(src)):
        gold.append(((i,), (i - start,)) if start <= i < stop else ((i,), ()))
    return list(src), list(tgt[start:stop]), gold


def long_document(
    stretch: Sequence[str], filler: Sequence[str], *, total: int, position: float = 0.5, seed: int = 15
) -> tuple[list[str], int]:
    """A document of ``total`` sentences: filler (drawn in random order) with ``stretch`` inside.

    Returns the document and the offset of the stretch in it. ``position`` is where the stretch
    starts, as a fraction of the filler.
    """
    rng = random.Random(seed)
    count = max(0, total - len(stretch))
    lines = [filler[rng.randrange(len(filler))] for _ in range(count)]
    offset = int(count * position)
    return lines[:offset] + list(stretch) + lines[offset:], offset
