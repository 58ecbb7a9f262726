"""Number extraction for Chinese (zh), English (en) and Korean (ko) text.

``extract_numbers(text, lang)`` returns :class:`NumberMention` objects in text order. Each carries the
value as a :class:`~decimal.Decimal`, the character span in ``text``, a ``kind`` and a ``qualifier``:

kinds
    ``plain`` (a count or amount), ``percent``, ``year`` (a four-digit year marked as such: 2008年,
    2008년, or a bare 1000..2100 in English), ``date`` (month and day: 3月11日, March 11, 3월 11일; the
    value is month * 100 + day and ``month``/``day`` are set), ``month`` (a month alone: 三月, March,
    3월), ``day`` (a day alone: 11日, 11일), ``ordinal`` (19th, 第三, 제19차), ``list`` (an enumerator
    that opens a line: ``1.``, ``一、``), ``code`` (a number inside an identifier: G20, H1N1, COVID-19;
    the value is the trailing number and ``text`` the identifier).
qualifier
    ``None``, ``"under"`` (近, 将近, 不到, nearly, almost, 거의, 가까이), ``"over"`` (多, 余, 超过, more
    than, over, 여, 이상, 넘는), ``"about"`` (约, 左右, about, around, 약, 정도).
explicit
    Whether a translation must carry the number over (and must not invent it). Numbers written in
    digits are explicit. Chinese numerals are explicit only when followed by a measure word or unit
    (两次, 三个, 十天, 三十多年, 2000万), never for a lone 一 or 二 (一个 is usually the article "a", 二次
    is "secondary"), never in set phrases such as 一带一路, 二战, 两极, 三大特性 (大, 极, 战 and the like
    are not measure words). Number words in English and Korean (three, million, 두 차례, 세 가지) are
    not explicit: they satisfy a source number but their absence from the source is not a problem.
    Ordinals, list markers and identifiers are never explicit.

``comparison_keys(mention)`` gives the keys under which a mention is compared across languages: the
same value written differently (115119 / 115,119; 2000万 / 20 million / 2천만; 3月11日 / March 11)
yields the same key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["NumberMention", "comparison_keys", "extract_numbers"]

KINDS = ("plain", "percent", "year", "date", "month", "day", "ordinal", "list", "code")


@dataclass(frozen=True, slots=True)
class NumberMention:
    value: Decimal
    span: tuple[int, int]
    kind: str = "plain"
    text: str = ""
    qualifier: str | None = None
    explicit: bool = True
    month: int | None = None
    day: int | None = None


# ---------------------------------------------------------------------------------------------------
# shared pieces

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# an identifier that contains digits: G20, H1N1, COVID-19, A4, 5G (letters on at least one side)
_CODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]+[-‐]?\d+(?:[A-Za-z]+\d*)*|\d+[A-Za-z]+(?:\d+[A-Za-z]*)*)(?![A-Za-z0-9])"
)
_TRAILING_NUMBER = re.compile(r"(\d+)\D*$")
_LIST_MARKER_RE = re.compile(r"(?m)^[ \t\u3000]*(\d{1,3}|[一二三四五六七八九十]{1,3})[.．、)）](?!\d)")

_ZH_DIGIT = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KO_DIGIT = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000, "십": 10, "백": 100, "천": 1000}
_BIG_UNIT = {"万": 10**4, "亿": 10**8, "만": 10**4, "억": 10**8, "조": 10**12}


def _to_decimal(digits: str) -> Decimal:
    return Decimal(digits.replace(",", ""))


def _parse_cjk(token: str) -> Decimal | None:
    """Value of a run of digits, CJK numerals and units: 2000万, 三十, 1亿2000万, 2천만, 三千五百万."""
    total = Decimal(0)
    section = Decimal(0)
    current: Decimal | None = None
    last_big = 0
    prev_was_digit_char = False
    i = 0
    seen = False
    while i < len(token):
        ch = token[i]
        if ch.isdigit() and ch.isascii():
            j = i
            while j < len(token) and ((token[j].isdigit() and token[j].isascii()) or token[j] in ".,"):
                j += 1
            try:
                current = _to_decimal(token[i:j])
            except InvalidOperation:
                return None
            seen = True
            prev_was_digit_char = False
            i = j
            continue
        if ch in _ZH_DIGIT or ch in _KO_DIGIT:
            d = _ZH_DIGIT.get(ch, _KO_DIGIT.get(ch, 0))
            if prev_was_digit_char and current is not None:
                current = current * 10 + d  # 二〇二〇
            elif ch in "〇零":
                current = None  # 一百零五: the zero only fills a place
            else:
                current = Decimal(d)
            prev_was_digit_char = ch not in "〇零" or prev_was_digit_char
            seen = True
        elif ch in _SMALL_UNIT:
            section += (current if current is not None else Decimal(1)) * _SMALL_UNIT[ch]
            current = None
            prev_was_digit_char = False
            seen = True
        elif ch in _BIG_UNIT:
            unit = _BIG_UNIT[ch]
            section += current if current is not None else Decimal(0)
            current = None
            if section == 0 and total == 0:
                section = Decimal(1)
            if unit > last_big and last_big:
                total = (total + section) * unit
            else:
                total += section * unit
            last_big = max(last_big, unit)
            section = Decimal(0)
            prev_was_digit_char = False
            seen = True
        i += 1
    if not seen:
        return None
    return total + section + (current if current is not None else Decimal(0))


def _norm(value: Decimal) -> Decimal:
    """Canonical Decimal (2000.0 == 2000, exponent removed)."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


