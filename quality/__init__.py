"""Quality checks and metrics for translations: a pure library (no database).

- :func:`check_pair` runs the checks on one (source, target) pair and returns :class:`Finding` objects;
  :data:`CHECK_CODES` documents every code.
- :func:`find_inconsistencies` compares approved translations of one language with one another.
- :func:`estimate_length_norm` turns approved pairs into the :class:`LengthNorm` ``check_pair`` uses.
- :func:`corpus_scores` and :func:`edit_effort` compute BLEU/chrF/TER with sacrebleu.
- :func:`quality.numbers.extract_numbers` finds numbers in zh/en/ko text.
"""

from .checks import (
    CHECK_CODES,
    DEFAULT_LENGTH_NORMS,
    Finding,
    GlossaryTerm,
    LengthNorm,
    check_pair,
    estimate_length_norm,
    find_inconsistencies,
)
from .metrics import corpus_scores, edit_effort
from .numbers import NumberMention, extract_numbers

__all__ = [
    "CHECK_CODES",
    "DEFAULT_LENGTH_NORMS",
    "Finding",
    "GlossaryTerm",
    "LengthNorm",
    "NumberMention",
    "check_pair",
    "corpus_scores",
    "edit_effort",
    "estimate_length_norm",
    "extract_numbers",
    "find_inconsistencies",
]
