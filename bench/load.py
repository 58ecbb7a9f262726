"""Load test: 50 simulated users against gunicorn in production mode, with an audit of every write.

    .venv/bin/python bench/load.py [--seconds 120] [--users 50] [--workers 3] [--threads 4] [--think 5]
    .venv/bin/python bench/load.py --think 0 --export-pause 0     # saturation: no think time
    .venv/bin/python bench/load.py --restart-db --seconds 60 [--outage 5]   # fault run

gunicorn (gthread, DEBUG=0, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, BEHIND_TLS=0)
listens on a free port of 127.0.0.1 and works in the database ``workbench_bench_load``. With
``DATABASE_URL`` unset that database lives in a private embedded pgserver cluster in
``var/pgdata-bench/`` (not the shared ``.pgdata/``: the fault run restarts the cluster, which must not
disturb anybody else's tests); with ``DATABASE_URL`` set it is created on that server. ``--restart-db``
only ever stops the private cluster this script started itself: with ``DATABASE_URL`` set it is
refused (that server belongs to somebody else, often the system's PostgreSQL).

The users, each a thread in a closed loop (it sends a request, waits for the answer, then thinks):
translators page through a document's segments and save (create a draft for an untranslated
segment, or PATCH with the version they read, re-reading on 409; some submit right after), editors
read the submitted list and approve, one export job streams the whole zh-en TSV export. Think time:
before each save, approval or page turn a user waits 0.5x to 1.5x ``--think`` seconds (default 5: a
translator reading and typing saves every few seconds); the exporter waits 0.5x to 1.5x
``--export-pause`` seconds (default 10) between whole exports. ``--think 0 --export-pause 0`` is the
old saturation test: 0.05-0.4 s between a translator's writes, 0.2-0.6 s between an editor's
approvals, exports back to back; it measures queueing on the machine's cores, not a user's wait.
A probe asks /ready/ five times a second. Every request has a timeout; the run stops at the deadline or
after --max-requests. Before the load, one user alone PATCHes ``--single`` times through the same
server: the single-client p50 the save's p99 under load is compared with (target 10x).

Prints requests per second, p50/p95/p99 per endpoint, statuses per endpoint, and an audit:
- lost: acknowledged writes (2xx carrying translation id, version v, text T) whose revision v is not
  T, or whose translation is now below v;
- illegitimate 409s: stale_version refusals with no newer revision committed before the answer;
- half-written: translations whose text/status differ from the revision of their current version, or
  whose revisions are not versions 1..n.
With --restart-db also the 503s during the outage (all must carry code database_unavailable; a 500 is
a bug) and the recovery time. Never run as a test.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import setup_django, synthetic_document  # noqa: E402

from bench.api import free_port, seed_sentences  # noqa: E402  (reused: loopback port, seed sentences)

BENCH_DB = "workbench_bench_load"
PRIVATE_PGDATA = ROOT / "var" / "pgdata-bench"
SYNTHETIC_DOCS = 6
SYNTHETIC_SEGMENTS = 1000
HOT = 24  # translations every translator also edits now and then: they make the 409s
SERVER_KEEPALIVE = 5  # seconds gunicorn keeps an idle connection open (workbench/gunicorn.conf.py)
TIMEOUT = 30


# --- the database server --------------------------------------------------------------------------


class Server:
    """The PostgreSQL server of the bench database: a private embedded pgserver cluster, or the
    system server of DATABASE_URL. ``stop()``/``start()`` make an outage."""

    def __init__(self, pgdata: Path = PRIVATE_PGDATA, database: str = BENCH_DB):
        self.database = database
        base = os.environ.get("DATABASE_URL")
        self.embedded = not base
        if self.embedded:
            os.environ.setdefault("XDG_RUNTIME_DIR", str(ROOT / ".pgdata-run"))
            runtime = Path(os.environ["XDG_RUNTIME_DIR"])
            runtime.mkdir(exist_ok=True)
            import pgserver

            pgdata.parent.mkdir(parents=True, exist_ok=True)
            self.pgdata = pgdata
            self.handle = pgserver.get_server(pgdata, cleanup_mode="stop")
            info = self.handle.get_postmaster_info()
            self.socket_dir = info.socket_dir
            self.pg_ctl_path = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"
            self.os_user = "pgserver" if os.geteuid() == 0 else None
            base = self.handle.get_uri("postgres")
        self.admin_url = base
        import psycopg2

        connection = psycopg2.connect(base)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {database}")
        connection.close()
        self.url = urlunsplit(urlsplit(base)._replace(path=f"/{database}"))

    def _pg_ctl(self, *args: str, timeout: float = 60) -> None:
        # Output to files, not pipes: the postmaster inherits them and a pipe would never close.
        with tempfile.TemporaryFile("w+") as errors:
            result = subprocess.run(
                [str(self.pg_ctl_path), "-D", str(self.pgdata), *args],
                user=self.os_user,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                timeout=timeout,
                check=False,
            )
            if result.returncode:
                errors.seek(0)
                raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {errors.read()[-500:]}")

    def _ensure_own(self) -> None:
        if not self.embedded:
            raise RuntimeError(
                "refusing to stop or start the server of DATABASE_URL: the bench only ever restarts the "
                "private cluster it started itself"
            )

    def stop(self) -> None:
        self._ensure_own()
        self._pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        self._ensure_own()
        # The arguments pgserver itself starts the cluster with: no TCP, a unix socket only.
        self._pg_ctl(
            "-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"), "start"
        )

    def running(self) -> bool:
        if not self.embedded:
            return True
        result = subprocess.run(
            [str(self.pg_ctl_path), "-D", str(self.pgdata), "status"],
            user=self.os_user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        return result.returncode == 0

    def close(self) -> None:
        """Stops the private cluster (after a restart pgserver no longer knows its postmaster)."""
        if not self.embedded:
            return
        if self.running():
            try:
                self._pg_ctl("-w", "-m", "fast", "stop")
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                print(f"warning: could not stop the bench cluster: {error}", file=sys.stderr)
        # pgserver's own exit handler would try to stop it again: this process is done with it.
        import atexit

        atexit.unregister(self.handle._cleanup)
        self.handle.global_process_id_list.get_and_remove(os.getpid())


# --- data -----------------------------------------------------------------------------------------


def ensure_user(username: str, role: str, languages: list[str]):
    from django.contrib.auth import get_user_model

    from corpus.accounts import account_create

    user = get_user_model().objects.filter(username=username).first()
    return user or account_create(
        username=username, password=secrets.token_hex(16), role=role, languages=languages
    )


def build_data(translators: list) -> list[int]:
    """The seed document (imported) and synthetic documents; half of the synthetic segments have an
    English draft or submitted translation with its revision 1, the other half wait to be created."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from corpus.models import Document, Revision, Translation
    from exchange.sources import document_import

    seed = document_import(
        data=settings.WORKBENCH_SEED_PATH.read_bytes(), file_name=settings.WORKBENCH_SEED_PATH.name
    ).document
    documents = [seed.pk]
    sentences = None
    for number in range(SYNTHETIC_DOCS):
        title = f"load bench {number}"
        existing = Document.objects.filter(title=title).first()
        if existing is not None:
            documents.append(existing.pk)
            continue
        sentences = sentences or seed_sentences()
        with transaction.atomic():
            document = synthetic_document(
                title, SYNTHETIC_SEGMENTS, sentences, file_name="load", offset=37 * number
            )
            now = timezone.now()
            made = Translation.objects.bulk_create(
                Translation(
                    document=document,
                    language="en",
                    first_position=p,
                    last_position=p,
                    text=f"Sentence {p} of document {number}.",
                    status="submitted" if p % 4 == 0 else "draft",
                    updated_at=now,
                    updated_by=translators[p % len(translators)],
                    author=translators[p % len(translators)],
                )
                for p in range(0, SYNTHETIC_SEGMENTS, 2)
            )
            Revision.objects.bulk_create(
                Revision(
                    translation=t,
                    action="create",
                    text=t.text,
                    status=t.status,
                    version=1,
                    first_position=t.first_position,
                    last_position=t.last_position,
                    actor=t.author,
                )
                for t in made
            )
        documents.append(document.pk)
    return documents


