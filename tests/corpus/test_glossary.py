"""Glossary: the `glossary` quality check in English and Korean, forbidden translations, jieba
candidates, TBX (translate-toolkit and our own import) and CSV round trips, hostile files, all or
nothing, highlighting, and the API with roles and error codes."""

from __future__ import annotations

import csv
import io
import warnings

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from corpus.errors import ForbiddenAction, InvalidInput
from corpus.models import GlossaryTerm, Segment
from exchange import glossary_io
from memory import glossary
from tests.factories import api_client as client_for
from tests.factories import assert_error, make_document
from translations import services

# jieba.analyse reads its IDF table without closing the file (a ResourceWarning, an error under
# `filterwarnings = error`): import it once here, with that warning ignored.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ResourceWarning)
    import jieba.analyse  # noqa: F401

API = "/api/v1"
TERM = "人类命运共同体"
SENTENCE = "我们要践行人类命运共同体理念，推动经济合作。"
EN = "community with a shared future for mankind"
KO = "인류운명공동체"


def glossary_findings(translation) -> list[dict]:
    translation.refresh_from_db()
    found = [f for f in translation.findings if f["code"] == "glossary"]
    assert ("glossary" in translation.check_codes) == bool(found)
    return found


@pytest.fixture
def sentence_doc(db):
    document = make_document(f"标题\n{SENTENCE}\n")
    return document, Segment.objects.get(document=document, text=SENTENCE).position


def snapshot() -> list[tuple]:
    return sorted(GlossaryTerm.objects.values_list("language", "source", "target", "status", "note"))


# --- the glossary check -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "preferred", "without", "translator"),
    [
        ("en", EN, "We must practise the idea of a common destiny and promote cooperation.", "translator_en"),
        ("ko", KO, "우리는 공동 운명의 이념을 실천하고 경제 협력을 추진해야 한다.", "translator_ko"),
    ],
)
def test_a_missing_preferred_term_raises_the_glossary_finding(
    request, sentence_doc, editor, language, preferred, without, translator
):
    translator = request.getfixturevalue(translator)
    document, position = sentence_doc
    glossary.term_save(actor=editor, language=language, source=TERM, target=preferred)
    t = services.translation_create(
        document=document, language=language, first_position=position, text=without, actor=translator
    )
    found = glossary_findings(t)
    assert len(found) == 1
    assert found[0]["detail"]["problem"] == "preferred_missing"
    assert found[0]["detail"]["source_term"] == TERM
    assert found[0]["detail"]["preferred"] == [preferred]

    # with the preferred translation: no finding
    t = services.translation_save(
        translation=t, text=f"{without} ({preferred})", version=t.version, actor=translator
    )
    assert glossary_findings(t) == []

    # and back without it on save: the finding again
    t = services.translation_save(translation=t, text=without, version=t.version, actor=translator)
    assert [f["detail"]["problem"] for f in glossary_findings(t)] == ["preferred_missing"]


def test_terms_of_another_language_do_not_count(sentence_doc, editor, translator_en):
    document, position = sentence_doc
    glossary.term_save(actor=editor, language="ko", source=TERM, target=KO)
    t = services.translation_create(
        document=document, language="en", first_position=position, text="Nothing of it.", actor=translator_en
    )
    assert glossary_findings(t) == []


def test_a_segment_without_the_term_has_no_finding(editor, translator_en):
    glossary.term_save(actor=editor, language="en", source=TERM, target=EN)
    document = make_document("标题\n这是另外一个句子。\n")
    position = Segment.objects.get(document=document, text="这是另外一个句子。").position
    t = services.translation_create(
        document=document, language="en", first_position=position, text="Another.", actor=translator_en
    )
    assert glossary_findings(t) == []


def test_a_forbidden_translation_raises_the_glossary_finding(sentence_doc, editor, translator_en):
    document, position = sentence_doc
    glossary.term_save(actor=editor, language="en", source=TERM, target=EN)
    glossary.term_save(
        actor=editor, language="en", source=TERM, target="community of common destiny", status="forbidden"
    )
    t = services.translation_create(
        document=document,
        language="en",
        first_position=position,
        text=f"We must build a Community of Common Destiny, a {EN}.",
        actor=translator_en,
    )
    found = glossary_findings(t)
    assert [(f["detail"]["problem"], f["severity"]) for f in found] == [("forbidden_used", "error")]
    assert found[0]["detail"]["forbidden"] == "community of common destiny"

    t = services.translation_save(
        translation=t, text=f"We must build a {EN}.", version=t.version, actor=translator_en
    )
    assert glossary_findings(t) == []


