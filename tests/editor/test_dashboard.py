"""The editor's dashboard: progress replayed from the history, findings, effort, turnaround."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from editor import dashboard
from tests.factories import make_document, make_user
from translations import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked():
    document = make_document()
    tina, eddie = make_user("translator", ["en"], username="tina"), make_user("editor", username="eddie")
    one = services.translation_create(
        document=document,
        language="en",
        first_position=1,
        text="The first sentence 2009.",
        actor=tina,
        submit=True,
    )
    two = services.translation_create(
        document=document, language="en", first_position=2, text="Third.", actor=tina, submit=True
    )
    services.translation_approve(translation=one, version=one.version, actor=eddie, acknowledge_findings=True)
    services.translation_reject(translation=two, version=two.version, reason="Say more.", actor=eddie)
    return document, tina, eddie


def test_progress_is_replayed_from_the_history(worked):
    document, _, _ = worked
    series = dashboard.progress_over_time(document, ["en", "ko"])
    assert series["en"]["segments"] == document.segments.count()
    first, last = series["en"]["points"][0][1], series["en"]["points"][-1][1]
    assert first and "approved" not in first
    assert last == {"approved": 1, "rejected": 1}
    assert all(counts == {} for _, counts in series["ko"]["points"])


def test_turnaround_measures_from_submitted_to_the_decision(worked):
    document, _, _ = worked
    rows = dashboard.review_turnaround(document)
    total = next(row for row in rows if row["reviewer"] == "all reviewers")
    assert (total["reviews"], total["approved"], total["rejected"]) == (2, 1, 1)
    assert total["median"].endswith(" s")  # the decisions came seconds after the submissions
    eddie = next(row for row in rows if row["reviewer"] == "eddie")
    assert eddie["reviews"] == 2


def test_the_dashboard_renders_for_an_editor_in_a_few_queries(client, worked, django_assert_max_num_queries):
    document, _, eddie = worked
    client.force_login(eddie)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("editor:dashboard", args=[document.pk]))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.xpath('//figure[@data-language="en"]//polygon[@class="area-approved"]')
    assert page.xpath('//tr[@data-code="numbers"]')
    assert "tina" in page.xpath('string(//section[@aria-labelledby="effort-title"])')
    assert "eddie" in page.xpath('string(//section[@aria-labelledby="turnaround-title"])')


def test_a_translator_may_not_see_the_dashboard(client, worked):
    document, tina, _ = worked
    client.force_login(tina)
    assert client.get(reverse("editor:dashboard", args=[document.pk])).status_code == 403
