"""Bilingual exchange formats (TMX 1.4b, XLIFF 1.2, XLIFF 2.0, TSV, JSONL): streaming writers and safe
readers. Pure Python + lxml, no database access: the caller supplies ``ExportUnit`` objects (typically
from a server-side cursor) and receives ``bytes`` chunks; imports go the other way, ``bytes`` to
``ImportedUnit`` objects. See ``writers`` and ``readers`` for the layout of each format.
"""

from .readers import READERS, read_jsonl, read_tmx, read_tsv, read_xliff
from .units import ExportUnit, FormatError, ImportedUnit, primary_language, same_language
from .writers import (
    CONTENT_TYPES,
    EXTENSIONS,
    TSV_COLUMNS,
    WRITERS,
    write_jsonl,
    write_tmx,
    write_tsv,
    write_xliff,
    write_xliff2,
)

FORMATS = tuple(WRITERS)

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "FORMATS",
    "READERS",
    "TSV_COLUMNS",
    "WRITERS",
    "ExportUnit",
    "FormatError",
    "ImportedUnit",
    "primary_language",
    "read_jsonl",
    "read_tmx",
    "read_tsv",
    "read_xliff",
    "same_language",
    "write_jsonl",
    "write_tmx",
    "write_tsv",
    "write_xliff",
    "write_xliff2",
]
