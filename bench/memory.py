"""Benchmark of the translation memory lookup: indexed lookup vs a brute-force scan, and recall.

Run: .venv/bin/python bench/memory.py [N]   (N memory units, default 100000). Prints figures; not a test.

Works in its own database ``workbench_bench_memory`` on the same server as the workbench (the one of
``DATABASE_URL`` with the name swapped, otherwise the embedded server of ``.pgdata``), dropped, created
afresh and migrated by ``manage.py migrate`` in a subprocess; the body runs in a second subprocess with
``DATABASE_URL`` pointing at it.

Memory: N units synthetic from the seed's sentences, each a sentence with 1-5 random edits on its jieba
tokens (drop a token, replace one by a word of the seed's vocabulary, insert one, change a number or add
one); tokens computed by ``memory.tm.source_tokens``/``index_tokens``, rows inserted with COPY.

Queries: 200 seed sentences with 1-2 small edits (another random stream). For each:

- ``memory.tm.lookup`` is timed (median, p95; SQL time measured by a connection execute wrapper);
- brute force: ``memory.tm.token_score`` over every unit's tokens (loaded into memory once). The full
  scan is timed on a subset of the queries (it takes seconds per query); the best score of every query is
  found exactly with rapidfuzz's ``cdist`` as an upper bound (``token_score`` never exceeds the plain
  normalised similarity) and ``token_score`` evaluated on the units in that bound's order until the bound
  falls below the best found; on the timed subset the two must agree.
- recall: the lookup's first match has the brute-force best score (the best unit, or one as good); also
  whether any of its 5 matches does.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import subprocess
import sys
import time

from common import ROOT, base_url, create_database, seed_sentences, with_database

BENCH_DB = "workbench_bench_memory"
QUERIES = 200
TIMED_SCANS = int(os.environ.get("BENCH_TIMED_SCANS", "20"))
TARGET_P95_MS = 50.0
DIGITS = re.compile(r"\d+")


# --- database -----------------------------------------------------------------------------------


def edit(pieces: list[str], vocabulary: list[str], rng: random.Random, operations: int) -> str:
    """``pieces`` (jieba tokens, punctuation kept) with ``operations`` random edits, joined."""
    from corpus.segmentation import is_word

    pieces = list(pieces)
    for _ in range(operations):
        words = [i for i, piece in enumerate(pieces) if is_word(piece)]
        op = rng.random()
        if op < 0.25 and len(words) > 2:
            del pieces[rng.choice(words)]
        elif op < 0.5 and words:
            pieces[rng.choice(words)] = rng.choice(vocabulary)
        elif op < 0.75:
            pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(vocabulary))
        else:
            numbers = [i for i, piece in enumerate(pieces) if DIGITS.search(piece)]
            if numbers:
                i = rng.choice(numbers)
                pieces[i] = DIGITS.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), pieces[i], count=1)
            else:
                pieces.insert(rng.randrange(len(pieces) + 1), str(rng.randint(1, 2030)))
    return "".join(pieces)


def copy_value(value) -> str:
    if isinstance(value, list):
        return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value) + "}"
    return str(value)


def build(n: int, sentences: list[str]) -> float:
    from django.db import connection

    from corpus.segmentation import _tokenizer, is_word
    from memory.tm import index_tokens, normalise_source, source_tokens

    started = time.perf_counter()
    rng = random.Random(20240501)
    tokenizer = _tokenizer()
    pieces = [tokenizer.lcut(s) for s in sentences]
    vocabulary = sorted({p for ps in pieces for p in ps if is_word(p) and len(p) >= 2})
    buffer = io.StringIO()
    columns = (
        "language, source_text, source_key, target_text, tokens, index_tokens, length, origin, created_at"
    )
    for i in range(n):
        k = i % len(sentences)
        text = sentences[k] if i < len(sentences) else edit(pieces[k], vocabulary, rng, rng.randint(1, 5))
        tokens = source_tokens(text)
        row = [
            "en",
            text,
            normalise_source(text),
            f"EN {i}",
            tokens,
            index_tokens(tokens),
            len(tokens),
            "tmx",
            "2024-05-01 00:00:00+00",
        ]
        buffer.write(
            "\t".join(copy_value(v).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ") for v in row)
            + "\n"
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY corpus_memoryunit ({columns}) FROM STDIN WITH (FORMAT text)", buffer)
        cursor.execute("ANALYZE corpus_memoryunit")
    return time.perf_counter() - started


# --- measurement --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def brute_best(query: list[str], ids: list[int], tokens: list[list[str]]) -> tuple[int, int]:
    """Exact best (score, unit id) by token_score, pruned by the similarity upper bound."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from memory.tm import token_score

    bounds = process.cdist([query], tokens, scorer=Levenshtein.normalized_similarity, workers=-1)[0]
    order = np.argsort(-bounds, kind="stable")
    best, best_id = -1, None
    for i in order:
        if bounds[i] * 100 + 0.01 < best:
            break
        score = token_score(query, tokens[i])
        if score > best or (score == best and ids[i] > best_id):
            best, best_id = score, ids[i]
    return best, best_id


