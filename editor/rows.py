"""The editor's rows: their layout (a span over several rows is one cell with a rowspan) and their HTML.

Why the rows are built here in Python and not by the ``cell`` partial of templates/corpus/editor.html:
Django's template engine costs about 50 µs a cell even for a lean partial (every variable is resolved,
localised and escaped through several layers, every ``{% url %}`` reversed), so 200 cells cost more
than the whole API page of the same rows. Here each cell's URLs are reversed once per page and every
value that comes from a user or the database is escaped with ``html.escape``, which is what the
template's autoescaping does (``django.utils.html.escape``).

The ``cell`` partial stays the one description of a cell: it renders every cell fragment (a cell
opened, saved, reviewed or cancelled). ``tests/editor/test_rows.py`` holds every cell of the rows
equal to that cell's own fragment, whatever its status, span and the actions offered; a change to the
partial that is not made here fails that test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from corpus.models import Translation
from corpus.selectors import PageSpan

STATUS_LABELS = {str(value): str(label) for value, label in Translation.Status.choices}
ORIGIN_LABELS = {str(value): str(label) for value, label in Translation.Origin.choices}


@dataclass
class EditorCell:
    """One translation cell of the editor: a live span, or an untranslated segment."""

    language: str
    translation: Translation | PageSpan | None  # a PageSpan in a page of rows
    first: int
    last: int
    rowspan: int = 1
    actions: dict = field(default_factory=dict)  # action -> offered (set by the view from the workflow)
    error_findings: list = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.translation.status if self.translation else "untranslated"


@dataclass
class EditorRow:
    segment: dict  # position, kind, text, words
    cells: list[EditorCell | None]  # None: covered by a span that starts on an earlier row
    source_parts: list[dict] = field(default_factory=list)  # the source cut at glossary terms


def editor_rows(segments: list[dict], covering: dict, languages: list[str]) -> list[EditorRow]:
    """Rows for the editor table from ``selectors.page_spans``'s ``covering``; a span covering several
    shown rows is one cell with a rowspan."""
    rows: list[EditorRow] = []
    open_cells: dict[str, EditorCell | None] = dict.fromkeys(languages)
    for segment in segments:
        position = segment["position"]
        cells: list[EditorCell | None] = []
        for language in languages:
            translation = covering.get((position, language))
            current = open_cells[language]
            if (
                translation is not None
                and current is not None
                and current.translation is not None
                and current.translation.pk == translation.pk
            ):
                current.rowspan += 1
                cells.append(None)
                continue
            if translation is None:
                cell = EditorCell(language, None, position, position)
            else:
                cell = EditorCell(
                    language, translation, translation.first_position, translation.last_position
                )
            open_cells[language] = cell
            cells.append(cell)
        rows.append(EditorRow(segment, cells))
    return rows


def _split(url: str, marker: int) -> tuple[str, str]:
    """A reversed URL cut around the path segment ``marker``: (before, after)."""
    before, after = url.split(f"/{marker}/")
    return before + "/", "/" + after


class CellUrls:
    """The URLs of a page's cells, each reversed once per page and completed by position or id."""

    ACTIONS = ("submit", "approve", "reopen")

    def __init__(self, document_id: int, languages: list[str]):
        marker = document_id + 1  # a number that is not the document's: its path segment is unique
        self.cell = {
            language: _split(reverse("editor:cell", args=[document_id, language, marker]), marker)
            for language in languages
        }
        self.action = {
            (language, action): _split(
                reverse("editor:cell-action", args=[document_id, language, marker, action]), marker
            )
            for language in languages
            for action in self.ACTIONS
        }
        self.history = _split(reverse("editor:history", args=[marker]), marker)

    def of_cell(self, language: str, position: int) -> str:
        before, after = self.cell[language]
        return f"{before}{position}{after}"

    def of_action(self, language: str, position: int, action: str) -> str:
        before, after = self.action[language, action]
        return f"{before}{position}{after}"

    def of_history(self, translation_id: int) -> str:
        before, after = self.history
        return f"{before}{translation_id}{after}"


def rows_html(rows: list[EditorRow], urls: CellUrls) -> str:
    """The ``<tr>`` of each row, as the rows partial showed them."""
    zone = timezone.get_current_timezone()
    out: list[str] = []
    for row in rows:
        segment = row.segment
        position = segment["position"]
        kind = escape(segment["kind"])
        source = "".join(
            f'<mark class="term" tabindex="0" title="{escape(part["title"])}">{escape(part["text"])}</mark>'
            if part["title"]
            else escape(part["text"])
            for part in row.source_parts
        )
        out.append(
            f'<tr class="row kind-{kind}" data-position="{position}">\n'
            f'<th scope="row" class="pos">{position}</th>\n'
            f'<td class="source" lang="zh"><span class="kind">{"H" if segment["kind"] == "heading" else ""}</span>'
            f'<span class="source-text">{source}</span> <span class="words">{segment["words"]}w</span></td>\n'
        )
        for cell in row.cells:
            if cell is not None:
                out.append(cell_html(cell, urls, zone))
                out.append("\n")
        out.append("</tr>\n")
    return "".join(out)


