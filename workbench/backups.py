"""Backups with PostgreSQL's own pg_dump and pg_restore (custom format), for the embedded and an
external server alike. The client tools come from the pgserver package (PostgreSQL 16, which can dump
and restore servers 9.2 and newer) and fall back to the ones on PATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings


class BackupError(RuntimeError):
    pass


def tool(name: str) -> str:
    import importlib.util

    spec = importlib.util.find_spec("pgserver")  # located without importing it (no side effects)
    if spec is not None and spec.submodule_search_locations:
        bundled = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found (install the PostgreSQL client tools).")
    return found


def connection_env(database: str | None = None) -> dict[str, str]:
    db = settings.DATABASES["default"]
    options = db.get("OPTIONS") or {}
    env = {**os.environ}
    for key, value in (
        ("PGHOST", db.get("HOST") or options.get("host")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", database or db.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: {message[-1] if message else result.returncode}")


def backup(path: Path) -> Path:
    """Write the whole database to ``path`` (pg_dump custom format, consistent snapshot)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
        connection_env(),
    )
    return path


# A plain PostgreSQL identifier: pg_restore would read anything with "=" or a URI scheme as a connection
# string, and CREATE DATABASE would take it as a name (a database called "postgres://...").
DATABASE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def restore(path: Path, *, database: str | None = None) -> str:
    """Restore ``path`` into ``database`` (default: the configured one), replacing what is there.
    A database that does not exist yet is created, and dropped again when the restore fails."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file.")
    if database is not None and not DATABASE_NAME.fullmatch(database):
        raise BackupError(
            f"{database[:80]!r} is not a database name: give a plain name such as workbench_restored "
            "(letters, digits and underscores, at most 63, not starting with a digit)."
        )
    name = database or settings.DATABASES["default"]["NAME"]
    created = _ensure_database(name)
    try:
        _run(
            [
                tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={name}",
                str(path),
            ],
            connection_env(name),
        )
    except BaseException:
        if created:
            _drop_database(name)
        raise
    return name


def _admin_connection():
    import psycopg2

    env = connection_env("postgres")
    connection = psycopg2.connect(
        dbname="postgres",
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
    )
    connection.autocommit = True
    return connection


def _ensure_database(name: str) -> bool:
    """Creates the database when it does not exist; True when it was created here."""
    from psycopg2 import sql

    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is not None:
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()


def _drop_database(name: str) -> None:
    from psycopg2 import sql

    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    finally:
        connection.close()