# --- gunicorn -------------------------------------------------------------------------------------


def start_gunicorn(
    url: str, workers: int, threads: int, log_path: Path, extra_env: dict | None = None
) -> tuple[subprocess.Popen, str]:
    """gunicorn as scripts/serve-production runs it (workbench/gunicorn.conf.py), on a free port."""
    import requests

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_TLS": "0",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        **(extra_env or {}),
    }
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # as scripts/serve-production: production serves the hashed, compressed files collectstatic makes
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "workbench/gunicorn.conf.py",
            # gunicorn 23+ would share one control socket in $XDG_RUNTIME_DIR with other benches
            "--no-control-socket",
            "workbench.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                if requests.get(f"{base}/ready/", timeout=20).status_code == 200:
                    return process, base
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not come up; see {log_path}")
    except BaseException:
        stop_process(process)  # never leave a gunicorn behind, whatever went wrong
        raise


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- the load -------------------------------------------------------------------------------------


class Stop(Exception):
    pass


@dataclass
class Event:
    endpoint: str
    sent: float  # time.time()
    received: float
    status: int  # 0: no HTTP answer (connection error, timeout, truncated stream)
    code: str = ""


@dataclass
class Results:
    events: list[Event] = field(default_factory=list)
    acknowledged: list[tuple[int, int, str, str, float]] = field(
        default_factory=list
    )  # id, v, text, status, t
    stale: list[tuple[int, int, float, float]] = field(
        default_factory=list
    )  # id, sent version, sent, received
    bad_503: list[str] = field(default_factory=list)
    errors_500: list[str] = field(default_factory=list)
    exports: list[tuple[float, int, bool]] = field(default_factory=list)  # seconds, bytes, complete
    lock: threading.Lock = field(default_factory=threading.Lock)


