"""The bilingual exchange format library: round trips, an independent reader, streaming, hostile input."""

from __future__ import annotations

import gc
import json
import resource
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from lxml import etree
from translate.storage import tmx as tt_tmx
from translate.storage import xliff as tt_xliff
from translate.storage import xliff2 as tt_xliff2

from exchange.formats import (
    CONTENT_TYPES,
    EXTENSIONS,
    READERS,
    TSV_COLUMNS,
    WRITERS,
    ExportUnit,
    FormatError,
    ImportedUnit,
    read_tmx,
    read_tsv,
    read_xliff,
)

FORMATS = ["tmx", "xliff", "xliff2", "tsv", "jsonl"]
WHEN = datetime(2024, 5, 1, 12, 30, 45, 123456, tzinfo=UTC)

TRICKY = [
    "第一句。\t制表符\n换行\r回车",
    '<script>alert("x & y")</script> &amp; &lt; ]]> \'single\' "double"',
    "  leading and trailing  spaces, double  inside  ",
    "反斜杠 C:\\new\\table \\t \\n \\\\ 不是转义",
    "한국어 문장입니다. 이모지 😀🎉 and 中文混合",
    "🀄 astral: 𠀀𪚥 \u200b zero width, \u00a0 nbsp, \u2028 line sep",
    "",
]


def make_units(source_lang: str = "zh", target_lang: str = "en") -> list[ExportUnit]:
    """Units over two documents with every tricky text on both sides and every status."""
    units = []
    statuses = ["approved", "submitted", "draft", "rejected", "draft"]
    for i, text in enumerate(TRICKY):
        document_id = 12 if i < 4 else 13
        first = i * 2
        last = first + (i % 2)
        status = statuses[i % len(statuses)]
        target = "" if i == 2 else TRICKY[(i + 1) % len(TRICKY)]  # unit 2: an empty draft
        if status in ("approved", "submitted") and not target:
            target = "non-empty"
        source = text or "源文本"  # source segments are never empty
        from_translation = source_lang != "zh"
        units.append(
            ExportUnit(
                document_id=document_id,
                document_title=f'文档 <{document_id}> & "title"\twith tab' if document_id == 12 else "Doc 13",
                first_position=first,
                last_position=last,
                source_lang=source_lang,
                target_lang=target_lang,
                source_text=source,
                target_text=target,
                source_status="approved" if from_translation else None,
                target_status=status,
                source_version=7 if from_translation else None,
                target_version=i + 1,
                changed_at=WHEN.replace(second=i),
                unit_id=f"d{document_id}:p{first}-{last}:{target_lang}",
            )
        )
    return units


def expected(unit: ExportUnit, fmt: str) -> ImportedUnit:
    changed_at = unit.changed_at.replace(microsecond=0) if fmt == "tmx" else unit.changed_at
    return ImportedUnit(
        source_text=unit.source_text,
        target_text=unit.target_text,
        document_id=unit.document_id,
        first_position=unit.first_position,
        last_position=unit.last_position,
        status=unit.target_status,
        unit_id=unit.unit_id,
        document_title=unit.document_title,
        source_status=unit.source_status,
        source_version=unit.source_version,
        target_version=unit.target_version,
        changed_at=changed_at,
    )


def export(fmt: str, units, source_lang="zh", target_lang="en", cursor="c:42", **kwargs) -> bytes:
    return b"".join(
        WRITERS[fmt](
            units,
            source_lang=source_lang,
            target_lang=target_lang,
            cursor=cursor,
            tool_version="9.9",
            **kwargs,
        )
    )


# --- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("source_lang", "target_lang"), [("zh", "en"), ("zh", "ko"), ("en", "ko")])
def test_round_trip_gives_identical_units(fmt, source_lang, target_lang):
    units = make_units(source_lang, target_lang)
    data = export(fmt, units, source_lang, target_lang, chunk_size=2)
    read = READERS[fmt](data, source_lang=source_lang, target_lang=target_lang)
    assert read == [expected(unit, fmt) for unit in units]
    assert all(unit.line for unit in read)


