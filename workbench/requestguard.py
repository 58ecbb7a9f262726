"""What every request is checked for before any view, session lookup or database query runs.

- A NUL character anywhere a view could pass it on to PostgreSQL (whose text cannot hold one): the
  path, the query string, form fields, upload names and cookies. One 400 for the whole site instead of
  a 500 (or a check in every view). JSON bodies are checked by ``workbench.parsers``.
- A body larger than the limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``: the upload limit and 1 MiB for the
  form fields around it), refused from its Content-Length before it is read: 413. So is a form that
  Django's own limits refuse while it is read (too many fields, fields too large).

Under ``/api/`` the answers are the API's one error shape; browser pages get a short plain-text page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError


def refusal(request, status: int, code: str, message: str, detail: dict | None = None) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        body = {"error": {"code": code, "message": message, "detail": detail or {}}}
        return JsonResponse(body, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def too_large(request) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return refusal(
        request,
        413,
        "too_large",
        f"The request body is larger than the limit of {limit:,} bytes.",
        {"limit_bytes": limit},
    )


def _has_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def nul_field(request) -> str | None:
    """The name of the first part of the request that holds a NUL character, or None."""
    if "\x00" in request.path_info:
        return "path"
    for mapping in (request.GET, request.POST):
        for key, values in mapping.lists():
            if _has_nul(key) or any(_has_nul(value) for value in values):
                return key.replace("\x00", "\\x00")
    for key, uploads in request.FILES.lists():
        if _has_nul(key) or any(_has_nul(upload.name) for upload in uploads):
            return key.replace("\x00", "\\x00")
    for key, value in request.COOKIES.items():
        if _has_nul(key) or _has_nul(value):
            return "cookie"
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return too_large(request)
        try:
            field = nul_field(request)
        except RequestDataTooBig:
            return too_large(request)
        except (TooManyFieldsSent, TooManyFilesSent) as error:
            return refusal(request, 413, "too_large", str(error))
        except MultiPartParserError as error:
            return refusal(request, 400, "parse_error", f"The form data cannot be read: {error}")
        if field is not None:
            return refusal(
                request,
                400,
                "validation_error",
                f"The parameter '{field}' contains a NUL character.",
                {"field": field},
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A body found too large while a view reads it (no Content-Length: a chunked upload)."""
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        return None