_MONTHS_EN = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


# ---------------------------------------------------------------------------------------------------
# Chinese

_ZH_NUMERAL_CHARS = "〇零一二两三四五六七八九十百千万亿"
_ZH_MEASURES = (
    "个|次|年|月|日|号|天|名|位|人|种|项|家|倍|条|只|份|岁|周|小时|分钟|届|例|起|轮|场|所|座|架|台|件|"
    "元|美元|欧元|英镑|日元|卢布|吨|公斤|千克|公里|米|平方|大洲|层|代|部|批|套|片|声"
)
_ZH_QUAL_BEFORE = {
    "将近": "under",
    "接近": "under",
    "不到": "under",
    "近": "under",
    "约": "about",
    "大约": "about",
    "超过": "over",
    "逾": "over",
    "多达": "over",
    "达": None,
}
_ZH_QUAL_BEFORE_RE = re.compile(r"(?:将近|接近|不到|大约|超过|多达|近|约|逾)$")
_ZH_QUAL_AFTER_RE = re.compile(r"(?:左右|以上|上下|以下)")

_ZH_NUM_RE = re.compile(
    r"(?P<pct>百分之)?"
    r"(?P<num>(?:" + _DIGITS + r")(?:[十百千]?(?:万亿|[万亿])|[十百千])?(?:(?:" + _DIGITS + r")[十百千]?万)?"
    r"|[" + _ZH_NUMERAL_CHARS + r"]+)"
    r"(?P<more>[多余])?"
    r"(?P<after>%|％|(?:" + _ZH_MEASURES + r"))?"
)
_ZH_DATE_RE = re.compile(
    r"(?:(?P<y>\d{4}|[〇零一二三四五六七八九]{4})年)?"
    r"(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])月"
    r"(?:(?P<d>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?"
)


