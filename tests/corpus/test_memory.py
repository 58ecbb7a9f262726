"""Translation memory: fuzzy and exact lookup, pre-translation, the memory kept in step with the
workflow, concordance, TMX into memory, and the API endpoints with roles and error codes."""

from __future__ import annotations

import html
import re

import pytest
from rest_framework.test import APIClient

from corpus.errors import ForbiddenAction, InvalidInput
from corpus.models import MemoryUnit, Revision, Segment, Translation
from exchange import memory_io
from memory import tm as memory
from tests.factories import api_client as client_for
from tests.factories import assert_error, make_document
from translations import pretranslate, services

API = "/api/v1"
OPENING = "从践行人类命运共同体理念出发"


def approved(document, position: int, text: str, *, translator, editor, language: str = "en") -> Translation:
    """Four-eyes: the translator writes and submits, the editor approves."""
    t = services.translation_create(
        document=document, language=language, first_position=position, text=text, actor=translator
    )
    t = services.translation_submit(translation=t, version=t.version, actor=translator)
    return services.translation_approve(translation=t, version=t.version, actor=editor)


def openings(document) -> list[Segment]:
    found = list(Segment.objects.filter(document=document, text__startswith=OPENING).order_by("position"))
    assert len(found) == 2, [s.text[:20] for s in found]
    return found


# --- scoring ------------------------------------------------------------------------------------


def test_token_score_and_bands():
    a = memory.source_tokens("中国和世界各国有必要保持经济合作。")
    assert a and "经济" in a
    assert memory.token_score(a, a) == 100
    assert memory.token_score([], []) == 100
    b = memory.source_tokens("中国和世界各国有必要保持贸易合作。")
    assert 50 < memory.token_score(a, b) < 100
    assert memory.token_score(a, memory.source_tokens("今天天气很好")) < 40
    assert [memory.band(s) for s in (100, 99, 95, 94, 85, 84, 75, 74, 0)] == [
        "100",
        "95+",
        "95+",
        "85+",
        "85+",
        "75+",
        "75+",
        "low",
        "low",
    ]


def test_a_differing_number_never_scores_100():
    a = memory.source_tokens("2008年国际金融危机爆发后，全球贸易增长放缓。")
    b = memory.source_tokens("2009年国际金融危机爆发后，全球贸易增长放缓。")
    assert a != b
    assert memory.token_score(a, b) < 100
    assert memory.token_score(a, b) < memory.token_score(a, a)
    # a number that differs costs more than a word that differs
    c = memory.source_tokens("2008年国际金融危机爆发后，全球贸易增长加快。")
    assert memory.token_score(a, b) < memory.token_score(a, c) < 100


def test_normalised_source_folds_width_and_space():
    assert memory.normalise_source("经济 合作，２０２０年") == memory.normalise_source("经济合作,2020年")


# --- lookup -------------------------------------------------------------------------------------


def test_repeated_openings_are_each_others_best_fuzzy_match(seed, translator_en, editor):
    first, second = openings(seed)
    assert first.text != second.text
    approved(
        seed, first.position, "From the community idea, cooperation.", translator=translator_en, editor=editor
    )

    matches = memory.lookup(second.text, "en")
    assert matches, "no match for the repeated opening"
    best = matches[0]
    assert best.unit.source_text == first.text
    assert best.unit.target_text == "From the community idea, cooperation."
    assert MemoryUnit.objects.count() == 1
    assert memory.MIN_SCORE <= best.score < 100
    assert best.band == memory.band(best.score)
    assert best.band != "100"
    assert "<ins>" in best.diff or "<del>" in best.diff
    # the diff is of the texts as written: punctuation and spaces kept, nothing else added
    plain = re.sub(r"<del>.*?</del>|<[^>]+>", "", str(best.diff))
    assert html.unescape(plain) == second.text
    assert memory.lookup(second.text, "ko") == [], "a unit of another language matched"

    # the other way round: reopen the first, approve the second
    t1 = Translation.objects.get(document=seed, language="en", first_position=first.position)
    services.translation_reopen(translation=t1, version=t1.version, actor=editor)
    approved(
        seed, second.position, "From the community idea, sympathy.", translator=translator_en, editor=editor
    )
    matches = memory.lookup(first.text, "en")
    assert matches[0].unit.source_text == second.text
    assert matches[0].score < 100


