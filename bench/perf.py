"""Issue 18's table in one run: each request path against the limit PostgreSQL sets for the same work.

    .venv/bin/python bench/perf.py [--samples 15] [--big 100000] [--database bench_perf] [--rebuild]
    .venv/bin/python bench/perf.py --only saves [--saves 300] [--profile-saves] --database bench_NAME

Works in its own database (``--database``, created on the server of ``DATABASE_URL`` when missing;
``--rebuild`` empties it first). Builds once a 10,000- and a ``--big``-segment document (en and ko
translations, a third approved) like ``bench/api.py``. Prints, with medians of ``--samples`` (the reads
sampled round-robin over both documents, so the shared machine's drifting load weighs on both alike):

- editor page ``/documents/{id}/`` and its rows fragment at 90% depth: server time, queries, bytes,
  against the API page of the same rows and the raw SQL of those rows; growth big/10k;
- API segments page at 90% depth against its raw SQL; growth big/10k;
- API save (PATCH): p50, p99 (of ``--saves``, each beside a raw SQL write so both see the same
  load), queries and permission reads against lock + UPDATE + revision INSERT in SQL, and the cost of
  the length norm when a save refreshes it;
- pre-translation of a 10k document from 100% memory matches against a bulk insert of the same rows;
- compression of the seed-sized editor page and the static files' storage.
- source import of 1 MB of Chinese against jieba's own cut of the same text.
Exports are measured by ``bench/export.py`` (against PostgreSQL's COPY).
Never run as a test.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# the project's ``api`` package must win over bench/api.py, which is loaded under another name
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != HERE), str(HERE)]
from common import seed_segments, setup_django  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_api", HERE / "api.py")
bench_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_api)
RAW_PAGE, bench_users, build_document, cursor_at = (
    bench_api.RAW_PAGE,
    bench_api.bench_users,
    bench_api.build_document,
    bench_api.cursor_at,
)

SMALL = 10_000
PAGE = 100


def database_url(name: str) -> str:
    import psycopg2

    base = os.environ.get("DATABASE_URL")
    if not base:
        from workbench.database import embedded_database_url

        base = embedded_database_url(ROOT / ".pgdata")
    connection = psycopg2.connect(base)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def timed(function, samples: int) -> list[float]:
    function()  # warm up
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - started))
    return times


def median(function, samples: int) -> float:
    return statistics.median(timed(function, samples))


def queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def row(work: str, value: str, limit: str, ratio: str) -> None:
    print(f"  {work:<44} {value:>26} {limit:>22} {ratio:>10}")


def reads(documents: dict[int, int], user, key: str, samples: int) -> None:
    from django.db import connection
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    figures, timings = {}, {}
    for size, document_id in documents.items():
        deep = int(size * 0.9)

        def page(document_id=document_id):
            response = browser.get(f"/documents/{document_id}/")
            assert response.status_code == 200, response.status_code
            return response

        def rows(document_id=document_id, deep=deep):
            response = browser.get(f"/documents/{document_id}/rows/?after={deep}")
            assert response.status_code == 200
            return response

        def api(document_id=document_id, deep=deep):
            response = api_client.get(
                f"/api/v1/documents/{document_id}/segments/?page_size={PAGE}&cursor={cursor_at(deep)}"
            )
            assert response.status_code == 200
            assert response.json()["results"][0]["position"] == deep + 1

        def api_sparse(document_id=document_id, half=size // 2):
            # a filtered page whose rows lie far apart (one heading in about twenty segments)
            response = api_client.get(
                f"/api/v1/documents/{document_id}/segments/?page_size={PAGE}&kind=heading&cursor={cursor_at(half)}"
            )
            assert response.status_code == 200
            assert len(response.json()["results"]) == PAGE

        def api_top(document_id=document_id):
            response = api_client.get(f"/api/v1/documents/{document_id}/segments/?page_size={PAGE}")
            assert response.status_code == 200

        def raw(document_id=document_id, deep=deep):
            with connection.cursor() as cursor:
                cursor.execute(RAW_PAGE, [document_id, deep, PAGE])
                assert len(cursor.fetchall()) == 2 * PAGE

        def raw_top(document_id=document_id):
            with connection.cursor() as cursor:
                cursor.execute(RAW_PAGE, [document_id, -1, PAGE])
                cursor.fetchall()

        timings[size] = {
            "page": page,
            "rows": rows,
            "api": api,
            "api_top": api_top,
            "api_sparse": api_sparse,
            "raw": raw,
            "raw_top": raw_top,
        }
        figures[size] = {
            "page_queries": queries(page),
            "page_bytes": len(page().content),
            "rows_queries": queries(rows),
            "api_queries": queries(api),
        }
    # Round-robin: one sample of every measurement per round, so that the load of the shared machine,
    # which drifts over seconds, weighs on the 10k and the big document alike (growth is their ratio).
    samples_of = {(size, work): [] for size, works in timings.items() for work in works}
    for size, work in samples_of:
        timings[size][work]()  # warm up
    for _ in range(samples):
        for (size, work), times in samples_of.items():
            # each sample starts with no garbage of the one before (an editor page leaves enough to
            # make the request after it pay for a full collection: that would follow the order)
            gc.collect()
            started = time.perf_counter()
            timings[size][work]()
            times.append(1000 * (time.perf_counter() - started))
    for (size, work), times in samples_of.items():
        figures[size][work] = statistics.median(times)
    big_size = max(figures)
    label = f"{big_size // 1000}k"

    def ratio(a: tuple[int, str], b: tuple[int, str]) -> float:
        """The median of the ratios of a to b taken in the same round (paired): a load that drifts over
        the run moves both sides of each ratio alike."""
        return statistics.median(x / y for x, y in zip(samples_of[a], samples_of[b], strict=True))

    print(f"\neditor and API reads, 100-row pages, medians of {samples} rounds (ratios paired by round)")
    row("work", "measured", "limit", "ratio")
    for size, f in figures.items():
        tag = f"{size // 1000}k"
        row(
            f"editor page /documents/{{id}}/ {tag}",
            f"{f['page']:.1f} ms {f['page_queries']} q {f['page_bytes'] // 1024} KB",
            f"API top {f['api_top']:.1f} ms",
            f"{ratio((size, 'page'), (size, 'api_top')):.2f}x",
        )
        row(
            f"editor rows at 90% {tag}",
            f"{f['rows']:.1f} ms {f['rows_queries']} q",
            f"API page {f['api']:.1f} ms",
            f"{ratio((size, 'rows'), (size, 'api')):.2f}x",
        )
        row(
            f"API page at 90% {tag}",
            f"{f['api']:.1f} ms {f['api_queries']} q",
            f"raw SQL {f['raw']:.2f} ms",
            f"{ratio((size, 'api'), (size, 'raw')):.2f}x",
        )
        row(
            f"API page at the top {tag}",
            f"{f['api_top']:.1f} ms",
            f"raw SQL {f['raw_top']:.2f} ms",
            f"{ratio((size, 'api_top'), (size, 'raw_top')):.2f}x",
        )
        row(
            f"API page of headings at 50% {tag}",
            f"{f['api_sparse']:.1f} ms",
            f"API page {f['api']:.1f} ms",
            f"{ratio((size, 'api_sparse'), (size, 'api')):.2f}x",
        )
        row(
            f"editor page vs raw SQL of its rows {tag}",
            f"{f['page']:.1f} ms",
            f"{f['raw_top']:.2f} ms",
            f"{ratio((size, 'page'), (size, 'raw_top')):.1f}x",
        )
    for work, name in [
        ("page", "editor page"),
        ("rows", "editor rows at 90%"),
        ("api", "API page at 90%"),
        ("api_top", "API page at the top"),
        ("api_sparse", "API page of headings at 50%"),
    ]:
        row(f"growth {label}/10k {name}", f"{ratio((big_size, work), (SMALL, work)):.2f}x", "1.2x", "")
    row(f"growth {label}/10k raw SQL", f"{ratio((big_size, 'raw'), (SMALL, 'raw')):.2f}x", "", "")
    print("  (an API page counts one query more when its token's last use is refreshed, once a minute)")


RAW_WRITE = """
SELECT id FROM corpus_translation WHERE id = %(id)s FOR UPDATE;
UPDATE corpus_translation SET text = %(text)s, version = version + 1, updated_at = now() WHERE id = %(id)s;
INSERT INTO corpus_revision (translation_id, action, text, status, version, first_position, last_position,
                             actor_id, comment, created_at)
