"""The data model: documents, their immutable source segments, translations over spans, history.

Invariants held by the database itself (see migration 0002 for the SQL ones):
- segments: unique (document, position); positions are never updated (a trigger refuses it);
- translations: ``first_position <= last_position``; both ends are real segments of the
  translation's own document (composite foreign keys onto (document, position));
- nothing submitted or approved is empty;
- live spans of one (document, language) never overlap: an exclusion constraint over a ``numrange``
  key. pgserver ships no ``btree_gist``, so the constraint cannot say ``document WITH =``; instead
  the SQL function ``workbench_span_key`` folds document, language and position into one number and
  the constraint is on ranges of that number alone, which core PostgreSQL indexes with GiST.
"""

from corpus.models.access import ApiToken, LanguageAccess, LoginFailure
from corpus.models.audit import AuditEvent
from corpus.models.documents import Document, DocumentProgress, DocumentQuerySet, Segment
from corpus.models.memory import GlossaryTerm, MemoryUnit
from corpus.models.presence import Presence
from corpus.models.references import Reference, ReferenceUnit
from corpus.models.translations import Revision, Translation

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Document",
    "DocumentProgress",
    "DocumentQuerySet",
    "GlossaryTerm",
    "LanguageAccess",
    "LoginFailure",
    "MemoryUnit",
    "Presence",
    "Reference",
    "ReferenceUnit",
    "Revision",
    "Segment",
    "Translation",
]
