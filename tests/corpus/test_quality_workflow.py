"""Quality checks and metrics in the workflow: findings and effort stored with the version they describe,
review effort and inconsistencies at approval, the API (inline, filters, metrics) and the editor."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from corpus.errors import InvalidInput
from corpus.models import Segment, Translation
from quality import edit_effort
from tests.factories import make_document
from translations import assessment, services

pytestmark = pytest.mark.django_db

API = "/api/v1"
WRONG_YEAR = (
    "Especially after the global financial crisis in 2009, globalization retreated markedly, "
    "and populism and protectionism rose."
)
RIGHT_YEAR = WRONG_YEAR.replace("2009", "2008")


@pytest.fixture(autouse=True)
def fresh_length_norms():
    """The per-process length-norm cache must not leak between tests (each test has its own data)."""
    assessment._norm_cache.clear()
    yield
    assessment._norm_cache.clear()


# --- helpers ------------------------------------------------------------------------------------


def year_position(seed) -> int:
    segment = Segment.objects.get(document=seed, text__contains="2008年")
    return segment.position


def create(document, position, text, actor, *, language="en", submit=False):
    t = services.translation_create(
        document=document, language=language, first_position=position, text=text, actor=actor
    )
    if submit:
        t = services.translation_submit(translation=t, version=t.version, actor=actor)
    return t


def approve(translation, editor):
    return services.translation_approve(translation=translation, version=translation.version, actor=editor)


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def codes(findings) -> list[str]:
    return [finding["code"] for finding in findings]


def with_findings(seed, translator, count=12) -> list[Translation]:
    """``count`` English drafts that add a number the source does not have, plus the wrong year."""
    made = [create(seed, year_position(seed), WRONG_YEAR, translator)]
    candidates = (
        Segment.objects.filter(document=seed)
        .exclude(text__regex=r"[0-9０-９一二三四五六七八九十百千万亿]")
        .order_by("position")
        .values_list("position", flat=True)
    )
    for position in list(candidates)[: count - 1]:
        made.append(create(seed, position, f"Paragraph text number 4711 at {position}.", translator))
    for translation in made:
        assert "numbers" in translation.check_codes, (translation.first_position, translation.findings)
    return made


def twin_document(tag: str):
    """A document whose segments 1 and 2 have the identical source text."""
    document = make_document(f"双句标题{tag}\n同一句话讲到一个问题。\n同一句话讲到一个问题。\n另一句话。\n")
    texts = list(
        Segment.objects.filter(document=document).order_by("position").values_list("text", flat=True)
    )
    assert texts[1] == texts[2], texts
    return document


# --- 1. findings stored with the version --------------------------------------------------------


def test_findings_are_stored_with_the_version_they_describe(seed, translator_en):
    position = year_position(seed)
    t = create(seed, position, WRONG_YEAR, translator_en)
    stored = Translation.objects.get(pk=t.pk)
    assert stored.version == 1
    numbers = [f for f in stored.findings if f["code"] == "numbers"]
    assert len(numbers) == 1, stored.findings
    assert numbers[0]["severity"] == "error"
    assert numbers[0]["detail"]["source_value"] == "2008"
    assert numbers[0]["detail"]["target_value"] == "2009"
    assert "numbers" in stored.check_codes
    assert stored.check_codes == sorted(set(codes(stored.findings)))

    t = services.translation_save(translation=t, text=RIGHT_YEAR, version=t.version, actor=translator_en)
    stored = Translation.objects.get(pk=t.pk)
    assert stored.version == 2
    assert "numbers" not in codes(stored.findings), stored.findings
    assert "numbers" not in stored.check_codes
    assert stored.check_codes == sorted(set(codes(stored.findings)))

    # The history is the texts and versions, untouched by the quality fields.
    history = list(stored.revisions.order_by("version").values_list("action", "version", "text", "status"))
    assert history == [("create", 1, WRONG_YEAR, "draft"), ("edit", 2, RIGHT_YEAR, "draft")]
    response = api(translator_en).get(f"{API}/translations/{t.pk}/revisions/")
    assert response.status_code == 200
    assert [(r["version"], r["text"]) for r in response.json()["results"]] == [
        (2, RIGHT_YEAR),
        (1, WRONG_YEAR),
    ]

    # Going back to the wrong year brings the finding back, at version 3.
    t = services.translation_save(translation=t, text=WRONG_YEAR, version=t.version, actor=translator_en)
    stored = Translation.objects.get(pk=t.pk)
    assert stored.version == 3 and "numbers" in stored.check_codes


def test_the_api_write_returns_the_findings_of_the_new_version(seed, translator_en):
    client = api(translator_en)
    position = year_position(seed)
    created = client.post(
        f"{API}/translations/",
        {"document": seed.pk, "language": "en", "first_position": position, "text": WRONG_YEAR},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert "numbers" in codes(created.json()["findings"])
    saved = client.patch(
        f"{API}/translations/{created.json()['id']}/", {"text": RIGHT_YEAR, "version": 1}, format="json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2
    assert "numbers" not in codes(saved.json()["findings"])


def test_reading_never_recomputes(seed, translator_en, editor, monkeypatch):
    made = with_findings(seed, translator_en, count=3)

    def boom(*args, **kwargs):
        raise AssertionError("a read recomputed the quality checks")

    for target in (
        "quality.check_pair",
        "quality.edit_effort",
        "translations.assessment.check_pair",
        "translations.assessment.edit_effort",
        "translations.assessment.assess",
        "translations.assessment.length_norm",
    ):
        monkeypatch.setattr(target, boom)

    client = api(translator_en)
    response = client.get(f"{API}/documents/{seed.pk}/segments/", {"page_size": 500})
    assert response.status_code == 200
    rows = {row["position"]: row for row in response.json()["results"]}
    for translation in made:
        inline = rows[translation.first_position]["translations"]["en"]
        assert inline["findings"] == translation.findings
        assert inline["effort"] == translation.effort
    assert client.get(f"{API}/documents/{seed.pk}/segments/", {"check": "numbers"}).status_code == 200
    assert client.get(f"{API}/translations/{made[0].pk}/").status_code == 200
    assert client.get(f"{API}/documents/{seed.pk}/metrics/", {"language": "en"}).status_code == 200

    browser = api(editor)
    page = browser.get(reverse("editor:editor", args=[seed.pk]))
    assert page.status_code == 200
    assert b'data-code="numbers"' in page.content
    rows_page = browser.get(reverse("editor:editor-rows", args=[seed.pk]) + "?after=-1&check=numbers")
    assert rows_page.status_code == 200
    cell = browser.get(reverse("editor:cell", args=[seed.pk, "en", made[0].first_position]))
    assert cell.status_code == 200
    assert b'data-code="numbers"' in cell.content


# --- 2. effort, review effort, inconsistency ----------------------------------------------------


def test_effort_is_measured_from_the_first_non_empty_text(seed, translator_en):
    position = year_position(seed)
    t = create(seed, position, WRONG_YEAR, translator_en)
    assert t.first_text == WRONG_YEAR
    assert t.effort["ter"] == 0.0
    assert t.effort["chrf"] == pytest.approx(100.0)
    assert t.effort["num_edits"] == 0 and t.effort["changed"] is False

    t = services.translation_save(translation=t, text=RIGHT_YEAR, version=t.version, actor=translator_en)
    stored = Translation.objects.get(pk=t.pk)
    assert stored.first_text == WRONG_YEAR
    expected = edit_effort(WRONG_YEAR, RIGHT_YEAR, target_lang="en")
    assert stored.effort["ter"] == pytest.approx(expected["ter"])
    assert stored.effort["chrf"] == pytest.approx(expected["chrf"])
    assert stored.effort["ter"] > 0 and stored.effort["chrf"] < 100
    assert stored.effort["num_edits"] == 1 and stored.effort["changed"] is True

    # A further edit is still measured from the first text, not from the previous version.
    third = RIGHT_YEAR.replace("markedly", "sharply").replace("rose", "grew")
    t = services.translation_save(translation=t, text=third, version=t.version, actor=translator_en)
    stored = Translation.objects.get(pk=t.pk)
    assert stored.first_text == WRONG_YEAR
    assert stored.effort["num_edits"] == edit_effort(WRONG_YEAR, third, target_lang="en")["num_edits"] == 3


def test_an_empty_save_is_refused_and_whitespace_never_wipes_a_draft(document, translator_en):
    with pytest.raises(InvalidInput, match="is empty: nothing was saved"):
        create(document, 1, "", translator_en)
    with pytest.raises(InvalidInput, match="is empty: nothing was saved"):
        create(document, 1, "  \n\t ", translator_en)
    assert not Translation.objects.filter(document=document, first_position=1).exists()
    t = services.translation_save(
        translation=create(document, 1, "The first sentence.", translator_en),
        text="The first sentence.",
        version=1,
        actor=translator_en,
    )
    for blank in ("", "   ", "\n \n"):
        with pytest.raises(InvalidInput, match="is empty: nothing was saved"):
            services.translation_save(translation=t, text=blank, version=t.version, actor=translator_en)
    stored = Translation.objects.get(pk=t.pk)
    assert (stored.text, stored.version) == ("The first sentence.", 1)
    assert stored.revisions.count() == 1
    assert t.first_text == "The first sentence."
    assert t.effort["ter"] == 0.0 and t.effort["changed"] is False
    t = services.translation_save(
        translation=t, text="The first sentence, edited.", version=t.version, actor=translator_en
    )
    assert Translation.objects.get(pk=t.pk).effort["ter"] > 0


def test_review_effort_when_an_editor_changes_the_submitted_text(seed, translator_en, editor, editor2):
    position = year_position(seed)
    t = create(seed, position, WRONG_YEAR, translator_en, submit=True)
    t = services.translation_save(translation=t, text=RIGHT_YEAR, version=t.version, actor=editor)
    assert t.status == Translation.Status.SUBMITTED
    assert t.review_effort is None  # only set at approval
    t = approve(t, editor2)
    stored = Translation.objects.get(pk=t.pk)
    assert stored.status == Translation.Status.APPROVED
    expected = edit_effort(WRONG_YEAR, RIGHT_YEAR, target_lang="en")
    assert stored.review_effort is not None
    assert stored.review_effort["ter"] == pytest.approx(expected["ter"]) and stored.review_effort["ter"] > 0
    assert stored.review_effort["chrf"] == pytest.approx(expected["chrf"])
    assert stored.review_effort["changed"] is True and stored.review_effort["num_edits"] == 1
    # The approved version's findings describe the approved text.
    assert "numbers" not in stored.check_codes


def test_no_review_effort_when_approved_unchanged(seed, translator_en, editor):
    t = create(seed, year_position(seed), RIGHT_YEAR, translator_en, submit=True)
    t = approve(t, editor)
    stored = Translation.objects.get(pk=t.pk)
    assert stored.status == Translation.Status.APPROVED
    assert stored.review_effort is None


def test_review_effort_follows_the_latest_submission(seed, translator_en, editor, editor2):
    t = create(seed, year_position(seed), WRONG_YEAR, translator_en, submit=True)
    t = services.translation_save(translation=t, text=RIGHT_YEAR, version=t.version, actor=editor)
    t = approve(t, editor2)
    review = t.review_effort
    assert review is not None and review["changed"] is True
    # Reopened and approved again as it is: still measured against what the translator submitted.
    t = services.translation_reopen(translation=t, version=t.version, actor=editor2)
    t = approve(t, editor2)
    assert Translation.objects.get(pk=t.pk).review_effort == review
    # Rejected, resubmitted by the translator as the editor left it, and approved unchanged.
    t = services.translation_reopen(translation=t, version=t.version, actor=editor2)
    t = services.translation_reject(translation=t, version=t.version, reason="again", actor=editor2)
    t = services.translation_submit(translation=t, version=t.version, actor=translator_en)
    t = approve(t, editor2)
    assert Translation.objects.get(pk=t.pk).review_effort is None


def test_a_different_approved_target_for_the_same_source_is_an_inconsistency(translator_en, editor):
    document = twin_document("a")
    first = approve(create(document, 1, "One sentence raises a problem.", translator_en, submit=True), editor)
    assert "inconsistent" not in first.check_codes
    second = create(document, 2, "A single sentence mentions an issue.", translator_en, submit=True)
    assert "inconsistent" not in second.check_codes  # only checked at approval
    second = approve(second, editor)
    stored = Translation.objects.get(pk=second.pk)
    found = [f for f in stored.findings if f["code"] == "inconsistent"]
    assert len(found) == 1, stored.findings
    assert found[0]["detail"]["translations"] == [first.pk]
    assert "One sentence raises a problem." in found[0]["message"]
    assert "inconsistent" in stored.check_codes
    assert stored.check_codes == sorted(set(codes(stored.findings)))
    # The first approval is not rewritten.
    assert "inconsistent" not in Translation.objects.get(pk=first.pk).check_codes


def test_the_same_approved_target_is_consistent(translator_en, editor):
    document = twin_document("b")
    approve(create(document, 1, "One sentence raises a problem.", translator_en, submit=True), editor)
    second = approve(
        create(document, 2, "One sentence raises a problem.", translator_en, submit=True), editor
    )
    assert "inconsistent" not in Translation.objects.get(pk=second.pk).check_codes


def test_inconsistency_looks_only_at_the_same_language(translator_en, translator_ko, editor):
    document = twin_document("c")
    approve(
        create(document, 1, "한 문장이 문제를 말한다.", translator_ko, language="ko", submit=True), editor
    )
    second = approve(
        create(document, 2, "One sentence raises a problem.", translator_en, submit=True), editor
    )
    assert "inconsistent" not in Translation.objects.get(pk=second.pk).check_codes


# --- 3. the API ---------------------------------------------------------------------------------


def test_findings_and_effort_inline_with_constant_queries(seed, translator_en, editor):
    made = with_findings(seed, translator_en, count=15)
    approve(
        services.translation_submit(translation=made[1], version=made[1].version, actor=translator_en), editor
    )
    client = api(translator_en)
    url = f"{API}/documents/{seed.pk}/segments/"
    client.get(url, {"page_size": 10})  # warm up session and caches
    counts = {}
    for size in (10, 500):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, seed.segments.count())
        counts[size] = len(queries)
    assert counts[10] == counts[500], counts
    rows = {row["position"]: row for row in response.json()["results"]}
    year = rows[year_position(seed)]["translations"]["en"]
    assert "numbers" in codes(year["findings"])
    finding = next(f for f in year["findings"] if f["code"] == "numbers")
    assert set(finding) >= {"code", "severity", "message", "detail"}
    assert year["effort"] == {"ter": 0.0, "chrf": 100.0, "num_edits": 0, "changed": False}
    assert year["review_effort"] is None


def expected_positions(document, predicate, languages=("en", "ko")) -> set[int]:
    positions = set()
    for t in Translation.objects.filter(document=document, retired_at__isnull=True, language__in=languages):
        if predicate(t.check_codes):
            positions.update(range(t.first_position, t.last_position + 1))
    return positions


def listed_positions(client, document, **params) -> set[int]:
    response = client.get(f"{API}/documents/{document.pk}/segments/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return {row["position"] for row in response.json()["results"]}


def test_segments_filter_by_check(seed, translator_en):
    made = with_findings(seed, translator_en, count=6)
    used = {t.first_position for t in made}
    free = next(p for p in range(seed.segments.count()) if p not in used)
    clean = create(seed, free, "Globalization under the epidemic", translator_en)
    client = api(translator_en)

    numbers = listed_positions(client, seed, check="numbers")
    assert numbers == expected_positions(seed, lambda c: "numbers" in c)
    assert {t.first_position for t in made} <= numbers
    assert numbers < set(range(seed.segments.count()))

    english = listed_positions(client, seed, check="numbers", target_language="en")
    assert english == expected_positions(seed, lambda c: "numbers" in c, ("en",))
    assert english == {t.first_position for t in made}

    anything = listed_positions(client, seed, check="any")
    assert anything == expected_positions(seed, bool)
    assert numbers <= anything
    any_english = listed_positions(client, seed, check="any", target_language="en")
    assert any_english == expected_positions(seed, bool, ("en",))
    assert (clean.first_position in any_english) == bool(clean.check_codes)

    # Combined with the other filters.
    assert listed_positions(client, seed, check="numbers", status_en="draft") == english
    assert listed_positions(client, seed, check="numbers", status_en="approved") == set()

    # Correcting a translation takes it out of the filter.
    year = made[0]
    services.translation_save(translation=year, text=RIGHT_YEAR, version=year.version, actor=translator_en)
    assert year.first_position not in listed_positions(client, seed, check="numbers", target_language="en")


def test_an_unknown_check_is_a_validation_error(seed, translator_en):
    response = api(translator_en).get(f"{API}/documents/{seed.pk}/segments/", {"check": "bogus"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "bogus" in error["message"]
    assert error["detail"] == {"field": "check"}
    # The message names every code the filter accepts, the aligner's included.
    for code in ("any", "numbers", "inconsistent", "alignment"):
        assert code in error["message"]
    accepted = api(translator_en).get(f"{API}/documents/{seed.pk}/segments/", {"check": "alignment"})
    assert accepted.status_code == 200 and accepted.json()["results"] == []


def test_metrics_are_consistent_with_the_data(seed, translator_en, editor, editor2):
    made = with_findings(seed, translator_en, count=8)
    # Some submitted, one approved after an editor's change, one approved unchanged.
    for t in made[1:5]:
        services.translation_submit(translation=t, version=t.version, actor=translator_en)
    edited = Translation.objects.get(pk=made[1].pk)
    edited = services.translation_save(
        translation=edited, text=edited.text + " Edited.", version=edited.version, actor=editor
    )
    approve(edited, editor2)
    approve(Translation.objects.get(pk=made[2].pk), editor)
    services.translation_save(
        translation=made[0], text=RIGHT_YEAR, version=made[0].version, actor=translator_en
    )

    response = api(translator_en).get(f"{API}/documents/{seed.pk}/metrics/", {"language": "en"})
    assert response.status_code == 200, response.content
    body = response.json()

    live = Translation.objects.filter(document=seed, language="en", retired_at__isnull=True)
    segments = Segment.objects.filter(document=seed)
    assert body["document"] == seed.pk and body["language"] == "en"
    assert body["segments"] == segments.count()
    by_status = Counter(live.values_list("status", flat=True))
    assert body["translations"] == dict(by_status)
    assert body["translations"] == {"draft": 4, "submitted": 2, "approved": 2}
    assert body["segments_by_status"] == dict(by_status)  # one segment each
    words = {
        status: segments.filter(
            position__in=live.filter(status=status).values_list("first_position", flat=True)
        ).aggregate(w=Sum("words"))["w"]
        for status in by_status
    }
    assert body["words_by_status"] == words
    assert body["untranslated_segments"] == segments.count() - live.count()
    checks = Counter(code for t in live for code in t.check_codes)
    assert body["checks"] == dict(checks)
    assert body["checks"]["numbers"] == 7  # the corrected year no longer counts
    assert body["translations_with_findings"] == sum(1 for t in live if t.check_codes)
    efforts = [t.effort for t in live if t.effort is not None]
    assert body["effort"]["translations"] == len(efforts) == 8
    assert body["effort"]["ter"] == pytest.approx(round(sum(e["ter"] for e in efforts) / len(efforts), 2))
    assert body["effort"]["chrf"] == pytest.approx(round(sum(e["chrf"] for e in efforts) / len(efforts), 2))
    assert body["effort"]["ter"] > 0
    reviews = [t.review_effort for t in live if t.review_effort is not None]
    assert body["review_effort"]["translations"] == len(reviews) == 1
    assert body["review_effort"]["ter"] == pytest.approx(round(reviews[0]["ter"], 2))
    assert body["review_effort"]["ter"] > 0

    korean = api(translator_en).get(f"{API}/documents/{seed.pk}/metrics/", {"language": "ko"}).json()
    ko_live = Translation.objects.filter(document=seed, language="ko", retired_at__isnull=True)
    assert korean["translations"] == dict(Counter(ko_live.values_list("status", flat=True)))
    assert korean["checks"] == dict(Counter(code for t in ko_live for code in t.check_codes))


def test_metrics_of_an_empty_language(document, translator_en):
    body = api(translator_en).get(f"{API}/documents/{document.pk}/metrics/", {"language": "en"}).json()
    assert body["translations"] == {} and body["checks"] == {}
    assert body["untranslated_segments"] == body["segments"] == document.segments.count()
    assert body["effort"] == {"translations": 0, "ter": None, "chrf": None}
    assert body["review_effort"] == {"translations": 0, "ter": None, "chrf": None}


@pytest.mark.parametrize("params", [{"language": "fr"}, {}, {"language": "EN"}])
def test_metrics_of_an_unknown_language_is_400(seed, translator_en, params):
    response = api(translator_en).get(f"{API}/documents/{seed.pk}/metrics/", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_metrics_need_a_login_and_a_real_document(seed, translator_en):
    assert APIClient().get(f"{API}/documents/{seed.pk}/metrics/", {"language": "en"}).status_code == 401
    missing = api(translator_en).get(f"{API}/documents/{10**9}/metrics/", {"language": "en"})
    assert missing.status_code == 404


# --- 6. the editor ------------------------------------------------------------------------------


def page_tree(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def row_positions(tree) -> list[int]:
    return [
        int(tr.get("data-position")) for tr in tree.xpath("//tr[contains(@class, 'row')][@data-position]")
    ]


def test_the_editor_shows_findings_escaped(translator_en, editor):
    document = twin_document("d")
    evil = 'The <b>one</b> sentence & "problem" <script>alert(1)</script>.'
    approve(create(document, 1, evil, translator_en, submit=True), editor)
    second = approve(create(document, 2, "Another sentence entirely.", translator_en, submit=True), editor)
    message = next(f["message"] for f in second.findings if f["code"] == "inconsistent")
    assert "<b>one</b>" in message

    response = api(editor).get(reverse("editor:editor", args=[document.pk]))
    raw = response.content.decode()
    assert "<b>one</b>" not in raw and "<script>alert(1)" not in raw
    tree = page_tree(response)
    cell = tree.get_element_by_id(f"cell-en-{second.first_position}")
    items = cell.xpath(".//ul[contains(@class, 'findings')]/li[contains(@class, 'finding')]")
    assert {li.get("data-code") for li in items} == set(second.check_codes)
    inconsistent = next(li for li in items if li.get("data-code") == "inconsistent")
    # the message is shown as text (escaped), not hidden in a tooltip
    assert inconsistent.xpath("string(.//span[@class='finding-message'])") == message
    assert "severity-warning" in inconsistent.get("class")
    first_cell = tree.get_element_by_id(f"cell-en-{1}")
    assert not first_cell.xpath(".//li[@data-code='inconsistent']")


def test_the_editor_cell_shows_the_numbers_finding(seed, translator_en):
    t = create(seed, year_position(seed), WRONG_YEAR, translator_en)
    response = api(translator_en).get(reverse("editor:cell", args=[seed.pk, "en", t.first_position]))
    cell = lxml.html.fragment_fromstring(response.content.decode(), create_parent="div")
    items = cell.xpath(".//li[contains(@class, 'finding')][@data-code='numbers']")
    assert len(items) == 1
    numbers = next(f for f in t.findings if f["code"] == "numbers")
    shown = items[0].xpath("string(.//span[@class='finding-message'])")
    assert shown == numbers["message"]
    assert "2009" in shown

    services.translation_save(translation=t, text=RIGHT_YEAR, version=t.version, actor=translator_en)
    response = api(translator_en).get(reverse("editor:cell", args=[seed.pk, "en", t.first_position]))
    assert b'data-code="numbers"' not in response.content


def test_the_editor_check_filter_narrows_rows(seed, translator_en):
    made = with_findings(seed, translator_en, count=5)
    client = api(translator_en)
    everything = row_positions(page_tree(client.get(reverse("editor:editor", args=[seed.pk]))))
    assert len(everything) == 100  # one page
    tree = page_tree(
        client.get(reverse("editor:editor", args=[seed.pk]) + "?check=numbers&target_language=en")
    )
    assert row_positions(tree) == sorted(t.first_position for t in made)
    selected = tree.xpath("//select[@name='check']/option[@selected]")
    assert [option.get("value") for option in selected] == ["numbers"]
    options = {option.get("value") for option in tree.xpath("//select[@name='check']/option")}
    assert {"", "any", "numbers", "inconsistent"} <= options

    any_rows = row_positions(
        page_tree(client.get(reverse("editor:editor-rows", args=[seed.pk]) + "?after=-1&check=any"))
    )
    assert any_rows == sorted(expected_positions(seed, bool))[:100]
    assert set(row_positions(tree)) <= set(any_rows)

    unknown = client.get(reverse("editor:editor", args=[seed.pk]) + "?check=bogus")
    assert unknown.status_code == 400


def test_the_editor_metrics_table_lists_checks_by_code(seed, translator_en):
    with_findings(seed, translator_en, count=4)
    client = api(translator_en)
    page = page_tree(client.get(reverse("editor:editor", args=[seed.pk])))
    # the panel loads after first paint
    (loader,) = page.xpath("//details[contains(@class, 'metrics')][@hx-trigger='load']")
    assert loader.get("hx-get") == reverse("editor:metrics", args=[seed.pk])
    tree = page_tree(client.get(loader.get("hx-get")))
    table = tree.xpath("//table")
    assert len(table) == 1
    english = table[0].xpath(".//tr[@data-language='en']")[0]
    cells = english.xpath("./td")
    links = {a.text_content(): a.get("href") for a in cells[3].xpath(".//a")}
    live = Translation.objects.filter(document=seed, language="en", retired_at__isnull=True)
    checks = Counter(code for t in live for code in t.check_codes)
    assert set(links) == set(checks)
    assert links["numbers"] == "?check=numbers&target_language=en"
    assert f"numbers {checks['numbers']}" in cells[3].text_content()
    assert cells[2].text_content().strip() == str(sum(1 for t in live if t.check_codes))
    assert cells[4].text_content().strip().startswith("0.0 / 100.0 (4)")
    korean = table[0].xpath(".//tr[@data-language='ko']")[0]
    ko_checks = Counter(
        code
        for t in Translation.objects.filter(document=seed, language="ko", retired_at__isnull=True)
        for code in t.check_codes
    )
    ko_links = {a.text_content() for a in korean.xpath("./td")[3].xpath(".//a")}
    assert ko_links == set(ko_checks)
