import pytest

from alignment.splitting import paragraph_indices, split_paragraphs, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith arrived. He sat down.", ["Dr. Smith arrived.", "He sat down."]),
        (
            "Mr. and Mrs. Lee met No. 5 at 9 a.m. on Monday.",
            ["Mr. and Mrs. Lee met No. 5 at 9 a.m. on Monday."],
        ),
        ("Acme Inc. sold it. Prices rose.", ["Acme Inc. sold it.", "Prices rose."]),
        (
            "It grew 3.5 percent to 115,119 units. Then it fell.",
            ["It grew 3.5 percent to 115,119 units.", "Then it fell."],
        ),
        ("Use tools, e.g. hammers. Be careful.", ["Use tools, e.g. hammers.", "Be careful."]),
        ("He lived in the U.S. for years. The end.", ["He lived in the U.S. for years.", "The end."]),
        ("He moved to the U.S. The house was big.", ["He moved to the U.S.", "The house was big."]),
        ("J. K. Rowling wrote it.", ["J. K. Rowling wrote it."]),
        ("Wait... What happened?", ["Wait...", "What happened?"]),
        (
            "She said, \u201cGo home!\u201d Then she left.",
            ["She said, \u201cGo home!\u201d", "Then she left."],
        ),
        ("(This is an aside.) Next one.", ["(This is an aside.)", "Next one."]),
        ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        ("the price was 3.5. and so on", ["the price was 3.5. and so on"]),
    ],
)
def test_english_rules(text, expected):
    assert split_sentences(text, "en") == expected


def test_korean_endings_split_without_capitals():
    text = "그는 집에 갔다. 정말 그랬어요? 네, 그렇습니다! 3.5% 증가했다."
    assert split_sentences(text, "ko") == [
        "그는 집에 갔다.",
        "정말 그랬어요?",
        "네, 그렇습니다!",
        "3.5% 증가했다.",
    ]


def test_korean_keeps_latin_abbreviation():
    assert split_sentences("Dr. Kim은 말했다. 좋다.", "ko") == ["Dr. Kim은 말했다.", "좋다."]


def test_line_breaks_are_hard_boundaries():
    text = "First line without a stop\nsecond line continues. Another\n\n  Third  "
    assert split_sentences(text, "en") == [
        "First line without a stop",
        "second line continues.",
        "Another",
        "Third",
    ]
    assert paragraph_indices(text, "en") == [0, 1, 1, 2]


def test_chinese_uses_source_rules():
    assert split_paragraphs("他来了。你好吗？\n“好！”她说。", "zh") == [
        ["他来了。", "你好吗？"],
        ["“好！”", "她说。"],
    ]


def test_fullwidth_terminators_in_korean_text():
    assert split_sentences("좋다。그렇다", "ko") == ["좋다。", "그렇다"]


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        split_sentences("Hallo.", "xx")


def test_a_list_marker_does_not_end_a_sentence():
    assert split_sentences("1. Renewing globalization (Fu Mengzi, Vice President)", "en") == [
        "1. Renewing globalization (Fu Mengzi, Vice President)"
    ]
    assert split_sentences("IV. The end of it. We saw it.", "en") == ["IV. The end of it.", "We saw it."]
    assert split_sentences("He came in 2008. Then he left.", "en") == ["He came in 2008.", "Then he left."]
