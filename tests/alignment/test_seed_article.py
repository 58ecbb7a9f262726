"""The seed's third article, translated by us into English and Korean (tests/data/seed-article-3).

Each translation is pasted as a translator would: the article alone, with its paragraph breaks,
against the whole 215-segment seed document. The alignment must be exact on every bead: the
article's beads as in the gold (1-1, and the merges and splits the translations make), every other
segment of the document left untranslated.
"""

from __future__ import annotations

from functools import cache

import pytest
from django.conf import settings

from alignment import services
from alignment.aligner import align
from alignment.evaluation import read_beads
from alignment.splitting import split_sentences
from corpus.segmentation import segment_document
from tests.factories import seed_document

DATA = settings.BASE_DIR / "tests" / "data" / "seed-article-3"


@cache
def segments() -> list[str]:
    return [segment.text for segment in segment_document(settings.WORKBENCH_SEED_PATH.read_text()).segments]


def expected(language: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    gold = read_beads(DATA / f"gold-{language}.align")
    covered = {i for src, _tgt in gold for i in src}
    untranslated = [((i,), ()) for i in range(len(segments())) if i not in covered]
    return sorted(untranslated + gold, key=lambda bead: bead[0][0])


def test_the_seed_has_the_article_where_the_gold_says():
    assert len(segments()) == 215
    assert segments()[178] == "疫后全球治理创新需加强多边合作"
    assert segments()[214].startswith("各国需要展现积极的多边合作精神")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_translation_aligns_exactly(language):
    sentences = split_sentences((DATA / f"{language}.txt").read_text(encoding="utf-8"), language)
    assert len(sentences) == 37
    beads = align(segments(), sentences, src_lang="zh", tgt_lang=language)
    assert [(bead.src, bead.tgt) for bead in beads] == expected(language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_plan_of_each_translation_is_exact(language):
    document = seed_document()
    text = (DATA / f"{language}.txt").read_text(encoding="utf-8")
    # The seed's own Korean title is a submitted translation: replacing it is asked for explicitly.
    plan = services.alignment_plan(document=document, language=language, text=text, replace_submitted=True)
    found = [
        (tuple(range(unit.first, unit.last + 1)), tuple(unit.sentences))
        for unit in plan.units
        if unit.first is not None and unit.kept is None
    ]
    assert sorted(found) == expected(language)


@pytest.mark.django_db
def test_without_asking_the_submitted_korean_title_is_kept():
    document = seed_document()
    text = (DATA / "ko.txt").read_text(encoding="utf-8")
    plan = services.alignment_plan(document=document, language="ko", text=text)
    (kept,) = [unit for unit in plan.units if unit.standing is not None or unit.kept is not None]
    assert (kept.standing or kept.kept).status == "submitted"
    assert plan.summary()["kept_submitted"] == 1
