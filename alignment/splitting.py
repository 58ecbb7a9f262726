"""Target-side sentence splitting for the aligner (English, Korean, Chinese).

Rules:
- Text is normalised like the source (``corpus.segmentation.normalise`` per line: NFC, Unicode
  spaces folded, trimmed). Every non-empty line is a paragraph; a line break is a hard boundary,
  so no sentence ever spans two lines.
- Chinese (``zh``) paragraphs split with ``corpus.segmentation.split_sentences`` (after 。！？!? and
  ellipses, closing quotes/brackets kept on the sentence they close).
- English and Korean paragraphs split after a terminator run (``.``, ``!``, ``?``, ``…``, ``...``,
  and the full-width 。！？), followed by any closing quotes or brackets, then white space, when
  the next character may start a sentence:
  * English: an upper-case letter, a digit, an opening quote or bracket, or any non-Latin letter.
    A lower-case continuation never starts a new sentence (``e.g. this``, ``p.m. on Monday``).
  * Korean: anything (Korean has no capitals), except that a lower-case Latin word after a period
    continues the sentence.
- A period does not end a sentence when the word before it is a known abbreviation (``Dr.``,
  ``Mr.``, ``No.``, ``Inc.``, ``e.g.``, ``U.S.``, ``a.m.`` ... see ``ABBREVIATIONS``), a single
  letter initial (``J. Smith``), or a dotted acronym (``U.S.A.``) followed by an upper-case word;
  decimals and thousands (``3.5``, ``115,119``) never split because no space follows the mark.
- ``!`` and ``?`` and ellipses always end a sentence when followed by space and a possible start.
- Full-width terminators (。！？) end a sentence even without a following space.
- A list marker at the start of a line or sentence (``1.``, ``IV.``, ``a.``) does not end a sentence:
  ``1. Renewing globalization`` is one heading.
"""

from __future__ import annotations

import re

from corpus.segmentation import normalise
from corpus.segmentation import split_sentences as split_chinese

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft no nos vol vols fig figs p pp ch sec art inc ltd co corp bros
    dept est gen gov lt col sgt capt cmdr adm rep sen rev hon messrs mme mlle jan feb mar apr jun
    jul aug sep sept oct nov dec vs etc approx ca cf al ed eds e.g i.e a.m p.m u.s u.k u.n u.s.a
    e.u d.c ph.d b.a m.a b.sc no.
    """.split()
)
# Abbreviations that, like "etc.", may legitimately end a sentence: split if a capital follows.
SENTENCE_FINAL_ABBREVIATIONS = frozenset({"etc", "u.s", "u.k", "u.n", "u.s.a", "e.u", "d.c", "a.m", "p.m"})
CLOSERS = "\"'”’」』）)》〉】〕]»"
OPENERS = "\"'“‘「『（(《〈【〔[«"
_BOUNDARY = re.compile(
    r"(?P<mark>\.{3,}|…+|[.!?。！？]+)(?P<closer>[" + re.escape(CLOSERS) + r"]*)(?P<space>\s+|$)"
)
_FULLWIDTH = re.compile(r"[。！？]+[" + re.escape(CLOSERS) + r"]*")
_LIST_MARKER = re.compile(r"\s*(?:\d{1,3}|[IVXivx]{1,5}|[A-Za-z])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")

LANGUAGES = ("en", "ko", "zh")


def _lines(text: str) -> list[str]:
    return [line for line in (normalise(raw) for raw in text.splitlines()) if line]


def _is_abbreviation(before: str) -> tuple[bool, bool]:
    """(is an abbreviation, may also end a sentence) for the text before a period."""
    match = _WORD_BEFORE.search(before)
    if not match:
        return False, False
    word = match.group(1).lower().strip(".")
    if not word:
        return False, False
    if word in ABBREVIATIONS:
        return True, word in SENTENCE_FINAL_ABBREVIATIONS
    # A single-letter initial (J. Smith) or a dotted acronym (U.S.A.).
    if len(word) == 1 and word.isalpha() and match.group(1)[0].isupper():
        return True, False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
        return True, True
    return False, False


def _starts_sentence(following: str, language: str) -> bool:
    if not following:
        return True
    char = following[0]
    if char.isdigit() or char in OPENERS or char in "-–—*•":
        return True
    if char.isalpha():
        if char.isascii() or ("\u00c0" <= char <= "\u024f"):
            return char.isupper()
        return True
    return language == "ko"


def _split_line(line: str, language: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        end = match.end("closer")
        following = line[match.end() :]
        mark = match.group("mark")
        if not match.group("space") and match.end() != len(line):
            continue
        if match.end() == len(line):
            break
        if not _starts_sentence(following, language):
            continue
        if mark == "." and _LIST_MARKER.fullmatch(line[start : match.start()]):
            continue  # "1. Renewing globalization": a numbered heading or list item, not a sentence
        if mark == ".":
            abbreviation, may_end = _is_abbreviation(line[start : match.start()])
            if abbreviation and not (may_end and following[:1].isupper() and _looks_final(following)):
                continue
        sentence = line[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = line[start:].strip()
    if rest:
        sentences.append(rest)
    # Full-width terminators split even without a space after them.
    result: list[str] = []
    for sentence in sentences:
        result.extend(_split_fullwidth(sentence))
    return result


def _looks_final(following: str) -> bool:
    """After "etc." or "U.S.", a capitalised function word suggests a new sentence."""
    word = following.split(" ", 1)[0].strip(OPENERS)
    return word in {"The", "A", "An", "He", "She", "It", "They", "We", "I", "But", "In", "This", "That"}


def _split_fullwidth(sentence: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _FULLWIDTH.finditer(sentence):
        if match.end() < len(sentence):
            parts.append(sentence[start : match.end()].strip())
            start = match.end()
    parts.append(sentence[start:].strip())
    return [part for part in parts if part]


def split_paragraphs(text: str, language: str) -> list[list[str]]:
    """The sentences of ``text``, grouped by paragraph (non-empty line)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {', '.join(LANGUAGES)}")
    if language == "zh":
        return [split_chinese(line) for line in _lines(text)]
    return [_split_line(line, language) for line in _lines(text)]


def split_sentences(text: str, language: str) -> list[str]:
    """The sentences of ``text`` in order; a line break always ends a sentence."""
    return [sentence for paragraph in split_paragraphs(text, language) for sentence in paragraph]


def paragraph_indices(text: str, language: str) -> list[int]:
    """For each sentence of ``split_sentences(text, language)``, the index of its paragraph."""
    return [
        number for number, paragraph in enumerate(split_paragraphs(text, language)) for _sentence in paragraph
    ]


def joiner(language: str) -> str:
    """What joins two sentences of ``language`` into one text: nothing in Chinese and Japanese."""
    return "" if language in {"zh", "ja"} else " "
