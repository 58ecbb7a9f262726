"""Is a pasted translation written in the language it claims? A decision from the script mix.

``script_shares(text)`` counts the letters of each script (Han, Hangul, Latin, Kana, Cyrillic),
weighted by how much text one letter carries (a Han character is about three Latin letters of a
translation, a Hangul syllable about two), and returns each script's share of the total.
``detect_language(text)`` names the language whose script dominates, or ``None`` when there are too
few letters to tell. ``language_mismatch(text, expected)`` returns a message such as
"This looks like Chinese, not English." when the text is clearly in another script, else ``None``.

Mixed text is allowed: names, numbers and a few foreign words (an English text quoting 韦小宝, a
Korean text with 코로나19 (COVID-19) and 多邊主義 in brackets). A paste is refused only when another script dominates
and the expected script has less than ``MIN_EXPECTED_SHARE`` of the weighted letters (Japanese,
Han with Kana, is refused as Chinese). Latin-script languages (English, German, French) cannot be told apart by
script, so a French paste as English passes; digits, punctuation and spaces are not letters.
"""

from __future__ import annotations

import unicodedata

LANGUAGE_NAMES = {
    "zh": "Chinese",
    "en": "English",
    "ko": "Korean",
    "ja": "Japanese",
    "de": "German",
    "fr": "French",
    "ru": "Russian",
}
SCRIPT_OF_LANGUAGE = {
    "zh": "han",
    "en": "latin",
    "de": "latin",
    "fr": "latin",
    "ko": "hangul",
    "ja": "kana",
    "ru": "cyrillic",
}
LANGUAGE_OF_SCRIPT = {"han": "zh", "latin": "en", "hangul": "ko", "kana": "ja", "cyrillic": "ru"}
WEIGHTS = {"han": 3.0, "hangul": 2.0, "kana": 1.5, "latin": 1.0, "cyrillic": 1.0}
MIN_LETTERS = 12.0  # weighted letters below which nothing is decided (a title, a number)
MIN_EXPECTED_SHARE = 0.3


def _script(char: str) -> str | None:
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0x20000 <= code <= 0x2FA1F:
        return "han"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if char.isalpha() and unicodedata.name(char, "").startswith("LATIN"):
        return "latin"
    return None


def script_counts(text: str) -> dict[str, float]:
    """Weighted letter counts per script."""
    counts = dict.fromkeys(WEIGHTS, 0.0)
    for char in text:
        if char.isascii():
            if char.isalpha():
                counts["latin"] += 1.0
            continue
        script = _script(char)
        if script is not None:
            counts[script] += WEIGHTS[script]
    return counts


def script_shares(text: str) -> dict[str, float]:
    """Each script's share of the weighted letters (all 0.0 for a text without letters)."""
    counts = script_counts(text)
    total = sum(counts.values())
    return {script: (count / total if total else 0.0) for script, count in counts.items()}


def detect_language(text: str) -> str | None:
    """The language of the dominant script (``en`` for Latin), or None with too few letters."""
    counts = script_counts(text)
    total = sum(counts.values())
    if total < MIN_LETTERS:
        return None
    # Japanese writes Han and Kana together: a real share of Kana makes the text Japanese.
    if counts["kana"] / total >= 0.15:
        return "ja"
    script = max(counts, key=counts.__getitem__)
    return LANGUAGE_OF_SCRIPT[script]


def language_mismatch(text: str, expected: str) -> str | None:
    """A message when ``text`` is clearly not written in ``expected``'s script, else None."""
    expected_script = SCRIPT_OF_LANGUAGE.get(expected)
    found = detect_language(text)
    if expected_script is None or found is None or found == expected:
        return None
    if SCRIPT_OF_LANGUAGE[found] == expected_script:  # English pasted as French: same script
        return None
    if found != "ja" and script_shares(text)[expected_script] >= MIN_EXPECTED_SHARE:
        return None  # mixed text: the expected script is well represented
    name = LANGUAGE_NAMES.get(expected, expected)
    return f"This looks like {LANGUAGE_NAMES[found]}, not {name}."
