"""Alignment services against the database: plan, apply (all or nothing), and the manual fixes.

Realistic cases use the PUD gold (line i of zh/en is the same sentence): a document made of the first
Chinese lines is one segment per line, so the gold alignment is segment i <-> English line i.
"""

from __future__ import annotations

import pytest

from alignment import services
from corpus.errors import ForbiddenAction, InvalidInput, InvalidSpan, StaleVersion
from corpus.models import MemoryUnit, Revision, Segment, Translation
from tests.factories import PUD, make_document
from translations import assessment
from translations import services as corpus_services

GOLD = PUD
N = 30
INSERTED = "The weather in the capital was cold and rainy all week long."


def gold(language: str, count: int = N) -> list[str]:
    return (GOLD / f"{language}.txt").read_text(encoding="utf-8").splitlines()[:count]


def gold_document(count: int = N):
    return make_document("\n".join(gold("zh", count)) + "\n")


def live(document, language: str = "en") -> list[Translation]:
    return list(
        Translation.objects.filter(document=document, language=language, retired_at__isnull=True).order_by(
            "first_position"
        )
    )


def snapshot(document) -> list[tuple]:
    """Everything alignment may touch, to compare before and after."""
    rows = Translation.objects.filter(document=document).order_by("pk")
    translations = list(
        rows.values_list(
            "pk", "language", "first_position", "last_position", "text", "status", "version", "retired_at"
        )
    )
    revisions = list(Revision.objects.filter(translation__document=document).values_list("pk", flat=True))
    memory = list(MemoryUnit.objects.order_by("pk").values_list("pk", "target_text"))
    return [translations, sorted(revisions), memory]


def approved(document, position: int, text: str, *, translator, editor, last: int | None = None):
    t = corpus_services.translation_create(
        document=document,
        language="en",
        first_position=position,
        last_position=last,
        text=text,
        actor=translator,
    )
    t = corpus_services.translation_submit(translation=t, version=t.version, actor=translator)
    return corpus_services.translation_approve(translation=t, version=t.version, actor=editor)


def draft(document, first: int, text: str, actor, *, last: int | None = None, language: str = "en"):
    return corpus_services.translation_create(
        document=document, language=language, first_position=first, last_position=last, text=text, actor=actor
    )


@pytest.fixture
def pud(db):
    return gold_document()


# --- plan and apply on the gold ------------------------------------------------------------------


@pytest.mark.django_db
def test_gold_document_is_one_segment_per_line(pud):
    texts = list(Segment.objects.filter(document=pud).order_by("position").values_list("text", flat=True))
    assert len(texts) == N
    assert [t[:8] for t in texts] == [line.strip()[:8] for line in gold("zh")]


@pytest.mark.django_db
def test_preview_changes_nothing_and_plans_the_gold(pud, translator_en):
    before = snapshot(pud)
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(gold("en")))
    assert snapshot(pud) == before
    assert not live(pud)
    en = gold("en")
    pairs = [(u.first, u.last, u.text) for u in plan.units]
    correct = sum(1 for i, (a, b, text) in enumerate(pairs) if (a, b, text) == (i, i, en[i]))
    assert correct >= N - 2, pairs
    summary = plan.summary()
    assert summary["sentences"] == N
    assert summary["anchors"] == 0
    assert summary["untranslated_segments"] == 0


@pytest.mark.django_db
def test_apply_creates_aligned_drafts_matching_the_gold(pud, translator_en):
    en = gold("en")
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(en))
    result = services.alignment_apply(plan=plan, actor=translator_en)
    units = live(pud)
    assert result["created"] == len(units) >= N - 2
    assert result["retired"] == 0
    exact = [t for t in units if t.first_position == t.last_position and t.text == en[t.first_position]]
    assert len(exact) >= N - 2
    for t in units:
        assert t.status == Translation.Status.DRAFT
        assert t.origin == Translation.Origin.ALIGNED
        assert t.score is not None and 0 <= t.score <= 1
        assert t.author == t.updated_by == translator_en
        (revision,) = t.revisions.all()
        assert (revision.action, revision.text, revision.version) == (Revision.Action.ALIGN, t.text, 1)
        assert (revision.first_position, revision.last_position) == (t.first_position, t.last_position)
    planned = {(u.first, u.last): u.score for u in plan.units}
    assert all(t.score == planned[(t.first_position, t.last_position)] for t in units)
    # spans never overlap and cover the document
    covered = [p for t in units for p in range(t.first_position, t.last_position + 1)]
    assert covered == list(range(N))


