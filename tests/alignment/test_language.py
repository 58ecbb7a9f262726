"""The language check on a pasted translation: script mix, as a pure function and in the plan."""

from __future__ import annotations

import pytest

from alignment import services
from alignment.language import detect_language, language_mismatch, script_shares
from corpus.errors import InvalidInput
from tests.factories import PUD, make_document


def pud(language: str, count: int = 20) -> str:
    return "\n".join((PUD / f"{language}.txt").read_text(encoding="utf-8").splitlines()[:count])


@pytest.mark.parametrize("language", ["zh", "en", "ko"])
def test_each_pud_side_is_detected_and_accepted(language):
    text = pud(language)
    assert detect_language(text) == language
    assert language_mismatch(text, language) is None


@pytest.mark.parametrize(
    ("pasted", "expected", "message"),
    [
        ("zh", "en", "This looks like Chinese, not English."),
        ("zh", "ko", "This looks like Chinese, not Korean."),
        ("en", "ko", "This looks like English, not Korean."),
        ("ko", "en", "This looks like Korean, not English."),
        ("en", "zh", "This looks like English, not Chinese."),
    ],
)
def test_a_paste_in_another_script_is_refused(pasted, expected, message):
    assert language_mismatch(pud(pasted), expected) == message


def test_mixed_text_with_names_numbers_and_foreign_words_is_allowed():
    english = (
        "Wei Xiaobao (韦小宝) grew up in Yangzhou (扬州). In 1998 the company sold 115,119 units. "
        "The motto 天下为公 hung above the door of the Lichun brothel."
    )
    korean = "코로나19 이후 WHO와 G20은 다자주의(多邊主義)를 강조했다. Thomas Friedman은 《The World Is Flat》의 저자다."
    assert language_mismatch(english, "en") is None
    assert language_mismatch(korean, "ko") is None
    assert language_mismatch("Das Wetter war schlecht, und sie kehrten 1932 zurück.", "en") is None


def test_too_few_letters_decide_nothing():
    assert detect_language("1998 — 2020: 42 %") is None
    assert language_mismatch("G20", "ko") is None
    assert language_mismatch("第一章", "en") is None


def test_japanese_is_not_chinese():
    assert language_mismatch(
        "これは日本語の文章です。東京に住んでいます。毎日電車で会社へ行きます。", "zh"
    ) == ("This looks like Japanese, not Chinese.")


def test_shares_weigh_han_and_hangul_heavier_than_latin():
    shares = script_shares("中文 abc")
    assert shares["han"] == pytest.approx(6 / 9)
    assert shares["latin"] == pytest.approx(3 / 9)
    assert sum(script_shares("!!! 123").values()) == 0.0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pasted", "language", "message"),
    [
        ("zh", "en", "This looks like Chinese, not English."),
        ("en", "ko", "This looks like English, not Korean."),
    ],
)
def test_alignment_plan_refuses_a_paste_in_the_wrong_language(pasted, language, message):
    document = make_document(pud("zh", 10) + "\n")
    with pytest.raises(InvalidInput) as raised:
        services.alignment_plan(document=document, language=language, text=pud(pasted, 10))
    assert raised.value.message == message
    assert raised.value.detail == {"field": "text"}


@pytest.mark.django_db
def test_alignment_plan_accepts_the_right_language():
    document = make_document(pud("zh", 10) + "\n")
    plan = services.alignment_plan(document=document, language="ko", text=pud("ko", 10))
    assert len(plan.sentences) >= 10
