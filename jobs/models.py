"""A background job as users see it: who started it, its state, progress, result or error, times.

The queue itself (which worker runs what, retries of the task) is django-tasks' table; this row is
the workbench's own record, the one the browser and ``/api/v1/jobs/{id}/`` show. Inputs too large
for the task's JSON arguments (a pasted book, a TMX file) are kept in ``payload``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"
        CANCELLED = "cancelled"

    FINISHED = (State.DONE, State.FAILED, State.CANCELLED)

    kind = models.CharField(max_length=40)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey("corpus.Document", null=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, blank=True)
    params = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField(default=b"", blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    phase = models.CharField(max_length=60, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed", "cancelled"]),
                name="jobs_job_state_valid",
            ),
        ]
        # the reaper and /ready/ look only at unfinished jobs
        indexes = [
            models.Index(
                fields=["state"],
                name="jobs_job_unfinished",
                condition=models.Q(state__in=["queued", "running"]),
            )
        ]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind}, {self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED
