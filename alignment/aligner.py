"""Sentence alignment: a banded dynamic programme over beads, scored by lengths and lexical evidence.

``align(src, tgt, src_lang=..., tgt_lang=..., anchors=None) -> list[Bead]``

How a bead is scored (higher is better, summed over the beads of a path):
- Lexical coverage: every sentence becomes tokens, each with a set of features; a source token is
  *covered* by a bead when one of its features occurs in the bead's target side, and likewise a
  target token. Every token belongs to exactly one bead, so the path that maximises the total
  number of covered tokens is the one that puts translations together. Features:
  * zh -> en: CC-CEDICT gloss stems of the jieba token, its characters' glosses when the word is
    unknown, toneless pinyin of the token (names: 韦小宝 / Wei Xiaobao);
  * zh -> ko: Sino-Korean readings (simplified mapped to traditional) as Hangul syllable bigrams,
    matched inside Korean words (which carry particles);
  * any pair: numbers normalised across scripts (weight 2), Latin-script words (names, acronyms),
    question and exclamation marks and quotes, folded identical words and 5-letter prefixes
    (cognates: Expedition / expédition);
  * a second pass adds a lexicon learned from the first pass's beads (Dice coefficient between
    source tokens and target words co-occurring in aligned beads).
- Length: Gale-Church, ``delta = (l_t - c l_s) / sqrt(v (l_t + c l_s) / 2)`` over non-space
  characters, ``c`` and ``v`` estimated from the document (``c`` from the anchor chain in the
  first pass, both from the first pass's beads in the second), scored ``log(2 (1 - Phi(|delta|)))``
  with weight ``LENGTH_WEIGHT``.
- Coverage is corrected by what unrelated sentence pairs cover (``baseline``, measured on pairs
  taken at a fixed stride through the document), so an aligned pair must beat chance. A token
  facing k sentences of the other side is covered by chance with
  ``1 - (1 - baseline) ** (1 + CHANCE_EXTRA (k - 1))``, so a merge does not gain from the chance
  matches its extra sentence brings.
- Quotation marks: a bead whose two sides hold different numbers of them (a quotation cut
  between beads; English single quotes count, apostrophes do not) pays ``QUOTE_ODD`` or
  ``QUOTE_EVEN``. On MAC-Dev's gold 90 % of beads balance exactly, against 60 % of wrong beads.
- Paragraphs (when the caller gives them on both sides): ``PARAGRAPH_BONUS`` for a bead starting a
  paragraph on both sides, ``PARAGRAPH_CROSS`` for a bead holding a break inside a side.
- A prior per bead type: 1-1 free; merges pay a log-probability learned from the bead types of
  the development sets' gold (``DEV_BEAD_COUNTS``, ``learned_priors``); insertions and deletions
  pay ``NULL_PRIORS``. A 1-0 bead where the target has not begun or has ended (a partial
  translation) pays only ``EDGE_NULL_PRIOR``.

Search: candidate anchors (sentence pairs sharing rare features, scored by coverage) are chained by a
weighted longest increasing subsequence; the dynamic programme runs inside a band around the chain,
so time and memory grow linearly with the document. Between chain points far apart the band is the
parallelogram between "translate first, skip later" and "skip first, translate later" at the
document's sentence rate (a diagonal band when the gap is in proportion). Beyond the last chain
point only the remaining target (with slack) may be aligned, so the untranslated rest of a partial
translation is pinned to 1-0 beads; likewise before the first. The second pass runs with all bead
types in a narrow band around the first pass's path, after learning the lexicon and length model.
Caches are kept per source row and released once the dynamic programme has passed them.
Fixed ``anchors`` (approved translations) are kept as beads and the gaps between them aligned
independently (each gap is a span with its own band).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import lexicon
from .numbers import numbers


@dataclass(frozen=True)
class Bead:
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


# How often each merge type occurs in the gold of the development sets (MAC-Dev and Text+Berg
# pooled, a-b and b-a counted together since the direction depends on the language pair): the
# priors of merge beads are learned from these counts (``learned_priors``). Re-estimating them per
# document from the first pass was tried and lost on MAC-Dev and the zh-ko merge set: the first
# pass under-counts merges, so the second pass would find fewer still.
DEV_BEAD_COUNTS: dict[tuple[int, int], float] = {
    (1, 1): 1510,
    (1, 2): 247,
    (2, 1): 247,
    (2, 2): 37,
    (1, 3): 46,
    (3, 1): 46,
    (1, 4): 16,
    (4, 1): 16,
    (2, 3): 9.5,
    (3, 2): 9.5,
    (1, 5): 2,
    (5, 1): 2,
    (1, 6): 1,
    (6, 1): 1,
    (2, 4): 1,
    (4, 2): 1,
}
PRIOR_SCALE = 1.4  # prior = PRIOR_SCALE x log-probability ratio (in units of lexical coverage)
NULL_PRIORS = {(1, 0): -3.0, (0, 1): -3.0}  # a sentence left out (tuned by hand on the dev sets)


def learned_priors(counts: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """Bead priors: ``NULL_PRIORS`` for insertions and deletions, merges from observed counts.

    For a merge type a-b with probability p (among beads with both sides), the prior is
    ``PRIOR_SCALE * (log p - (a + b) / 2 * log p11)``: a log-probability where each sentence the
    bead covers is charged what a 1-1 bead charges per sentence, so 1-1 scores 0 and a path's
    total does not depend on how many beads it has except through the types chosen.
    """
    total = sum(counts.get(kind, 0.0) for kind in DEV_BEAD_COUNTS)
    log_p11 = math.log(counts[(1, 1)] / total)
    priors = {(1, 1): 0.0, **NULL_PRIORS}
    for kind in DEV_BEAD_COUNTS:
        if kind != (1, 1):
            p = max(counts.get(kind, 0.0), 1e-3) / total
            priors[kind] = PRIOR_SCALE * (math.log(p) - (kind[0] + kind[1]) / 2 * log_p11)
    return priors


# (source sentences, target sentences) -> prior (a log-probability-like penalty; 1-1 is 0).
BEAD_PRIORS: dict[tuple[int, int], float] = learned_priors(DEV_BEAD_COUNTS)
EDGE_NULL_PRIOR = -1.0  # a 1-0 bead before or after the whole target (partial translation)
FIRST_PASS_TYPES = frozenset({(1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2)})
LEXICAL_WEIGHT = 1.0
LENGTH_WEIGHT = 0.4
LENGTH_FLOOR = -30.0  # log-probability floor of the length model (heavier tails than Gaussian)
LENGTH_MIN_BEADS = 20
TRIM = 1.0  # fraction of first-pass beads kept to estimate the length variance
PARAGRAPH_BONUS = 2.0  # a paragraph break met on both sides at once (a soft anchor)
PARAGRAPH_CROSS = -2.0  # a bead holding a paragraph break inside one of its sides
QUOTE_ODD = -1.5  # a bead whose sides differ by an odd number of quotation marks (fitted on MAC-Dev)
QUOTE_EVEN = -1.0  # ... by an even number (fitted with it; leave-one-document-out in the README)
NUMBER_WEIGHT = 2  # a number counts as this many tokens
DEFAULT_RATIO = {  # target characters per source character (non-space), a prior for short texts
    ("zh", "en"): 2.9,
    ("en", "zh"): 1 / 2.9,
    ("zh", "ko"): 1.35,
    ("ko", "zh"): 1 / 1.35,
    ("en", "ko"): 0.45,
    ("ko", "en"): 1 / 0.45,
}
DEFAULT_VARIANCE = 6.0  # per target character, as Gale and Church's 6.8
FULL_MATRIX_CELLS = 20_000
BAND = 8  # half-width of the band around the anchor chain
SECOND_PASS_BAND = 4  # half-width of the band around the first pass's path
RARE_FEATURE_DF = 3
LEXICON = "ibm1"  # how the second pass learns word translations from the first: "ibm1" or "dice"
IBM1_ITERATIONS = 5
IBM1_MIN_PROB = 0.3
BASELINE_FACTOR = 1.0  # unaligned sentences: coverage expected of unrelated pairs, times this
BASELINE_MARGIN = 0.0
# Each sentence of a merge beyond the first adds this fraction of the chance coverage a whole
# unrelated sentence brings (1.0 charged merges for chance matches on tokens their first sentence
# already covers; fitted on MAC-Dev, leave-one-document-out in the README).
CHANCE_EXTRA = 0.75
LOCATE_FACTOR = 3  # locate the pasted stretch first when the source has more sentences than
LOCATE_MIN_SOURCE = 600  # LOCATE_FACTOR x the target's plus this many
LOCATE_FALLBACK_CELLS = 2_000_000  # beyond this source x target size, an unlocated paste is not aligned
LOCATE_MAX_STRIDE = 16  # read at most every 16th source sentence while locating
LOCATE_SAMPLES_PER_STRIDE = 100  # the stride is the target's sentences / 100 (at most 16)
LOCATE_RATE = 2.0  # source sentences per target sentence a gap may have before it costs
LOCATE_MIN_DENSITY = 0.15  # share of the sentences read along the run that must be chain points
LOCATE_MIN_SPAN = 20  # target sentences the densest run must span (half the target if shorter)
LOCATE_GAP_COST = 0.1  # per unexplained source sentence between two chain points

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_SINGLE_QUOTE = re.compile(r"(?<![^\W_])['‘’]|['‘’](?![^\W_])")
_QUOTE_MARKS = frozenset('“”"「」『』«»„‹›')
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
# mecab-ko tags of content morphemes: nouns, roots, verb and adjective stems, adverbs, numerals
KOREAN_CONTENT_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "XR", "VV", "VA", "MAG", "MM", "SH"})
_PUNCT_FEATURES = {
    "?": "q:?",
    "？": "q:?",
    "!": "q:!",
    "！": "q:!",
    "“": 'q:"',
    "”": 'q:"',
    '"': 'q:"',
    "「": 'q:"',
    "」": 'q:"',
    "『": 'q:"',
    "』": 'q:"',
    "«": 'q:"',
    "»": 'q:"',
    "(": "q:(",
    "（": "q:(",
}
_DE_FR_STOP = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines und oder aber auch als am an auf aus
    bei bis da dass durch für im in ist mit nach nicht noch nur sich sie so um unter von vor war
    wie wir zu zum zur es er sind wird wurde werden hat haben man dann sehr über wo was
    le la les un une des du de et ou mais aussi au aux en dans par pour sur sous avec sans est
    sont fut été être avoir ont il elle ils elles on nous vous qui que quoi dont où ce cette ces
    se sa son ses leur leurs plus ne pas très
    """.split()
)


