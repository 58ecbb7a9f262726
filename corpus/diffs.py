"""Word-level diffs between consecutive texts (character-level for Chinese and Korean)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
CHARACTER_LANGUAGES = {"zh", "ko", "ja"}


def tokens(text: str, language: str) -> list[str]:
    if language in CHARACTER_LANGUAGES:
        return list(text)
    return WORDS.findall(text)


def diff_html(before: str, after: str, language: str) -> SafeString:
    """``after`` with insertions in <ins> and deletions from ``before`` in <del>; all text escaped."""
    return token_diff_html(tokens(before, language), tokens(after, language))


def token_diff_html(before: list[str], after: list[str]) -> SafeString:
    """Diff of two token lists: what ``before`` has (<del>) and ``after`` has (<ins>), all text escaped."""
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(after[j1:j2])))
            continue
        if op in {"delete", "replace"}:
            parts.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if op in {"insert", "replace"}:
            parts.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return mark_safe("".join(parts))
