"""Cursor pagination whose bad cursors are a 400 ``invalid_cursor``, never a 404 or a 500.

DRF decodes a cursor's position as any string and hands it to the database: a position that is not a
number (or does not fit a bigint) failed there with a 500. Every list here orders by an integer key
(id or position), so a cursor's position must be an integer in the bigint range.
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from corpus.errors import WorkbenchError

BIGINT = range(-(2**63), 2**63)


class InvalidCursor(WorkbenchError):
    code = "invalid_cursor"
    status = 400


class IntegerCursorPagination(CursorPagination):
    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            valid = False
        else:
            valid = cursor is None or cursor.position is None or _is_bigint(cursor.position)
        if not valid:
            raise InvalidCursor(
                "The cursor is not one this list gave out; start again without it.",
                detail={"field": self.cursor_query_param},
            )
        return cursor


def _is_bigint(value: str) -> bool:
    try:
        return int(value) in BIGINT
    except (TypeError, ValueError):
        return False