# ---------------------------------------------------------------------------------------------
# Tokens and features


@dataclass
class _Token:
    key: str  # what the learned lexicon is keyed on
    features: tuple[str, ...]


def _number_tokens(text: str) -> list[_Token]:
    return [_Token("#" + value, ("#" + value,)) for value in numbers(text) for _ in range(NUMBER_WEIGHT)]


def _punct_tokens(text: str, language: str) -> list[_Token]:
    tokens = [
        _Token(_PUNCT_FEATURES[char], (_PUNCT_FEATURES[char],)) for char in text if char in _PUNCT_FEATURES
    ]
    if language == "en":  # single quotes (British dialogue: 'At you!'), not apostrophes (let's)
        tokens.extend(_Token('q:"', ('q:"',)) for _match in _SINGLE_QUOTE.finditer(text))
    return tokens


def _latin_features(word: str) -> list[str]:
    folded = lexicon.fold(word)
    features = ["w:" + lexicon.stem(folded)]
    if "-" in folded:
        parts = [part for part in folded.split("-") if part]
        features.append("w:" + lexicon.stem("".join(parts)))
        features.extend("w:" + lexicon.stem(part) for part in parts if len(part) > 1)
    return features


def _chinese_tokens(text: str, other: str) -> list[_Token]:
    from corpus.segmentation import words

    tokens: list[_Token] = []
    for word in words(text):
        if word.isdigit():
            continue
        if _LATIN.search(word):
            tokens.append(_Token(lexicon.fold(word), tuple(_latin_features(word))))
            continue
        if other == "ko":
            reading = lexicon.hangul_reading(word)
            if len(reading) < 2:
                tokens.append(_Token(word, ()))
                continue
            features = {"h:" + reading[k : k + 2] for k in range(len(reading) - 1)}
            features.add("k:" + reading)
            tokens.append(_Token(word, tuple(sorted(features))))
            continue
        features = {"w:" + s for s in lexicon.translations(word)}
        known = bool(features)
        if not known and len(word) > 1:
            for char in word:
                features.update("w:" + s for s in lexicon.translations(char))
        if len(word) > 1 or not known:
            spelled = lexicon.pinyin(word)
            if spelled:
                features.add("w:" + lexicon.stem(spelled))
        if not known and len(word) > 2:  # a name with a surname: 韦小宝 -> xiaobao
            spelled = lexicon.pinyin(word[1:])
            if spelled:
                features.add("w:" + lexicon.stem(spelled))
        tokens.append(_Token(word, tuple(sorted(features))))
    return tokens