def test_exact_match_comes_first_with_100(seed, translator_en, editor):
    first, second = openings(seed)
    approved(seed, first.position, "First.", translator=translator_en, editor=editor)
    approved(seed, second.position, "Second.", translator=translator_en, editor=editor)
    matches = memory.lookup(first.text, "en")
    assert [m.score for m in matches][:1] == [100]
    assert matches[0].band == "100"
    assert matches[0].unit.target_text == "First."
    assert matches[1].unit.target_text == "Second."
    assert matches[1].score < 100
    # width and white space do not matter for the exact match
    spaced = " ".join(first.text[:10]) + first.text[10:]
    assert memory.lookup(spaced, "en")[0].score == 100
    assert len(memory.lookup(first.text, "en", limit=1)) == 1


def test_numbers_that_differ_lower_the_score(translator_en, editor):
    sentence = "2008年国际金融危机爆发后，全球贸易增长明显放缓。"
    document = make_document(f"标题\n{sentence}\n")
    position = Segment.objects.get(document=document, text=sentence).position
    approved(
        document, position, "After the 2008 crisis, trade slowed.", translator=translator_en, editor=editor
    )

    same = memory.lookup(sentence, "en")
    other = memory.lookup(sentence.replace("2008", "2009"), "en")
    assert same[0].score == 100
    assert other, "the sentence with another year found nothing"
    assert other[0].unit.source_text == sentence
    assert other[0].score < 100
    assert other[0].score < same[0].score
    assert other[0].band != "100"


def test_min_score_filters_weak_matches(translator_en, editor):
    sentence = "全球化的冲击也是重大阶段性的，经济合作需要维护。"
    document = make_document(f"标题\n{sentence}\n")
    position = Segment.objects.get(document=document, text=sentence).position
    approved(document, position, "Globalisation.", translator=translator_en, editor=editor)
    query = "经济合作在今天的世界格局里面临着非常多的新挑战和新变化以及新机遇。"
    scores = [m.score for m in memory.lookup(query, "en", min_score=0)]
    assert scores and max(scores) < 100
    assert memory.lookup(query, "en", min_score=max(scores) + 1) == []


# --- memory in step with the workflow -----------------------------------------------------------


def test_memory_stays_in_step_with_approvals(seed, translator_en, editor, editor2):
    first, _ = openings(seed)
    t = approved(seed, first.position, "Approved text.", translator=translator_en, editor=editor)
    units = list(MemoryUnit.objects.filter(translation=t))
    assert len(units) == 1
    unit = units[0]
    assert (unit.source_text, unit.target_text, unit.language) == (first.text, "Approved text.", "en")
    assert unit.origin == MemoryUnit.Origin.APPROVED
    assert unit.document_id == seed.pk
    assert unit.source_key == memory.normalise_source(first.text)
    assert unit.tokens == memory.source_tokens(first.text)
    assert unit.index_tokens == memory.index_tokens(unit.tokens)
    assert unit.length == len(unit.tokens)

    # reopen removes
    t = services.translation_reopen(translation=t, version=t.version, actor=editor)
    assert not MemoryUnit.objects.filter(translation=t).exists()
    assert memory.lookup(first.text, "en") == []

    # re-approval adds it back, once
    t = services.translation_approve(translation=t, version=t.version, actor=editor)
    assert MemoryUnit.objects.filter(translation=t).count() == 1

    # an editor's edit of approved text sends it back for review: out of the memory until re-approved
    t = services.translation_save(
        translation=t, text="Edited by the editor.", version=t.version, actor=editor
    )
    assert t.status == Translation.Status.SUBMITTED
    assert not MemoryUnit.objects.filter(translation=t).exists()
    assert not MemoryUnit.objects.filter(target_text="Approved text.").exists()

    # four-eyes: the editor who wrote it may not approve it; another editor does
    with pytest.raises(ForbiddenAction):
        services.translation_approve(translation=t, version=t.version, actor=editor)
    t = services.translation_approve(translation=t, version=t.version, actor=editor2)
    units = list(MemoryUnit.objects.filter(translation=t))
    assert [u.target_text for u in units] == ["Edited by the editor."]
    assert MemoryUnit.objects.count() == 1, "re-approval duplicated the unit"
    assert memory.lookup(first.text, "en")[0].unit.target_text == "Edited by the editor."


