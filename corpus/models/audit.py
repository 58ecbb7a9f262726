"""An append-only audit trail of the writes that are not translations: glossary terms, memory
imports, API tokens, reference translations, source imports. (Translations have their Revisions.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        SOURCE_IMPORT = "source.import", "Source document imported"
        GLOSSARY_SAVE = "glossary.save", "Glossary term saved"
        GLOSSARY_DELETE = "glossary.delete", "Glossary term deleted"
        GLOSSARY_IMPORT = "glossary.import", "Glossary imported"
        GLOSSARY_PROPOSE = "glossary.propose", "Glossary candidates proposed"
        MEMORY_IMPORT = "memory.import", "Memory units imported"
        TOKEN_CREATE = "token.create", "API token created"
        TOKEN_REVOKE = "token.revoke", "API token revoked"
        REFERENCE_LOAD = "reference.load", "Reference translation loaded"

    action = models.CharField(max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(max_length=40, help_text="the kind of object: document, term, token ...")
    target_id = models.BigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["target", "target_id"], name="audit_by_target")]

    def __str__(self) -> str:
        return f"{self.action} {self.target} {self.target_id}"
