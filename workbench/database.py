"""Where the database is: ``DATABASE_URL`` when set, otherwise an embedded PostgreSQL.

The embedded server comes from the ``pgserver`` package (PostgreSQL 16 binaries in a wheel) and
keeps its cluster in ``.pgdata/`` of the checkout, so a machine with no PostgreSQL installed still
runs the workbench and its tests on the real engine. pgserver counts the processes that use the
cluster and stops the server when the last one exits.
"""

from __future__ import annotations

import os
from pathlib import Path

EMBEDDED_DATABASE = "workbench"


def embedded_database_url(data_dir: Path) -> str:
    # pgserver keeps its lock file in the user runtime directory; a root shell often has none set.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / ".pgdata-run"))
    runtime_dir = Path(os.environ["XDG_RUNTIME_DIR"])
    runtime_dir.mkdir(exist_ok=True)
    if runtime_dir.stat().st_uid == os.getuid():
        runtime_dir.chmod(0o700)
    import pgserver  # imported lazily: only needed when no DATABASE_URL is given

    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    return server.get_uri(EMBEDDED_DATABASE)


def database_url(base_dir: Path) -> str:
    return os.environ.get("DATABASE_URL") or embedded_database_url(base_dir / ".pgdata")