class Load:
    def __init__(
        self,
        base: str,
        seconds: float,
        max_requests: int,
        results: Results,
        think: float = 0.0,
        export_pause: float = 0.0,
    ):
        self.base = base
        self.deadline = time.monotonic() + seconds
        self.max_requests = max_requests
        self.count = 0
        self.results = results
        self.think = think
        self.export_pause = export_pause

    def running(self) -> bool:
        return time.monotonic() < self.deadline and self.count < self.max_requests

    def call(self, session, endpoint: str, method: str, path: str, **kwargs):
        """One request, recorded. Returns (status, json body or None). Raises Stop at the end."""
        import requests

        with self.results.lock:
            if not self.running():
                raise Stop
            self.count += 1
        url = path if path.startswith("http") else self.base + path
        sent = time.time()
        try:
            response = session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as error:
            self.record(Event(endpoint, sent, time.time(), 0, type(error).__name__))
            return 0, None
        received = time.time()
        try:
            body = response.json()
        except ValueError:
            body = None
        code = body["error"].get("code", "") if isinstance(body, dict) and "error" in body else ""
        self.record(Event(endpoint, sent, received, response.status_code, code))
        if response.status_code == 503 and path.startswith("/api/"):
            message = body["error"].get("message", "") if code else ""
            if code != "database_unavailable" or "database is unavailable" not in message:
                with self.results.lock:
                    self.results.bad_503.append(f"{method} {path}: {response.text[:200]}")
        if response.status_code >= 500 and response.status_code != 503:
            with self.results.lock:
                self.results.errors_500.append(
                    f"{method} {path} {response.status_code}: {response.text[:200]}"
                )
        return response.status_code, body

    def record(self, event: Event) -> None:
        with self.results.lock:
            self.results.events.append(event)

    def acknowledge(self, body: dict, received: float) -> None:
        with self.results.lock:
            self.results.acknowledged.append(
                (body["id"], body["version"], body["text"], body["status"], received)
            )

    def pause(self, low: float, high: float, chooser: random.Random) -> None:
        time.sleep(min(chooser.uniform(low, high), max(0.0, self.deadline - time.monotonic())))

    def think_time(self, session, low: float, high: float, chooser: random.Random) -> None:
        """A person reading, typing or reviewing before their next request: 0.5x to 1.5x ``--think``
        seconds; with ``--think 0`` the short ``low``..``high`` pauses of a hammering client.

        After a pause near or past the server's keep-alive, the next request opens a new
        connection, as a browser's does once the server closed the idle one; reusing it would race
        the server's close (a connection error the server never saw)."""
        seconds = (
            chooser.uniform(0.5 * self.think, 1.5 * self.think)
            if self.think > 0
            else chooser.uniform(low, high)
        )
        time.sleep(min(seconds, max(0.0, self.deadline - time.monotonic())))
        if seconds > SERVER_KEEPALIVE - 1:
            session.close()

    def backoff(self, status: int, chooser: random.Random) -> None:
        if status == 0 or status >= 500:  # the database or the server is away: do not spin
            self.pause(0.3, 0.7, chooser)


