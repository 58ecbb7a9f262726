"""Export benchmark: wall time and peak memory of an export against PostgreSQL's own COPY of the query.

    .venv/bin/python bench/export.py [--sizes 100000,1000000] [--formats tsv,tmx,xliff,jsonl]
        [--pairs zh-en,en-ko] [--database NAME] [--keep]

Works in its own database (``--database``, default ``$BENCH_EXPORT_DATABASE`` or
``workbench_bench_export``: give it a name of your own when sharing a server) on the server of
``DATABASE_URL`` (otherwise the embedded server of ``.pgdata``), created afresh and migrated by
``manage.py migrate`` in a subprocess. Synthetic data: documents of 10,000 segments (the seed's
sentences, cycled) each fully translated into English (one span a segment) and Korean (one span a
segment, except that every tenth pair of segments is one Korean span, so the en-ko pivot groups two
English spans with one Korean), all approved, written with COPY (the trigger stamps ``change_xid``; the
composite foreign keys are checked as usual, the exclusion constraint's rule by one query).

For each size, pair and format the export (``manage.py export --pair P --format F --status approved
--output FILE``) runs in a fresh subprocess: wall time, units per second and that process's peak RSS
(``os.wait4``). The limit is ``COPY (<the pair's unit query>) TO STDOUT`` into a null sink, run by
psycopg2 here: ``exchange.exports.source_pair_sql`` for zh-X, ``pivot_units_sql`` (the pivot in SQL) for en-ko. Printed: the
export/COPY ratio, the same without the command's fixed cost (an export of no unit: interpreter,
Django, the snapshot), and how peak memory grows from the smallest to the largest size.
Prints figures only; it is not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, base_url, create_database, seed_sentences

BENCH_DB = os.environ.get("BENCH_EXPORT_DATABASE", "workbench_bench_export")  # the --database default
PER_DOCUMENT = 10_000


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def add_documents(connection, first_number: int, count: int, sentences: list[str]) -> None:
    """``count`` documents of PER_DOCUMENT segments, each with an approved English translation."""
    with connection.cursor() as cursor:
        for number in range(first_number, first_number + count):
            cursor.execute(
                "INSERT INTO corpus_document (title, source_language, file_name, sha256, created_at)"
                " VALUES (%s, 'zh', %s, %s, now()) RETURNING id",
                (f"Bench document {number}", f"bench-{number}.txt", f"{number:064x}"),
            )
            document_id = str(cursor.fetchone()[0])
            _copy(
                cursor,
                "corpus_segment",
                ("document_id", "position", "paragraph", "kind", "text", "words", "chars", "tokens"),
                (
                    (
                        document_id,
                        str(p),
                        str(p // 5),
                        "sentence",
                        sentences[(number * 7 + p) % len(sentences)],
                        "12",
                        str(len(sentences[(number * 7 + p) % len(sentences)])),
                        "{}",
                    )
                    for p in range(PER_DOCUMENT)
                ),
            )
            _copy(
                cursor,
                "corpus_translation",
                TRANSLATION_COLUMNS,
                (
                    (
                        document_id,
                        "en",
                        str(p),
                        str(p),
                        f"Sentence {p} of document {number}: the pandemic reshapes globalisation, "
                        "supply chains and the governance of the world economy.",
                        "approved",
                        "3",
                        "typed",
                        "",
                        "2026-01-01 00:00:00+00",
                        "2026-01-01 00:00:00+00",
                        "[]",
                        "{}",
                        "",
                        "{}",
                    )
                    for p in range(PER_DOCUMENT)
                ),
            )
            _copy(
                cursor,
                "corpus_translation",
                TRANSLATION_COLUMNS,
                (
                    (
                        document_id,
                        "ko",
                        str(first),
                        str(last),
                        f"문서 {number}의 문장 {first}: 팬데믹은 세계화와 공급망, 세계 경제의 거버넌스를 바꾼다.",
                        "approved",
                        "2",
                        "typed",
                        "",
                        "2026-01-01 00:00:00+00",
                        "2026-01-02 00:00:00+00",
                        "[]",
                        "{}",
                        "",
                        "{}",
                    )
                    for first, last in korean_spans()
                ),
            )
    connection.commit()


def korean_spans():
    """One Korean span a segment, except positions 3-4 of every ten, which are one span."""
    p = 0
    while p < PER_DOCUMENT:
        last = p + 1 if p % 10 == 3 and p + 1 < PER_DOCUMENT else p
        yield p, last
        p = last + 1


# Checked per row, the GiST exclusion constraint makes COPY of translations cost ~500 us/row (its
# expression calls the SQL function workbench_span_key, which is not inlined in an index expression),
# and adding it back afterwards costs as much: ~8 minutes for 1M rows. The bench drops it and the two
# composite foreign keys for the load, adds the foreign keys back (which validates every row) and checks
# the exclusion constraint's rule (live spans of one document and language do not overlap) with one
# query instead. The export never uses the exclusion index, so the figures are not affected.
FOREIGN_KEYS = {
    "translation_first_segment": "FOREIGN KEY (document_id, first_position)"
    " REFERENCES corpus_segment (document_id, position) DEFERRABLE INITIALLY IMMEDIATE",
    "translation_last_segment": "FOREIGN KEY (document_id, last_position)"
    " REFERENCES corpus_segment (document_id, position) DEFERRABLE INITIALLY IMMEDIATE",
}
EXCLUSION = "translation_spans_do_not_overlap"
OVERLAPS = """
    SELECT count(*) FROM (
        SELECT first_position, lag(last_position) OVER (
            PARTITION BY document_id, language ORDER BY first_position) AS previous_last
        FROM corpus_translation WHERE retired_at IS NULL
    ) spans WHERE first_position <= previous_last
