from pathlib import Path

import pytest

from alignment import aligner as aligner_module
from alignment.aligner import BEAD_PRIORS, Bead, align
from alignment.evaluation import read_beads, read_lines, score_documents
from alignment.lexicon import hangul_reading, pinyin, stem, translations
from alignment.numbers import numbers
from tests.factories import PUD


def ids(beads):
    return [(bead.src, bead.tgt) for bead in beads]


def assert_covers(beads, n, m):
    src = [i for bead in beads for i in bead.src]
    tgt = [j for bead in beads for j in bead.tgt]
    assert src == list(range(n))
    assert tgt == list(range(m))
    assert all(0.0 <= bead.score <= 1.0 for bead in beads)


ZH = [
    "韦小宝在扬州长大。",
    "他的母亲在丽春院工作。",
    "有一天，茅十八来到了扬州。",
    "他们在1998年一起去了北京。",
    "北京很大，人很多。",
]
EN = [
    "Wei Xiaobao grew up in Yangzhou.",
    "His mother worked in the Lichun brothel.",
    "One day, Mao Shiba came to Yangzhou.",
    "In 1998 they went to Beijing together.",
    "Beijing was big.",
    "There were many people.",
]


def test_bead_is_a_frozen_dataclass():
    bead = Bead((0,), (0, 1), 0.5)
    with pytest.raises(AttributeError):
        bead.score = 1.0  # type: ignore[misc]


def test_one_to_one_and_one_to_two():
    beads = align(ZH, EN, src_lang="zh", tgt_lang="en")
    assert_covers(beads, len(ZH), len(EN))
    assert ids(beads) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((4,), (4, 5))]


def test_two_to_one():
    en = ["Wei Xiaobao grew up in Yangzhou, where his mother worked in the Lichun brothel.", *EN[2:]]
    beads = align(ZH, en, src_lang="zh", tgt_lang="en")
    assert_covers(beads, len(ZH), len(en))
    assert ids(beads)[0] == ((0, 1), (0,))


def test_insertion_and_deletion_of_unrelated_sentences():
    zh = [*ZH[:2], "天上的星星闪闪发光，夜空非常美丽，远处传来了悠扬的笛声和孩子们的笑声。", *ZH[2:]]
    en = [*EN[:3], "Translator's note: the names are transcribed in pinyin throughout.", *EN[3:]]
    beads = align(zh, en, src_lang="zh", tgt_lang="en")
    assert_covers(beads, len(zh), len(en))
    found = ids(beads)
    assert ((2,), ()) in found
    assert ((), (3,)) in found
    assert ((3,), (2,)) in found
    assert ((4,), (4,)) in found


def test_numbers_anchor_european_texts():
    de = [
        "Am 12. Mai 1931 erreichten sie 4478 Meter.",
        "Das Wetter war schlecht.",
        "Sie kehrten 1932 zurück.",
    ]
    fr = ["Le 12 mai 1931, ils atteignirent 4478 mètres.", "Il faisait mauvais.", "Ils revinrent en 1932."]
    beads = align(de, fr, src_lang="de", tgt_lang="fr")
    assert ids(beads) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_fixed_anchor_is_respected():
    # Force sentence 1 of the source onto targets 1 and 2, against the evidence.
    beads = align(ZH, EN, src_lang="zh", tgt_lang="en", anchors=[(range(1, 2), range(1, 3))])
    assert_covers(beads, len(ZH), len(EN))
    found = ids(beads)
    assert ((1,), (1, 2)) in found
    assert next(bead for bead in beads if bead.src == (1,)).score == 1.0
    assert found[0] == ((0,), (0,))


def test_anchors_out_of_order_are_refused():
    with pytest.raises(ValueError):
        align(ZH, EN, src_lang="zh", tgt_lang="en", anchors=[((2, 3), (2, 3)), ((1, 3), (1, 2))])


