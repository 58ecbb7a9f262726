"""Documents and their immutable source segments (see corpus/models/__init__.py for the invariants)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
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
    # Totals of the immutable segments, kept by a trigger on segment insert (migration 0010), so no
    # page counts a document's segments.
    segment_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    word_count = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)
    char_count = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)

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


class DocumentProgress(models.Model):
    """Live translations of a document by (language, status): kept by statement triggers on
    ``corpus_translation`` (migration 0010), so progress bars, the document list and the length
    norm read a few rows instead of joining every span with its segments.

    ``norm_*``: the count, sum and sum of squares of ln(target chars / source chars) over the
    approved spans with at least 8 source characters (the length-ratio norm of quality checks).
    The document key has no database constraint: a deleted document's rows are harmless.
    """

    document = models.ForeignKey(
        Document, on_delete=models.DO_NOTHING, db_constraint=False, related_name="progress_rows"
    )
    language = models.CharField(max_length=3)
    status = models.CharField(max_length=10)
    translations = models.IntegerField(default=0)
    segments = models.BigIntegerField(default=0)
    words = models.BigIntegerField(default=0)
    norm_n = models.BigIntegerField(default=0)
    norm_sum = models.FloatField(default=0)
    norm_sumsq = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language", "status"], name="document_progress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.language} {self.status}: {self.translations}"
