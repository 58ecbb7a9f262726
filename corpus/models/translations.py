"""Translations over spans of segments, and their append-only history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from corpus.models.documents import Document


class Translation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    # From least to most reviewed: the order of filters, progress bars and exports. The transitions
    # between these statuses are in translations.workflow, which re-exports this order.
    REVIEW_ORDER = ("draft", "rejected", "submitted", "approved")

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
    replaces = ArrayField(
        models.BigIntegerField(),
        default=list,
        blank=True,
        help_text="ids of the translations this one replaced (alignment, merge, split): its history reaches theirs",
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
            # The workflow's statuses (translations.workflow holds the transitions between them).
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved", "rejected"]),
                name="translation_status_known",
            ),
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
            # ... and the spans of a page of segments: last_position >= the page's first position.
            models.Index(
                fields=["document", "language", "last_position"],
                condition=Q(retired_at__isnull=True),
                name="translation_live_span_end",
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