def test_check_terms_counts_preferred_and_forbidden_only(editor):
    glossary.term_save(actor=editor, language="en", source=TERM, target=EN)
    glossary.term_save(actor=editor, language="en", source=TERM, target="shared fate", status="forbidden")
    glossary.term_save(actor=editor, language="en", source="全球化", target="", status="candidate")
    glossary.term_save(actor=editor, language="en", source="经济", target="economics", status="dismissed")
    terms = glossary.check_terms("en")
    assert [(t.source, t.preferred, t.forbidden) for t in terms] == [(TERM, (EN,), ("shared fate",))]
    assert glossary.check_terms("ko") == []


def test_term_save_validation(editor, translator_en):
    with pytest.raises(ForbiddenAction):
        glossary.term_save(actor=translator_en, language="en", source=TERM, target=EN)
    with pytest.raises(InvalidInput):
        glossary.term_save(actor=editor, language="en", source=TERM, target="")  # preferred needs a target
    with pytest.raises(InvalidInput):
        glossary.term_save(actor=editor, language="en", source="  ", target=EN)
    with pytest.raises(InvalidInput):
        glossary.term_save(actor=editor, language="fr", source=TERM, target=EN)
    with pytest.raises(InvalidInput):
        glossary.term_save(actor=editor, language="en", source=TERM, target=EN, status="approved")
    glossary.term_save(actor=editor, language="en", source=TERM, target=EN)
    with pytest.raises(InvalidInput):
        glossary.term_save(actor=editor, language="en", source=TERM, target=EN)
    assert GlossaryTerm.objects.count() == 1


# --- candidates ---------------------------------------------------------------------------------


def test_candidates_proposed_from_the_seed(seed, editor, translator_en):
    with pytest.raises(ForbiddenAction):
        glossary.glossary_propose(document=seed, language="en", actor=translator_en)
    created = glossary.glossary_propose(document=seed, language="en", actor=editor)
    assert 5 <= len(created) <= 30
    text = "".join(Segment.objects.filter(document=seed).values_list("text", flat=True))
    stored = list(GlossaryTerm.objects.filter(language="en"))
    assert len(stored) == len(created)
    for term in stored:
        assert term.status == GlossaryTerm.Status.CANDIDATE
        assert term.target == ""
        assert len(term.source) >= 2
        assert term.source in text
    sources = {t.source for t in stored}
    assert "全球化" in sources, sorted(sources)
    # candidates don't count
    assert glossary.check_terms("en") == []

    # proposing again adds nothing new
    assert glossary.glossary_propose(document=seed, language="en", actor=editor) == []
    assert GlossaryTerm.objects.filter(language="en").count() == len(created)

    # a candidate made preferred with a target counts in the check
    candidate = GlossaryTerm.objects.get(language="en", source="全球化")
    segment = Segment.objects.filter(document=seed, text__contains="全球化").order_by("position").first()
    t = services.translation_create(
        document=seed, language="en", first_position=segment.position, text="A text.", actor=translator_en
    )
    assert glossary_findings(t) == []
    glossary.term_save(
        actor=editor,
        term=candidate,
        language="en",
        source="全球化",
        target="globalisation",
        status="preferred",
    )
    assert [term.source for term in glossary.check_terms("en")] == ["全球化"]
    t = services.translation_save(translation=t, text="Another text.", version=t.version, actor=translator_en)
    assert [f["detail"]["source_term"] for f in glossary_findings(t)] == ["全球化"]


# --- highlighting -------------------------------------------------------------------------------