def session_for(key: str):
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key}"
    return session


def translator(load: Load, number: int, key: str, documents: list[int], hot: list[int]) -> None:
    session = session_for(key)
    chooser = random.Random(number)
    document = documents[number % len(documents)]
    next_url = None
    writes = 0
    try:
        while True:
            url = next_url or f"/api/v1/documents/{document}/segments/?page_size=50"
            status, page = load.call(session, "GET segments page", "GET", url)
            if status != 200:
                next_url = None
                load.backoff(status, chooser)
                continue
            next_url = page["next"]
            rows = page["results"]
            for _ in range(chooser.randint(1, 3)):
                load.think_time(session, 0.05, 0.4, chooser)
                writes += 1
                text = f"translator {number} write {writes} {secrets.token_hex(4)}"
                if hot and chooser.random() < 0.25:
                    edit_by_id(load, session, chooser, chooser.choice(hot), text)
                    continue
                if not rows:
                    break
                segment = chooser.choice(rows)
                current = segment["translations"].get("en")
                if current is None:
                    status, body = load.call(
                        session,
                        "POST create",
                        "POST",
                        "/api/v1/translations/",
                        json={
                            "document": document,
                            "language": "en",
                            "first_position": segment["position"],
                            "text": text,
                        },
                    )
                    if status == 201:
                        load.acknowledge(body, time.time())
                    load.backoff(status, chooser)
                elif current["status"] != "approved":
                    save(load, session, chooser, current["id"], current["version"], text)
    except Stop:
        return


def edit_by_id(load: Load, session, chooser: random.Random, tid: int, text: str) -> None:
    status, body = load.call(session, "GET translation", "GET", f"/api/v1/translations/{tid}/")
    if status == 200 and body["status"] != "approved":
        save(load, session, chooser, tid, body["version"], text)
    load.backoff(status, chooser)


def save(load: Load, session, chooser: random.Random, tid: int, version: int, text: str) -> None:
    """PATCH based on the version read; on 409 re-read and try again (at most 4 times); sometimes submit."""
    url = f"/api/v1/translations/{tid}/"
    for _ in range(4):
        sent = time.time()
        status, body = load.call(session, "PATCH save", "PATCH", url, json={"text": text, "version": version})
        if status == 200:
            load.acknowledge(body, time.time())
            if body["status"] in ("draft", "rejected") and chooser.random() < 0.4:
                submitted_version, sent = body["version"], time.time()
                status, body = load.call(
                    session, "POST submit", "POST", url + "submit/", json={"version": submitted_version}
                )
                if status == 200:
                    load.acknowledge(body, time.time())
                elif status == 409 and body and body["error"]["code"] == "stale_version":
                    with load.results.lock:
                        load.results.stale.append((tid, submitted_version, sent, time.time()))
            return
        if status == 409 and body and body["error"]["code"] == "stale_version":
            with load.results.lock:
                load.results.stale.append((tid, version, sent, time.time()))
            status, body = load.call(session, "GET translation", "GET", url)
            if status != 200 or body["status"] == "approved":
                load.backoff(status, chooser)
                return
            version = body["version"]
            continue
        load.backoff(status, chooser)
        return


