"""Quality checks on one translation pair (Chinese source, English or Korean target).

``check_pair(source, target, source_lang=..., target_lang=...)`` runs every check and returns a list of
:class:`Finding`; ``find_inconsistencies(units)`` compares approved translations with one another.
Everything here is pure: no database, no settings, regexes compiled once at import.

Severities: ``error`` (almost surely wrong: a number missing or changed, an unbalanced bracket, Chinese
left in the target), ``warning`` (probably wrong, worth a look), ``info`` (for the reviewer's attention).

Choices worth knowing:
- Curly quotes “” ‘’ are *not* flagged as Chinese punctuation in English targets: they are the same code
  points as English typographic quotes, so flagging them would flag every well-typeset English text.
  Full-width forms that English never uses (，。、；：！？（）《》【】「」 and ＂) are flagged.
- Chinese title marks 《》 are not required in the target (English uses italics or nothing), but an
  unbalanced 《 or 》 in the target is still an error.
- A ’ between letters, or after an ``s`` before a space, is an apostrophe, not a closing quote.
- Findings of ``untranslated`` are not repeated when the whole target equals the source
  (``same_as_source`` says it already).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from .numbers import NumberMention, comparison_keys, extract_numbers

__all__ = [
    "CHECK_CODES",
    "DEFAULT_LENGTH_NORMS",
    "Finding",
    "GlossaryTerm",
    "LengthNorm",
    "check_pair",
    "estimate_length_norm",
    "find_inconsistencies",
]

CHECK_CODES: dict[str, str] = {
    "empty": "The target is empty (or only white space) while the source is not.",
    "same_as_source": "The target is identical to the Chinese source.",
    "numbers": "A number of the source is missing or changed in the target, or the target adds one.",
    "brackets": "Brackets are unbalanced in the target, or a bracket pair of the source has none there.",
    "quotes": "Quotation marks are unbalanced in the target, or quoted text of the source is unquoted.",
    "untranslated": "Chinese characters are left in the target without a reading beside them.",
    "length_ratio": "The target's length relative to the source is far from the language pair's norm.",
    "whitespace": "Double spaces, leading or trailing space, or a space before punctuation.",
    "punctuation": "Chinese full-width punctuation left in an English or Korean target.",
    "glossary": "A glossary term's preferred translation is missing, or a forbidden one is used.",
    "inconsistent": "The same source text has different approved translations.",
}

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a check. ``code`` is a key of :data:`CHECK_CODES`."""

    code: str
    severity: str
    message: str
    detail: dict[str, Any] | None = field(default=None, hash=False)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    source: str
    preferred: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LengthNorm:
    """Mean and standard deviation of ln(len(target) / len(source)), lengths in non-space characters."""

    mean: float
    std: float
    n: int = 0


# Before any approved translation: zh->en English takes about 3 characters (spaces excluded) per
# Chinese character, zh->ko Korean about 1.2 Hangul syllables (measured on the seed document's
# sentences and their translations in the tests); the spread is kept wide on purpose.
DEFAULT_LENGTH_NORMS: dict[tuple[str, str], LengthNorm] = {
    ("zh", "en"): LengthNorm(mean=math.log(3.0), std=0.25),
    ("zh", "ko"): LengthNorm(mean=math.log(1.2), std=0.25),
}
LENGTH_RATIO_MIN_SOURCE_CHARS = 8
LENGTH_RATIO_Z = 3.0
MIN_STD = 0.1

# ---------------------------------------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_HAN_RUN_RE = re.compile(f"[{_HAN}]+(?:[·・ ]?[{_HAN}]+)*")
_SPACE_RE = re.compile(r"\s+")
_DIGIT_RE = re.compile(r"\d")
_NONSPACE_LEN_RE = re.compile(r"\s")

_LATIN_RE = re.compile(r"[A-Za-z]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")

# opening -> closing, all treated as one stack
_BRACKETS = {
    "(": ")",
    "（": "）",
    "[": "]",
    "【": "】",
    "《": "》",
    "「": "」",
    "『": "』",
    "〈": "〉",
    "{": "}",
    "〔": "〕",
}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
_BRACKET_CHARS_RE = re.compile(r"[()（）\[\]【】《》「」『』〈〉{}〔〕]")
_LIST_PAREN_RE = re.compile(r"(?m)(?:^|(?<=\s))(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})\)")
# source bracket families that a target should keep in some form (title marks are exempt)
_PAREN_FAMILIES = {
    "parentheses": ("（(", "）)"),
    "square brackets": ("【[〔", "】]〕"),
}
_QUOTE_SOURCE = ("“”", "「」", "『』", '"')
_TARGET_QUOTES_RE = re.compile(r"[“”‘’\"«»「」『』《》]|(?<![A-Za-z])'|'(?![A-Za-z])")

_FULLWIDTH_PUNCT_EN = "，。、；：！？（）《》【】「」『』＂"
_FULLWIDTH_PUNCT_KO = "，。、；：！？（）【】＂"
_FW_EN_RE = re.compile(f"[{_FULLWIDTH_PUNCT_EN}]")
_FW_KO_RE = re.compile(f"[{_FULLWIDTH_PUNCT_KO}]")

_DOUBLE_SPACE_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"(?<=\w) +([,.;:!?])(?=\s|$)")

_ROMAN_OR_LATIN_READING = _LATIN_RE
_READING_PAREN_AFTER_RE = re.compile(r"\s*[（(]([^()（）]{1,60})[）)]")


def _lang(code: str) -> str:
    return code.lower().replace("_", "-").split("-")[0]


def _fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,f}".rstrip("0").rstrip(".")


def _where(text: str, span: tuple[int, int], width: int = 12) -> str:
    s = max(0, span[0] - width)
    e = min(len(text), span[1] + width)
    return ("…" if s else "") + text[s:e] + ("…" if e < len(text) else "")


# ---------------------------------------------------------------------------------------------------
# numbers

_OPPOSITE = {("under", "over"), ("over", "under")}


def _describe(m: NumberMention) -> str:
    if m.kind == "date":
        return f"date {m.month}/{m.day} ({m.text})"
    if m.kind == "month":
        return f"month {m.month} ({m.text})"
    if m.kind == "percent":
        return f"{_fmt(m.value)}% ({m.text})"
    # as typed ("2009", not "2,009"); a written-out form shows its value too: "3万 (30,000)"
    shown = _fmt(m.value)
    if not m.text:
        return shown
    return m.text if m.text.replace(",", "") == shown.replace(",", "") else f"{m.text} ({shown})"


def _check_numbers(source: str, target: str, sl: str, tl: str) -> list[Finding]:
    src = extract_numbers(source, sl)
    if not src and not _DIGIT_RE.search(target):
        return []
    tgt = extract_numbers(target, tl)
    findings: list[Finding] = []

    tgt_by_key: dict[tuple, list[NumberMention]] = defaultdict(list)
    for t in tgt:
        for k in comparison_keys(t):
            tgt_by_key[k].append(t)
    src_keys: set[tuple] = set()
    for s in src:
        src_keys.update(comparison_keys(s))

    target_lower = target.casefold()
    missing: list[NumberMention] = []
    seen: set[tuple] = set()
    for s in src:
        if s.kind == "code":
            if ("code", s.text.casefold()) in seen:
                continue
            seen.add(("code", s.text.casefold()))
            ok = s.text.casefold() in target_lower or ("num", s.value) in tgt_by_key or str(s.value) in target
            if not ok:
                findings.append(
                    Finding(
                        "numbers",
                        "warning",
                        f"identifier {s.text} of the source is not in the target",
                        {"problem": "code_missing", "source": s.text, "value": str(s.value)},
                    )
                )
            continue
        key = comparison_keys(s)[0]
        if key in seen:
            continue
        seen.add(key)
        matches = tgt_by_key.get(key)
        if not matches:
            if s.explicit:
                missing.append(s)
            continue
        if s.qualifier:
            quals = {t.qualifier for t in matches}
            if quals == {None}:
                findings.append(
                    Finding(
                        "numbers",
                        "info",
                        f"{_describe(s)} is approximate in the source ({s.qualifier} {_fmt(s.value)}) "
                        "but exact in the target",
                        {"problem": "approximation", "value": str(s.value), "qualifier": s.qualifier},
                    )
                )
            elif all((s.qualifier, q) in _OPPOSITE for q in quals):
                q = next(iter(quals))
                findings.append(
                    Finding(
                        "numbers",
                        "warning",
                        f"{_describe(s)} means '{s.qualifier} {_fmt(s.value)}' in the source "
                        f"but '{q} {_fmt(s.value)}' in the target",
                        {
                            "problem": "approximation",
                            "value": str(s.value),
                            "qualifier": s.qualifier,
                            "target_qualifier": q,
                        },
                    )
                )

    extra: list[NumberMention] = []
    seen_t: set[tuple] = set()
    for t in tgt:
        if not t.explicit or t.kind == "code":
            continue
        key = comparison_keys(t)[0]
        if key in src_keys or key in seen_t:
            continue
        seen_t.add(key)
        extra.append(t)

    # a missing value and an extra one of the same family are one changed value
    def family(m: NumberMention) -> str:
        return m.kind if m.kind in ("date", "month", "percent") else "num"

    for s in missing:
        partner = next((t for t in extra if family(t) == family(s)), None)
        if partner is not None:
            extra.remove(partner)
            findings.append(
                Finding(
                    "numbers",
                    "error",
                    f"number {_describe(s)} of the source is {_describe(partner)} in the target "
                    f"(at “{_where(target, partner.span)}”)",
                    {
                        "problem": "changed",
                        "source_value": str(s.value),
                        "target_value": str(partner.value),
                        "source_text": s.text,
                        "target_text": partner.text,
                        "kind": s.kind,
                    },
                )
            )
            continue
        from_digits = any(c.isdigit() for c in s.text)
        findings.append(
            Finding(
                "numbers",
                "error" if from_digits else "warning",
                f"number {_describe(s)} of the source is missing from the target "
                f"(source “{_where(source, s.span, 6)}”)",
                {"problem": "missing", "value": str(s.value), "source_text": s.text, "kind": s.kind},
            )
        )
    for t in extra:
        findings.append(
            Finding(
                "numbers",
                "warning",
                f"number {_describe(t)} in the target is not in the source (at “{_where(target, t.span)}”)",
                {"problem": "extra", "value": str(t.value), "target_text": t.text, "kind": t.kind},
            )
        )
    return findings


# ---------------------------------------------------------------------------------------------------
# brackets and quotes


def _bracket_balance(target: str) -> list[Finding]:
    skip = {m.end() - 1 for m in _LIST_PAREN_RE.finditer(target)}
    stack: list[tuple[str, int]] = []
    problems: list[tuple[str, int]] = []
    for m in _BRACKET_CHARS_RE.finditer(target):
        ch, pos = m.group(), m.start()
        if ch in _BRACKETS:
            stack.append((ch, pos))
        else:
            if pos in skip:
                continue
            if stack and _BRACKETS[stack[-1][0]] == ch:
                stack.pop()
            elif any(_BRACKETS[o] == ch for o, _ in stack):
                # close the matching one; the ones above it were never closed
                while stack and _BRACKETS[stack[-1][0]] != ch:
                    problems.append(stack.pop())
                stack.pop()
            else:
                problems.append((ch, pos))
    problems.extend(stack)
    findings = []
    for ch, pos in sorted(problems, key=lambda p: p[1]):
        what = "opening" if ch in _BRACKETS else "closing"
        partner = _BRACKETS.get(ch) or _CLOSERS[ch]
        findings.append(
            Finding(
                "brackets",
                "error",
                f"unbalanced {what} bracket {ch} in the target (no matching {partner}) at "
                f"“{_where(target, (pos, pos + 1))}”",
                {"problem": "unbalanced", "char": ch, "offset": pos},
            )
        )
    return findings


def _bracket_missing(source: str, target: str) -> list[Finding]:
    findings = []
    for name, (opens, closes) in _PAREN_FAMILIES.items():
        n_src = min(sum(source.count(c) for c in opens), sum(source.count(c) for c in closes))
        if not n_src:
            continue
        n_tgt = sum(target.count(c) for c in opens)
        if n_tgt == 0:
            findings.append(
                Finding(
                    "brackets",
                    "warning",
                    f"the source has {n_src} pair(s) of {name} {opens[0]}{closes[0]}, the target has none",
                    {"problem": "missing", "family": name, "source_pairs": n_src},
                )
            )
    return findings


def _closing_single_quotes(text: str) -> int:
    n = 0
    for m in re.finditer("’", text):
        i = m.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.isalpha() and after.isalpha() and (before.isascii() or after.isascii()):
            continue  # don’t, China’s
        if before in "sS" and (not after or after.isspace()):
            continue  # countries’ (possessive plural)
        n += 1
    return n


