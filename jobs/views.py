"""The job page: a progress bar that htmx refreshes twice a second until the job has finished."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jobs import runner
from jobs.models import Job
from jobs.selectors import job_for, percent


def context(request, pk: int) -> dict:
    job = runner.settle(job_for(request.user, pk))
    result = job.result if isinstance(job.result, dict) else {}
    summary = result.get("summary") if isinstance(result.get("summary"), dict) else result
    shown = {key: value for key, value in summary.items() if not isinstance(value, list | dict)}
    document = result.get("document") if job.state == Job.State.DONE else None
    link = reverse("editor:editor", args=[document]) if isinstance(document, int) else ""
    return {"job": job, "percent": percent(job), "summary": shown, "document_link": link}


@require_GET
def job_view(request, pk: int):
    return render(request, "jobs/job.html", context(request, pk))


@require_GET
def job_progress(request, pk: int):
    """The progress fragment htmx polls (it stops polling once the job has finished)."""
    return render(request, "jobs/job.html#progress", context(request, pk))


@require_POST
def job_cancel(request, pk: int):
    job = job_for(request.user, pk)
    if not job.finished:
        runner.cancel(job)
    return render(request, "jobs/job.html#progress", context(request, pk))
