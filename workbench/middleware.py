"""Site-wide middleware: login for browser pages, request ids and structured logs, security headers,
and a clear 503 while the database is unreachable."""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger("workbench.requests")


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Browser pages redirect anonymous users to the login page; the API answers 401 itself."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Public views (login, health, ready) are decided before the session is read, so liveness
        # never touches the database.
        if request.path_info.startswith("/api/") or not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestLogMiddleware:
    """Gives every request an id (``X-Request-ID``, kept when the proxy sends one) and logs one line
    per request with method, path, status, user and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        # Printable ASCII only: the id is echoed in a response header, where a control character
        # makes gunicorn refuse the whole response.
        printable = incoming.isascii() and incoming.isprintable()
        request.id = incoming[:64] if incoming and printable else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        duration = (time.perf_counter() - started) * 1000
        response["X-Request-ID"] = request.id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "user": _username(request),
                "duration_ms": round(duration, 1),
            },
        )
        return response


def _username(request) -> str | None:
    user = getattr(request, "user", None)
    try:
        return user.get_username() if user is not None and user.is_authenticated else None
    except DatabaseError:  # the session could not be read: the database is down
        return None


DATABASE_DOWN = "The database is unavailable right now; nothing was changed. Try again in a moment."


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a 503 with a clear message instead of a 500; Django's
    connection health checks reconnect on the next request, so the app recovers by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable_response(request, exception)


def database_unavailable_response(request, exception):
    """A 503 for a lost database, a 409 for a transaction PostgreSQL rolled back (deadlock or
    serialization failure: nothing was written, try again), or None for any other exception."""
    if not isinstance(exception, (OperationalError, InterfaceError)) and not _connection_lost(exception):
        return None
    from psycopg2.extensions import TransactionRollbackError

    cause = exception.__cause__
    pgcode = getattr(cause, "pgcode", None) or ""
    if pgcode.startswith("40") or isinstance(cause, TransactionRollbackError):
        logger.warning(
            "transaction rolled back by PostgreSQL (%s): %s", pgcode, str(exception).splitlines()[0]
        )
        message = "A concurrent change conflicted with this one; nothing was written. Try again."
        response = JsonResponse({"error": {"code": "retry", "message": message, "detail": {}}}, status=409)
        response._has_been_logged = True
        return response
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    logger.warning(
        "database unavailable: %s", str(exception).splitlines()[0] if str(exception) else exception
    )
    wants_json = request.path_info.startswith("/api/") or "json" in request.headers.get("Accept", "")
    if wants_json:
        body = {"error": {"code": "database_unavailable", "message": DATABASE_DOWN, "detail": {}}}
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(DATABASE_DOWN, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "5"
    response._has_been_logged = True  # logged once above as a warning, not as a server error per request
    return response


def _connection_lost(exception) -> bool:
    return isinstance(exception, DatabaseError) and "server closed the connection" in str(exception)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts) and Permissions-Policy on every response;
    ``Cache-Control: no-store`` on every API response (user data: no shared or browser cache keeps it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.path_info.startswith("/api/"):
            patch_cache_control(response, no_store=True)
        return response


class ApiNotFoundMiddleware:
    """An unknown path under /api/ answers in the API's one error shape (``not_found``) instead of
    Django's HTML 404 page, in production and in DEBUG alike. Listed above CommonMiddleware, so a
    path that only lacks its trailing slash is still redirected first; the API's own JSON 404s
    (an unknown document ...) pass unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            message = f"There is no API endpoint at {request.path_info}."
            body = {"error": {"code": "not_found", "message": message, "detail": {}}}
            return JsonResponse(body, status=404)
        return response
