"""One error shape for the whole API:

    {"error": {"code": "stale_version", "message": "...", "detail": {...}}}

``code`` is stable and machine-readable: validation_error, invalid_span, invalid_transition,
stale_version, forbidden_action, not_found, not_authenticated, method_not_allowed, throttled, ...
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from corpus.errors import WorkbenchError

DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.PermissionDenied: "forbidden_action",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
    exceptions.ValidationError: "validation_error",
}


def error_body(code: str, message: str, detail=None) -> dict:
    return {"error": {"code": code, "message": message, "detail": detail or {}}}


def api_exception_handler(exc, context):
    if isinstance(exc, WorkbenchError):
        return Response(error_body(exc.code, exc.message, exc.detail), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for klass, c in DRF_CODES.items() if isinstance(exc, klass)), "error")
    if isinstance(exc, exceptions.ValidationError):
        message = "The request is not valid."
        detail = {"fields": response.data}
    else:
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        detail = {}
    response.data = error_body(code, message, detail)
    return response


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    detail = serializers.DictField()


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_RESPONSES = {
    status.HTTP_400_BAD_REQUEST: ErrorSerializer,
    status.HTTP_401_UNAUTHORIZED: ErrorSerializer,
    status.HTTP_403_FORBIDDEN: ErrorSerializer,
    status.HTTP_404_NOT_FOUND: ErrorSerializer,
    status.HTTP_409_CONFLICT: ErrorSerializer,
}