def test_hits_finder_finds_counted_terms(editor):
    glossary.term_save(actor=editor, language="en", source=TERM, target=EN)
    glossary.term_save(actor=editor, language="ko", source=TERM, target=KO)
    glossary.term_save(actor=editor, language="en", source="命运", target="fate", status="forbidden")
    glossary.term_save(actor=editor, language="en", source="经济", target="", status="candidate")
    find = glossary.hits_finder(["en", "ko"])
    hits = find(SENTENCE)
    assert [(h.start, h.end, h.source) for h in hits] == [(5, 12, TERM)]  # the longer term wins
    assert hits[0].translations == {"en": [EN], "ko": [KO]}
    assert [h.source for h in find("命运和经济")] == ["命运"]
    assert find("命运和经济")[0].forbidden == {"en": ["fate"]}
    assert glossary.hits_finder(["ko"])("经济") == []


# --- exchange -----------------------------------------------------------------------------------


@pytest.fixture
def terms(editor):
    return [
        glossary.term_save(actor=editor, language="en", source=TERM, target=EN, note="official wording"),
        glossary.term_save(
            actor=editor, language="en", source=TERM, target="community of common destiny", status="forbidden"
        ),
        glossary.term_save(actor=editor, language="ko", source=TERM, target=KO),
        glossary.term_save(actor=editor, language="en", source="全球治理", target="global governance"),
        glossary.term_save(
            actor=editor, language="ko", source="全球治理", target="글로벌 거버넌스", status="forbidden"
        ),
    ]


def test_tbx_export_reads_in_translate_toolkit(terms, editor):
    from translate.storage import tbx

    response = client_for(editor).get(f"{API}/glossary/export/", {"file_format": "tbx"})
    assert response.status_code == 200
    data = response.content
    store = tbx.tbxfile.parsestring(data)
    ours = sorted((t.source, t.target) for t in GlossaryTerm.objects.all())
    theirs = sorted((unit.source, unit.target) for unit in store.units)
    assert theirs == ours
    assert len(store.units) == len(terms)