def _quote_checks(source: str, target: str, tl: str) -> list[Finding]:
    findings = []
    problems = []
    n_open, n_close = target.count("“"), target.count("”")
    if n_open != n_close:
        problems.append(("“”", n_open, n_close))
    n_open1 = target.count("‘")
    n_close1 = _closing_single_quotes(target)
    if n_open1 > n_close1 or (n_open1 == 0 and n_close1 and tl == "ko"):
        problems.append(("‘’", n_open1, n_close1))
    if target.count('"') % 2:
        problems.append(('"', target.count('"'), None))
    for pair in ("「」", "『』"):
        o, c = target.count(pair[0]), target.count(pair[1])
        if o != c:
            problems.append((pair, o, c))
    for pair, o, c in problems:
        if c is None:
            msg = f'odd number ({o}) of straight double quotes " in the target'
        else:
            msg = f"unbalanced quotes {pair} in the target: {o} opening, {c} closing"
        findings.append(Finding("quotes", "error", msg, {"problem": "unbalanced", "quotes": pair}))

    n_src = sum(
        min(source.count(p[0]), source.count(p[-1])) if len(p) == 2 else source.count(p) // 2
        for p in _QUOTE_SOURCE
    )
    if n_src and not _TARGET_QUOTES_RE.search(target):
        findings.append(
            Finding(
                "quotes",
                "warning",
                f"the source quotes {n_src} passage(s) with “” or 「」, the target has no quotation marks",
                {"problem": "missing", "source_pairs": n_src},
            )
        )
    return findings


# ---------------------------------------------------------------------------------------------------
# untranslated


def _has_reading(text: str, tl: str) -> bool:
    return bool((_HANGUL_RE if tl == "ko" else _LATIN_RE).search(text))


def _check_untranslated(target: str, tl: str) -> list[Finding]:
    if not _HAN_RE.search(target):
        return []
    left: list[tuple[str, int]] = []
    for m in _HAN_RUN_RE.finditer(target):
        run, start, end = m.group(), m.start(), m.end()
        # 习近平 (Xi Jinping) / 習近平(시진핑): a reading right after in brackets
        after = _READING_PAREN_AFTER_RE.match(target, end)
        if after and _has_reading(after.group(1), tl) and not _HAN_RE.search(after.group(1)):
            continue
        # Xi Jinping (习近平) / 시진핑(習近平): the Han run is in brackets after a reading
        open_pos = max(target.rfind("(", 0, start), target.rfind("（", 0, start))
        if open_pos != -1:
            inside_before = target[open_pos + 1 : start]
            close_pos = min(
                (p for p in (target.find(")", end), target.find("）", end)) if p != -1), default=-1
            )
            before = target[max(0, open_pos - 30) : open_pos].rstrip()
            if (
                close_pos != -1
                and not re.search(r"[()（）]", inside_before)
                and before
                and _has_reading(before[-1], tl)
            ):
                continue
        left.append((run, start))
    if not left:
        return []
    chars = "".join(r for r, _ in left)
    shown = "、".join(r for r, _ in left[:5])
    return [
        Finding(
            "untranslated",
            "error",
            f"Chinese text left in the target: {shown}" + (" …" if len(left) > 5 else ""),
            {"runs": [r for r, _ in left], "offsets": [o for _, o in left], "chars": len(chars)},
        )
    ]


# ---------------------------------------------------------------------------------------------------
# whitespace and punctuation


def _check_whitespace(target: str, tl: str) -> list[Finding]:
    findings = []
    if target != target.strip():
        where = "leading" if target[:1].isspace() else "trailing"
        if target[:1].isspace() and target[-1:].isspace():
            where = "leading and trailing"
        findings.append(
            Finding("whitespace", "warning", f"{where} white space in the target", {"problem": "edges"})
        )
    m = _DOUBLE_SPACE_RE.search(target)
    if m:
        findings.append(
            Finding(
                "whitespace",
                "warning",
                f"double space in the target at “{_where(target, m.span())}”",
                {"problem": "double_space", "offset": m.start()},
            )
        )
    if tl == "en":
        m = _SPACE_BEFORE_PUNCT_RE.search(target)
        if m:
            findings.append(
                Finding(
                    "whitespace",
                    "warning",
                    f"space before '{m.group(1)}' in the target at “{_where(target, m.span())}”",
                    {"problem": "space_before_punctuation", "offset": m.start()},
                )
            )
    return findings


def _check_punctuation(target: str, tl: str) -> list[Finding]:
    pattern = _FW_EN_RE if tl == "en" else _FW_KO_RE if tl == "ko" else None
    if pattern is None:
        return []
    found = pattern.findall(target)
    if not found:
        return []
    chars = "".join(dict.fromkeys(found))
    first = pattern.search(target)
    assert first is not None
    return [
        Finding(
            "punctuation",
            "error" if tl == "en" else "warning",
            f"Chinese full-width punctuation {chars} in the {'English' if tl == 'en' else 'Korean'} target "
            f"(first at “{_where(target, first.span())}”)",
            {"chars": chars, "count": len(found), "offset": first.start()},
        )
    ]