def _zh_mentions(text: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    taken: list[tuple[int, int]] = []

    for m in _CODE_RE.finditer(text):
        tail = _TRAILING_NUMBER.search(m.group())
        if tail:
            out.append(
                NumberMention(_norm(Decimal(tail.group(1))), m.span(), "code", m.group(), explicit=False)
            )
            taken.append(m.span())
    for m in _LIST_MARKER_RE.finditer(text):
        value = _parse_cjk(m.group(1))
        if value is not None:
            span = (m.start(1), m.end(1))
            out.append(NumberMention(_norm(value), span, "list", m.group(1), explicit=False))
            taken.append(m.span())

    for m in _ZH_DATE_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        month = _parse_cjk(m.group("m"))
        if month is None or not 1 <= month <= 12:
            continue
        if m.group("y"):
            year = _parse_cjk(m.group("y"))
            if year is not None:
                out.append(NumberMention(_norm(year), m.span("y"), "year", m.group("y") + "年"))
        explicit = True
        if m.group("d"):
            day = _parse_cjk(m.group("d"))
            if day is not None and 1 <= day <= 31:
                s = m.start("m")
                out.append(
                    NumberMention(
                        Decimal(int(month) * 100 + int(day)),
                        (s, m.end()),
                        "date",
                        text[s : m.end()],
                        explicit=explicit,
                        month=int(month),
                        day=int(day),
                    )
                )
                taken.append(m.span())
                continue
        s = m.start("m")
        end = m.end("m") + 1
        out.append(
            NumberMention(
                Decimal(int(month)), (s, end), "month", text[s:end], explicit=explicit, month=int(month)
            )
        )
        taken.append(m.span())

    for m in _ZH_NUM_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        num = m.group("num")
        start = m.start()
        after = m.group("after") or ""
        more = m.group("more")
        has_digits = any(c.isdigit() and c.isascii() for c in num)
        pct = bool(m.group("pct")) or after in ("%", "％")
        if not has_digits and not pct:
            if start > 0 and text[start - 1] in "数几上":
                continue  # 数十年, 几百个: no definite number
            # Chinese numerals are explicit only before a measure word or unit; elsewhere (一带一路,
            # 二战, 五大常任理事国, 一到两年) they are kept for matching only
            explicit_zh = bool(after or more) and num not in ("一", "二")  # 一个 ~ "a"; 二次 ~ "secondary"
        else:
            explicit_zh = True
        # 第三, 第19: ordinals
        ordinal = start > 0 and text[start - 1] == "第"
        value = _parse_cjk(num)
        if value is None:
            continue
        if not has_digits and num.strip("〇零一二三四五六七八九两") == "" and len(num) > 1 and after != "年":
            # a run of bare digit characters like 一一 is not a number; 二〇二〇年 is handled below
            continue
        kind = "plain"
        if pct:
            kind = "percent"
        elif ordinal:
            kind = "ordinal"
        elif after == "年" and len(num) == 4 and 1000 <= value <= 2100 and not more:
            kind = "year"
        elif after in ("日", "号") and 1 <= value <= 31 and not more:
            kind = "day"
        qualifier = None
        if more:
            qualifier = "over"
        before = _ZH_QUAL_BEFORE_RE.search(text, max(0, start - 2), start)
        if before and qualifier is None:
            qualifier = _ZH_QUAL_BEFORE[before.group()]
        trail = _ZH_QUAL_AFTER_RE.match(text, m.end())
        if trail and qualifier is None:
            word = trail.group()[-2:]
            qualifier = {"左右": "about", "上下": "about", "以上": "over", "以下": "under"}[word]
        end = m.end()
        if after and after not in ("%", "％", "万", "亿", "千", "百"):
            end -= len(after)
        explicit = explicit_zh and kind not in ("ordinal",)
        if not has_digits and value == 1:
            explicit = False
        out.append(NumberMention(_norm(value), (start, end), kind, text[start:end], qualifier, explicit))
    out.sort(key=lambda n: n.span)
    return out


# ---------------------------------------------------------------------------------------------------
# English

_EN_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_SCALE = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_SCALE_ABBR = {"m": 10**6, "mn": 10**6, "bn": 10**9, "k": 10**3, "tn": 10**12}
_EN_ORDINAL = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "nineteenth": 19,
    "twentieth": 20,
}
_EN_SPECIAL = {"twice": 2, "both": 2, "dual": 2, "thrice": 3, "dozen": 12, "decade": 10, "century": 100}
_EN_FRACTIONS = {"half": Decimal("0.5"), "third": Decimal(1) / 3, "quarter": Decimal("0.25")}

