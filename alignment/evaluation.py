"""Alignment scoring as defined in /work/shared/data/alignment/README.md (vecalign / Bertalign).

A bead is a pair of ordered id tuples ``(src_ids, tgt_ids)``. Strict: the identical bead is in the
reference. Lax: some target id of the bead is linked in the reference to some source id of it.
Precision judges every test bead (null beads included) against the gold; recall judges the gold
beads non-empty on both sides against the test beads non-empty on both sides. Counts are pooled
over documents before the ratios are taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]

_BEAD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::.*)?$")


def _ids(field: str) -> tuple[int, ...]:
    return tuple(int(part) for part in field.replace(",", " ").split())


def parse_bead(line: str) -> BeadIds:
    match = _BEAD_LINE.match(line)
    if not match:
        raise ValueError(f"not a bead: {line!r}")
    return _ids(match.group(1)), _ids(match.group(2))


def parse_beads(text: str) -> list[BeadIds]:
    return [parse_bead(line) for line in text.splitlines() if line.strip()]


def read_beads(path: str | Path) -> list[BeadIds]:
    return parse_beads(Path(path).read_text(encoding="utf-8"))


def format_bead(src: Sequence[int], tgt: Sequence[int], score: float | None = None) -> str:
    text = f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]"
    return text if score is None else f"{text}:{score:.2f}"


@dataclass
class Counts:
    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp_strict += other.tp_strict
        self.fp_strict += other.fp_strict
        self.tp_lax += other.tp_lax
        self.fp_lax += other.fp_lax
        return self

    @property
    def strict(self) -> float:
        return _ratio(self.tp_strict, self.tp_strict + self.fp_strict)

    @property
    def lax(self) -> float:
        return _ratio(self.tp_lax, self.tp_lax + self.fp_lax)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _clean(beads: Iterable[BeadIds]) -> set[BeadIds]:
    return {(tuple(s), tuple(t)) for s, t in beads if s or t}


def _precision_counts(gold: set[BeadIds], test: set[BeadIds]) -> Counts:
    counts = Counts()
    links: dict[int, set[int]] = {}
    for src, tgt in gold:
        for s in src:
            links.setdefault(s, set()).update(tgt)
    for src, tgt in test:
        if (src, tgt) in gold:
            counts.tp_strict += 1
            counts.tp_lax += 1
            continue
        counts.fp_strict += 1
        targets = set(tgt)
        if any(links.get(s, set()) & targets for s in src):
            counts.tp_lax += 1
        else:
            counts.fp_lax += 1
    return counts


@dataclass(frozen=True)
class Scores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float
    precision_counts: Counts
    recall_counts: Counts

    def as_lines(self) -> list[str]:
        return [
            f"strict precision {self.strict_precision:.4f} recall {self.strict_recall:.4f} "
            f"F1 {self.strict_f1:.4f}",
            f"lax    precision {self.lax_precision:.4f} recall {self.lax_recall:.4f} F1 {self.lax_f1:.4f}",
        ]


def document_counts(gold: Iterable[BeadIds], test: Iterable[BeadIds]) -> tuple[Counts, Counts]:
    """(precision counts, recall counts) of one document."""
    gold_set, test_set = _clean(gold), _clean(test)
    precision = _precision_counts(gold_set, test_set)
    gold_full = {bead for bead in gold_set if bead[0] and bead[1]}
    test_full = {bead for bead in test_set if bead[0] and bead[1]}
    recall = _precision_counts(test_full, gold_full)
    return precision, recall


def score_documents(pairs: Iterable[tuple[Iterable[BeadIds], Iterable[BeadIds]]]) -> Scores:
    """Pooled scores over ``(gold, test)`` bead lists, one pair per document."""
    precision, recall = Counts(), Counts()
    for gold, test in pairs:
        p, r = document_counts(gold, test)
        precision += p
        recall += r
    return Scores(
        strict_precision=precision.strict,
        strict_recall=recall.strict,
        strict_f1=_f1(precision.strict, recall.strict),
        lax_precision=precision.lax,
        lax_recall=recall.lax,
        lax_f1=_f1(precision.lax, recall.lax),
        precision_counts=precision,
        recall_counts=recall,
    )


def read_lines(path: str | Path) -> list[str]:
    """One sentence per line; a trailing newline does not make an extra sentence."""
    return Path(path).read_text(encoding="utf-8").splitlines()


def document_triples(
    src: str | Path, tgt: str | Path, gold: str | Path
) -> list[tuple[str, Path, Path, Path]]:
    """(name, source file, target file, gold file) per document.

    Given three folders, the documents are the files of the same name in all three; given three
    files (the PUD set: ``en.txt``, ``zh.txt``, ``gold.align``), the one document they form.
    """
    src, tgt, gold = Path(src), Path(tgt), Path(gold)
    if src.is_file() and tgt.is_file() and gold.is_file():
        return [(src.stem, src, tgt, gold)]
    for folder in (src, tgt, gold):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is not a folder (give three folders or three files)")
    names = sorted(
        path.name
        for path in gold.iterdir()
        if path.is_file() and (src / path.name).is_file() and (tgt / path.name).is_file()
    )
    if not names:
        raise FileNotFoundError(f"no document in {gold} has a source in {src} and a target in {tgt}")
    return [(name, src / name, tgt / name, gold / name) for name in names]


def evaluate(src: str | Path, tgt: str | Path, gold: str | Path, *, src_lang: str, tgt_lang: str) -> Scores:
    """Align every document of a set and score it against the gold (what align_eval prints)."""
    from .aligner import align

    pairs = []
    for _name, src_path, tgt_path, gold_path in document_triples(src, tgt, gold):
        beads = align(read_lines(src_path), read_lines(tgt_path), src_lang=src_lang, tgt_lang=tgt_lang)
        pairs.append((read_beads(gold_path), [(bead.src, bead.tgt) for bead in beads]))
    return score_documents(pairs)