"""


def drop_constraints(connection) -> None:
    with connection.cursor() as cursor:
        for name in FOREIGN_KEYS:
            cursor.execute(f"ALTER TABLE corpus_translation DROP CONSTRAINT IF EXISTS {name}")
        cursor.execute(f"ALTER TABLE corpus_translation DROP CONSTRAINT IF EXISTS {EXCLUSION}")
    connection.commit()


def check_constraints(connection) -> None:
    with connection.cursor() as cursor:
        for name, definition in FOREIGN_KEYS.items():
            cursor.execute(f"ALTER TABLE corpus_translation ADD CONSTRAINT {name} {definition}")
        cursor.execute(OVERLAPS)
        overlapping = cursor.fetchone()[0]
    connection.commit()
    if overlapping:
        raise SystemExit(f"{overlapping} overlapping live spans: the exclusion constraint would not hold")


TRANSLATION_COLUMNS = (
    "document_id",
    "language",
    "first_position",
    "last_position",
    "text",
    "status",
    "version",
    "origin",
    "comment",
    "created_at",
    "updated_at",
    "findings",
    "check_codes",
    "first_text",
    "replaces",
)


# --- measurements -------------------------------------------------------------------------------


class NullSink(io.RawIOBase):
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data) -> int:
        self.bytes += len(data)
        return len(data)


def copy_limit(url: str, pair: str) -> tuple[float, int]:
    """Seconds and bytes of PostgreSQL's COPY of the pair's unit query (approved) into a null sink."""
    import psycopg2

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from exchange import exports

    request = exports.export_request(pair=pair, format="tsv", status="approved")
    unit_sql = exports.pivot_units_sql if pair == "en-ko" else exports.source_pair_sql
    sql, params = unit_sql(request)
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            query = cursor.mogrify(sql, params).decode()
            sink = NullSink()
            started = time.perf_counter()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT", sink)
            return time.perf_counter() - started, sink.bytes
    finally:
        connection.close()


def run_export(
    url: str, database: str, pair: str, fmt: str, status: str = "approved"
) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and output bytes of ``manage.py export`` in a fresh subprocess."""
    output = Path(f"/tmp/{database}.{pair}.{fmt}")
    command = [sys.executable, "manage.py", "export", "--pair", pair, "--format", fmt]
    command += ["--status", status, "--output", str(output)]
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"export failed ({process.returncode}): {stderr}")
    size = output.stat().st_size
    output.unlink()
    return seconds, usage.ru_maxrss / 1024, size


