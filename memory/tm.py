"""Translation memory: reuse approved work, matched on jieba tokens.

Every approved translation is a memory unit (``memory_sync`` keeps units in step with approvals);
TMX files add units of their own. Lookup:

- exact: the same normalised source (white space and punctuation width folded) scores 100;
- fuzzy: candidates share at least one *index token* with the query (a GIN index on a ``text[]``
  column: core PostgreSQL, no extension), are of comparable length, and come ranked by how many
  index tokens they share; the best ones are scored in Python by a token-level Levenshtein distance
  (rapidfuzz) over jieba tokens, numbers and Latin tokens kept, as a percentage. A number that differs
  costs an extra point so that such a match never shows as 100.

Bands follow the usual CAT-tool practice: 100, 95+, 85+, 75+, below that "low".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from rapidfuzz.distance import Levenshtein

from corpus.errors import InvalidInput
from corpus.models import MemoryUnit, Translation
from corpus.segmentation import is_word, words
from corpus.selectors import span_source

MIN_SCORE = 20
# The editor offers a fuzzy match from this score up: below it, fixing the match is more work than typing.
USEFUL_SCORE = 50
CANDIDATES = 150
NUMBER = re.compile(r"^\d[\d.,]*$")
# Function words and frequent particles carry little evidence; they stay in the tokens (and so in the
# edit distance) but not in the index, which keeps candidate sets small.
STOP_TOKENS = frozenset(
    "的 了 是 在 和 与 及 也 等 对 将 以 为 而 但 并 都 就 又 或 被 把 从 于 之 其 这 那 有 中 上 下 "
    "不 一 个 我们 他们 我 你 他 她 它 要 会 能 可 可能 已 已经 更 还 很 最 让 使 由 向 到 给 着 过 所 "
    "之间 方面 问题 一些 一个 这个 这些 那些 各国".split()
)


def normalise_source(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if not char.isspace())


def source_tokens(text: str) -> list[str]:
    return [token.lower() for token in words(unicodedata.normalize("NFKC", text)) if is_word(token)]


def index_tokens(tokens: list[str]) -> list[str]:
    return sorted({token for token in tokens if token not in STOP_TOKENS})


@dataclass
class Match:
    unit: MemoryUnit
    score: int
    band: str
    diff: str  # the match's source against the current source, as escaped HTML

    def as_dict(self) -> dict:
        return {
            "id": self.unit.pk,
            "score": self.score,
            "band": self.band,
            "source": self.unit.source_text,
            "target": self.unit.target_text,
            "origin": self.unit.origin,
            "document": self.unit.document_id,
            "translation": self.unit.translation_id,
            "created_at": self.unit.created_at,
            "diff": self.diff,
        }


def band(score: int) -> str:
    if score >= 100:
        return "100"
    if score >= 95:
        return "95+"
    if score >= 85:
        return "85+"
    if score >= 75:
        return "75+"
    return "low"


def token_score(query: list[str], candidate: list[str]) -> int:
    if not query and not candidate:
        return 100
    similarity = Levenshtein.normalized_similarity(query, candidate)
    score = int(similarity * 100 + 1e-9)
    numbers_query = sorted(token for token in query if NUMBER.match(token))
    numbers_candidate = sorted(token for token in candidate if NUMBER.match(token))
    if numbers_query != numbers_candidate:
        score -= 1 + len(set(numbers_query) ^ set(numbers_candidate))
    return max(0, min(score, 100 if query == candidate else 99))


def unit_fields(source: str, target: str) -> dict:
    tokens = source_tokens(source)
    return {
        "source_text": source,
        "source_key": normalise_source(source),
        "target_text": target,
        "tokens": tokens,
        "index_tokens": index_tokens(tokens),
        "length": len(tokens),
    }


def memory_sync(translation: Translation, *, source: str | None = None) -> None:
    """Keep the memory in step with the workflow: approved adds or replaces, anything else removes."""
    if translation.status != Translation.Status.APPROVED or translation.retired_at is not None:
        MemoryUnit.objects.filter(translation=translation).delete()
        return
    if source is None:
        source = span_source(translation.document_id, translation.first_position, translation.last_position)
    MemoryUnit.objects.update_or_create(
        translation=translation,
        defaults={
            "language": translation.language,
            "origin": MemoryUnit.Origin.APPROVED,
            "document_id": translation.document_id,
            "created_by": translation.updated_by,
            **unit_fields(source, translation.text),
        },
    )


# Token frequencies from PostgreSQL's own statistics of the index_tokens column (pg_stats'
# most_common_elems, kept by ANALYZE/autovacuum): a token in many units is a poor filter.
FILTER_BUDGET = 0.03  # the filter tokens together may match about this share of the memory
FILTER_MIN_TOKENS = 2  # but the filter keeps at least this many of the rarest tokens
STATS_SECONDS = 300
_stats_cache: tuple[float, dict[str, float], float] | None = None


def _token_frequencies() -> tuple[dict[str, float], float]:
    """(frequency of the most common index tokens, a frequency bound for all the others)."""
    global _stats_cache
    import time

    from django.db import connection

    if _stats_cache is not None and time.monotonic() - _stats_cache[0] < STATS_SECONDS:
        return _stats_cache[1], _stats_cache[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'corpus_memoryunit' AND attname = 'index_tokens' AND schemaname = current_schema()"
        )
        row = cursor.fetchone()
    frequencies, rest = {}, 1.0
    if row and row[0] and row[1]:
        frequencies = dict(zip(row[0], row[1][: len(row[0])], strict=True))
        rest = min(frequencies.values())  # tokens not listed are rarer than the rarest listed
    _stats_cache = (time.monotonic(), frequencies, rest)
    return frequencies, rest


def filter_tokens(wanted: list[str]) -> list[str]:
    """The query's rarest index tokens, as many as fit the budget (at least FILTER_MIN_TOKENS)."""
    frequencies, rest = _token_frequencies()
    if not frequencies:
        return wanted  # no statistics (a small or new memory): every token filters
    ordered = sorted(wanted, key=lambda token: (frequencies.get(token, rest), token))
    chosen, total = [], 0.0
    for token in ordered:
        frequency = frequencies.get(token, rest)
        if len(chosen) >= FILTER_MIN_TOKENS and total + frequency > FILTER_BUDGET:
            break
        chosen.append(token)
        total += frequency
    return chosen


