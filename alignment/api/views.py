from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from alignment import services, tasks
from alignment.api import serializers as s
from alignment.limits import check_paste
from api.exceptions import ERROR_RESPONSES, ErrorSerializer
from api.serializers import TranslationSerializer
from corpus import permissions
from corpus.languages import validate_language
from corpus.models import Document, Translation
from corpus.uploads import check_size, read_upload
from jobs.api.serializers import JobSerializer
from jobs.api.views import accepted


def _visible_translation(request, pk: int) -> Translation:
    return get_object_or_404(
        Translation.objects.filter(
            document__in=Document.objects.visible_to(request.user), retired_at__isnull=True
        ),
        pk=pk,
    )


class AlignmentView(APIView):
    @extend_schema(
        summary="Align a whole translation to the document's source: preview the units or apply them "
        "(above WORKBENCH_JOB_ALIGN_THRESHOLD characters: 202 with a background job to follow)",
        request={
            "application/json": s.AlignmentRequestSerializer,
            "multipart/form-data": s.AlignmentRequestSerializer,
        },
        responses=ERROR_RESPONSES
        | {
            200: s.AlignmentResultSerializer,
            201: s.AlignmentResultSerializer,
            202: JobSerializer,
            413: ErrorSerializer,
        },
    )
    def post(self, request, document_id: int):
        document = get_object_or_404(Document.objects.visible_to(request.user), pk=document_id)
        serializer = s.AlignmentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # A preview costs as much as an apply: both need write access to the language.
        validate_language(data["language"])
        permissions.ensure(permissions.can_write(request.user, data["language"]))
        if data.get("file"):
            text = services.decode_upload(read_upload(data["file"]))
        else:
            text = data["text"]
            check_size(len(text.encode()))
        if tasks.in_background(text):
            job = tasks.alignment_start(
                document=document,
                language=data["language"],
                text=text,
                mode=data["mode"],
                replace_submitted=data["replace_submitted"],
                actor=request.user,
            )
            return accepted(job)
        check_paste(document=document, language=data["language"], text=text)
        plan = services.alignment_plan(
            document=document,
            language=data["language"],
            text=text,
            replace_submitted=data["replace_submitted"],
        )
        summary = plan.summary()
        code = status.HTTP_200_OK
        if data["mode"] == "apply":
            summary = services.alignment_apply(plan=plan, actor=request.user)
            code = status.HTTP_201_CREATED
        body = {"mode": data["mode"], "language": plan.language, "summary": summary, "units": plan.units}
        return Response(s.AlignmentResultSerializer(body).data, status=code)


class MergeView(APIView):
    @extend_schema(
        summary="Merge two neighbouring translations into one",
        request=s.MergeSerializer,
        responses=ERROR_RESPONSES | {200: TranslationSerializer},
    )
    def post(self, request):
        serializer = s.MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        merged = services.translation_merge(
            first=_visible_translation(request, data["first"]),
            second=_visible_translation(request, data["second"]),
            first_version=data["first_version"],
            second_version=data["second_version"],
            actor=request.user,
        )
        return Response(TranslationSerializer(merged).data)


class SplitView(APIView):
    @extend_schema(
        summary="Split a translation at a target sentence boundary",
        request=s.SplitSerializer,
        responses=ERROR_RESPONSES | {200: TranslationSerializer(many=True)},
    )
    def post(self, request, pk: int):
        serializer = s.SplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parts = services.translation_split(
            translation=_visible_translation(request, pk), actor=request.user, **serializer.validated_data
        )
        return Response(TranslationSerializer(parts, many=True).data)


class MoveView(APIView):
    @extend_schema(
        summary="Move the first or last target sentence to the neighbouring translation",
        request=s.MoveSerializer,
        responses=ERROR_RESPONSES | {200: TranslationSerializer(many=True)},
    )
    def post(self, request, pk: int):
        serializer = s.MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parts = services.translation_move_sentence(
            translation=_visible_translation(request, pk),
            version=data["version"],
            neighbour=_visible_translation(request, data["neighbour"]),
            neighbour_version=data["neighbour_version"],
            actor=request.user,
        )
        return Response(TranslationSerializer(parts, many=True).data)