_NUMWORD = "|".join(sorted([*_EN_SMALL, *_EN_SCALE], key=len, reverse=True))
_EN_WORDS_RE = re.compile(
    r"(?i)\b(?:a\s+(?=(?:hundred|thousand|million|billion|trillion)\b))?"
    r"(?:" + _NUMWORD + r")(?:(?:\s+|-|\s+and\s+)(?:" + _NUMWORD + r"))*\b"
    r"(?P<pct>\s*(?:%|per\s?cent\b))?"
    r"(?P<decades>\s+decades\b)?"
)
_EN_DIGITS_RE = re.compile(
    r"(?<![\w.])(?P<cur>[$€£¥])?\s?(?P<num>" + _DIGITS + r")(?![\d])"
    r"(?:(?P<ord>st|nd|rd|th)\b|(?P<s>s)\b)?"
    r"(?P<scale>\s*-?\s*(?:hundred|thousand|million|billion|trillion)\b|(?:m|mn|bn|k|tn)\b)?"
    r"(?P<pct>\s*(?:%|per\s?cent\b|percent\b))?"
    r"(?P<plus>-?(?:plus|odd)\b|\+)?"
)
_EN_SPECIAL_RE = re.compile(r"(?i)\b(twice|both|dual|thrice|dozens?|decades?|century|centuries)\b")
_EN_ORDINAL_RE = re.compile(r"(?i)\b(" + "|".join(_EN_ORDINAL) + r")\b")
_EN_TWO_THIRDS_RE = re.compile(r"(?i)\b(one|two)[- ](thirds?)\b")
_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_EN_DATE_RE = re.compile(
    r"\b(?:(?P<m1>" + _MONTH_NAMES + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
    r"|(?:the\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>" + _MONTH_NAMES + r"))\b"
)
_EN_MONTH_RE = re.compile(r"\b(" + _MONTH_NAMES.replace("May|", "") + r")\b")
_EN_MAY_RE = re.compile(r"\b(?:(?<=in )|(?<=mid-)|(?<=early )|(?<=late )|(?<=of ))May\b|\bMay(?=\s+\d{4}\b)")
_EN_QUAL_RE = re.compile(
    r"(?i)(?:\b(?P<under>nearly|almost|close\s+to|just\s+under|under|less\s+than|fewer\s+than|up\s+to)"
    r"|\b(?P<over>more\s+than|over|above|upwards\s+of|in\s+excess\s+of|at\s+least|exceeding)"
    r"|\b(?P<about>about|around|approximately|roughly|some|circa|an\s+estimated))\s+(?:\$\s?)?$"
)


def _en_words_value(words: str) -> Decimal | None:
    total = Decimal(0)
    current = Decimal(0)
    seen = False
    for w in re.split(r"[\s-]+", words.lower()):
        if w in ("and", ""):
            continue
        if w == "a":
            current = Decimal(1)
            continue
        if w in _EN_SMALL:
            current += _EN_SMALL[w]
            seen = True
        elif w == "hundred":
            current = (current or Decimal(1)) * 100
            seen = True
        elif w in _EN_SCALE:
            total += (current or Decimal(1)) * _EN_SCALE[w]
            current = Decimal(0)
            seen = True
    return total + current if seen else None


def _qualifier_before(text: str, start: int, pattern: re.Pattern[str]) -> str | None:
    m = pattern.search(text, max(0, start - 24), start)
    if not m:
        return None
    for name in ("under", "over", "about"):
        if m.group(name):
            return name
    return None


