"""The browser alignment view through the Django test client: units, scores, ordering, preview and
apply through the paste form, the fix forms, escaping and query counts."""

from __future__ import annotations

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from corpus.models import Translation
from tests.alignment.test_services import SMALL, approved, draft, gold, gold_document, live, snapshot
from tests.factories import make_document

COUNT = 12
EVIL = "<script>alert(1)</script>"
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

pytestmark = pytest.mark.django_db


def view_url(document, **query) -> str:
    query = {"language": "en", **query}
    return (
        reverse("alignment:view", args=[document.pk]) + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    )


def paste_url(document) -> str:
    return reverse("alignment:paste", args=[document.pk])


def fix_url(document, action: str) -> str:
    return reverse("alignment:fix", args=[document.pk, action])


def tree(response):
    return lxml.html.fromstring(response.content.decode())


def rows(response) -> list:
    return tree(response).xpath("//table[contains(@class, 'alignment')]/tbody/tr[@data-first]")


def messages_of(response) -> list[tuple[str, str]]:
    return [
        (li.get("class"), li.text_content().strip())
        for li in tree(response).xpath("//ul[@class='messages']/li")
    ]


def with_units(document, scores: list[float | None]) -> list[Translation]:
    """One draft per segment, with the given scores, written directly (a read-only page needs no history)."""
    now = timezone.now()
    return Translation.objects.bulk_create(
        Translation(
            document=document,
            language="en",
            first_position=position,
            last_position=position,
            text=f"Sentence number {position}.",
            origin=Translation.Origin.ALIGNED,
            score=score,
            updated_at=now,
        )
        for position, score in enumerate(scores)
    )


@pytest.fixture
def pud(db):
    return gold_document(COUNT)


@pytest.fixture
def small(db):
    return make_document(SMALL)


# --- the page ------------------------------------------------------------------------------------


def test_page_lists_units_with_scores_and_marks_low_ones(client, small, translator_en):
    with_units(small, [0.9, 0.3, None, 0.49, 0.5, 0.75])
    client.force_login(translator_en)
    response = client.get(view_url(small))
    assert response.status_code == 200
    found = rows(response)
    assert [int(r.get("data-first")) for r in found] == [0, 1, 2, 3, 4, 5]
    scores = [r.xpath("td[contains(@class, 'num')]")[0].text_content().strip() for r in found]
    assert scores == ["0.90", "0.30", "–", "0.49", "0.50", "0.75"]
    low = [int(r.get("data-first")) for r in found if "low" in r.get("class").split()]
    assert low == [1, 3]
    assert "Sentence number 4." in found[4].text_content()


def test_worst_first_ordering(client, small, translator_en):
    with_units(small, [0.9, 0.3, None, 0.49, 0.5, 0.1])
    client.force_login(translator_en)
    response = client.get(view_url(small, order="worst"))
    assert [int(r.get("data-first")) for r in rows(response)] == [5, 1, 3, 4, 0, 2]
    # the fix forms keep the ordering for the redirect
    assert tree(response).xpath("//form//input[@name='order']/@value")[0] == "worst"


def test_page_for_an_unknown_language_is_404_and_anonymous_is_sent_to_login(client, small, translator_en):
    response = client.get(view_url(small))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(translator_en)
    assert client.get(view_url(small, language="xx")).status_code == 404


def test_user_text_is_escaped(client, small, translator_en):
    draft(small, 0, f"Before {EVIL} after.", translator_en)
    client.force_login(translator_en)
    page = client.get(view_url(small)).content.decode()
    assert EVIL not in page
    assert EVIL_ESCAPED in page
    preview = client.post(
        paste_url(small), {"language": "en", "mode": "preview", "text": f"One. {EVIL}\nTwo."}
    )
    assert preview.status_code == 200
    body = preview.content.decode()
    assert EVIL not in body
    assert EVIL_ESCAPED in body


