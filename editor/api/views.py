"""REST API under /api/v1/: thin views over corpus.selectors (reads) and translations.services (writes)."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from alignment import references
from api import serializers as s
from api.authentication import TokenAuthentication
from api.exceptions import ERROR_RESPONSES
from api.pagination import IntegerCursorPagination
from api.queryparams import choice_param, id_param
from corpus import permissions, selectors, tokens
from corpus.errors import ForbiddenAction, NotFound
from corpus.languages import validate_language
from corpus.models import ApiToken, Document, Segment, Translation
from corpus.uploads import read_upload
from exchange import tasks as exchange_tasks
from exchange.sources import document_upload
from jobs.api.serializers import JobSerializer
from jobs.api.views import accepted
from translations import services
from translations import tasks as translation_tasks

MAX_PAGE_SIZE = 500


class PositionCursorPagination(IntegerCursorPagination):
    ordering = "position"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class IdCursorPagination(IntegerCursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class NewestFirstPagination(IntegerCursorPagination):
    ordering = "-id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


def visible_documents(request):
    return Document.objects.visible_to(request.user)


@extend_schema_view(
    list=extend_schema(summary="Documents with per-language progress", responses={200: s.DocumentSerializer}),
    retrieve=extend_schema(
        summary="One document with per-language progress",
        responses=ERROR_RESPONSES | {200: s.DocumentSerializer},
    ),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.DocumentSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return selectors.documents_with_stats(self.request.user)

    @extend_schema(
        summary="Import a Chinese source document (UTF-8 text file; editors). The same bytes again: 200 with the existing document; "
        "a file above WORKBENCH_JOB_IMPORT_THRESHOLD bytes: 202 with a background job",
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses=ERROR_RESPONSES
        | {200: s.DocumentSerializer, 201: s.DocumentSerializer, 202: JobSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if exchange_tasks.in_background(upload.size or 0):
            return accepted(
                exchange_tasks.source_import_start(
                    data=read_upload(upload),
                    file_name=upload.name or "upload.txt",
                    title=serializer.validated_data.get("title", ""),
                    actor=request.user,
                )
            )
        result = document_upload(
            upload=upload, title=serializer.validated_data.get("title", ""), actor=request.user
        )
        document = self.get_queryset().get(pk=result.document.pk)
        selectors.language_progress([document])
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(s.DocumentSerializer(document).data, status=code)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        selectors.language_progress(page)
        return page

    def get_object(self):
        document = super().get_object()
        selectors.language_progress([document])
        return document

    @extend_schema(
        summary="Re-assess a document language (findings recomputed, editors): 202 with a background job",
        request=s.ReassessSerializer,
        responses=ERROR_RESPONSES | {202: JobSerializer},
    )
    @action(detail=True, methods=["post"])
    def reassess(self, request, pk=None):
        document = get_object_or_404(visible_documents(request), pk=pk)
        serializer = s.ReassessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return accepted(
            translation_tasks.reassess_start(
                document=document, language=serializer.validated_data["language"], actor=request.user
            )
        )

    @extend_schema(
        summary="Quality metrics of one language: counts and words by status, checks by code, average effort",
        parameters=[OpenApiParameter("language", OpenApiTypes.STR, required=True)],
        responses=ERROR_RESPONSES | {200: s.MetricsSerializer},
    )
    @action(detail=True, methods=["get"])
    def metrics(self, request, pk=None):
        document = get_object_or_404(visible_documents(request), pk=pk)
        language = validate_language(request.query_params.get("language", ""))
        return Response(selectors.document_metrics(document, language))

    @extend_schema(
        summary="Load a reference translation (one line per segment, or a whole text to align)",
        request={
            "application/json": s.ReferenceUploadSerializer,
            "multipart/form-data": s.ReferenceUploadSerializer,
        },
        responses=ERROR_RESPONSES | {201: s.ReferenceScoresSerializer},
    )
    @action(detail=True, methods=["post"], url_path="references")
    def references(self, request, pk=None):
        document = get_object_or_404(visible_documents(request), pk=pk)
        serializer = s.ReferenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        raw = (
            data["file"].read(settings.WORKBENCH_MAX_UPLOAD_BYTES + 1)
            if data.get("file")
            else data["text"].encode()
        )
        reference = references.reference_load(
            document=document,
            language=data["language"],
            data=raw,
            name=data.get("name") or (data["file"].name if data.get("file") else "reference"),
            actor=request.user,
            aligned=data["mode"] == "aligned",
        )
        return Response(reference_scores_body(reference), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Scores of the live translations against the latest reference of a language",
        parameters=[OpenApiParameter("language", OpenApiTypes.STR, required=True)],
        responses=ERROR_RESPONSES | {200: s.ReferenceScoresSerializer},
    )
    @action(detail=True, methods=["get"], url_path="scores")
    def scores(self, request, pk=None):
        document = get_object_or_404(visible_documents(request), pk=pk)
        language = validate_language(request.query_params.get("language", ""))
        reference = document.references.filter(language=language).first()
        if reference is None:
            raise NotFound(f"No {language} reference is loaded for this document.")
        return Response(reference_scores_body(reference))


def reference_scores_body(reference) -> dict:
    scores = references.reference_scores(reference)
    return {
        "reference": {
            "id": reference.pk,
            "language": reference.language,
            "name": reference.name,
            "origin": reference.origin,
            "created_at": reference.created_at,
        },
        **scores,
    }


STATUS_CHOICES = selectors.STATUS_FILTER_CHOICES
SEGMENT_FILTERS = [
    *(
        OpenApiParameter(
            f"status_{language}",
            OpenApiTypes.STR,
            description=f"comma-separated {language} statuses: {', '.join(STATUS_CHOICES)}",
        )
        for language in settings.WORKBENCH_TARGET_LANGUAGES
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=[choice.value for choice in Segment.Kind]),
    OpenApiParameter("q", OpenApiTypes.STR, description="text in the Chinese source"),
    OpenApiParameter("q_target", OpenApiTypes.STR, description="text in a target translation"),
    OpenApiParameter(
        "target_language", OpenApiTypes.STR, description="limit q_target and check to one language"
    ),
    OpenApiParameter(
        "check",
        OpenApiTypes.STR,
        description="segments whose translation has a finding of this code, or 'any'",
    ),
]


@extend_schema(
    summary="A document's segments with their translations inline",
    parameters=SEGMENT_FILTERS,
    responses=ERROR_RESPONSES | {200: s.SegmentSerializer(many=True)},
)
class SegmentList(generics.ListAPIView):
    serializer_class = s.SegmentSerializer
    pagination_class = PositionCursorPagination

    def get_queryset(self):
        # The document's visibility is part of the query, not a query of its own: a page with rows is
        # of a visible document, and only an empty page asks whether the document is there (list).
        segments = Segment.objects.filter(
            document_id=self.kwargs["document_id"], document__in=visible_documents(self.request)
        )
        return selectors.filter_segments(
            segments, **selectors.parse_segment_filters(self.request.query_params)
        ).values(*s.SEGMENT_FIELDS)

    def list(self, request, *args, **kwargs):
        # Rows as values() and spans as plain SQL rows, answered as plain dicts: the schema still comes
        # from serializer_class, and a test holds the answer equal to what the serializer gives.
        document_id = self.kwargs["document_id"]
        page = self.paginate_queryset(self.get_queryset())
        if not page:
            get_object_or_404(visible_documents(request), pk=document_id)
        covering = selectors.page_spans(
            document_id, [row["position"] for row in page], list(settings.WORKBENCH_TARGET_LANGUAGES)
        )
        return self.get_paginated_response(s.segments_data(page, covering))


@extend_schema_view(
    list=extend_schema(
        summary="Live translations, filterable (an unknown filter value is a 400 naming it)",
        responses=ERROR_RESPONSES | {200: s.TranslationSerializer(many=True)},
        parameters=[
            OpenApiParameter("document", OpenApiTypes.INT),
            OpenApiParameter("language", OpenApiTypes.STR),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=[choice.value for choice in Translation.Status]
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="One translation", responses=ERROR_RESPONSES | {200: s.TranslationSerializer}
    ),
    create=extend_schema(
        summary="Create a draft for an untranslated span",
        request=s.TranslationCreateSerializer,
        responses=ERROR_RESPONSES | {201: s.TranslationSerializer},
    ),
    partial_update=extend_schema(
        summary="Change the text, based on a version (409 stale_version when it is not current)",
        request=s.TranslationUpdateSerializer,
        responses=ERROR_RESPONSES | {200: s.TranslationSerializer},
    ),
)
class TranslationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.TranslationSerializer
    pagination_class = IdCursorPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = Translation.objects.filter(
            retired_at__isnull=True, document__in=visible_documents(self.request)
        ).select_related("updated_by", "author")
        if self.action == "list":
            params = self.request.query_params
            selectors.reject_nul(params)
            document = id_param(params, "document")
            language = choice_param(params, "language", settings.WORKBENCH_TARGET_LANGUAGES)
            wanted = choice_param(params, "status", Translation.Status.values)
            if document is not None:
                queryset = queryset.filter(document_id=document)
            if language:
                queryset = queryset.filter(language=language)
            if wanted:
                queryset = queryset.filter(status=wanted)
        return queryset

    def create(self, request, *args, **kwargs):
        data = self.validated(s.TranslationCreateSerializer)
        document = get_object_or_404(visible_documents(request), pk=data["document"])
        translation = services.translation_create(
            document=document,
            language=data["language"],
            first_position=data["first_position"],
            last_position=data.get("last_position"),
            text=data["text"],
            actor=request.user,
        )
        return Response(s.TranslationSerializer(translation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(s.TranslationUpdateSerializer)
        # The kernel reads the row once, under its lock and within the visible documents;
        # get_object() here would read it a first time.
        translation = services.translation_save(
            translation=self.translation_id(),
            text=data["text"],
            version=data["version"],
            actor=request.user,
            documents=visible_documents(request),
        )
        return Response(s.translation_data(translation))

    def translation_id(self) -> int:
        try:
            return int(self.kwargs["pk"])
        except ValueError:
            raise NotFound("No such translation.") from None

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def review(self, service, serializer_class=s.VersionSerializer, **extra):
        data = self.validated(serializer_class)
        translation = service(
            translation=self.translation_id(),
            actor=self.request.user,
            documents=visible_documents(self.request),
            **data,
            **extra,
        )
        return Response(s.translation_data(translation))

    @extend_schema(
        summary="Submit for review (draft or rejected -> submitted)",
        request=s.VersionSerializer,
        responses=ERROR_RESPONSES | {200: s.TranslationSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.review(services.translation_submit)

    @extend_schema(
        summary="Approve (editors; not the author of the current version unless allowed)",
        description=(
            "A version with error-level findings is approved only with `acknowledge_findings: true`; "
            "without it the answer is 409 `unacknowledged_findings` listing them."
        ),
        request=s.ApproveSerializer,
        responses=ERROR_RESPONSES | {200: s.TranslationSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.review(services.translation_approve, s.ApproveSerializer)

    @extend_schema(
        summary="Reject with a reason (editors)",
        request=s.RejectSerializer,
        responses=ERROR_RESPONSES | {200: s.TranslationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self.review(services.translation_reject, s.RejectSerializer)

    @extend_schema(
        summary="Reopen an approved translation (editors)",
        request=s.ReopenSerializer,
        responses=ERROR_RESPONSES | {200: s.TranslationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self.review(services.translation_reopen, s.ReopenSerializer)

    @extend_schema(
        summary="The translation's revisions, newest first, with those of the translations it replaced",
        responses=ERROR_RESPONSES | {200: s.RevisionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=NewestFirstPagination)
    def revisions(self, request, pk=None):
        translation = get_object_or_404(
            Translation.objects.filter(document__in=visible_documents(request)), pk=pk
        )
        revisions = selectors.history(translation).select_related("actor")
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(s.RevisionSerializer(page, many=True).data)


class MeView(APIView):
    @extend_schema(summary="The current user, roles and languages", responses={200: s.MeSerializer})
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.get_username(),
                "roles": sorted(permissions.roles(user)),
                "languages": sorted(permissions.languages(user)),
                "is_admin": user.is_superuser,
            }
        )


@extend_schema_view(
    list=extend_schema(summary="Your API tokens"),
    create=extend_schema(
        summary="Create a token; the key is in this response only (signed-in sessions only, not with a token)",
        request=s.TokenCreateSerializer,
        responses=ERROR_RESPONSES | {201: s.TokenCreatedSerializer},
    ),
    destroy=extend_schema(summary="Revoke one of your tokens", responses=ERROR_RESPONSES | {204: None}),
)
class TokenViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.TokenSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    def create(self, request, *args, **kwargs):
        # A token is made by a person: a token may not mint tokens that would outlive its revocation.
        if isinstance(request.successful_authenticator, TokenAuthentication):
            raise ForbiddenAction(
                "Tokens are created by a signed-in person (the browser session or `manage.py api_token "
                "create`), not with another token."
            )
        serializer = s.TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = tokens.token_create(user=request.user, name=serializer.validated_data["name"])
        token.key = key
        return Response(s.TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        tokens.token_revoke(user=request.user, token_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportView(APIView):
    """Streams the export; the next cursor is in the ``X-Next-Cursor`` header and inside the file."""

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the export file format here, not a renderer: never a 404 for it.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Stream aligned bilingual units (TMX, XLIFF, TSV, JSONL) from one snapshot",
        parameters=[
            OpenApiParameter("pair", OpenApiTypes.STR, required=True, enum=["zh-en", "zh-ko", "en-ko"]),
            OpenApiParameter(
                "format", OpenApiTypes.STR, required=True, enum=["tmx", "xliff", "xliff2", "tsv", "jsonl"]
            ),
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="approved (default), any, or a comma list"
            ),
            OpenApiParameter("document", OpenApiTypes.INT, many=True, description="document ids (repeat)"),
            OpenApiParameter("since", OpenApiTypes.STR, description="cursor of a previous export"),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERROR_RESPONSES},
    )
    def get(self, request):
        from django.http import StreamingHttpResponse

        from exchange import exports
        from exchange.formats import CONTENT_TYPES

        params = request.query_params
        export = exports.export_request(
            pair=params.get("pair", ""),
            format=params.get("format", ""),
            status=params.get("status", "approved"),
            documents=params.getlist("document"),
            since=params.get("since") or None,
        )
        stream = exports.stream_export(export)
        cursor = next(stream)
        response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES[export.format])
        response["X-Next-Cursor"] = cursor
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(export)}"'
        response["Cache-Control"] = "no-store"
        return response


class ImportView(APIView):
    @extend_schema(
        summary="Import a TMX, XLIFF, TSV or JSONL file into a document's translations (all or nothing)",
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses=ERROR_RESPONSES | {200: s.ImportReportSerializer},
    )
    def post(self, request, document_id: int):
        from exchange.imports import translations_import

        document = get_object_or_404(visible_documents(request), pk=document_id)
        serializer = s.ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        if upload.size > settings.WORKBENCH_MAX_UPLOAD_BYTES:
            from corpus.errors import InvalidInput

            raise InvalidInput(
                f"The file is larger than the upload limit of {settings.WORKBENCH_MAX_UPLOAD_BYTES:,} bytes."
            )
        report = translations_import(
            document=document,
            data=upload.read(),
            format=data["format"],
            language=data["language"],
            actor=request.user,
            dry_run=data["dry_run"],
        )
        return Response(report.as_dict())
