"""Translation use cases as background jobs: pre-translation and re-assessment of a whole document."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from corpus import permissions
from corpus.languages import validate_language
from corpus.models import Document
from jobs import runner
from jobs.models import Job
from translations.pretranslate import document_pretranslate
from translations.reassess import document_reassess

PRETRANSLATE = "pretranslate"


def pretranslate_in_background(*, document: Document, language: str, actor, background: bool = False) -> bool:
    """Whether this pre-translation leaves the request: asked for, or a document above the threshold."""
    return background or document.segment_count > settings.WORKBENCH_JOB_SEGMENTS_THRESHOLD


def pretranslate_start(*, document: Document, language: str, actor) -> Job:
    validate_language(language)
    permissions.ensure(permissions.can_write(actor, language))  # refused now, not in the worker
    return runner.job_start(
        kind=PRETRANSLATE, task=pretranslate_task, actor=actor, document=document, language=language
    )


def pretranslate_work(job: Job, progress: runner.Progress) -> dict:
    return document_pretranslate(
        document=job.document,
        language=job.language,
        actor=job.started_by,
        progress=progress,
        batch_size=settings.WORKBENCH_JOB_BATCH,
    )


@task()
def pretranslate_task(job_id: int) -> str:
    return runner.run(job_id, pretranslate_work)


REASSESS = "reassess"


def reassess_start(*, document: Document, language: str, actor) -> Job:
    validate_language(language)
    permissions.ensure(permissions.can_review(actor, language))
    return runner.job_start(
        kind=REASSESS, task=reassess_task, actor=actor, document=document, language=language
    )


def reassess_work(job: Job, progress: runner.Progress) -> dict:
    return document_reassess(
        document=job.document,
        language=job.language,
        actor=job.started_by,
        progress=progress,
        batch_size=settings.WORKBENCH_JOB_BATCH,
    )


@task()
def reassess_task(job_id: int) -> str:
    return runner.run(job_id, reassess_work)
