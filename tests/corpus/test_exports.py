"""Export jobs: round trips through every format, en-ko pivot units, incremental cursors, errors.

Exports run in their own REPEATABLE READ transaction (``SET TRANSACTION`` cannot run inside the test's
atomic block), so these tests use ``transactional_db``.
"""

from __future__ import annotations

import json
import threading
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework.test import APIClient
from translate.storage import tmx, xliff

from corpus import tokens
from corpus.models import Segment, Translation
from exchange import exports
from exchange.formats import READERS, ImportedUnit
from exchange.imports import translations_import
from exchange.sources import document_import
from tests.factories import make_document, make_user
from translations import services

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1"
FORMATS = ("tmx", "xliff", "xliff2", "tsv", "jsonl")


# --- helpers ------------------------------------------------------------------------------------


def approved(document, language, first, last, text, author, reviewer) -> Translation:
    t = services.translation_create(
        document=document,
        language=language,
        first_position=first,
        last_position=last,
        text=text,
        actor=author,
    )
    t = services.translation_submit(translation=t, version=t.version, actor=author)
    # the export fixtures carry odd numbers on purpose: the reviewer confirms the findings
    return services.translation_approve(
        translation=t, version=t.version, actor=reviewer, acknowledge_findings=True
    )


def submitted(document, language, first, last, text, author) -> Translation:
    t = services.translation_create(
        document=document,
        language=language,
        first_position=first,
        last_position=last,
        text=text,
        actor=author,
    )
    return services.translation_submit(translation=t, version=t.version, actor=author)