@pytest.mark.parametrize("fmt", FORMATS)
def test_chunking_does_not_change_the_bytes(fmt):
    units = make_units()
    when = datetime(2025, 1, 1, tzinfo=UTC)
    whole = export(fmt, units, chunk_size=10_000, created_at=when)
    chunks = list(
        WRITERS[fmt](
            units,
            source_lang="zh",
            target_lang="en",
            cursor="c:42",
            tool_version="9.9",
            chunk_size=1,
            created_at=when,
        )
    )
    assert b"".join(chunks) == whole
    assert len(chunks) >= len(units)
    assert all(isinstance(chunk, bytes) for chunk in chunks)
    whole.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_export_is_a_valid_empty_file(fmt):
    data = export(fmt, [])
    if fmt == "tsv":
        assert data.decode() == "\t".join(TSV_COLUMNS) + "\n"
    elif fmt == "jsonl":
        assert json.loads(data) == {"next_cursor": "c:42", "units": 0}
    else:
        etree.fromstring(data)
        assert READERS[fmt] is not None


def test_registry_is_consistent():
    assert set(WRITERS) == set(READERS) == set(CONTENT_TYPES) == set(EXTENSIONS) == set(FORMATS)
    assert CONTENT_TYPES["tsv"].startswith("text/tab-separated-values")
    assert EXTENSIONS["tmx"] == ".tmx"


def test_writers_refuse_units_of_another_language_pair():
    units = make_units("zh", "ko")
    for fmt in FORMATS:
        with pytest.raises(ValueError, match="zh->ko"):
            export(fmt, units, "zh", "en")


# --- layout: cursor, statuses, TMX/XLIFF details --------------------------------------------------


def test_tmx_layout_and_cursor_in_header():
    data = export("tmx", make_units(), created_at=datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC))
    root = etree.fromstring(data)
    header = root.find("header")
    assert header.get("srclang") == "zh"
    assert header.get("segtype") == "sentence"
    assert header.get("creationtool") == "translation-workbench"
    assert header.get("creationtoolversion") == "9.9"
    assert header.get("datatype") == "plaintext"
    assert header.get("o-tmf") and header.get("adminlang")
    assert header.get("creationdate") == "20250203T040506Z"
    assert header.findtext("prop[@type='x-next-cursor']") == "c:42"
    tus = root.findall("body/tu")
    assert tus[0].get("tuid") == "d12:p0-0:en"
    assert tus[0].get("segtype") is None
    assert tus[1].get("segtype") == "block"
    assert tus[0].get("changedate") == "20240501T123000Z"
    assert [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tus[0].findall("tuv")] == [
        "zh",
        "en",
    ]
    assert tus[0].findtext("tuv[2]/prop[@type='x-status']") == "approved"
    assert etree.fromstring(export("tmx", [], cursor=None)).find("header/prop[@type='x-next-cursor']") is None


def test_xliff12_layout_states_and_cursor():
    units = make_units()
    root = etree.fromstring(export("xliff", units))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2", "tw": "urn:x-translation-workbench:exchange:1"}
    files = root.findall("x:file", ns)
    assert [f.get("original") for f in files] == [units[0].document_title, "Doc 13"]
    assert files[0].get("source-language") == "zh" and files[0].get("target-language") == "en"
    assert files[0].get("datatype") == "plaintext"
    assert files[0].findtext("x:header/tw:next-cursor", namespaces=ns) == "c:42"
    assert files[1].find("x:header/tw:next-cursor", ns) is None
    states = {
        tu.get("id"): (tu.find("x:target", ns).get("state"), tu.get("approved"))
        for tu in root.iterfind(".//x:trans-unit", ns)
    }
    assert states == {
        "d12:p0-0:en": ("final", "yes"),
        "d12:p2-3:en": ("needs-review-translation", None),
        "d12:p4-4:en": ("needs-translation", None),  # draft, empty
        "d12:p6-7:en": ("needs-translation", None),  # rejected
        "d13:p8-8:en": ("translated", None),  # draft with text
        "d13:p10-11:en": ("final", "yes"),
        "d13:p12-12:en": ("needs-review-translation", None),
    }
    assert etree.fromstring(export("xliff", [], cursor=None)).find(".//tw:next-cursor", ns) is None