@pytest.mark.django_db
def test_applying_again_retires_the_previous_units_and_deletes_nothing(pud, translator_en):
    en = gold("en")
    services.alignment_apply(
        plan=services.alignment_plan(document=pud, language="en", text="\n".join(en)), actor=translator_en
    )
    first = live(pud)
    ko_before = list(Translation.objects.filter(document=pud, language="ko").values_list("pk", flat=True))
    result = services.alignment_apply(
        plan=services.alignment_plan(document=pud, language="en", text="\n".join(en)), actor=translator_en
    )
    assert result["retired"] == len(first)
    second = live(pud)
    assert {t.pk for t in first}.isdisjoint({t.pk for t in second})
    assert Translation.objects.filter(document=pud, language="en").count() == len(first) + len(second)
    for old in Translation.objects.filter(pk__in=[t.pk for t in first]):
        assert old.retired_at is not None
        actions = list(old.revisions.order_by("id").values_list("action", flat=True))
        assert actions == [Revision.Action.ALIGN, Revision.Action.RETIRE]
    assert (
        list(Translation.objects.filter(document=pud, language="ko").values_list("pk", flat=True))
        == ko_before
    )


@pytest.mark.django_db
def test_apply_retires_typed_drafts_of_that_language_only(pud, translator_en, translator_ko):
    typed = draft(pud, 3, "A typed English draft.", translator_en)
    korean = draft(pud, 3, "한국어 초안입니다.", translator_ko, language="ko")
    services.alignment_apply(
        plan=services.alignment_plan(document=pud, language="en", text="\n".join(gold("en"))),
        actor=translator_en,
    )
    typed.refresh_from_db()
    korean.refresh_from_db()
    assert typed.retired_at is not None
    assert typed.revisions.filter(action=Revision.Action.RETIRE).count() == 1
    assert korean.retired_at is None


@pytest.mark.django_db
def test_an_approved_translation_is_a_fixed_anchor(pud, translator_en, editor):
    en = gold("en")
    anchor = approved(pud, 10, en[10], translator=translator_en, editor=editor)
    state = (anchor.pk, anchor.version, anchor.text, anchor.status, anchor.updated_at)
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(en))
    (planned,) = [u for u in plan.units if u.kept is not None]
    assert (planned.first, planned.last, planned.kept.pk) == (10, 10, anchor.pk)
    result = services.alignment_apply(plan=plan, actor=translator_en)
    assert result["anchors"] == 1
    anchor.refresh_from_db()
    assert (anchor.pk, anchor.version, anchor.text, anchor.status, anchor.updated_at) == state
    assert anchor.retired_at is None
    assert list(anchor.revisions.values_list("action", flat=True)).count(Revision.Action.RETIRE) == 0
    units = {t.first_position: t for t in live(pud)}
    assert units[10].pk == anchor.pk
    for position in (8, 9, 11, 12):
        assert (units[position].last_position, units[position].text) == (position, en[position])
    assert MemoryUnit.objects.filter(translation=anchor).exists()


@pytest.mark.django_db
def test_an_approved_translation_not_in_the_pasted_text_stays_and_nothing_overlaps_it(
    pud, translator_en, editor
):
    en = gold("en")
    kept = approved(pud, 19, "An editor's own wording.", translator=translator_en, editor=editor, last=20)
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(en))
    assert plan.summary()["anchors"] == 0
    services.alignment_apply(plan=plan, actor=translator_en)
    kept.refresh_from_db()
    assert (kept.retired_at, kept.version, kept.text) == (None, 3, "An editor's own wording.")
    for t in live(pud):
        if t.pk != kept.pk:
            assert t.last_position < 19 or t.first_position > 20, (t.first_position, t.last_position)
    units = {t.first_position: t for t in live(pud)}
    assert units[18].text == en[18] and units[21].text == en[21]


@pytest.mark.django_db
def test_partial_translation_leaves_the_rest_untranslated(pud, translator_en):
    en = gold("en", 15)
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(en))
    assert plan.summary()["untranslated_segments"] == N - 15
    services.alignment_apply(plan=plan, actor=translator_en)
    units = live(pud)
    assert max(t.last_position for t in units) == 14
    assert [t.text for t in units] == en


