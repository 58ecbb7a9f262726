"""The target languages this workbench serves (``WORKBENCH_TARGET_LANGUAGES``)."""

from __future__ import annotations

from django.conf import settings

from corpus.errors import InvalidInput


def validate_language(language: str) -> str:
    """``language`` when it is a configured target language, else a clear InvalidInput naming them."""
    if language not in settings.WORKBENCH_TARGET_LANGUAGES:
        known = ", ".join(settings.WORKBENCH_TARGET_LANGUAGES)
        raise InvalidInput(
            f"Unknown target language '{language}' (known: {known}).", detail={"field": "language"}
        )
    return language
