"""The editor's dashboard renders in a real browser, reached from the editor."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_editor_browser import TIMEOUT, create, login
from tests.factories import make_user, seed_document
from translations import services

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_dashboard_renders_its_charts(page: Page, live_server):
    page.set_default_timeout(TIMEOUT)
    document = seed_document()
    tina, eddie = make_user("translator", ["en"], username="tina"), make_user("editor", username="eddie")
    for position in range(3):
        t = create(document, "en", position, f"Sentence number {position}.", tina, submit=True)
        if position < 2:
            services.translation_approve(
                translation=t, version=t.version, actor=eddie, acknowledge_findings=True
            )
    login(page, live_server, eddie, document)
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"**/documents/{document.pk}/dashboard/")
    chart = page.locator('figure[data-language="en"] svg')
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 200
    expect(chart).to_have_attribute("aria-label", "en: 2 approved, 1 submitted segments now")
    expect(page.locator('section[aria-labelledby="effort-title"]')).to_contain_text("tina")
    expect(page.locator('section[aria-labelledby="turnaround-title"]')).to_contain_text("eddie")
    expect(page.locator('section[aria-labelledby="findings-title"] tr[data-code]').first).to_be_visible()
