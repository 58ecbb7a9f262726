"""Admin for every model. Segments are read-only; translation writes go through the services."""

from django.contrib import admin

from corpus.models import Document, LanguageAccess, Revision, Segment, Translation


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


@admin.register(LanguageAccess)
class LanguageAccessAdmin(admin.ModelAdmin):
    list_display = ["user", "languages"]