def test_tbx_round_trip_through_our_import(terms, editor):
    before = snapshot()
    response = client_for(editor).get(f"{API}/glossary/export/", {"file_format": "tbx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-tbx+xml")
    data = response.content
    GlossaryTerm.objects.all().delete()
    result = glossary_io.glossary_import(data=data, format="tbx", actor=editor)
    assert result == {"terms": len(terms), "created": len(terms), "updated": 0}
    assert snapshot() == before
    # importing the same file again updates, creates nothing
    again = glossary_io.glossary_import(data=data, format="tbx", actor=editor)
    assert again == {"terms": len(terms), "created": 0, "updated": len(terms)}
    assert snapshot() == before


def test_tbx_export_by_language(terms, editor):
    from translate.storage import tbx

    data = client_for(editor).get(f"{API}/glossary/export/", {"file_format": "tbx", "language": "ko"}).content
    assert sorted(u.target for u in tbx.tbxfile.parsestring(data).units) == sorted([KO, "글로벌 거버넌스"])


def test_csv_round_trip(terms, editor):
    glossary.term_save(actor=editor, language="en", source="全球化", target="", status="candidate")
    glossary.term_save(actor=editor, language="en", source="经济", target="economics", status="dismissed")
    before = snapshot()
    response = client_for(editor).get(f"{API}/glossary/export/", {"file_format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(before)
    assert set(rows[0]) == {"source", "language", "target", "status", "note"}
    GlossaryTerm.objects.all().delete()
    upload = SimpleUploadedFile("glossary.csv", response.content, content_type="text/csv")
    imported = client_for(editor).post(
        f"{API}/glossary/import/", {"file": upload, "format": "csv"}, format="multipart"
    )
    assert imported.status_code == 200, imported.content[:500]
    assert imported.json()["created"] == len(before)
    assert snapshot() == before


XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<martif type="TBX" xml:lang="zh"><text><body>
<termEntry><langSet xml:lang="zh"><tig><term>&xxe;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry>
</body></text></martif>
"""

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<martif type="TBX"><text><body><termEntry><langSet xml:lang="zh"><tig><term>&lol9;</term></tig>'
    + b'</langSet><langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry></body></text></martif>\n'
)


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_hostile_tbx_is_refused_and_nothing_written(terms, editor, data):
    before = snapshot()
    upload = SimpleUploadedFile("hostile.tbx", data, content_type="application/xml")
    response = client_for(editor).post(
        f"{API}/glossary/import/", {"file": upload, "format": "tbx"}, format="multipart"
    )
    error = assert_error(response, 400, "validation_error")
    assert "entit" in error["message"].lower()
    assert "root:" not in response.content.decode()
    assert snapshot() == before
    with pytest.raises(InvalidInput):
        glossary_io.glossary_import(data=data, format="tbx", actor=editor)
    assert snapshot() == before


def test_broken_tbx_is_refused(editor):
    with pytest.raises(InvalidInput):
        glossary_io.glossary_import(data=b"<martif><text><body><termEntry>", format="tbx", actor=editor)
    assert GlossaryTerm.objects.count() == 0


def test_a_csv_with_an_unknown_language_writes_nothing(terms, editor):
    before = snapshot()
    data = "source,language,target,status,note\n新词,en,new word,preferred,\n旧词,fr,vieux mot,preferred,\n"
    upload = SimpleUploadedFile("glossary.csv", data.encode(), content_type="text/csv")
    response = client_for(editor).post(
        f"{API}/glossary/import/", {"file": upload, "format": "csv"}, format="multipart"
    )
    error = assert_error(response, 400, "validation_error")
    assert "fr" in error["message"] and "line 3" in error["message"]
    assert snapshot() == before


def test_csv_import_is_all_or_nothing_when_a_later_row_is_invalid(terms, editor):
    before = snapshot()
    data = "source,language,target,status\n新词,en,new word,preferred\n旧词,en,,preferred\n"
    with pytest.raises(InvalidInput):
        glossary_io.glossary_import(data=data.encode(), format="csv", actor=editor)
    assert snapshot() == before
    assert not GlossaryTerm.objects.filter(source="新词").exists()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"source,target\n\xe6\x96\xb0,new\n",
        "source,language,target,status\n新词,en,new word,approved\n".encode(),
        "source,language,target\n新词,en,new\n".encode("utf-16"),
    ],
    ids=["empty", "no-language-column", "unknown-status", "not-utf8"],
)
def test_bad_csv_is_refused(editor, data):
    with pytest.raises(InvalidInput):
        glossary_io.glossary_import(data=data, format="csv", actor=editor)
    assert GlossaryTerm.objects.count() == 0


def test_csv_import_updates_existing_terms(terms, editor):
    data = f"source,language,target,status,note\n{TERM},en,{EN},forbidden,changed\n".encode()
    assert glossary_io.glossary_import(data=data, format="csv", actor=editor) == {
        "terms": 1,
        "created": 0,
        "updated": 1,
    }
    term = GlossaryTerm.objects.get(language="en", source=TERM, target=EN)
    assert (term.status, term.note) == ("forbidden", "changed")
    assert GlossaryTerm.objects.count() == len(terms)


# --- API ----------------------------------------------------------------------------------------


def test_api_translators_read_editors_write(terms, translator_en, editor):
    reader = client_for(translator_en)
    listed = reader.get(f"{API}/glossary/", {"language": "en"})
    assert listed.status_code == 200
    assert sorted(r["target"] for r in listed.json()["results"]) == sorted(
        [EN, "community of common destiny", "global governance"]
    )
    forbidden = reader.get(f"{API}/glossary/", {"status": "forbidden"}).json()["results"]
    assert {r["target"] for r in forbidden} == {"community of common destiny", "글로벌 거버넌스"}
    assert [r["target"] for r in reader.get(f"{API}/glossary/", {"q": "governance"}).json()["results"]] == [
        "global governance"
    ]
    term = terms[0]
    assert reader.get(f"{API}/glossary/{term.pk}/").json()["note"] == "official wording"
    assert reader.get(f"{API}/glossary/export/", {"file_format": "csv"}).status_code == 200

    before = snapshot()
    new = {"language": "en", "source": "新词", "target": "new word", "status": "preferred"}
    assert_error(reader.post(f"{API}/glossary/", new, format="json"), 403, "forbidden_action")
    assert_error(
        reader.patch(f"{API}/glossary/{term.pk}/", {"target": "x"}, format="json"), 403, "forbidden_action"
    )
    assert_error(reader.delete(f"{API}/glossary/{term.pk}/"), 403, "forbidden_action")
    upload = SimpleUploadedFile("g.csv", b"source,language,target\nx,en,y\n", content_type="text/csv")
    assert_error(
        reader.post(f"{API}/glossary/import/", {"file": upload, "format": "csv"}, format="multipart"),
        403,
        "forbidden_action",
    )
    seed_doc = make_document()
    assert_error(
        reader.post(f"{API}/glossary/propose/", {"document": seed_doc.pk, "language": "en"}, format="json"),
        403,
        "forbidden_action",
    )
    assert snapshot() == before

    anonymous = APIClient().get(f"{API}/glossary/")
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["error"]["code"] == "not_authenticated"


def test_api_editor_crud_and_errors(editor):
    client = client_for(editor)
    url = f"{API}/glossary/"
    created = client.post(
        url, {"language": "en", "source": "新词", "target": "new word", "note": "n"}, format="json"
    )
    assert created.status_code == 201, created.content[:500]
    body = created.json()
    assert (body["source"], body["target"], body["status"], body["note"]) == (
        "新词",
        "new word",
        "preferred",
        "n",
    )
    pk = body["id"]

    assert_error(
        client.post(url, {"language": "en", "source": "新词", "target": "new word"}), 400, "validation_error"
    )
    assert_error(client.post(url, {"language": "en", "source": "词", "target": ""}), 400, "validation_error")
    assert_error(
        client.post(url, {"language": "fr", "source": "词", "target": "mot"}), 400, "validation_error"
    )
    assert_error(
        client.post(url, {"language": "en", "source": "词", "target": "w", "status": "approved"}),
        400,
        "validation_error",
    )
    assert_error(client.post(url, {"language": "en", "target": "w"}), 400, "validation_error")
    assert GlossaryTerm.objects.count() == 1

    changed = client.patch(f"{url}{pk}/", {"status": "forbidden", "note": "no"}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["target"], changed.json()["note"]) == (
        "forbidden",
        "new word",
        "no",
    )
    assert_error(client.patch(f"{url}{pk}/", {"target": ""}, format="json"), 400, "validation_error")
    assert GlossaryTerm.objects.get(pk=pk).target == "new word"
    assert_error(client.put(f"{url}{pk}/", {"target": "x"}, format="json"), 405, "method_not_allowed")

    assert_error(client.get(f"{url}export/", {"file_format": "xlsx"}), 400, "validation_error")
    assert_error(client.get(f"{url}export/"), 400, "validation_error")

    assert client.delete(f"{url}{pk}/").status_code == 204
    assert_error(client.get(f"{url}{pk}/"), 404, "not_found")
    assert_error(client.delete(f"{url}{pk}/"), 404, "not_found")
    assert not GlossaryTerm.objects.exists()


def test_api_propose_and_import_errors(seed, editor):
    client = client_for(editor)
    proposed = client.post(f"{API}/glossary/propose/", {"document": seed.pk, "language": "ko"}, format="json")
    assert proposed.status_code == 201, proposed.content[:500]
    rows = proposed.json()
    assert rows and all(
        r["status"] == "candidate" and r["target"] == "" and r["language"] == "ko" for r in rows
    )
    assert_error(
        client.post(f"{API}/glossary/propose/", {"document": 999999, "language": "en"}, format="json"),
        404,
        "not_found",
    )
    assert_error(
        client.post(f"{API}/glossary/propose/", {"document": seed.pk, "language": "xx"}, format="json"),
        400,
        "validation_error",
    )
    upload = SimpleUploadedFile("g.csv", b"source,language,target\nx,en,y\n", content_type="text/csv")
    assert_error(
        client.post(f"{API}/glossary/import/", {"file": upload, "format": "xlsx"}, format="multipart"),
        400,
        "validation_error",
    )
    assert_error(
        client.post(f"{API}/glossary/import/", {"format": "csv"}, format="multipart"), 400, "validation_error"
    )
    assert GlossaryTerm.objects.filter(source="x").count() == 0


@pytest.mark.django_db
def test_tbx_carries_only_counted_terms_so_a_round_trip_never_promotes_a_candidate(editor):
    from corpus.models import GlossaryTerm

    glossary.term_save(actor=editor, language="en", source="全球化", target="globalization")
    glossary.term_save(actor=editor, language="en", source="脱钩", target="decoupling", status="candidate")
    data = glossary_io.export_tbx(list(GlossaryTerm.objects.all()))
    assert "globalization" in data.decode() and "decoupling" not in data.decode()
