"""The panel beside the open cell: its glossary terms and useful memory matches, or nothing at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from corpus.models import GlossaryTerm
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db


def test_the_panel_lists_the_cells_terms_and_is_empty_without_terms_or_matches(client):
    document = make_document()
    client.force_login(make_user("translator", ["en"]))
    url = reverse("editor:matches", args=[document.pk, "en", 1])
    assert b"<section" not in client.get(url).content  # nothing to show takes no room

    GlossaryTerm.objects.create(language="en", source="问题", target="issue", status="preferred")
    GlossaryTerm.objects.create(language="en", source="问题", target="problem", status="forbidden")
    GlossaryTerm.objects.create(language="ko", source="问题", target="문제", status="preferred")
    html = client.get(url).content.decode()
    assert '<span lang="zh">问题</span> → <strong lang="en">issue</strong>' in html
    assert '<s lang="en">problem</s>' in html and "문제" not in html


def test_the_focused_area_shows_the_source_with_its_terms_and_no_empty_memory(
    client, django_assert_max_num_queries
):
    document = make_document()
    client.force_login(make_user("translator", ["en"]))
    url = reverse("editor:matches", args=[document.pk, "en", 1]) + "?focus=1"
    html = client.get(url).content.decode()
    assert "的问题。" in html and "<mark" not in html
    assert "focus-matches" not in html and "Glossary" not in html  # nothing to show takes no room

    GlossaryTerm.objects.create(language="en", source="问题", target="issue", status="preferred")
    # the same fixed count as the side panel fragment (session and user, the cell, source, memory, terms)
    with django_assert_max_num_queries(9):
        html = client.get(url).content.decode()
    assert '<mark class="term" title="en: issue">问题</mark>' in html
    assert '<strong lang="en">issue</strong>' in html
