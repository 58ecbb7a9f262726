"""Finding 14: ``bench/load.py --restart-db`` never stops a PostgreSQL server it did not start. With
DATABASE_URL set (somebody else's server, often the system's) it is refused before anything runs."""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def load(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # the bench scripts import their ``common`` module
    return importlib.import_module("bench.load")


@pytest.fixture
def no_subprocess(monkeypatch):
    calls = []

    def record(args, *rest, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setattr(subprocess, "run", record)
    return calls


def test_restart_db_with_database_url_is_refused_before_anything_runs(
    load, monkeypatch, no_subprocess, capsys
):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    monkeypatch.setattr("sys.argv", ["load.py", "--restart-db", "--seconds", "1"])

    def server_started(*args, **kwargs):
        raise AssertionError("the bench went on to use the server of DATABASE_URL")

    monkeypatch.setattr(load, "Server", server_started)
    with pytest.raises(SystemExit) as exited:
        load.main()
    assert exited.value.code == 2
    assert "DATABASE_URL" in capsys.readouterr().err
    assert no_subprocess == []


def test_a_server_the_bench_did_not_start_is_never_stopped_or_started(load, no_subprocess):
    server = object.__new__(load.Server)
    server.embedded = False  # the server of DATABASE_URL
    for operation in (server.stop, server.start):
        with pytest.raises(RuntimeError, match="refusing"):
            operation()
    assert no_subprocess == []
