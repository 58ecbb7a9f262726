"""Translation memory and glossary endpoints: thin views over memory.tm and memory.glossary."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import ERROR_RESPONSES
from api.queryparams import choice_param
from corpus import permissions
from corpus.errors import InvalidInput
from corpus.languages import validate_language
from corpus.models import GlossaryTerm, MemoryUnit, Segment
from corpus.uploads import read_upload
from editor.api.views import IdCursorPagination, visible_documents
from exchange import glossary_io
from exchange import tasks as exchange_tasks
from jobs.api.serializers import JobSerializer
from jobs.api.views import accepted
from memory import glossary
from memory import tm as memory
from translations import pretranslate
from translations import tasks as translation_tasks


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.IntegerField()
    band = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()
    origin = serializers.CharField()
    document = serializers.IntegerField(allow_null=True)
    translation = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    diff = serializers.CharField(help_text="the match's source (del) against the current source (ins), HTML")


class MemoryUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemoryUnit
        fields = [
            "id",
            "language",
            "source_text",
            "target_text",
            "origin",
            "document",
            "translation",
            "created_at",
        ]
        read_only_fields = fields


class LookupSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=8)
    text = serializers.CharField(required=False, max_length=5000)
    document = serializers.IntegerField(required=False, min_value=1)
    position = serializers.IntegerField(required=False, min_value=0)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=20, default=5)

    def validate(self, attrs):
        if not attrs.get("text") and ("document" not in attrs or "position" not in attrs):
            raise serializers.ValidationError("Give either 'text' or a 'document' and 'position'.")
        return attrs


class MemoryLookupView(APIView):
    @extend_schema(
        summary="Memory matches for a segment or free text (exact and fuzzy, best first)",
        request=LookupSerializer,
        responses=ERROR_RESPONSES | {200: MatchSerializer(many=True)},
    )
    def post(self, request):
        serializer = LookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        language = validate_language(data["language"])
        text = data.get("text")
        if not text:
            document = get_object_or_404(visible_documents(request), pk=data["document"])
            text = get_object_or_404(Segment, document=document, position=data["position"]).text
        matches = memory.lookup(text, language, limit=data["limit"])
        return Response(MatchSerializer([m.as_dict() for m in matches], many=True).data)


class ConcordanceView(APIView):
    @extend_schema(
        summary="Concordance: memory units whose source or target contains a word or phrase",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True),
            OpenApiParameter("language", OpenApiTypes.STR, required=True),
        ],
        responses=ERROR_RESPONSES | {200: MemoryUnitSerializer(many=True)},
    )
    def get(self, request):
        language = validate_language(request.query_params.get("language", ""))
        units = memory.concordance(request.query_params.get("q", "")[:200], language)
        return Response(MemoryUnitSerializer(units, many=True).data)


class PretranslateSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=8)
    background = serializers.BooleanField(default=False, help_text="run as a background job (202)")


class PretranslateView(APIView):
    @extend_schema(
        summary="Fill a document's untranslated segments from 100% memory matches (drafts); a document "
        "above WORKBENCH_JOB_SEGMENTS_THRESHOLD segments, or background=true: 202 with a background job",
        request=PretranslateSerializer,
        responses=ERROR_RESPONSES | {200: OpenApiTypes.OBJECT, 202: JobSerializer},
    )
    def post(self, request, document_id: int):
        document = get_object_or_404(visible_documents(request), pk=document_id)
        serializer = PretranslateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        language = serializer.validated_data["language"]
        if translation_tasks.pretranslate_in_background(
            document=document,
            language=language,
            actor=request.user,
            background=serializer.validated_data["background"],
        ):
            return accepted(
                translation_tasks.pretranslate_start(document=document, language=language, actor=request.user)
            )
        result = pretranslate.document_pretranslate(document=document, language=language, actor=request.user)
        return Response(result)


class GlossaryTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = GlossaryTerm
        fields = ["id", "language", "source", "target", "status", "note", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators = []  # uniqueness is the service's (a clear validation_error)


class ProposeSerializer(serializers.Serializer):
    document = serializers.IntegerField(min_value=1)
    language = serializers.CharField(max_length=8)


class GlossaryImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=["tbx", "csv"])
    background = serializers.BooleanField(default=False, help_text="run as a background job (202)")


class MemoryImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="a TMX file, zh to the language")
    language = serializers.CharField(max_length=8)


class MemoryImportView(APIView):
    @extend_schema(
        summary="Add the units of a TMX file to the translation memory, as a background job (reviewers)",
        request={"multipart/form-data": MemoryImportSerializer},
        responses=ERROR_RESPONSES | {202: JobSerializer},
    )
    def post(self, request):
        serializer = MemoryImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = read_upload(serializer.validated_data["file"])
        return accepted(
            exchange_tasks.memory_import_start(
                data=data, language=serializer.validated_data["language"], actor=request.user
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="Glossary terms",
        responses=ERROR_RESPONSES | {200: GlossaryTermSerializer(many=True)},
        parameters=[
            OpenApiParameter("language", OpenApiTypes.STR),
            OpenApiParameter("status", OpenApiTypes.STR, enum=GlossaryTerm.Status.values),
            OpenApiParameter("q", OpenApiTypes.STR, description="text in the source or target"),
        ],
    ),
    retrieve=extend_schema(summary="One term", responses=ERROR_RESPONSES | {200: GlossaryTermSerializer}),
    create=extend_schema(
        summary="Add a term (editors)", responses=ERROR_RESPONSES | {201: GlossaryTermSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a term (editors)", responses=ERROR_RESPONSES | {200: GlossaryTermSerializer}
    ),
    destroy=extend_schema(summary="Remove a term (editors)", responses=ERROR_RESPONSES | {204: None}),
)
class GlossaryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = GlossaryTermSerializer
    pagination_class = IdCursorPagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = GlossaryTerm.objects.all()
        params = self.request.query_params
        language = choice_param(params, "language", settings.WORKBENCH_TARGET_LANGUAGES)
        wanted = choice_param(params, "status", GlossaryTerm.Status.values)
        if language:
            queryset = queryset.filter(language=language)
        if wanted:
            queryset = queryset.filter(status=wanted)
        if params.get("q"):
            from django.db.models import Q

            queryset = queryset.filter(Q(source__icontains=params["q"]) | Q(target__icontains=params["q"]))
        return queryset

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        term = glossary.term_save(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(term).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        term = self.get_object()
        serializer = self.get_serializer(term, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {
            "language": term.language,
            "source": term.source,
            "target": term.target,
            "status": term.status,
            "note": term.note,
        } | serializer.validated_data
        term = glossary.term_save(actor=request.user, term=term, **values)
        return Response(self.get_serializer(term).data)

    def destroy(self, request, *args, **kwargs):
        glossary.term_delete(actor=request.user, term=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Propose candidate terms for a document from jieba keywords (editors)",
        request=ProposeSerializer,
        responses=ERROR_RESPONSES | {201: GlossaryTermSerializer(many=True)},
    )
    @action(detail=False, methods=["post"])
    def propose(self, request):
        serializer = ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = get_object_or_404(visible_documents(request), pk=serializer.validated_data["document"])
        created = glossary.glossary_propose(
            document=document, language=serializer.validated_data["language"], actor=request.user
        )
        return Response(GlossaryTermSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Export the glossary as TBX or CSV",
        parameters=[
            OpenApiParameter("file_format", OpenApiTypes.STR, enum=["tbx", "csv"], required=True),
            OpenApiParameter("language", OpenApiTypes.STR),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERROR_RESPONSES},
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        file_format = request.query_params.get("file_format", "")
        terms = list(self.get_queryset().order_by("language", "source"))
        if file_format == "tbx":
            return HttpResponse(
                glossary_io.export_tbx(terms), content_type="application/x-tbx+xml; charset=utf-8"
            )
        if file_format == "csv":
            return HttpResponse(glossary_io.export_csv(terms), content_type="text/csv; charset=utf-8")
        raise InvalidInput("Give file_format=tbx or file_format=csv.", detail={"field": "file_format"})

    @extend_schema(
        summary="Import TBX or CSV terms, all or nothing (editors); above WORKBENCH_JOB_IMPORT_THRESHOLD "
        "bytes, or background=true: 202 with a background job",
        request={"multipart/form-data": GlossaryImportSerializer},
        responses=ERROR_RESPONSES | {200: OpenApiTypes.OBJECT, 202: JobSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request):
        serializer = GlossaryImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > settings.WORKBENCH_MAX_UPLOAD_BYTES:
            raise InvalidInput("The file is larger than the upload limit.")
        if not permissions.is_editor(request.user):
            permissions.ensure(permissions.deny("Only editors manage the glossary."))
        data, file_format = upload.read(), serializer.validated_data["format"]
        if exchange_tasks.in_background(len(data), asked=serializer.validated_data["background"]):
            return accepted(
                exchange_tasks.glossary_import_start(data=data, format=file_format, actor=request.user)
            )
        return Response(glossary_io.glossary_import(data=data, format=file_format, actor=request.user))
