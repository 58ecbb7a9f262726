"""Benchmark of the REST API: page latency against document size, and concurrent writes with an audit.

    .venv/bin/python bench/api.py [--seconds 20] [--clients 20] [--workers 4] [--rebuild]

Works in its own database ``workbench_bench`` on the same server as the workbench (``DATABASE_URL``
with the database name swapped, or the embedded pgserver of ``.pgdata/``), migrated with
``manage.py migrate``. Builds once (``--rebuild`` to start over) a 100,000-segment and a 10,000-segment
document from the seed's sentences, both languages translated (about a third approved).

Prints
- the median latency (N samples) of one 100-segment page of ``/api/v1/documents/{id}/segments/`` deep
  in each document (reached by cursor), served in-process by the Django test client with a Bearer
  token, and of the same rows fetched by one raw SQL query; ratios API/raw SQL and 100k/10k;
- the throughput and 409 count of concurrent clients saving through a real gunicorn on 127.0.0.1,
  each re-reading on 409, and an audit that no acknowledged write was lost.
Never run as a test.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import seed_segments, setup_django, synthetic_document  # noqa: E402

BENCH_DB = "workbench_bench"
BIG, SMALL = 100_000, 10_000
PAGE = 100


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        from workbench.database import embedded_database_url

        base = embedded_database_url(ROOT / ".pgdata")
    parts = urlsplit(base)
    import psycopg2

    connection = psycopg2.connect(base)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    connection.close()
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


# --- data -----------------------------------------------------------------------------------------


seed_sentences = seed_segments  # load.py and faults.py import it from here


def build_document(size: int, sentences: list, users: list) -> int:
    from django.db import transaction
    from django.utils import timezone

    from corpus.models import Document, Translation

    title = f"bench {size:,} segments"
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing.pk
    started = time.perf_counter()
    with transaction.atomic():
        document = synthetic_document(title, size, sentences)
        now = timezone.now()
        statuses = ["draft", "submitted", "approved"]
        for language, word in (("en", "Sentence"), ("ko", "문장")):
            Translation.objects.bulk_create(
                (
                    Translation(
                        document=document,
                        language=language,
                        first_position=p,
                        last_position=p,
                        text=f"{word} {p}.",
                        status=statuses[p % 3],
                        updated_at=now,
                        updated_by=users[p % len(users)],
                        author=users[p % len(users)],
                    )
                    for p in range(size)
                ),
                batch_size=5000,
            )
    print(f"  inserted in {time.perf_counter() - started:.1f} s", flush=True)
    with transaction.get_connection().cursor() as cursor:
        cursor.execute("ANALYZE corpus_segment; ANALYZE corpus_translation;")
    print(
        f"built document of {size:,} segments + {2 * size:,} translations in {time.perf_counter() - started:.1f} s"
    )
    return document.pk


def bench_users(count: int) -> list:
    from django.contrib.auth import get_user_model

    from corpus.accounts import account_create

    users = []
    for number in range(count):
        username = f"bench_editor{number}"
        user = get_user_model().objects.filter(username=username).first()
        users.append(user or account_create(username=username, password=secrets.token_hex(16), role="editor"))
    return users


# --- reads ----------------------------------------------------------------------------------------


def cursor_at(position: int) -> str:
    return base64.b64encode(f"p={position}".encode()).decode()


RAW_PAGE = """
SELECT s.id, s.position, s.paragraph, s.kind, s.text, s.words, s.chars,
       t.id, t.language, t.first_position, t.last_position, t.text, t.status, t.version, t.origin,
       t.score, t.comment, t.updated_at, t.created_at, u.username, a.username
