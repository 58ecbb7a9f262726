"""Imports of exchange files into a document: hostile and broken files, conflicts, all or nothing."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from corpus.errors import ForbiddenAction
from corpus.models import Revision, Segment, Translation
from exchange.imports import translations_import
from tests.factories import make_document, make_user
from translations import kernel, services

API = "/api/v1"
SENTENCES = ["第一句讲全球化。", "第二句讲治理。", "第三句讲合作。", "第四句讲发展。", "第五句讲未来。"]


def counts() -> tuple[int, int]:
    return Translation.objects.count(), Revision.objects.count()


def tmx(units, *, source="zh-CN", target="en-US") -> bytes:
    """A hand-written TMX; ``units`` are (zh, target, first, last, version) with None for absent props."""
    body = []
    for zh, text, first, last, version in units:
        props = ""
        if first is not None:
            props += f'<prop type="x-first-position">{first}</prop><prop type="x-last-position">{last}</prop>'
        target_props = f'<prop type="x-version">{version}</prop>' if version is not None else ""
        body.append(
            f'<tu>{props}<tuv xml:lang="{source}"><seg>{escape(zh)}</seg></tuv>'
            f'<tuv xml:lang="{target}">{target_props}<seg>{escape(text)}</seg></tuv></tu>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        f'<header creationtool="test" creationtoolversion="1" datatype="plaintext" segtype="sentence" '
        f'adminlang="en" srclang="{source}" o-tmf="test"/>\n<body>\n'
        + "\n".join(body)
        + "\n</body>\n</tmx>\n"
    ).encode()


@pytest.fixture
def doc(db):
    return make_document("测试标题\n" + "".join(SENTENCES) + "\n", title="Import target")


@pytest.fixture
def positions(doc):
    texts = dict(Segment.objects.filter(document=doc).values_list("text", "position"))
    return {sentence: texts[sentence] for sentence in SENTENCES}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_import(client, doc, data: bytes, fmt: str = "tmx", language: str = "en", **extra):
    upload = SimpleUploadedFile(f"upload.{fmt}", data, content_type="application/octet-stream")
    return client.post(
        f"{API}/documents/{doc.pk}/imports/",
        {"file": upload, "format": fmt, "language": language, **extra},
        format="multipart",
    )


def live(doc, language="en") -> dict[tuple[int, int], tuple[str, str, int]]:
    return {
        (t.first_position, t.last_position): (t.text, t.status, t.version)
        for t in Translation.objects.filter(document=doc, language=language, retired_at__isnull=True)
    }


XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="zh"/><body>
<tu><tuv xml:lang="zh"><seg>\xe7\xac\xac\xe4\xb8\x80\xe5\x8f\xa5\xe8\xae\xb2\xe5\x85\xa8\xe7\x90\x83\xe5\x8c\x96\xe3\x80\x82</seg></tuv>
<tuv xml:lang="en"><seg>&xxe;</seg></tuv></tu></body></tmx>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff version="1.2"><file source-language="zh" target-language="en"><body>
<trans-unit id="1"><source>x</source><target>&lol9;</target></trans-unit></body></file></xliff>
"""

LATIN1_TSV = (
    b"document_id\tfirst_position\tlast_position\tsource_lang\ttarget_lang\tsource\ttarget\tstatus\tversion\t"
    b"source_status\tsource_version\tchanged_at\tunit_id\tdocument_title\n"
) + "\t1\t1\tzh\ten\t第一句讲全球化。\tCafé déjà vu\tdraft\t1\t\t\t\t\t\n".encode("latin-1", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "fmt", "language", "message"),
    [
        ("xxe", XXE, "tmx", "en", "entit"),
        ("billion laughs", BILLION_LAUGHS, "xliff", "en", "entit"),
        ("truncated", tmx([(SENTENCES[0], "First.", None, None, None)])[:-40], "tmx", "en", "malformed TMX"),
        ("latin-1 tsv", LATIN1_TSV, "tsv", "en", "not valid UTF-8"),
        (
            "de/fr only",
            tmx([(SENTENCES[0], "Erster Satz.", None, None, None)], source="de", target="fr"),
            "tmx",
            "en",
            "does not match the requested languages",
        ),
        ("only white space", b"  \n\n", "jsonl", "en", "empty"),
        ("broken jsonl", b'{"source_text": "x", "target_text": ', "jsonl", "en", ""),
        ("unknown language", tmx([(SENTENCES[0], "Erster Satz.", None, None, None)]), "tmx", "de", "'de'"),
    ],
)
def test_hostile_and_broken_files_are_400_and_change_nothing(doc, editor, name, data, fmt, language, message):
    before = counts()
    response = post_import(client_for(editor), doc, data, fmt, language)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert message in error["message"], error
    assert counts() == before
    assert b"root:" not in response.content  # no file contents leaked