def test_approval_approve_reopen_cycles_never_duplicate(seed, translator_en, editor):
    first, _ = openings(seed)
    t = approved(seed, first.position, "Once.", translator=translator_en, editor=editor)
    for _ in range(3):
        t = services.translation_reopen(translation=t, version=t.version, actor=editor)
        t = services.translation_approve(translation=t, version=t.version, actor=editor)
    assert MemoryUnit.objects.filter(translation=t).count() == 1
    assert MemoryUnit.objects.count() == 1
    assert len(memory.lookup(first.text, "en", limit=10)) == 1


def test_a_draft_or_submitted_translation_is_not_in_memory(seed, translator_en):
    first, _ = openings(seed)
    t = services.translation_create(
        document=seed, language="en", first_position=first.position, text="Draft.", actor=translator_en
    )
    services.translation_submit(translation=t, version=t.version, actor=translator_en)
    assert MemoryUnit.objects.count() == 0
    assert memory.lookup(first.text, "en") == []


# --- pre-translation ----------------------------------------------------------------------------


def test_a_100_percent_match_pretranslates(seed, translator_en, editor):
    first, _ = openings(seed)
    approved(seed, first.position, "Approved opening.", translator=translator_en, editor=editor)
    other = make_document(f"另一篇文章\n{first.text}\n这是一个从未翻译过的句子。\n")
    target = Segment.objects.get(document=other, text=first.text)
    untranslated = Segment.objects.filter(document=other).count()

    result = pretranslate.document_pretranslate(document=other, language="en", actor=translator_en)
    assert result == {"untranslated": untranslated, "filled": 1}
    filled = Translation.objects.get(document=other, language="en")
    assert (filled.first_position, filled.last_position) == (target.position, target.position)
    assert filled.text == "Approved opening."
    assert filled.status == Translation.Status.DRAFT
    assert filled.origin == Translation.Origin.MEMORY
    assert filled.author == translator_en
    revisions = list(filled.revisions.all())
    assert [r.action for r in revisions] == [Revision.Action.CREATE]
    assert "memory unit" in revisions[0].comment
    # a pre-translated draft is not in the memory
    assert MemoryUnit.objects.count() == 1

    again = pretranslate.document_pretranslate(document=other, language="en", actor=translator_en)
    assert again == {"untranslated": untranslated - 1, "filled": 0}
    assert Translation.objects.filter(document=other, language="en").count() == 1
    assert Revision.objects.filter(translation__document=other).count() == 1
    # nothing for a language without memory
    assert pretranslate.document_pretranslate(document=other, language="ko", actor=editor)["filled"] == 0


def test_pretranslate_fuzzy_matches_are_not_used(seed, translator_en, editor):
    first, second = openings(seed)
    approved(seed, first.position, "Approved opening.", translator=translator_en, editor=editor)
    other = make_document(f"另一篇文章\n{second.text}\n")
    assert (
        pretranslate.document_pretranslate(document=other, language="en", actor=translator_en)["filled"] == 0
    )
    assert not Translation.objects.filter(document=other).exists()


