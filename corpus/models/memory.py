"""Translation memory and glossary."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from corpus.models.documents import Document
from corpus.models.translations import Translation


class MemoryUnit(models.Model):
    """A reusable pair: every approved translation is one (kept in step by the workflow services);
    imported TMX files add units of their own."""

    class Origin(models.TextChoices):
        APPROVED = "approved", "Approved in the workbench"
        TMX = "tmx", "Imported TMX"

    language = models.CharField(max_length=3)
    source_text = models.TextField()
    source_key = models.TextField(help_text="normalised source for exact matches")
    target_text = models.TextField()
    tokens = ArrayField(
        models.TextField(), default=list, help_text="jieba tokens of the source (numbers kept)"
    )
    index_tokens = ArrayField(
        models.TextField(),
        default=list,
        help_text="the tokens worth indexing: no punctuation or function words",
    )
    length = models.PositiveIntegerField(help_text="number of tokens")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    translation = models.OneToOneField(
        Translation, null=True, blank=True, on_delete=models.CASCADE, related_name="memory_unit"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Fuzzy lookup: candidates share an index token (core GIN on text[], no extension needed).
            GinIndex(fields=["index_tokens"], name="memory_index_tokens"),
            # Exact lookup by normalised source.
            models.Index(fields=["language", "source_key"], name="memory_exact"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.source_text[:30]}"


class GlossaryTerm(models.Model):
    """A source term and its translation in one language: preferred or forbidden; candidates wait for
    an editor's review before they count."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        PREFERRED = "preferred", "Preferred"
        FORBIDDEN = "forbidden", "Forbidden"
        DISMISSED = "dismissed", "Dismissed"

    language = models.CharField(max_length=3)
    source = models.CharField(max_length=200)
    target = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "source", "target"]
        constraints = [
            models.UniqueConstraint(fields=["language", "source", "target"], name="glossary_unique_term"),
            models.CheckConstraint(
                condition=Q(status__in=["candidate", "dismissed"]) | ~Q(target=""),
                name="glossary_counted_has_target",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="glossary_source_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.language}:{self.target} ({self.status})"
