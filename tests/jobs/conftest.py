import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from corpus.models import MemoryUnit
from memory.tm import unit_fields
from tests.factories import make_document
from tests.workbench.test_production_plain_http import database_url

ROOT = Path(__file__).resolve().parents[2]


def worker_env(**extra) -> dict:
    """The environment of a worker process on the test database (system or embedded server)."""
    return {**os.environ, "DATABASE_URL": database_url(), "TEST_DATABASE_NAME": "", **extra}


def start_worker(*args: str, **env) -> subprocess.Popen:
    """A worker process (its output in ``worker.log``, a file, read on failure)."""
    log = tempfile.NamedTemporaryFile("w+", prefix="worker-", suffix=".log", delete=False)  # noqa: SIM115
    with log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "jobs_worker", "--interval", "0.1", *args],
            cwd=ROOT,
            env=worker_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker.log = log.name
    return worker


def finished(worker: subprocess.Popen, timeout: float = 120) -> bool:
    """The worker exited cleanly (its log shown otherwise)."""
    code = worker.wait(timeout=timeout)
    assert code == 0, Path(worker.log).read_text()[-3000:]
    return True


def wait_for(predicate, timeout: float = 60, step: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


@pytest.fixture
def memory_document(transactional_db):
    """A document whose segments all have 100% memory matches in English."""
    document = make_document()
    for segment in document.segments.all():
        MemoryUnit.objects.create(
            language="en",
            origin=MemoryUnit.Origin.TMX,
            **unit_fields(segment.text, f"English of {segment.text}"),
        )
    return document