def client_for(user) -> APIClient:
    client = APIClient()
    _, key = tokens.token_create(user=user, name="export-tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def api_export(client, **params):
    response = client.get(f"{API}/exports/", params)
    if response.status_code != 200:
        return response, None
    return response, b"".join(response.streaming_content)


def command_export(tmp_path, **options) -> tuple[bytes, str]:
    output = tmp_path / f"command-{len(list(tmp_path.iterdir()))}.out"
    err = StringIO()
    args = []
    for name, value in options.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            args += [f"--{name}", str(item)]
    call_command("export", *args, "--output", str(output), stderr=err)
    cursor = err.getvalue().strip().rsplit("next cursor: ", 1)[-1]
    return output.read_bytes(), cursor


def direct_export(**params) -> tuple[str, bytes]:
    stream = exports.stream_export(exports.export_request(**params))
    cursor = next(stream)
    return cursor, b"".join(stream)


def read_units(fmt: str, data: bytes, pair: str) -> list[ImportedUnit]:
    source, target = exports.PAIRS[pair]
    return READERS[fmt](data, source_lang=source, target_lang=target)


def span_texts(fmt: str, data: bytes, pair: str) -> dict[tuple[int, int], tuple[str, str]]:
    return {
        (u.first_position, u.last_position): (u.source_text, u.target_text)
        for u in read_units(fmt, data, pair)
    }


def source_of(document, first, last) -> str:
    return "".join(
        Segment.objects.filter(document=document, position__range=(first, last))
        .order_by("position")
        .values_list("text", flat=True)
    )


def live(document, language) -> list[tuple[int, int, str]]:
    return list(
        Translation.objects.filter(document=document, language=language, retired_at__isnull=True)
        .order_by("first_position")
        .values_list("first_position", "last_position", "text")
    )


def tsv_unit_ids(data: bytes) -> list[str]:
    lines = data.decode().splitlines()
    column = lines[0].split("\t").index("unit_id")
    return [line.split("\t")[column] for line in lines[1:]]


@pytest.fixture
def people(db):
    return {
        "en": make_user("translator", ["en"], username="tr_en"),
        "ko": make_user("translator", ["ko"], username="tr_ko"),
        "editor": make_user("editor", username="editor1"),
    }


@pytest.fixture
def translated_seed(people):
    """The seed document with approved en and ko spans (some covering 2 segments) and a few others."""
    from tests.factories import seed_document

    seed = seed_document()
    en, ko, editor = people["en"], people["ko"], people["editor"]
    spans = {
        "en": [(0, 0), (1, 2), (3, 3), (5, 6), (8, 8)],
        "ko": [(0, 1), (2, 2), (3, 4), (6, 6), (8, 8)],
    }
    for language, author in (("en", en), ("ko", ko)):
        for first, last in spans[language]:
            approved(seed, language, first, last, f"{language} text of {first}-{last}\tx\\y", author, editor)
    # Not approved: absent by default, present with status=any.
    submitted(seed, "en", 10, 10, "en submitted 10", en)
    submitted(seed, "ko", 10, 11, "ko submitted 10-11", ko)
    return seed, spans


# --- 1. round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", ["zh-en", "zh-ko"])
def test_round_trip_every_format_api_command_toolkit_and_import(translated_seed, people, tmp_path, pair):
    seed, spans = translated_seed
    language = exports.PAIRS[pair][1]
    editor = people["editor"]
    expected = {
        (first, last): (source_of(seed, first, last), f"{language} text of {first}-{last}\tx\\y")
        for first, last in spans[language]
    }
    client = client_for(editor)
    outputs = {}
    for fmt in FORMATS:
        response, data = api_export(client, pair=pair, format=fmt)
        assert response.status_code == 200, response
        assert response["X-Next-Cursor"].startswith("v1.")
        command_data, command_cursor = command_export(tmp_path, pair=pair, format=fmt)
        assert command_cursor.startswith("v1.")
        # Same units through the API and the command (bytes differ only in creation dates / cursor).
        assert read_units(fmt, data, pair) == read_units(fmt, command_data, pair)
        assert span_texts(fmt, data, pair) == expected, fmt
        if fmt == "tsv":
            assert data == command_data
        outputs[fmt] = data

    # The document id is the seed's in every unit; statuses and versions survive.
    for unit in read_units("jsonl", outputs["jsonl"], pair):
        assert unit.document_id == seed.pk
        assert unit.status == "approved"
        assert unit.target_version == 3  # created (1), submitted (2), approved (3)

    # An independent reader: translate-toolkit.
    tmx_store = tmx.tmxfile.parsestring(outputs["tmx"])
    assert sorted((str(u.source), str(u.target)) for u in tmx_store.units) == sorted(expected.values())
    xliff_store = xliff.xlifffile.parsestring(outputs["xliff"])
    units = [u for u in xliff_store.units if not u.isheader()]
    assert sorted((str(u.source), str(u.target)) for u in units) == sorted(expected.values())
    assert {u.getid().rsplit("\x04", 1)[-1] for u in units} == {
        f"d{seed.pk}:p{a}-{b}:{language}" for a, b in expected
    }
    assert all(u.isapproved() for u in units)

    # Import into fresh copies of the document (same segments, other bytes): same spans and text.
    seed_bytes = settings.WORKBENCH_SEED_PATH.read_bytes()
    for n, fmt in enumerate(FORMATS, start=1):
        copy = document_import(
            data=seed_bytes + b"\n" * n, file_name=f"copy-{fmt}.txt", title=f"Copy {fmt}"
        ).document
        assert copy.pk != seed.pk
        assert list(Segment.objects.filter(document=copy).order_by("position").values_list("text")) == list(
            Segment.objects.filter(document=seed).order_by("position").values_list("text")
        )
        before_copy = live(copy, language)
        report = translations_import(
            document=copy, data=outputs[fmt], format=fmt, language=language, actor=editor
        )
        assert report.unmatched == [] and report.conflicts == [], fmt
        assert report.created == report.matched == len(expected), fmt
        got = {(a, b): t for a, b, t in live(copy, language)}
        assert got == {span: texts[1] for span, texts in expected.items()} | {
            (a, b): t for a, b, t in before_copy
        }, fmt
        # Importing the same file again changes nothing.
        again = translations_import(
            document=copy, data=outputs[fmt], format=fmt, language=language, actor=editor
        )
        assert again.created == again.updated == 0 and again.unchanged == len(expected)


def test_status_any_and_lists(translated_seed, people):
    _, spans = translated_seed
    _, data = direct_export(pair="zh-en", format="jsonl", status="any")
    units = span_texts("jsonl", data, "zh-en")
    assert set(units) == {*spans["en"], (10, 10)}
    _, data = direct_export(pair="zh-en", format="jsonl", status="submitted")
    assert set(span_texts("jsonl", data, "zh-en")) == {(10, 10)}
    _, data = direct_export(pair="zh-en", format="jsonl", status="approved,submitted")
    assert set(span_texts("jsonl", data, "zh-en")) == {*spans["en"], (10, 10)}


# --- 2. en-ko pivot units -------------------------------------------------------------------------


def pivot_document():
    return make_document("标题一\n" + "".join(f"这是第{n}句话。" for n in range(1, 12)) + "\n", title="Pivot")


def test_pivot_units_group_english_and_korean_runs(people):
    doc = pivot_document()
    assert Segment.objects.filter(document=doc).count() == 12
    en, ko, editor = people["en"], people["ko"], people["editor"]
    for first, last in [(0, 1), (2, 2), (3, 3), (4, 4), (6, 6), (7, 8), (9, 9), (10, 10)]:
        approved(doc, "en", first, last, f"E{first}-{last}", en, editor)
    # ko: [0],[1-2] against en [0-1],[2] -> unit 0-2; [3] -> unit 3; nothing at 4 (gap) -> no unit;
    # [5] without en -> no unit; [6-7] against en [6],[7-8] and ko gap at 8 -> no unit; [9] -> unit 9;
    # [10] submitted -> only with status=any.
    for first, last in [(0, 0), (1, 2), (3, 3), (5, 5), (6, 7), (9, 9)]:
        approved(doc, "ko", first, last, f"K{first}-{last}", ko, editor)
    submitted(doc, "ko", 10, 10, "K10-10", ko)

    _, data = direct_export(pair="en-ko", format="jsonl")
    rows = [json.loads(line) for line in data.decode().splitlines()[:-1]]
    assert [(r["first_position"], r["last_position"]) for r in rows] == [(0, 2), (3, 3), (9, 9)]
    first = rows[0]
    assert (first["source_text"], first["target_text"]) == ("E0-1 E2-2", "K0-0 K1-2")
    assert (first["source_lang"], first["target_lang"]) == ("en", "ko")
    assert first["source_status"] == first["target_status"] == "approved"
    assert first["unit_id"] == f"d{doc.pk}:p0-2:en-ko"
    assert (first["source_version"], first["target_version"]) == (3, 3)

    _, data = direct_export(pair="en-ko", format="jsonl", status="any")
    rows = [json.loads(line) for line in data.decode().splitlines()[:-1]]
    spans = [(r["first_position"], r["last_position"]) for r in rows]
    assert spans == [(0, 2), (3, 3), (9, 9), (10, 10)]
    assert rows[-1]["target_status"] == "submitted" and rows[-1]["source_status"] == "approved"

    # A status filter on the source side too: an en span that is only submitted excludes its unit.
    t = Translation.objects.get(document=doc, language="en", first_position=9, retired_at__isnull=True)
    services.translation_reopen(translation=t, version=t.version, actor=editor)
    _, data = direct_export(pair="en-ko", format="tsv")
    assert tsv_unit_ids(data) == [f"d{doc.pk}:p0-2:en-ko", f"d{doc.pk}:p3-3:en-ko"]
    _, data = direct_export(pair="en-ko", format="tsv", status="submitted")
    assert tsv_unit_ids(data) == []  # 9: en submitted, ko approved: not all submitted
    _, data = direct_export(pair="en-ko", format="tsv", status="approved,submitted")
    assert tsv_unit_ids(data)[-2:] == [f"d{doc.pk}:p9-9:en-ko", f"d{doc.pk}:p10-10:en-ko"]


def test_pivot_mixed_status_unit_reports_the_least_advanced(people):
    doc = pivot_document()
    en, ko, editor = people["en"], people["ko"], people["editor"]
    approved(doc, "en", 0, 1, "E0-1", en, editor)
    approved(doc, "ko", 0, 0, "K0", ko, editor)
    submitted(doc, "ko", 1, 1, "K1", ko)
    _, data = direct_export(pair="en-ko", format="jsonl", status="any")
    (row,) = [json.loads(line) for line in data.decode().splitlines()[:-1]]
    assert (row["first_position"], row["last_position"]) == (0, 1)
    assert row["target_status"] == "submitted" and row["source_status"] == "approved"
    _, data = direct_export(pair="en-ko", format="jsonl")
    assert data.decode().splitlines() == [json.dumps({"next_cursor": None, "units": 0})] or (
        json.loads(data.decode().splitlines()[-1])["units"] == 0
    )


def test_pivot_units_pure_function():
    def spans(*ranges):
        return [exports.Span(a, b, f"{a}-{b}", "approved", 1, None, True) for a, b in ranges]

    got = [
        (a, b)
        for a, b, _, _ in exports.pivot_units(spans((0, 1), (2, 2), (3, 3)), spans((0, 0), (1, 2), (3, 3)))
    ]
    assert got == [(0, 2), (3, 3)]
    got = [
        (a, b)
        for a, b, _, _ in exports.pivot_units(spans((0, 0), (2, 3)), spans((0, 0), (1, 1), (2, 2), (3, 3)))
    ]
    assert got == [(0, 0), (2, 3)]
    got = [(a, b) for a, b, _, _ in exports.pivot_units(spans((0, 5)), spans((0, 1), (3, 5)))]
    assert got == []  # a gap in ko at 2
    got = [(a, b) for a, b, _, _ in exports.pivot_units(spans((1, 1), (2, 4)), spans((0, 1), (2, 2), (3, 4)))]
    assert got == [(2, 4)]


# --- 3. incremental exports -----------------------------------------------------------------------


def big_document(units: int, language: str = "en", status: str = "approved"):
    doc = make_document("标题\n" + "".join(f"第{n}句话讲到问题。" for n in range(units)) + "\n")
    now = timezone.now()
    Translation.objects.bulk_create(
        Translation(
            document=doc,
            language=language,
            first_position=p,
            last_position=p,
            text=f"Sentence {p} about a problem.",
            status=status,
            updated_at=now,
        )
        for p in range(1, units + 1)
    )
    return doc


def in_thread(function):
    """Run ``function`` in another thread with its own connection (committing on its own)."""
    errors = []

    def run():
        try:
            function()
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_change_committed_while_streaming_comes_in_the_next_export_exactly_once(people):
    doc = big_document(1500)
    en, editor = people["en"], people["editor"]
    new_unit = f"d{doc.pk}:p0-0:en"
    changed_unit = f"d{doc.pk}:p7-7:en"

    stream = exports.stream_export(exports.export_request(pair="zh-en", format="tsv"))
    cursor1 = next(stream)
    chunks = [next(stream), next(stream)]  # the header and the first 500 units: the query is running

    def change():
        with transaction.atomic():
            approved(doc, "en", 0, 0, "The title.", en, editor)
            Translation.objects.filter(document=doc, first_position=7).update(text="Changed seven.")

    try:
        thread, errors = in_thread(change)
        thread.join(30)
        assert not errors and not thread.is_alive()
        # This connection is still inside the export's snapshot: the committed change is invisible.
        assert Translation.objects.get(document=doc, first_position=7).text == "Sentence 7 about a problem."
        first = b"".join([*chunks, *stream])
    finally:
        stream.close()
    assert Translation.objects.get(document=doc, first_position=7).text == "Changed seven."
    ids = tsv_unit_ids(first)
    assert len(ids) == 1500
    assert new_unit not in ids
    assert b"Changed seven." not in first and b"Sentence 7 about a problem." in first

    cursor2, second = direct_export(pair="zh-en", format="tsv", since=cursor1)
    ids = tsv_unit_ids(second)
    assert sorted(ids) == sorted([new_unit, changed_unit])
    assert b"Changed seven." in second

    cursor3, third = direct_export(pair="zh-en", format="tsv", since=cursor2)
    assert tsv_unit_ids(third) == []
    _, fourth = direct_export(pair="zh-en", format="tsv", since=cursor3)
    assert tsv_unit_ids(fourth) == []


def test_transaction_in_progress_at_the_snapshot_comes_next_time(people):
    """A writer that began (and wrote) before the export's snapshot but commits after it."""
    doc = big_document(20)
    wrote, release = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            Translation.objects.filter(document=doc, first_position=3).update(text="Slow change.")
            wrote.set()
            assert release.wait(30)

    thread, errors = in_thread(slow_writer)
    assert wrote.wait(30)
    stream = exports.stream_export(exports.export_request(pair="zh-en", format="jsonl"))
    try:
        cursor1 = next(stream)
        release.set()
        thread.join(30)
        assert not errors
        first = b"".join(stream)
    finally:
        release.set()
        stream.close()
    assert b"Slow change." not in first and b"Sentence 3 about a problem." in first

    _, second = direct_export(pair="zh-en", format="jsonl", since=cursor1)
    rows = [json.loads(line) for line in second.decode().splitlines()]
    assert [r["unit_id"] for r in rows[:-1]] == [f"d{doc.pk}:p3-3:en"]
    assert rows[0]["target_text"] == "Slow change."
    assert rows[-1]["units"] == 1 and rows[-1]["next_cursor"].startswith("v1.")


def test_change_committed_before_the_export_is_not_in_the_since_export(people):
    doc = big_document(10)
    Translation.objects.filter(document=doc, first_position=2).update(text="Early change.")
    cursor1, first = direct_export(pair="zh-en", format="tsv")
    assert b"Early change." in first
    _, second = direct_export(pair="zh-en", format="tsv", since=cursor1)
    assert tsv_unit_ids(second) == []
    # ... and a change after it is.
    Translation.objects.filter(document=doc, first_position=4).update(text="Later change.")
    _, third = direct_export(pair="zh-en", format="tsv", since=cursor1)
    assert tsv_unit_ids(third) == [f"d{doc.pk}:p4-4:en"]


def test_pivot_since_takes_units_where_either_side_changed(people):
    doc = pivot_document()
    en, ko, editor = people["en"], people["ko"], people["editor"]
    for first in range(4):
        approved(doc, "en", first, first, f"E{first}", en, editor)
        approved(doc, "ko", first, first, f"K{first}", ko, editor)
    cursor, data = direct_export(pair="en-ko", format="tsv")
    assert len(tsv_unit_ids(data)) == 4
    Translation.objects.filter(document=doc, language="ko", first_position=2).update(text="K2 changed")
    Translation.objects.filter(document=doc, language="en", first_position=3).update(text="E3 changed")
    _, data = direct_export(pair="en-ko", format="tsv", since=cursor)
    assert tsv_unit_ids(data) == [f"d{doc.pk}:p2-2:en-ko", f"d{doc.pk}:p3-3:en-ko"]


def test_api_and_command_cursors_chain(people, tmp_path):
    doc = big_document(5)
    client = client_for(people["editor"])
    response, data = api_export(client, pair="zh-en", format="tsv")
    cursor = response["X-Next-Cursor"]
    assert len(tsv_unit_ids(data)) == 5
    Translation.objects.filter(document=doc, first_position=1).update(text="Again.")
    data, command_cursor = command_export(tmp_path, pair="zh-en", format="tsv", since=cursor)
    assert tsv_unit_ids(data) == [f"d{doc.pk}:p1-1:en"]
    response, data = api_export(client, pair="zh-en", format="tsv", since=command_cursor)
    assert response.status_code == 200 and tsv_unit_ids(data) == []
    # The cursor is inside the XML and JSONL files too.
    response, data = api_export(client, pair="zh-en", format="tmx")
    assert response["X-Next-Cursor"].encode() in data
    response, data = api_export(client, pair="zh-en", format="jsonl")
    assert json.loads(data.decode().splitlines()[-1])["next_cursor"] == response["X-Next-Cursor"]


# --- 4. filters and errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"pair": "zh-de", "format": "tsv"}, "pair", "Unknown pair 'zh-de'"),
        ({"format": "tsv"}, "pair", "Unknown pair ''"),
        ({"pair": "zh-en", "format": "csv"}, "format", "Unknown format 'csv'"),
        ({"pair": "zh-en", "format": "tsv", "status": "final"}, "status", "Unknown status 'final'"),
        ({"pair": "zh-en", "format": "tsv", "status": ","}, "status", "Unknown status"),
        ({"pair": "zh-en", "format": "tsv", "document": "abc"}, "document", "numeric ids"),
        ({"pair": "zh-en", "format": "tsv", "document": "999999"}, "document", "No document with id 999999"),
        ({"pair": "zh-en", "format": "tsv", "document": "-1"}, "document", "No document with id -1"),
        ({"pair": "zh-en", "format": "tsv", "document": "9" * 20}, "document", "No document with id"),
        ({"pair": "zh-en", "format": "tsv", "since": "garbage"}, "since", "not one this workbench returned"),
        ({"pair": "zh-en", "format": "tsv", "since": "v1.!!!!"}, "since", "damaged"),
        ({"pair": "zh-en", "format": "tsv", "since": "v1.//8="}, "since", "damaged"),
        ({"pair": "zh-en", "format": "tsv", "since": exports.encode_cursor("abc")}, "since", "damaged"),
        # Well-formed to the eye but not a snapshot PostgreSQL accepts (xmin > xmax, xip out of range,
        # out of range for bigint): refused up front, not a 500 in the middle of the stream.
        ({"pair": "zh-en", "format": "tsv", "since": exports.encode_cursor("20:10:")}, "since", "damaged"),
        ({"pair": "zh-en", "format": "tsv", "since": exports.encode_cursor("10:20:30")}, "since", "damaged"),
        ({"pair": "zh-en", "format": "tsv", "since": exports.encode_cursor("0:20:")}, "since", "damaged"),
        (
            {"pair": "zh-en", "format": "tsv", "since": exports.encode_cursor("1:99999999999999999999:")},
            "since",
            "damaged",
        ),
    ],
)
def test_bad_parameters_are_400_validation_errors(people, params, field, message):
    make_document()
    response = client_for(people["en"]).get(f"{API}/exports/", params)
    assert response.status_code == 400, getattr(response, "streaming_content", response)
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert message in error["message"]
    assert error["detail"]["field"] == field