def _english_tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    words = _WORD.findall(text)
    for position, word in enumerate(words):
        if word.isdigit() or not _LATIN.search(word):
            continue
        lowered = word.lower()
        if lowered in lexicon.ENGLISH_STOPWORDS or len(lowered) < 2:
            continue
        features = _latin_features(word)
        if word[0].isupper() and position + 1 < len(words) and words[position + 1][:1].isupper():
            features.append("w:" + lexicon.stem(lexicon.fold(word + words[position + 1]).replace("-", "")))
        tokens.append(_Token(lexicon.stem(lexicon.fold(word)), tuple(features)))
    return tokens


def _korean_tokens(text: str) -> list[_Token]:
    """Korean content morphemes (mecab-ko), else Hangul words; Latin words as in English.

    A morpheme's features are its Hangul syllable bigrams and the morpheme itself (``k:``), so a
    Sino-Korean word matches a Chinese word's reading exactly and compounds match in part;
    particles and endings are not tokens. It is also the key the second pass learns translations
    for, so native words (verbs, adverbs) can be learned from the document pair.
    """
    tokens: list[_Token] = []
    for word in _WORD.findall(text):
        if _LATIN.search(word) and not word.isdigit():
            tokens.append(_Token(lexicon.fold(word), tuple(_latin_features(word))))
    morphemes = lexicon.korean_morphemes(text)
    if morphemes is None:  # no analyser: every Hangul run is a word
        morphemes = [(hangul, "NNG") for hangul in _HANGUL_WORD.findall(text)]
    for morpheme, tag in morphemes:
        if tag not in KOREAN_CONTENT_TAGS or not _HANGUL_WORD.fullmatch(morpheme):
            continue
        features = {"h:" + morpheme[k : k + 2] for k in range(len(morpheme) - 1)}
        features.add("k:" + morpheme)
        tokens.append(_Token(morpheme, tuple(sorted(features))))
    return tokens


def _european_tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for word in _WORD.findall(text):
        if word.isdigit():
            continue
        folded = lexicon.fold(word)
        if len(folded) < 3 or folded in _DE_FR_STOP:
            continue
        features = ["w:" + folded]
        if len(folded) >= 6:
            features.append("p:" + folded[:5])
        if "-" in folded:
            features.extend("w:" + part for part in folded.split("-") if len(part) > 2)
        tokens.append(_Token(folded, tuple(features)))
    return tokens


def _tokens(text: str, language: str, other: str) -> list[_Token]:
    if language == "zh":
        body = _chinese_tokens(text, other)
    elif language == "en":
        body = _english_tokens(text)
    elif language == "ko":
        body = _korean_tokens(text)
    else:
        body = _european_tokens(text)
    return body + _number_tokens(text) + _punct_tokens(text, language)