def test_pretranslate_refuses_a_translator_of_another_language(translator_ko, translator_en, editor):
    document = make_document()
    with pytest.raises(ForbiddenAction):
        pretranslate.document_pretranslate(document=document, language="en", actor=translator_ko)
    with pytest.raises(InvalidInput):
        pretranslate.document_pretranslate(document=document, language="xx", actor=editor)


# --- concordance --------------------------------------------------------------------------------


def test_concordance_finds_by_source_or_target(seed, translator_en, translator_ko, editor):
    first, second = openings(seed)
    approved(seed, first.position, "Economic cooperation matters.", translator=translator_en, editor=editor)
    approved(seed, second.position, "An emotional community.", translator=translator_en, editor=editor)
    approved(seed, second.position, "감정 공동체.", translator=translator_ko, editor=editor, language="ko")

    by_source = memory.concordance("保持经济合作", "en")
    assert [u.target_text for u in by_source] == ["Economic cooperation matters."]
    both = memory.concordance(OPENING, "en")
    assert {u.target_text for u in both} == {"Economic cooperation matters.", "An emotional community."}
    by_target = memory.concordance("emotional COMMUNITY", "en")
    assert [u.source_text for u in by_target] == [second.text]
    assert [u.target_text for u in memory.concordance("공동체", "ko")] == ["감정 공동체."]
    assert memory.concordance("공동체", "en") == []
    assert memory.concordance("nothing like this", "en") == []
    with pytest.raises(InvalidInput):
        memory.concordance("   ", "en")