# ---------------------------------------------------------------------------------------------------
# length ratio


def _nonspace_len(text: str) -> int:
    return len(text) - len(_NONSPACE_LEN_RE.findall(text))


def estimate_length_norm(pairs: Iterable[tuple[str, str]]) -> LengthNorm:
    """Length norm from (source, target) pairs, e.g. approved translations of one language pair.

    Pairs whose source has fewer than LENGTH_RATIO_MIN_SOURCE_CHARS non-space characters, or whose
    target is empty, are skipped. Raises ValueError with fewer than 2 usable pairs. The standard
    deviation is floored at MIN_STD so that a few very regular pairs do not make the check jumpy.
    """
    logs = []
    for source, target in pairs:
        ls, lt = _nonspace_len(source), _nonspace_len(target)
        if ls >= LENGTH_RATIO_MIN_SOURCE_CHARS and lt:
            logs.append(math.log(lt / ls))
    if len(logs) < 2:
        raise ValueError("need at least 2 pairs with a non-trivial source and a non-empty target")
    mean = math.fsum(logs) / len(logs)
    var = math.fsum((x - mean) ** 2 for x in logs) / (len(logs) - 1)
    return LengthNorm(mean=mean, std=max(math.sqrt(var), MIN_STD), n=len(logs))


def _check_length(source: str, target: str, norm: LengthNorm | None) -> list[Finding]:
    if norm is None:
        return []
    ls, lt = _nonspace_len(source), _nonspace_len(target)
    if ls < LENGTH_RATIO_MIN_SOURCE_CHARS or not lt:
        return []
    ratio = lt / ls
    z = (math.log(ratio) - norm.mean) / max(norm.std, 1e-9)
    if abs(z) < LENGTH_RATIO_Z:
        return []
    expected = math.exp(norm.mean)
    return [
        Finding(
            "length_ratio",
            "warning",
            f"the target is {'long' if z > 0 else 'short'} for its source: {lt} characters for {ls} "
            f"(ratio {ratio:.2f}, usual {expected:.2f}, {abs(z):.1f} standard deviations off)",
            {
                "ratio": round(ratio, 4),
                "expected": round(expected, 4),
                "z": round(z, 2),
                "source_chars": ls,
                "target_chars": lt,
            },
        )
    ]


# ---------------------------------------------------------------------------------------------------
# glossary

GlossaryLike = GlossaryTerm | Mapping[str, Any] | Sequence[Any]


def _as_term(term: GlossaryLike) -> GlossaryTerm:
    if isinstance(term, GlossaryTerm):
        return term
    if isinstance(term, Mapping):
        src, pref, forb = term["source"], term.get("preferred", ()), term.get("forbidden", ())
    else:
        src, pref, forb = [*term, (), ()][:3]
    pref = (pref,) if isinstance(pref, str) else tuple(pref or ())
    forb = (forb,) if isinstance(forb, str) else tuple(forb or ())
    return GlossaryTerm(str(src), pref, forb)


_TERM_RE_CACHE: dict[tuple[str, bool], re.Pattern[str]] = {}


def _term_re(term: str, latin: bool) -> re.Pattern[str]:
    key = (term, latin)
    pat = _TERM_RE_CACHE.get(key)
    if pat is None:
        body = r"\s+".join(re.escape(w) for w in term.split())
        if latin:
            body = (
                (r"(?<!\w)" if term[:1].isalnum() else "") + body + (r"(?!\w)" if term[-1:].isalnum() else "")
            )
            pat = re.compile(body, re.IGNORECASE)
        else:
            pat = re.compile(body)
        if len(_TERM_RE_CACHE) > 20000:
            _TERM_RE_CACHE.clear()
        _TERM_RE_CACHE[key] = pat
    return pat