def test_command_reports_bad_parameters(tmp_path):
    with pytest.raises(CommandError, match="damaged"):
        command_export(tmp_path, pair="zh-en", format="tsv", since="v1.!!!!")
    with pytest.raises(CommandError, match="999999"):
        command_export(tmp_path, pair="zh-en", format="tsv", document=999999)


def test_anonymous_and_bad_token_are_401(people):
    response = APIClient().get(f"{API}/exports/", {"pair": "zh-en", "format": "tsv"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer wb_not-a-token")
    assert client.get(f"{API}/exports/", {"pair": "zh-en", "format": "tsv"}).status_code == 401


def test_documents_filter(people):
    one, two, three = big_document(3), big_document(4), big_document(2)
    client = client_for(people["ko"])
    _, data = api_export(client, pair="zh-en", format="tsv")
    assert len(tsv_unit_ids(data)) == 9
    _, data = api_export(client, pair="zh-en", format="tsv", document=[two.pk])
    assert {i.split(":")[0] for i in tsv_unit_ids(data)} == {f"d{two.pk}"}
    assert len(tsv_unit_ids(data)) == 4
    response, data = api_export(client, pair="zh-en", format="tsv", document=[one.pk, three.pk])
    assert response.status_code == 200
    assert {i.split(":")[0] for i in tsv_unit_ids(data)} == {f"d{one.pk}", f"d{three.pk}"}
    # Units come in document order, then position order.
    ids = tsv_unit_ids(data)
    assert ids == [f"d{one.pk}:p{p}-{p}:en" for p in (1, 2, 3)] + [f"d{three.pk}:p{p}-{p}:en" for p in (1, 2)]
    _, data = api_export(client, pair="zh-ko", format="tsv", document=[two.pk])
    assert tsv_unit_ids(data) == []
    assert response["Content-Disposition"] == 'attachment; filename="workbench-zh-en.tsv"'
    assert response["Content-Type"].startswith("text/tab-separated-values")


# --- 5. streaming -------------------------------------------------------------------------------


def test_api_streams_a_large_export_in_many_chunks(people):
    big_document(4000)
    response = client_for(people["en"]).get(f"{API}/exports/", {"pair": "zh-en", "format": "tmx"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) >= 8
    assert max(len(c) for c in chunks) < len(b"".join(chunks)) / 4
    units = read_units("tmx", b"".join(chunks), "zh-en")
    assert len(units) == 4000
    assert [u.first_position for u in units] == list(range(1, 4001))


def test_closing_the_stream_early_ends_the_transaction(people):
    big_document(3000)
    stream = exports.stream_export(exports.export_request(pair="zh-en", format="tsv"))
    try:
        next(stream)
        next(stream)
        next(stream)
        assert connection.in_atomic_block
    finally:
        stream.close()
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:  # the connection is usable and not in a transaction
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone()[0] == 0