def editor(load: Load, number: int, key: str, documents: list[int]) -> None:
    session = session_for(key)
    chooser = random.Random(1000 + number)
    try:
        while True:
            load.think_time(session, 0.2, 0.6, chooser)
            document = chooser.choice(documents)
            status, page = load.call(
                session,
                "GET submitted list",
                "GET",
                f"/api/v1/translations/?document={document}&status=submitted&page_size=20",
            )
            if status != 200 or not page["results"]:
                load.backoff(status, chooser)
                continue
            target = chooser.choice(page["results"])
            sent = time.time()
            status, body = load.call(
                session,
                "POST approve",
                "POST",
                f"/api/v1/translations/{target['id']}/approve/",
                json={"version": target["version"]},
            )
            if status == 200:
                load.acknowledge(body, time.time())
            elif status == 409 and body and body["error"]["code"] == "stale_version":
                with load.results.lock:
                    load.results.stale.append((target["id"], target["version"], sent, time.time()))
            load.backoff(status, chooser)
    except Stop:
        return


def exporter(load: Load, key: str) -> None:
    import requests

    session = session_for(key)
    chooser = random.Random(7)
    url = f"{load.base}/api/v1/exports/?pair=zh-en&format=tsv&status=any"
    while True:
        with load.results.lock:
            if not load.running():
                return
            load.count += 1
        sent = time.time()
        size, complete, status, code = 0, False, 0, ""
        try:
            with session.get(url, stream=True, timeout=TIMEOUT) as response:
                status = response.status_code
                if status == 200:
                    last = b""
                    for chunk in response.iter_content(65536):
                        size += len(chunk)
                        last = chunk or last
                    complete = last.endswith(b"\n")
                else:
                    body = response.json()
                    code = body["error"]["code"] if isinstance(body, dict) and "error" in body else ""
                    if status == 503 and code != "database_unavailable":
                        with load.results.lock:
                            load.results.bad_503.append(f"GET export: {response.text[:200]}")
        except (requests.RequestException, ValueError) as error:
            code = type(error).__name__  # a stream cut by the outage
            status = 0 if status == 200 else status
        received = time.time()
        load.record(Event("GET export (whole stream)", sent, received, status, code))
        with load.results.lock:
            load.results.exports.append((received - sent, size, complete))
        load.backoff(status, chooser)
        if load.export_pause > 0:
            load.pause(0.5 * load.export_pause, 1.5 * load.export_pause, chooser)
        else:
            load.pause(0.2, 0.5, chooser)


def single_client(base: str, key: str, ids: list[int], count: int) -> list[float]:
    """One user alone on the server: read a translation, PATCH it; the times of the PATCHes (ms)."""
    session = session_for(key)
    times = []
    for number in range(count + 20):  # the first 20 warm up every worker's connection and caches
        url = f"{base}/api/v1/translations/{ids[number % len(ids)]}/"
        version = session.get(url, timeout=TIMEOUT).json()["version"]
        started = time.perf_counter()
        response = session.patch(
            url,
            json={"text": f"single client {number} {secrets.token_hex(4)}", "version": version},
            timeout=TIMEOUT,
        )
        elapsed = 1000 * (time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"single-client save failed: {response.status_code} {response.text[:200]}")
        if number >= 20:
            times.append(elapsed)
    return times


def prober(load: Load) -> None:
    import requests

    session = requests.Session()
    try:
        while True:
            load.call(session, "GET /ready/ (probe)", "GET", "/ready/")
            time.sleep(0.2)
    except Stop:
        return


@dataclass
class Outage:
    stop_begin: float = 0.0
    stop_done: float = 0.0
    start_begin: float = 0.0
    start_done: float = 0.0
    error: str = ""


def restarter(server: Server, at: float, outage_seconds: float, outage: Outage) -> None:
    time.sleep(at)
    try:
        outage.stop_begin = time.time()
        server.stop()
        outage.stop_done = time.time()
        time.sleep(outage_seconds)
        outage.start_begin = time.time()
        server.start()
        outage.start_done = time.time()
    except Exception as error:  # reported, and the cluster is started again below
        outage.error = repr(error)
        if not server.running():
            server.start()
            outage.start_done = time.time()