def test_xliff2_layout_states_and_cursor():
    root = etree.fromstring(export("xliff2", make_units()))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mda": "urn:oasis:names:tc:xliff:metadata:2.0"}
    assert (root.get("srcLang"), root.get("trgLang"), root.get("version")) == ("zh", "en", "2.0")
    assert (
        root.findtext("x:file[1]/mda:metadata/mda:metaGroup/mda:meta[@type='next-cursor']", namespaces=ns)
        == "c:42"
    )
    states = [(s.get("state"), s.get("subState")) for s in root.iterfind(".//x:segment", ns)]
    assert states[:4] == [
        ("final", "tw:approved"),
        ("translated", "tw:submitted"),
        ("initial", "tw:draft"),
        ("initial", "tw:rejected"),
    ]


def test_jsonl_trailer_and_tsv_without_cursor():
    lines = export("jsonl", make_units()).decode().splitlines()
    assert json.loads(lines[-1]) == {"next_cursor": "c:42", "units": len(TRICKY)}
    assert json.loads(export("jsonl", [], cursor=None)) == {"next_cursor": None, "units": 0}
    assert "中文" in lines[4] and "\\u" not in lines[4]  # ensure_ascii=False
    tsv = export("tsv", make_units()).decode()
    assert "c:42" not in tsv
    assert tsv.splitlines()[0].split("\t") == list(TSV_COLUMNS)
    assert tsv.count("\n") == len(TRICKY) + 1  # embedded newlines are escaped
    assert "C:\\\\new\\\\table \\\\t" in tsv


def test_xml_illegal_control_characters_are_replaced_in_xml_but_kept_in_tsv():
    unit = replace(make_units()[0], source_text="bell\x07 vt\x0b", target_text="nul-free \x1f")
    for fmt in ("tmx", "xliff", "xliff2"):
        (read,) = READERS[fmt](export(fmt, [unit]), source_lang="zh", target_lang="en")
        assert read.source_text == "bell\ufffd vt\ufffd"
        assert read.target_text == "nul-free \ufffd"
    (read,) = read_tsv(export("tsv", [unit]), source_lang="zh", target_lang="en")
    assert read.source_text == "bell\x07 vt\x0b"


# --- an independent reader: translate-toolkit -------------------------------------------------------


def test_translate_toolkit_reads_our_tmx():
    units = make_units()
    store = tt_tmx.tmxfile.parsestring(export("tmx", units))
    assert [(u.source, u.target) for u in store.units] == [(u.source_text, u.target_text) for u in units]
    assert [u.getid() for u in store.units] == [u.unit_id for u in units]


def test_translate_toolkit_reads_our_xliff12():
    units = make_units()
    store = tt_xliff.xlifffile.parsestring(export("xliff", units))
    assert [(u.source, u.target or "") for u in store.units] == [
        (u.source_text, u.target_text) for u in units
    ]
    assert store.getsourcelanguage() == "zh" and store.gettargetlanguage() == "en"
    approved = [u.isapproved() for u in store.units]
    assert approved == [u.target_status == "approved" for u in units]


def test_translate_toolkit_reads_our_xliff2():
    units = make_units()
    store = tt_xliff2.Xliff2File.parsestring(export("xliff2", units))
    assert [(u.source, u.target or "") for u in store.units] == [
        (u.source_text, u.target_text) for u in units
    ]
    assert [u.getid() for u in store.units] == [u.unit_id for u in units]


# --- reading files from elsewhere ---------------------------------------------------------------------


def test_read_foreign_tmx_with_doctype_region_tags_and_inline_markup():
    data = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx>
<tmx version="1.4"><header srclang="ZH-cn" segtype="sentence" o-tmf="x" adminlang="en"
 creationtool="other" creationtoolversion="1" datatype="html"/>
