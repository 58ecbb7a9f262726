"""Sentence-aligner benchmark: quality per gold set, time, peak memory and scaling.

    .venv/bin/python bench/alignment.py [--data DIR] [--sets mac,berg,pud-zh-en,...] [--no-scaling] [--no-long]

Each measurement runs in a fresh subprocess (``--one NAME``) so that its time includes importing
and loading the dictionaries (jieba, CC-CEDICT, Hanja) and its peak RSS is its own. Wall time
depends on what else runs on the machine; CPU time (process_time, one thread) is the figure to
compare with a budget "on one core". Quality is
computed by ``alignment.evaluation.evaluate``, the code behind ``manage.py align_eval``.
Synthetic sets built from PUD by ``alignment.synthetic`` (deterministic): ``zh-ko-merge`` (adjacent
sentences of an article joined on the Korean side, the Chinese side or both: 1-2, 2-1, 2-2 beads),
``zh-ko-omit`` (15 % of the Korean sentences left out: 1-0 beads), each also with ``-para`` (both
sides' paragraph breaks, one paragraph per article, given to the aligner as soft anchors) and
``zh-ko-partial`` (the Korean of sentences 300-699 only, against all 1,000 Chinese sentences).
Long document: MAC-Dev chapters 001-005 in English against a 32,000-sentence Chinese document in
which their Chinese sits in the middle (the filler drawn from chapter 006 and the PUD Chinese), and
the same chapters aligned alone; after a warm-up, CPU time of the alignment, then its peak of Python
allocations (tracemalloc) in a second run; the ratios long/alone are printed with the budget
(time <= 2x, memory <= 1.5x, recall within 0.02).
Scaling: the MAC-Dev chapters concatenated 1x, 2x and 4x are aligned after a warm-up (dictionaries
loaded), timed, then aligned again under tracemalloc for the peak of Python allocations.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "alignment"

SETS = {
    "zh-en-mac-dev": ("zh-en-mac-dev/zh", "zh-en-mac-dev/en", "zh-en-mac-dev/gold", "zh", "en"),
    "de-fr-text-berg": ("de-fr-text-berg/de", "de-fr-text-berg/fr", "de-fr-text-berg/gold", "de", "fr"),
    "pud-zh-en": ("pud-zh-ko-en/zh.txt", "pud-zh-ko-en/en.txt", "pud-zh-ko-en/gold.align", "zh", "en"),
    "pud-zh-ko": ("pud-zh-ko-en/zh.txt", "pud-zh-ko-en/ko.txt", "pud-zh-ko-en/gold.align", "zh", "ko"),
    "pud-en-ko": ("pud-zh-ko-en/en.txt", "pud-zh-ko-en/ko.txt", "pud-zh-ko-en/gold.align", "en", "ko"),
}
SYNTHETIC = ("zh-ko-merge", "zh-ko-merge-para", "zh-ko-omit", "zh-ko-omit-para", "zh-ko-partial")
LONG_TOTAL = 32_000
LONG_CHAPTERS = ("001", "002", "003", "004", "005")
FILLER_CHAPTER = "006"


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_set(name: str, data: Path) -> dict:
    started = time.perf_counter()
    _setup()
    from alignment.evaluation import evaluate

    src, tgt, gold, src_lang, tgt_lang = SETS[name]
    scores = evaluate(data / src, data / tgt, data / gold, src_lang=src_lang, tgt_lang=tgt_lang)
    return {
        "set": name,
        "strict": [scores.strict_precision, scores.strict_recall, scores.strict_f1],
        "lax": [scores.lax_precision, scores.lax_recall, scores.lax_f1],
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time(),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _pud(data: Path, name: str) -> list[str]:
    from alignment.evaluation import read_lines

    return read_lines(data / "pud-zh-ko-en" / name)


def run_synthetic(name: str, data: Path) -> dict:
    started = time.perf_counter()
    _setup()
    from alignment import synthetic
    from alignment.aligner import align
    from alignment.evaluation import score_documents

    zh, ko = _pud(data, "zh.txt"), _pud(data, "ko.txt")
    articles = [sent_id[:6] for sent_id in _pud(data, "sent_ids.txt")]
    paragraphs = None
    if name.startswith("zh-ko-merge"):
        src, tgt, gold, *paragraphs = synthetic.merged_paragraphs(
            zh, ko, src_lang="zh", tgt_lang="ko", articles=articles
        )
    elif name.startswith("zh-ko-omit"):
        src, tgt, gold, *paragraphs = synthetic.omitted(zh, ko, articles=articles)
    else:
        src, tgt, gold = synthetic.partial(zh, ko, 300, 700)
    if paragraphs and name.endswith("-para"):  # the paragraph breaks given to the aligner
        beads = align(
            src, tgt, src_lang="zh", tgt_lang="ko", src_paragraphs=paragraphs[0], tgt_paragraphs=paragraphs[1]
        )
    else:
        beads = align(src, tgt, src_lang="zh", tgt_lang="ko")
    scores = score_documents([(gold, [(bead.src, bead.tgt) for bead in beads])])
    return {
        "set": name,
        "strict": [scores.strict_precision, scores.strict_recall, scores.strict_f1],
        "lax": [scores.lax_precision, scores.lax_recall, scores.lax_f1],
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time(),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _chapters(data: Path, names) -> tuple[list[str], list[str], list]:
    from alignment.evaluation import read_beads, read_lines

    folder = data / "zh-en-mac-dev"
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    for name in names:
        s0, t0 = len(src), len(tgt)
        src += read_lines(folder / "zh" / name)
        tgt += read_lines(folder / "en" / name)
        gold += [
            (tuple(s + s0 for s in a), tuple(t + t0 for t in b))
            for a, b in read_beads(folder / "gold" / name)
        ]
    return src, tgt, gold


def run_long(kind: str, data: Path) -> dict:
    """MAC-Dev chapters 001-005: alone, or in the middle of a 32,000-sentence document."""
    import tracemalloc

    _setup()
    from alignment import synthetic
    from alignment.aligner import align
    from alignment.evaluation import read_lines, score_documents

    src, tgt, gold = _chapters(data, LONG_CHAPTERS)
    if kind == "long":
        filler = read_lines(data / "zh-en-mac-dev" / "zh" / FILLER_CHAPTER) + _pud(data, "zh.txt")
        document, offset = synthetic.long_document(src, filler, total=LONG_TOTAL)
        gold = [(tuple(s + offset for s in a), b) for a, b in gold]
        inside = {s for a, _b in gold for s in a}
        gold += [((s,), ()) for s in range(len(document)) if s not in inside]
        src = document
    align(src[:50], tgt[:60], src_lang="zh", tgt_lang="en")  # warm-up: dictionaries loaded
    started, cpu_started = time.perf_counter(), time.process_time()
    beads = align(src, tgt, src_lang="zh", tgt_lang="en")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    scores = score_documents([(gold, [(bead.src, bead.tgt) for bead in beads])])
    tracemalloc.start()
    align(src, tgt, src_lang="zh", tgt_lang="en")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "set": kind,
        "sentences": [len(src), len(tgt)],
        "strict": [scores.strict_precision, scores.strict_recall, scores.strict_f1],
        "lax": [scores.lax_precision, scores.lax_recall, scores.lax_f1],
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_alloc_mb": peak / 2**20,
        "peak_rss_mb": _peak_rss_mb(),
    }


def run_scaling(factor: int, data: Path) -> dict:
    import tracemalloc

    _setup()
    from alignment.aligner import align
    from alignment.evaluation import read_lines

    folder = data / "zh-en-mac-dev"
    names = sorted(path.name for path in (folder / "gold").iterdir())
    src = [line for name in names for line in read_lines(folder / "zh" / name)] * factor
    tgt = [line for name in names for line in read_lines(folder / "en" / name)] * factor
    align(src[:50], tgt[:60], src_lang="zh", tgt_lang="en")  # warm-up: dictionaries loaded
    started, cpu_started = time.perf_counter(), time.process_time()
    align(src, tgt, src_lang="zh", tgt_lang="en")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    tracemalloc.start()
    align(src, tgt, src_lang="zh", tgt_lang="en")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "factor": factor,
        "sentences": [len(src), len(tgt)],
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_alloc_mb": peak / 2**20,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _subprocess(arguments: list[str]) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", default=",".join([*SETS, *SYNTHETIC]))
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--no-long", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--long", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if not options.data.is_dir():
        sys.exit(
            f"alignment data not found at {options.data}: the gold sets (MAC-Dev, Text+Berg, PUD) are "
            "not part of the repository; give their folder with --data"
        )
    if options.one:
        run = run_synthetic if options.one in SYNTHETIC else run_set
        print(json.dumps(run(options.one, options.data)))
        return
    if options.long:
        print(json.dumps(run_long(options.long, options.data)))
        return
    if options.scale:
        print(json.dumps(run_scaling(options.scale, options.data)))
        return

    data = ["--data", str(options.data)]
    print(
        f"{'set':16} {'strict P':>8} {'R':>6} {'F1':>6}   {'lax P':>6} {'R':>6} {'F1':>6}   {'wall':>7} {'CPU':>7} {'RSS':>7}"
    )
    for name in filter(None, options.sets.split(",")):
        result = _subprocess(["--one", name, *data])
        sp, sr, sf = result["strict"]
        lp, lr, lf = result["lax"]
        print(
            f"{name:16} {sp:8.3f} {sr:6.3f} {sf:6.3f}   {lp:6.3f} {lr:6.3f} {lf:6.3f}   "
            f"{result['seconds']:6.2f}s {result['cpu_seconds']:6.2f}s {result['peak_rss_mb']:5.0f}MB",
            flush=True,
        )
    if not options.no_long:
        _print_long(data)
    if options.no_scaling:
        return
    print("\nscaling: MAC-Dev chapters concatenated (dictionaries loaded before timing)")
    results = {}
    for factor in (1, 2, 4):
        result = results[factor] = _subprocess(["--scale", str(factor), *data])
        print(
            f"  {factor}x {result['sentences'][0]:6d} x {result['sentences'][1]:6d}  "
            f"wall {result['seconds']:6.2f}s  CPU {result['cpu_seconds']:6.2f}s  peak alloc {result['peak_alloc_mb']:7.1f}MB  "
            f"peak RSS {result['peak_rss_mb']:6.0f}MB",
            flush=True,
        )
    print(
        f"  time(4x)/time(2x) = {results[4]['seconds'] / results[2]['seconds']:.2f} wall, "
        f"{results[4]['cpu_seconds'] / results[2]['cpu_seconds']:.2f} CPU   "
        f"alloc(4x)/alloc(2x) = {results[4]['peak_alloc_mb'] / results[2]['peak_alloc_mb']:.2f}   "
        f"(input ratio 2.00)"
    )


def _print_long(data: list[str]) -> None:
    print(
        f"\nlong document: MAC-Dev {'+'.join(LONG_CHAPTERS)} (en) alone, and inside {LONG_TOTAL:,} zh sentences"
    )
    results = {}
    for kind in ("alone", "long"):
        result = results[kind] = _subprocess(["--long", kind, *data])
        sp, sr, sf = result["strict"]
        _lp, lr, _lf = result["lax"]
        print(
            f"  {kind:6} {result['sentences'][0]:6d} x {result['sentences'][1]:5d}  strict P {sp:.3f} R {sr:.3f} "
            f"F1 {sf:.3f}  lax R {lr:.3f}  CPU {result['cpu_seconds']:6.2f}s  "
            f"peak alloc {result['peak_alloc_mb']:6.1f}MB  peak RSS {result['peak_rss_mb']:5.0f}MB",
            flush=True,
        )
    long, alone = results["long"], results["alone"]
    time_ratio = long["cpu_seconds"] / alone["cpu_seconds"]
    memory_ratio = long["peak_alloc_mb"] / alone["peak_alloc_mb"]
    rss_ratio = long["peak_rss_mb"] / alone["peak_rss_mb"]
    recall_gap = alone["strict"][1] - long["strict"][1]
    print(
        f"  long/alone: time {time_ratio:.2f} (<= 2: {'ok' if time_ratio <= 2 else 'FAIL'})  "
        f"memory {memory_ratio:.2f} alloc, {rss_ratio:.2f} RSS (<= 1.5: {'ok' if memory_ratio <= 1.5 else 'FAIL'})  "
        f"strict recall {-recall_gap:+.3f} (within 0.02: {'ok' if recall_gap <= 0.02 else 'FAIL'})"
    )


if __name__ == "__main__":
    main()
