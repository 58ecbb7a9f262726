"""Quick fault tests: an export cancelled mid-stream leaves no transaction or cursor behind, and a save
whose database connection dies midway leaves the old version whole (503, never half a write).

The slow ones (a gunicorn worker SIGKILLed mid-save, a cancelled download through gunicorn, a
PostgreSQL restart under load) are in bench/faults.py and bench/load.py --restart-db.
"""

import functools

import psycopg2
import pytest
from django.db import connection

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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("export_format", "cursor_name"),
    [("tsv", "workbench_export_tsv"), ("tmx", "workbench_export_tmx"), ("xliff", "workbench_export")],
)
def test_an_export_cancelled_mid_stream_leaves_no_transaction_or_cursor(
    client, monkeypatch, export_format, cursor_name
):
    from exchange import exports

    # Many small fetches and chunks: the stream is cut while the server-side cursor is open.
    monkeypatch.setattr(exports, "FETCH", 2)
    monkeypatch.setattr(exports, "XML_CHUNK", 2)
    for name in ("tmx", "xliff"):
        monkeypatch.setitem(exports.WRITERS, name, functools.partial(exports.WRITERS[name], chunk_size=2))
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
        # Mid-stream the snapshot transaction and the server-side cursor are open: the checks see them.
        assert cursor_name in own_cursors()
        assert connection.in_atomic_block
        assert idle_in_transaction(other) == 1

        response.close()  # what the WSGI server does when the client goes away

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