<body>
<tu><tuv xml:lang="zh-Hans"><seg>你好<ph>&lt;br/&gt;</ph>世界</seg></tuv>
    <tuv xml:lang="EN-us"><seg>Hello <hi>world</hi></seg></tuv></tu>
<tu><tuv xml:lang="ko-KR"><seg>안녕</seg></tuv><tuv xml:lang="en_GB"><seg>Hi</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>只有中文</seg></tuv></tu>
</body></tmx>""".encode()
    units = read_tmx(data, source_lang="zh", target_lang="en")
    assert [(u.source_text, u.target_text) for u in units] == [
        ("你好<br/>世界", "Hello world"),
        ("只有中文", ""),
    ]
    assert units[0].document_id is None and units[0].status is None and units[0].line == 6
    (ko,) = read_tmx(data, source_lang="ko", target_lang="en")
    assert (ko.source_text, ko.target_text) == ("안녕", "Hi")


def test_xliff12_status_follows_a_cat_tool_that_changed_the_state():
    unit = make_units()[1]  # submitted
    data = export("xliff", [unit]).replace(b'state="needs-review-translation"', b'state="signed-off"')
    (read,) = read_xliff(data, source_lang="zh", target_lang="en")
    assert read.status == "approved"  # the stale x-status context does not win
    rejected = make_units()[3]
    (read,) = read_xliff(export("xliff", [rejected]), source_lang="zh", target_lang="en")
    assert read.status == "rejected"  # untouched state: the exact status from the context


def test_read_foreign_xliff12_without_namespace_or_target():
    data = b"""<?xml version="1.0"?>
<xliff version="1.1"><file original="a.txt" source-language="zh-CN" datatype="plaintext">
<body><group><trans-unit id="1"><source>\xe4\xbd\xa0<g id="1">\xe5\xa5\xbd</g></source></trans-unit>
<trans-unit id="2" approved="yes"><source>A</source><target xml:lang="en-US">B</target></trans-unit></group></body>
</file></xliff>"""
    units = read_xliff(data, source_lang="zh", target_lang="en")
    assert [(u.source_text, u.target_text, u.status, u.unit_id) for u in units] == [
        ("你好", "", None, "1"),
        ("A", "B", "approved", "2"),
    ]


def test_read_tsv_from_a_spreadsheet():
    data = "\ufeffzh\ten-US\tnote\r\n源\\t文\tsource\\ttext\tC:\\dir\r\n\r\n".encode()
    (unit,) = read_tsv(data, source_lang="zh", target_lang="en")
    assert (unit.source_text, unit.target_text, unit.line) == ("源\t文", "source\ttext", 2)
    with pytest.raises(FormatError, match="line 2 has 2 fields"):
        read_tsv(b"source\ttarget\tx\na\tb\n", source_lang="zh", target_lang="en")
    with pytest.raises(FormatError, match="needs a 'source' and a 'target' column"):
        read_tsv(b"de\tfr\na\tb\n", source_lang="zh", target_lang="en")


# --- hostile and broken input --------------------------------------------------------------------------

XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="zh"/><body><tu><tuv xml:lang="zh"><seg>&e;</seg></tuv>
<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xliff version="1.2"><file source-language="zh" target-language="en" original="x" datatype="plaintext">
<body><trans-unit id="1"><source>&lol9;</source></trans-unit></body></file></xliff>"""

UTF16_XXE = (
    '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE tmx [<!ENTITY e "boom">]>\n'
    '<tmx version="1.4"><header srclang="zh"/><body><tu><tuv xml:lang="zh"><seg>&e;</seg></tuv></tu></body></tmx>'
).encode("utf-16")


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        (read_tmx, XXE, r"DOCTYPE declares entities \(line 2\)"),
        (read_xliff, XXE.replace(b"<tmx", b"<xliff").replace(b"</tmx>", b"</xliff>"), "declares entities"),
        (read_xliff, LAUGHS, r"declares entities \(line 3\)"),
        (read_tmx, UTF16_XXE, "declares entities"),
        (
            read_tmx,
            b'<!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4"><header srclang="zh"/><body><tu>'
            b'<tuv xml:lang="zh"><seg>&undeclared;</seg></tuv></tu></body></tmx>',
            "entit",
        ),
    ],
)
def test_entities_are_refused(reader, data, message):
    with pytest.raises(FormatError, match=message):
        reader(data, source_lang="zh", target_lang="en")


