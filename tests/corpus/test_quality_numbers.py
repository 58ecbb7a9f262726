"""quality.numbers.extract_numbers on the seed document's number forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quality.numbers import NumberMention, comparison_keys, extract_numbers


def values(text: str, lang: str, *, explicit_only: bool = False) -> list[tuple[str, Decimal]]:
    return [(m.kind, m.value) for m in extract_numbers(text, lang) if m.explicit or not explicit_only]


def one(text: str, lang: str) -> NumberMention:
    found = [m for m in extract_numbers(text, lang) if m.kind != "code"]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("确诊病例上升到115119例", "zh", 115119),
        ("confirmed cases rose to 115,119", "en", 115119),
        ("확진자는 115,119명", "ko", 115119),
        ("提供2000万美元援助", "zh", 20_000_000),
        ("US$20 million in aid", "en", 20_000_000),
        ("twenty million dollars", "en", 20_000_000),
        ("2천만 달러", "ko", 20_000_000),
        ("2000만 달러", "ko", 20_000_000),
        ("이천만 달러", "ko", 20_000_000),
        ("1亿2000万人", "zh", 120_000_000),
        ("1억 2000만 명", "ko", 120_000_000),
        ("3.5万亿元", "zh", Decimal("3500000000000")),
        ("1.5 billion people", "en", 1_500_000_000),
        ("十天内", "zh", 10),
        ("两次金融危机", "zh", 2),
        ("三十多年", "zh", 30),
    ],
)
def test_values(text: str, lang: str, value: int | Decimal) -> None:
    assert one(text, lang).value == Decimal(value)


def test_spans_point_into_the_text() -> None:
    text = "到3月11日全球已有115个国家被卷入疫情，确诊病例上升到115119例，死亡4387人。"
    found = extract_numbers(text, "zh")
    assert [text[m.span[0] : m.span[1]] for m in found] == ["3月11日", "115", "115119", "4387"]
    assert [m.kind for m in found] == ["date", "plain", "plain", "plain"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("3月11日", "zh"),
        ("March 11", "en"),
        ("11 March", "en"),
        ("on the 11th of March", "en"),
        ("3월 11일", "ko"),
    ],
)
def test_dates(text: str, lang: str) -> None:
    m = one(text, lang)
    assert (m.kind, m.month, m.day) == ("date", 3, 11)
    assert comparison_keys(m)[0] == ("date", 3, 11)


@pytest.mark.parametrize(("text", "lang"), [("2008年", "zh"), ("in 2008", "en"), ("2008년", "ko")])
def test_years(text: str, lang: str) -> None:
    m = one(text, lang)
    assert (m.kind, m.value) == ("year", 2008)


@pytest.mark.parametrize(
    ("text", "lang", "qualifier"),
    [
        ("已有近70个国家", "zh", "under"),
        ("nearly 70 countries", "en", "under"),
        ("70개국 가까이", "ko", "under"),
        ("거의 70개국", "ko", "under"),
        ("有160多个国家", "zh", "over"),
        ("more than 160 countries", "en", "over"),
        ("160여 개 국가", "ko", "over"),
        ("160개 이상의 국가", "ko", "over"),
        ("约70个国家", "zh", "about"),
        ("about 70 countries", "en", "about"),
        ("약 70개국", "ko", "about"),
    ],
)
def test_approximations(text: str, lang: str, qualifier: str) -> None:
    m = one(text, lang)
    assert m.qualifier == qualifier
    assert m.value in (70, 160)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("50%", "zh"), ("百分之五十", "zh"), ("50 percent", "en"), ("50 per cent", "en"), ("50%", "ko")],
)
def test_percent(text: str, lang: str) -> None:
    m = one(text, lang)
    assert (m.kind, m.value) == ("percent", 50)


def test_identifiers_are_codes_not_plain_numbers() -> None:
    found = extract_numbers("G20领导人特别峰会、H1N1流感、COVID-19", "zh")
    assert [(m.kind, m.text) for m in found] == [("code", "G20"), ("code", "H1N1"), ("code", "COVID-19")]
    assert not any(m.explicit for m in found)


@pytest.mark.parametrize(
    "text", ["一带一路", "二战后", "两极格局", "三大特性", "十九大报告", "二次伤害", "一个切入口", "数十年"]
)
def test_set_phrases_are_not_explicit_numbers(text: str) -> None:
    assert values(text, "zh", explicit_only=True) == []


def test_number_words() -> None:
    assert values("two financial crises", "en") == [("plain", 2)]
    assert values("one hundred and fifteen countries", "en") == [("plain", 115)]
    assert values("more than three decades", "en") == [("plain", 30)]
    assert values("the 19th National Congress", "en") == [("ordinal", 19)]
    assert not any(m.explicit for m in extract_numbers("two-thirds of the countries", "en"))
    assert values("두 차례의 금융위기", "ko") == [("plain", 2)]
    assert values("세 가지 특성", "ko") == [("plain", 3)]
    assert values("세계 경제", "ko") == []  # 세 of 세계 is not "three"
    assert values("한국과 중국", "ko") == []


def test_list_markers_and_ordinals_are_not_explicit() -> None:
    assert [m.explicit for m in extract_numbers("1. Renewing globalization", "en")] == [False]
    assert [m.kind for m in extract_numbers("一、新冠疫情", "zh")] == ["list"]
    assert [m.kind for m in extract_numbers("제19차 당대회", "ko")] == ["ordinal"]


def test_full_width_digits_and_empty_text() -> None:
    assert one("１１５个国家", "zh").value == 115
    assert extract_numbers("", "en") == []
    assert extract_numbers("没有数字", "zh") == []
