"""The browser editor: thin views over corpus.selectors and translations.services, rendering htmx partials.

Every write goes through a service; the views only pick the fragment to render: a cell in view
mode, in edit mode (with the typed text and an error), or in conflict mode (theirs and yours).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from corpus import permissions, selectors
from corpus.diffs import diff_html
from corpus.errors import InvalidInput, StaleVersion, WorkbenchError
from corpus.models import Document, Segment, Translation
from editor import live, rows
from memory import glossary
from memory import tm as memory
from quality import CHECK_CODES
from translations import services, workflow
from translations.pretranslate import document_pretranslate

PAGE_ROWS = 100
ACTIONS = {
    "submit": services.translation_submit,
    "approve": services.translation_approve,
    "reject": services.translation_reject,
    "reopen": services.translation_reopen,
}


def _document(request, document_id: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user), pk=document_id)


def _filters(request) -> dict:
    return _parse_filters(request.GET)


def _parse_filters(params) -> dict:
    """The segment filters; an unknown value (a hand-edited URL) is a 400, not a server error."""
    try:
        return selectors.parse_segment_filters(params)
    except InvalidInput as error:
        raise BadRequest(error.message) from error


def _languages(request) -> list[str]:
    hidden = set(request.GET.getlist("hide"))
    return [language for language in settings.WORKBENCH_TARGET_LANGUAGES if language not in hidden]


def _user_context(request) -> dict:
    user = request.user
    return {
        "user_languages": sorted(permissions.languages(user)) if permissions.roles(user) else [],
        "is_editor": permissions.is_editor(user),
    }


def _unwrapped_user(request):
    """The signed-in user object itself. ``request.user`` is a lazy stand-in whose every attribute read
    is a function call, and a page of rows asks the permission module about 5,000 of them (a quarter
    of the page's time)."""
    user = request.user
    if user.is_authenticated:  # evaluated from here on: its object is the wrapped one
        return getattr(user, "_wrapped", user)
    return user


def _offer(cell: rows.EditorCell, user) -> rows.EditorCell:
    """The actions to offer on ``cell``, asked of the workflow and permission modules."""
    if cell.translation is None:
        cell.actions = {"create": bool(permissions.can_write(user, cell.language))}
    else:
        cell.actions = workflow.offered_actions(user, cell.translation)
        cell.error_findings = [f for f in cell.translation.findings if f.get("severity") == "error"]
    return cell


def _rows_context(request, document: Document, after: int, until: int | None = None) -> dict:
    """A page of rows, read as values and plain SQL rows and rendered by ``editor.rows`` (not by the
    template's partials: see that module for why)."""
    languages = _languages(request)
    segments = Segment.objects.filter(document=document, position__gt=after)
    if until is not None:  # a region the live document re-renders
        segments = segments.filter(position__lte=until)
    segments = list(
        selectors.filter_segments(segments, **_filters(request))
        .order_by("position")
        .values("position", "kind", "text", "words")[: PAGE_ROWS + 1]
    )
    more = len(segments) > PAGE_ROWS
    segments = segments[:PAGE_ROWS]
    covering = selectors.page_spans(document.pk, [segment["position"] for segment in segments], languages)
    page = rows.editor_rows(segments, covering, languages)
    find_terms = glossary.hits_finder(languages)
    user = _unwrapped_user(request)
    for row in page:
        text = row.segment["text"]
        row.source_parts = source_parts(text, find_terms(text))
        for cell in row.cells:
            if cell:
                _offer(cell, user)
    query = request.GET.copy()
    query.pop("after", None)
    html = rows.rows_html(page, rows.CellUrls(document.pk, languages))  # every value escaped there
    return {
        "document": document,
        "languages": languages,
        "rows_html": mark_safe(html),
        "more_after": segments[-1]["position"] if more else None,
        "query": query.urlencode(),
        **_user_context(request),
    }


@require_GET
def editor(request, document_id: int):
    """The page: its first rows and the progress bars (kept counters: one small query). The quality
    metrics, which aggregate the document's translations, load after first paint (``metrics``)."""
    document = _document(request, document_id)
    live_cursor = live.cursor_now()  # before the rows are read: no later change is missed
    context = _rows_context(request, document, after=-1)
    selectors.language_progress([document])
    context.update(
        live_cursor=live_cursor,
        live_poll_seconds=live.POLL_SECONDS,
        live_idle_seconds=live.IDLE_SECONDS,
        check_codes=sorted([*CHECK_CODES, *selectors.EXTRA_CHECK_CODES]),
        progress=document.progress,
        filters=_filters(request),
        statuses=selectors.STATUS_FILTER_CHOICES,
        all_languages=settings.WORKBENCH_TARGET_LANGUAGES,
        hidden=request.GET.getlist("hide"),
        segments_total=document.segment_count,
    )
    return render(request, "corpus/editor.html", context)


@require_GET
def progress(request, document_id: int):
    """The document's progress bars, refreshed by the page after every save or review."""
    document = _document(request, document_id)
    selectors.language_progress([document])
    return render(
        request, "corpus/editor.html#progress", {"document": document, "progress": document.progress}
    )


@require_GET
def editor_rows(request, document_id: int):
    document = _document(request, document_id)
    try:
        after = int(request.GET.get("after", "-1"))
    except ValueError:
        after = -1
    until = _int(request.GET.get("until"))
    return render(request, "corpus/editor.html#rows", _rows_context(request, document, after, until))


def _cell(document: Document, language: str, position: int, rowspan: int) -> rows.EditorCell:
    if language not in settings.WORKBENCH_TARGET_LANGUAGES:
        raise Http404("Unknown language")
    translation = (
        selectors.live_translations(document.pk, language)
        .filter(first_position__lte=position, last_position__gte=position)
        .select_related("updated_by", "author")
        .first()
    )
    if translation is None:
        if not Segment.objects.filter(document=document, position=position).exists():
            raise Http404("No such segment")
        return rows.EditorCell(language, None, position, position, rowspan)
    return rows.EditorCell(
        language, translation, translation.first_position, translation.last_position, rowspan
    )


def _rows_param(request) -> int:
    try:
        return max(1, min(int(request.GET.get("rows") or request.POST.get("rows") or 1), 10_000))
    except ValueError:
        return 1


def _render_cell(request, document, cell, *, mode="view", error="", mine=None, status=200, trigger=None):
    context = {
        "document": document,
        "cell": _offer(cell, request.user),
        "mode": mode,
        "error": error,
        "mine": mine,
        **_user_context(request),
    }
    response = render(request, "corpus/editor.html#cell", context, status=status)
    if trigger:
        response["HX-Trigger"] = json.dumps(trigger)
    return response


@require_GET
def cell(request, document_id: int, language: str, position: int):
    document = _document(request, document_id)
    mode = request.GET.get("mode", "view")
    if mode not in {"view", "edit", "reject"}:
        mode = "view"
    return _render_cell(
        request, document, _cell(document, language, position, _rows_param(request)), mode=mode
    )


@require_POST
def cell_save(request, document_id: int, language: str, position: int):
    document = _document(request, document_id)
    rowspan = _rows_param(request)
    current = _cell(document, language, position, rowspan)
    text = request.POST.get("text", "")
    and_submit = request.POST.get("and_submit") == "1"
    try:
        if current.translation is None:
            services.translation_create(
                document=document,
                language=language,
                first_position=position,
                text=text,
                actor=request.user,
                submit=and_submit,
            )
        elif not request.POST.get("version"):
            # The form was opened on an empty cell that someone else has translated meanwhile.
            return _render_cell(request, document, current, mode="conflict", mine=text)
        else:
            services.translation_save(
                translation=current.translation,
                text=text,
                version=_int(request.POST.get("version")),
                actor=request.user,
                submit=and_submit,
            )
    except StaleVersion:
        theirs = _cell(document, language, position, rowspan)
        return _render_cell(request, document, theirs, mode="conflict", mine=text, status=200)
    except WorkbenchError as error:
        return _render_cell(request, document, current, mode="edit", error=error.message, mine=text)
    saved = _cell(document, language, position, rowspan)
    return _render_cell(
        request,
        document,
        saved,
        trigger={"workbench:saved": {"language": language, "last": saved.last}},
    )


@require_POST
def cell_compare(request, document_id: int, language: str, position: int):
    """The open cell's text beside the newer version someone saved meanwhile (nothing is saved)."""
    document = _document(request, document_id)
    current = _cell(document, language, position, _rows_param(request))
    return _render_cell(request, document, current, mode="conflict", mine=request.POST.get("text", ""))


@require_POST
def cell_action(request, document_id: int, language: str, position: int, action: str):
    document = _document(request, document_id)
    service = ACTIONS.get(action)
    rowspan = _rows_param(request)
    current = _cell(document, language, position, rowspan)
    if service is None or current.translation is None:
        raise Http404("No such action or translation")
    extra = {"reason": request.POST.get("reason", "")} if action in {"reject", "reopen"} else {}
    if action == "approve":
        extra["acknowledge_findings"] = request.POST.get("acknowledge_findings") == "1"
    try:
        service(
            translation=current.translation,
            version=_int(request.POST.get("version")),
            actor=request.user,
            **extra,
        )
    except StaleVersion:
        fresh = _cell(document, language, position, rowspan)
        by = fresh.translation.updated_by if fresh.translation else None
        if by is not None and by.pk == request.user.pk:
            message = "You changed this in another tab meanwhile; look again."
        else:
            message = f"{by.get_username() if by else 'Someone'} changed this meanwhile; look again."
        return _render_cell(request, document, fresh, error=message)
    except WorkbenchError as error:
        return _render_cell(
            request, document, current, mode="reject" if action == "reject" else "view", error=error.message
        )
    return _render_cell(
        request,
        document,
        _cell(document, language, position, rowspan),
        trigger={"workbench:changed": {"language": language}},
    )


@require_POST
def bulk_approve(request, document_id: int):
    document = _document(request, document_id)
    language = request.POST.get("language", "")
    if language not in settings.WORKBENCH_TARGET_LANGUAGES:
        raise Http404("Unknown language")
    filters = _parse_filters(request.POST)
    segments = selectors.filter_segments(Segment.objects.filter(document=document), **filters)
    positions = list(segments.values_list("position", flat=True))
    candidates = list(
        selectors.live_translations(document.pk, language)
        .filter(status=Translation.Status.SUBMITTED)
        .filter(first_position__in=positions)
        .order_by("first_position")
    )
    if not permissions.can_review(request.user, language):
        result = services.BulkResult(
            [], [(t.pk, permissions.can_review(request.user, language).reason) for t in candidates]
        )
    else:
        result = services.translations_bulk_approve(translations=candidates, actor=request.user)
    response = render(
        request,
        "corpus/editor.html#bulk-result",
        {"result": result, "language": language, "document": document},
    )
    response["HX-Trigger"] = json.dumps({"workbench:bulk": {"language": language}})
    return response


@require_GET
def history(request, translation_id: int):
    translation = get_object_or_404(
        Translation.objects.filter(document__in=Document.objects.visible_to(request.user)), pk=translation_id
    )
    # its own revisions and those of the translations it replaced (an alignment, merge or split)
    revisions = list(selectors.history(translation).select_related("actor").order_by("id"))
    entries = []
    previous: dict[int, str] = {}
    for revision in revisions:
        before = previous.get(revision.translation_id, "")
        entries.append(
            {
                "revision": revision,
                "diff": diff_html(before, revision.text, translation.language),
                "replaced": revision.translation_id != translation.pk,
            }
        )
        previous[revision.translation_id] = revision.text
    entries.reverse()
    return render(request, "corpus/editor.html#history", {"translation": translation, "entries": entries})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def source_parts(text: str, hits: list) -> list[dict]:
    """The source text cut at glossary hits, for highlighting (the template escapes every part)."""
    parts, at = [], 0
    for hit in hits:
        if hit.start < at:
            continue
        if hit.start > at:
            parts.append({"text": text[at : hit.start], "title": ""})
        lines = [
            f"{language}: {', '.join(targets)}" for language, targets in sorted(hit.translations.items())
        ]
        lines += [
            f"{language} (forbidden): {', '.join(targets)}"
            for language, targets in sorted(hit.forbidden.items())
        ]
        parts.append({"text": text[hit.start : hit.end], "title": "; ".join(lines) or "glossary term"})
        at = hit.end
    if at < len(text):
        parts.append({"text": text[at:], "title": ""})
    return parts


@require_GET
def cell_matches(request, document_id: int, language: str, position: int):
    document = _document(request, document_id)
    cell = _cell(document, language, position, 1)
    source = selectors.span_source(document.pk, cell.first, cell.last)
    matches = memory.lookup(source, language, limit=3, min_score=memory.USEFUL_SCORE)
    hits = glossary.hits_finder([language])(source)
    terms, seen = [], set()
    for hit in hits:  # the open cell's terms, once each
        if hit.source not in seen:
            seen.add(hit.source)
            terms.append(
                {
                    "source": hit.source,
                    "preferred": hit.translations.get(language, []),
                    "forbidden": hit.forbidden.get(language, []),
                }
            )
    # ?focus=1: the focused editing area's source (terms highlighted, listed beside it) and matches
    focus = request.GET.get("focus") == "1"
    return render(
        request,
        "corpus/editor.html#focus-context" if focus else "corpus/editor.html#matches",
        {
            "matches": matches,
            "terms": terms,
            "cell": cell,
            "document": document,
            "language": language,
            "source_parts": source_parts(source, hits) if focus else [],
        },
    )


@require_GET
def concordance(request, document_id: int):
    document = _document(request, document_id)
    language = request.GET.get("language", "")
    if language not in settings.WORKBENCH_TARGET_LANGUAGES:
        raise Http404("Unknown language")
    query = request.GET.get("q", "").strip()[:200]
    units = memory.concordance(query, language) if query else []
    return render(
        request,
        "corpus/editor.html#concordance",
        {"units": units, "query": query, "language": language, "document": document},
    )


@require_POST
def pretranslate(request, document_id: int):
    document = _document(request, document_id)
    language = request.POST.get("language", "")
    try:
        result = document_pretranslate(document=document, language=language, actor=request.user)
        message = f"Pre-translated {result['filled']} of {result['untranslated']} untranslated {language} segments from 100% matches."
    except WorkbenchError as error:
        message = error.message
    return render(request, "corpus/editor.html#notice", {"message": message})
