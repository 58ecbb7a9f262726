"""Tasks the job tests run in real worker processes (importable by path, like any task)."""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import task

from jobs import runner
from translations.pretranslate import document_pretranslate


def count_work(job, progress) -> dict:
    """Records each execution (in the job's transaction) so a test can count them."""
    progress.start(1, phase="counting")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO jobs_test_runs (job_id, pid) VALUES (%s, %s)", [job.pk, os.getpid()])
    time.sleep(float(job.params.get("sleep", 0)))
    progress.advance(1)
    return {"pid": os.getpid()}


@task()
def count_task(job_id: int) -> str:
    return runner.run(job_id, count_work)


class Slow:
    """A progress that takes its time between batches (so a test can watch it, and kill the worker)."""

    def __init__(self, progress, pause: float):
        self.progress, self.pause = progress, pause

    def start(self, total, phase=""):
        self.progress.start(total, phase=phase)

    def advance(self, units=1):
        self.progress.advance(units)
        time.sleep(self.pause)


def slow_pretranslate_work(job, progress) -> dict:
    return document_pretranslate(
        document=job.document,
        language=job.language,
        actor=job.started_by,
        progress=Slow(progress, float(job.params.get("pause", 0.3))),
        batch_size=1,
    )


@task()
def slow_pretranslate_task(job_id: int) -> str:
    return runner.run(job_id, slow_pretranslate_work)
