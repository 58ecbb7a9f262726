"""Quick fault tests: an export cancelled mid-stream leaves no transaction or cursor behind, and a save
whose database connection dies midway leaves the old version whole (503, never half a write).

The slow ones (a gunicorn worker SIGKILLed mid-save, a cancelled download through gunicorn, a
PostgreSQL restart under load) are in bench/faults.py and bench/load.py --restart-db.
"""

import functools
import threading

import psycopg2
import pytest
from django.db import connection, transaction

from corpus import tokens
from corpus.models import Revision, Translation
from tests.factories import make_document, make_user
from translations import kernel, services


def other_connection():
    """A second connection to the test database, to look at the app's connection from outside."""
    connection.ensure_connection()
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    other.autocommit = True
    return other


def idle_in_transaction(other) -> int:
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
        )
        return cursor.fetchone()[0]


def own_cursors() -> list[str]:
    """Cursors of the app's connection (pg_cursors shows only the session's own)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_cursors ORDER BY name")
        return [row[0] for row in cursor.fetchall()]


def copy_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name == "workbench-export-copy"]


def backend_states(other) -> list[tuple[str, str]]:
    """(state, first word of the query) of the other backends of the test database."""
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT state, split_part(query, ' ', 1) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("export_format", ["tsv", "tmx", "xliff", "jsonl", "xliff2"])
def test_an_export_cancelled_mid_stream_leaves_no_transaction_or_cursor(client, monkeypatch, export_format):
    from exchange import exports

    # Small chunks and fetches: the stream is cut while the COPY (TSV, TMX, XLIFF, JSONL) or the
    # server-side cursor (XLIFF 2.0, through the writer) is still open.
    monkeypatch.setattr(exports, "FETCH", 2)
    monkeypatch.setattr(exports, "COPY_CHUNK", 16)
    monkeypatch.setitem(exports.WRITERS, "xliff2", functools.partial(exports.WRITERS["xliff2"], chunk_size=2))
    document = make_document(
        "标题\n"
        + "".join(f"第{n}句话。" for n in range(12))
        + "\n"
        + "".join(f"{n}번째 문장." for n in range(12))
        + "\n"
    )
    translator = make_user("translator", ["en"], username="faults_tr")
    for position in range(1, 12):
        services.translation_create(
            document=document,
            language="en",
            first_position=position,
            text=f"Sentence {position}.",
            actor=translator,
        )
    reader = make_user("editor", ["en", "ko"], username="faults_reader")
    _, key = tokens.token_create(user=reader, name="faults")
    other = other_connection()
    try:
        response = client.get(
            f"/api/v1/exports/?pair=zh-en&format={export_format}&status=any",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code == 200 and response.streaming
        chunks = iter(response.streaming_content)
        received = next(chunks) + next(chunks)
        assert received
        # Mid-stream the snapshot transaction is open, and the COPY's thread or the cursor with it.
        assert connection.in_atomic_block
        assert idle_in_transaction(other) == 1
        if export_format == "xliff2":
            assert "workbench_export" in own_cursors()
        else:  # the COPY's thread has the connection: nothing else may use it meanwhile
            assert copy_threads() == ["workbench-export-copy"]

        response.close()  # what the WSGI server does when the client goes away

        assert copy_threads() == []
        assert own_cursors() == []
        assert not connection.in_atomic_block
        assert connection.connection.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
        assert idle_in_transaction(other) == 0
        # The connection is fit for writes again (not stuck in the read-only snapshot).
        current = Translation.objects.get(document=document, language="en", first_position=1)
        saved = client.patch(
            f"/api/v1/translations/{current.pk}/",
            {"text": "After the cancelled export.", "version": current.version},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {make_token(translator)}",
        )
        assert saved.status_code == 200, saved.content
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_copy_stream_closed_while_postgresql_still_sends_is_cancelled():
    from exchange import exports

    other = other_connection()
    try:
        with pytest.raises(GeneratorExit), transaction.atomic():
            # 400 MB of lines: PostgreSQL is still sending (its socket full) when the reader goes away.
            stream = exports.copy_lines("SELECT repeat('x', 2000) FROM generate_series(1, 200000)", [])
            assert next(stream).startswith(b"x" * 2000 + b"\n")
            assert ("active", "COPY") in backend_states(other)
            stream.close()
            assert copy_threads() == []
            assert ("active", "COPY") not in backend_states(other)
            # Cancelled, not read to the end: the transaction is aborted and only waits for its rollback.
            status = connection.connection.get_transaction_status()
            assert status == psycopg2.extensions.TRANSACTION_STATUS_INERROR
            raise GeneratorExit  # leave the aborted transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        other.close()


def make_token(user) -> str:
    return tokens.token_create(user=user, name="faults")[1]


@pytest.mark.django_db(transaction=True)
def test_a_save_whose_connection_dies_midway_is_a_503_and_leaves_the_old_version(client, monkeypatch):
    document = make_document()
    translator = make_user("translator", ["en"], username="faults_saver")
    translation = services.translation_create(
        document=document, language="en", first_position=0, text="The old text.", actor=translator
    )
    key = make_token(translator)
    original_record = kernel._revision
    killed = []

    def record_after_the_backend_died(current, action, actor, *args, **kwargs):
        # The UPDATE of the translation is done; the revision is not written yet: the worker's database
        # connection dies here, as when the worker is killed mid-save.
        if action == Revision.Action.EDIT and not killed:
            pid = connection.connection.get_backend_pid()
            other = other_connection()
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
                    killed.append(cursor.fetchone()[0])
            finally:
                other.close()
        return original_record(current, action, actor, *args, **kwargs)

    monkeypatch.setattr(kernel, "_revision", record_after_the_backend_died)
    client.raise_request_exception = False  # as in production
    url = f"/api/v1/translations/{translation.pk}/"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = client.patch(
        url, {"text": "The new text.", "version": 1}, content_type="application/json", **auth
    )
    assert killed == [True]
    assert response.status_code == 503, response.content
    assert response.json()["error"]["code"] == "database_unavailable"
    assert "nothing was changed" in response.json()["error"]["message"]

    translation.refresh_from_db()
    assert (translation.version, translation.text) == (1, "The old text.")
    assert list(translation.revisions.values_list("version", "text")) == [(1, "The old text.")]

    # The app recovers without a restart: the same save again succeeds on the same version.
    response = client.patch(
        url, {"text": "The new text.", "version": 1}, content_type="application/json", **auth
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    translation.refresh_from_db()
    assert (translation.version, translation.text) == (2, "The new text.")
    assert sorted(translation.revisions.values_list("version", "text")) == [
        (1, "The old text."),
        (2, "The new text."),
    ]