@pytest.mark.django_db
def test_pasting_one_stretch_keeps_the_drafts_outside_it(pud, translator_en):
    """Pasting the translation of the second half replaces drafts there, not the first half's."""
    en = gold("en")
    kept = draft(pud, 2, "A draft of the first half, typed by hand.", translator_en)
    inside = draft(pud, 20, "A draft inside the pasted stretch.", translator_en)
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(en[15:]))
    summary = services.alignment_apply(plan=plan, actor=translator_en)
    assert summary["replaced_range"][0] >= 10
    kept.refresh_from_db()
    inside.refresh_from_db()
    assert kept.retired_at is None and kept.text.startswith("A draft of the first half")
    assert inside.retired_at is not None
    units = live(pud)
    assert {t.first_position for t in units if t.origin == "aligned"} == set(range(15, N))


@pytest.mark.django_db
def test_an_inserted_target_sentence_joins_a_neighbour_with_a_finding(pud, translator_en):
    en = gold("en")
    text = "\n".join([*en[:5], INSERTED, *en[5:]])
    plan = services.alignment_plan(document=pud, language="en", text=text)
    assert plan.summary()["flagged_units"] == 1
    services.alignment_apply(plan=plan, actor=translator_en)
    units = live(pud)
    (joined,) = [t for t in units if INSERTED in t.text]
    assert joined.first_position in (4, 5)
    neighbour = en[joined.first_position]
    assert neighbour in joined.text
    assert joined.text in (f"{INSERTED} {neighbour}", f"{neighbour} {INSERTED}")
    assert "alignment" in joined.check_codes
    findings = [f for f in joined.findings if f["code"] == "alignment"]
    assert len(findings) == 1 and "without source" in findings[0]["message"]
    others = [t for t in units if t.pk != joined.pk]
    assert all("alignment" not in t.check_codes for t in others)
    assert len(units) == N


@pytest.mark.django_db
def test_inserted_sentence_before_an_anchor_stays_on_its_side_of_the_anchor(pud, translator_en, editor):
    en = gold("en")
    approved(pud, 10, en[10], translator=translator_en, editor=editor)
    text = "\n".join([*en[:10], INSERTED, *en[10:]])
    services.alignment_apply(
        plan=services.alignment_plan(document=pud, language="en", text=text), actor=translator_en
    )
    (joined,) = [t for t in live(pud) if INSERTED in t.text]
    # the sentence came between en[9] and the anchor: it must not land after the anchor
    assert joined.last_position < 10, (joined.first_position, joined.text)


