"""Reference translations: loading (one line per segment, or a whole text aligned), the scores of the
live translations against them (sacrebleu's own corpus scores), errors and permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from sacrebleu.metrics import BLEU, CHRF, TER

from corpus.models import Reference, ReferenceUnit, Segment
from quality.metrics import bleu_tokenize_for
from tests.factories import make_document
from translations import services

pytestmark = pytest.mark.django_db

API = "/api/v1"

SOURCE = (
    "参考标题{tag}\n第一句话讲到三个问题。第二句话说“你好！”他说。\n第三段只有一句。\n第四段也有一句话。\n"
)
EN_LINES = [
    "Reference title",
    "The first sentence mentions three problems.",
    "The second sentence says “hello!”",
    "he said.",
    "The third paragraph has only one sentence.",
    "The fourth paragraph also has a sentence.",
]
EN_HYPOTHESES = {
    0: "Reference heading",
    1: "The first sentence talks about three issues.",
    2: "The second sentence says hello",
    4: "The third paragraph has just one sentence.",
    5: "The fourth paragraph has one sentence too.",
}
KO_LINES = [
    "참고 제목",
    "첫 번째 문장은 세 가지 문제를 말한다.",
    "두 번째 문장은 “안녕!”이라고 말한다",
    "그가 말했다.",
    "세 번째 단락은 한 문장뿐이다.",
    "네 번째 단락에도 한 문장이 있다.",
]
KO_HYPOTHESES = {
    0: "참고 제목입니다",
    1: "첫 문장은 세 가지 문제에 대해 말한다.",
    4: "세 번째 단락에는 한 문장만 있다.",
    5: "네 번째 단락도 한 문장이다.",
}


def source_document(tag: str):
    document = make_document(SOURCE.format(tag=tag))
    assert document.segments.count() == len(EN_LINES)
    return document


def translate(document, hypotheses: dict[int, str], actor, language="en"):
    for position, text in hypotheses.items():
        services.translation_create(
            document=document, language=language, first_position=position, text=text, actor=actor
        )


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def expected_scores(hypotheses: list[str], references: list[str], tokenize: str) -> dict:
    """sacrebleu's own corpus scores, computed here independently of quality."""
    bleu, chrf, ter = BLEU(tokenize=tokenize), CHRF(), TER()
    refs = [references]
    return {
        "bleu": (bleu.corpus_score(hypotheses, refs).score, str(bleu.get_signature())),
        "chrf": (chrf.corpus_score(hypotheses, refs).score, str(chrf.get_signature())),
        "ter": (ter.corpus_score(hypotheses, refs).score, str(ter.get_signature())),
    }


def assert_scores(body: dict, hypotheses: list[str], references: list[str], tokenize: str) -> None:
    assert body["segments"] == len(hypotheses)
    for metric, (score, signature) in expected_scores(hypotheses, references, tokenize).items():
        assert body[metric]["score"] == pytest.approx(score, abs=1e-9), metric
        assert body[metric]["signature"] == signature, metric
    assert f"tok:{tokenize}" in body["bleu"]["signature"]


def scores_url(document) -> str:
    return f"{API}/documents/{document.pk}/scores/"


def references_url(document) -> str:
    return f"{API}/documents/{document.pk}/references/"


# --- one line per segment -----------------------------------------------------------------------