def _length(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def _breaks(paragraphs: Sequence[int]) -> list[bool]:
    """Per sentence: does it start a paragraph (the first sentence does not count)?"""
    return [k > 0 and paragraphs[k] != paragraphs[k - 1] for k in range(len(paragraphs))]


def quote_marks(text: str, language: str) -> int:
    """Quotation marks in ``text`` (single quotes in English, not apostrophes)."""
    count = sum(1 for char in text if char in _QUOTE_MARKS)
    if language == "en":
        count += len(_SINGLE_QUOTE.findall(text))
    return count


# log(2 (1 - Phi(delta))) for delta = 0.00, 0.01, ... 12.00
_TAIL = [math.log(max(math.erfc(k / 100 / math.sqrt(2)), 1e-30)) for k in range(1201)]


def _idf_weights(sentences: list[list[_Token]]) -> list[list[float]]:
    """Per token, log(1 + N / df) / log(1 + N): frequent words are weak evidence."""
    frequency: Counter[str] = Counter()
    for tokens in sentences:
        frequency.update({token.key for token in tokens})
    size = max(2, len(sentences))
    scale = math.log(1 + size)
    weights: dict[str, float] = {key: math.log(1 + size / df) / scale for key, df in frequency.items()}
    return [[weights[token.key] for token in tokens] for tokens in sentences]


def _weigh(mask: int, weights: list[float]) -> float:
    total = 0.0
    while mask:
        low = mask & -mask
        total += weights[low.bit_length() - 1]
        mask ^= low
    return total


# ---------------------------------------------------------------------------------------------
# The document model: features, pair coverage, bead scores


@dataclass
class _Model:
    src_tokens: list[list[_Token]]
    tgt_tokens: list[list[_Token]]
    src_len: list[int]
    tgt_len: list[int]
    ratio: float = 1.0
    variance: float = DEFAULT_VARIANCE
    learned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    src_index: list[dict[str, int]] = field(default_factory=list)
    tgt_index: list[list[tuple[int, tuple[str, ...]]]] = field(default_factory=list)
    src_count: list[float] = field(default_factory=list)
    tgt_count: list[float] = field(default_factory=list)
    src_weights: list[list[float]] = field(default_factory=list)
    tgt_weights: list[list[float]] = field(default_factory=list)
    # Caches, per source sentence (pairs, src_cover) or per first source sentence of a bead
    # (tgt_cover), so the dynamic programme can release the rows it has passed.
    pairs: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    src_cover: dict[int, dict[int, float]] = field(default_factory=dict)
    tgt_cover: dict[int, dict[int, float]] = field(default_factory=dict)
    beads: dict[tuple[int, int, int, int], float] = field(default_factory=dict)
    src_prefix: list[int] = field(default_factory=list)
    src_weight_prefix: list[float] = field(default_factory=list)
    tgt_weight_prefix: list[float] = field(default_factory=list)
    baseline: float = 0.0
    edges: tuple[int, int, int, int] = (-1, -1, -1, -1)  # the span being aligned: i0, i1, j0, j1
    tgt_prefix: list[int] = field(default_factory=list)
    src_quote_prefix: list[int] = field(default_factory=list)
    # Paragraph breaks (sentence k starts a paragraph), when both sides keep them; else empty.
    src_breaks: list[bool] = field(default_factory=list)
    tgt_breaks: list[bool] = field(default_factory=list)
    src_break_prefix: list[int] = field(default_factory=list)
    tgt_break_prefix: list[int] = field(default_factory=list)
    tgt_quote_prefix: list[int] = field(default_factory=list)

    def index(self) -> None:
        """Build the per-sentence feature indexes (again after the lexicon changed)."""
        self.src_prefix = [0, *itertools.accumulate(self.src_len)]
        self.tgt_prefix = [0, *itertools.accumulate(self.tgt_len)]
        self.src_index = []
        for tokens in self.src_tokens:
            table: dict[str, int] = {}
            for position, token in enumerate(tokens):
                bit = 1 << position
                features = token.features + self.learned.get(token.key, ())
                for feature in features:
                    table[feature] = table.get(feature, 0) | bit
            self.src_index.append(table)
        self.tgt_index = []
        for tokens in self.tgt_tokens:
            entries = []
            for position, token in enumerate(tokens):
                entries.append((1 << position, (*token.features, "L:" + token.key)))
            self.tgt_index.append(entries)
        self.src_weights = _idf_weights(self.src_tokens)
        self.tgt_weights = _idf_weights(self.tgt_tokens)
        self.src_count = [sum(weights) for weights in self.src_weights]
        self.tgt_count = [sum(weights) for weights in self.tgt_weights]
        self.src_weight_prefix = [0.0, *itertools.accumulate(self.src_count)]
        self.tgt_weight_prefix = [0.0, *itertools.accumulate(self.tgt_count)]
        self.pairs.clear()
        self.src_cover.clear()
        self.tgt_cover.clear()

    def pair(self, s: int, t: int) -> tuple[int, int]:
        row = self.pairs.get(s)
        if row is None:
            row = self.pairs[s] = {}
        found = row.get(t)
        if found is None:
            table = self.src_index[s]
            src_mask = tgt_mask = 0
            if table:
                for bit, features in self.tgt_index[t]:
                    for feature in features:
                        mask = table.get(feature)
                        if mask:
                            src_mask |= mask
                            tgt_mask |= bit
            found = row[t] = (src_mask, tgt_mask)
        return found

    def release(self, below: int) -> None:
        """Drop the cached values of source sentences (and beads starting) before ``below``."""
        for cache in (self.pairs, self.src_cover, self.tgt_cover):
            for s in [s for s in cache if s < below]:
                del cache[s]

    def lexical(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Covered token weight, minus what unrelated sentences of this size would cover."""
        total = -self.chance(j1 - j0) * (
            self.src_weight_prefix[i1] - self.src_weight_prefix[i0]
        ) - self.chance(i1 - i0) * (self.tgt_weight_prefix[j1] - self.tgt_weight_prefix[j0])
        key = (j0 << 4) | (j1 - j0)
        for s in range(i0, i1):
            row = self.src_cover.get(s)
            if row is None:
                row = self.src_cover[s] = {}
            found = row.get(key)
            if found is None:
                mask = 0
                for t in range(j0, j1):
                    mask |= self.pair(s, t)[0]
                found = row[key] = _weigh(mask, self.src_weights[s])
            total += found
        row = self.tgt_cover.get(i0)
        if row is None:
            row = self.tgt_cover[i0] = {}
        for t in range(j0, j1):
            key = (t << 4) | (i1 - i0)
            found = row.get(key)
            if found is None:
                mask = 0
                for s in range(i0, i1):
                    mask |= self.pair(s, t)[1]
                found = row[key] = _weigh(mask, self.tgt_weights[t])
            total += found
        return total

    def chance(self, sentences: int) -> float:
        """Coverage expected by chance of a token facing ``sentences`` unrelated sentences."""
        if sentences <= 1:
            return self.baseline
        return 1 - (1 - self.baseline) ** (1 + CHANCE_EXTRA * (sentences - 1))

    def length_logp(self, i0: int, i1: int, j0: int, j1: int) -> float:
        ls = (self.src_prefix[i1] - self.src_prefix[i0]) * self.ratio
        lt = self.tgt_prefix[j1] - self.tgt_prefix[j0]
        mean = (ls + lt) / 2
        if mean <= 0:
            return 0.0
        delta = abs(lt - ls) / math.sqrt(self.variance * mean)
        return max(LENGTH_FLOOR, _TAIL[min(int(delta * 100), 1200)])

    def score(self, i0: int, i1: int, j0: int, j1: int) -> float:
        prior = BEAD_PRIORS[(i1 - i0, j1 - j0)]
        if self.src_breaks:
            prior += self.paragraphs(i0, i1, j0, j1)
        if j1 == j0:  # source left untranslated: cheap where the target has not begun or has ended
            return EDGE_NULL_PRIOR if j0 in self.edges[2:] else prior
        if i1 == i0:
            return prior
        return (
            prior
            + LEXICAL_WEIGHT * self.lexical(i0, i1, j0, j1)
            + LENGTH_WEIGHT * self.length_logp(i0, i1, j0, j1)
            + self.quote_balance(i0, i1, j0, j1)
        )

    def paragraphs(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Soft paragraph anchors: a bead starting a paragraph on both sides gains, one holding a
        paragraph break inside a side pays (the path's points are the beads' starts)."""
        value = 0.0
        if (
            i0 < len(self.src_breaks)
            and j0 < len(self.tgt_breaks)
            and self.src_breaks[i0]
            and self.tgt_breaks[j0]
        ):
            value += PARAGRAPH_BONUS
        if i1 - i0 > 1 and self.src_break_prefix[i1] - self.src_break_prefix[i0 + 1]:
            value += PARAGRAPH_CROSS
        if j1 - j0 > 1 and self.tgt_break_prefix[j1] - self.tgt_break_prefix[j0 + 1]:
            value += PARAGRAPH_CROSS
        return value

    def quote_balance(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Penalty for a bead whose two sides hold different numbers of quotation marks."""
        if not self.src_quote_prefix:
            return 0.0
        difference = abs(
            (self.src_quote_prefix[i1] - self.src_quote_prefix[i0])
            - (self.tgt_quote_prefix[j1] - self.tgt_quote_prefix[j0])
        )
        if not difference:
            return 0.0
        return QUOTE_ODD if difference % 2 else QUOTE_EVEN

    def confidence(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """A 0..1 score for output: lexical coverage and length agreement."""
        if i0 == i1 or j0 == j1:
            return 0.5
        tokens = sum(self.src_count[i0:i1]) + sum(self.tgt_count[j0:j1])
        coverage = self.lexical(i0, i1, j0, j1) / tokens + self.baseline if tokens else 0.5
        length = math.exp(self.length_logp(i0, i1, j0, j1))
        return max(0.0, min(1.0, 0.6 * min(1.0, coverage * 1.5) + 0.4 * length))


# ---------------------------------------------------------------------------------------------
# Anchors and bands


def _candidate_pairs(model: _Model, i0: int, i1: int, j0: int, j1: int) -> list[tuple[int, int, float]]:
    """Sentence pairs sharing rare features, with their coverage similarity."""
    index: dict[str, list[int]] = defaultdict(list)
    for t in range(j0, j1):
        seen = set()
        for _bit, features in model.tgt_index[t]:
            for feature in features:
                if feature not in seen:
                    seen.add(feature)
                    index[feature].append(t)
    rare = {feature: ts for feature, ts in index.items() if len(ts) <= RARE_FEATURE_DF}
    candidates = []
    for s in range(i0, i1):
        hits: Counter[int] = Counter()
        for feature in model.src_index[s]:
            for t in rare.get(feature, ()):
                hits[t] += 1
        scored = []
        for t, _count in sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:6]:
            total = model.src_count[s] + model.tgt_count[t]
            if not total:
                continue
            src_mask, tgt_mask = model.pair(s, t)
            covered = _weigh(src_mask, model.src_weights[s]) + _weigh(tgt_mask, model.tgt_weights[t])
            similarity = covered / total
            if covered >= 1.5 and similarity >= 0.3:
                scored.append((similarity * (1 + math.log(covered)), t))
        scored.sort(reverse=True)
        candidates.extend((s, t, weight) for weight, t in scored[:3])
    return candidates


def _chain(candidates: list[tuple[int, int, float]], j0: int, j1: int) -> list[tuple[int, int]]:
    """The heaviest strictly increasing chain of candidate pairs (Fenwick tree over targets)."""
    size = j1 - j0 + 1
    tree_value = [0.0] * (size + 1)
    tree_node = [-1] * (size + 1)
    parent = [-1] * len(candidates)
    best_total = [0.0] * len(candidates)

    def query(position: int) -> tuple[float, int]:  # max over targets < position
        value, node = 0.0, -1
        while position > 0:
            if tree_value[position] > value:
                value, node = tree_value[position], tree_node[position]
            position -= position & -position
        return value, node

    def update(position: int, value: float, node: int) -> None:
        position += 1
        while position <= size:
            if value > tree_value[position]:
                tree_value[position], tree_node[position] = value, node
            position += position & -position

    by_source: dict[int, list[int]] = defaultdict(list)
    for number, (s, _t, _w) in enumerate(candidates):
        by_source[s].append(number)
    for s in sorted(by_source):
        numbers_of_s = by_source[s]
        results = []
        for number in numbers_of_s:
            _s, t, weight = candidates[number]
            value, node = query(t - j0)
            results.append((number, value + weight, node))
        for number, total, node in results:
            best_total[number], parent[number] = total, node
            update(candidates[number][1] - j0, total, number)
    if not candidates:
        return []
    number = max(range(len(candidates)), key=best_total.__getitem__)
    chain = []
    while number != -1:
        chain.append((candidates[number][0], candidates[number][1]))
        number = parent[number]
    chain.reverse()
    return chain


def _band_from_points(
    points: list[tuple[int, int]], i0: int, i1: int, j0: int, j1: int, width: int
) -> tuple[list[int], list[int]]:
    """Per row i in i0..i1, the allowed target range [lo, hi] (absolute indices)."""
    rows = i1 - i0 + 1
    lo = [j1] * rows
    hi = [j0] * rows

    def cover(row: int, a: int, b: int) -> None:
        if 0 <= row < rows:
            lo[row] = min(lo[row], a)
            hi[row] = max(hi[row], b)

    inner = points[1:-1]
    if len(inner) >= 2 and inner[-1][1] > inner[0][1]:
        rate = (inner[-1][0] - inner[0][0] + 1) / (inner[-1][1] - inner[0][1] + 1)
    else:
        rate = (i1 - i0 + 1) / (j1 - j0 + 1)
    rate = min(4.0, max(0.25, rate))  # source sentences per target sentence
    for (s1, t1), (s2, t2) in itertools.pairwise(points):
        ds, dt = s2 - s1, t2 - t1
        if ds * dt <= (2 * width) ** 2 or ds == 0 or dt == 0:
            for s in range(s1, s2 + 1):
                cover(s - i0, t1, t2)
        else:
            # Between the path that translates first and deletes late and the one that deletes
            # first: a parallelogram, which is a diagonal band when the gap is in proportion.
            for s in range(s1, s2 + 1):
                early = min(t2, t1 + (s - s1) / rate)
                late = max(t1, t2 - (s2 - s) / rate)
                cover(s - i0, int(min(early, late)), math.ceil(max(early, late)))
    # Widen by ``width`` in both directions.
    wide_lo = [j1] * rows
    wide_hi = [j0] * rows
    for row in range(rows):
        if lo[row] > hi[row]:
            continue
        for other in range(max(0, row - 2), min(rows, row + 3)):
            wide_lo[other] = min(wide_lo[other], lo[row] - width)
            wide_hi[other] = max(wide_hi[other], hi[row] + width)
    lo = [max(j0, value) for value in wide_lo]
    hi = [min(j1, value) for value in wide_hi]
    # Partial translations: beyond the last inner point only the remaining target sentences
    # (and some slack) may still be aligned; before the first, likewise. The rest of the source
    # is pinned to the edge column, so its sentences come out as 1-0 beads.
    if inner:
        s_first, t_first = inner[0]
        s_last, t_last = inner[-1]
        limit = s_last + int(1.3 * rate * (j1 - t_last)) + 3
        for row in range(max(0, limit - i0 + 1), rows):
            lo[row], hi[row] = j1, j1
        limit = s_first - int(1.3 * rate * (t_first - j0)) - 3
        for row in range(0, max(0, limit - i0)):
            lo[row], hi[row] = j0, j0
    lo[0], hi[-1] = j0, j1
    for row in range(rows - 2, -1, -1):  # lo non-decreasing
        lo[row] = min(lo[row], lo[row + 1])
    for row in range(1, rows):  # hi non-decreasing
        hi[row] = max(hi[row], hi[row - 1])
    for row in range(rows - 1, 0, -1):  # consecutive rows overlap: a 1-0 bead links them
        hi[row - 1] = max(hi[row - 1], lo[row])
    return lo, hi


# ---------------------------------------------------------------------------------------------
# Dynamic programme


def _dp(
    model: _Model,
    i0: int,
    i1: int,
    j0: int,
    j1: int,
    lo: list[int],
    hi: list[int],
    types: list[tuple[int, int]],
) -> list[tuple]:
    """Best path of beads from (i0, j0) to (i1, j1) inside the band; beads as (a0, a1, b0, b1)."""
    negative = -math.inf
    scores: list[list[float]] = []
    back: list[list[int]] = []
    score = model.score
    for row in range(i1 - i0 + 1):
        i = i0 + row
        low, high = lo[row], hi[row]
        row_scores = [negative] * (high - low + 1)
        row_back = [-1] * (high - low + 1)
        for j in range(low, high + 1):
            if row == 0 and j == j0:
                row_scores[0] = 0.0
                continue
            best, choice = negative, -1
            for number, (a, b) in enumerate(types):
                prev_row, pj = row - a, j - b
                if prev_row < 0 or pj < lo[prev_row] or pj > hi[prev_row]:
                    continue
                previous = scores[prev_row][pj - lo[prev_row]] if a else row_scores[pj - low]
                if previous == negative:
                    continue
                total = previous + score(i - a, i, pj, j)
                if total > best:
                    best, choice = total, number
            row_scores[j - low] = best
            row_back[j - low] = choice
        scores.append(row_scores)
        back.append(row_back)
        if row % 16 == 0 and row >= 16:
            model.release(i - 8)
    path = []
    row, j = i1 - i0, j1
    while row > 0 or j > j0:
        number = back[row][j - lo[row]]
        if number < 0:
            raise RuntimeError("alignment band is disconnected")
        a, b = types[number]
        path.append((i0 + row - a, i0 + row, j - b, j))
        row, j = row - a, j - b
    path.reverse()
    return path


def _align_span(model: _Model, i0: int, i1: int, j0: int, j1: int, guide: list[tuple] | None) -> list[tuple]:
    if i0 == i1 or j0 == j1:
        return [(i, i + 1, j0, j0) for i in range(i0, i1)] + [(i1, i1, j, j + 1) for j in range(j0, j1)]
    model.edges = (i0, i1, j0, j1)
    types = list(BEAD_PRIORS) if guide is not None else [t for t in BEAD_PRIORS if t in FIRST_PASS_TYPES]
    if (i1 - i0 + 1) * (j1 - j0 + 1) <= FULL_MATRIX_CELLS:
        lo = [j0] * (i1 - i0 + 1)
        hi = [j1] * (i1 - i0 + 1)
    elif guide is not None:
        points = [(i0, j0)] + [(b[1], b[3]) for b in guide if b[1] > b[0] and b[3] > b[2]] + [(i1, j1)]
        lo, hi = _band_from_points(points, i0, i1, j0, j1, SECOND_PASS_BAND)
    else:
        chain = _chain(_candidate_pairs(model, i0, i1, j0, j1), j0, j1)
        points = [(i0, j0)] + [(s, t) for s, t in chain] + [(i1, j1)]
        lo, hi = _band_from_points(points, i0, i1, j0, j1, BAND)
    model.release(len(model.src_tokens) + 1)  # pairs cached while looking for anchors
    return _dp(model, i0, i1, j0, j1, lo, hi, types)


# ---------------------------------------------------------------------------------------------
# Estimation between passes


def _estimate_baseline(model: _Model) -> None:
    """Coverage fraction of unrelated sentence pairs (a fixed stride through the document)."""
    n, m = len(model.src_tokens), len(model.tgt_tokens)
    covered = total = 0.0
    if n and m:
        for k in range(min(300, n * m)):
            s = (k * 7919) % n
            t = (k * 104_729 + m // 2) % m
            src_mask, tgt_mask = model.pair(s, t)
            covered += _weigh(src_mask, model.src_weights[s]) + _weigh(tgt_mask, model.tgt_weights[t])
            total += model.src_count[s] + model.tgt_count[t]
    model.baseline = BASELINE_FACTOR * covered / total + BASELINE_MARGIN if total else 0.0


def _estimate_length_model(model: _Model, beads: Iterable[tuple]) -> None:
    """Ratio and variance of the length model from the first pass's confident 1-1 beads.

    Confident: more lexical coverage than chance. With fewer than ``LENGTH_MIN_BEADS`` of them,
    every bead with both sides is used.
    """
    beads = [bead for bead in beads if bead[1] > bead[0] and bead[3] > bead[2]]
    confident = [
        bead
        for bead in beads
        if bead[1] - bead[0] == 1 and bead[3] - bead[2] == 1 and model.lexical(*bead) > 0
    ]
    if len(confident) >= LENGTH_MIN_BEADS:
        beads = confident
    pairs = [(sum(model.src_len[a0:a1]), sum(model.tgt_len[b0:b1])) for a0, a1, b0, b1 in beads]
    src_total = sum(s for s, _t in pairs)
    tgt_total = sum(t for _s, t in pairs)
    if len(pairs) < 5 or not src_total or not tgt_total:
        return
    ratio = tgt_total / src_total
    errors = sorted((t - ratio * s) ** 2 / max(1.0, (t + ratio * s) / 2) for s, t in pairs)
    kept = errors[: max(1, int(len(errors) * TRIM))]  # trim the worst tenth (misalignments)
    model.ratio = ratio
    model.variance = max(1.0, sum(kept) / len(kept))


def _learn_lexicon(model: _Model, beads: Iterable[tuple]) -> None:
    """Word translations learned on the document pair itself, from the first pass's beads.

    ``LEXICON == "ibm1"``: IBM Model 1 translation probabilities t(target key | source key),
    estimated by EM over the beads (each bead a sentence pair, with a NULL source word), started
    from uniform; a source key learns the target keys with t >= ``IBM1_MIN_PROB`` (at most three).
    EM explains away: a frequent target word shared by many beads does not become the translation
    of every rare source word, as it does with co-occurrence counts. ``"dice"``: the Dice
    coefficient of co-occurrence over the beads (>= 0.5, seen twice).
    """
    pairs = []
    for a0, a1, b0, b1 in beads:
        if a1 == a0 or b1 == b0:
            continue
        src_keys = {token.key for s in range(a0, a1) for token in model.src_tokens[s]}
        tgt_keys = {token.key for t in range(b0, b1) for token in model.tgt_tokens[t]}
        if src_keys and tgt_keys and len(src_keys) * len(tgt_keys) <= 4000:
            pairs.append((src_keys, tgt_keys))
    if LEXICON == "ibm1":
        model.learned = _ibm1(pairs)
        return
    pair_counts: Counter[tuple[str, str]] = Counter()
    src_counts: Counter[str] = Counter()
    tgt_counts: Counter[str] = Counter()
    for src_keys, tgt_keys in pairs:
        src_counts.update(src_keys)
        tgt_counts.update(tgt_keys)
        pair_counts.update((s, t) for s in src_keys for t in tgt_keys)
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (s, t), count in pair_counts.items():
        if count < 2:
            continue
        dice = 2 * count / (src_counts[s] + tgt_counts[t])
        if dice >= 0.5:
            best[s].append((dice, t))
    model.learned = {
        s: tuple("L:" + t for _d, t in sorted(found, reverse=True)[:3]) for s, found in best.items()
    }


def _ibm1(pairs: list[tuple[set[str], set[str]]]) -> dict[str, tuple[str, ...]]:
    null = "\0"
    frequency: Counter[str] = Counter()
    for src_keys, _tgt_keys in pairs:
        frequency.update(src_keys)
    # t[e][f], started uniform over the target keys each source key co-occurs with
    table: dict[str, dict[str, float]] = defaultdict(dict)
    for src_keys, tgt_keys in pairs:
        for e in (*src_keys, null):
            row = table[e]
            for f in tgt_keys:
                row[f] = 1.0
    for row in table.values():
        norm = 1.0 / len(row)
        for f in row:
            row[f] = norm
    for _iteration in range(IBM1_ITERATIONS):
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for src_keys, tgt_keys in pairs:
            sources = (*src_keys, null)
            rows = [table[e] for e in sources]
            for f in tgt_keys:
                weights = [row[f] for row in rows]
                total = sum(weights)
                if total <= 0:
                    continue
                for e, weight in zip(sources, weights, strict=True):
                    counts[e][f] += weight / total
        for e, row in counts.items():
            norm = sum(row.values())
            table[e] = {f: value / norm for f, value in row.items()}
    learned = {}
    for e, row in table.items():
        if e == null or frequency[e] < 2:
            continue
        found = sorted(((p, f) for f, p in row.items() if p >= IBM1_MIN_PROB), reverse=True)[:3]
        if found:
            learned[e] = tuple("L:" + f for _p, f in found)
    return learned


def _initial_ratio(
    model: _Model, src_lang: str, tgt_lang: str, spans: list[tuple[int, int, int, int]]
) -> None:
    src_total = sum(sum(model.src_len[a0:a1]) for a0, a1, _b0, _b1 in spans)
    tgt_total = sum(sum(model.tgt_len[b0:b1]) for _a0, _a1, b0, b1 in spans)
    chain_ratios = []
    for a0, a1, b0, b1 in spans:
        if a1 - a0 < 4 or b1 - b0 < 4:
            continue
        chain = _chain(_candidate_pairs(model, a0, a1, b0, b1), b0, b1)
        if len(chain) >= 3:
            (s1, t1), (s2, t2) = chain[0], chain[-1]
            src_chars = sum(model.src_len[s1 : s2 + 1])
            tgt_chars = sum(model.tgt_len[t1 : t2 + 1])
            if src_chars and tgt_chars:
                chain_ratios.append((src_chars, tgt_chars))
    if chain_ratios and sum(s for s, _t in chain_ratios) > 0.2 * src_total:
        model.ratio = sum(t for _s, t in chain_ratios) / sum(s for s, _t in chain_ratios)
    elif (src_lang, tgt_lang) in DEFAULT_RATIO:
        model.ratio = DEFAULT_RATIO[(src_lang, tgt_lang)]
    elif src_total and tgt_total:
        model.ratio = tgt_total / src_total


# ---------------------------------------------------------------------------------------------
# Public API


def _normalise_anchors(anchors, n: int, m: int) -> list[tuple[int, int, int, int]]:
    result = []
    for src_range, tgt_range in anchors or ():
        a0, a1 = _bounds(src_range)
        b0, b1 = _bounds(tgt_range)
        result.append((a0, a1, b0, b1))
    result.sort()
    previous_a = previous_b = 0
    for a0, a1, b0, b1 in result:
        if a0 < previous_a or b0 < previous_b or a1 > n or b1 > m or a1 < a0 or b1 < b0:
            raise ValueError("anchors must be in range, in order and must not overlap")
        previous_a, previous_b = a1, b1
    return result


def _bounds(value) -> tuple[int, int]:
    if isinstance(value, range):
        if value.step != 1:
            raise ValueError("anchor ranges must be contiguous")
        return value.start, value.stop
    if isinstance(value, int):
        return value, value + 1
    values = list(value)
    if len(values) == 2 and not isinstance(value, list):
        return int(values[0]), int(values[1])  # (start, stop)
    if not values:
        raise ValueError("use (start, stop) or range() for an empty anchor side")
    return min(values), max(values) + 1  # a list of ids


def align(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    anchors: Iterable | None = None,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
) -> list[Bead]:
    """Align two lists of sentences; beads cover both sides in order, every id exactly once.

    ``src_paragraphs`` / ``tgt_paragraphs``: the paragraph of each sentence (any non-decreasing
    numbers), when the texts keep their paragraph breaks. Given on both sides, a paragraph break
    met on both sides at once is a soft anchor (``PARAGRAPH_BONUS``) and a bead holding a break
    inside one of its sides pays ``PARAGRAPH_CROSS``; paragraphing that differs costs nothing more.

    ``anchors``: fixed ``(src_range, tgt_range)`` pairs the alignment must pass through (``range``
    objects or ``(start, stop)`` tuples, stop exclusive, or lists of ids); each becomes one bead
    with score 1.0 and the gaps between them are aligned independently.

    A target much shorter than the source (a chapter pasted into a book) is first located in the
    source (``locate``); only that stretch, widened by a margin, is aligned, and the rest of the
    source comes out as 1-0 beads. When it cannot be located and the two are large (more than
    ``LOCATE_FALLBACK_CELLS`` sentence pairs, no fixed anchors), nothing is aligned: every
    sentence comes out as a 1-0 or 0-1 bead with score 0.
    """
    n, m = len(src), len(tgt)
    fixed = _normalise_anchors(anchors, n, m)
    src_breaks = tgt_breaks = None
    if src_paragraphs is not None and tgt_paragraphs is not None:
        if len(src_paragraphs) != n or len(tgt_paragraphs) != m:
            raise ValueError("one paragraph number per sentence is needed on each side")
        src_breaks, tgt_breaks = _breaks(src_paragraphs), _breaks(tgt_paragraphs)
        if not any(src_breaks) or not any(tgt_breaks):
            src_breaks = tgt_breaks = None  # one paragraph on a side: nothing to anchor on
    tgt_tokens = [_tokens(text, tgt_lang, src_lang) for text in tgt]
    stretch = None
    if m and n > LOCATE_FACTOR * m + LOCATE_MIN_SOURCE:
        stretch = locate(src, tgt_tokens, src_lang=src_lang, tgt_lang=tgt_lang)
        if stretch is None and not fixed and n * m > LOCATE_FALLBACK_CELLS:
            # Nothing in a long source matches a long paste: aligning it all anyway would cost
            # minutes and gigabytes and give nonsense, so nothing is aligned.
            return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    if stretch is None:
        return _align_whole(src, tgt, src_lang, tgt_lang, fixed, tgt_tokens, (src_breaks, tgt_breaks))
    a, b = stretch
    for a0, a1, _b0, _b1 in fixed:  # fixed anchors stay inside the aligned stretch
        if a1 > a0:
            a, b = min(a, a0), max(b, a1)
    inner = _align_whole(
        src[a:b],
        tgt,
        src_lang,
        tgt_lang,
        [(a0 - a, a1 - a, b0, b1) for a0, a1, b0, b1 in fixed],
        tgt_tokens,
        (src_breaks[a:b] if src_breaks else None, tgt_breaks),
    )
    before = [Bead((i,), (), 0.5) for i in range(a)]
    after = [Bead((i,), (), 0.5) for i in range(b, n)]
    shifted = [Bead(tuple(i + a for i in bead.src), bead.tgt, bead.score) for bead in inner]
    return before + shifted + after


def locate(
    src: Sequence[str], tgt_tokens: list[list[_Token]], *, src_lang: str, tgt_lang: str
) -> tuple[int, int] | None:
    """The stretch ``(start, stop)`` of ``src`` that the target translates, or None if unsure.

    One pass over the source, reading every ``stride``-th sentence (``stride`` grows with the
    target, so a long paste reads a sample of the source and a short one reads all of it): each
    read sentence is tokenized, the target sentences sharing its rare features (features of at
    most ``RARE_FEATURE_DF`` target sentences) are scored by the share of both sentences' tokens
    they cover, and the best two become candidate pairs.
    The heaviest increasing chain of candidates is cut into its densest run (a maximum-sum run
    where sentences of one side's gap not explained by the other side's gap cost
    ``LOCATE_GAP_COST`` each); a run spanning fewer than ``LOCATE_MIN_SPAN`` target sentences, or
    where fewer than ``LOCATE_MIN_DENSITY`` of the sentences read are chain points, is no evidence
    (chance matches chain too). The run is widened by what the target has before its first and after its last point, at the run's
    sentence rate, plus a margin. Time is linear in the source (a fraction of it tokenized) plus
    the target; memory holds the target's index and a few candidates per read sentence.
    """
    n, m = len(src), len(tgt_tokens)
    stride = max(1, min(LOCATE_MAX_STRIDE, m // LOCATE_SAMPLES_PER_STRIDE))
    index: dict[str, list[int]] = defaultdict(list)
    tgt_features = []
    for t, tokens in enumerate(tgt_tokens):
        features = {feature for token in tokens for feature in token.features}
        tgt_features.append(features)
        for feature in features:
            index[feature].append(t)
    rare = {feature: ts for feature, ts in index.items() if len(ts) <= RARE_FEATURE_DF}
    candidates: list[tuple[int, int, float]] = []
    for s in range(0, n, stride):
        tokens = _tokens(src[s], src_lang, tgt_lang)
        src_features = {feature for token in tokens for feature in token.features}
        hits: Counter[int] = Counter()
        for feature in src_features:
            for t in rare.get(feature, ()):
                hits[t] += 1
        scored = []
        for t, _count in sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:6]:
            shared = src_features & tgt_features[t]
            covered = sum(1 for token in tokens if shared.intersection(token.features))
            covered += sum(1 for token in tgt_tokens[t] if shared.intersection(token.features))
            total = len(tokens) + len(tgt_tokens[t])
            if covered >= 2 and covered / total >= 0.3:
                scored.append((covered / total * (1 + math.log(covered)), t))
        scored.sort(reverse=True)
        candidates.extend((s, t, weight) for weight, t in scored[:2])
    chain = _chain(candidates, 0, m)
    if len(chain) < 3:
        return None
    weights = {(s, t): weight for s, t, weight in candidates}
    best, best_run = 0.0, (0, 0)
    total, start = 0.0, 0
    for k, (s, t) in enumerate(chain):
        if k:
            ps, pt = chain[k - 1]
            # sentences of either side the other side's gap does not account for
            unexplained = max(0.0, (s - ps) - LOCATE_RATE * (t - pt) - 2 * stride - 10)
            unexplained += max(0.0, (t - pt) - LOCATE_RATE * (s - ps) - 10)
            total -= LOCATE_GAP_COST * unexplained
        if total <= 0:
            total, start = 0.0, k
        total += weights[(s, t)]
        if total > best:
            best, best_run = total, (start, k)
    first, last = best_run
    if last - first < 2 or chain[last][1] - chain[first][1] < min(LOCATE_MIN_SPAN, m // 2):
        return None
    read = (chain[last][0] - chain[first][0]) / stride + 1  # source sentences read along the run
    if last - first + 1 < LOCATE_MIN_DENSITY * read:
        return None
    (s_lo, t_lo), (s_hi, t_hi) = chain[first], chain[last]
    rate = min(4.0, max(0.25, (s_hi - s_lo + 1) / (t_hi - t_lo + 1)))
    margin = 2 * stride + 20
    a = max(0, s_lo - int(1.5 * rate * t_lo) - margin)
    b = min(n, s_hi + 1 + int(1.5 * rate * (m - 1 - t_hi)) + margin)
    return (a, b) if b - a < n else None


def _align_whole(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    fixed: list[tuple[int, int, int, int]],
    tgt_tokens: list[list[_Token]],
    breaks: tuple[list[bool] | None, list[bool] | None] = (None, None),
) -> list[Bead]:
    n, m = len(src), len(tgt)
    model = _Model(
        src_tokens=[_tokens(text, src_lang, tgt_lang) for text in src],
        tgt_tokens=tgt_tokens,
        src_len=[_length(text) for text in src],
        tgt_len=[_length(text) for text in tgt],
        src_quote_prefix=[0, *itertools.accumulate(quote_marks(text, src_lang) for text in src)],
        tgt_quote_prefix=[0, *itertools.accumulate(quote_marks(text, tgt_lang) for text in tgt)],
    )
    if breaks[0] is not None and breaks[1] is not None:
        model.src_breaks, model.tgt_breaks = breaks[0], breaks[1]
        model.src_break_prefix = [0, *itertools.accumulate(breaks[0])]
        model.tgt_break_prefix = [0, *itertools.accumulate(breaks[1])]
    model.index()
    _estimate_baseline(model)
    spans = []
    a = b = 0
    for a0, a1, b0, b1 in fixed:
        spans.append((a, a0, b, b0))
        a, b = a1, b1
    spans.append((a, n, b, m))
    _initial_ratio(model, src_lang, tgt_lang, spans)

    first = {span: _align_span(model, *span, None) for span in spans}
    beads_first = [bead for path in first.values() for bead in path]
    _estimate_length_model(model, beads_first)
    _learn_lexicon(model, beads_first)
    model.index()
    _estimate_baseline(model)
    second = {span: _align_span(model, *span, first[span]) for span in spans}

    result: list[Bead] = []
    for number, span in enumerate(spans):
        for a0, a1, b0, b1 in second[span]:
            result.append(
                Bead(tuple(range(a0, a1)), tuple(range(b0, b1)), round(model.confidence(a0, a1, b0, b1), 4))
            )
        if number < len(fixed):
            a0, a1, b0, b1 = fixed[number]
            if a1 > a0 or b1 > b0:
                result.append(Bead(tuple(range(a0, a1)), tuple(range(b0, b1)), 1.0))
    return result