SELECT id, 'edit', text, status, version, first_position, last_position, %(actor)s, '', now()
FROM corpus_translation WHERE id = %(id)s;
"""


def saves(document_id: int, user, key: str, samples: int, count: int = 300, profile: bool = False) -> None:
    """PATCH saves through the test client (Bearer token), each followed by the raw SQL write of
    another translation, so both see the same machine load; p99 over ``count`` saves."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from corpus.models import Translation
    from translations import assessment

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    drafts = list(
        Translation.objects.filter(
            document_id=document_id, language="en", status="draft", retired_at__isnull=True
        )
        .order_by("first_position")
        .values_list("pk", "version")[:400]
    )
    versions = dict(drafts)
    ids = [pk for pk, _ in drafts]
    counter = iter(range(10**9))
    cycle = iter(ids * 1000)

    def patch(pk):
        response = client.patch(
            f"/api/v1/translations/{pk}/",
            {"text": f"Sentence number {next(counter)}.", "version": versions[pk]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content[:300]
        versions[pk] = response.json()["version"]

    def raw(pk):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(RAW_WRITE, {"id": pk, "text": f"Raw {next(counter)}.", "actor": user.pk})

    for _ in range(5):  # warm up: imports, the norm and glossary caches, connections
        patch(next(cycle))
    save_times, raw_times = [], []
    for _ in range(max(count, samples * 4)):
        pk = next(cycle)
        started = time.perf_counter()
        patch(pk)
        save_times.append(1000 * (time.perf_counter() - started))
        pk = next(cycle)
        started = time.perf_counter()
        raw(pk)
        raw_times.append(1000 * (time.perf_counter() - started))
        versions[pk] = Translation.objects.values_list("version", flat=True).get(pk=pk)
    with CaptureQueriesContext(connection) as captured:
        patch(next(cycle))
    sql = [query["sql"] for query in captured.captured_queries]
    control = [q for q in sql if q.split()[0].upper() in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")]
    access = [q for q in sql if "auth_group" in q or "corpus_languageaccess" in q]
    p50 = statistics.median(save_times)
    p99 = statistics.quantiles(save_times, n=100)[98]
    raw50 = statistics.median(raw_times)
    # the norm of a language as a save sees it when it is not cached
    if hasattr(assessment, "_norm_cache"):
        assessment._norm_cache.clear()
    started = time.perf_counter()
    assessment.length_norm("en")
    norm_ms = 1000 * (time.perf_counter() - started)
    print(
        f"\nAPI save (PATCH, Bearer token, test client), {len(save_times)} saves, each beside a raw SQL write"
    )
    row("work", "measured", "limit", "ratio")
    row("save p50", f"{p50:.2f} ms", f"raw SQL {raw50:.2f} ms", f"{p50 / raw50:.2f}x")
    row("save p99 / p50", f"{p99:.2f} ms", "2x p50", f"{p99 / p50:.2f}x")
    row(
        "queries per save (transaction control)",
        f"{len(sql)} ({len(control)})",
        "",
        "",
    )
    row("queries reading permissions", f"{len(access)}", "1", "")
    row("length norm when not cached (in a save)", f"{norm_ms:.1f} ms", "", "")
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(100):
            patch(next(cycle))
        profiler.disable()
        print("\n100 saves under cProfile, by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def pretranslate(user, samples: int) -> None:
    from django.db import connection, transaction

    from corpus.models import Document, MemoryUnit, Translation
    from memory.tm import unit_fields
    from translations.pretranslate import document_pretranslate

    segments = seed_segments()
    title = "bench pretranslate 10k"
    document = Document.objects.filter(title=title).first()
    if document is None:
        from common import synthetic_document

        with transaction.atomic():
            document = synthetic_document(title, SMALL, segments, file_name="pre")
    if not MemoryUnit.objects.filter(language="en", source_text__startswith="").exists():
        MemoryUnit.objects.bulk_create(
            MemoryUnit(language="en", origin=MemoryUnit.Origin.TMX, **unit_fields(s.text, f"EN {i}"))
            for i, s in enumerate(dict((s.text, s) for s in segments).values())
        )

    class Undo(Exception):
        pass

    def run():
        try:
            with transaction.atomic():
                result = document_pretranslate(document=document, language="en", actor=user)
                assert result["filled"] == SMALL, result
                raise Undo
        except Undo:
            pass

    def raw():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    """
                    WITH t AS (
                        INSERT INTO corpus_translation (document_id, language, first_position, last_position,
                            text, status, version, origin, updated_at, updated_by_id, author_id, findings,
                            check_codes, comment, replaces, first_text, created_at)
                        SELECT s.document_id, 'en', s.position, s.position, 'EN ' || s.position, 'draft', 1,
                               'memory', now(), %s, %s, '[]', '{}', '', '{}', 'EN ' || s.position, now()
                        FROM corpus_segment s WHERE s.document_id = %s
                        RETURNING id, text, status, version, first_position, last_position
                    )
                    INSERT INTO corpus_revision (translation_id, action, text, status, version,
                        first_position, last_position, actor_id, comment, created_at)
                    SELECT id, 'create', text, status, version, first_position, last_position, %s,
                           'pre-translated', now() FROM t
                    """,
                    [user.pk, user.pk, document.pk, user.pk],
                )
                raise Undo
        except Undo:
            pass

    assert not Translation.objects.filter(document=document).exists()
    runs = max(3, samples // 5)
    ours = median(run, runs)
    limit = median(raw, runs)
    print(f"\npre-translation of {SMALL:,} segments from 100% matches, median of {runs}")
    row("work", "measured", "limit", "ratio")
    row("pre-translate 10k", f"{ours:.0f} ms", f"bulk insert {limit:.0f} ms", f"{ours / limit:.2f}x")


def compression(user) -> None:
    from django.test import Client

    from corpus.models import Document

    client = Client()
    client.force_login(user)
    document = Document.objects.order_by("id").first()
    response = client.get(f"/documents/{document.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    body = response.content
    encoding = response.get("Content-Encoding", "none")
    plain = gzip.decompress(body) if encoding == "gzip" else body
    print("\nresponses")
    row("editor page", f"{len(plain) // 1024} KB, {encoding}, sent {len(body) // 1024} KB", "gzip", "")
    production = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[-1], s.WHITENOISE_USE_FINDERS, "
            "any('GZip' in m for m in s.MIDDLEWARE))",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "localhost",
            "DJANGO_SETTINGS_MODULE": "workbench.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    storage, finders, gzip_on = production
    row("production static storage", storage, "Manifest + gzip", "")
    row("production finders / gzip middleware", f"{finders} / {gzip_on}", "False / True", "")


def source_import(samples: int) -> None:
    """A 1 MB Chinese source (the seed's lines, each made unique) against jieba cutting the same text."""
    import jieba
    from django.conf import settings
    from django.db import transaction

    from exchange.sources import document_import

    lines = [
        line for line in settings.WORKBENCH_SEED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    chinese = [line for line in lines if not any("\uac00" <= ch <= "\ud7a3" for ch in line)]
    text, number = [], 0
    while sum(len(line.encode()) + 1 for line in text) < 1_000_000:
        text.append(f"第{number}章{chinese[number % len(chinese)]}")
        number += 1
    data = "\n".join(text).encode()

    class Undo(Exception):
        pass

    def ours():
        try:
            with transaction.atomic():
                result = document_import(data=data, file_name="bench-1mb.txt", title="bench 1 MB")
                assert result.created
                raise Undo
        except Undo:
            pass

    decoded = data.decode()
    runs = max(3, samples // 3)
    ours_ms = median(ours, runs)
    jieba_ms = median(lambda: jieba.lcut(decoded), runs)
    print(
        f"\nsource import of {len(data) / 1e6:.1f} MB of Chinese, median of {runs} (jieba's dictionary loaded)"
    )
    row("work", "measured", "limit", "ratio")
    row(
        "source import 1 MB",
        f"{ours_ms:.0f} ms",
        f"jieba lcut {jieba_ms:.0f} ms",
        f"{ours_ms / jieba_ms:.2f}x",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--database", default="bench_perf")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--skip", default="", help="comma-separated: reads,saves,pretranslate,import,compression"
    )
    parser.add_argument("--only", default="", help="comma-separated sections to run (the others skipped)")
    parser.add_argument("--saves", type=int, default=300, help="API saves timed (p99 needs a few hundred)")
    parser.add_argument("--profile-saves", action="store_true", help="and print cProfile of 100 saves")
    options = parser.parse_args()
    url = database_url(options.database)
    setup_django(url, options.rebuild)
    from django.conf import settings

    from corpus import tokens

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = bench_users(4)
    sentences = seed_segments()
    sections = {"reads", "saves", "pretranslate", "import", "compression"}
    skip = set(options.skip.split(","))
    if options.only:
        skip |= sections - set(options.only.split(","))
    documents = {SMALL: build_document(SMALL, sentences, users)}
    if "reads" not in skip:  # only the reads compare a big document with the 10k one
        documents[options.big] = build_document(options.big, sentences, users)
    key = tokens.token_create(user=users[0], name="bench")[1]
    if "reads" not in skip:
        reads(documents, users[0], key, options.samples)
    if "saves" not in skip:
        saves(documents[SMALL], users[0], key, options.samples, options.saves, options.profile_saves)
    if "pretranslate" not in skip:
        pretranslate(users[0], options.samples)
    if "import" not in skip:
        source_import(options.samples)
    if "compression" not in skip:
        compression(users[0])


if __name__ == "__main__":
    main()
