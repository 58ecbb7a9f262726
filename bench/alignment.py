"""Sentence-aligner benchmark: quality per gold set, time, peak memory and scaling.

    .venv/bin/python bench/alignment.py [--data DIR] [--sets mac,berg,pud-zh-en,...] [--no-scaling]

Each measurement runs in a fresh subprocess (``--one NAME``) so that its time includes importing
and loading the dictionaries (jieba, CC-CEDICT, Hanja) and its peak RSS is its own. Wall time
depends on what else runs on the machine; CPU time (process_time, one thread) is the figure to
compare with a budget "on one core". Quality is
computed by ``alignment.evaluation.evaluate``, the code behind ``manage.py align_eval``.
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
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if not options.data.is_dir():
        sys.exit(f"alignment data not found at {options.data} (use --data)")
    if options.one:
        print(json.dumps(run_set(options.one, options.data)))
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


if __name__ == "__main__":
    main()
