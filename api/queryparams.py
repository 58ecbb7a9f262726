"""Query-string filters read strictly: a value a filter cannot take is a 400 that names the parameter,
never silently ignored (``?document=1 OR 1=1`` used to list every document's translations)."""

from __future__ import annotations

from collections.abc import Iterable

from corpus.errors import InvalidInput

BIGINT_MAX = 2**63 - 1


def id_param(params, name: str) -> int | None:
    """A positive id, or None when the parameter is absent or empty."""
    raw = params.get(name, "")
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= BIGINT_MAX:
        raise InvalidInput(
            f"'{name}' must be an id (a positive whole number), got {raw[:40]!r}.", detail={"field": name}
        )
    return int(raw)


def choice_param(params, name: str, choices: Iterable[str]) -> str | None:
    """One of ``choices``, or None when the parameter is absent or empty."""
    raw = params.get(name, "")
    if raw == "":
        return None
    choices = list(choices)
    if raw not in choices:
        raise InvalidInput(
            f"Unknown {name} {raw[:40]!r} (known: {', '.join(choices)}).", detail={"field": name}
        )
    return raw
