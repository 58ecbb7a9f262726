"""The site shell: home (the document list) and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from corpus.selectors import documents_with_stats, language_progress


def home(request):
    documents = list(documents_with_stats(request.user))
    language_progress(documents)
    return render(request, "home.html", {"documents": documents})


@login_not_required
@never_cache
@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(error).splitlines()[0][:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
