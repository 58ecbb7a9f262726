"""TSV, TMX, XLIFF and JSONL exports are formatted by PostgreSQL and the en-ko pivot is one SQL query, for
speed; the files must be exactly the bytes the format library's writers give for the same units, and
the pivot's units exactly those of ``exchange.exports.pivot_units``, whatever the text and the spans."""

import random
import re

import pytest
from django.db import transaction
from django.utils import timezone

from corpus.models import Translation
from exchange import exports
from exchange.formats import WRITERS
from tests.factories import make_document, make_user
from translations import services

HOSTILE = [
    "Tab\there, newline\nthere, CR\rand a backslash \\ end \\n \\t",
    "<script>alert(1)</script> & “quotes” 'single' \"double\" > ]]> &amp; — 한국어",
    "  spaces kept inside  ",
    "a control \x01, \x08, \x0b, \x0c, \x1f character, and \ufffe \uffff",
    "non-BMP: 😀 𠀀 𝄞, a lone \\ at the end\\",
]
# What differs between two runs of one export: the file's creation date.
CREATED = re.compile(rb'(creationdate|date)="[0-9TZ:-]+"')


def writer_bytes(request, cursor):
    source_lang, target_lang = request.languages
    with transaction.atomic():  # the writer path reads through a named cursor, inside a transaction
        return b"".join(
            WRITERS[request.format](
                exports.units(request),
                source_lang=source_lang,
                target_lang=target_lang,
                cursor=cursor,
                tool_version=exports._tool_version(),
            )
        )


def both_paths(**parameters) -> tuple[bytes, bytes]:
    request = exports.export_request(**parameters)
    stream = exports.stream_export(request)
    cursor = next(stream)
    fast = b"".join(stream)
    return CREATED.sub(b"", fast), CREATED.sub(b"", writer_bytes(request, cursor))


def hostile_documents(language_sets):
    """Two documents with hostile titles and texts; Korean groups two segments into one span."""
    translator = make_user("translator", ["en", "ko"], username="sql_formats")
    documents = []
    for number, title in enumerate(['Ti\tt<&>"l\\e\n', "Second 😀 \x01"]):
        document = make_document(
            f"标题{number}\n第一句\t有&制表符。第二句<反斜杠>。\n第三段。\n第四段。\n第五段\\。\n",
            title=title,
        )
        for language in language_sets:
            position = 0
            for index, text in enumerate(["Title", *HOSTILE]):
                last = position + 1 if language == "ko" and index == 2 else position
                if last > 5:
                    break
                services.translation_create(
                    document=document,
                    language=language,
                    first_position=position,
                    last_position=last,
                    text=f"{language}{number} {text}",
                    actor=translator,
                    submit=index % 2 == 1,
                )
                position = last + 1
        documents.append(document)
    # A time with no microseconds: Python's isoformat then writes no fraction.
    one = Translation.objects.filter(document=documents[0]).order_by("pk").first()
    Translation.objects.filter(pk=one.pk).update(updated_at=timezone.now().replace(microsecond=0))
    return documents


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pair", ["zh-en", "zh-ko", "en-ko"])
@pytest.mark.parametrize("export_format", ["tsv", "tmx", "xliff", "jsonl"])
def test_sql_formatted_exports_equal_the_writers(pair, export_format):
    documents = hostile_documents(["en", "ko"])
    fast, slow = both_paths(pair=pair, format=export_format, status="any")
    assert fast == slow
    units = fast.count(b"\n<tu ") if export_format == "tmx" else fast.count(b"<trans-unit ")
    if export_format in ("tsv", "jsonl"):  # a header line, a trailer line
        units = fast.count(b"\n") - 1
    # Six English spans a document, five Korean (one covers 2-3); en-ko pairs English 2 and 3 with it.
    assert units == (12 if pair == "zh-en" else 10)
    # One document alone, and the submitted units only: still the writer's bytes.
    fast, slow = both_paths(pair=pair, format=export_format, status="submitted", documents=[documents[1].pk])
    assert fast == slow


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pair", ["zh-en", "en-ko"])
@pytest.mark.parametrize("export_format", ["tsv", "tmx", "xliff", "jsonl"])
def test_sql_formatted_exports_of_nothing_equal_the_writers(pair, export_format):
    fast, slow = both_paths(pair=pair, format=export_format, status="any")
    assert fast == slow
    assert b"<trans-unit" not in fast and b"<tu " not in fast


def random_spans(rng: random.Random, size: int) -> list[tuple[int, int]]:
    """Non-overlapping spans of 1-3 segments over ``size`` positions, some positions left out."""
    spans, position = [], 0
    while position < size:
        if rng.random() < 0.15:
            position += 1
            continue
        last = min(size - 1, position + rng.choice([0, 0, 0, 1, 2]))
        spans.append((position, last))
        position = last + 1
    return spans


@pytest.mark.django_db(transaction=True)
def test_the_sql_pivot_gives_the_units_of_pivot_units():
    rng = random.Random(18)
    translator = make_user("translator", ["en", "ko"], username="sql_pivot")
    size = 150
    document = make_document("标题\n" + "".join(f"第{n}句。" for n in range(1, size)) + "\n")
    layouts = {language: random_spans(rng, size) for language in ("en", "ko")}
    for language, spans in layouts.items():
        for first, last in spans:
            services.translation_create(
                document=document,
                language=language,
                first_position=first,
                last_position=last,
                text=f"{language}{first}-{last}",
                actor=translator,
            )

    def span_list(language):
        return [
            exports.Span(first, last, f"{language}{first}-{last}", "draft", 1, None, True)
            for first, last in layouts[language]
        ]

    expected = [
        (first, last, " ".join(s.text for s in en), " ".join(s.text for s in ko))
        for first, last, en, ko in exports.pivot_units(span_list("en"), span_list("ko"))
    ]
    request = exports.export_request(pair="en-ko", format="jsonl", status="any")
    with transaction.atomic():
        got = [
            (u.first_position, u.last_position, u.source_text, u.target_text) for u in exports.units(request)
        ]
    assert got == expected
    assert len(expected) >= 20  # the layout has units to find, and gaps that break others