@pytest.mark.django_db
def test_apply_is_all_or_nothing(pud, translator_en, monkeypatch):
    en = gold("en")
    draft(pud, 2, "A typed draft that alignment would retire.", translator_en)
    before = snapshot(pud)
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(en))
    calls = {"n": 0}
    real = assessment.assess

    def failing(translation, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 5:
            raise RuntimeError("disk full")
        return real(translation, *args, **kwargs)

    monkeypatch.setattr(assessment, "assess", failing)
    with pytest.raises(RuntimeError):
        services.alignment_apply(plan=plan, actor=translator_en)
    assert calls["n"] > 5
    assert snapshot(pud) == before


@pytest.mark.django_db
def test_apply_needs_write_access_to_the_language(pud, translator_ko):
    plan = services.alignment_plan(document=pud, language="en", text="\n".join(gold("en")))
    with pytest.raises(ForbiddenAction):
        services.alignment_apply(plan=plan, actor=translator_ko)
    assert not live(pud)


@pytest.mark.django_db
def test_plan_refuses_an_unknown_language_and_an_empty_text(pud):
    with pytest.raises(InvalidInput):
        services.alignment_plan(document=pud, language="xx", text="Hello.")
    with pytest.raises(InvalidInput):
        services.alignment_plan(document=pud, language="en", text=" \n\n ")


# --- manual fixes --------------------------------------------------------------------------------

SMALL = "第一段。\n第二段。\n第三段。\n第四段。\n第五段。\n第六段。\n"


@pytest.fixture
def small(db):
    document = make_document(SMALL)
    assert Segment.objects.filter(document=document).count() == 6
    return document


@pytest.mark.django_db
def test_merge_two_neighbours(small, translator_en, editor):
    kept = approved(small, 5, "Untouched approved text.", translator=translator_en, editor=editor)
    memory_before = list(MemoryUnit.objects.values_list("pk", "target_text"))
    a = draft(small, 0, "One.", translator_en)
    b = draft(small, 2, "Two. Three.", translator_en, last=3)
    merged = services.translation_merge(
        first=b, second=a, first_version=b.version, second_version=a.version, actor=translator_en
    )
    assert (merged.first_position, merged.last_position, merged.text) == (0, 3, "One. Two. Three.")
    assert merged.status == Translation.Status.DRAFT and merged.version == 1
    assert [t.pk for t in live(small)] == [merged.pk, kept.pk]
    for old in (a, b):
        old.refresh_from_db()
        assert old.retired_at is not None
        assert old.revisions.filter(action=Revision.Action.RETIRE).count() == 1
    (revision,) = merged.revisions.all()
    assert revision.action == Revision.Action.MERGE and revision.text == merged.text
    assert list(MemoryUnit.objects.values_list("pk", "target_text")) == memory_before


@pytest.mark.django_db
def test_merge_refused_with_a_translation_between_or_another_language(small, translator_en, admin_user):
    a = draft(small, 0, "One.", translator_en)
    middle = draft(small, 1, "Two.", translator_en)
    c = draft(small, 2, "Three.", translator_en)
    before = snapshot(small)
    with pytest.raises(InvalidSpan):
        services.translation_merge(first=a, second=c, first_version=1, second_version=1, actor=translator_en)
    korean = draft(small, 1, "둘.", admin_user, language="ko")
    with pytest.raises(InvalidSpan):
        services.translation_merge(
            first=middle, second=korean, first_version=1, second_version=1, actor=admin_user
        )
    after = snapshot(small)
    assert after[0][: len(before[0])] == before[0]


@pytest.mark.django_db
def test_split_at_a_sentence_boundary(small, translator_en):
    t = draft(small, 1, "First. Second. Third.", translator_en, last=4)
    head, tail = services.translation_split(
        translation=t, version=t.version, sentences_first=2, source_split=3, actor=translator_en
    )
    assert (head.first_position, head.last_position, head.text) == (1, 2, "First. Second.")
    assert (tail.first_position, tail.last_position, tail.text) == (3, 4, "Third.")
    assert [x.pk for x in live(small)] == [head.pk, tail.pk]
    t.refresh_from_db()
    assert t.retired_at is not None
    assert head.revisions.get().action == tail.revisions.get().action == Revision.Action.SPLIT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentences_first", "source_split", "error"),
    [
        (1, 1, InvalidSpan),
        (1, 5, InvalidSpan),
        (1, 0, InvalidSpan),
        (4, 2, InvalidInput),
        (-1, 2, InvalidInput),
    ],
)
def test_split_refused_with_bad_positions_or_sentence_counts(
    small, translator_en, sentences_first, source_split, error
):
    t = draft(small, 1, "First. Second. Third.", translator_en, last=4)
    before = snapshot(small)
    with pytest.raises(error):
        services.translation_split(
            translation=t,
            version=1,
            sentences_first=sentences_first,
            source_split=source_split,
            actor=translator_en,
        )
    assert snapshot(small) == before


@pytest.mark.django_db
def test_move_first_sentence_to_the_previous_and_last_to_the_next(small, translator_en):
    a = draft(small, 0, "Alpha.", translator_en)
    b = draft(small, 1, "Beta one. Beta two. Beta three.", translator_en, last=2)
    c = draft(small, 3, "Gamma.", translator_en)
    current, other = services.translation_move_sentence(
        translation=b, version=1, neighbour=a, neighbour_version=1, actor=translator_en
    )
    assert (current.pk, current.text, current.version) == (b.pk, "Beta two. Beta three.", 2)
    assert (other.pk, other.text, other.version) == (a.pk, "Alpha. Beta one.", 2)
    current, other = services.translation_move_sentence(
        translation=b, version=2, neighbour=c, neighbour_version=1, actor=translator_en
    )
    assert (current.text, current.version) == ("Beta two.", 3)
    assert (other.pk, other.text, other.version) == (c.pk, "Beta three. Gamma.", 2)
    for t in (a, b, c):
        t.refresh_from_db()
        assert t.retired_at is None
        assert t.revisions.filter(action=Revision.Action.EDIT).count() == t.version - 1
    assert [x.pk for x in live(small)] == [a.pk, b.pk, c.pk]


