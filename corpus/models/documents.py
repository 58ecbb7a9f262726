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
