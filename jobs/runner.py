"""Running a job: once, all or nothing, with progress others can watch and a cancel that rolls back.

- **Once.** django-tasks-db hands a queued task to one worker (``SELECT ... FOR UPDATE SKIP LOCKED``).
  On top of that the runner holds a PostgreSQL advisory lock on the job for as long as it runs, and
  moves the job from queued to running only if it is still queued: a task delivered twice (a retry,
  a second backend) finds the job taken and does nothing.
- **All or nothing.** The work runs in one transaction on the worker's connection; its final state
  (done, with the result) is written in that same transaction, so the data and "done" commit
  together. Cancelled or failed work is rolled back.
- **Progress** is written on a second connection in autocommit, so the browser and the API see it
  while the work transaction is still open (a progress row written inside the work transaction would
  be invisible until the end and lost on a rollback). The same call reads the cancel flag: a cancel
  stops the work between batches by raising ``Cancelled``, which rolls the transaction back.
- **A killed worker** drops its connections: PostgreSQL rolls back its transaction and releases the
  advisory lock. ``reap`` finds running jobs whose lock nobody holds, and requeues them (every job is
  all or nothing, so running it again is safe) until ``WORKBENCH_JOB_ATTEMPTS`` attempts are spent;
  then the job is failed, saying that nothing it wrote was kept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from corpus.errors import WorkbenchError
from jobs.models import Job
from webhooks import events

logger = logging.getLogger("jobs")
LOCK_BASE = 0x16 << 56  # advisory lock keys of jobs: LOCK_BASE + job id
WRITE_INTERVAL = 0.2  # seconds between two progress writes (the cancel flag is read with each)
State = Job.State
LOST = (
    "The worker running this job stopped (killed, or its database connection was lost); "
    "nothing it wrote was kept."
)


class Cancelled(Exception):
    """Raised between batches when the job's cancel flag is set: the work transaction rolls back."""


class Progress:
    """A side connection in autocommit: the job's lock, its progress, its cancel flag."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = 0
        self.total = 0
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        self.written = 0.0

    def execute(self, sql: str, params: list) -> tuple | None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else None

    def lock(self) -> bool:
        return self.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_BASE + self.job_id])[0]

    def close(self) -> None:
        self.connection.close()  # ends the session: releases the advisory lock

    def start(self, total: int = 0, phase: str = "") -> None:
        """Set the amount of work (units) of the phase that begins now."""
        self.total, self.done = total, 0
        self.write(phase=phase, force=True)

    def advance(self, units: int = 1) -> None:
        """A batch of ``units`` is written; pauses ``WORKBENCH_JOB_BATCH_PAUSE`` seconds if set."""
        self.done = min(self.done + units, self.total) if self.total else self.done + units
        self.write()
        if settings.WORKBENCH_JOB_BATCH_PAUSE > 0:
            time.sleep(settings.WORKBENCH_JOB_BATCH_PAUSE)

    def check(self) -> None:
        """Write the progress and look at the cancel flag now (the last look before the work commits)."""
        self.write(force=True)

    def write(self, phase: str | None = None, force: bool = False) -> None:
        """Progress and heartbeat, at most every WRITE_INTERVAL seconds unless forced; raises
        ``Cancelled`` when the cancel flag is set. Written without waiting for the disk (progress
        lost in a crash does not matter), so a job of a few milliseconds is not slowed by it."""
        now = time.monotonic()
        if not force and now - self.written < WRITE_INTERVAL:
            return
        self.written = now
        row = self.execute(
            "UPDATE jobs_job SET done = %s, total = %s, phase = COALESCE(%s, phase), heartbeat_at = now()"
            " WHERE id = %s RETURNING cancel_requested",
            [self.done, self.total, phase, self.job_id],
        )
        if row and row[0]:
            raise Cancelled


def job_start(
    *,
    kind: str,
    task,
    actor,
    document=None,
    language: str = "",
    params: dict | None = None,
    payload: bytes = b"",
) -> Job:
    """Record a job and queue its task (``task.enqueue(job_id)``) in one transaction."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            started_by=actor if actor is not None and actor.is_authenticated else None,
            document=document,
            language=language,
            params={**(params or {}), "task": task.module_path},
            payload=payload,
        )
        task.enqueue(job.pk)
    return job


