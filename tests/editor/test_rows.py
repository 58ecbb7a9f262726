"""The editor's rows (built by editor/rows.py) show each cell exactly as the cell's own fragment does
(the ``cell`` partial, which htmx swaps in after a save, an action or Cancel): same markup, same
escaping, same URLs and actions, for every status, span, origin and role."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alignment import services as alignment_services
from corpus.models import Translation
from memory import glossary
from tests.factories import api_client, make_document, make_user
from translations import services

pytestmark = pytest.mark.django_db

EVIL = "<script>alert(1)</script>\"'&amp;"
CELL = re.compile(r'<td class="cell [^>]*>.*?</td>', re.S)


def normalised(html: str) -> str:
    """White space runs as one space (the browser shows them so; the fragments indent differently)."""
    return re.sub(r"\s+", " ", html).strip()


def cells(html: str) -> list[str]:
    return [normalised(cell) for cell in CELL.findall(html)]


def varied_document(translator, author, reviewer):
    """Every status, spans over several rows, an aligned score, error findings, no updater, a rejection
    reason, glossary terms and hostile text."""
    document = make_document("".join(f"第{i}段讲到一个问题。\n" for i in range(24)) + "一、标题\n")
    glossary.term_save(actor=reviewer, source="问题", language="en", target="question")
    for position in range(20):
        text = f"Paragraph {position} {EVIL if position == 3 else ''} is about a question."
        actor = translator if position % 2 else author
        t = services.translation_create(
            document=document,
            language="en",
            first_position=position,
            text=text,
            actor=actor,
            submit=position % 3 != 0,
        )
        if position % 3 == 2 and position % 2:
            t = services.translation_approve(translation=t, version=t.version, actor=reviewer)
        if position % 5 == 1 and t.status == Translation.Status.SUBMITTED:
            services.translation_reject(
                translation=t, version=t.version, reason=f"look {EVIL}", actor=reviewer
            )
        if position % 4 == 0:
            services.translation_create(
                document=document, language="ko", first_position=position, text=f"문단 {EVIL}", actor=author
            )
    services.translation_create(
        document=document, language="ko", first_position=21, last_position=23, text="세 문단", actor=author
    )
    one, two = Translation.objects.filter(
        document=document, language="en", first_position__in=[9, 10], retired_at=None
    ).order_by("first_position")
    alignment_services.translation_merge(
        first=one, second=two, first_version=one.version, second_version=two.version, actor=author
    )
    live = Translation.objects.filter(document=document, language="en", retired_at=None)
    live.filter(first_position=12).update(origin="aligned", score=0.4567)
    live.filter(first_position=13).update(updated_by=None, origin="imported")
    live.filter(first_position__in=[7, 8]).update(
        findings=[
            {"code": "numbers", "severity": "error", "message": f"2 is {EVIL} missing"},
            {"code": "brackets", "severity": "error", "message": "unbalanced"},
            {"code": "length", "severity": "warning", "message": "long"},
        ]
    )
    live.filter(first_position=14).update(
        findings=[{"code": "numbers", "severity": "error", "message": "one error"}]
    )
    return document


@pytest.mark.parametrize("who", ["translator", "author", "reviewer", "korean"])
def test_each_cell_of_the_rows_is_its_own_fragment(who):
    translator = make_user("translator", ["en"], username=f"tr{EVIL}")
    author, reviewer = make_user("editor"), make_user("editor")
    users = {
        "translator": translator,
        "author": author,
        "reviewer": reviewer,
        "korean": make_user("translator", ["ko"]),
    }
    document = varied_document(translator, author, reviewer)
    client = api_client(users[who])
    for url in [
        reverse("editor:editor-rows", args=[document.pk]) + "?after=-1",
        reverse("editor:editor-rows", args=[document.pk]) + "?after=9&until=22",  # starts inside a span
    ]:
        response = client.get(url)
        assert response.status_code == 200
        shown = cells(response.content.decode())
        assert len(shown) > 20
        for cell in shown:
            fragment = client.get(re.search(r'data-url="([^"]+)"', cell).group(1).replace("&amp;", "&"))
            assert fragment.status_code == 200
            assert cells(fragment.content.decode()) == [cell]
    page = client.get(reverse("editor:editor", args=[document.pk])).content.decode()
    assert "<script>alert" not in page
    shown_everywhere = [
        'class="origin"',
        'rowspan="3"',
        'rowspan="2"',
        'class="reason"',
        ">import,",
        "&lt;script",
    ]
    for expected in [*shown_everywhere, *(["hx-confirm"] if who in {"author", "reviewer"} else [])]:
        assert expected in page, expected