def _en_mentions(text: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for m in _CODE_RE.finditer(text):
        tail = _TRAILING_NUMBER.search(m.group())
        if tail and not re.fullmatch(r"\d+(?:st|nd|rd|th|s|m|mn|bn|k|tn)", m.group(), re.I):
            out.append(
                NumberMention(_norm(Decimal(tail.group(1))), m.span(), "code", m.group(), explicit=False)
            )
            taken.append(m.span())
    for m in _LIST_MARKER_RE.finditer(text):
        if m.group(1).isdigit():
            span = (m.start(1), m.end(1))
            out.append(NumberMention(Decimal(int(m.group(1))), span, "list", m.group(1), explicit=False))
            taken.append(span)
    for m in _EN_DATE_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        month = _MONTHS_EN[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            out.append(
                NumberMention(Decimal(month * 100 + day), m.span(), "date", m.group(), month=month, day=day)
            )
            taken.append(m.span())
    for pattern in (_EN_MONTH_RE, _EN_MAY_RE):
        for m in pattern.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            month = _MONTHS_EN[m.group().lower()]
            out.append(NumberMention(Decimal(month), m.span(), "month", m.group(), month=month))
            taken.append(m.span())
    for m in _EN_DIGITS_RE.finditer(text):
        span = (m.start("num") if not m.group("cur") else m.start(), m.end())
        if _overlaps(span, taken):
            continue
        raw = m.group("num")
        value = _to_decimal(raw)
        kind = "plain"
        scale = (m.group("scale") or "").strip(" -").lower()
        if scale:
            value *= _EN_SCALE.get(scale) or _EN_SCALE_ABBR[scale]
        if m.group("pct"):
            kind = "percent"
        elif m.group("ord"):
            kind = "ordinal"
        elif not scale and re.fullmatch(r"\d{4}", raw) and 1000 <= value <= 2100 and not m.group("cur"):
            kind = "year"
        qualifier = _qualifier_before(text, span[0], _EN_QUAL_RE)
        if m.group("plus"):
            qualifier = "over"
        out.append(
            NumberMention(
                _norm(value), span, kind, text[span[0] : span[1]], qualifier, explicit=kind != "ordinal"
            )
        )
        taken.append(span)
    for m in _EN_WORDS_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        words = m.group()
        if m.group("pct"):
            words = words[: m.start("pct") - m.start()]
        if m.group("decades"):
            words = words[: m.start("decades") - m.start()]
        value = _en_words_value(words)
        if value is None:
            continue
        if m.group("decades"):
            value *= 10
        kind = "percent" if m.group("pct") else "plain"
        qualifier = _qualifier_before(text, m.start(), _EN_QUAL_RE)
        out.append(NumberMention(_norm(value), m.span(), kind, m.group(), qualifier, explicit=False))
        taken.append(m.span())
    for m in _EN_TWO_THIRDS_RE.finditer(text):
        num = 1 if m.group(1).lower() == "one" else 2
        out.append(
            NumberMention(
                _norm(Decimal(num) * 100 / 3), m.span(), "percent", m.group(), "about", explicit=False
            )
        )
    for m in _EN_SPECIAL_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        word = m.group().lower().rstrip("s")
        word = "century" if word.startswith("centur") else word
        out.append(NumberMention(Decimal(_EN_SPECIAL[word]), m.span(), "plain", m.group(), explicit=False))
    for m in _EN_ORDINAL_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        out.append(
            NumberMention(
                Decimal(_EN_ORDINAL[m.group().lower()]), m.span(), "ordinal", m.group(), explicit=False
            )
        )
    out.sort(key=lambda n: n.span)
    return out


# ---------------------------------------------------------------------------------------------------
# Korean

_KO_NATIVE = {
    "한": 1,
    "하나": 1,
    "두": 2,
    "둘": 2,
    "세": 3,
    "셋": 3,
    "석": 3,
    "네": 4,
    "넷": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
    "스무": 20,
    "스물": 20,
    "서른": 30,
    "마흔": 40,
    "쉰": 50,
}
_KO_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7, "열흘": 10}
_KO_COUNTERS = (
    "개국|개|가지|번|차례|명|곳|나라|해|달|사람|대|배|건|권|편|척|회|년|주|시간|분|차|종|국|단계|부문"
)
_KO_UNITS_AFTER = (
    "명|개국|개|곳|건|년|배|차례|번|회|달러|원|위안|유로|엔|톤|주|일|위|가지|국|기관|여|만|억|조"
)
_KO_NATIVE_RE = re.compile(
    r"(?<![\uac00-\ud7a3])(" + "|".join(sorted(_KO_NATIVE, key=len, reverse=True)) + r")"
    r"\s+(?=(?:" + _KO_COUNTERS + r")(?![\uac00-\ud7a3]{3}))"
)
_KO_DAYS_RE = re.compile(r"(?<![\uac00-\ud7a3])(" + "|".join(_KO_DAYS) + r")")
_KO_SINO_RE = re.compile(
    r"(?<![\uac00-\ud7a3])([일이삼사오육칠팔구십백천만억]*[십백천만억][일이삼사오육칠팔구십백천만억]*)"
    r"(?P<more>여)?\s?(?=(?:" + _KO_UNITS_AFTER + r"))"
)
_KO_NUM_RE = re.compile(
    r"(?<![\w.])(?P<ord>제\s?)?(?P<num>(?:" + _DIGITS + r")(?:[십백천]?[만억조]|[천백])?"
    r"(?:\s?(?:" + _DIGITS + r")(?:[천백]?만|천))?)"
    r"(?P<more>여)?"
    r"(?P<pct>\s?(?:%|퍼센트|프로))?"
    r"(?P<after>\s?(?:년|월|일|차|위|째))?"
)
_KO_DATE_RE = re.compile(r"(?:(?P<y>\d{4})년\s?)?(?P<m>\d{1,2})월(?:\s?(?P<d>\d{1,2})일)?")
_KO_QUAL_BEFORE_RE = re.compile(
    r"(?<![\uac00-\ud7a3])(?:(?P<under>거의|근|가까운)|(?P<over>최소|적어도|무려)|(?P<about>약|대략))\s*$"
)
_KO_QUAL_AFTER_RE = re.compile(
    r"^\s?(?:[\uac00-\ud7a3]{0,3}?\s?)(?:(?P<over>이상|넘는|넘게|넘은|넘어|남짓|초과)|(?P<under>가까이|가까운|미만|이하)"
    r"|(?P<about>정도|가량|쯤|내외|안팎))"
)


def _ko_qualifier(text: str, start: int, end: int) -> str | None:
    m = _KO_QUAL_BEFORE_RE.search(text, max(0, start - 6), start)
    if m:
        for name in ("under", "over", "about"):
            if m.group(name):
                return name
    m = _KO_QUAL_AFTER_RE.match(text[end : end + 10])
    if m:
        for name in ("over", "under", "about"):
            if m.group(name):
                return name
    return None


def _ko_mentions(text: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for m in _CODE_RE.finditer(text):
        tail = _TRAILING_NUMBER.search(m.group())
        if tail:
            out.append(
                NumberMention(_norm(Decimal(tail.group(1))), m.span(), "code", m.group(), explicit=False)
            )
            taken.append(m.span())
    for m in _LIST_MARKER_RE.finditer(text):
        if m.group(1).isdigit():
            span = (m.start(1), m.end(1))
            out.append(NumberMention(Decimal(int(m.group(1))), span, "list", m.group(1), explicit=False))
            taken.append(span)
    for m in _KO_DATE_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            continue
        if m.group("y"):
            out.append(NumberMention(Decimal(int(m.group("y"))), m.span("y"), "year", m.group("y") + "년"))
        s = m.start("m")
        if m.group("d") and 1 <= int(m.group("d")) <= 31:
            day = int(m.group("d"))
            out.append(
                NumberMention(
                    Decimal(month * 100 + day), (s, m.end()), "date", text[s : m.end()], month=month, day=day
                )
            )
        else:
            out.append(NumberMention(Decimal(month), (s, m.end()), "month", text[s : m.end()], month=month))
        taken.append(m.span())
    for m in _KO_NUM_RE.finditer(text):
        span = (m.start("num"), m.end())
        if _overlaps(span, taken):
            continue
        raw = m.group("num")
        value = _parse_cjk(raw.replace(" ", ""))
        if value is None:
            continue
        after = (m.group("after") or "").strip()
        kind = "plain"
        if m.group("pct"):
            kind = "percent"
        elif m.group("ord") or after in ("차", "위", "째"):
            kind = "ordinal"
        elif after == "년" and re.fullmatch(r"\d{4}", raw) and 1000 <= value <= 2100 and not m.group("more"):
            kind = "year"
        elif after == "일" and 1 <= value <= 31 and not m.group("more"):
            kind = "day"
        qualifier = "over" if m.group("more") else _ko_qualifier(text, span[0], span[1])
        out.append(
            NumberMention(
                _norm(value), span, kind, text[span[0] : span[1]], qualifier, explicit=kind != "ordinal"
            )
        )
        taken.append(span)
    for m in _KO_SINO_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        value = _parse_cjk(m.group(1))
        if value is None:
            continue
        qualifier = "over" if m.group("more") else _ko_qualifier(text, m.start(), m.end())
        out.append(NumberMention(_norm(value), m.span(1), "plain", m.group(1), qualifier, explicit=False))
        taken.append(m.span())
    for m in _KO_NATIVE_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        value = Decimal(_KO_NATIVE[m.group(1)])
        qualifier = _ko_qualifier(text, m.start(), m.end())
        out.append(NumberMention(value, m.span(1), "plain", m.group(1), qualifier, explicit=False))
    for m in _KO_DAYS_RE.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        out.append(
            NumberMention(Decimal(_KO_DAYS[m.group(1)]), m.span(), "plain", m.group(1), explicit=False)
        )
    out.sort(key=lambda n: n.span)
    return out


# ---------------------------------------------------------------------------------------------------


def extract_numbers(text: str, lang: str) -> list[NumberMention]:
    """Numbers mentioned in ``text`` (language ``zh``, ``en`` or ``ko``; other codes use English rules)."""
    if not text:
        return []
    text = text.translate(_FULLWIDTH)  # same length: spans stay valid for the caller's text
    lang = lang.lower().split("-")[0].split("_")[0]
    if lang == "zh":
        return _zh_mentions(text)
    if lang == "ko":
        return _ko_mentions(text)
    return _en_mentions(text)


def comparison_keys(mention: NumberMention) -> tuple[tuple, ...]:
    """Keys a mention can be matched under; the first is its own key."""
    if mention.kind == "date":
        return (("date", mention.month, mention.day), ("month", mention.month), ("num", Decimal(mention.day)))
    if mention.kind == "month":
        return (("month", mention.month),)
    if mention.kind == "percent":
        return (("percent", mention.value),)
    return (("num", mention.value),)
