"""Finding 9: ``restore --database`` takes a plain database name only (a connection string used to
become an odd database name), and a failed restore drops the database it created."""

from __future__ import annotations

import secrets

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


def exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.fixture
def dump(tmp_path):
    path = tmp_path / "broken.dump"
    path.write_bytes(b"PGDMP" + secrets.token_bytes(2000))  # the magic number, then garbage
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "postgres://postgres@127.0.0.1:5432/elsewhere",
        "dbname=elsewhere host=127.0.0.1",
        "1starts_with_a_digit",
        "has space",
        "x" * 64,
    ],
)
def test_restore_refuses_a_database_that_is_not_a_plain_name(dump, name):
    with pytest.raises(CommandError, match="is not a database name"):
        call_command("restore", str(dump), database=name)
    assert not exists(name)


@pytest.mark.django_db
def test_a_failed_restore_drops_the_database_it_created(dump):
    fresh = f"test_restore_fail_{secrets.token_hex(4)}"
    with pytest.raises(CommandError):
        call_command("restore", str(dump), database=fresh)
    assert not exists(fresh)


@pytest.mark.django_db
def test_a_failed_restore_keeps_a_database_that_was_there(dump):
    existing = connection.settings_dict["NAME"]
    with pytest.raises(CommandError):
        call_command("restore", str(dump), database=existing)
    assert exists(existing)
