"""The glossary in the browser: list and search for everyone; add, edit, forbid, delete, review the
jieba-proposed candidates, and TBX/CSV import for editors. Thin views over memory.glossary and
exchange.glossary_io: who may do what is asked of corpus.permissions, and the services check it again.
Plain forms, POST-redirect-GET, the outcome in a message.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from corpus import permissions
from corpus.errors import InvalidInput, WorkbenchError
from corpus.models import Document, GlossaryTerm
from exchange import glossary_io
from memory import glossary

PAGE = 100
Status = GlossaryTerm.Status


def _back(request) -> str:
    """The list the form came from (its query string), never another site."""
    query = request.POST.get("back", "")
    return reverse("editor:glossary") + ("?" + query.lstrip("?") if query and "//" not in query else "")


@require_GET
def glossary_list(request):
    params = request.GET
    query = params.get("q", "").strip()[:200]
    language = params.get("language", "")
    status = params.get("status", "")
    terms = GlossaryTerm.objects.select_related("created_by").order_by("language", "source", "target")
    if language in settings.WORKBENCH_TARGET_LANGUAGES:
        terms = terms.filter(language=language)
    if status in Status.values:
        terms = terms.filter(status=status)
    if query:
        terms = terms.filter(
            Q(source__icontains=query) | Q(target__icontains=query) | Q(note__icontains=query)
        )
    page = Paginator(terms, PAGE).get_page(params.get("page"))
    manage = {
        code: bool(permissions.can_review(request.user, code)) for code in settings.WORKBENCH_TARGET_LANGUAGES
    }
    for term in page.object_list:
        term.editable = manage.get(term.language, False)
    return render(
        request,
        "editor/glossary.html",
        {
            "page": page,
            "query": query,
            "language": language,
            "status": status,
            "statuses": Status.choices,
            "languages": settings.WORKBENCH_TARGET_LANGUAGES,
            "manage_languages": [code for code, allowed in manage.items() if allowed],
            "documents": Document.objects.visible_to(request.user).order_by("id").only("id", "title")
            if any(manage.values())
            else [],
            "back": params.urlencode(),
            "candidates": GlossaryTerm.objects.filter(status=Status.CANDIDATE).count(),
        },
    )


@require_POST
def glossary_add(request):
    try:
        term = glossary.term_save(
            actor=request.user,
            language=request.POST.get("language", ""),
            source=request.POST.get("source", ""),
            target=request.POST.get("target", ""),
            status=request.POST.get("status", Status.PREFERRED),
            note=request.POST.get("note", ""),
        )
        messages.success(
            request, f"Added {term.source} → {term.target or '…'} ({term.language}, {term.status})."
        )
    except WorkbenchError as error:
        messages.error(request, error.message)
    return redirect(_back(request))


@require_POST
def glossary_change(request, term_id: int):
    term = get_object_or_404(GlossaryTerm, pk=term_id)
    try:
        glossary.term_save(
            actor=request.user,
            term=term,
            language=term.language,
            source=request.POST.get("source", term.source),
            target=request.POST.get("target", term.target),
            status=request.POST.get("status", term.status),
            note=request.POST.get("note", term.note),
        )
        messages.success(
            request, f"Saved {term.source} → {term.target or '…'} ({term.language}, {term.status})."
        )
    except WorkbenchError as error:
        messages.error(request, error.message)
    return redirect(_back(request))


@require_POST
def glossary_delete(request, term_id: int):
    term = get_object_or_404(GlossaryTerm, pk=term_id)
    try:
        glossary.term_delete(actor=request.user, term=term)
        messages.success(request, f"Deleted {term.source} → {term.target or '…'} ({term.language}).")
    except WorkbenchError as error:
        messages.error(request, error.message)
    return redirect(_back(request))


@require_POST
def glossary_propose(request):
    document = Document.objects.visible_to(request.user).filter(pk=_int(request.POST.get("document"))).first()
    language = request.POST.get("language", "")
    try:
        if document is None:
            raise InvalidInput("Choose a document.")
        created = glossary.glossary_propose(document=document, language=language, actor=request.user)
        messages.success(
            request,
            f"Proposed {len(created)} new candidate{'s' if len(created) != 1 else ''} for {language}.",
        )
    except WorkbenchError as error:
        messages.error(request, error.message)
    return redirect(reverse("editor:glossary") + f"?status=candidate&language={language}")


@require_GET
def glossary_export(request, file_format: str):
    if file_format not in {"tbx", "csv"}:
        raise Http404("Known formats: tbx, csv.")
    terms = GlossaryTerm.objects.order_by("language", "source")
    language = request.GET.get("language", "")
    if language in settings.WORKBENCH_TARGET_LANGUAGES:
        terms = terms.filter(language=language)
    terms = list(terms)
    if file_format == "tbx":
        response = HttpResponse(
            glossary_io.export_tbx(terms), content_type="application/x-tbx+xml; charset=utf-8"
        )
    else:
        response = HttpResponse(glossary_io.export_csv(terms), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="glossary{"-" + language if language else ""}.{file_format}"'
    )
    return response


@require_POST
def glossary_import(request):
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput("Choose a TBX or CSV file.")
        file_format = request.POST.get("format") or upload.name.rsplit(".", 1)[-1].lower()
        if not permissions.is_editor(request.user):
            permissions.ensure(permissions.deny("Only editors manage the glossary."))
        result = glossary_io.glossary_import(data=upload.read(), format=file_format, actor=request.user)
        messages.success(
            request,
            f"Imported {result['terms']} terms: {result['created']} new, {result['updated']} updated.",
        )
    except WorkbenchError as error:
        messages.error(request, error.message)
    return redirect(_back(request))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