FROM (SELECT * FROM corpus_segment WHERE document_id = %s AND position > %s ORDER BY position LIMIT %s) s
CROSS JOIN (VALUES ('en'), ('ko')) AS l(language)
LEFT JOIN LATERAL (
    SELECT * FROM corpus_translation c
    WHERE c.document_id = s.document_id AND c.language = l.language AND c.retired_at IS NULL
      AND c.first_position <= s.position
    ORDER BY c.first_position DESC LIMIT 1
) t ON t.last_position >= s.position
LEFT JOIN auth_user u ON u.id = t.updated_by_id
LEFT JOIN auth_user a ON a.id = t.author_id
ORDER BY s.position, l.language
"""


def median_ms(function, samples: int) -> float:
    function()  # warm up
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def read_latencies(documents: dict[int, int], key: str, samples: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    figures = {}
    for size, document_id in documents.items():
        deep = int(size * 0.9)
        url = f"/api/v1/documents/{document_id}/segments/?page_size={PAGE}&cursor={cursor_at(deep)}"

        def api(url=url, deep=deep):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            rows = response.json()["results"]
            assert len(rows) == PAGE and rows[0]["position"] == deep + 1, rows[:1]
            assert rows[0]["translations"]["en"] and rows[0]["translations"]["ko"]

        def raw(document_id=document_id, deep=deep):
            with connection.cursor() as cursor:
                cursor.execute(RAW_PAGE, [document_id, deep, PAGE])
                rows = cursor.fetchall()
            assert len(rows) == 2 * PAGE, len(rows)

        figures[size] = (median_ms(api, samples), median_ms(raw, samples))
    print(f"\nread: one {PAGE}-segment page at 90% depth (cursor), median of {samples}")
    print(f"  {'segments':>9} {'API ms':>8} {'raw SQL ms':>11} {'API/raw':>8}")
    for size, (api_ms, raw_ms) in figures.items():
        print(f"  {size:>9,} {api_ms:>8.2f} {raw_ms:>11.3f} {api_ms / raw_ms:>8.1f}")
    (api_big, raw_big), (api_small, raw_small) = figures[max(figures)], figures[SMALL]
    print(
        f"  {max(figures) // 1000}k/10k: API {api_big / api_small:.2f}x, raw SQL {raw_big / raw_small:.2f}x"
    )


# --- writes ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS": "0",  # plain http on loopback: no redirect to https
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "workbench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the server logs every 409 as a warning
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/health/", timeout=30).status_code < 500:
                    return process, base
            except requests.RequestException:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not come up")
    except BaseException:
        process.terminate()
        process.wait(timeout=30)
        raise


def read_version(session, url: str) -> int:
    response = session.get(url, timeout=30, allow_redirects=False)
    response.raise_for_status()
    return response.json()["version"]


def write_load(base: str, keys: list[str], translation_ids: list[int], seconds: float) -> dict:
    import requests

    acknowledged: list[tuple[int, int, str]] = []
    counts = {"ok": 0, "conflict": 0, "other": 0, "retries_exhausted": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int, key: str) -> None:
        try:
            writer(number, key)
        except Exception as error:
            with lock:
                counts["errors"] += 1
            print(f"client {number} stopped: {type(error).__name__}: {error}", file=sys.stderr)

    def writer(number: int, key: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {key}"
        chooser = random.Random(number)
        writes = 0
        while time.monotonic() < stop:
            tid = chooser.choice(translation_ids)
            url = f"{base}/api/v1/translations/{tid}/"
            version = read_version(session, url)
            text = f"client {number} write {writes}"
            writes += 1
            for _ in range(10):
                response = session.patch(
                    url, json={"text": text, "version": version}, timeout=30, allow_redirects=False
                )
                with lock:
                    if response.status_code == 200:
                        counts["ok"] += 1
                        acknowledged.append((tid, response.json()["version"], text))
                    elif response.status_code == 409:
                        counts["conflict"] += 1
                    else:
                        counts["other"] += 1
                if response.status_code != 409:
                    break
                # Re-read, keep our text, save again on the current version.
                version = read_version(session, url)
            else:
                with lock:
                    counts["retries_exhausted"] += 1

    threads = [threading.Thread(target=client, args=(n, keys[n % len(keys)])) for n in range(len(keys))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts["elapsed"] = time.perf_counter() - started
    counts["acknowledged"] = acknowledged
    return counts


def audit(acknowledged: list[tuple[int, int, str]]) -> tuple[int, int]:
    """(lost, duplicate versions): every 200 with version v must be revision v of that translation,
    and either the current text (current version v) or followed by later versions."""
    from corpus.models import Revision, Translation

    ids = {tid for tid, _, _ in acknowledged}
    current = {t.pk: (t.version, t.text) for t in Translation.objects.filter(pk__in=ids)}
    revisions = {
        (tid, version): text
        for tid, version, text in Revision.objects.filter(translation_id__in=ids).values_list(
            "translation_id", "version", "text"
        )
    }
    lost = 0
    seen: dict[tuple[int, int], str] = {}
    duplicates = 0
    for tid, version, text in acknowledged:
        if (tid, version) in seen:
            duplicates += 1
        seen[(tid, version)] = text
        in_history = revisions.get((tid, version)) == text
        now_version, now_text = current[tid]
        survives = (now_version == version and now_text == text) or now_version > version
        if not (in_history and survives):
            lost += 1
    return lost, duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--shared", type=int, default=40, help="translations the writers share")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--big", type=int, default=BIG, help="segments of the big document")
    options = parser.parse_args()

    url = bench_database_url()
    setup_django(url, options.rebuild)
    from corpus import tokens
    from corpus.models import Translation

    users = bench_users(options.clients)
    sentences = seed_sentences()
    documents = {
        SMALL: build_document(SMALL, sentences, users),
        options.big: build_document(options.big, sentences, users),
    }
    keys = [tokens.token_create(user=user, name="bench")[1] for user in users]

    read_latencies(documents, keys[0], options.samples)

    shared = list(
        Translation.objects.filter(document_id=documents[SMALL], language="en", retired_at__isnull=True)
        .order_by("first_position")
        .values_list("pk", flat=True)[: options.shared]
    )
    process, base = start_gunicorn(url, options.workers)
    try:
        result = write_load(base, keys, shared, options.seconds)
    finally:
        process.terminate()
        process.wait(timeout=30)
    lost, duplicates = audit(result["acknowledged"])
    print(
        f"\nwrite: {options.clients} clients, {options.workers} gunicorn workers on 127.0.0.1, "
        f"{len(shared)} shared translations, {result['elapsed']:.1f} s"
    )
    print(f"  saved (200): {result['ok']}  = {result['ok'] / result['elapsed']:.1f} writes/s")
    print(f"  refused stale (409): {result['conflict']}  other statuses: {result['other']}")
    print(
        f"  gave up after 10 conflicts: {result['retries_exhausted']}  clients stopped by an error: {result['errors']}"
    )
    print(
        f"  audit: {len(result['acknowledged'])} acknowledged writes, lost {lost}, duplicate versions {duplicates}"
    )


if __name__ == "__main__":
    main()