def test_lines_reference_as_text_scores_like_sacrebleu(translator_en):
    document = source_document("a")
    translate(document, EN_HYPOTHESES, translator_en)
    client = api(translator_en)
    response = client.post(
        references_url(document),
        {"language": "en", "name": "human", "mode": "lines", "text": "\n".join(EN_LINES) + "\n"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    reference = Reference.objects.get(document=document)
    assert body["reference"]["id"] == reference.pk
    assert body["reference"]["origin"] == "lines" == reference.origin
    assert body["reference"]["name"] == "human" and body["reference"]["language"] == "en"
    units = list(
        reference.units.order_by("first_position").values_list("first_position", "last_position", "text")
    )
    assert units == [(i, i, line) for i, line in enumerate(EN_LINES)]

    positions = sorted(EN_HYPOTHESES)  # segment 3 has no translation: left out
    hypotheses = [EN_HYPOTHESES[p] for p in positions]
    references = [EN_LINES[p] for p in positions]
    assert bleu_tokenize_for("en") == "13a"
    assert_scores(body, hypotheses, references, "13a")
    assert body["target_lang"] == "en"
    assert 0 < body["bleu"]["score"] < 100 and body["ter"]["score"] > 0

    again = client.get(scores_url(document), {"language": "en"})
    assert again.status_code == 200
    assert again.json() == body


def test_lines_reference_as_file_upload_in_korean(translator_ko):
    document = source_document("b")
    translate(document, KO_HYPOTHESES, translator_ko, language="ko")
    lines = list(KO_LINES)
    lines[5] = ""  # a segment without reference: its translation is left out
    upload = SimpleUploadedFile("ref.ko.txt", ("\r\n".join(lines) + "\r\n").encode(), "text/plain")
    response = api(translator_ko).post(
        references_url(document), {"language": "ko", "file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"]["name"] == "ref.ko.txt"
    assert body["reference"]["origin"] == "lines"

    tokenize = bleu_tokenize_for("ko")
    assert tokenize in {"ko-mecab", "char"}
    positions = [0, 1, 4]
    assert_scores(body, [KO_HYPOTHESES[p] for p in positions], [KO_LINES[p] for p in positions], tokenize)
    assert body["target_lang"] == "ko"


def test_scores_follow_the_live_translations_and_the_latest_reference(translator_en, editor):
    document = source_document("c")
    translate(document, {1: EN_LINES[1], 4: EN_LINES[4]}, translator_en)
    client = api(translator_en)
    first = client.post(
        references_url(document), {"language": "en", "text": "\n".join(EN_LINES)}, format="json"
    ).json()
    assert first["bleu"]["score"] == pytest.approx(100.0)
    assert first["ter"]["score"] == pytest.approx(0.0)
    assert first["segments"] == 2

    # An edit changes the scores at the next read; nothing is cached.
    t = document.translations.get(language="en", first_position=4)
    services.translation_save(
        translation=t, text="Something else entirely.", version=t.version, actor=translator_en
    )
    now = client.get(scores_url(document), {"language": "en"}).json()
    assert_scores(now, [EN_LINES[1], "Something else entirely."], [EN_LINES[1], EN_LINES[4]], "13a")
    assert now["bleu"]["score"] < 100

    # A newer reference replaces the older one for the scores.
    other = [line.upper() for line in EN_LINES]
    second = client.post(
        references_url(document),
        {"language": "en", "name": "shouting", "text": "\n".join(other)},
        format="json",
    ).json()
    assert second["reference"]["id"] != first["reference"]["id"]
    latest = client.get(scores_url(document), {"language": "en"}).json()
    assert latest["reference"]["name"] == "shouting"
    assert_scores(latest, [EN_LINES[1], "Something else entirely."], [other[1], other[4]], "13a")


def test_a_reference_without_any_translation_to_score(translator_en):
    document = source_document("d")
    response = api(translator_en).post(
        references_url(document), {"language": "en", "text": "\n".join(EN_LINES)}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["segments"] == 0
    assert body["bleu"] is None and body["chrf"] is None and body["ter"] is None


@pytest.mark.parametrize("count", [len(EN_LINES) - 1, len(EN_LINES) + 2])
def test_a_wrong_line_count_is_refused_and_writes_nothing(translator_en, count):
    document = source_document(f"e{count}")
    lines = (EN_LINES * 2)[:count]
    before = (Reference.objects.count(), ReferenceUnit.objects.count())
    response = api(translator_en).post(
        references_url(document), {"language": "en", "text": "\n".join(lines)}, format="json"
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert f"{count} lines" in error["message"]
    assert f"{len(EN_LINES)} segments" in error["message"]
    assert error["detail"] == {"lines": count, "segments": len(EN_LINES)}
    assert (Reference.objects.count(), ReferenceUnit.objects.count()) == before
    missing = api(translator_en).get(scores_url(document), {"language": "en"})
    assert missing.status_code == 404


# --- a whole text, aligned ----------------------------------------------------------------------


ALIGNED_SOURCE = (
    "对齐标题{tag}\n"
    "第一句话很长，讲到了全球化的三个主要问题和它们对各国经济的深远影响。"
    "第二句话也很长，说明了各国应该如何加强合作来共同应对这些严峻挑战。\n"
    "第三段只有一句很短的话。\n第四段也有一句话，讲到了别的事情。\n"
)
MERGED = (
    "The first sentence is long and covers three main problems of globalization and their deep effects "
    "on national economies, while the second, also long, explains how countries should cooperate more "
    "closely to face these serious challenges together."
)
ALIGNED_UNITS = [
    (0, 0, "Alignment title"),
    (1, 2, MERGED),
    (3, 3, "The third paragraph has only one short sentence."),
    (4, 4, "The fourth paragraph also has a sentence, about something else."),
]
ALIGNED_TEXT = "\n".join(unit[2] for unit in ALIGNED_UNITS) + "\n"


def aligned_document(tag: str):
    document = make_document(ALIGNED_SOURCE.format(tag=tag))
    assert document.segments.count() == 5
    return document


def test_aligned_reference_spans_several_segments_and_scores(translator_en):
    document = aligned_document("f")
    # One span over the two sentences of the first paragraph, one segment each elsewhere.
    merged_hypothesis = (
        "The first long sentence covers three main problems of globalization and their effects on "
        "economies, and the second explains how countries should cooperate to face the challenges."
    )
    services.translation_create(
        document=document,
        language="en",
        first_position=1,
        last_position=2,
        text=merged_hypothesis,
        actor=translator_en,
    )
    hypotheses = {0: "Title of the alignment", 3: "The third paragraph is one short sentence."}
    translate(document, hypotheses, translator_en)
    response = api(translator_en).post(
        references_url(document),
        {"language": "en", "name": "book", "mode": "aligned", "text": ALIGNED_TEXT},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"]["origin"] == "aligned"
    reference = Reference.objects.get(pk=body["reference"]["id"])
    units = list(
        reference.units.order_by("first_position").values_list("first_position", "last_position", "text")
    )
    assert units == ALIGNED_UNITS
    # Segment 4 has no translation: left out.
    assert_scores(
        body,
        [hypotheses[0], merged_hypothesis, hypotheses[3]],
        [ALIGNED_UNITS[0][2], MERGED, ALIGNED_UNITS[2][2]],
        "13a",
    )
    assert api(translator_en).get(scores_url(document), {"language": "en"}).json() == body


def test_a_translation_inside_a_wider_reference_unit_is_left_out(translator_en):
    document = aligned_document("g")
    translate(
        document,
        {1: "The first sentence alone.", 2: "The second sentence alone.", 4: "The fourth paragraph."},
        translator_en,
    )
    response = api(translator_en).post(
        references_url(document), {"language": "en", "mode": "aligned", "text": ALIGNED_TEXT}, format="json"
    )
    assert response.status_code == 201, response.content
    # Segments 1 and 2 are translated one by one, but the reference covers 1..2 as one unit.
    assert_scores(response.json(), ["The fourth paragraph."], [ALIGNED_UNITS[3][2]], "13a")


def test_an_aligned_reference_without_sentences_is_400(translator_en):
    document = aligned_document("o")
    response = api(translator_en).post(
        references_url(document), {"language": "en", "mode": "aligned", "text": " \n \n"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert not Reference.objects.filter(document=document).exists()


def test_an_aligned_reference_of_several_segments_joins_them(translator_en):
    """A translation span covering several reference units is scored against their joined text."""
    document = source_document("h")
    services.translation_create(
        document=document,
        language="en",
        first_position=4,
        last_position=5,
        text="The third and fourth paragraphs each have one sentence.",
        actor=translator_en,
    )
    response = api(translator_en).post(
        references_url(document), {"language": "en", "text": "\n".join(EN_LINES)}, format="json"
    )
    body = response.json()
    assert_scores(
        body,
        ["The third and fourth paragraphs each have one sentence."],
        [f"{EN_LINES[4]} {EN_LINES[5]}"],
        "13a",
    )


# --- errors and permissions ---------------------------------------------------------------------


def test_scores_without_a_reference_is_404(translator_en):
    document = source_document("i")
    translate(document, {1: EN_HYPOTHESES[1]}, translator_en)
    response = api(translator_en).get(scores_url(document), {"language": "en"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # A Korean reference does not give English scores.
    Reference.objects.create(document=document, language="ko", name="ko", origin="lines")
    assert api(translator_en).get(scores_url(document), {"language": "en"}).status_code == 404


@pytest.mark.parametrize("params", [{"language": "fr"}, {}])
def test_scores_of_an_unknown_language_is_400(translator_en, params):
    document = source_document("j" + "".join(params.values()))
    response = api(translator_en).get(scores_url(document), params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_translators_load_references_for_their_languages_only(translator_en, translator_ko, editor):
    document = source_document("k")
    refused = api(translator_en).post(
        references_url(document), {"language": "ko", "text": "\n".join(KO_LINES)}, format="json"
    )
    assert refused.status_code == 403, refused.content
    assert refused.json()["error"]["code"] == "forbidden_action"
    upload = SimpleUploadedFile("ref.txt", "\n".join(EN_LINES).encode(), "text/plain")
    refused_file = api(translator_ko).post(
        references_url(document), {"language": "en", "file": upload}, format="multipart"
    )
    assert refused_file.status_code == 403
    assert not Reference.objects.filter(document=document).exists()

    assert (
        api(translator_ko)
        .post(references_url(document), {"language": "ko", "text": "\n".join(KO_LINES)}, format="json")
        .status_code
        == 201
    )
    assert (
        api(editor)
        .post(references_url(document), {"language": "en", "text": "\n".join(EN_LINES)}, format="json")
        .status_code
        == 201
    )
    assert set(Reference.objects.filter(document=document).values_list("language", flat=True)) == {"en", "ko"}
    # Reading the scores needs no language of one's own.
    assert api(translator_en).get(scores_url(document), {"language": "ko"}).status_code == 200

    anonymous = APIClient().post(
        references_url(document), {"language": "en", "text": "\n".join(EN_LINES)}, format="json"
    )
    assert anonymous.status_code == 401
    assert APIClient().get(scores_url(document), {"language": "en"}).status_code == 401


@pytest.mark.parametrize(
    "data",
    [
        {"language": "en"},  # neither text nor file
        {"language": "en", "text": "x", "mode": "sideways"},
        {"language": "xx", "text": "\n".join(EN_LINES)},
        {"text": "\n".join(EN_LINES)},
    ],
)
def test_invalid_reference_uploads_are_400(translator_en, data):
    document = source_document("l" + str(sorted(data)))
    response = api(translator_en).post(references_url(document), data, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert not Reference.objects.filter(document=document).exists()


def test_text_and_file_together_are_refused(translator_en):
    document = source_document("m")
    upload = SimpleUploadedFile("ref.txt", "\n".join(EN_LINES).encode(), "text/plain")
    response = api(translator_en).post(
        references_url(document),
        {"language": "en", "text": "\n".join(EN_LINES), "file": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert not Reference.objects.filter(document=document).exists()


def test_references_of_a_missing_document_are_404(translator_en):
    response = api(translator_en).post(
        references_url(type("D", (), {"pk": 10**9})), {"language": "en", "text": "a"}, format="json"
    )
    assert response.status_code == 404
    assert api(translator_en).get(f"{API}/documents/{10**9}/scores/", {"language": "en"}).status_code == 404


def test_segments_are_not_touched_by_a_reference(translator_en):
    document = source_document("n")
    before = list(Segment.objects.filter(document=document).values_list("position", "text"))
    api(translator_en).post(
        references_url(document), {"language": "en", "text": "\n".join(EN_LINES)}, format="json"
    )
    assert list(Segment.objects.filter(document=document).values_list("position", "text")) == before
    assert not document.translations.exists()


def test_a_span_with_a_segment_without_reference_is_left_out(translator_en):
    """A translation over segments 4..5 cannot be scored against the reference of segment 4 alone."""
    document = source_document("p")
    services.translation_create(
        document=document,
        language="en",
        first_position=4,
        last_position=5,
        text="The third and fourth paragraphs each have one sentence.",
        actor=translator_en,
    )
    translate(document, {1: EN_HYPOTHESES[1]}, translator_en)
    lines = list(EN_LINES)
    lines[5] = ""
    body = (
        api(translator_en)
        .post(references_url(document), {"language": "en", "text": "\n".join(lines) + "\n"}, format="json")
        .json()
    )
    assert_scores(body, [EN_HYPOTHESES[1]], [EN_LINES[1]], "13a")


@pytest.mark.parametrize("mode", ["lines", "aligned"])
def test_a_reference_file_over_the_upload_limit_is_refused(translator_en, settings, mode):
    document = aligned_document(f"q{mode}")
    settings.WORKBENCH_MAX_UPLOAD_BYTES = 120
    data = ALIGNED_TEXT.encode()
    assert len(data) > 120
    upload = SimpleUploadedFile("big.txt", data, "text/plain")
    response = api(translator_en).post(
        references_url(document), {"language": "en", "mode": mode, "file": upload}, format="multipart"
    )
    assert response.status_code == 413, response.content
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert "120" in error["message"] and "limit" in error["message"]
    assert not Reference.objects.filter(document=document).exists()
