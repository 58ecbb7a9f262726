"""Reads of jobs shared by the browser page and the API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from corpus import permissions
from jobs.models import Job


def visible_jobs(user):
    """The jobs ``user`` may see: their own; editors see all."""
    jobs = Job.objects.select_related("started_by").defer("payload")
    return jobs if permissions.is_editor(user) else jobs.filter(started_by=user)


def job_for(user, pk: int) -> Job:
    """One visible job (404 otherwise)."""
    return get_object_or_404(visible_jobs(user), pk=pk)


def percent(job: Job) -> int | None:
    if job.state == Job.State.DONE:
        return 100
    return round(100 * job.done / job.total) if job.total else None
