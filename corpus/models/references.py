"""Reference translations kept apart from the working translations, for scoring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from corpus.models.documents import Document


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