def lookup(source: str, language: str, *, limit: int = 5, min_score: int = MIN_SCORE) -> list[Match]:
    """The best memory matches for ``source`` in ``language``, best first."""
    from corpus.diffs import diff_html

    tokens = source_tokens(source)
    key = normalise_source(source)
    exact = list(MemoryUnit.objects.filter(language=language, source_key=key).order_by("-id")[:limit])
    matches = [Match(unit, 100, "100", "") for unit in exact]
    seen = {unit.pk for unit in exact}
    wanted = index_tokens(tokens)
    if wanted and len(matches) < limit:
        low, high = max(1, len(tokens) // 3), len(tokens) * 3 + 3
        # Candidates must share one of the query's rarer tokens (the filter, GIN-indexed); they are
        # ranked by the share of index tokens in common (then by length). Ranking reads only ids, then
        # the best rows load.
        ranked = MemoryUnit.objects.raw(
            """
            SELECT c.id, c.language, c.source_text, c.target_text, c.tokens, c.origin, c.document_id,
                   c.translation_id, c.created_at
            FROM corpus_memoryunit c JOIN (
                SELECT m.id, (SELECT count(*) FROM unnest(m.index_tokens) t WHERE t = ANY(%s::text[]))::float
                    / greatest(cardinality(m.index_tokens), %s) - abs(m.length - %s) * 0.001 AS shared
                FROM corpus_memoryunit m
                WHERE m.language = %s AND m.index_tokens && %s::text[] AND m.length BETWEEN %s AND %s
                ORDER BY shared DESC, m.id DESC LIMIT %s
            ) r ON r.id = c.id ORDER BY r.shared DESC, c.id DESC
            """,
            [wanted, len(wanted), len(tokens), language, filter_tokens(wanted), low, high, CANDIDATES],
        )
        candidates = list(ranked)
        for unit in candidates:
            if unit.pk in seen:
                continue
            # Not an exact match (that was looked up above): never 100, even when only punctuation differs.
            score = min(token_score(tokens, unit.tokens), 99)
            if score >= min_score:
                matches.append(Match(unit, score, band(score), ""))
    matches.sort(key=lambda match: (-match.score, -match.unit.pk))
    best = matches[:limit]
    for match in best:  # diffs only for what is shown: the texts as written, punctuation and spaces kept
        match.diff = diff_html(match.unit.source_text, source, "zh")
    return best


def concordance(query: str, language: str, *, limit: int = 50) -> list[MemoryUnit]:
    query = (query or "").strip()
    if len(query) < 1:
        raise InvalidInput("Search for at least one character.", detail={"field": "q"})
    return list(
        MemoryUnit.objects.filter(language=language)
        .filter(Q(source_text__icontains=query) | Q(target_text__icontains=query))
        .order_by("-id")[:limit]
    )