def test_page_query_count_does_not_grow_with_units(client, translator_en):
    small_doc = make_document("".join(f"第{i}段的句子。\n" for i in range(10)))
    big_doc = make_document("".join(f"第{i}段的句子。\n" for i in range(60)))
    with_units(small_doc, [0.2 + i / 20 for i in range(10)])
    with_units(big_doc, [(i % 10) / 10 for i in range(60)])
    client.force_login(translator_en)
    client.get(view_url(small_doc))  # warm the session and per-process caches
    counts = []
    for document, expected in ((small_doc, 10), (big_doc, 60)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(view_url(document))
        assert len(rows(response)) == expected
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- paste: preview and apply --------------------------------------------------------------------


def test_preview_shows_the_plan_without_writing(client, pud, translator_en):
    client.force_login(translator_en)
    before = snapshot(pud)
    en = gold("en", COUNT)
    response = client.post(paste_url(pud), {"language": "en", "mode": "preview", "text": "\n".join(en)})
    assert response.status_code == 200
    assert snapshot(pud) == before
    found = rows(response)
    assert len(found) == COUNT
    assert en[3] in found[3].text_content()
    assert "Preview" in tree(response).xpath("//h2")[0].text_content()
    # the pasted text is kept in the form for a second try
    assert tree(response).xpath("//textarea[@name='text']")[0].text_content().strip() == "\n".join(en)


def test_apply_via_the_paste_form_writes_and_redirects_with_a_message(client, pud, translator_en):
    client.force_login(translator_en)
    en = gold("en", COUNT)
    response = client.post(paste_url(pud), {"language": "en", "mode": "apply", "text": "\n".join(en)})
    assert response.status_code == 302
    assert response["Location"] == view_url(pud)
    assert [t.text for t in live(pud)] == en
    page = client.get(response["Location"])
    ((kind, text),) = messages_of(page)
    assert "success" in kind
    assert f"Aligned {COUNT} sentences into {COUNT} units" in text
    assert len(rows(page)) == COUNT


def test_apply_via_an_uploaded_file(client, pud, translator_en):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(translator_en)
    data = "\n".join(gold("en", COUNT)).encode()
    response = client.post(
        paste_url(pud), {"language": "en", "mode": "apply", "file": SimpleUploadedFile("en.txt", data)}
    )
    assert response.status_code == 302
    assert len(live(pud)) == COUNT


@pytest.mark.parametrize(
    ("user", "payload", "message"),
    [
        ("translator_en", {"text": "  "}, "no sentences"),
        ("translator_ko", {"text": "Hello there."}, "language"),
    ],
)
def test_paste_errors_are_messages_and_change_nothing(client, pud, request, user, payload, message):
    client.force_login(request.getfixturevalue(user))
    before = snapshot(pud)
    response = client.post(paste_url(pud), {"language": "en", "mode": "apply", **payload}, follow=True)
    assert snapshot(pud) == before
    ((kind, text),) = messages_of(response)
    assert "error" in kind and message in text


def test_paste_form_is_hidden_without_write_access(client, pud, translator_ko):
    client.force_login(translator_ko)
    response = client.get(view_url(pud))
    assert response.status_code == 200
    assert not tree(response).xpath("//form[contains(@class, 'paste')]")


# --- fix forms -----------------------------------------------------------------------------------


def test_merge_form(client, small, translator_en):
    a = draft(small, 0, "One.", translator_en)
    b = draft(small, 1, "Two.", translator_en)
    client.force_login(translator_en)
    page = client.get(view_url(small))
    form = tree(page).xpath("//form[contains(@action, '/merge/')]")[0]
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    assert (int(fields["translation"]), int(fields["neighbour"])) == (a.pk, b.pk)
    response = client.post(form.get("action"), fields, follow=True)
    assert messages_of(response) == [("message success", "Merged.")]
    (merged,) = live(small)
    assert (merged.first_position, merged.last_position, merged.text) == (0, 1, "One. Two.")


def test_split_form(client, small, translator_en):
    t = draft(small, 0, "First. Second. Third.", translator_en, last=2)
    client.force_login(translator_en)
    response = client.post(
        fix_url(small, "split"),
        {"language": "en", "translation": t.pk, "version": 1, "sentences_first": 2, "source_split": 2},
        follow=True,
    )
    assert messages_of(response) == [("message success", "Split.")]
    assert [(x.first_position, x.last_position, x.text) for x in live(small)] == [
        (0, 1, "First. Second."),
        (2, 2, "Third."),
    ]


def test_move_forms(client, small, translator_en):
    a = draft(small, 0, "Alpha.", translator_en)
    b = draft(small, 1, "Beta one. Beta two. Beta three.", translator_en)
    c = draft(small, 2, "Gamma.", translator_en)
    client.force_login(translator_en)
    post = {"language": "en", "translation": b.pk, "version": 1}
    response = client.post(
        fix_url(small, "move"), {**post, "neighbour": a.pk, "neighbour_version": 1}, follow=True
    )
    assert messages_of(response) == [("message success", "Moved one sentence.")]
    response = client.post(
        fix_url(small, "move"), {**post, "version": 2, "neighbour": c.pk, "neighbour_version": 1}, follow=True
    )
    assert messages_of(response) == [("message success", "Moved one sentence.")]
    assert [(t.text, t.version) for t in live(small)] == [
        ("Alpha. Beta one.", 2),
        ("Beta two.", 3),
        ("Beta three. Gamma.", 2),
    ]


def test_fix_errors_are_messages(client, small, translator_en, editor):
    a = approved(small, 0, "Alpha one. Alpha two.", translator=translator_en, editor=editor)
    b = draft(small, 1, "Beta one. Beta two.", translator_en)
    c = draft(small, 3, "Delta.", translator_en)
    client.force_login(translator_en)
    before = snapshot(small)
    cases = [
        (
            "merge",
            {"translation": b.pk, "version": 1, "neighbour": a.pk, "neighbour_version": a.version},
            "editor",
        ),
        (
            "move",
            {"translation": b.pk, "version": 7, "neighbour": c.pk, "neighbour_version": 1},
            "stale",
        ),
        ("merge", {"translation": b.pk, "version": 1, "neighbour": c.pk, "neighbour_version": 2}, "stale"),
        (
            "split",
            {"translation": b.pk, "version": 1, "sentences_first": 1, "source_split": 1},
            "source split",
        ),
        (
            "move",
            {"translation": c.pk, "version": 1, "neighbour": b.pk, "neighbour_version": 1},
            "at least two",
        ),
    ]
    for action, fields, message in cases:
        response = client.post(fix_url(small, action), {"language": "en", "order": "worst", **fields})
        assert response.status_code == 302
        assert response["Location"] == view_url(small, order="worst")
        ((kind, text),) = messages_of(client.get(response["Location"]))
        assert "error" in kind and message in text, (action, text)
    assert snapshot(small) == before


def test_editor_may_fix_an_approved_unit(client, small, translator_en, editor, editor2):
    a = approved(small, 0, "Alpha one. Alpha two.", translator=translator_en, editor=editor)
    b = draft(small, 1, "Beta.", translator_en)
    client.force_login(editor2)
    response = client.post(
        fix_url(small, "merge"),
        {
            "language": "en",
            "translation": a.pk,
            "version": a.version,
            "neighbour": b.pk,
            "neighbour_version": 1,
        },
        follow=True,
    )
    assert messages_of(response) == [("message success", "Merged.")]
    (merged,) = live(small)
    assert (merged.text, merged.status) == ("Alpha one. Alpha two. Beta.", Translation.Status.SUBMITTED)


def test_fix_with_a_garbage_translation_id_is_404(client, small, translator_en):
    client.force_login(translator_en)
    for value in ("", "abc", "999999"):
        response = client.post(
            fix_url(small, "split"), {"language": "en", "translation": value, "version": 1}
        )
        assert response.status_code == 404, value


def test_unknown_fix_action_is_404(client, small, translator_en):
    t = draft(small, 0, "One. Two.", translator_en)
    client.force_login(translator_en)
    response = client.post(fix_url(small, "explode"), {"language": "en", "translation": t.pk, "version": 1})
    assert response.status_code == 404
