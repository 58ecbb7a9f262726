"""Export cursors: a transaction snapshot (``pg_current_snapshot()``), encoded for clients.

The export path (``exchange.exports``) returns one with every export and reads one back as "since";
the "document language fully approved" webhook carries one, so both speak the same cursor.
"""

from __future__ import annotations

import base64

from django.db import connection

CURSOR_PREFIX = "v1."


def encode_cursor(snapshot: str) -> str:
    return CURSOR_PREFIX + base64.urlsafe_b64encode(snapshot.encode()).decode().rstrip("=")


def current_cursor() -> str:
    """The cursor of the current transaction's snapshot: everything committed before it is visible."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        (snapshot,) = cursor.fetchone()
    return encode_cursor(snapshot)
