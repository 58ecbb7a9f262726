from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from corpus.models import ApiToken, Document, Revision, Segment, Translation
from corpus.selectors import PageSpan


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning", "info"])
    message = serializers.CharField()
    detail = serializers.JSONField(allow_null=True, required=False)


class EffortSerializer(serializers.Serializer):
    ter = serializers.FloatField(allow_null=True)
    chrf = serializers.FloatField(allow_null=True)
    num_edits = serializers.IntegerField()
    changed = serializers.BooleanField()


class TranslationSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    effort = EffortSerializer(read_only=True, allow_null=True)
    review_effort = EffortSerializer(read_only=True, allow_null=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Translation
        fields = [
            "id",
            "document",
            "language",
            "first_position",
            "last_position",
            "text",
            "status",
            "version",
            "origin",
            "score",
            "comment",
            "author",
            "updated_by",
            "updated_at",
            "created_at",
            "findings",
            "effort",
            "review_effort",
        ]
        read_only_fields = fields


class TranslationCreateSerializer(serializers.Serializer):
    document = serializers.IntegerField(min_value=1)
    language = serializers.CharField(max_length=8)
    first_position = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    last_position = serializers.IntegerField(min_value=0, max_value=2_000_000_000, required=False)
    text = serializers.CharField(allow_blank=True, max_length=100_000, trim_whitespace=False)


class TranslationUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=100_000, trim_whitespace=False)
    version = serializers.IntegerField(min_value=1, max_value=2_000_000_000)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2_000_000_000)


class ApproveSerializer(VersionSerializer):
    acknowledge_findings = serializers.BooleanField(
        default=False,
        help_text="required (true) to approve a version with error-level findings; otherwise a 409",
    )


class RejectSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=5000)


class ReopenSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class LanguageTranslationsSerializer(serializers.Serializer):
    """One key per target language: the live translation covering the segment, or null."""

    def get_fields(self):
        return {
            language: TranslationSerializer(allow_null=True, read_only=True)
            for language in settings.WORKBENCH_TARGET_LANGUAGES
        }


class SegmentSerializer(serializers.ModelSerializer):
    translations = LanguageTranslationsSerializer(read_only=True)

    class Meta:
        model = Segment
        fields = ["id", "position", "paragraph", "kind", "text", "words", "chars", "translations"]
        read_only_fields = fields


