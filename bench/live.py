"""The live document's cost: N open tabs idling on one document, and how fast a save reaches them.

    DATABASE_URL=postgres://... .venv/bin/python bench/live.py [--tabs 50] [--seconds 30] [--saves 20]

gunicorn as in production (bench/load.py's ``start_gunicorn``: gthread, DEBUG=0; ``--workers`` x
``--threads``) in the database ``workbench_bench_live`` (created afresh on the server of
``DATABASE_URL``), with the seed document. ``--tabs`` simulated tabs (requests sessions, logged in as
five translators, one tab id each) poll ``POST /documents/<id>/live/`` every 2 s as live.js does.

Phase 1, idle (``--seconds``): nobody writes. Printed: polls per second, the server's CPU (gunicorn's
processes, and the PostgreSQL backends of the bench database, from /proc), its memory (RSS of the
gunicorn processes), database transactions per second (pg_stat_database) and the statements one poll
runs (counted in-process with Django's CaptureQueriesContext, the same view).

Phase 2, saves: a writer saves ``--saves`` translations 1.5 s apart (through the service, committed);
each tab notes when its poll first reports the change. Printed: p50/p99 of save-to-seen over all
(tab, save) pairs, and the time a tab then takes to fetch the changed rows (``rows/?after=&until=``).

The simulated tabs run on the same two cores as the server: the CPU figure includes their contention,
not their own work (they are not gunicorn processes). Prints figures only; it is not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import base_url, create_database, setup_django  # noqa: E402
from load import start_gunicorn, stop_process  # noqa: E402

BENCH_DB = "workbench_bench_live"
PASSWORD = "bench-live-" + secrets.token_hex(8)
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / TICK


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def backends(cursor) -> list[int]:
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [BENCH_DB]
    )
    return [row[0] for row in cursor.fetchall()]


def xacts(cursor) -> int:
    cursor.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", [BENCH_DB])
    return cursor.fetchone()[0]


def login(base: str, username: str):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.status_code
    return session


class Tab(threading.Thread):
    def __init__(
        self, base: str, document_id: int, cookies, stop: threading.Event, seen: dict, rendered: dict, lock
    ):
        super().__init__(daemon=True)
        import requests

        self.session = requests.Session()
        self.session.cookies.update(cookies)
        self.base, self.document_id, self.stop, self.seen, self.lock = base, document_id, stop, seen, lock
        self.tab = secrets.token_hex(8)
        self.cursor = ""
        self.polls = 0
        self.errors = 0
        self.rows_times: list[float] = []
        self.rendered = rendered

    def run(self) -> None:
        url = f"{self.base}/documents/{self.document_id}/live/"
        csrf = self.session.cookies.get("csrftoken")
        time.sleep(secrets.randbelow(2000) / 1000)  # tabs open at different moments
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                answer = self.session.post(
                    url,
                    data={"tab": self.tab, "cursor": self.cursor},
                    headers={"X-CSRFToken": csrf, "Referer": self.base + "/"},
                    timeout=30,
                )
                data = answer.json()
                self.cursor = data["cursor"]
                self.polls += 1
                now = time.time()
                for change in data["changes"]:
                    with self.lock:
                        self.seen.setdefault((change["first"], change["version"]), {}).setdefault(
                            self.tab, now
                        )
                for low, high in data["regions"]:
                    fetch = time.monotonic()
                    self.session.get(
                        f"{self.base}/documents/{self.document_id}/rows/",
                        params={"after": low - 1, "until": high},
                        timeout=30,
                    )
                    self.rows_times.append(time.monotonic() - fetch)
                done = time.time()
                for change in data["changes"]:
                    with self.lock:
                        self.rendered.setdefault((change["first"], change["version"]), {}).setdefault(
                            self.tab, done
                        )
            except Exception:  # counted; the poll goes on, as live.js does
                self.errors += 1
            self.stop.wait(max(0.0, 2.0 - (time.monotonic() - started)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tabs", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    options = parser.parse_args()

    url = create_database(base_url(), BENCH_DB)
    setup_django(url)
    import psycopg2
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from corpus.accounts import account_create
    from exchange.sources import document_import
    from translations import services

    document = document_import(
        data=settings.WORKBENCH_SEED_PATH.read_bytes(), file_name="seed.txt", title="seed"
    ).document
    users = [
        account_create(username=f"tab{n}", password=PASSWORD, role="translator", languages=["en"])
        for n in range(5)
    ]
    writer = account_create(username="writer", password=PASSWORD, role="translator", languages=["en"])

    # the statements of one idle poll, in-process
    client = Client(SERVER_NAME="localhost")
    client.force_login(users[0])
    live_url = f"/documents/{document.pk}/live/"
    cursor = client.post(live_url, {"tab": "benchtab0001"}).json()["cursor"]
    with CaptureQueriesContext(connection) as queries:
        client.post(live_url, {"tab": "benchtab0001", "cursor": cursor})
    statements = len(queries)
    connection.close()

    process, base = start_gunicorn(
        url, options.workers, options.threads, ROOT / "var" / "bench-live-gunicorn.log"
    )
    stats = psycopg2.connect(url)
    stats.autocommit = True
    try:
        sessions = [login(base, user.username) for user in users]
        stop, seen, rendered, lock = threading.Event(), {}, {}, threading.Lock()
        tabs = [
            Tab(base, document.pk, sessions[n % len(sessions)].cookies, stop, seen, rendered, lock)
            for n in range(options.tabs)
        ]
        for tab in tabs:
            tab.start()
        time.sleep(4)  # every tab has polled once
        with stats.cursor() as cur:
            server = children(process.pid)
            pg = backends(cur)
            cpu0, pg0, x0, polls0, t0 = (
                cpu_seconds(server),
                cpu_seconds(pg),
                xacts(cur),
                sum(t.polls for t in tabs),
                time.monotonic(),
            )
            time.sleep(options.seconds)
            server = children(process.pid)
            pg = backends(cur)
            elapsed = time.monotonic() - t0
            cpu1, pg1, x1, polls1 = (
                cpu_seconds(server),
                cpu_seconds(pg),
                xacts(cur),
                sum(t.polls for t in tabs),
            )
            memory = rss_mb(server)
        polls = (polls1 - polls0) / elapsed
        print(
            f"idle: {options.tabs} tabs on one document ({document.segments.count()} segments) for {elapsed:.0f} s, "
            f"gunicorn {options.workers} workers x {options.threads} threads"
        )
        print(f"  polls/s                 {polls:8.1f}")
        print(
            f"  gunicorn CPU            {100 * (cpu1 - cpu0) / elapsed:8.1f} % of one core "
            f"({1000 * (cpu1 - cpu0) / max(1, polls1 - polls0):.1f} ms CPU per poll)"
        )
        print(
            f"  PostgreSQL CPU          {100 * (pg1 - pg0) / elapsed:8.1f} % of one core (backends of the bench db)"
        )
        print(f"  gunicorn RSS            {memory:8.0f} MB ({len(server)} processes)")
        print(f"  db transactions/s       {(x1 - x0) / elapsed:8.1f}")
        print(
            f"  statements per poll     {statements:8d} (in-process count) -> {statements * polls:.0f} queries/s"
        )

        # phase 2: saves reach the tabs
        committed = {}
        for n in range(options.saves):
            translation = services.translation_create(
                document=document, language="en", first_position=n, text=f"Saved text {n}.", actor=writer
            )
            committed[(n, translation.version)] = time.time()
            time.sleep(1.5)
        time.sleep(3)
        stop.set()
        for tab in tabs:
            tab.join(timeout=40)
        delays = [
            seen_at - committed[key]
            for key, by_tab in seen.items()
            if key in committed
            for seen_at in by_tab.values()
        ]
        missing = options.saves * options.tabs - len(delays)
        rows = [t for tab in tabs for t in tab.rows_times]
        print(
            f"saves: {options.saves} saves x {options.tabs} tabs = {len(delays)} arrivals ({missing} missing), "
            f"errors {sum(t.errors for t in tabs)}"
        )
        print(
            f"  save -> seen by a tab   p50 {statistics.median(delays):.2f} s   p99 {percentile(delays, 0.99):.2f} s   "
            f"max {max(delays):.2f} s"
        )
        shown = [
            at - committed[key]
            for key, by_tab in rendered.items()
            if key in committed
            for at in by_tab.values()
        ]
        print(
            f"  save -> rows re-rendered p50 {statistics.median(shown):.2f} s   p99 {percentile(shown, 0.99):.2f} s   "
            f"max {max(shown):.2f} s   (poll + fetching the changed rows)"
        )
        if rows:
            print(
                f"  then fetching the rows  p50 {1000 * statistics.median(rows):.0f} ms   p99 {1000 * percentile(rows, 0.99):.0f} ms"
            )
    finally:
        stats.close()
        stop_process(process)


if __name__ == "__main__":
    main()
