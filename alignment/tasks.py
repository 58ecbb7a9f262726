"""Alignment as a background job: a paste above ``WORKBENCH_JOB_ALIGN_THRESHOLD`` characters is
previewed or applied by a worker, not inside the web request. The job aligns up to
``WORKBENCH_JOB_ALIGN_FACTOR`` times the limits of a request, and an apply is one transaction with the
job's final state: cancelled or killed, nothing of it is kept."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from alignment import services
from alignment.api.serializers import PlannedUnitSerializer
from alignment.limits import check_paste
from corpus import permissions
from corpus.models import Document
from jobs import runner
from jobs.models import Job

ALIGNMENT = "alignment"


def in_background(text: str) -> bool:
    return len(text) > settings.WORKBENCH_JOB_ALIGN_THRESHOLD


def alignment_start(
    *, document: Document, language: str, text: str, mode: str, replace_submitted: bool, actor
) -> Job:
    """Queue a preview or an apply; the permission and the (job-sized) limits are checked now."""
    permissions.ensure(permissions.can_write(actor, language))
    check_paste(document=document, language=language, text=text, factor=settings.WORKBENCH_JOB_ALIGN_FACTOR)
    return runner.job_start(
        kind=f"{ALIGNMENT}-{mode}",
        task=alignment_task,
        actor=actor,
        document=document,
        language=language,
        params={"mode": mode, "replace_submitted": replace_submitted},
        payload=text.encode(),
    )


def alignment_work(job: Job, progress: runner.Progress) -> dict:
    progress.start(0, phase="aligning")
    plan = services.alignment_plan(
        document=job.document,
        language=job.language,
        text=bytes(job.payload).decode(),
        replace_submitted=job.params.get("replace_submitted", False),
    )
    progress.check()
    if job.params.get("mode") == "apply":
        summary = services.alignment_apply(
            plan=plan, actor=job.started_by, progress=progress, batch_size=settings.WORKBENCH_JOB_BATCH
        )
        return {"mode": "apply", "language": plan.language, "summary": summary}
    units = PlannedUnitSerializer(plan.units, many=True).data
    return {"mode": "preview", "language": plan.language, "summary": plan.summary(), "units": units}


@task()
def alignment_task(job_id: int) -> str:
    return runner.run(job_id, alignment_work)