def cell_html(cell: EditorCell, urls: CellUrls, zone) -> str:
    """A cell in view mode, as the ``cell`` partial renders it (whitespace aside)."""
    t = cell.translation
    language = escape(cell.language)
    status = escape(cell.status)
    first, last, rowspan = cell.first, cell.last, cell.rowspan
    cell_url = urls.of_cell(cell.language, first)
    actions = cell.actions
    label = f"s {first} to {last}" if first != last else f" {first}"
    head = [
        f'<td class="cell status-{status}" id="cell-{language}-{first}"\n'
        f'data-language="{language}" data-first="{first}" data-last="{last}" data-status="{status}"\n'
    ]
    if t is not None:
        history_url = urls.of_history(t.pk)
        head.append(
            f'data-version="{t.version}" data-translation="{t.pk}" data-history-url="{history_url}"\n'
        )
    head.append(f'data-url="{cell_url}?rows={rowspan}"\n')
    if actions.get("edit") or actions.get("create"):
        head.append('data-editable="1"\n')
    if rowspan > 1:
        head.append(f'rowspan="{rowspan}"')
    head.append(
        f' tabindex="0" lang="{language}"\naria-label="{language} translation of segment{label}, {status}">\n'
    )
    if t is None:
        if actions.get("create"):
            empty = '<button type="button" class="js-edit">Translate</button>'
        else:
            empty = "untranslated"
        return "".join(head) + f'<div class="text empty">{empty}</div>\n</td>'
    return "".join(head) + _translation_html(cell, t, urls, zone, cell_url, history_url)


def _translation_html(
    cell: EditorCell, t: PageSpan, urls: CellUrls, zone, cell_url: str, history_url: str
) -> str:
    status = escape(t.status)
    version, rowspan, first = t.version, cell.rowspan, cell.first
    if t.origin != "typed":
        score = "" if t.score is None else f" {floatformat(t.score, 2)}"
        origin = f'<span class="origin">{escape(ORIGIN_LABELS.get(t.origin, t.origin))}{score}</span>\n'
    else:
        origin = ""
    who = escape(t.updated_by_name) if t.updated_by_name else "import"
    when = timezone.localtime(t.updated_at, zone)
    parts = [
        f'<div class="text">{escape(t.text)}</div>\n'
        f'<div class="cell-meta">\n'
        f'<span class="badge status-{status}">{escape(STATUS_LABELS.get(t.status, t.status))}</span>\n'
        f"{origin}"
        f'<span class="who">{who}, <time datetime="{when.isoformat()}">'
        f"{when.year:04d}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}</time></span>\n"
        f'<span class="version">v{version}</span>\n'
        f"</div>\n"
    ]
    if t.findings:
        parts.append(_findings_html(t.findings))
        parts.append("\n")
    if t.status == "rejected" and t.comment:
        parts.append(
            f'<p class="reason"><strong>Rejected:</strong> <span class="reason-text">{escape(t.comment)}</span></p>\n'
        )
    parts.append('<div class="cell-actions">\n')
    actions = cell.actions
    vals = f'"version": "{version}", "rows": "{rowspan}"'
    swap = 'hx-target="closest td" hx-swap="outerHTML"'
    if actions.get("edit"):
        parts.append('<button type="button" class="js-edit">Edit</button>\n')
    if actions.get("submit"):
        parts.append(
            f"<button hx-post=\"{urls.of_action(cell.language, first, 'submit')}\" hx-vals='{{{vals}}}' {swap}>"
            "Submit</button>\n"
        )
    if actions.get("approve"):
        errors = cell.error_findings
        if errors:
            messages = "; ".join(escape(finding.get("message", "")) for finding in errors)
            plural = "" if len(errors) == 1 else "s"
            confirm = (
                f'hx-confirm="This version has {len(errors)} error-level finding{plural}: {messages}.'
                ' Approve it anyway?" '
            )
            acknowledge = ', "acknowledge_findings": "1"'
        else:
            confirm = acknowledge = ""
        parts.append(
            f'<button class="approve" hx-post="{urls.of_action(cell.language, first, "approve")}"'
            f" hx-vals='{{{vals}{acknowledge}}}' {confirm}{swap}>Approve</button>\n"
        )
    if actions.get("reject"):
        parts.append(
            f'<button class="reject" hx-get="{cell_url}?rows={rowspan}&amp;mode=reject" {swap}>Reject…</button>\n'
        )
    if actions.get("reopen"):
        parts.append(
            f"<button hx-post=\"{urls.of_action(cell.language, first, 'reopen')}\" hx-vals='{{{vals}}}' {swap}>"
            "Reopen</button>\n"
        )
    parts.append(
        f'<button type="button" hx-get="{history_url}" hx-target="#panel" hx-swap="innerHTML">History</button>\n'
        "</div>\n</td>"
    )
    return "".join(parts)


def _findings_html(findings: list[dict]) -> str:
    items = "".join(
        f'<li class="finding severity-{escape(str(f.get("severity", "")))}" data-code="{escape(str(f.get("code", "")))}">'
        f'<span class="code">{escape(str(f.get("code", "")))}</span><span class="visually-hidden">:</span> '
        f'<span class="finding-message">{escape(str(f.get("message", "")))}</span></li>'
        for f in findings
    )
    return f'<ul class="findings" aria-label="Quality findings">{items}</ul>'