@pytest.mark.django_db
def test_empty_upload_and_unknown_format_are_400(doc, editor):
    before = counts()
    response = post_import(client_for(editor), doc, b"", "tmx")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "file" in response.json()["error"]["detail"]["fields"]
    response = post_import(client_for(editor), doc, tmx([(SENTENCES[0], "First.", None, None, None)]), "csv")
    assert response.status_code == 400
    assert "format" in response.json()["error"]["detail"]["fields"]
    assert counts() == before


@pytest.mark.django_db
def test_empty_file_reader_error_is_clear(doc, editor):
    with pytest.raises(Exception, match="empty TMX file"):
        translations_import(document=doc, data=b"\n", format="tmx", language="en", actor=editor)


@pytest.mark.django_db
def test_import_creates_drafts_reports_unmatched_and_never_overwrites(doc, positions, translator_en, editor):
    p = [positions[s] for s in SENTENCES]
    # Existing: approved at p0, a draft edited twice (version 3) at p1, a 2-segment span at p3-p4.
    t0 = services.translation_create(
        document=doc, language="en", first_position=p[0], text="Approved.", actor=translator_en
    )
    t0 = services.translation_submit(translation=t0, version=t0.version, actor=translator_en)
    services.translation_approve(translation=t0, version=t0.version, actor=editor)
    t1 = services.translation_create(
        document=doc, language="en", first_position=p[1], text="Draft one.", actor=translator_en
    )
    t1 = services.translation_save(translation=t1, text="Draft two.", version=1, actor=translator_en)
    t1 = services.translation_save(translation=t1, text="Draft three.", version=2, actor=translator_en)
    assert t1.version == 3
    services.translation_create(
        document=doc,
        language="en",
        first_position=p[3],
        last_position=p[4],
        text="Three and four.",
        actor=translator_en,
    )
    before = live(doc)
    revisions = Revision.objects.count()

    data = tmx(
        [
            (SENTENCES[0], "Overwrite the approved one.", p[0], p[0], None),
            (SENTENCES[1], "From an old version.", p[1], p[1], 2),
            (SENTENCES[2], "New third sentence.", None, None, None),  # matched by its text
            (SENTENCES[3], "Only the fourth.", p[3], p[3], None),  # covered differently (p3-p4)
            ("这句话不在文件里。", "Not in the document.", None, None, None),
            (SENTENCES[2], "", None, None, None),
        ]
    )
    report = translations_import(document=doc, data=data, format="tmx", language="en", actor=translator_en)
    assert (report.units, report.created, report.updated, report.unchanged) == (6, 1, 0, 0)
    reasons = " | ".join(c["reason"] for c in report.conflicts)
    assert len(report.conflicts) == 3, reasons
    assert "is approved; an import never overwrites it" in reasons
    assert "at version 3, newer than the file's 2" in reasons
    assert "covered differently" in reasons
    assert sorted(u["reason"] for u in report.unmatched) == [
        "empty target",
        "no segment of this document has this source text",
    ]
    assert all(u["line"] for u in report.unmatched + report.conflicts)

    after = live(doc)
    assert {k: v for k, v in after.items() if k in before} == before
    assert after[(p[2], p[2])] == ("New third sentence.", "draft", 1)
    created = Translation.objects.get(document=doc, language="en", first_position=p[2])
    assert created.origin == "imported" and created.author == translator_en
    assert Revision.objects.count() == revisions + 1
    assert Revision.objects.filter(translation=created).get().action == "import"

    # The same version as the file's (or none given) does update a draft.
    data = tmx([(SENTENCES[1], "Based on version three.", p[1], p[1], 3)])
    report = translations_import(document=doc, data=data, format="tmx", language="en", actor=translator_en)
    assert (report.updated, report.conflicts) == (1, [])
    assert live(doc)[(p[1], p[1])] == ("Based on version three.", "draft", 4)