def brute_scan(query: list[str], ids: list[int], tokens: list[list[str]]) -> tuple[int, int]:
    """The plain scan: token_score over every unit."""
    from memory.tm import token_score

    best, best_id = -1, None
    for pk, candidate in zip(ids, tokens, strict=True):
        score = token_score(query, candidate)
        if score > best or (score == best and pk > best_id):
            best, best_id = score, pk
    return best, best_id


def body(n: int, reuse: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.db import connection

    from corpus.models import MemoryUnit
    from memory import tm as memory

    sentences = seed_sentences(8)
    print(f"seed sentences: {len(sentences)}; memory units: {n:,}")
    seconds = 0.0 if reuse else build(n, sentences)
    count = MemoryUnit.objects.count()
    print(f"built {count:,} units in {seconds:.1f} s (jieba tokens + COPY + ANALYZE)")

    from corpus.segmentation import _tokenizer

    rng = random.Random(7)
    tokenizer = _tokenizer()
    vocabulary = sorted({p for s in sentences for p in tokenizer.lcut(s) if len(p) >= 2 and p.strip()})
    queries = [
        edit(tokenizer.lcut(s), vocabulary, rng, rng.randint(1, 2))
        for s in rng.sample(sentences, min(QUERIES, len(sentences)))
    ]
    while len(queries) < QUERIES:
        queries.append(edit(tokenizer.lcut(rng.choice(sentences)), vocabulary, rng, rng.randint(1, 2)))

    sql_time = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started

    for query in queries[:5]:  # warm up caches and the connection
        memory.lookup(query, "en")
    times, sql_times, results = [], [], []
    with connection.execute_wrapper(timed):
        for query in queries:
            sql_time[0] = 0.0
            started = time.perf_counter()
            matches = memory.lookup(query, "en")
            times.append(time.perf_counter() - started)
            sql_times.append(sql_time[0])
            results.append(matches)

    started = time.perf_counter()
    ids, tokens = [], []
    for pk, unit_tokens in (
        MemoryUnit.objects.filter(language="en").values_list("id", "tokens").iterator(10000)
    ):
        ids.append(pk)
        tokens.append(unit_tokens)
    print(f"loaded {len(ids):,} units' tokens for the brute force in {time.perf_counter() - started:.1f} s")

    query_tokens = [memory.source_tokens(q) for q in queries]
    scan_times, agree = [], 0
    for q in query_tokens[:TIMED_SCANS]:
        started = time.perf_counter()
        scanned = brute_scan(q, ids, tokens)
        scan_times.append(time.perf_counter() - started)
        agree += scanned[0] == brute_best(q, ids, tokens)[0]
    best = [brute_best(q, ids, tokens) for q in query_tokens]

    top1 = top5 = exact_unit = 0
    for (score, pk), matches in zip(best, results, strict=True):
        if matches and matches[0].score == score:
            top1 += 1
        if any(m.score == score for m in matches):
            top5 += 1
        if matches and matches[0].unit.pk == pk:
            exact_unit += 1
    misses = [
        (s, m[0].score if m else None)
        for (s, _), m in zip(best, results, strict=True)
        if not m or m[0].score < s
    ]

    ms = [t * 1000 for t in times]
    sql_ms = [t * 1000 for t in sql_times]
    scan_median = statistics.median(scan_times) * 1000
    median, p95 = statistics.median(ms), percentile(ms, 95)
    print()
    print(
        f"lookup over {len(queries)} queries: median {median:.1f} ms, p95 {p95:.1f} ms, max {max(ms):.1f} ms"
    )
    print(
        f"  of which SQL: median {statistics.median(sql_ms):.1f} ms, p95 {percentile(sql_ms, 95):.1f} ms; "
        f"Python (tokens, scores, diffs): median {statistics.median([a - b for a, b in zip(ms, sql_ms, strict=True)]):.1f} ms"
    )
    print(f"  target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'}")
    print(
        f"brute-force scan (token_score over {len(ids):,} units, {TIMED_SCANS} queries timed): "
        f"median {scan_median:.0f} ms, p95 {percentile([t * 1000 for t in scan_times], 95):.0f} ms"
    )
    print(f"  speed-up, median scan / median lookup: {scan_median / median:.0f}x")
    print(f"  pruned exact best agrees with the full scan on {agree}/{TIMED_SCANS} timed queries")
    print(
        f"recall: first match has the brute-force best score {top1}/{len(queries)} ({top1 / len(queries):.1%}); "
        f"within the 5 matches {top5}/{len(queries)} ({top5 / len(queries):.1%}); "
        f"first match is the very unit {exact_unit}/{len(queries)}"
    )
    print(
        f"  brute-force best scores: median {statistics.median(s for s, _ in best)}, min {min(s for s, _ in best)}"
    )
    if misses:
        print(f"  misses (best, found): {misses[:15]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--body", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help="measure the memory of the last run again")
    args = parser.parse_args()
    if args.body:
        body(args.n, args.reuse)
        return
    started = time.perf_counter()
    if args.reuse:
        url = with_database(base_url(), BENCH_DB)
    else:
        url = create_database(base_url(), BENCH_DB)
        print(f"database {BENCH_DB} created and migrated in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "workbench.settings"}
    command = [sys.executable, __file__, str(args.n), "--body", *(["--reuse"] if args.reuse else [])]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