def run(job_id: int, work: Callable[[Job, Progress], dict]) -> str:
    """The body of every job task: ``work(job, progress)`` returns the result (JSON)."""
    reap()
    progress = Progress(job_id)
    try:
        if not progress.lock():
            return "taken"  # another worker runs it
        started = progress.execute(
            "UPDATE jobs_job SET state = 'running', started_at = now(), heartbeat_at = now(),"
            " attempts = attempts + 1 WHERE id = %s AND state = 'queued' RETURNING id",
            [job_id],
        )
        if started is None:
            return "skipped"  # cancelled before it started, or already finished
        progress.execute("SET synchronous_commit TO off", [])  # progress writes only, on this connection
        job = Job.objects.get(pk=job_id)
        try:
            with transaction.atomic():
                result = work(job, progress)
                progress.check()  # a cancel that arrived during the last batch
                finish(
                    job, State.DONE, result=result, done=progress.total or progress.done, total=progress.total
                )
            return State.DONE
        except Cancelled:
            with transaction.atomic():
                finish(job, State.CANCELLED, error="Cancelled; nothing was changed.", code="cancelled")
            return State.CANCELLED
        except WorkbenchError as error:
            with transaction.atomic():
                finish(job, State.FAILED, error=error.message, code=error.code)
            return State.FAILED
        except Exception as error:
            logger.exception("job %s (%s) failed", job_id, job.kind)
            with transaction.atomic():
                finish(
                    job,
                    State.FAILED,
                    error=f"Internal error ({type(error).__name__}); nothing was changed.",
                    code="internal_error",
                )
            return State.FAILED
    finally:
        progress.close()


def finish(
    job: Job,
    state: str,
    *,
    result=None,
    error: str = "",
    code: str = "",
    done: int | None = None,
    total: int | None = None,
) -> None:
    """The final state, in the caller's transaction, and the ``job.finished`` event with it."""
    now = timezone.now()
    counts = {"done": done, "total": total} if done is not None else {}
    Job.objects.filter(pk=job.pk).update(
        state=state, result=result, error=error, error_code=code, ended_at=now, **counts
    )
    job.state, job.result, job.error, job.error_code, job.ended_at = state, result, error, code, now
    events.emit(
        events.JOB_FINISHED,
        document_id=job.document_id,
        data={"job": job.pk, "kind": job.kind, "state": state, "result": result, "error": error},
    )


def cancel(job: Job) -> Job:
    """A queued job is cancelled at once; a running one is asked to stop at its next batch."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.state == State.QUEUED:
            finish(current, State.CANCELLED, error="Cancelled before it started.", code="cancelled")
        elif current.state == State.RUNNING:
            current.cancel_requested = True
            current.save(update_fields=["cancel_requested"])
    return current


def reap(job_ids: list[int] | None = None) -> list[int]:
    """Running jobs whose worker is gone (nobody holds their lock): requeued, or failed once their
    attempts are spent. Returns the ids found."""
    running = Job.objects.filter(state=State.RUNNING)
    if job_ids is not None:
        running = running.filter(pk__in=job_ids)
    found = []
    for job_id in running.values_list("pk", flat=True):
        probe = Progress(job_id)
        try:
            if not probe.lock():
                continue  # a worker is on it
            with transaction.atomic():
                job = Job.objects.select_for_update().filter(pk=job_id, state=State.RUNNING).first()
                if job is None:
                    continue  # it finished between the two looks
                found.append(job_id)
                if job.attempts < settings.WORKBENCH_JOB_ATTEMPTS and not job.cancel_requested:
                    job.state, job.done, job.phase, job.error = State.QUEUED, 0, "", LOST + " Retrying."
                    job.save(update_fields=["state", "done", "phase", "error"])
                    import_string(job.params["task"]).enqueue(job.pk)
                else:
                    finish(job, State.FAILED, error=LOST, code="worker_lost")
        finally:
            probe.close()
    return found


def settle(job: Job) -> Job:
    """A job someone is watching: if it is running on a worker that is gone, it is settled now
    (requeued or failed), so the watcher learns it at once."""
    if job.state == State.RUNNING and reap([job.pk]):
        job.refresh_from_db()
    return job


def queue_stats() -> dict:
    """Depth of the queue and the age in seconds of its oldest queued job (for /ready/)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT count(*), EXTRACT(EPOCH FROM now() - min(created_at)) FROM jobs_job WHERE state = 'queued'"
        )
        depth, age = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM jobs_job WHERE state = 'running'")
        (running,) = cursor.fetchone()
    return {
        "depth": depth,
        "oldest_age_seconds": round(float(age), 1) if age is not None else None,
        "running": running,
    }