def test_empty_sides():
    assert align([], [], src_lang="zh", tgt_lang="en") == []
    assert ids(align(ZH[:2], [], src_lang="zh", tgt_lang="en")) == [((0,), ()), ((1,), ())]
    assert ids(align([], EN[:1], src_lang="zh", tgt_lang="en")) == [((), (0,))]


def test_bead_types_include_one_to_four():
    assert {(1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4)} <= set(BEAD_PRIORS)


def load(folder: Path, src: str, tgt: str):
    return read_lines(folder / src), read_lines(folder / tgt)


def test_partial_translation_leaves_the_rest_unaligned():
    zh, en = load(PUD, "zh.txt", "en.txt")
    zh = zh[:300]
    # The translator pasted only the translation of the first half.
    beads = align(zh, en[:150], src_lang="zh", tgt_lang="en")
    assert_covers(beads, 300, 150)
    tail = [bead for bead in beads if bead.src and bead.src[0] >= 153]
    assert tail, "the untranslated half must still be in the output"
    assert all(bead.tgt == () for bead in tail), "untranslated source must come out as 1-0 beads"
    expected = [((i,), (i,)) for i in range(150)] + [((i,), ()) for i in range(150, 300)]
    assert score_documents([(expected, ids(beads))]).strict_f1 > 0.95


def test_partial_translation_zh_ko_middle_article():
    folder = PUD
    zh, ko = load(folder, "zh.txt", "ko.txt")
    zh, ko = zh[:300], ko[:300]
    # The Korean translation covers only sentences 100..199.
    beads = align(zh, ko[100:200], src_lang="zh", tgt_lang="ko")
    assert_covers(beads, 300, 100)
    expected = [((i,), ()) for i in range(100)]
    expected += [((i,), (i - 100,)) for i in range(100, 200)]
    expected += [((i,), ()) for i in range(200, 300)]
    scores = score_documents([(expected, ids(beads))])
    assert scores.strict_f1 > 0.9
    outside = [bead for bead in beads if bead.src and (bead.src[0] < 95 or bead.src[0] > 205)]
    assert all(bead.tgt == () for bead in outside)


@pytest.mark.parametrize(
    ("src", "tgt", "src_lang", "tgt_lang"),
    [("zh.txt", "en.txt", "zh", "en"), ("zh.txt", "ko.txt", "zh", "ko"), ("en.txt", "ko.txt", "en", "ko")],
)
def test_pud_zh_en_strict_f1(src, tgt, src_lang, tgt_lang):
    folder = PUD
    source, target = load(folder, src, tgt)
    beads = align(source, target, src_lang=src_lang, tgt_lang=tgt_lang)
    scores = score_documents([(read_beads(folder / "gold.align"), ids(beads))])
    assert scores.strict_f1 >= 0.99


# --- the bead scorer and its resources -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("115,119 and 115119", ["115119", "115119"]),
        ("2000万", ["20000000"]),
        ("20 million", ["20000000"]),
        ("2천만", ["20000000"]),
        ("两千万", ["20000000"]),
        ("3.5 et 3,5", ["3.5", "3.5"]),
        ("一九九八年", ["1998"]),
        ("一个人", []),
        ("G20 2015년", ["20", "2015"]),  # a space before four digits is not a thousands separator
        ("20 000 habitants", ["20000"]),
    ],
)
def test_numbers_agree_across_scripts(text, expected):
    assert numbers(text) == expected


def test_korean_tokens_are_content_morphemes_matching_sino_korean_readings():
    tokens = aligner_module._tokens("팬데믹은 국제 자유무역 질서에 충격을 주었다.", "ko", "zh")
    keys = [token.key for token in tokens]
    assert {"국제", "자유", "무역", "질서", "충격"} <= set(keys)
    assert "은" not in keys and "에" not in keys  # particles are not tokens
    chinese = aligner_module._tokens("国际秩序", "zh", "ko")
    shared = {f for token in chinese for f in token.features} & {
        f for token in tokens for f in token.features
    }
    assert {"k:국제", "k:질서"} <= shared


