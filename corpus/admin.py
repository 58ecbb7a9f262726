"""Admin for every model. Segments are read-only; translation writes go through the services."""

from django.contrib import admin

from corpus.models import (
    ApiToken,
    AuditEvent,
    Document,
    DocumentProgress,
    GlossaryTerm,
    LanguageAccess,
    LoginFailure,
    MemoryUnit,
    Presence,
    Reference,
    ReferenceUnit,
    Revision,
    Segment,
    Translation,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "file_name", "created_at"]
    search_fields = ["title", "file_name"]
    readonly_fields = ["sha256", "created_at", "created_by", "source_language", "file_name"]

    def has_add_permission(self, request):
        return False  # documents come in through import_source, which segments them


@admin.register(DocumentProgress)
class DocumentProgressAdmin(ReadOnlyAdmin):
    """The counters the triggers keep (migration 0010): read only, like everything they count."""

    list_display = ["document", "language", "status", "translations", "segments", "words"]
    list_filter = ["language", "status"]


@admin.register(Segment)
class SegmentAdmin(ReadOnlyAdmin):
    list_display = ["document", "position", "paragraph", "kind", "text", "words", "chars"]
    list_filter = ["kind", "document"]
    search_fields = ["text"]
    list_select_related = ["document"]


@admin.register(Translation)
class TranslationAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "document",
        "language",
        "first_position",
        "last_position",
        "status",
        "version",
        "origin",
    ]
    list_filter = ["language", "status", "origin"]
    search_fields = ["text"]
    list_select_related = ["document"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "translation", "action", "status", "version", "actor", "created_at"]
    list_filter = ["action"]
    list_select_related = ["translation", "actor"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "target", "target_id"]
    list_filter = ["action"]


@admin.register(LanguageAccess)
class LanguageAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "languages"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ["username", "address", "at"]


@admin.register(Presence)
class PresenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "document", "language", "position", "seen_at"]


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyAdmin):
    list_display = ["id", "document", "language", "name", "origin", "created_at"]
    list_select_related = ["document"]


@admin.register(ReferenceUnit)
class ReferenceUnitAdmin(ReadOnlyAdmin):
    list_display = ["reference", "first_position", "last_position", "text"]


@admin.register(MemoryUnit)
class MemoryUnitAdmin(ReadOnlyAdmin):
    list_display = ["id", "language", "source_text", "target_text", "origin", "created_at"]
    list_filter = ["language", "origin"]
    search_fields = ["source_text", "target_text"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ReadOnlyAdmin):
    """Read-only here: terms change through the API and its rules (editors only, checks re-run)."""

    list_display = ["source", "language", "target", "status", "updated_at"]
    list_filter = ["language", "status"]
    search_fields = ["source", "target"]
