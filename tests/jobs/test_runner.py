"""The job runner: once under two workers, progress others can see, cancel and a killed worker roll back."""

import signal

import pytest
from django.db import connection

from corpus.models import Translation
from jobs import runner
from jobs.models import Job
from tests.factories import api_client, make_user
from tests.jobs import sample_tasks
from tests.jobs.conftest import finished, start_worker, wait_for
from translations import tasks as translation_tasks


@pytest.fixture
def runs_table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS jobs_test_runs (job_id bigint, pid int)")
        cursor.execute("TRUNCATE jobs_test_runs")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE jobs_test_runs")


def test_two_workers_run_each_job_exactly_once(runs_table):
    user = make_user("editor")
    jobs = [
        runner.job_start(kind="count", task=sample_tasks.count_task, actor=user, params={"sleep": 0.05})
        for _ in range(40)
    ]
    workers = [start_worker("--batch"), start_worker("--batch")]
    for worker in workers:
        assert finished(worker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT job_id, count(*) FROM jobs_test_runs GROUP BY job_id")
        runs = dict(cursor.fetchall())
        cursor.execute("SELECT count(DISTINCT pid) FROM jobs_test_runs")
        (pids,) = cursor.fetchone()
    assert runs == {job.pk: 1 for job in jobs}
    assert pids == 2  # both workers took jobs, and none took one the other had
    assert set(Job.objects.values_list("state", flat=True)) == {"done"}


def test_a_job_delivered_twice_runs_once(runs_table):
    """The runner's own guard: a second delivery of the task (a retry, another backend) does nothing."""
    job = runner.job_start(kind="count", task=sample_tasks.count_task, actor=make_user("editor"))
    assert runner.run(job.pk, sample_tasks.count_work) == "done"
    assert runner.run(job.pk, sample_tasks.count_work) == "skipped"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM jobs_test_runs")
        assert cursor.fetchone()[0] == 1


def test_progress_moves_while_the_work_transaction_is_open_and_a_killed_worker_leaves_nothing(
    memory_document, settings
):
    settings.WORKBENCH_JOB_ATTEMPTS = 1
    user = make_user("translator", ["en"])
    job = runner.job_start(
        kind="pretranslate",
        task=sample_tasks.slow_pretranslate_task,
        actor=user,
        document=memory_document,
        language="en",
        params={"pause": 0.4},
    )
    worker = start_worker()
    try:
        seen = set()
        wait_for(lambda: seen.add(Job.objects.get(pk=job.pk).done) or len(seen - {0}) >= 2)
        # two batches are written, inside a transaction that has not committed: nobody sees them
        assert not Translation.objects.filter(document=memory_document, language="en").exists()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert Job.objects.get(pk=job.pk).state == "running"
    # whoever watches the job learns at once that its worker is gone
    watched = api_client(user).get(f"/api/v1/jobs/{job.pk}/").json()
    assert (watched["state"], watched["error_code"]) == ("failed", "worker_lost")
    job.refresh_from_db()
    assert (job.state, job.error_code) == ("failed", "worker_lost")
    assert "nothing it wrote was kept" in job.error
    assert not Translation.objects.filter(document=memory_document, language="en").exists()


def test_a_job_of_a_killed_worker_is_retried_when_attempts_remain(memory_document, settings):
    settings.WORKBENCH_JOB_ATTEMPTS = 2
    user = make_user("translator", ["en"])
    job = runner.job_start(
        kind="pretranslate",
        task=sample_tasks.slow_pretranslate_task,
        actor=user,
        document=memory_document,
        language="en",
        params={"pause": 0.4},
    )
    worker = start_worker()
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).done >= 1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert runner.reap() == [job.pk]
    assert Job.objects.get(pk=job.pk).state == "queued"
    worker = start_worker("--batch")
    assert finished(worker)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2)
    segments = memory_document.segments.count()
    assert Translation.objects.filter(document=memory_document, language="en").count() == segments


def test_cancel_between_batches_rolls_everything_back(memory_document):
    user = make_user("translator", ["en"])
    job = translation_tasks.pretranslate_start(document=memory_document, language="en", actor=user)

    class CancelledAfterTwo(sample_tasks.Slow):
        def advance(self, units=1):
            super().advance(units)
            if (
                self.progress.done == 2
            ):  # another connection asks to cancel, as DELETE /api/v1/jobs/{id}/ does
                cancel = runner.Progress(job.pk)
                cancel.execute("UPDATE jobs_job SET cancel_requested = true WHERE id = %s", [job.pk])
                cancel.close()

    def work(job, progress):
        return translation_tasks.document_pretranslate(
            document=job.document,
            language="en",
            actor=user,
            progress=CancelledAfterTwo(progress, 0.25),
            batch_size=1,
        )

    assert runner.run(job.pk, work) == "cancelled"
    job.refresh_from_db()
    assert job.state == "cancelled" and job.ended_at is not None
    assert 2 <= job.done < memory_document.segments.count()
    assert not Translation.objects.filter(document=memory_document, language="en").exists()


def test_a_failing_job_keeps_nothing_and_says_why(memory_document):
    user = make_user("translator", ["ko"])  # may not write English: refused in the worker too
    job = runner.job_start(
        kind="pretranslate",
        task=translation_tasks.pretranslate_task,
        actor=user,
        document=memory_document,
        language="en",
    )
    assert runner.run(job.pk, translation_tasks.pretranslate_work) == "failed"
    job.refresh_from_db()
    assert job.error_code == "forbidden_action" and job.error
    assert not Translation.objects.filter(document=memory_document).exists()
