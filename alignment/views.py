"""The alignment view: paste a translation, preview and apply its alignment, fix units by hand."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from alignment import services, tasks
from alignment.limits import PasteTooLarge, check_paste
from corpus import permissions, selectors
from corpus.errors import WorkbenchError
from corpus.models import Document, Translation
from corpus.uploads import read_upload

LOW_SCORE = services.LOW_SCORE


def _document(request, document_id: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user), pk=document_id)


def _language(request) -> str:
    language = (
        request.GET.get("language") or request.POST.get("language") or settings.WORKBENCH_TARGET_LANGUAGES[0]
    )
    if language not in settings.WORKBENCH_TARGET_LANGUAGES:
        raise Http404("Unknown language")
    return language


def _units(document: Document, language: str, order: str, user) -> list[dict]:
    """The units of the language with the fixes ``user`` may make on each (asked of the permission module)."""
    translations = list(
        selectors.live_translations(document.pk, language)
        .select_related("updated_by")
        .order_by("first_position")
    )
    sources = selectors.span_sources(document.pk, [(t.first_position, t.last_position) for t in translations])
    units = []
    for index, translation in enumerate(translations):
        previous = translations[index - 1] if index else None
        following = translations[index + 1] if index + 1 < len(translations) else None
        sentences = services.split_sentences(translation.text, language) if translation.text.strip() else []
        fixable = bool(permissions.can_fix_alignment(user, translation))
        previous = previous if previous and previous.last_position == translation.first_position - 1 else None
        following = (
            following if following and following.first_position == translation.last_position + 1 else None
        )
        units.append(
            {
                "translation": translation,
                "source": sources[(translation.first_position, translation.last_position)],
                "sentences": sentences,
                "positions": list(range(translation.first_position + 1, translation.last_position + 1)),
                "previous": previous,
                "next": following,
                "may_split": fixable,
                "may_merge_next": fixable
                and following is not None
                and bool(permissions.can_fix_alignment(user, following)),
                "may_move_previous": fixable
                and previous is not None
                and bool(permissions.can_fix_alignment(user, previous)),
                "low": translation.score is not None and translation.score < LOW_SCORE,
            }
        )
    if order == "worst":
        units.sort(key=lambda unit: (unit["translation"].score is None, unit["translation"].score or 0))
    return units


@require_GET
def alignment_view(request, document_id: int):
    document = _document(request, document_id)
    language = _language(request)
    order = "worst" if request.GET.get("order") == "worst" else "document"
    context = {
        "document": document,
        "language": language,
        "languages": settings.WORKBENCH_TARGET_LANGUAGES,
        "order": order,
        "units": _units(document, language, order, request.user),
        "can_write": bool(permissions.can_write(request.user, language)),
        "low_score": LOW_SCORE,
        "plan": None,
        "text": "",
    }
    return render(request, "alignment/alignment.html", context)


@require_POST
def alignment_paste(request, document_id: int):
    document = _document(request, document_id)
    language = _language(request)
    text = request.POST.get("text", "")
    upload = request.FILES.get("file")
    back = reverse("alignment:view", args=[document.pk]) + f"?language={language}"
    try:
        # A preview costs as much as an apply: both need write access to the language.
        permissions.ensure(permissions.can_write(request.user, language))
        if upload is not None:
            text = services.decode_upload(read_upload(upload))
        replace_submitted = request.POST.get("replace_submitted") == "1"
        if tasks.in_background(text):
            job = tasks.alignment_start(
                document=document,
                language=language,
                text=text,
                mode="apply" if request.POST.get("mode") == "apply" else "preview",
                replace_submitted=replace_submitted,
                actor=request.user,
            )
            return redirect("jobs:job", job.pk)
        check_paste(document=document, language=language, text=text)
        plan = services.alignment_plan(
            document=document, language=language, text=text, replace_submitted=replace_submitted
        )
        if request.POST.get("mode") == "apply":
            summary = services.alignment_apply(plan=plan, actor=request.user)
            messages.success(
                request,
                f"Aligned {summary['sentences']} sentences into {summary['created']} units "
                f"({summary['kept_approved']} approved and {summary['kept_submitted']} submitted translations kept, "
                f"{summary['replaced_submitted']} submitted replaced, {summary['low_score_units']} low-score units, "
                f"{summary['untranslated_segments']} segments left untranslated).",
            )
            return redirect(back)
    except PasteTooLarge as error:
        # The page again with the text kept, so that it can be cut down.
        messages.error(request, error.message)
        context = {
            "document": document,
            "language": language,
            "languages": settings.WORKBENCH_TARGET_LANGUAGES,
            "order": "document",
            "units": _units(document, language, "document", request.user),
            "can_write": True,
            "low_score": LOW_SCORE,
            "plan": None,
            "text": text,
        }
        return render(request, "alignment/alignment.html", context, status=error.status)
    except WorkbenchError as error:
        messages.error(request, error.message)
        return redirect(back)
    sources = selectors.span_sources(
        document.pk, [(u.first, u.last) for u in plan.units if u.first is not None]
    )
    for unit in plan.units:
        if unit.first is not None:
            unit.source = sources[(unit.first, unit.last)]
    context = {
        "document": document,
        "language": language,
        "languages": settings.WORKBENCH_TARGET_LANGUAGES,
        "order": "document",
        "units": [],
        "can_write": bool(permissions.can_write(request.user, language)),
        "low_score": LOW_SCORE,
        "plan": plan,
        "summary": plan.summary(),
        "text": text,
    }
    return render(request, "alignment/alignment.html", context)


def _translation(request, pk) -> Translation:
    return get_object_or_404(
        Translation.objects.filter(
            document__in=Document.objects.visible_to(request.user), retired_at__isnull=True
        ),
        pk=_int(pk),  # a missing or garbage id is a 404, not a 500
    )


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@require_POST
def alignment_fix(request, document_id: int, action: str):
    document = _document(request, document_id)
    language = _language(request)
    back = reverse("alignment:view", args=[document.pk]) + f"?language={language}"
    if request.POST.get("order") == "worst":
        back += "&order=worst"
    unit = _translation(request, request.POST.get("translation"))
    version = _int(request.POST.get("version"))
    try:
        if action == "merge":
            other = _translation(request, request.POST.get("neighbour"))
            services.translation_merge(
                first=unit,
                second=other,
                first_version=version,
                second_version=_int(request.POST.get("neighbour_version")),
                actor=request.user,
            )
            messages.success(request, "Merged.")
        elif action == "split":
            services.translation_split(
                translation=unit,
                version=version,
                sentences_first=_int(request.POST.get("sentences_first")),
                source_split=_int(request.POST.get("source_split")),
                actor=request.user,
            )
            messages.success(request, "Split.")
        elif action == "move":
            other = _translation(request, request.POST.get("neighbour"))
            services.translation_move_sentence(
                translation=unit,
                version=version,
                neighbour=other,
                neighbour_version=_int(request.POST.get("neighbour_version")),
                actor=request.user,
            )
            messages.success(request, "Moved one sentence.")
        else:
            raise Http404("Unknown fix")
    except WorkbenchError as error:
        messages.error(request, error.message)
    return redirect(back)
