import secrets

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from corpus.models import Document, Revision, Translation
from tests.factories import make_user, seed_document
from translations import services
from workbench.backups import connection_env


def counts(cursor) -> tuple[int, int, int, int]:
    cursor.execute(
        "SELECT (SELECT count(*) FROM corpus_document), (SELECT count(*) FROM corpus_segment),"
        " (SELECT count(*) FROM corpus_translation), (SELECT count(*) FROM corpus_revision)"
    )
    return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_everything(tmp_path):
    seed = seed_document()
    translator = make_user("translator", username="bk_tr")
    editor = make_user("editor", username="bk_ed")
    for position in range(3):
        t = services.translation_create(
            document=seed,
            language="en",
            first_position=position,
            text=f"Sentence {position}.",
            actor=translator,
        )
        t = services.translation_submit(translation=t, version=t.version, actor=translator)
        services.translation_approve(translation=t, version=t.version, actor=editor)
    with connection.cursor() as cursor:
        expected = counts(cursor)
    assert expected[0] == Document.objects.count() == 1
    assert expected[2] == Translation.objects.count() and expected[3] == Revision.objects.count() >= 10

    dump = tmp_path / "workbench.dump"
    call_command("backup", str(dump))
    assert dump.stat().st_size > 10_000
    fresh = f"test_restore_{secrets.token_hex(4)}"
    call_command("restore", str(dump), database=fresh)
    env = connection_env(fresh)
    restored = psycopg2.connect(
        dbname=fresh, host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER")
    )
    try:
        with restored.cursor() as cursor:
            assert counts(cursor) == expected
            cursor.execute(
                "SELECT text, status, version FROM corpus_translation WHERE language = %s ORDER BY first_position",
                ["en"],
            )
            assert cursor.fetchall() == [(f"Sentence {p}.", "approved", 3) for p in range(3)]
            # the database's own invariants came back too
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE conname = 'translation_spans_do_not_overlap'"
            )
            assert cursor.fetchone() == (1,)
    finally:
        restored.close()
        admin = psycopg2.connect(
            dbname="postgres", host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER")
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{fresh}"')
        admin.close()


@pytest.mark.django_db
def test_restore_of_a_missing_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "nope.dump"), database="test_never_created")