@pytest.mark.django_db
def test_move_refused_when_not_neighbours_or_only_one_sentence(small, translator_en):
    a = draft(small, 0, "Alpha one. Alpha two.", translator_en)
    c = draft(small, 2, "Gamma one. Gamma two.", translator_en)
    d = draft(small, 3, "Delta.", translator_en)
    before = snapshot(small)
    with pytest.raises(InvalidSpan):
        services.translation_move_sentence(
            translation=a, version=1, neighbour=c, neighbour_version=1, actor=translator_en
        )
    with pytest.raises(InvalidInput):
        services.translation_move_sentence(
            translation=d, version=1, neighbour=c, neighbour_version=1, actor=translator_en
        )
    assert snapshot(small) == before


@pytest.mark.django_db
def test_every_fix_refused_on_a_stale_version(small, translator_en):
    a = draft(small, 0, "Alpha one. Alpha two.", translator_en)
    b = draft(small, 1, "Beta one. Beta two.", translator_en, last=2)
    before = snapshot(small)
    with pytest.raises(StaleVersion):
        services.translation_merge(first=a, second=b, first_version=1, second_version=2, actor=translator_en)
    with pytest.raises(StaleVersion):
        services.translation_split(
            translation=b, version=2, sentences_first=1, source_split=2, actor=translator_en
        )
    with pytest.raises(StaleVersion):
        services.translation_move_sentence(
            translation=a, version=1, neighbour=b, neighbour_version=3, actor=translator_en
        )
    assert snapshot(small) == before


@pytest.mark.django_db
def test_fixes_on_approved_units_refused_for_translators_allowed_for_editors(
    small, translator_en, editor, editor2
):
    a = approved(small, 0, "Alpha one. Alpha two.", translator=translator_en, editor=editor, last=1)
    b = draft(small, 2, "Beta one. Beta two.", translator_en, last=3)
    before = snapshot(small)
    with pytest.raises(ForbiddenAction):
        services.translation_merge(
            first=a, second=b, first_version=a.version, second_version=1, actor=translator_en
        )
    with pytest.raises(ForbiddenAction):
        services.translation_split(
            translation=a, version=a.version, sentences_first=1, source_split=1, actor=translator_en
        )
    with pytest.raises(ForbiddenAction):
        services.translation_move_sentence(
            translation=b, version=1, neighbour=a, neighbour_version=a.version, actor=translator_en
        )
    assert snapshot(small) == before
    assert MemoryUnit.objects.filter(translation=a).exists()
    current, other = services.translation_move_sentence(
        translation=a, version=a.version, neighbour=b, neighbour_version=1, actor=editor2
    )
    assert (current.text, current.status) == ("Alpha one.", Translation.Status.SUBMITTED)
    assert other.text == "Alpha two. Beta one. Beta two."
    assert not MemoryUnit.objects.filter(translation=a).exists()
    head, tail = services.translation_split(
        translation=other, version=other.version, sentences_first=2, source_split=3, actor=editor2
    )
    assert (head.text, tail.text) == ("Alpha two. Beta one.", "Beta two.")
    merged = services.translation_merge(
        first=current, second=head, first_version=current.version, second_version=head.version, actor=editor2
    )
    assert (merged.first_position, merged.last_position) == (0, 2)
    assert merged.text == "Alpha one. Alpha two. Beta one."


@pytest.mark.django_db
def test_a_stale_fix_is_stale_even_when_the_unit_was_approved_meanwhile(small, translator_en, editor):
    a = draft(small, 0, "Alpha one. Alpha two.", translator_en)
    b = draft(small, 1, "Beta.", translator_en)
    seen = a.version
    a = corpus_services.translation_submit(translation=a, version=a.version, actor=translator_en)
    corpus_services.translation_approve(translation=a, version=a.version, actor=editor)
    with pytest.raises(StaleVersion):
        services.translation_merge(
            first=a, second=b, first_version=seen, second_version=1, actor=translator_en
        )
    with pytest.raises(StaleVersion):
        services.translation_move_sentence(
            translation=a, version=seen, neighbour=b, neighbour_version=1, actor=translator_en
        )
    with pytest.raises(StaleVersion):
        services.translation_split(
            translation=a, version=seen, sentences_first=1, source_split=1, actor=translator_en
        )