def test_entity_mentioned_in_text_is_not_a_false_alarm():
    unit = replace(make_units()[0], source_text="<!DOCTYPE x [<!ENTITY e 'x'>]> as text")
    for fmt in ("tmx", "xliff", "xliff2"):
        (read,) = READERS[fmt](export(fmt, [unit]), source_lang="zh", target_lang="en")
        assert read.source_text == unit.source_text
    cdata = export("tmx", [unit]).replace(
        b"&lt;!DOCTYPE x [&lt;!ENTITY e 'x'&gt;]&gt;", b"<![CDATA[<!DOCTYPE x [<!ENTITY e 'x'>]>]]>"
    )
    assert b"<![CDATA[<!DOCTYPE" in cdata
    (read,) = read_tmx(cdata, source_lang="zh", target_lang="en")
    assert read.source_text == unit.source_text


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "xliff2"])
def test_truncated_xml_says_where(fmt):
    data = export(fmt, make_units())
    cut = data[: data.index(b"<", len(data) // 2)]
    with pytest.raises(FormatError, match=r"malformed .* \(line \d+, column \d+\)") as caught:
        READERS[fmt](cut, source_lang="zh", target_lang="en")
    assert caught.value.line > 1


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "xliff2", "tsv", "jsonl"])
def test_latin1_bytes_are_refused_with_the_offset(fmt):
    data = export(fmt, [replace(make_units()[0], target_text="ok")])
    position = data.index(b"ok")
    bad = data[:position] + "café".encode("latin-1") + data[position + 2 :]
    with pytest.raises(
        FormatError, match=rf"not valid UTF-8: byte 0xE9 at offset {position + 3} \(line \d+\)"
    ):
        READERS[fmt](bad, source_lang="zh", target_lang="en")


def test_xml_in_a_declared_legacy_encoding_is_read():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><tmx version="1.4"><header srclang="en"/><body><tu>'
    data += (
        '<tuv xml:lang="en"><seg>café</seg></tuv><tuv xml:lang="ko"><seg>카페</seg></tuv></tu></body></tmx>'
    )
    data = data.replace("카페", "&#52852;&#54168;")
    (unit,) = read_tmx(data.encode("latin-1"), source_lang="en", target_lang="ko")
    assert (unit.source_text, unit.target_text) == ("café", "카페")


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_language_is_refused(fmt):
    data = export(fmt, make_units("zh", "en"))
    with pytest.raises(FormatError, match="de"):
        READERS[fmt](data, source_lang="de", target_lang="fr")


def test_tmx_with_only_german_and_french():
    data = b"""<tmx version="1.4"><header srclang="de"/><body><tu><tuv xml:lang="de"><seg>Hallo</seg></tuv>
<tuv xml:lang="fr"><seg>Salut</seg></tuv></tu></body></tmx>"""
    with pytest.raises(FormatError, match=r"no text in zh or en \(languages in the file: de, fr\)"):
        read_tmx(data, source_lang="zh", target_lang="en")
    with pytest.raises(FormatError, match=r"no text in en \(languages in the file: de, fr\)"):
        read_tmx(data, source_lang="de", target_lang="en")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("data", [b"", b"  \n\t ", b"\xef\xbb\xbf\n"])
def test_empty_file_is_refused(fmt, data):
    with pytest.raises(FormatError, match="empty"):
        READERS[fmt](data, source_lang="zh", target_lang="en")


