"""Numbers normalised across scripts, as alignment anchors.

``numbers(text)`` returns the values written in ``text`` as canonical strings, so that
``115,119`` / ``115119`` / ``11만 5119`` agree, ``2000万`` / ``20 million`` / ``2천만`` / ``两千万`` agree,
and ``3.5`` / ``3,5`` (German/French decimal comma) agree. Single Chinese numerals standing alone
(一, 两) are left to the dictionary: they are too common as articles and measure words.
"""

from __future__ import annotations

import re

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3})
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "만": 10**4, "억": 10**8, "조": 10**12}
_KO_SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
_WORD_SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "millionen": 10**6,
    "milliarden": 10**9,
    "millions": 10**6,
    "milliards": 10**9,
    "mio": 10**6,
    "mrd": 10**9,
}

_ARABIC = r"\d+(?:[,.'’ ]\d{3}(?!\d))*(?:[.,]\d+)?"
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS)
_NUMBER = re.compile(
    rf"(?P<arabic>{_ARABIC})\s*(?P<scale>[万萬亿億만억조천백십]+|(?:hundred|thousand|million|billion|trillion|"
    rf"millionen|milliarden|millions|milliards|mio|mrd)\b\.?)?"
    rf"|(?P<chinese>[{_CN_CHARS}万萬亿億]{{2,}})",
    re.IGNORECASE,
)


def _arabic_value(text: str) -> float | None:
    text = text.replace(" ", "").replace("'", "").replace("’", "")
    groups = re.split(r"[.,]", text)
    if len(groups) == 1:
        return float(text)
    # Thousands separators: every group after the first has three digits (115,119 / 1.000.000).
    if all(len(group) == 3 for group in groups[1:]) and (len(groups) > 2 or len(groups[0]) <= 3):
        if len(groups) == 2 and groups[0] == "0":
            return float(text.replace(",", "."))
        return float("".join(groups))
    if len(groups) == 2:
        return float(groups[0] + "." + groups[1])
    return None


def _chinese_value(text: str) -> int | None:
    """Value of a Chinese numeral such as 两千三百万, 一九九八 (digit by digit) or 十五."""
    if all(char in _CN_DIGITS for char in text):
        return int("".join(str(_CN_DIGITS[char]) for char in text)) if len(text) > 1 else None
    total, section, digit = 0, 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[char]
            digit = None
        elif char in _BIG_UNITS:
            section += digit or 0
            total += (section or 1) * _BIG_UNITS[char]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _scaled(value: float, scale: str) -> float:
    scale = scale.lower().rstrip(".")
    if scale in _WORD_SCALES:
        return value * _WORD_SCALES[scale]
    factor, small = 1, 0
    for char in scale:
        if char in _KO_SMALL_UNITS:
            small = _KO_SMALL_UNITS[char]
        elif char in _BIG_UNITS:
            factor *= _BIG_UNITS[char] * (small or 1)
            small = 0
    if small:
        factor *= small
    return value * factor


def _canonical(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6g}"


def numbers(text: str) -> list[str]:
    """The numbers written in ``text``, canonical, in order of appearance (duplicates kept)."""
    found: list[str] = []
    for match in _NUMBER.finditer(text):
        if match.group("chinese"):
            value = _chinese_value(match.group("chinese"))
            if value is not None:
                found.append(_canonical(value))
            continue
        value = _arabic_value(match.group("arabic"))
        if value is None:
            continue
        if match.group("scale"):
            value = _scaled(value, match.group("scale"))
        found.append(_canonical(value))
    return found
