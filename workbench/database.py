"""Where the database is: ``DATABASE_URL`` when set, otherwise an embedded PostgreSQL.

The embedded server comes from the ``pgserver`` package (PostgreSQL 16 binaries in a wheel) and
keeps its cluster in ``.pgdata/`` of the checkout, so a machine with no PostgreSQL installed still
runs the workbench and its tests on the real engine. pgserver lists the processes that use the
cluster in ``.pgdata/.handle_pids.json`` and stops the server when the last one exits. A process
that dies without running its exit handlers (SIGKILL, a crash) stays on that list, and the server
would then never stop again: dead processes are pruned from the list when a process attaches and
again when it exits, and SIGTERM ends a process through its exit handlers.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from pathlib import Path

EMBEDDED_DATABASE = "workbench"
HANDLE_PIDS_FILE = ".handle_pids.json"


def embedded_database_url(data_dir: Path) -> str:
    # pgserver keeps its lock file in the user runtime directory; a root shell often has none set.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / ".pgdata-run"))
    runtime_dir = Path(os.environ["XDG_RUNTIME_DIR"])
    runtime_dir.mkdir(exist_ok=True)
    if runtime_dir.stat().st_uid == os.getuid():
        runtime_dir.chmod(0o700)
    import pgserver  # imported lazily: only needed when no DATABASE_URL is given

    prune_dead_holders(data_dir)
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    # atexit runs last-registered first: this prune runs just before pgserver's own exit handler
    # (registered in get_server), so a clean exit after a crashed neighbour still stops the server.
    atexit.register(prune_dead_holders, data_dir)
    exit_cleanly_on_sigterm()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    return server.get_uri(EMBEDDED_DATABASE)


def prune_dead_holders(data_dir: Path) -> list[int]:
    """Drops the processes that no longer run from pgserver's list of the cluster's users, under
    pgserver's own inter-process lock; returns the pids dropped."""
    import fasteners
    import psutil
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    holders = DiskList(Path(data_dir).expanduser().resolve() / HANDLE_PIDS_FILE)
    with fasteners.InterProcessLock(PostgresServer.lock_path):
        pids = holders.get()
        dead = [pid for pid in pids if not _running(pid, psutil)]
        if dead:
            holders.put([pid for pid in pids if pid not in dead])
    return dead


def _running(pid: int, psutil) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def exit_cleanly_on_sigterm() -> None:
    """SIGTERM's default action ends the process without its exit handlers, leaving it on pgserver's
    list; exit through them instead. Servers that handle SIGTERM themselves (gunicorn) keep theirs."""
    if threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    ):
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _exit_on_sigterm(signum, frame) -> None:
    sys.exit(128 + signum)


def database_url(base_dir: Path) -> str:
    return os.environ.get("DATABASE_URL") or embedded_database_url(base_dir / ".pgdata")