def _check_glossary(source: str, target: str, tl: str, glossary: Iterable[GlossaryLike]) -> list[Finding]:
    findings = []
    for raw in glossary:
        term = _as_term(raw)
        if not term.source or term.source not in source:
            continue
        covered: list[tuple[int, int]] = []
        for p in term.preferred:
            covered += [m.span() for m in _term_re(p, bool(_LATIN_RE.search(p))).finditer(target)]
        if term.preferred and not covered:
            findings.append(
                Finding(
                    "glossary",
                    "warning",
                    f"glossary: {term.source} should be translated as "
                    + " or ".join(f"“{p}”" for p in term.preferred),
                    {
                        "problem": "preferred_missing",
                        "source_term": term.source,
                        "preferred": list(term.preferred),
                    },
                )
            )
        for f in term.forbidden:
            for m in _term_re(f, bool(_LATIN_RE.search(f))).finditer(target):
                if any(s <= m.start() and m.end() <= e for s, e in covered):
                    continue
                findings.append(
                    Finding(
                        "glossary",
                        "error",
                        f"glossary: “{m.group()}” is a forbidden translation of {term.source}",
                        {
                            "problem": "forbidden_used",
                            "source_term": term.source,
                            "forbidden": f,
                            "offset": m.start(),
                        },
                    )
                )
                break
    return findings


# ---------------------------------------------------------------------------------------------------


def check_pair(
    source: str,
    target: str,
    *,
    source_lang: str,
    target_lang: str,
    glossary: Iterable[GlossaryLike] | None = None,
    norms: LengthNorm | Mapping[tuple[str, str], LengthNorm] | None = None,
) -> list[Finding]:
    """Run every check on one translation; findings are ordered by severity, then by check.

    ``norms`` is a :class:`LengthNorm` for this language pair, or a mapping (source_lang, target_lang) ->
    LengthNorm; missing, the DEFAULT_LENGTH_NORMS entry is used. ``glossary`` items are GlossaryTerm,
    mappings with keys source/preferred/forbidden, or (source, preferred, forbidden) tuples.
    """
    sl, tl = _lang(source_lang), _lang(target_lang)
    source = unicodedata.normalize("NFC", source or "")
    target = unicodedata.normalize("NFC", target or "")
    if not source.strip() and not target.strip():
        return []
    if not target.strip():
        return [Finding("empty", "error", "the target is empty", {"source_chars": len(source.strip())})]

    findings: list[Finding] = []
    same = _SPACE_RE.sub(" ", source.strip()) == _SPACE_RE.sub(" ", target.strip())
    if same and sl != tl and (_HAN_RE.search(source) or _HANGUL_RE.search(source)):
        findings.append(Finding("same_as_source", "error", "the target is identical to the source"))
    elif sl == "zh" and tl != "zh":
        findings += _check_untranslated(target, tl)

    findings += _check_numbers(source, target, sl, tl)
    findings += _bracket_balance(target)
    findings += _bracket_missing(source, target)
    findings += _quote_checks(source, target, tl)
    findings += _check_whitespace(target, tl)
    findings += _check_punctuation(target, tl)

    if isinstance(norms, LengthNorm):
        norm: LengthNorm | None = norms
    elif norms is not None:
        norm = norms.get((sl, tl)) or DEFAULT_LENGTH_NORMS.get((sl, tl))
    else:
        norm = DEFAULT_LENGTH_NORMS.get((sl, tl))
    if not same:
        findings += _check_length(source, target, norm)
    if glossary:
        findings += _check_glossary(source, target, tl, glossary)

    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: order.get(f.severity, 9))
    return findings


K = TypeVar("K", bound=Hashable)


def _norm_text(text: str) -> str:
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text).strip())


def find_inconsistencies(units: Iterable[tuple[K, str, str]]) -> dict[K, list[Finding]]:
    """Keys of units whose (whitespace-normalised) source has more than one distinct translation.

    ``units`` are (key, source, target) of approved translations of one target language. Each key of an
    inconsistent group gets one ``inconsistent`` warning listing the variants and the other keys.
    """
    groups: dict[str, list[tuple[K, str]]] = defaultdict(list)
    for key, source, target in units:
        s = _norm_text(source)
        if s:
            groups[s].append((key, _norm_text(target)))
    out: dict[K, list[Finding]] = {}
    for source, members in groups.items():
        variants: dict[str, list[K]] = {}
        for key, target in members:
            variants.setdefault(target, []).append(key)
        if len(variants) < 2:
            continue
        for key, target in members:
            others = [t for t in variants if t != target]
            out.setdefault(key, []).append(
                Finding(
                    "inconsistent",
                    "warning",
                    f"“{source[:40]}{'…' if len(source) > 40 else ''}” is translated in {len(variants)} "
                    f"different ways; here “{target[:60]}”, elsewhere “{others[0][:60]}”",
                    {
                        "source": source,
                        "variants": [
                            {"target": t, "keys": [str(k) for k in ks]} for t, ks in variants.items()
                        ],
                        "other_keys": [str(k) for t, ks in variants.items() if t != target for k in ks],
                    },
                )
            )
    return out
