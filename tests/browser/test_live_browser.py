"""The live document in two browser contexts: A's work reaches B without reload, B's typing is never
touched, and B sees where A is editing until A's tab closes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_editor_browser import TIMEOUT, cell, login, open_with_enter
from tests.factories import make_user, seed_document

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
LIVE = 5_000  # the promise: within 5 s


@pytest.fixture(autouse=True)
def _timeouts(page: Page):
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)


def test_a_saves_and_approves_and_b_sees_it_live_while_keeping_what_b_types(page: Page, live_server, browser):
    document = seed_document()
    alice = make_user("editor", username="alice")
    bob = make_user("translator", ["en"], username="bob")
    login(page, live_server, alice, document)
    context = browser.new_context()
    try:
        b = context.new_page()
        b.set_default_timeout(TIMEOUT)
        login(b, live_server, bob, document)
        b.evaluate("window.__marker = 'no reload'")
        approved_before = b.locator('#progress [data-language="en"] .count.status-approved').count()
        assert approved_before == 0

        # B types in cell en/1 and keeps the textarea open
        typing = open_with_enter(b, "en", 1)
        typing.type("B's unsaved words")

        # A translates en/0 and submits it
        open_with_enter(page, "en", 0)
        page.keyboard.type("A's text for the note.")
        page.keyboard.press("Control+Shift+Enter")
        expect(cell(page, "en", 0)).to_have_attribute("data-status", "submitted")

        # B sees A's text and status in place, without reload, within 5 s
        expect(cell(b, "en", 0).locator(".text")).to_have_text("A's text for the note.", timeout=LIVE)
        expect(cell(b, "en", 0)).to_have_attribute("data-status", "submitted", timeout=LIVE)
        expect(b.locator('#progress [data-language="en"] .count.status-submitted')).to_have_text(
            "1 submitted", timeout=LIVE
        )
        # B's open cell was never touched
        expect(cell(b, "en", 1).locator("textarea")).to_have_value("B's unsaved words")
        expect(cell(b, "en", 1).locator("textarea")).to_be_focused()

        # A saves the very cell B is typing in: B keeps the text and gets a notice naming A
        # Ctrl+Shift+Enter opened A's next untranslated cell, en/1: the one B is typing in
        a_typing = cell(page, "en", 1).locator("textarea")
        expect(a_typing).to_be_focused()
        expect(cell(b, "en", 1).locator(".presence-badge")).to_have_text("alice is editing", timeout=LIVE)
        a_typing.fill("A was here first.")
        page.keyboard.press("Control+Enter")
        expect(cell(page, "en", 1)).to_have_attribute("data-status", "draft")
        notice = cell(b, "en", 1).locator(".live-notice")
        expect(notice).to_contain_text("alice saved a newer version", timeout=LIVE)
        expect(cell(b, "en", 1).locator("textarea")).to_have_value("B's unsaved words")
        notice.locator("button.js-compare").click()
        conflict = cell(b, "en", 1).locator(".conflict")
        expect(conflict.locator(".theirs .text")).to_have_text("A was here first.")
        expect(conflict.locator("form.mine textarea")).to_have_value("B's unsaved words")
        expect(conflict).to_contain_text("alice saved this first")

        # a second editor approves en/0 (four-eyes: alice wrote it)
        carol = make_user("editor", username="carol")
        other = browser.new_context()
        try:
            c = other.new_page()
            c.set_default_timeout(TIMEOUT)
            login(c, live_server, carol, document)
            cell(c, "en", 0).locator("button.approve").click()
            expect(cell(c, "en", 0)).to_have_attribute("data-status", "approved")
        finally:
            other.close()
        expect(cell(b, "en", 0)).to_have_attribute("data-status", "approved", timeout=LIVE)
        expect(b.locator('#progress [data-language="en"] .count.status-approved')).to_have_text(
            "1 approved", timeout=LIVE
        )
        b.locator("details#metrics summary").click()
        expect(b.locator('details#metrics tr[data-language="en"] td').nth(1)).to_have_text(
            re.compile(r"^[1-9]\d* / [1-9]")
        )
        assert b.evaluate("window.__marker") == "no reload"
    finally:
        context.close()


def test_b_sees_a_is_editing_on_the_cell_until_a_closes_the_tab(page: Page, live_server, browser):
    document = seed_document()
    alice = make_user("translator", ["en"], username="alice")
    bob = make_user("translator", ["en"], username="bob")
    login(page, live_server, bob, document)
    context = browser.new_context()
    try:
        a = context.new_page()
        a.set_default_timeout(TIMEOUT)
        login(a, live_server, alice, document)
        open_with_enter(a, "en", 3)
        badge = cell(page, "en", 3).locator(".presence-badge")
        expect(badge).to_have_text("alice is editing", timeout=LIVE)
        expect(page.locator("#live")).to_contain_text("alice")
        a.close()
        expect(badge).to_have_count(0, timeout=LIVE)
        expect(page.locator("#live")).not_to_contain_text("alice", timeout=LIVE)
    finally:
        context.close()


def test_alt_h_shows_the_history_while_typing_and_keeps_the_text(page: Page, live_server):
    from tests.browser.test_editor_browser import create

    document = seed_document()
    tina = make_user("translator", ["en"], username="tina")
    create(document, "en", 0, "First words.", tina)
    login(page, live_server, tina, document)
    typing = open_with_enter(page, "en", 0)
    typing.fill("First words, changed")
    page.keyboard.press("Alt+h")
    expect(page.locator("#panel .history")).to_contain_text("First words.")
    expect(typing).to_have_value("First words, changed")