# --- TMX into memory ----------------------------------------------------------------------------

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="test" creationtoolversion="1" o-tmf="test"/>
<body>
<tu><tuv xml:lang="zh"><seg>全球产业链的高端受到冲击。</seg></tuv><tuv xml:lang="en"><seg>The high end of global chains was hit.</seg></tuv></tu>
<tu><tuv xml:lang="zh"><seg>信息链的源头在欧美。</seg></tuv><tuv xml:lang="en"><seg>The sources of information chains are in the West.</seg></tuv></tu>
</body></tmx>
""".encode()


def test_tmx_import_adds_units_editors_only(editor, translator_en):
    with pytest.raises(ForbiddenAction):
        memory_io.memory_import_tmx(data=TMX, language="en", actor=translator_en)
    assert MemoryUnit.objects.count() == 0
    assert memory_io.memory_import_tmx(data=TMX, language="en", actor=editor) == 2
    units = list(MemoryUnit.objects.order_by("id"))
    assert [u.origin for u in units] == [MemoryUnit.Origin.TMX] * 2
    assert all(u.translation_id is None and u.tokens for u in units)
    match = memory.lookup("全球产业链的高端受到冲击。", "en")[0]
    assert (match.score, match.unit.target_text) == (100, "The high end of global chains was hit.")
    fuzzy = memory.lookup("全球产业链的低端受到冲击。", "en")[0]
    assert fuzzy.unit.source_text == "全球产业链的高端受到冲击。"
    assert fuzzy.score < 100
    with pytest.raises(InvalidInput):
        memory_io.memory_import_tmx(data=b"<tmx><body><tu>", language="en", actor=editor)
    assert MemoryUnit.objects.count() == 2


# --- API ----------------------------------------------------------------------------------------


def test_api_lookup_by_text_and_by_segment(seed, translator_en, translator_ko, editor):
    first, second = openings(seed)
    approved(seed, first.position, "Approved opening.", translator=translator_en, editor=editor)
    client = client_for(translator_en)
    response = client.post(f"{API}/memory/lookup/", {"language": "en", "text": second.text}, format="json")
    assert response.status_code == 200, response.content[:500]
    rows = response.json()
    assert rows[0]["source"] == first.text
    assert rows[0]["target"] == "Approved opening."
    assert rows[0]["origin"] == "approved"
    assert rows[0]["document"] == seed.pk
    assert 0 < rows[0]["score"] < 100 and rows[0]["band"] == memory.band(rows[0]["score"])

    by_segment = client.post(
        f"{API}/memory/lookup/",
        {"language": "en", "document": seed.pk, "position": first.position},
        format="json",
    )
    assert by_segment.status_code == 200
    assert by_segment.json()[0]["score"] == 100

    # a translator of Korean reads the memory too (English units are not Korean matches)
    other = client_for(translator_ko).post(
        f"{API}/memory/lookup/", {"language": "ko", "text": first.text}, format="json"
    )
    assert other.status_code == 200 and other.json() == []


def test_api_lookup_errors(seed, translator_en):
    client = client_for(translator_en)
    url = f"{API}/memory/lookup/"
    assert_error(client.post(url, {"language": "en"}, format="json"), 400, "validation_error")
    assert_error(client.post(url, {"language": "xx", "text": "经济"}, format="json"), 400, "validation_error")
    assert_error(
        client.post(url, {"language": "en", "text": "经济", "limit": 500}, format="json"),
        400,
        "validation_error",
    )
    assert_error(
        client.post(url, {"language": "en", "document": seed.pk, "position": 99999}, format="json"),
        404,
        "not_found",
    )
    assert_error(
        client.post(url, {"language": "en", "document": 999999, "position": 0}, format="json"),
        404,
        "not_found",
    )
    anonymous = APIClient().post(url, {"language": "en", "text": "经济"}, format="json")
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["error"]["code"] == "not_authenticated"


def test_api_concordance(seed, translator_en, editor):
    first, _ = openings(seed)
    approved(seed, first.position, "Economic cooperation matters.", translator=translator_en, editor=editor)
    client = client_for(translator_en)
    url = f"{API}/memory/concordance/"
    rows = client.get(url, {"q": "cooperation", "language": "en"})
    assert rows.status_code == 200
    assert [r["source_text"] for r in rows.json()] == [first.text]
    assert client.get(url, {"q": "保持经济合作", "language": "en"}).json()[0]["target_text"] == (
        "Economic cooperation matters."
    )
    assert client.get(url, {"q": "cooperation", "language": "ko"}).json() == []
    assert_error(client.get(url, {"q": "", "language": "en"}), 400, "validation_error")
    assert_error(client.get(url, {"q": "x", "language": "fr"}), 400, "validation_error")


def test_api_pretranslate(seed, translator_en, translator_ko, editor):
    first, _ = openings(seed)
    approved(seed, first.position, "Approved opening.", translator=translator_en, editor=editor)
    other = make_document(f"另一篇文章\n{first.text}\n")
    url = f"{API}/documents/{other.pk}/pretranslate/"
    assert_error(
        client_for(translator_ko).post(url, {"language": "en"}, format="json"), 403, "forbidden_action"
    )
    assert not Translation.objects.filter(document=other).exists()
    assert_error(client_for(translator_en).post(url, {}, format="json"), 400, "validation_error")
    assert_error(
        client_for(translator_en).post(url, {"language": "xx"}, format="json"), 400, "validation_error"
    )
    assert_error(
        client_for(translator_en).post(
            f"{API}/documents/999999/pretranslate/", {"language": "en"}, format="json"
        ),
        404,
        "not_found",
    )
    response = client_for(translator_en).post(url, {"language": "en"}, format="json")
    assert response.status_code == 200, response.content[:500]
    assert response.json()["filled"] == 1
    t = Translation.objects.get(document=other, language="en")
    assert (t.text, t.origin, t.status) == ("Approved opening.", "memory", "draft")
    assert client_for(translator_en).post(url, {"language": "en"}, format="json").json()["filled"] == 0


@pytest.mark.django_db
def test_a_fuzzy_match_that_differs_only_in_punctuation_is_not_100():
    fields = memory.unit_fields("中国在引领全球化方面处于有利位置", "T")
    MemoryUnit.objects.create(language="en", origin="tmx", **fields)
    matches = memory.lookup("中国在引领全球化方面，处于有利位置！", "en")
    assert matches and matches[0].score == 99 and matches[0].band == "95+"
