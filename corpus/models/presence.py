"""Who has a document open, and which cell they are editing: a soft lock that warns and never blocks.

One row per open browser tab, refreshed by the tab's poll (editor/live.py); a row older than
``PRESENCE_TTL_SECONDS`` is ignored and swept, so a closed or idle tab disappears on its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Presence(models.Model):
    tab = models.CharField(max_length=32, primary_key=True, help_text="random id chosen by the tab")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey("corpus.Document", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=3, blank=True, default="", help_text="the open cell's column")
    position = models.IntegerField(null=True, blank=True, help_text="the open cell's first segment")
    seen_at = models.DateTimeField()

    class Meta:
        # the poll reads the fresh rows of one document
        indexes = [models.Index(fields=["document", "seen_at"], name="presence_document_seen")]

    def __str__(self) -> str:
        return f"{self.user} on {self.document_id} {self.language}{self.position if self.position is not None else ''}"