def test_lexical_resources():
    assert "country" in translations("国家")
    assert "country" in translations("國家")  # traditional form
    assert pinyin("韦小宝") == "weixiaobao"
    assert hangul_reading("国家") == "국가"  # simplified mapped to traditional first
    assert hangul_reading("歷史") == "역사"  # initial-sound rule: 력 -> 역
    assert stem("studies") == stem("study")
    assert stem("walked") == stem("walking")


def model_for(src, tgt, src_lang, tgt_lang):
    model = aligner_module._Model(
        src_tokens=[aligner_module._tokens(text, src_lang, tgt_lang) for text in src],
        tgt_tokens=[aligner_module._tokens(text, tgt_lang, src_lang) for text in tgt],
        src_len=[aligner_module._length(text) for text in src],
        tgt_len=[aligner_module._length(text) for text in tgt],
    )
    model.ratio = aligner_module.DEFAULT_RATIO[(src_lang, tgt_lang)]
    model.index()
    model.edges = (0, len(src), 0, len(tgt))
    return model


def test_scorer_prefers_translations():
    model = model_for(ZH, EN, "zh", "en")
    for s in range(4):
        right = model.score(s, s + 1, s, s + 1)
        wrong = [model.score(s, s + 1, t, t + 1) for t in range(4) if t != s]
        assert right > max(wrong), s
    # The one-to-two bead of the last sentence beats the one-to-one plus a lone target.
    merged = model.score(4, 5, 4, 6)
    split = model.score(4, 5, 4, 5) + model.score(5, 5, 5, 6)
    assert merged > split
    assert 0.0 <= model.confidence(0, 1, 0, 1) <= 1.0
    assert model.confidence(0, 1, 0, 1) > model.confidence(0, 1, 2, 3)


def test_scorer_zh_ko_uses_sino_korean_readings():
    model = model_for(
        ["国家历史博物馆开放了。", "他研究经济。"],
        ["국가 역사 박물관이 개방되었다.", "그는 경제를 연구한다."],
        "zh",
        "ko",
    )
    assert model.lexical(0, 1, 0, 1) > model.lexical(0, 1, 1, 2)
    assert model.lexical(1, 2, 1, 2) > model.lexical(1, 2, 0, 1)


def test_length_model_penalises_mismatch():
    model = model_for(
        ["短句。", "这是一个非常非常长的句子，里面有很多很多的字。"], ["Short.", "Hi."], "zh", "en"
    )
    assert model.length_logp(0, 1, 0, 1) > model.length_logp(1, 2, 1, 2)
    assert model.length_logp(0, 1, 0, 1) <= 0.0


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("'Come on then: let's see—'", "en", 2),  # the apostrophe of let's is not a quote
        ("Trinket's mind, with all these references to ‘His Majesty’.", "en", 2),
        ("韦小宝道：“那也不见得，咱们再打一会试试。”", "zh", 2),
        ("l'homme a dit « non »", "fr", 2),  # French elision: only the guillemets
        ("No quotation here, isn't it?", "en", 0),
    ],
)
def test_quotation_marks_are_counted_apostrophes_are_not(text, language, expected):
    assert aligner_module.quote_marks(text, language) == expected


def test_a_quotation_cut_between_beads_costs(monkeypatch):
    src = ["天亮了。", "他说：“走吧。", "我们回家。”", "天黑了。"]
    tgt = ["It was morning.", "'Let's go,' he said, 'we are going home.'", "It was dark."]
    beads = align(src, tgt, src_lang="zh", tgt_lang="en")
    # the quotation of sentences 1-2 is one English sentence: the two go together
    assert [(bead.src, bead.tgt) for bead in beads] == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    monkeypatch.setattr(aligner_module, "QUOTE_ODD", 0.0)
    monkeypatch.setattr(aligner_module, "QUOTE_EVEN", 0.0)
    blind = align(src, tgt, src_lang="zh", tgt_lang="en")
    assert [(bead.src, bead.tgt) for bead in blind] != [(bead.src, bead.tgt) for bead in beads]