@pytest.mark.django_db
def test_two_units_for_one_segment_conflict(doc, positions, editor):
    data = tmx([(SENTENCES[0], "One.", None, None, None), (SENTENCES[0], "Other.", None, None, None)])
    report = translations_import(document=doc, data=data, format="tmx", language="en", actor=editor)
    assert report.created == 1 and len(report.conflicts) == 1
    assert "already matched" in report.conflicts[0]["reason"]


@pytest.mark.django_db
def test_a_unit_over_two_segments_matches_their_joined_text(doc, positions, editor):
    p = positions
    data = tmx([(SENTENCES[1] + SENTENCES[2], "Two and three.", None, None, None)])
    report = translations_import(document=doc, data=data, format="tmx", language="en", actor=editor)
    assert report.created == 1
    assert live(doc) == {(p[SENTENCES[1]], p[SENTENCES[2]]): ("Two and three.", "draft", 1)}


@pytest.mark.django_db(transaction=True)
def test_all_or_nothing_when_a_write_fails_in_the_middle(monkeypatch, doc, positions):
    editor = make_user("editor", username="editor-aon")
    data = tmx([(s, f"Sentence {n}.", None, None, None) for n, s in enumerate(SENTENCES)])
    real_record = kernel._revision
    calls = []

    def failing_record(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_record(*args, **kwargs)

    monkeypatch.setattr(kernel, "_revision", failing_record)
    before = counts()
    with pytest.raises(RuntimeError, match="disk full"):
        translations_import(document=doc, data=data, format="tmx", language="en", actor=editor)
    assert len(calls) == 3
    assert counts() == before
    monkeypatch.setattr(kernel, "_revision", real_record)
    report = translations_import(document=doc, data=data, format="tmx", language="en", actor=editor)
    assert report.created == 5 and counts() == (before[0] + 5, before[1] + 5)


@pytest.mark.django_db
def test_dry_run_reports_and_changes_nothing(doc, positions, editor):
    data = tmx([(s, f"Sentence {n}.", None, None, None) for n, s in enumerate(SENTENCES)])
    before = counts()
    response = post_import(client_for(editor), doc, data, dry_run="true")
    assert response.status_code == 200
    assert response.json()["created"] == 5 and response.json()["units"] == 5
    assert counts() == before
    response = post_import(client_for(editor), doc, data)
    assert response.status_code == 200 and response.json()["created"] == 5
    assert counts() == (before[0] + 5, before[1] + 5)


@pytest.mark.django_db
def test_permissions(doc, translator_ko, translator_en):
    data = tmx([(SENTENCES[0], "First.", None, None, None)])
    before = counts()
    response = post_import(client_for(translator_ko), doc, data, language="en")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_action"
    assert "'en'" in response.json()["error"]["message"]
    with pytest.raises(ForbiddenAction):
        translations_import(document=doc, data=data, format="tmx", language="en", actor=translator_ko)
    response = APIClient().post(f"{API}/documents/{doc.pk}/imports/", {}, format="multipart")
    assert response.status_code == 401
    response = post_import(client_for(translator_en), doc, data, language="en")
    assert response.status_code == 200 and response.json()["created"] == 1
    response = client_for(translator_en).post(
        f"{API}/documents/999999/imports/",
        {"file": SimpleUploadedFile("a.tmx", data), "format": "tmx", "language": "en"},
        format="multipart",
    )
    assert response.status_code == 404
    assert counts() == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_management_command(doc, positions, editor, tmp_path):
    path = tmp_path / "file.tmx"
    path.write_bytes(tmx([(SENTENCES[0], "First.", None, None, None)]))
    before = counts()
    out = io.StringIO()
    call_command(
        "import_translations",
        str(path),
        "--document",
        str(doc.pk),
        "--language",
        "en",
        "--format",
        "tmx",
        "--user",
        editor.username,
        "--dry-run",
        stdout=out,
    )
    assert '"created": 1' in out.getvalue() and counts() == before
    path.write_bytes(XXE)
    with pytest.raises(CommandError, match="entit"):
        call_command(
            "import_translations",
            str(path),
            "--document",
            str(doc.pk),
            "--language",
            "en",
            "--format",
            "tmx",
            "--user",
            editor.username,
        )
    assert counts() == before
