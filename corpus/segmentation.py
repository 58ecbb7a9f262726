"""Chinese source segmentation: normalisation, paragraphs, headings, sentences, jieba word counts.

Rules (the seed document's figures are pinned by tests/corpus/test_segmentation.py):
- Text is NFC-normalised; no-break, ideographic and other Unicode spaces fold to one ASCII space;
  runs of white space become one space; each line is trimmed.
- A paragraph is a non-empty line.
- A paragraph is a heading when it is numbered (``1. …``, ``2、…``), starts with a Chinese ordinal
  (``一、…``), or is short (at most 40 characters) and does not end with sentence-final punctuation
  (a title). A heading is one segment, never split.
- Body paragraphs split into sentences after 。！？!? (a run of them counts once) and after an
  ellipsis (…… or …); closing quotes and brackets that follow stay on the sentence they close.
  Text after the last terminator is a sentence of its own.
- Words are jieba tokens that contain a letter or digit (punctuation and spaces excluded); chars
  counts the characters that are not white space.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field

SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
NUMBERED_HEADING = re.compile(r"^\d{1,3}\s*[.．、]\s*\S")
ORDINAL_HEADING = re.compile(r"^[一二三四五六七八九十百]{1,4}、")
CLOSERS = "”’」』）)》〉】〕]\"'"
TERMINATORS = "。！？!?"
SENTENCE_END = re.compile(rf"(?:[{TERMINATORS}]+|…+)[{re.escape(CLOSERS)}]*")
SHORT_HEADING_MAX_CHARS = 40


def normalise(text: str) -> str:
    """NFC, Unicode spaces folded to one ASCII space, trimmed."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def has_chinese(text: str) -> bool:
    return HAN.search(text) is not None


def is_korean(text: str) -> bool:
    """A line written in Hangul: it has Hangul and more Hangul than Chinese characters."""
    hangul = len(HANGUL.findall(text))
    return hangul > 0 and hangul > len(HAN.findall(text))


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and (stripped[-1] in TERMINATORS + "…；;：:.")


def is_heading(paragraph: str) -> bool:
    if NUMBERED_HEADING.match(paragraph) or ORDINAL_HEADING.match(paragraph):
        return True
    return len(paragraph) <= SHORT_HEADING_MAX_CHARS and not ends_sentence(paragraph)


def split_sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(paragraph):
        sentence = paragraph[start : match.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


_jieba_lock = threading.Lock()
_jieba_tokenizer = None


def _tokenizer():
    """jieba's dictionary loads once per process (0.65 s, +52 MB), on first use."""
    global _jieba_tokenizer
    if _jieba_tokenizer is None:
        with _jieba_lock:
            if _jieba_tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _jieba_tokenizer = tokenizer
    return _jieba_tokenizer


def load_tokenizer() -> None:
    """Load jieba's dictionary now (a server process does it before it takes requests)."""
    _tokenizer()


def is_word(token: str) -> bool:
    return any(unicodedata.category(char)[0] in "LN" for char in token)


def words(text: str) -> list[str]:
    """jieba tokens of ``text`` that are words: punctuation and white space excluded."""
    return [token for token in _tokenizer().lcut(text) if is_word(token)]


def char_count(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


@dataclass(frozen=True)
class SourceSegment:
    paragraph: int
    kind: str
    text: str
    tokens: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.tokens)

    @property
    def chars(self) -> int:
        return char_count(self.text)


@dataclass(frozen=True)
class KoreanLine:
    """A Hangul line that translates the paragraph before it."""

    line_number: int
    paragraph: int
    text: str


@dataclass
class SegmentedSource:
    segments: list[SourceSegment]
    korean_lines: list[KoreanLine]
    paragraphs: int


class SegmentationError(ValueError):
    pass


def segment_document(text: str) -> SegmentedSource:
    segments: list[SourceSegment] = []
    korean: list[KoreanLine] = []
    paragraph = -1
    previous_was_chinese = False
    for line_number, raw_line in enumerate(text.splitlines(), start=1):
        line = normalise(raw_line)
        if not line:
            continue
        if is_korean(line):
            if not previous_was_chinese:
                raise SegmentationError(
                    f"line {line_number}: a Korean line must follow the Chinese line it translates"
                )
            korean.append(KoreanLine(line_number=line_number, paragraph=paragraph, text=line))
            previous_was_chinese = False
            continue
        paragraph += 1
        previous_was_chinese = has_chinese(line)
        if is_heading(line):
            segments.append(SourceSegment(paragraph, "heading", line, words(line)))
            continue
        for sentence in split_sentences(line):
            segments.append(SourceSegment(paragraph, "body", sentence, words(sentence)))
    return SegmentedSource(segments=segments, korean_lines=korean, paragraphs=paragraph + 1)
