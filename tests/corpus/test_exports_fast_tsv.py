"""The TSV export is formatted by PostgreSQL for speed; it must give exactly the bytes of the
format library's TSV writer, whatever the text holds."""

import pytest
from django.db import transaction
from django.utils import timezone

from corpus.models import Translation
from exchange import exports
from exchange.formats import write_tsv
from tests.factories import make_document, make_user
from translations import services

TRICKY = [
    "Tab\there, newline\nthere, CR\rand a backslash \\ end",
    "<script>alert(1)</script> & “quotes” 'single' — 한국어 😀",
    "  spaces kept inside  ",
]


def writer_bytes(request, cursor):
    source_lang, target_lang = request.languages
    return b"".join(
        write_tsv(
            exports.units(request),
            source_lang=source_lang,
            target_lang=target_lang,
            cursor=cursor,
            tool_version="t",
        )
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_fast_tsv_equals_the_writer(language):
    document = make_document("标题\n第一句\t有制表符。第二句\\反斜杠。\n第三段。\n", title="Ti\tt\\le")
    translator = make_user("translator", username=f"tsv_{language}")
    for position, text in enumerate(TRICKY):
        services.translation_create(
            document=document, language=language, first_position=position + 1, text=text, actor=translator
        )
    whole = Translation.objects.get(document=document, language=language, first_position=1)
    # a timestamp with no microseconds formats without a fraction, as Python's isoformat does
    Translation.objects.filter(pk=whole.pk).update(updated_at=timezone.now().replace(microsecond=0))
    request = exports.export_request(pair=f"zh-{language}", format="tsv", status="any")
    stream = exports.stream_export(request)
    cursor = next(stream)
    fast = b"".join(stream)
    assert fast.count(b"\n") == 1 + len(TRICKY)
    with transaction.atomic():  # the writer path reads through a named cursor, inside a transaction
        slow = writer_bytes(request, cursor)
    assert fast == slow
