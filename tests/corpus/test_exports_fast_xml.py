"""The zh-X TMX export's units are formatted by PostgreSQL for speed; the file must be exactly the
bytes of the format library's TMX writer, whatever the text holds."""

import re
from importlib.metadata import version

import pytest
from django.db import transaction
from django.utils import timezone

from corpus.models import Translation
from exchange import exports
from exchange.formats import write_tmx
from tests.factories import make_document, make_user
from translations import services

TRICKY = [
    "Tab\there, newline\nthere, CR\rand a backslash \\ end",
    "<script>alert(1)</script> & “quotes” 'single' \"double\" > — 한국어 😀",
    "  spaces kept inside  ",
    "a control \x01 and \x1f character, and \ufffe",
]
CREATED = re.compile(rb'creationdate="[0-9TZ]+"')


def writer_bytes(request, cursor):
    source_lang, target_lang = request.languages
    return b"".join(
        write_tmx(
            exports.units(request),
            source_lang=source_lang,
            target_lang=target_lang,
            cursor=cursor,
            tool_version=f"workbench/django-{version('django')}",
        )
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_fast_tmx_equals_the_writer(language):
    document = make_document(
        "标题\n第一句\t有&制表符。第二句<反斜杠>。\n第三段。\n第四段。\n", title="Ti\tt<&>le"
    )
    translator = make_user("translator", username=f"tmx_{language}")
    for position, text in enumerate(TRICKY):
        services.translation_create(
            document=document, language=language, first_position=position + 1, text=text, actor=translator
        )
    services.translation_create(
        document=document, language=language, first_position=0, text="Title", actor=translator
    )
    one = Translation.objects.get(document=document, language=language, first_position=1)
    Translation.objects.filter(pk=one.pk).update(updated_at=timezone.now().replace(microsecond=0))
    request = exports.export_request(pair=f"zh-{language}", format="tmx", status="any")
    stream = exports.stream_export(request)
    cursor = next(stream)
    fast = b"".join(stream)
    assert fast.count(b"<tu ") == 1 + len(TRICKY)
    with transaction.atomic():  # the writer path reads through a named cursor, inside a transaction
        slow = writer_bytes(request, cursor)
    assert CREATED.sub(b"", fast) == CREATED.sub(b"", slow)


@pytest.mark.django_db(transaction=True)
def test_fast_tmx_of_nothing_equals_the_writer():
    request = exports.export_request(pair="zh-en", format="tmx", status="any")
    stream = exports.stream_export(request)
    cursor = next(stream)
    fast = b"".join(stream)
    with transaction.atomic():
        slow = writer_bytes(request, cursor)
    assert CREATED.sub(b"", fast) == CREATED.sub(b"", slow)
