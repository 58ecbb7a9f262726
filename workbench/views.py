"""The site shell: home (the document list), login with throttling, liveness and readiness."""

import logging

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from corpus.accounts import client_address, login_failed, login_refusal, login_succeeded
from corpus.errors import WorkbenchError
from corpus.permissions import is_editor
from corpus.selectors import documents_with_stats, language_progress
from corpus.uploads import read_upload
from exchange import tasks as exchange_tasks
from exchange.sources import document_upload
from jobs.runner import queue_stats

logger = logging.getLogger("workbench.health")


def home(request):
    """The document list; editors also import a new source document here (a large one as a
    background job: the browser goes to its progress page)."""
    error = ""
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            if exchange_tasks.in_background(upload.size or 0):
                job = exchange_tasks.source_import_start(
                    data=read_upload(upload),
                    file_name=upload.name or "upload.txt",
                    title=request.POST.get("title", ""),
                    actor=request.user,
                )
                return redirect("jobs:job", job.pk)
            result = document_upload(upload=upload, title=request.POST.get("title", ""), actor=request.user)
            return redirect("editor:editor", result.document.pk)
        except WorkbenchError as failure:
            error = failure.message
    documents = list(documents_with_stats(request.user))
    language_progress(documents)
    context = {"documents": documents, "can_import": is_editor(request.user), "import_error": error}
    return render(request, "home.html", context, status=400 if error else 200)


@method_decorator(login_not_required, name="dispatch")
class ThrottledLoginView(auth_views.LoginView):
    """Django's login, refusing further attempts after too many failures (see corpus.accounts.login_refusal)."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        refusal = login_refusal(username=username, address=client_address(request))
        if refusal:
            form = self.get_form()
            form.errors.clear()
            return self.render_to_response(self.get_context_data(form=form, throttled=refusal), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        login_succeeded(username=self.request.POST.get("username", ""), address=client_address(self.request))
        return super().form_valid(form)

    def form_invalid(self, form):
        login_failed(username=self.request.POST.get("username", ""), address=client_address(self.request))
        return super().form_invalid(form)


@login_not_required
@never_cache
def admin_login(request):
    """/admin/login/ checks no password itself: it sends people to the site's login, which is
    throttled, and then on to the admin page they asked for. (Django's admin login would be a
    second, unthrottled door to the superuser's password.)"""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    query = urlencode({"next": target or reverse("admin:index")})
    return HttpResponseRedirect(f"{reverse('login')}?{query}")


@login_not_required
@never_cache
@require_GET
def health(request):
    """Liveness: the process answers. It does not touch the database."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def ready(request):
    """Readiness: the database answers; ``queue`` tells the depth of the job queue and the age of its
    oldest queued job (a growing age means too few workers, or none). Callers (anonymous: a load balancer) learn only that it does
    not; the error, which names the database's host, port and name, goes to the log."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means not ready
        connection.close_if_unusable_or_obsolete()
        logger.warning(
            "not ready: database unavailable: %s", str(error).splitlines()[0] if str(error) else error
        )
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "queue": queue_stats()})


def server_error(request):
    """handler500: a lost database is a 503 with a clear message (also when it broke in a middleware,
    e.g. while reading the session); anything else is Django's plain 500."""
    import sys

    from django.views.defaults import server_error as default_server_error

    from workbench.middleware import database_unavailable_response

    exception = sys.exc_info()[1]
    response = database_unavailable_response(request, exception) if exception else None
    return response or default_server_error(request)