def profile_export(url: str, fmt: str) -> None:
    """cProfile of the export in a subprocess: where the time goes (top functions by own time)."""
    script = (
        "import cProfile, pstats, django, os;"
        "django.setup();"
        "from exchange.exports import export_request, stream_export;"
        f"s = stream_export(export_request(pair='zh-en', format='{fmt}'));"
        "next(s);"
        "p = cProfile.Profile(); p.enable();"
        "[None for _ in s];"
        "p.disable(); pstats.Stats(p).sort_stats('tottime').print_stats(12)"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "workbench.settings"}
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--formats", default="tsv,tmx,xliff,jsonl")
    parser.add_argument("--pairs", default="zh-en,en-ko")
    parser.add_argument(
        "--database", default=BENCH_DB, help="the bench's own database (dropped and made anew)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the TSV export at the last size")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    formats = args.formats.split(",")
    pairs = args.pairs.split(",")
    database = args.database

    started = time.perf_counter()
    url = base_url()
    _log(f"creating and migrating {database} ...")
    bench_url = create_database(url, database)
    sentences = seed_sentences()

    import psycopg2

    connection = psycopg2.connect(bench_url)
    documents = 0
    results = {}
    for size in sizes:
        wanted = -(-size // PER_DOCUMENT)
        t0 = time.perf_counter()
        drop_constraints(connection)
        add_documents(connection, documents + 1, wanted - documents, sentences)
        t1 = time.perf_counter()
        check_constraints(connection)
        _log(f"  loaded in {t1 - t0:.1f} s, constraints validated in {time.perf_counter() - t1:.1f} s")
        documents = wanted
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE corpus_segment")
            cursor.execute("VACUUM ANALYZE corpus_translation")
            cursor.execute("SELECT count(*) FROM corpus_translation")
            units = cursor.fetchone()[0]
        connection.autocommit = False
        _log(f"{units:,} units in {documents} documents (built in {time.perf_counter() - t0:.1f} s)")
        row = {"units": size}
        # The command's fixed cost (interpreter, Django, the snapshot): an export that matches no unit.
        row["startup"] = run_export(bench_url, database, "zh-en", "tsv", status="rejected")[0]
        _log(f"  startup (an export of no unit): {row['startup']:.2f} s")
        for pair in pairs:
            copy_seconds, copy_bytes = copy_limit(bench_url, pair)
            row[pair, "copy"] = copy_seconds
            _log(f"  {pair} COPY: {copy_seconds:.2f} s, {copy_bytes / 1e6:.0f} MB")
            for fmt in formats:
                seconds, rss, size_bytes = run_export(bench_url, database, pair, fmt)
                row[pair, fmt] = (seconds, rss, size_bytes)
                _log(f"  {pair} {fmt}: {seconds:.2f} s, peak RSS {rss:.0f} MB, {size_bytes / 1e6:.0f} MB")
        results[size] = row
    connection.close()

    print()
    print("export of approved units (manage.py export in a subprocess) vs COPY of the pair's unit query")
    print(
        f"{'units':>10} {'pair':>6} {'format':>6} {'seconds':>8} {'MB':>6} {'peak RSS MB':>11}"
        f" {'COPY s':>7} {'ratio':>6} {'ratio without startup':>21}"
    )
    for row in results.values():
        for pair in pairs:
            for fmt in formats:
                seconds, rss, size_bytes = row[pair, fmt]
                print(
                    f"{row['units']:>10,} {pair:>6} {fmt:>6} {seconds:>8.2f} {size_bytes / 1e6:>6.0f} {rss:>11.0f}"
                    f" {row[pair, 'copy']:>7.2f} {seconds / row[pair, 'copy']:>6.2f}"
                    f" {(seconds - row['startup']) / row[pair, 'copy']:>21.2f}"
                )
        print(f"{row['units']:>10,} startup (manage.py export of no unit): {row['startup']:.2f} s")
    if len(sizes) > 1:
        small, large = results[sizes[0]], results[sizes[-1]]
        for pair in pairs:
            for fmt in formats:
                print(
                    f"peak RSS {pair} {fmt}: {large[pair, fmt][1]:.0f} MB at {large['units']:,} vs"
                    f" {small[pair, fmt][1]:.0f} MB at {small['units']:,}: x{large[pair, fmt][1] / small[pair, fmt][1]:.2f}"
                )
    if args.profile and "tsv" in formats:
        profile_export(bench_url, "tsv")
    if not args.keep:
        import psycopg2 as pg

        admin = pg.connect(url)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.close()
    print(f"total bench time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
