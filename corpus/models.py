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

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        """Every signed-in user sees every document; anonymous users see none."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self


class Document(models.Model):
    title = models.CharField(max_length=500)
    source_language = models.CharField(max_length=8, default="zh")
    file_name = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, unique=True, help_text="sha256 of the imported bytes")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Segment(models.Model):
    class Kind(models.TextChoices):
        HEADING = "heading", "Heading"
        BODY = "body", "Body"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField(help_text="0-based, contiguous within the document")
    paragraph = models.PositiveIntegerField(help_text="index of the source paragraph")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    words = models.PositiveIntegerField(help_text="jieba words, punctuation excluded")
    chars = models.PositiveIntegerField(help_text="characters, white space excluded")
    tokens = ArrayField(models.TextField(), default=list, help_text="jieba tokens, punctuation excluded")

    class Meta:
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="segment_unique_position"),
            models.CheckConstraint(condition=~Q(text=""), name="segment_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.position} {self.text[:30]}"


class Translation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class Origin(models.TextChoices):
        TYPED = "typed", "Typed"
        ALIGNED = "aligned", "Aligned"
        IMPORTED = "imported", "Imported"
        SOURCE_DOCUMENT = "source-document", "From the source document"
        MEMORY = "memory", "Translation memory"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=3)
    first_position = models.PositiveIntegerField()
    last_position = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.TYPED)
    score = models.FloatField(null=True, blank=True, help_text="alignment score of the bead, 0..1")
    comment = models.TextField(blank=True, help_text="the reviewer's latest reason (on rejection)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="who wrote the current text (four-eyes review compares the approver with this)",
    )
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="set when a merge, split or alignment replaced this span"
    )
    # The transaction that last wrote this row (pg_current_xact_id(), set by a trigger): incremental
    # exports compare it with the snapshot of the previous export, which follows commit order.
    change_xid = models.BigIntegerField(default=0, editable=False, db_index=True)
    # Quality, computed by the services when the text or status changes and stored with the version,
    # so reading a page never recomputes it.
    findings = models.JSONField(default=list, blank=True, help_text="check findings of this version")
    check_codes = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    first_text = models.TextField(blank=True, help_text="the first non-empty text (post-editing effort)")
    effort = models.JSONField(null=True, blank=True, help_text="TER/chrF from first_text to the current text")
    review_effort = models.JSONField(
        null=True, blank=True, help_text="TER/chrF from the submitted to the approved text, when they differ"
    )

    class Meta:
        ordering = ["document_id", "language", "first_position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_position__lte=models.F("last_position")), name="translation_span_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "rejected"]) | ~Q(text=""),
                name="translation_reviewed_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(language__regex=r"^[a-z]{2,3}$"), name="translation_language_code"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="translation_version_positive"),
        ]
        indexes = [
            # The segments list filters by check code ("has findings of this kind").
            GinIndex(fields=["check_codes"], name="translation_check_codes"),
            # The editor and the API find the live span covering a position of one language.
            models.Index(
                fields=["document", "language", "first_position"],
                condition=Q(retired_at__isnull=True),
                name="translation_live_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.first_position}-{self.last_position} v{self.version}"

    @property
    def is_live(self) -> bool:
        return self.retired_at is None


class Revision(models.Model):
    """Append-only history: one row for every change to a translation, written by the services."""

    class Action(models.TextChoices):
        CREATE = "create", "Create"
        EDIT = "edit", "Edit"
        SUBMIT = "submit", "Submit"
        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"
        REOPEN = "reopen", "Reopen"
        ALIGN = "align", "Align"
        MERGE = "merge", "Merge"
        SPLIT = "split", "Split"
        IMPORT = "import", "Import"
        RETIRE = "retire", "Retire"

    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="revisions")
    action = models.CharField(max_length=10, choices=Action.choices)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Translation.Status.choices)
    version = models.PositiveIntegerField()
    first_position = models.PositiveIntegerField()
    last_position = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["translation", "-id"], name="revision_by_translation")]

    def __str__(self) -> str:
        return f"{self.action} v{self.version} of {self.translation_id}"


class LanguageAccess(models.Model):
    """Limits a user to some target languages; a user without a row may work in every language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_access"
    )
    languages = ArrayField(models.CharField(max_length=3), default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {','.join(self.languages) or 'all'}"


class ApiToken(models.Model):
    """A token for scripts and export jobs. Only its sha256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="first characters of the key, to recognise it")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"


class Reference(models.Model):
    """A reference translation of a document, kept apart from the working translations, for scoring."""

    class Origin(models.TextChoices):
        LINES = "lines", "One line per source segment"
        ALIGNED = "aligned", "Whole text aligned by the aligner"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="references")
    language = models.CharField(max_length=3)
    name = models.CharField(max_length=200)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.language} {self.name}"


class ReferenceUnit(models.Model):
    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="units")
    first_position = models.PositiveIntegerField()
    last_position = models.PositiveIntegerField()
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["reference_id", "first_position"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "first_position"], name="reference_unit_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(first_position__lte=models.F("last_position")), name="reference_unit_span_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_position}-{self.last_position}"
