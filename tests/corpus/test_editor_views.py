"""The browser editor's views, through the Django test client: every fragment, the workflow actions,
conflicts, permissions, escaping, CSRF and query counts."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.models import Revision, Translation
from tests.factories import make_document, make_user
from translations import services

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"

pytestmark = pytest.mark.django_db


# --- helpers ------------------------------------------------------------------------------------


def editor_url(document, **query):
    url = reverse("editor:editor", args=[document.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows_url(document, after, extra=""):
    return reverse("editor:editor-rows", args=[document.pk]) + f"?after={after}{extra}"


def cell_url(document, language, position, mode=None):
    url = reverse("editor:cell", args=[document.pk, language, position])
    return url + (f"?mode={mode}" if mode else "")


def save_url(document, language, position):
    return reverse("editor:cell-save", args=[document.pk, language, position])


def action_url(document, language, position, action):
    return reverse("editor:cell-action", args=[document.pk, language, position, action])


_COMPOUND = re.compile(r'([a-z0-9]*)((?:\.[\w-]+|\[[\w-]+(?:="[^"]*")?\])*)')
_PART = re.compile(r'\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]')


def css_to_xpath(selector: str) -> str:
    """The few CSS selectors these tests use (tag, .class, [attr], [attr="value"], descendant), as XPath."""
    steps = []
    for index, compound in enumerate(selector.split()):
        tag, rest = _COMPOUND.fullmatch(compound).groups()
        step = ("descendant-or-self::" if index == 0 else "descendant::") + (tag or "*")
        for cls, attr, value in _PART.findall(rest):
            if cls:
                step += f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
            elif value or f'{attr}=""' in rest:
                step += f"[@{attr}='{value}']"
            else:
                step += f"[@{attr}]"
        steps.append(step)
    return "/".join(steps)


def select(element, selector: str) -> list:
    return element.xpath(css_to_xpath(selector))


def html(response):
    return response.content.decode()


def tree(response):
    return lxml.html.fromstring(response.content.decode())


def only_cell(response):
    """The one <td class="cell"> of a cell fragment."""
    cells = lxml.html.fragments_fromstring(response.content.decode())
    tds = [c for c in cells if getattr(c, "tag", None) == "td"]
    assert len(tds) == 1, response.content.decode()
    return tds[0]


def positions(response):
    return [int(p) for p in re.findall(r'<tr class="row[^"]*" data-position="(\d+)"', html(response))]


def login(client, user):
    client.force_login(user)
    return client


def create(document, language, position, text, actor, *, submit=False, last=None):
    t = services.translation_create(
        document=document,
        language=language,
        first_position=position,
        last_position=last,
        text=text,
        actor=actor,
    )
    if submit:
        t = services.translation_submit(translation=t, version=t.version, actor=actor)
    return t


def document_with_rows(count: int):
    text = "".join(f"第{i}段讲到一个问题。\n" for i in range(count))
    return make_document(text)


# --- the page and the rows fragment -------------------------------------------------------------


def test_editor_page_renders_first_page_of_rows_with_cells_for_each_language(client, seed, translator_en):
    login(client, translator_en)
    response = client.get(editor_url(seed))
    assert response.status_code == 200
    page = tree(response)
    rows = select(page, "tr[data-position]")
    assert [int(r.get("data-position")) for r in rows] == list(range(100))
    en_cells = select(page, 'td.cell[data-language="en"]')
    assert len(en_cells) == 100
    assert {c.get("data-status") for c in en_cells} == {"untranslated"}
    # more rows load lazily, and the translator sees a Translate button in en, not in ko
    more = select(page, "tr.more button")[0]
    assert "after=99" in more.get("hx-get")
    first_en = select(page, 'td.cell[data-language="en"][data-first="0"]')[0]
    assert select(first_en, "button.js-edit")
    first_ko = select(page, 'td.cell[data-language="ko"][data-first="0"]')[0]
    assert not select(first_ko, "button.js-edit") and "untranslated" in first_ko.text_content()


def test_a_span_is_one_cell_with_a_rowspan(client, seed, document, translator_en):
    login(client, translator_en)
    # the Korean line of the seed: a submitted span imported with the source
    ko = Translation.objects.get(document=seed, language="ko")
    page = tree(client.get(rows_url(seed, ko.first_position - 1)))
    ko_cell = select(page, f'td.cell[data-language="ko"][data-first="{ko.first_position}"]')[0]
    assert (ko_cell.get("data-status"), ko_cell.get("data-last")) == ("submitted", str(ko.last_position))
    assert ko.text in ko_cell.text_content()
    # an en span over segments 1..2: one cell with rowspan 2, the row of segment 2 has no en cell
    create(document, "en", 1, "Two sentences together", translator_en, last=2)
    page = tree(client.get(editor_url(document)))
    en = select(page, 'td.cell[data-language="en"]')
    assert [(c.get("data-first"), c.get("data-last"), c.get("rowspan")) for c in en] == [
        ("0", "0", None),
        ("1", "2", "2"),
        *[(str(p), str(p), None) for p in range(3, document.segments.count())],
    ]
    assert len(select(page, 'td.cell[data-language="ko"]')) == document.segments.count()
    row2 = select(page, 'tr[data-position="2"]')[0]
    assert not select(row2, 'td.cell[data-language="en"]')
    # the cell fragment of a covered position is the whole span
    td = only_cell(client.get(cell_url(document, "en", 2) + "?rows=2"))
    assert (td.get("data-first"), td.get("data-last"), td.get("rowspan")) == ("1", "2", "2")


def test_rows_fragment_continues_after_a_position_and_keeps_the_filters(client, seed, translator_en):
    login(client, translator_en)
    response = client.get(rows_url(seed, 99))
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert positions(response) == list(range(100, 200))
    assert "after=199" in html(response)
    last = client.get(rows_url(seed, 199))
    assert positions(last) == list(range(200, 215))
    assert "Load more" not in html(last)
    # a filter: only headings, and the next-page link keeps it
    headings = client.get(rows_url(seed, -1, "&kind=heading"))
    found = positions(headings)
    assert found and all(seed.segments.get(position=p).kind == "heading" for p in found)
    assert len(found) == seed.segments.filter(kind="heading").count()


def test_rows_fragment_status_filter_and_hidden_language(client, document, translator_en):
    create(document, "en", 1, "The first sentence", translator_en, submit=True)
    login(client, translator_en)
    response = client.get(rows_url(document, -1, "&status_en=submitted&hide=ko"))
    assert positions(response) == [1]
    assert 'data-language="ko"' not in html(response)
    assert 'data-language="en"' in html(response)
    untranslated = client.get(rows_url(document, -1, "&status_en=untranslated"))
    assert 1 not in positions(untranslated) and 0 in positions(untranslated)


def test_rows_fragment_paginates_with_a_filter_link(client, translator_en):
    document = document_with_rows(130)
    login(client, translator_en)
    response = client.get(rows_url(document, -1, "&status_en=untranslated"))
    assert positions(response) == list(range(100))
    link = select(tree(response), "tr.more button")[0].get("hx-get")
    assert "after=99" in link and "status_en=untranslated" in link
    assert link.count("after=") == 1
    rest = client.get(link)
    assert positions(rest) == list(range(100, 130))


# --- the cell fragment --------------------------------------------------------------------------


def test_cell_view_mode_untranslated(client, document, translator_en, translator_ko):
    login(client, translator_en)
    td = only_cell(client.get(cell_url(document, "en", 1)))
    assert (td.get("data-status"), td.get("data-first"), td.get("data-last")) == ("untranslated", "1", "1")
    assert select(td, "button.js-edit") and not select(td, "textarea")
    login(client, translator_ko)
    td = only_cell(client.get(cell_url(document, "en", 1)))
    assert not select(td, "button.js-edit")


def test_cell_edit_mode_shows_the_text_and_version(client, document, translator_en):
    t = create(document, "en", 1, "Hello & goodbye", translator_en)
    login(client, translator_en)
    response = client.get(cell_url(document, "en", 1, "edit"))
    td = only_cell(response)
    assert "open" in td.get("class").split()
    assert select(td, "textarea")[0].text == "Hello & goodbye"
    assert select(td, 'input[name="version"]')[0].get("value") == str(t.version)
    assert select(td, "form.cell-form")[0].get("hx-post") == save_url(document, "en", 1)


def test_cell_edit_mode_of_a_span_from_a_covered_position(client, document, translator_en):
    t = create(document, "en", 1, "Two sentences together", translator_en, last=2)
    login(client, translator_en)
    td = only_cell(client.get(cell_url(document, "en", 2, "edit") + "&rows=2"))
    assert (td.get("data-first"), td.get("data-last"), td.get("rowspan")) == ("1", "2", "2")
    assert select(td, "textarea")[0].text == t.text


def test_cell_reject_mode_for_an_editor(client, document, translator_en, editor):
    create(document, "en", 0, "Title", translator_en, submit=True)
    login(client, editor)
    td = only_cell(client.get(cell_url(document, "en", 0, "reject")))
    form = select(td, "form.reject-form")[0]
    assert form.get("hx-post") == action_url(document, "en", 0, "reject")
    assert select(form, 'textarea[name="reason"]')
    assert not select(td, "button.reject")  # the Reject… opener is hidden while the form is open
    assert select(td, "button.approve")


def test_cell_unknown_mode_is_view_and_unknown_cells_are_404(client, document, translator_en):
    login(client, translator_en)
    td = only_cell(client.get(cell_url(document, "en", 0, "bogus")))
    assert not select(td, "textarea") and not select(td, "form")
    assert client.get(cell_url(document, "xx", 0)).status_code == 404
    assert client.get(cell_url(document, "en", 999)).status_code == 404
    assert client.get(reverse("editor:cell", args=[987654, "en", 0])).status_code == 404


# --- saving -------------------------------------------------------------------------------------


def test_save_creates_a_draft_and_triggers_saved(client, document, translator_en):
    login(client, translator_en)
    response = client.post(save_url(document, "en", 1), {"text": "  First sentence  ", "version": ""})
    assert response.status_code == 200
    t = Translation.objects.get(document=document, language="en")
    assert (t.text, t.status, t.version, t.first_position, t.author) == (
        "First sentence",
        "draft",
        1,
        1,
        translator_en,
    )
    td = only_cell(response)
    assert td.get("data-status") == "draft" and td.get("data-version") == "1"
    assert "First sentence" in select(td, ".text")[0].text_content()
    assert json.loads(response["HX-Trigger"]) == {"workbench:saved": {"language": "en", "last": 1}}


def test_save_updates_and_save_and_submit(client, document, translator_en):
    t = create(document, "en", 1, "Old text", translator_en)
    login(client, translator_en)
    response = client.post(save_url(document, "en", 1), {"text": "New text", "version": "1"})
    t.refresh_from_db()
    assert (t.text, t.version, t.status) == ("New text", 2, "draft")
    assert only_cell(response).get("data-version") == "2"
    response = client.post(
        save_url(document, "en", 1), {"text": "Newer text", "version": "2", "and_submit": "1"}
    )
    t.refresh_from_db()
    assert (t.text, t.version, t.status) == ("Newer text", 4, "submitted")
    assert only_cell(response).get("data-status") == "submitted"
    assert list(t.revisions.order_by("id").values_list("action", flat=True)) == [
        "create",
        "edit",
        "edit",
        "submit",
    ]


def test_save_new_translation_and_submit(client, document, translator_en):
    login(client, translator_en)
    client.post(save_url(document, "en", 0), {"text": "Title", "version": "", "and_submit": "1"})
    t = Translation.objects.get(document=document, language="en")
    assert (t.status, t.version) == ("submitted", 2)


def test_save_with_an_invalid_text_keeps_what_was_typed_and_shows_the_error(client, document, translator_en):
    t = create(document, "en", 1, "Text", translator_en, submit=True)
    login(client, translator_en)
    response = client.post(save_url(document, "en", 1), {"text": "   ", "version": str(t.version)})
    assert response.status_code == 200
    td = only_cell(response)
    assert "is empty: nothing was saved" in select(td, ".cell-error")[0].text_content()
    assert select(td, "textarea")
    t.refresh_from_db()
    assert t.text == "Text"


def test_stale_save_shows_the_conflict_with_both_texts_then_keep_mine(client, document, translator_en):
    other = make_user("translator", ["en"])
    t = create(document, "en", 1, "Original", translator_en)
    services.translation_save(translation=t, text="Theirs wins the race", version=1, actor=other)
    login(client, translator_en)
    response = client.post(save_url(document, "en", 1), {"text": "Mine came second", "version": "1"})
    assert response.status_code == 200
    td = only_cell(response)
    assert "open" in td.get("class").split()
    conflict = select(td, ".conflict")[0]
    assert "Theirs wins the race" in select(conflict, ".theirs")[0].text_content()
    assert other.username in select(conflict, ".theirs h4")[0].text_content()
    mine = select(conflict, "form.mine")[0]
    assert select(mine, "textarea")[0].text == "Mine came second"
    assert select(mine, 'input[name="version"]')[0].get("value") == "2"
    t.refresh_from_db()
    assert (t.text, t.version) == ("Theirs wins the race", 2)
    assert "HX-Trigger" not in response
    # "Keep mine": the form posts my text on their version
    response = client.post(
        mine.get("hx-post"), {"text": select(mine, "textarea")[0].text, "version": "2", "rows": "1"}
    )
    t.refresh_from_db()
    assert (t.text, t.version) == ("Mine came second", 3)
    assert only_cell(response).get("data-status") == "draft"
    texts = list(t.revisions.values_list("text", flat=True))
    assert "Theirs wins the race" in texts and "Mine came second" in texts


def test_two_users_translating_the_same_untranslated_cell_get_a_conflict(client, document, translator_en):
    """Both opened the empty cell (the form has no version); the second save must not overwrite."""
    other = make_user("translator", ["en"])
    create(document, "en", 1, "The first one", other)
    login(client, translator_en)
    response = client.post(save_url(document, "en", 1), {"text": "The second one", "version": ""})
    assert response.status_code == 200
    td = only_cell(response)
    assert select(td, ".conflict"), html(response)
    assert "The first one" in select(td, ".theirs")[0].text_content()
    assert select(td, "form.mine textarea")[0].text == "The second one"
    assert Translation.objects.get(document=document, language="en").text == "The first one"


# --- actions ------------------------------------------------------------------------------------


def test_submit_action(client, document, translator_en):
    t = create(document, "en", 1, "Text", translator_en)
    login(client, translator_en)
    response = client.post(action_url(document, "en", 1, "submit"), {"version": "1", "rows": "1"})
    t.refresh_from_db()
    assert (t.status, t.version) == ("submitted", 2)
    td = only_cell(response)
    assert td.get("data-status") == "submitted"
    assert "Submitted" in select(td, ".badge")[0].text_content()


def test_approve_then_reopen(client, document, translator_en, editor):
    t = create(document, "en", 1, "Text", translator_en, submit=True)
    login(client, editor)
    response = client.post(action_url(document, "en", 1, "approve"), {"version": "2"})
    t.refresh_from_db()
    assert t.status == "approved"
    td = only_cell(response)
    assert td.get("data-status") == "approved"
    reopen = [b for b in select(td, "button") if b.text_content().strip() == "Reopen"]
    assert reopen and reopen[0].get("hx-post") == action_url(document, "en", 1, "reopen")
    response = client.post(action_url(document, "en", 1, "reopen"), {"version": "3"})
    t.refresh_from_db()
    assert (t.status, t.version) == ("submitted", 4)
    assert only_cell(response).get("data-status") == "submitted"


def test_reject_needs_a_reason_and_shows_the_error_in_the_cell(client, document, translator_en, editor):
    t = create(document, "en", 1, "Text", translator_en, submit=True)
    login(client, editor)
    response = client.post(action_url(document, "en", 1, "reject"), {"version": "2", "reason": "  "})
    assert response.status_code == 200
    td = only_cell(response)
    assert "needs a reason" in select(td, ".cell-error")[0].text_content()
    assert select(td, "form.reject-form")  # still in reject mode, to type the reason
    t.refresh_from_db()
    assert (t.status, t.version) == ("submitted", 2)

    response = client.post(
        action_url(document, "en", 1, "reject"), {"version": "2", "reason": "Use the term 'globalisation'"}
    )
    t.refresh_from_db()
    assert (t.status, t.comment) == ("rejected", "Use the term 'globalisation'")
    td = only_cell(response)
    assert td.get("data-status") == "rejected"
    assert select(td, ".reason-text")[0].text_content() == "Use the term 'globalisation'"
    # the translator sees the reason too
    login(client, translator_en)
    td = only_cell(client.get(cell_url(document, "en", 1)))
    assert select(td, ".reason-text")[0].text_content() == "Use the term 'globalisation'"


def test_translator_cannot_approve(client, document, translator_en):
    t = create(document, "en", 1, "Text", translator_en, submit=True)
    login(client, translator_en)
    response = client.post(action_url(document, "en", 1, "approve"), {"version": "2"})
    assert response.status_code == 200
    assert "Only editors review" in select(only_cell(response), ".cell-error")[0].text_content()
    t.refresh_from_db()
    assert t.status == "submitted"
    # and has no approve button
    td = only_cell(client.get(cell_url(document, "en", 1)))
    assert not select(td, "button.approve") and not select(td, "button.reject")


def test_editor_cannot_approve_their_own_text(client, document, editor):
    t = create(document, "en", 1, "Text", editor, submit=True)
    login(client, editor)
    response = client.post(action_url(document, "en", 1, "approve"), {"version": "2"})
    assert "Four-eyes" in select(only_cell(response), ".cell-error")[0].text_content()
    t.refresh_from_db()
    assert t.status == "submitted"


def test_stale_action_is_refused_with_a_message(client, document, translator_en, editor):
    t = create(document, "en", 1, "Text", translator_en, submit=True)
    login(client, editor)
    response = client.post(action_url(document, "en", 1, "approve"), {"version": "1"})
    td = only_cell(response)
    assert "changed this meanwhile" in select(td, ".cell-error")[0].text_content()
    assert td.get("data-version") == "2"
    t.refresh_from_db()
    assert t.status == "submitted"


def test_unknown_action_or_no_translation_is_404(client, document, translator_en, editor):
    create(document, "en", 1, "Text", translator_en, submit=True)
    login(client, editor)
    assert client.post(action_url(document, "en", 1, "delete"), {"version": "2"}).status_code == 404
    assert client.post(action_url(document, "en", 0, "approve"), {"version": "1"}).status_code == 404
    assert client.get(action_url(document, "en", 1, "approve")).status_code == 405


# --- bulk approve -------------------------------------------------------------------------------


def test_bulk_approve_counts_and_four_eyes_skips(client, translator_en, editor):
    document = document_with_rows(6)
    theirs = [create(document, "en", p, f"Sentence {p}", translator_en, submit=True) for p in (0, 1, 2)]
    own = create(document, "en", 3, "Editor's own", editor, submit=True)
    draft = create(document, "en", 4, "Still a draft", translator_en)
    ko = create(document, "ko", 0, "한국어", make_user("translator", ["ko"]), submit=True)
    login(client, editor)
    response = client.post(reverse("editor:bulk-approve", args=[document.pk]), {"language": "en"})
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"workbench:bulk": {"language": "en"}}
    page = html(response)
    assert "Approved 3 en translations; skipped 1:" in page
    assert f"#{own.pk}: Four-eyes review" in page
    statuses = dict(Translation.objects.filter(document=document).values_list("pk", "status"))
    assert [statuses[t.pk] for t in theirs] == ["approved"] * 3
    assert statuses[own.pk] == "submitted"
    assert statuses[draft.pk] == "draft"
    assert statuses[ko.pk] == "submitted"


def test_bulk_approve_only_in_the_filtered_view(client, translator_en, editor):
    document = make_document("测试标题\n第一句话。第二句话。\n")
    heading = create(document, "en", 0, "Test title", translator_en, submit=True)
    body = create(document, "en", 1, "First sentence.", translator_en, submit=True)
    login(client, editor)
    response = client.post(
        reverse("editor:bulk-approve", args=[document.pk]), {"language": "en", "kind": "heading"}
    )
    assert "Approved 1 en translation" in html(response) and "skipped" not in html(response)
    heading.refresh_from_db()
    body.refresh_from_db()
    assert (heading.status, body.status) == ("approved", "submitted")


def test_bulk_approve_by_a_translator_approves_nothing(client, document, translator_en):
    t = create(document, "en", 0, "Title", translator_en, submit=True)
    login(client, translator_en)
    response = client.post(reverse("editor:bulk-approve", args=[document.pk]), {"language": "en"})
    assert "Approved 0 en translations; skipped 1:" in html(response)
    assert "Only editors review" in html(response)
    t.refresh_from_db()
    assert t.status == "submitted"
    assert (
        client.post(reverse("editor:bulk-approve", args=[document.pk]), {"language": "xx"}).status_code == 404
    )


# --- history ------------------------------------------------------------------------------------


def test_history_shows_each_revision_newest_first_with_word_diffs(client, document, translator_en, editor):
    t = create(document, "en", 1, "The old words stay", translator_en)
    t = services.translation_save(translation=t, text="The new words stay", version=1, actor=translator_en)
    t = services.translation_submit(translation=t, version=2, actor=translator_en)
    t = services.translation_reject(translation=t, version=3, reason="Tone", actor=editor)
    login(client, translator_en)
    response = client.get(reverse("editor:history", args=[t.pk]))
    assert response.status_code == 200
    items = select(tree(response), "li.revision")
    assert [i.get("class").split()[1] for i in items] == [
        "action-reject",
        "action-submit",
        "action-edit",
        "action-create",
    ]
    edit = items[2]
    assert [e.text for e in select(edit, ".diff del")] == ["old"]
    assert [e.text for e in select(edit, ".diff ins")] == ["new"]
    assert select(edit, ".diff")[0].text_content() == "The oldnew words stay"
    assert select(items[0], ".rev-comment")[0].text_content() == "Tone"
    assert editor.username in select(items[0], ".rev-meta")[0].text_content()
    create_diff = select(items[3], ".diff ins")
    assert [e.text for e in create_diff] == ["The old words stay"]


def test_history_of_an_unknown_translation_is_404(client, translator_en):
    login(client, translator_en)
    assert client.get(reverse("editor:history", args=[987654])).status_code == 404


# --- permissions --------------------------------------------------------------------------------


def test_korean_translator_cannot_save_an_english_cell(client, document, translator_ko):
    login(client, translator_ko)
    response = client.post(save_url(document, "en", 1), {"text": "Sneaky", "version": ""})
    assert response.status_code == 200
    td = only_cell(response)
    assert "do not work in the language 'en'" in select(td, ".cell-error")[0].text_content()
    assert select(td, "textarea")[0].text == "Sneaky"
    assert not Translation.objects.filter(document=document, language="en").exists()


def test_korean_translator_cannot_change_an_english_translation(
    client, document, translator_en, translator_ko
):
    t = create(document, "en", 1, "Honest", translator_en)
    login(client, translator_ko)
    response = client.post(save_url(document, "en", 1), {"text": "Sneaky", "version": "1"})
    assert "do not work in the language 'en'" in tree(response).text_content()
    client.post(action_url(document, "en", 1, "submit"), {"version": "1"})
    t.refresh_from_db()
    assert (t.text, t.status, t.version) == ("Honest", "draft", 1)
    assert t.revisions.count() == 1


def test_anonymous_is_redirected_to_login_everywhere(client, document, translator_en):
    t = create(document, "en", 1, "Text", translator_en)
    for url in [
        editor_url(document),
        rows_url(document, -1),
        cell_url(document, "en", 1, "edit"),
        reverse("editor:history", args=[t.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = client.post(save_url(document, "en", 1), {"text": "Anonymous", "version": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    t.refresh_from_db()
    assert t.text == "Text"


def test_post_without_csrf_token_is_refused(document, translator_en):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(translator_en)
    response = csrf_client.post(save_url(document, "en", 1), {"text": "Forged", "version": ""})
    assert response.status_code == 403
    response = csrf_client.post(reverse("editor:bulk-approve", args=[document.pk]), {"language": "en"})
    assert response.status_code == 403
    assert not Translation.objects.filter(document=document, language="en").exists()
    # with the token the page puts into hx-headers, the same POST goes through
    page = csrf_client.get(editor_url(document))
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html(page)).group(1)
    response = csrf_client.post(
        save_url(document, "en", 1), {"text": "Genuine", "version": ""}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert Translation.objects.get(document=document, language="en").text == "Genuine"


# --- escaping -----------------------------------------------------------------------------------


def assert_escaped(response, *, expect_evil=True):
    page = html(response)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "onerror=alert(2)>" not in page.replace(EVIL_ESCAPED, "")
    if expect_evil:
        assert EVIL_ESCAPED in page or "&lt;script&gt;alert(1)" in page


def test_hostile_text_reason_and_username_are_escaped_in_every_fragment(client, document):
    from django.contrib.auth import get_user_model

    from corpus.accounts import account_create
    from tests.factories import PASSWORD

    bad_translator = account_create(username=EVIL, password=PASSWORD, role="translator")
    bad_editor = account_create(username=EVIL + "e", password=PASSWORD, role="editor")
    assert get_user_model().objects.filter(username=EVIL).exists()
    t = create(document, "en", 1, EVIL, bad_translator, submit=True)
    t = services.translation_reject(translation=t, version=t.version, reason=EVIL, actor=bad_editor)
    submitted = create(document, "en", 2, EVIL + " two", bad_translator, submit=True)
    create(document, "ko", 1, EVIL, bad_translator)

    login(client, bad_editor)
    responses = {
        "page": client.get(editor_url(document)),
        "rows": client.get(rows_url(document, 0)),
        "view": client.get(cell_url(document, "en", 1)),
        "edit": client.get(cell_url(document, "en", 1, "edit")),
        "reject": client.get(cell_url(document, "en", 2, "reject")),
        "history": client.get(reverse("editor:history", args=[t.pk])),
        "filtered": client.get(editor_url(document, q_target="%3Cscript%3E")),
    }
    # conflict: their text and my text, both hostile
    services.translation_save(translation=submitted, text=EVIL + " three", version=2, actor=bad_translator)
    responses["conflict"] = client.post(save_url(document, "en", 2), {"text": EVIL + " mine", "version": "2"})
    responses["error"] = client.post(save_url(document, "en", 2), {"text": EVIL + " four", "version": "x"})
    responses["bulk"] = client.post(reverse("editor:bulk-approve", args=[document.pk]), {"language": "ko"})
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert_escaped(response, expect_evil=name != "bulk")
    assert "conflict" in html(responses["conflict"])
    assert html(responses["conflict"]).count("&lt;script&gt;alert(1)") >= 3  # theirs, their name, mine
    view = only_cell(responses["view"])
    assert select(view, ".reason-text")[0].text_content() == EVIL
    assert select(view, ".text")[0].text_content() == EVIL
    assert EVIL in select(view, ".who")[0].text_content()
    assert not select(view, "script") and not select(view, "img")
    history = tree(responses["history"])
    assert not select(history, "script") and not select(history, "img")
    assert select(history, ".rev-comment")[0].text_content() == EVIL
    page = tree(responses["page"])
    assert not select(page, "main script") and not select(page, "main img")
    assert Revision.objects.filter(translation=t, comment=EVIL).exists()


# --- query counts -------------------------------------------------------------------------------


def _fill(document, rows, translator, editor):
    """Every row translated in en (alternating statuses) and every third in ko."""
    for position in range(rows):
        t = create(document, "en", position, f"Sentence {position}", translator, submit=position % 2 == 0)
        if position % 4 == 0:
            services.translation_approve(translation=t, version=t.version, actor=editor)
        if position % 3 == 0:
            create(document, "ko", position, f"문장 {position}", editor)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_editor_page_and_rows_fragment_queries_do_not_grow_with_rows(client, translator_en, editor):
    small, large = document_with_rows(10), document_with_rows(100)
    bigger = make_user("translator")
    _fill(small, 10, translator_en, editor)
    _fill(large, 100, bigger, editor)
    login(client, editor)
    _count(client, editor_url(small))  # warm the session and caches
    small_page, response = _count(client, editor_url(small))
    assert len(select(tree(response), "tr[data-position]")) == 10
    large_page, response = _count(client, editor_url(large))
    assert len(select(tree(response), "tr[data-position]")) == 100
    assert large_page == small_page
    small_rows, _ = _count(client, rows_url(small, -1))
    large_rows, response = _count(client, rows_url(large, -1))
    assert positions(response) == list(range(100))
    assert large_rows == small_rows
    # session, user, document, segments, their spans, glossary terms, roles and languages
    assert large_rows <= 7


def test_cell_fragments_cost_a_fixed_number_of_queries(
    client, document, translator_en, editor, django_assert_max_num_queries
):
    create(document, "en", 1, "Text", translator_en, submit=True)
    create(document, "en", 2, "Span", translator_en, last=3)
    login(client, editor)
    client.get(cell_url(document, "en", 0))
    for url in [
        cell_url(document, "en", 0),
        cell_url(document, "en", 1),
        cell_url(document, "en", 1, "edit"),
        cell_url(document, "en", 1, "reject"),
        cell_url(document, "en", 3, "edit") + "&rows=2",
    ]:
        with django_assert_max_num_queries(7):
            assert client.get(url).status_code == 200


def test_history_queries_do_not_grow_with_revisions(client, document, translator_en, editor):
    t = create(document, "en", 1, "v1", translator_en)
    login(client, editor)
    few, _ = _count(client, reverse("editor:history", args=[t.pk]))
    for n in range(2, 12):
        t = services.translation_save(translation=t, text=f"v{n}", version=t.version, actor=translator_en)
    many, response = _count(client, reverse("editor:history", args=[t.pk]))
    assert len(select(tree(response), "li.revision")) == 11
    assert many == few


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["status_en=bogus", "kind=bogus"])
def test_an_unknown_filter_value_is_a_client_error_not_a_crash(client, document, translator_en, query):
    login(client, translator_en)
    assert client.get(editor_url(document) + "?" + query).status_code == 400
    assert client.get(rows_url(document, -1, "&" + query)).status_code == 400


def test_rows_fragment_with_a_bad_after_starts_at_the_top(client, document, translator_en):
    login(client, translator_en)
    assert positions(client.get(rows_url(document, "x")))[0] == 0


def test_bulk_approve_with_an_unknown_filter_value_is_a_client_error(client, document, translator_en, editor):
    t = create(document, "en", 0, "Title", translator_en, submit=True)
    login(client, editor)
    url = reverse("editor:bulk-approve", args=[document.pk])
    assert client.post(url, {"language": "en", "status_en": "bogus"}).status_code == 400
    t.refresh_from_db()
    assert t.status == "submitted"


@pytest.mark.django_db
def test_progress_fragment_follows_saves(client, seed, translator_en, django_assert_max_num_queries):
    client.force_login(translator_en)
    url = f"/documents/{seed.pk}/progress/"
    html = client.get(url).content.decode()
    assert 'id="progress"' in html and "215 untranslated" in html
    saved = client.post(f"/documents/{seed.pk}/cells/en/0/save/", {"text": "Editor's note.", "version": ""})
    assert "workbench:saved" in saved["HX-Trigger"]
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert "1 draft" in html and "214 untranslated" in html
