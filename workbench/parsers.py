"""The API's JSON parser: DRF's, with limits. A body is read up to the size limit only, nested at most
``WORKBENCH_JSON_MAX_DEPTH`` deep (Python's decoder would recurse into a RecursionError, a 500), and may
not hold a NUL character in any string (PostgreSQL text cannot store one). Each is a 400 parse_error
that says which limit."""

from __future__ import annotations

import json
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

from workbench.requestguard import RequestDataTooBig

# A JSON string (escapes included): brackets inside strings do not nest anything.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(data: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (0 for a scalar), without parsing it."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _has_nul(value) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise RequestDataTooBig(f"The request body is larger than the limit of {limit:,} bytes.")
        maximum = settings.WORKBENCH_JSON_MAX_DEPTH
        if json_depth(data) > maximum:
            raise ParseError(f"JSON parse error - nested deeper than the limit of {maximum} levels.")
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            parsed = json.loads(
                data.decode(encoding), parse_constant=strict_constant if self.strict else None
            )
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if _has_nul(parsed):
            raise ParseError("JSON parse error - a string contains a NUL character.")
        return parsed
