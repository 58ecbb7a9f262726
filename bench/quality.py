"""Benchmark of quality: checks per second and corpus scores vs sacrebleu's own time.

Run: .venv/bin/python bench/quality.py [N]   (N translations, default 100000). Prints figures; not a test.

Synthetic pairs: each sentence of the seed document as the source; the target is simple synthetic English
(or Korean) that embeds the source's numbers among filler words, with every tenth number altered so some
findings are produced. The hypotheses for the corpus scores are the targets with a few words dropped.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

from sacrebleu.metrics import BLEU, CHRF, TER  # noqa: E402

from quality import check_pair, corpus_scores  # noqa: E402
from quality.metrics import bleu_tokenize_for  # noqa: E402

SEED = ROOT / "data" / "seed_globalization.zh.txt"
SENT_END = re.compile(r"(?<=[。！？])")
DIGITS = re.compile(r"\d[\d,.]*")
WORDS_EN = "the global economy cooperation countries pandemic governance trade growth people".split()
WORDS_KO = "세계 경제 협력 국가 감염병 거버넌스 무역 성장 사람 발전".split()


def sentences() -> list[str]:
    out = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        out += [s.strip() for s in SENT_END.split(line) if len(s.strip()) > 4]
    return out


def synthetic(source: str, i: int, lang: str) -> str:
    words = WORDS_EN if lang == "en" else WORDS_KO
    nums = DIGITS.findall(source)
    n_words = min(20, max(4, len(source) // 3))  # TER time grows fast with length: keep them short
    parts = [words[(i + k) % len(words)] for k in range(n_words)]
    for k, num in enumerate(nums):
        if i % 10 == 0 and k == 0:
            num = num + "1"
        parts.insert(min(len(parts), 2 + 3 * k), num)
    text = " ".join(parts)
    return (text[0].upper() + text[1:] + ".") if lang == "en" else text + "."


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    src = sentences()
    print(f"seed sentences: {len(src)}; translations: {n}")
    for lang in ("en", "ko"):
        pairs = [(src[i % len(src)], synthetic(src[i % len(src)], i, lang)) for i in range(n)]
        t0 = time.perf_counter()
        findings = 0
        for s, t in pairs:
            findings += len(check_pair(s, t, source_lang="zh", target_lang=lang))
        dt = time.perf_counter() - t0
        print(
            f"[{lang}] check_pair: {n} pairs in {dt:.2f} s = {n / dt:,.0f} checks/s "
            f"({dt / n * 1e6:.1f} µs each), {findings} findings"
        )

        refs = [t for _, t in pairs]
        hyps = [" ".join(w for k, w in enumerate(t.split()) if k % 7 != 3) for t in refs]
        t0 = time.perf_counter()
        ours = corpus_scores(hyps, refs, target_lang=lang)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        b = BLEU(tokenize=bleu_tokenize_for(lang)).corpus_score(hyps, [refs])
        c = CHRF().corpus_score(hyps, [refs])
        t = TER().corpus_score(hyps, [refs])
        t_raw = time.perf_counter() - t0
        assert (b.score, c.score, t.score) == (
            ours["bleu"]["score"],
            ours["chrf"]["score"],
            ours["ter"]["score"],
        )
        print(
            f"[{lang}] corpus_scores: {t_ours:.2f} s; sacrebleu.metrics directly: {t_raw:.2f} s; "
            f"ratio {t_ours / t_raw:.3f}  (BLEU {b.score:.2f}, chrF {c.score:.2f}, TER {t.score:.2f}; "
            f"tok {bleu_tokenize_for(lang)})"
        )


if __name__ == "__main__":
    main()
