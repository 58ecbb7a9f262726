from django.conf import settings

from corpus.segmentation import is_heading, normalise, segment_document, split_sentences, words

SEED = settings.WORKBENCH_SEED_PATH.read_text(encoding="utf-8")


def test_normalise_folds_no_break_and_ideographic_spaces():
    assert normalise("\u00a0\u3000中国\u00a0\u00a0在\u3000引领 ") == "中国 在 引领"


def test_normalise_composes_nfc():
    assert normalise("e\u0301") == "\u00e9"


def test_closing_quotes_and_brackets_stay_with_their_sentence():
    text = "他说：“我们走吧。”大家都同意。（这是注释。）最后一句！？然后……结束"
    assert split_sentences(text) == [
        "他说：“我们走吧。”",
        "大家都同意。",
        "（这是注释。）",
        "最后一句！？",
        "然后……",
        "结束",
    ]


def test_headings():
    assert is_heading("1. 更新全球化 （傅梦孜，副院长）")
    assert is_heading("二、全球抗疫要践行“义在利先”的国际人道主义")
    assert is_heading("疫后全球治理创新需加强多边合作")
    assert not is_heading("思考疫情对全球化带来的影响，要看它给全球化的推动力和阻力带来什么样的影响和改变。")


def test_words_exclude_punctuation():
    assert words("中国，在引领全球化。") == ["中国", "在", "引领", "全球化"]


def test_seed_document_segmentation_is_pinned():
    source = segment_document(SEED)
    assert source.paragraphs == 61
    headings = [segment.text for segment in source.segments if segment.kind == "heading"]
    assert len(headings) == 10
    assert [h[:2] for h in headings[:6]] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert [h[:2] for h in headings[6:9]] == ["一、", "二、", "三、"]
    assert headings[9] == "疫后全球治理创新需加强多边合作"
    assert source.segments[0].text.startswith("【编者按】") and source.segments[0].kind == "body"
    # The rule in corpus/segmentation.py gives 215 segments (205 sentences and 10 headings).
    assert len(source.segments) == 215
    assert [line.text for line in source.korean_lines] == [
        "코로나 이후 국제 거버넌스 혁신으로 다자간 협력 강화하자"
    ]
    for segment in source.segments:
        assert "\u00a0" not in segment.text and "\u3000" not in segment.text
        assert segment.words > 0 and segment.chars >= len(segment.text.replace(" ", ""))