def iso_datetime(value, zone) -> str:
    """What DRF's ``DateTimeField`` gives (ISO 8601 in the current time zone, UTC as ``Z``), without
    its per-value settings lookups; ``zone`` is ``timezone.get_current_timezone()``, read once."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def translation_data(translation: Translation) -> dict:
    """What ``TranslationSerializer`` gives, built as a plain dict (5-10x faster on a page of rows);
    ``tests/corpus/test_performance.py`` holds the two equal. The serializer stays for the OpenAPI schema."""
    t = translation
    return _translation_dict(
        t,
        author=t.author.username if t.author_id is not None else None,
        updated_by=t.updated_by.username if t.updated_by_id is not None else None,
        zone=timezone.get_current_timezone(),
    )


def span_data(span: PageSpan, zone) -> dict:
    """``translation_data`` of a span read by ``selectors.page_spans`` (no model instance)."""
    return _translation_dict(span, author=span.author_name, updated_by=span.updated_by_name, zone=zone)


def _translation_dict(t, *, author, updated_by, zone) -> dict:
    return {
        "id": t.pk,
        "document": t.document_id,
        "language": t.language,
        "first_position": t.first_position,
        "last_position": t.last_position,
        "text": t.text,
        "status": t.status,
        "version": t.version,
        "origin": t.origin,
        "score": None if t.score is None else float(t.score),
        "comment": t.comment,
        "author": author,
        "updated_by": updated_by,
        "updated_at": iso_datetime(t.updated_at, zone),
        "created_at": iso_datetime(t.created_at, zone),
        "findings": [_finding_data(finding) for finding in t.findings],
        "effort": _effort_data(t.effort),
        "review_effort": _effort_data(t.review_effort),
    }


def _finding_data(finding: dict) -> dict:
    data = {
        "code": str(finding["code"]),
        "severity": finding["severity"],
        "message": str(finding["message"]),
    }
    if "detail" in finding:
        data["detail"] = finding["detail"]
    return data


def _effort_data(effort: dict | None) -> dict | None:
    if effort is None:
        return None
    return {
        "ter": None if effort["ter"] is None else float(effort["ter"]),
        "chrf": None if effort["chrf"] is None else float(effort["chrf"]),
        "num_edits": int(effort["num_edits"]),
        "changed": bool(effort["changed"]),
    }


# The columns of a segment in ``SegmentSerializer``, read with ``values()`` for a page.
SEGMENT_FIELDS = [name for name in SegmentSerializer.Meta.fields if name != "translations"]


def segments_data(rows: list[dict], covering: dict[tuple[int, str], PageSpan]) -> list[dict]:
    """What ``SegmentSerializer(many=True)`` gives for a page of segments read with
    ``values(*SEGMENT_FIELDS)`` and their spans from ``selectors.page_spans``, as plain dicts; a span
    covering several segments is built once."""
    zone = timezone.get_current_timezone()
    languages = settings.WORKBENCH_TARGET_LANGUAGES
    built: dict[int, dict] = {}
    data = []
    for row in rows:
        translations = {}
        for language in languages:
            span = covering.get((row["position"], language))
            if span is None:
                translations[language] = None
            else:
                translations[language] = built.get(span.id) or built.setdefault(
                    span.id, span_data(span, zone)
                )
        data.append({**row, "translations": translations})
    return data


class StatusCountsSerializer(serializers.Serializer):
    translations = serializers.DictField(child=serializers.IntegerField())
    segments = serializers.DictField(child=serializers.IntegerField())
    words = serializers.DictField(child=serializers.IntegerField())
    untranslated_segments = serializers.IntegerField()
    translated_words = serializers.IntegerField()
    approved_words = serializers.IntegerField()


class DocumentSerializer(serializers.ModelSerializer):
    segments = serializers.IntegerField(source="segment_count", read_only=True)
    words = serializers.IntegerField(source="word_count", read_only=True)
    chars = serializers.IntegerField(source="char_count", read_only=True)
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "source_language",
            "file_name",
            "sha256",
            "created_at",
            "segments",
            "words",
            "chars",
            "languages",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=StatusCountsSerializer()))
    def get_languages(self, document) -> dict:
        return {
            language: {
                "translations": progress.counts,
                "segments": progress.segments_by_status,
                "words": progress.words_by_status,
                "untranslated_segments": progress.untranslated,
                "translated_words": progress.translated_words,
                "approved_words": progress.approved_words,
            }
            for language, progress in document.progress.items()
        }


class RevisionSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Revision
        fields = [
            "id",
            "action",
            "text",
            "status",
            "version",
            "first_position",
            "last_position",
            "actor",
            "comment",
            "created_at",
        ]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    is_admin = serializers.BooleanField()


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class TokenCreatedSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="shown once; only its hash is stored")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class MetricsSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    language = serializers.CharField()
    segments = serializers.IntegerField()
    untranslated_segments = serializers.IntegerField()
    translations = serializers.DictField(child=serializers.IntegerField())
    segments_by_status = serializers.DictField(child=serializers.IntegerField())
    words_by_status = serializers.DictField(child=serializers.IntegerField())
    translations_with_findings = serializers.IntegerField()
    checks = serializers.DictField(child=serializers.IntegerField())
    effort = serializers.DictField()
    review_effort = serializers.DictField()


class ReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    language = serializers.CharField()
    name = serializers.CharField()
    origin = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReferenceUploadSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=8)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=["lines", "aligned"], default="lines")
    text = serializers.CharField(required=False, allow_blank=False, trim_whitespace=False)
    file = serializers.FileField(required=False)

    def validate(self, attrs):
        if bool(attrs.get("text")) == bool(attrs.get("file")):
            raise serializers.ValidationError("Give the reference as either 'text' or 'file'.")
        return attrs


class ScoreSerializer(serializers.Serializer):
    score = serializers.FloatField()
    signature = serializers.CharField()


class ReferenceScoresSerializer(serializers.Serializer):
    reference = ReferenceSerializer()
    segments = serializers.IntegerField()
    target_lang = serializers.CharField()
    bleu = serializers.DictField(allow_null=True)
    chrf = serializers.DictField(allow_null=True)
    ter = serializers.DictField(allow_null=True)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=["tmx", "xliff", "tsv", "jsonl"])
    language = serializers.CharField(max_length=8)
    dry_run = serializers.BooleanField(default=False)


class ImportReportSerializer(serializers.Serializer):
    units = serializers.IntegerField()
    matched = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    unmatched = serializers.ListField(child=serializers.DictField())
    conflicts = serializers.ListField(child=serializers.DictField())


class ReassessSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=8)


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