# --- report and audit -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(results: Results, elapsed: float, single: list[float]) -> None:
    events = results.events
    print(f"\n{len(events)} requests in {elapsed:.1f} s = {len(events) / elapsed:.1f} req/s")
    by_endpoint = collections.defaultdict(list)
    for event in events:
        by_endpoint[event.endpoint].append(event)
    print(f"  {'endpoint':<27} {'n':>6} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for endpoint, items in sorted(by_endpoint.items()):
        ok = [1000 * (e.received - e.sent) for e in items if 200 <= e.status < 300]
        statuses = collections.Counter(f"{e.status}{'/' + e.code if e.code else ''}" for e in items)
        print(
            f"  {endpoint:<27} {len(items):>6} {len(items) / elapsed:>6.1f} {percentile(ok, 0.5):>8.1f}"
            f" {percentile(ok, 0.95):>8.1f} {percentile(ok, 0.99):>8.1f}  "
            + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        )
    errors = collections.Counter(e.status for e in events if not 200 <= e.status < 300)
    print("  errors by status: " + (", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "none"))
    if results.exports:
        complete = [(s, b) for s, b, c in results.exports if c]
        if complete:
            mb = sum(b for _, b in complete) / len(complete) / 1e6
            print(
                f"  exports: {len(complete)} complete of {len(results.exports)}, {mb:.2f} MB each, "
                f"median {percentile([s for s, _ in complete], 0.5):.2f} s"
            )
    print(f"  500s (bugs): {len(results.errors_500)}")
    for line in results.errors_500[:5]:
        print(f"    {line}")
    saves = [1000 * (e.received - e.sent) for e in events if e.endpoint == "PATCH save" and e.status == 200]
    if saves and single:
        alone = percentile(single, 0.5)
        print(
            f"  PATCH save p99 under load {percentile(saves, 0.99):.1f} ms / single-client p50 {alone:.1f} ms"
            f" = {percentile(saves, 0.99) / alone:.1f}x (target 10x); p50 under load {percentile(saves, 0.5):.1f} ms"
        )


def audit(results: Results) -> dict:
    """Checks the database against what the server acknowledged; prints and returns the counts."""
    from django.db import connection

    from corpus.models import Revision, Translation

    ids = {tid for tid, *_ in results.acknowledged} | {tid for tid, *_ in results.stale}
    current = dict(Translation.objects.filter(pk__in=ids).values_list("pk", "version"))
    revisions: dict[tuple[int, int], tuple[str, str, float]] = {}
    for tid, version, text, status, created in Revision.objects.filter(translation_id__in=ids).values_list(
        "translation_id", "version", "text", "status", "created_at"
    ):
        revisions[(tid, version)] = (text, status, created.timestamp())
    lost, duplicates, seen = 0, 0, {}
    for tid, version, text, status, _ in results.acknowledged:
        if seen.get((tid, version), text) != text:
            duplicates += 1
        seen[(tid, version)] = text
        revision = revisions.get((tid, version))
        if revision is None or revision[0] != text or revision[1] != status or current.get(tid, 0) < version:
            lost += 1
    illegitimate = 0
    for tid, sent_version, _, received in results.stale:
        newer = [
            created
            for (rid, version), (_, _, created) in revisions.items()
            if rid == tid and version > sent_version
        ]
        # A newer version committed before the 409 came back (same machine clock; created_at is stamped
        # before the commit, so it is never later than the answer of a refusal that saw it).
        if not newer or min(newer) > received or current.get(tid, 0) <= sent_version:
            illegitimate += 1
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM corpus_translation t
               LEFT JOIN corpus_revision r ON r.translation_id = t.id AND r.version = t.version
               WHERE r.id IS NULL OR r.text <> t.text OR r.status <> t.status"""
        )
        mismatched = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM corpus_translation t JOIN (
                   SELECT translation_id, count(*) n, count(DISTINCT version) d, min(version) lo, max(version) hi
                   FROM corpus_revision GROUP BY translation_id) r ON r.translation_id = t.id
               WHERE r.n <> r.d OR r.lo <> 1 OR r.hi <> t.version OR r.n <> t.version"""
        )
        gaps = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM corpus_translation")
        translations = cursor.fetchone()[0]
    counts = {
        "acknowledged": len(results.acknowledged),
        "lost": lost,
        "duplicate_versions": duplicates,
        "stale_409": len(results.stale),
        "illegitimate_409": illegitimate,
        "translations": translations,
        "half_written": mismatched,
        "version_gaps": gaps,
    }
    print("\naudit")
    print(f"  acknowledged writes: {counts['acknowledged']}  lost: {lost}  duplicate versions: {duplicates}")
    print(f"  stale_version 409s: {counts['stale_409']}  illegitimate: {illegitimate}")
    print(
        f"  translations checked: {translations}  half-written (text/status != revision of current "
        f"version): {mismatched}  versions not 1..n: {gaps}"
    )
    return counts


def outage_report(results: Results, outage: Outage) -> None:
    print("\noutage")
    if outage.error:
        print(f"  restart error: {outage.error}")
    if not outage.start_done:
        print("  the database was not restarted")
        return
    print(
        f"  PostgreSQL stop took {outage.stop_done - outage.stop_begin:.2f} s, down "
        f"{outage.start_begin - outage.stop_done:.1f} s, start took {outage.start_done - outage.start_begin:.2f} s"
    )
    api = [e for e in results.events if not e.endpoint.startswith("GET /ready/")]
    # Requests that were in flight at some moment of the outage (sent before it ended, answered after
    # it began): the ones PostgreSQL's fast shutdown cut off included.
    during = [e for e in api if e.sent <= outage.start_done and e.received >= outage.stop_begin]
    answers = collections.Counter(f"{e.status}{'/' + e.code if e.code else ''}" for e in during)
    print(
        "  API answers to requests in flight during the outage: "
        + ", ".join(f"{k}: {v}" for k, v in answers.items())
    )
    print(
        f"  503 during the outage: {sum(1 for e in during if e.status == 503)}  "
        f"503 without code database_unavailable: {len(results.bad_503)}  500s: "
        f"{sum(1 for e in during if e.status >= 500 and e.status != 503)}"
    )
    for line in results.bad_503[:3]:
        print(f"    {line}")
    after = [e for e in api if e.sent >= outage.start_done]
    first_ok = min((e.received for e in after if 200 <= e.status < 300), default=None)
    failures_after = [e for e in after if e.status >= 500 or e.status == 0]
    probes = [
        e for e in results.events if e.endpoint.startswith("GET /ready/") and e.sent >= outage.stop_begin
    ]
    ready_again = min(
        (e.received for e in probes if e.status == 200 and e.sent >= outage.start_done), default=None
    )
    if first_ok is None:
        print("  NOT RECOVERED: no successful API request after the database came back")
    else:
        print(
            f"  recovery: first successful API request {first_ok - outage.start_done:.2f} s after PostgreSQL was up"
        )
    if ready_again is not None:
        print(f"  /ready/ answered 200 again {ready_again - outage.start_done:.2f} s after PostgreSQL was up")
    last_failure = max((e.received for e in failures_after), default=None)
    print(
        f"  failures (5xx or no answer) of requests sent after PostgreSQL was up: {len(failures_after)}"
        + (f", the last {last_failure - outage.start_done:.2f} s after" if last_failure else "")
    )
    if failures_after:
        print(
            "    "
            + ", ".join(
                f"{k}: {v}"
                for k, v in collections.Counter(
                    f"{e.endpoint} {e.status}/{e.code}" for e in failures_after
                ).items()
            )
        )


# --- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--users", type=int, default=50, help="translators, editors and one exporter")
    parser.add_argument("--editors", type=int, default=9)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--restart-db", action="store_true", help="restart PostgreSQL once under load")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument("--database", default=BENCH_DB, help="name of the bench database (your own)")
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean seconds a user reads, types or reviews between two actions (0: no think time, "
        "the short pauses of a client hammering the server)",
    )
    parser.add_argument(
        "--export-pause",
        type=float,
        default=10.0,
        help="mean seconds between two whole exports (0: 0.2-0.5 s)",
    )
    parser.add_argument("--single", type=int, default=200, help="single-client saves timed before the load")
    options = parser.parse_args()
    if options.restart_db and os.environ.get("DATABASE_URL"):
        parser.error(
            "--restart-db restarts only the private cluster this script starts itself; unset "
            "DATABASE_URL (the server it names is never stopped)"
        )

    server = Server(database=options.database)
    try:
        run(server, options)
    finally:
        server.close()


def run(server: Server, options) -> None:
    setup_django(server.url, options.rebuild)
    from django.db import connections

    from corpus import tokens
    from corpus.models import Translation

    translators_count = options.users - options.editors - 1
    translators = [ensure_user(f"load_tr{n}", "translator", ["en"]) for n in range(translators_count)]
    editors = [ensure_user(f"load_ed{n}", "editor", ["en", "ko"]) for n in range(options.editors)]
    exporter_user = ensure_user("load_export", "editor", ["en", "ko"])
    documents = build_data(translators)
    hot = list(
        Translation.objects.filter(document_id=documents[1], language="en", retired_at__isnull=True)
        .order_by("first_position")
        .values_list("pk", flat=True)[:HOT]
    )
    users = [*translators, *editors, exporter_user]
    key_of = {user.pk: tokens.token_create(user=user, name="load")[1] for user in users}
    connections.close_all()  # the bench holds no connection while the load (and a restart) runs

    alone = list(
        Translation.objects.filter(
            document_id=documents[1], language="en", status="draft", retired_at__isnull=True
        )
        .exclude(pk__in=hot)
        .order_by("-first_position")
        .values_list("pk", flat=True)[:50]
    )
    results, outage = Results(), Outage()
    process, base = start_gunicorn(
        server.url, options.workers, options.threads, ROOT / "var" / "bench-load-gunicorn.log"
    )
    try:
        print(
            f"gunicorn {options.workers} workers x {options.threads} threads on {base}; "
            f"{translators_count} translators, {options.editors} editors, 1 exporter, {options.seconds:.0f} s"
            + (f", PostgreSQL restart with a {options.outage:.0f} s outage" if options.restart_db else ""),
            flush=True,
        )
        print(
            "users: a closed loop (each waits for its answer); "
            + (
                f"think time {0.5 * options.think:g}-{1.5 * options.think:g} s before each save, approval "
                "and page turn"
                if options.think > 0
                else "no think time (0.05-0.4 s between a translator's writes: a saturation test)"
            )
            + "; the exporter streams a whole zh-en TSV export every "
            + (
                f"{0.5 * options.export_pause:g}-{1.5 * options.export_pause:g} s"
                if options.export_pause > 0
                else "0.2-0.5 s"
            )
            + "; /ready/ probed 5 times a second",
            flush=True,
        )
        single = (
            single_client(base, key_of[translators[0].pk], alone, options.single) if options.single else []
        )
        if single:
            print(
                f"single client, nothing else running: PATCH save p50 {percentile(single, 0.5):.1f} ms, "
                f"p99 {percentile(single, 0.99):.1f} ms over {len(single)} saves",
                flush=True,
            )
        load = Load(
            base,
            options.seconds,
            options.max_requests,
            results,
            think=options.think,
            export_pause=options.export_pause,
        )
        threads = [
            threading.Thread(target=translator, args=(load, n, key_of[u.pk], documents, hot))
            for n, u in enumerate(translators)
        ]
        threads += [
            threading.Thread(target=editor, args=(load, n, key_of[u.pk], documents))
            for n, u in enumerate(editors)
        ]
        threads += [threading.Thread(target=exporter, args=(load, key_of[exporter_user.pk]))]
        threads += [threading.Thread(target=prober, args=(load,))]
        if options.restart_db:
            at = options.seconds * 0.35
            threads.append(threading.Thread(target=restarter, args=(server, at, options.outage, outage)))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=options.seconds + 3 * TIMEOUT + 60)
        elapsed = time.perf_counter() - started
    finally:
        stop_process(process)
    report(results, elapsed, single)
    if options.restart_db:
        outage_report(results, outage)
    audit(results)


if __name__ == "__main__":
    main()
