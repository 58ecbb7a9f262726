"""Imports as background jobs: a TMX file into the memory, a TBX/CSV glossary, and a source document,
each above ``WORKBENCH_JOB_IMPORT_THRESHOLD`` bytes (or when asked). The file travels in the job's
payload; each import is all or nothing, as in the request."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from corpus import permissions
from corpus.languages import validate_language
from exchange import glossary_io, memory_io, sources
from jobs import runner
from jobs.models import Job

MEMORY_IMPORT = "memory-import"
GLOSSARY_IMPORT = "glossary-import"
SOURCE_IMPORT = "source-import"


def in_background(size: int, *, asked: bool = False) -> bool:
    return asked or size > settings.WORKBENCH_JOB_IMPORT_THRESHOLD


def memory_import_start(*, data: bytes, language: str, actor) -> Job:
    validate_language(language)
    permissions.ensure(permissions.can_review(actor, language))
    return runner.job_start(
        kind=MEMORY_IMPORT, task=memory_import_task, actor=actor, language=language, payload=data
    )


def memory_import_work(job: Job, progress: runner.Progress) -> dict:
    units = memory_io.memory_import_tmx(
        data=bytes(job.payload), language=job.language, actor=job.started_by, progress=progress
    )
    return {"units": units}


@task()
def memory_import_task(job_id: int) -> str:
    return runner.run(job_id, memory_import_work)


def glossary_import_start(*, data: bytes, format: str, actor) -> Job:
    if not permissions.is_editor(actor):
        permissions.ensure(permissions.deny("Only editors manage the glossary."))
    return runner.job_start(
        kind=GLOSSARY_IMPORT, task=glossary_import_task, actor=actor, params={"format": format}, payload=data
    )


def glossary_import_work(job: Job, progress: runner.Progress) -> dict:
    return glossary_io.glossary_import(
        data=bytes(job.payload), format=job.params["format"], actor=job.started_by, progress=progress
    )


@task()
def glossary_import_task(job_id: int) -> str:
    return runner.run(job_id, glossary_import_work)


def source_import_start(*, data: bytes, file_name: str, title: str, actor) -> Job:
    permissions.ensure(permissions.can_import(actor))
    return runner.job_start(
        kind=SOURCE_IMPORT,
        task=source_import_task,
        actor=actor,
        params={"file_name": file_name, "title": title},
        payload=data,
    )


def source_import_work(job: Job, progress: runner.Progress) -> dict:
    progress.start(0, phase="segmenting")
    result = sources.document_import(
        data=bytes(job.payload),
        file_name=job.params["file_name"],
        title=job.params["title"],
        actor=job.started_by,
    )
    progress.check()
    return {
        "document": result.document.pk,
        "created": result.created,
        "segments": result.segments,
        "translations": result.translations,
    }


@task()
def source_import_task(job_id: int) -> str:
    return runner.run(job_id, source_import_work)
