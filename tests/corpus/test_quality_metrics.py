"""quality.metrics against sacrebleu's own command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from quality import corpus_scores, edit_effort
from quality.metrics import KO_BLEU_TOKENIZE, bleu_tokenize_for, sacrebleu_cli_args

REFS = {
    "en": [
        "By March 11, 115 countries had been drawn into the epidemic worldwide, with 115,119 confirmed cases.",
        "It has also provided US$20 million in aid to the WHO.",
        "So far, nearly 70 countries have donated urgently needed supplies such as masks to China.",
        "In particular, after the global financial crisis of 2008, globalization clearly retreated.",
    ],
    "ko": [
        "3월 11일까지 전 세계 115개국이 코로나19에 휩쓸렸고, 확진자는 115,119명으로 늘었다.",
        "또한 세계보건기구(WHO)에 2천만 달러를 지원했다.",
        "지금까지 70개국 가까이가 마스크 등 시급한 방역 물자를 중국에 기부했다.",
        "특히 2008년 글로벌 금융위기 이후 세계화는 뚜렷하게 후퇴했다.",
    ],
}
HYPS = {
    "en": [
        "By 11 March, 115 countries worldwide were hit by the epidemic and confirmed cases reached 115,119.",
        "It also gave 20 million dollars of aid to the World Health Organization.",
        "Up to now almost 70 countries donated masks and other urgently needed supplies to China.",
        "Especially after the 2008 global financial crisis, globalization retreated clearly.",
    ],
    "ko": [
        "3월 11일 현재 세계 115개 나라가 감염병에 휘말렸으며 확진 환자는 115,119명에 이르렀다.",
        "세계보건기구에도 2000만 달러의 원조를 제공했다.",
        "현재까지 거의 70개 국가가 마스크와 같은 긴급 방역 물자를 중국에 기증했다.",
        "특히 2008년 세계 금융위기 후 세계화는 분명하게 후퇴하였다.",
    ],
}


def cli_scores(tmp_path: Path, hyps: list[str], refs: list[str], lang: str) -> dict[str, dict]:
    hyp_file, ref_file = tmp_path / f"hyp.{lang}", tmp_path / f"ref.{lang}"
    hyp_file.write_text("\n".join(hyps) + "\n", encoding="utf-8")
    ref_file.write_text("\n".join(refs) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "sacrebleu", str(ref_file), "-i", str(hyp_file), "-f", "json", "-w", "16"]
    cmd += sacrebleu_cli_args(lang)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
    out = json.loads(proc.stdout)
    return {entry["name"]: entry for entry in out}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_corpus_scores_equal_the_sacrebleu_command_line(tmp_path: Path, lang: str) -> None:
    ours = corpus_scores(HYPS[lang], REFS[lang], target_lang=lang)
    cli = cli_scores(tmp_path, HYPS[lang], REFS[lang], lang)
    pairs = {"bleu": cli["BLEU"], "chrf": cli["chrF2"], "ter": cli["TER"]}
    for key, entry in pairs.items():
        assert ours[key]["signature"] == entry["signature"], key
        assert ours[key]["score"] == pytest.approx(float(entry["score"]), abs=1e-9), key
    assert 0 < ours["bleu"]["score"] < 100
    assert f"tok:{'13a' if lang == 'en' else ''}" in ours["bleu"]["signature"]


def test_korean_bleu_tokenizer_is_ko_mecab_when_installed() -> None:
    assert bleu_tokenize_for("ko") == KO_BLEU_TOKENIZE
    assert bleu_tokenize_for("en") == "13a"
    sig = corpus_scores(HYPS["ko"], REFS["ko"], target_lang="ko")["bleu"]["signature"]
    try:
        import mecab_ko  # noqa: F401
    except ImportError:
        assert KO_BLEU_TOKENIZE == "char" and "tok:char" in sig
    else:
        assert KO_BLEU_TOKENIZE == "ko-mecab" and "tok:ko-mecab" in sig


def test_corpus_scores_match_sacrebleu_objects_and_differ_for_worse_output() -> None:
    ours = corpus_scores(HYPS["en"], REFS["en"], target_lang="en")
    refs = [REFS["en"]]
    assert ours["bleu"]["score"] == BLEU(tokenize="13a").corpus_score(HYPS["en"], refs).score
    assert ours["chrf"]["score"] == CHRF().corpus_score(HYPS["en"], refs).score
    assert ours["ter"]["score"] == TER().corpus_score(HYPS["en"], refs).score
    perfect = corpus_scores(REFS["en"], REFS["en"], target_lang="en")
    assert perfect["bleu"]["score"] == pytest.approx(100.0)
    assert perfect["ter"]["score"] == 0.0
    assert perfect["chrf"]["score"] > ours["chrf"]["score"]
    with pytest.raises(ValueError):
        corpus_scores(["a"], [], target_lang="en")


def test_edit_effort() -> None:
    same = edit_effort(REFS["en"][1], REFS["en"][1], target_lang="en")
    assert same["ter"] == 0.0 and same["chrf"] == pytest.approx(100.0) and same["changed"] is False
    before = "It also gave 20 million dollars of aid to the WHO."
    after = "It has also provided US$20 million in aid to the WHO."
    effort = edit_effort(before, after, target_lang="en")
    assert effort["changed"] is True
    assert effort["ter"] == pytest.approx(TER().sentence_score(before, [after]).score)
    assert effort["chrf"] == pytest.approx(CHRF().sentence_score(before, [after]).score)
    assert 0 < effort["ter"] < 100 and 0 < effort["chrf"] < 100
    bigger = edit_effort("Something else entirely.", after, target_lang="en")
    assert bigger["ter"] > effort["ter"] and bigger["chrf"] < effort["chrf"]
    ko = edit_effort(HYPS["ko"][1], REFS["ko"][1], target_lang="ko")
    assert ko["ter"] > 0 and "TER" not in ko["ter_signature"]
