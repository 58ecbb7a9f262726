"""Finding 5: an XML import never opens a local file named in its DOCTYPE. Any DOCTYPE with a SYSTEM or
PUBLIC id is refused with the same message whether the file exists or not, and the parser's resolver
loads nothing even when the byte scan cannot see the DOCTYPE (UTF-16)."""

from __future__ import annotations

import pytest

from corpus.errors import InvalidInput
from exchange.formats import FormatError
from exchange.formats.readers import read_tmx, read_xliff
from exchange.glossary_io import parse_tbx

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx {ids}>
<tmx version="1.4"><header srclang="zh"/><body>
<tu><tuv xml:lang="zh"><seg>你好</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>
</body></tmx>"""
XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff {ids}>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="zh" trgLang="en">
<file id="f"><unit id="1"><segment><source>你好</source><target>Hello</target></segment></unit></file>
</xliff>"""
TBX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif {ids}>
<martif type="TBX" xml:lang="zh"><text><body>
<termEntry><langSet xml:lang="zh"><tig><term>全球化</term></tig></langSet>
<langSet xml:lang="en"><tig><term>globalization</term></tig></langSet></termEntry>
</body></text></martif>"""


def read(kind: str, text: str):
    data = text.encode()
    if kind == "tbx":
        return parse_tbx(data, ["en"])
    reader = read_tmx if kind == "tmx" else read_xliff
    return reader(data, source_lang="zh", target_lang="en")


@pytest.fixture
def local_file(tmp_path):
    path = tmp_path / "secret.dtd"
    path.write_text("this is not a DTD: libxml2 would complain about its content if it opened it\n")
    return path


@pytest.mark.parametrize("kind,template", [("tmx", TMX), ("xliff", XLIFF), ("tbx", TBX)])
@pytest.mark.parametrize("id_kind", ["SYSTEM", "PUBLIC"])
def test_a_doctype_naming_a_file_is_refused_the_same_whether_it_exists_or_not(
    kind, template, id_kind, local_file, tmp_path
):
    messages = []
    for path in (local_file, tmp_path / "missing.dtd", "/etc/shadow"):
        ids = f'SYSTEM "file://{path}"' if id_kind == "SYSTEM" else f'PUBLIC "-//x//y" "file://{path}"'
        with pytest.raises((FormatError, InvalidInput)) as refused:
            read(kind, template.format(ids=ids))
        message = str(refused.value)
        assert "external DTD" in message, message
        messages.append(message.replace(str(path), "PATH"))
    assert len(set(messages)) == 1, messages  # nothing tells whether the file exists


def test_a_plain_doctype_without_ids_is_still_accepted():
    (unit,) = read("tmx", TMX.format(ids=""))
    assert (unit.source_text, unit.target_text) == ("你好", "Hello")


def test_the_resolver_loads_nothing_even_when_the_byte_scan_cannot_see_the_doctype(local_file):
    """UTF-16 hides the DOCTYPE from the byte scan: libxml2 itself must not open the named file."""
    text = TMX.format(ids=f'SYSTEM "file://{local_file}"').replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.encode("utf-16")
    with pytest.raises(FormatError) as refused:
        read_tmx(data, source_lang="zh", target_lang="en")
    message = str(refused.value)
    assert "external DTD" in message and "external subset" not in message, message


@pytest.mark.django_db
def test_the_import_api_refuses_it_and_imports_nothing(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from corpus.models import Translation
    from tests.factories import api_client, make_document, make_user

    document = make_document("你好。\n")
    client = api_client(make_user("editor", username="xml_editor"))
    missing = tmp_path / "missing.dtd"
    upload = SimpleUploadedFile("x.tmx", TMX.format(ids=f'SYSTEM "file://{missing}"').encode())
    response = client.post(
        f"/api/v1/documents/{document.pk}/imports/",
        {"file": upload, "format": "tmx", "language": "en"},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "external DTD" in response.json()["error"]["message"]
    assert not Translation.objects.filter(document=document).exists()