def test_wrong_root_element_and_bad_numbers():
    with pytest.raises(FormatError, match="not a TMX file: the root element is <xliff>"):
        read_tmx(export("xliff", make_units()), source_lang="zh", target_lang="en")
    with pytest.raises(FormatError, match="not an XLIFF file"):
        read_xliff(export("tmx", make_units()), source_lang="zh", target_lang="en")
    data = export("tmx", make_units()[:1]).replace(b'"x-document-id">12<', b'"x-document-id">twelve<')
    with pytest.raises(FormatError, match=r"x-document-id must be an integer, got 'twelve' \(line 5\)"):
        read_tmx(data, source_lang="zh", target_lang="en")
    with pytest.raises(FormatError, match="JSONL line 1"):
        READERS["jsonl"](b"{not json\n", source_lang="zh", target_lang="en")


# --- streaming --------------------------------------------------------------------------------------


def lazy_units(count: int) -> Iterator[ExportUnit]:
    for i in range(count):
        yield ExportUnit(
            document_id=1 + i // 50_000,
            document_title="流式文档",
            first_position=i,
            last_position=i + i % 2,
            source_lang="zh",
            target_lang="en",
            source_text=f"这是第{i}个句子，包含一些中文字符。",
            target_text=f"This is sentence number {i} & <more>.",
            source_status=None,
            target_status="approved",
            source_version=None,
            target_version=1,
            changed_at=WHEN,
            unit_id=f"d1:p{i}-{i}:en",
        )


def consume(fmt: str, count: int) -> tuple[int, int, int]:
    """Stream ``count`` lazily generated units, dropping the chunks: (chunks, bytes, largest chunk)."""
    chunks = total = largest = 0
    for chunk in WRITERS[fmt](
        lazy_units(count), source_lang="zh", target_lang="en", cursor="c", tool_version="1"
    ):
        chunks += 1
        total += len(chunk)
        largest = max(largest, len(chunk))
    return chunks, total, largest


def traced_peak(fmt: str, count: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        consume(fmt, count)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["tmx", "tsv"])
def test_streaming_200k_units_memory_does_not_grow(fmt):
    # tracemalloc slows allocation down a lot: compare 2.5k with 25k units (5 and 50 chunks) under it,
    # then stream the full 200k untraced.
    small = traced_peak(fmt, 2_500)
    large = traced_peak(fmt, 25_000)
    assert large < 1.5 * small, (small, large)
    # lxml's own buffers live outside tracemalloc: the process high-water mark must not move by
    # anything like the size of the output either.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    chunks, total, largest = consume(fmt, 200_000)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert chunks >= 200_000 // 500
    assert largest < total / 100
    assert grown < total / 4, (grown, total)


@pytest.mark.parametrize("fmt", ["xliff", "xliff2", "jsonl"])
def test_streaming_yields_a_chunk_every_500_units(fmt):
    chunks, total, largest = consume(fmt, 20_000)
    assert chunks >= 40
    assert largest < total / 20


def test_xliff2_status_follows_a_cat_tool_that_changed_the_state():
    units = make_units()
    data = export("xliff2", units[1:2]).replace(b'state="translated"', b'state="final"')
    (read,) = read_xliff(data, source_lang="zh", target_lang="en")
    assert read.status == "approved"
    data = export("xliff2", units[3:4])  # rejected -> initial, subState keeps the exact status
    (read,) = read_xliff(data, source_lang="zh", target_lang="en")
    assert read.status == "rejected"


def test_format_error_is_a_value_error_with_a_location():
    with pytest.raises(ValueError) as caught:
        read_tsv(b"source\ttarget\n\xff\n", source_lang="zh", target_lang="en")
    assert isinstance(caught.value, FormatError)
    assert (caught.value.line, caught.value.offset) == (2, 14)


def test_truncated_in_the_middle_of_a_character():
    data = export("tsv", make_units()[:1])
    cut = data[: data.index("第".encode()) + 1]
    with pytest.raises(FormatError, match="truncated: it ends in the middle of a UTF-8 character"):
        read_tsv(cut, source_lang="zh", target_lang="en")
