"""The focused editing area of the open cell: source with its glossary terms, memory matches, findings.

UPDATE_SCREENSHOT=1 writes docs/editor-focus-1440.png and docs/editor-focus-1024.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from corpus.models import Segment, Translation
from memory import glossary
from tests.browser.test_editor_browser import cell, create, login
from tests.factories import make_document, make_user, seed_document
from translations import services

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

DOCS = Path(__file__).resolve().parents[2] / "docs"
COLD_WAR = "冷战结束以来"


@pytest.fixture(autouse=True)
def _timeouts(page: Page):
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)


def approved(document, position, text, translator, editor):
    t = create(document, "en", position, text, translator, submit=True)
    return services.translation_approve(translation=t, version=t.version, actor=editor)


def test_the_open_cell_gets_a_focused_area_with_source_terms_matches_and_findings(
    page: Page, live_server, tmp_path
):
    document = seed_document()
    segment = Segment.objects.get(document=document, text__startswith=COLD_WAR)
    position = segment.position
    tina = make_user("translator", ["en"], username="tina")
    mina = make_user("translator", ["en"], username="mina")
    eddie = make_user("editor", username="eddie")
    glossary.term_save(actor=eddie, language="en", source="全球化", target="globalisation")
    # the memory: the same sentence approved in another document, and a shorter variant of it
    same = make_document(f"标题\n{segment.text}\n")
    approved(same, 1, "Since the end of the Cold War, globalisation has marched on.", mina, eddie)
    variant = make_document(f"标题\n{segment.text.replace('两次金融危机', '一次危机')}\n")
    approved(variant, 1, "Since the Cold War ended, globalisation has forged ahead.", mina, eddie)
    create(document, "en", position, "In the 1989 Cold War's end, globalisation advanced.", tina)

    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, live_server, tina, document)
    open_cell = cell(page, "en", position)
    open_cell.focus()
    page.keyboard.press("Enter")
    focus = open_cell.locator(".focus")
    expect(focus).to_be_visible()
    expect(focus.locator("textarea.cell-input")).to_be_focused()
    expect(focus.locator(".focus-source-text")).to_contain_text(COLD_WAR)
    expect(focus.locator(".focus-source-text mark.term").first).to_have_text("全球化")
    expect(focus.locator(".cell-terms")).to_contain_text("globalisation")
    expect(focus.locator(".focus-matches .match").first).to_contain_text("100%")
    expect(focus.locator(".finding[data-code=numbers]")).to_contain_text("1989")
    expect(page.locator("#panel .matches")).to_have_count(0)  # the side panel stays free for history

    page.evaluate("() => document.fonts.ready")
    for width, height in [(1440, 900), (1024, 768)]:
        page.set_viewport_size({"width": width, "height": height})
        open_cell.scroll_into_view_if_needed()
        # every column still readable, and the open row is not hidden under the area
        for header in page.locator("table.editor thead th").all()[1:]:
            assert header.bounding_box()["width"] >= 200, (width, header.inner_text())
        assert open_cell.bounding_box()["y"] < focus.bounding_box()["y"]
        name = f"editor-focus-{width}.png"
        target = DOCS / name if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path / name
        page.screenshot(path=str(target))

    textarea = focus.locator("textarea.cell-input")
    page.keyboard.press("Control+1")  # the first memory match
    expect(textarea).to_have_value("Since the end of the Cold War, globalisation has marched on.")
    page.keyboard.press("Alt+h")  # the history, one key away, beside the table
    expect(page.locator("#panel .history")).to_contain_text("1989")
    textarea.fill("Since the end of the Cold War, globalisation had advanced triumphantly.")
    page.keyboard.press("Control+Enter")
    expect(open_cell.locator(".focus")).to_have_count(0)
    expect(open_cell.locator(".text")).to_have_text(
        "Since the end of the Cold War, globalisation had advanced triumphantly."
    )
    t = Translation.objects.get(document=document, language="en", first_position=position, retired_at=None)
    assert t.text == "Since the end of the Cold War, globalisation had advanced triumphantly."

    # Ctrl+Enter opened the next untranslated cell in its own area; Escape closes it
    expect(page.locator("td.cell.open .focus textarea")).to_be_focused()
    next_cell = page.locator("td.cell.open")
    page.wait_for_function(
        "() => { const c = document.querySelector('td.cell.open'), f = c.querySelector('.focus');"
        " return c.getBoundingClientRect().bottom <= f.getBoundingClientRect().top; }"
    )  # the next row is scrolled into sight above the area
    assert next_cell.get_attribute("data-first") == str(position + 1)
    page.keyboard.press("Escape")
    expect(page.locator(".focus")).to_have_count(0)
