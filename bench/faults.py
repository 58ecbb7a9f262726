"""Fault bench against a real gunicorn (production mode) on 127.0.0.1.

    .venv/bin/python bench/faults.py [--rounds 8] [--concurrency 12] [--rebuild]

1. Cancelled export: a client starts the zh-en export (TSV and TMX) of a 30,000-unit document, reads
   the first 64 KiB and hangs up. Afterwards no backend of the bench database may stay in a
   transaction (``idle in transaction``, a held snapshot ``backend_xmin``, or still running the export
   query). The export's server-side cursor is not holdable, so it cannot outlive its transaction;
   ``pg_cursors`` only shows a session's own cursors, so the transaction is what is checked from
   outside (tests/workbench/test_faults.py checks pg_cursors in-process).
2. Worker killed mid-save: rounds of concurrent PATCHes with ~90,000-character texts (slow saves), and
   in each round one gunicorn worker SIGKILLed while they are in flight. Afterwards every translation's
   text and status equal its revision of the current version, revisions are versions 1..n, every
   acknowledged save is there, no row lock is left (each translation saves again), and no backend is
   left in a transaction.

Works in ``workbench_bench_faults`` of a private embedded cluster ``var/pgdata-faults/`` (or on the
server of DATABASE_URL). Exits non-zero when a check fails. Never run as a test.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import synthetic_document  # noqa: E402

from bench.api import seed_sentences  # noqa: E402
from bench.load import Server, ensure_user, setup_django, start_gunicorn, stop_process  # noqa: E402

FAULTS_DB = "workbench_bench_faults"
PGDATA = ROOT / "var" / "pgdata-faults"
EXPORT_SEGMENTS = 30_000
SAVE_TRANSLATIONS = 24
TIMEOUT = 60
FILLER = " ".join(["The quick brown fox jumps over the lazy dog."] * 2000)[:89_000].strip()


def build_export_document(translator) -> int:
    from django.db import transaction
    from django.utils import timezone

    from corpus.models import Document, Revision, Translation

    title = f"faults export {EXPORT_SEGMENTS}"
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing.pk
    sentences = seed_sentences()
    with transaction.atomic():
        document = synthetic_document(title, EXPORT_SEGMENTS, sentences, file_name="faults")
        now = timezone.now()
        made = Translation.objects.bulk_create(
            (
                Translation(
                    document=document,
                    language="en",
                    first_position=p,
                    last_position=p,
                    text=f"Sentence {p} of the export document, long enough to be a real line of text.",
                    status="draft",
                    updated_at=now,
                    updated_by=translator,
                    author=translator,
                )
                for p in range(EXPORT_SEGMENTS)
            ),
            batch_size=5000,
        )
        Revision.objects.bulk_create(
            (
                Revision(
                    translation=t,
                    action="create",
                    text=t.text,
                    status=t.status,
                    version=1,
                    first_position=t.first_position,
                    last_position=t.last_position,
                    actor=translator,
                )
                for t in made
            ),
            batch_size=5000,
        )
    return document.pk


def lingering(url: str) -> list[tuple]:
    """Backends of the bench database (other than this one) inside a transaction or an export."""
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            """SELECT pid, state, backend_xmin IS NOT NULL, left(query, 60) FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid()
                 AND backend_type = 'client backend'
                 AND (state LIKE 'idle in transaction%%' OR xact_start IS NOT NULL
                      OR backend_xmin IS NOT NULL)"""
        )
        rows = cursor.fetchall()
    connection.close()
    return rows


def wait_clean(url: str, seconds: float) -> tuple[float | None, list[tuple]]:
    started = time.monotonic()
    rows: list[tuple] = []
    while time.monotonic() - started < seconds:
        rows = lingering(url)
        if not rows:
            return time.monotonic() - started, []
        time.sleep(0.1)
    return None, rows


def cancelled_export(base: str, url: str, key: str, document: int, export_format: str) -> bool:
    """Reads 64 KiB of an export over a raw socket, hangs up, and checks nothing is left behind."""
    host, port = base.removeprefix("http://").split(":")
    path = f"/api/v1/exports/?pair=zh-en&format={export_format}&status=any&document={document}"
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as client:
        client.sendall(request)
        received = b""
        while len(received) < 65536:
            chunk = client.recv(65536)
            if not chunk:
                break
            received += chunk
        head = received.split(b"\r\n", 1)[0].decode(errors="replace")
        open_during = lingering(url)  # the export's transaction is open now: the check can see it
    # The socket is closed here; the worker notices on its next write.
    seconds, rows = wait_clean(url, 15)
    print(
        f"  {export_format}: {head}, read {len(received):,} bytes and hung up; export transaction seen "
        f"while streaming: {'yes' if open_during else 'NO'}; "
        + (
            f"nothing left {seconds:.2f} s after the hang-up"
            if seconds is not None
            else f"LEFT BEHIND: {rows}"
        )
    )
    return head.endswith("200 OK") and bool(open_during) and seconds is not None


def worker_pids(master: int) -> list[int]:
    import psutil

    return [
        child.pid for child in psutil.Process(master).children() if child.status() != psutil.STATUS_ZOMBIE
    ]


def wait_workers(master: int, count: int, base: str) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(worker_pids(master)) >= count:
            try:
                if requests.get(f"{base}/ready/", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not replace the killed worker")


def killed_saves(
    process, base: str, url: str, key: str, ids: list[int], rounds: int, concurrency: int, workers: int
):
    import requests

    acknowledged: list[tuple[int, int, str]] = []
    cut: list[tuple[int, str]] = []  # PATCHes without an answer: the worker died under them
    cut_reads: list[int] = []  # the GET before the PATCH had no answer: no save was sent
    durations: list[float] = []
    others: dict[int, int] = {}
    lock = threading.Lock()
    chooser = random.Random(11)

    def saver(tid: int, marker: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {key}"
        url = f"{base}/api/v1/translations/{tid}/"
        text = f"{marker} {FILLER}"
        try:
            version = session.get(url, timeout=TIMEOUT).json()["version"]
        except requests.RequestException:
            with lock:
                cut_reads.append(tid)
            return
        sent = time.perf_counter()
        try:
            response = session.patch(url, json={"text": text, "version": version}, timeout=TIMEOUT)
        except requests.RequestException:
            with lock:
                cut.append((tid, marker))
            return
        with lock:
            if response.status_code == 200:
                body = response.json()
                acknowledged.append((tid, body["version"], body["text"]))
                durations.append(time.perf_counter() - sent)
            else:
                others[response.status_code] = others.get(response.status_code, 0) + 1

    kills = in_transaction = 0
    run = secrets.token_hex(4)  # markers unique to this run: earlier runs' texts are in the same rows
    for number in range(rounds):
        threads = [
            threading.Thread(target=saver, args=(chooser.choice(ids), f"round{number}-save{n}-{run}"))
            for n in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        time.sleep(chooser.uniform(0.1, 0.6))
        victims = worker_pids(process.pid)
        in_transaction += len(lingering(url))  # saves inside their transaction right before the kill
        if victims:
            os.kill(chooser.choice(victims), signal.SIGKILL)
            kills += 1
        for thread in threads:
            thread.join(timeout=2 * TIMEOUT)
        wait_workers(process.pid, workers, base)
    if durations:
        durations.sort()
        print(
            f"  an acknowledged 89,000-character save took {1000 * durations[len(durations) // 2]:.0f} ms "
            f"(median), {1000 * durations[-1]:.0f} ms at most; reads cut by a kill: {len(cut_reads)}"
        )
    print(f"  backends inside a save transaction just before the kills (both workers): {in_transaction}")
    return acknowledged, cut, others, kills


def audit_saves(ids: list[int], acknowledged, cut, base: str, key: str) -> bool:
    import requests
    from django.db import connection

    from corpus.models import Revision, Translation

    current = {t.pk: t for t in Translation.objects.filter(pk__in=ids)}
    revisions: dict[int, dict[int, tuple[str, str]]] = {}
    for tid, version, text, status in Revision.objects.filter(translation_id__in=ids).values_list(
        "translation_id", "version", "text", "status"
    ):
        revisions.setdefault(tid, {})[version] = (text, status)
    mixed = [tid for tid, t in current.items() if revisions.get(tid, {}).get(t.version) != (t.text, t.status)]
    gaps = [
        tid for tid, t in current.items() if sorted(revisions.get(tid, {})) != list(range(1, t.version + 1))
    ]
    lost = [
        (tid, version)
        for tid, version, text in acknowledged
        if revisions.get(tid, {}).get(version, ("",))[0] != text or current[tid].version < version
    ]
    committed_unanswered = sum(
        1
        for tid, marker in cut
        if any(text.startswith(marker + " ") for text, _ in revisions.get(tid, {}).values())
    )
    torn = [  # a save's text is its marker and the whole filler, or it is not there at all
        (tid, version)
        for tid, by_version in revisions.items()
        for version, (text, _) in by_version.items()
        if text.startswith("round") and not text.endswith(FILLER)
    ]
    connection.close()
    # No row lock left behind by a killed worker: every translation saves again, promptly.
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key}"
    locked = 0
    for tid in ids:
        url = f"{base}/api/v1/translations/{tid}/"
        try:
            version = session.get(url, timeout=10).json()["version"]
            response = session.patch(
                url, json={"text": f"after the kills {tid}", "version": version}, timeout=10
            )
            locked += response.status_code != 200
        except requests.RequestException:
            locked += 1
    print(
        f"  audit of {len(ids)} translations: text/status not that of the current version's revision: "
        f"{len(mixed)}; versions not 1..n: {len(gaps)}; acknowledged saves lost: {len(lost)}; "
        f"truncated texts: {len(torn)}"
    )
    print(
        f"  saves cut by the kill: {len(cut)}, of which committed anyway (answer lost): {committed_unanswered}, "
        f"rolled back: {len(cut) - committed_unanswered}"
    )
    print(f"  translations that could not be saved again within 10 s (lock left behind): {locked}")
    return not (mixed or gaps or lost or torn or locked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args()

    server = Server(pgdata=PGDATA, database=FAULTS_DB)
    ok = False
    try:
        ok = run(server, options)
    finally:
        server.close()
    print("\nall fault checks passed" if ok else "\nFAULT CHECKS FAILED")
    sys.exit(0 if ok else 1)


def run(server: Server, options) -> bool:
    setup_django(server.url, options.rebuild)
    from django.db import connection

    from corpus import tokens
    from corpus.models import Translation
    from translations import services

    translator = ensure_user("faults_tr", "translator", ["en"])
    reader = ensure_user("faults_reader", "editor", ["en", "ko"])
    started = time.perf_counter()
    document = build_export_document(translator)
    print(f"export document ready in {time.perf_counter() - started:.1f} s")
    ids = list(
        Translation.objects.filter(document_id=document, language="en")
        .order_by("first_position")
        .values_list("pk", flat=True)[:SAVE_TRANSLATIONS]
    )
    # Through the service once, so the saves below start from real revisions and statuses.
    for tid in ids:
        t = Translation.objects.get(pk=tid)
        if t.version == 1:
            services.translation_save(translation=t, text=f"{t.text} (ready)", version=1, actor=translator)
    keys = {user.username: tokens.token_create(user=user, name="faults")[1] for user in (translator, reader)}
    connection.close()

    results = []
    print("\n1. export cancelled mid-stream (gunicorn 1 worker x 2 threads)")
    process, base = start_gunicorn(server.url, 1, 2, ROOT / "var" / "bench-faults-gunicorn.log")
    try:
        for export_format in ("tsv", "tmx"):
            results.append(cancelled_export(base, server.url, keys["faults_reader"], document, export_format))
    finally:
        stop_process(process)

    print(
        f"\n2. worker SIGKILLed mid-save (gunicorn {options.workers} workers x {options.threads} threads, "
        f"{options.rounds} rounds of {options.concurrency} concurrent 89,000-character saves)"
    )
    process, base = start_gunicorn(
        server.url, options.workers, options.threads, ROOT / "var" / "bench-faults-gunicorn.log"
    )
    try:
        key = keys["faults_tr"]
        started = time.perf_counter()
        acknowledged, cut, others, kills = killed_saves(
            process, base, server.url, key, ids, options.rounds, options.concurrency, options.workers
        )
        print(
            f"  {kills} workers killed in {time.perf_counter() - started:.1f} s; saves answered 200: "
            f"{len(acknowledged)}, other answers: {others or 'none'}, PATCHes without an answer: {len(cut)}"
        )
        seconds, rows = wait_clean(server.url, 15)
        print("  backends left in a transaction: " + ("none" if seconds is not None else f"{rows}"))
        results.append(seconds is not None)
        results.append(audit_saves(ids, acknowledged, cut, base, key))
    finally:
        stop_process(process)
    return all(results)


if __name__ == "__main__":
    main()
