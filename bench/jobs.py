"""Benchmark of background jobs and webhooks. Prints figures; not a test.

Run: .venv/bin/python bench/jobs.py [--jobs 1000] [--segments 10000] [--approvals 100]

Works in its own database ``workbench_bench_jobs`` on the workbench's server (``DATABASE_URL`` with the
name swapped, otherwise the embedded server), dropped, created afresh and migrated. Workers are real
``manage.py jobs_worker`` processes (``--interval 0.1``: an idle worker polls ten times a second).

- queue overhead: N small jobs (one INSERT in the job's transaction, tests/jobs/sample_tasks.count_task)
  run through the queue by one worker, per job, against the same work called directly (ratio);
- throughput of N small jobs with one and with two workers (enqueue excluded);
- pre-translation of a document of S segments (every one a 100% memory match) as a job: wall time from
  the request to done, and units/s;
- webhook latency: M approvals, each delivered to a loopback receiver; from the approval's commit to
  the receipt, p50 and p99.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from common import ROOT, base_url, create_database, seed_segments, setup_django, synthetic_document

BENCH_DB = "workbench_bench_jobs"


def worker(url: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WORKBENCH_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--interval", "0.1", "--verbosity", "0", *args],
        cwd=ROOT,
        env=env,
    )


def small_jobs(url: str, n: int, workers: int, user) -> float:
    from jobs import runner
    from tests.jobs import sample_tasks

    for _ in range(n):
        runner.job_start(kind="count", task=sample_tasks.count_task, actor=user)
    start = time.perf_counter()
    processes = [worker(url, "--batch") for _ in range(workers)]
    for process in processes:
        process.wait()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--segments", type=int, default=10000)
    parser.add_argument("--approvals", type=int, default=100)
    options = parser.parse_args()
    os.environ["WORKBENCH_WEBHOOK_ALLOWED_HOSTS"] = "127.0.0.1"
    url = create_database(base_url(), BENCH_DB)
    setup_django(url)
    sys.path.insert(0, str(ROOT))

    from django.db import connection, transaction

    from corpus.accounts import account_create
    from corpus.models import MemoryUnit, Segment
    from jobs.models import Job
    from memory.tm import unit_fields
    from tests.jobs import sample_tasks
    from translations import services
    from translations import tasks as translation_tasks
    from webhooks.models import Delivery
    from webhooks.services import webhook_create

    editor = account_create(
        username="bench-editor", password="a-long-bench-password-1", role="editor", languages=[]
    )
    translator = account_create(
        username="bench-tr", password="a-long-bench-password-1", role="translator", languages=["en"]
    )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE jobs_test_runs (job_id bigint, pid int)")

    # direct calls of the same work, each in its own transaction
    class Direct:
        pk = 0
        params: dict = {}

    class NoProgress:
        def start(self, *a, **k):
            pass

        def advance(self, *a):
            pass

    start = time.perf_counter()
    for _ in range(options.jobs):
        with transaction.atomic():
            sample_tasks.count_work(Direct, NoProgress())
    direct = (time.perf_counter() - start) / options.jobs

    one = small_jobs(url, options.jobs, 1, editor)
    two = small_jobs(url, options.jobs, 2, editor)
    per_job = one / options.jobs
    print(f"small jobs: {options.jobs} per run")
    print(f"  direct call            {direct * 1000:8.2f} ms/job")
    print(f"  through the queue      {per_job * 1000:8.2f} ms/job  (overhead ratio {per_job / direct:.1f}x)")
    print(f"  throughput, 1 worker   {options.jobs / one:8.1f} jobs/s")
    print(f"  throughput, 2 workers  {options.jobs / two:8.1f} jobs/s  (2 cores shared with other work)")

    # pre-translation of a large document as a job
    with transaction.atomic():
        document = synthetic_document("bench pretranslate", options.segments, seed_segments())
        texts = set(Segment.objects.filter(document=document).values_list("text", flat=True))
        MemoryUnit.objects.bulk_create(
            MemoryUnit(language="en", origin=MemoryUnit.Origin.TMX, **unit_fields(text, f"EN {text}"))
            for text in texts
        )
    start = time.perf_counter()
    job = translation_tasks.pretranslate_start(document=document, language="en", actor=translator)
    worker(url, "--batch").wait()
    wall = time.perf_counter() - start
    job = Job.objects.get(pk=job.pk)
    filled = job.result["filled"] if job.result else 0
    print(f"pre-translation of {options.segments:,} segments as a job: {job.state}, {filled:,} filled")
    print(
        f"  wall {wall:.1f} s, {filled / wall:,.0f} units/s (job running {(job.ended_at - job.started_at).total_seconds():.1f} s)"
    )

    # webhook latency from the approval's commit to the receipt
    received: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            received[self.headers["X-Workbench-Delivery"]] = time.perf_counter()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    webhook_create(
        url=f"http://127.0.0.1:{server.server_port}/", actor=editor, events=["translation.approved"]
    )
    with transaction.atomic():
        small = synthetic_document("bench webhooks", options.approvals, seed_segments(), offset=7)
    running = worker(url)
    sent: dict[str, float] = {}
    try:
        for position in range(options.approvals):
            created = services.translation_create(
                document=small,
                language="en",
                first_position=position,
                text=f"Sentence {position}.",
                actor=translator,
                submit=True,
            )
            services.translation_approve(
                translation=created, version=created.version, actor=editor, acknowledge_findings=True
            )
            committed = time.perf_counter()
            delivery = Delivery.objects.filter(event="translation.approved").order_by("-created_at").first()
            sent[str(delivery.pk)] = committed
            time.sleep(0.05)
        deadline = time.perf_counter() + 60
        while len(received) < len(sent) and time.perf_counter() < deadline:
            time.sleep(0.05)
    finally:
        running.terminate()
        running.wait()
        server.shutdown()
    latencies = sorted((received[k] - sent[k]) * 1000 for k in sent if k in received)
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    print(
        f"webhook latency, approval committed -> received ({len(latencies)}/{len(sent)} delivered, worker polls every 0.1 s):"
    )
    print(f"  p50 {statistics.median(latencies):.0f} ms, p99 {p99:.0f} ms")


if __name__ == "__main__":
    main()
