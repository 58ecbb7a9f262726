"""The editor in a real browser: keyboard translation, review, conflicts, escaping, the shortcuts dialog.

Each test builds its data (the seed document, users) itself: the live server sees only committed rows.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from corpus.models import Revision, Translation
from tests.factories import PASSWORD, make_user, seed_document
from translations import services

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TIMEOUT = 10_000
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "editor.png"


@pytest.fixture(autouse=True)
def _timeouts(page: Page):
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)


def cell(page: Page, language: str, first: int):
    return page.locator(f'td.cell[data-language="{language}"][data-first="{first}"]')


def login(page: Page, live_server, user, document) -> None:
    editor = f"/documents/{document.pk}/"
    page.goto(f"{live_server.url}/accounts/login/?next={editor}")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form[action="/accounts/login/"] button[type="submit"]')
    page.wait_for_url(f"**{editor}")
    expect(page.locator("tr[data-position]").first).to_be_visible()
    page.wait_for_function("window.htmx !== undefined")


def create(document, language, position, text, actor, *, submit=False):
    t = services.translation_create(
        document=document, language=language, first_position=position, text=text, actor=actor
    )
    if submit:
        t = services.translation_submit(translation=t, version=t.version, actor=actor)
    return t


def open_with_enter(page: Page, language: str, first: int):
    cell(page, language, first).focus()
    page.keyboard.press("Enter")
    textarea = cell(page, language, first).locator("textarea")
    expect(textarea).to_be_focused()
    return textarea


def test_translator_translates_three_segments_with_the_keyboard_only(page: Page, live_server):
    document = seed_document()
    translator = make_user("translator", ["en"])
    login(page, live_server, translator, document)
    texts = [
        "Editor's note: the pandemic spread.",
        "Against this background, a seminar.",
        "1. Renew globalisation",
    ]

    open_with_enter(page, "en", 0)
    for position, text in enumerate(texts):
        page.keyboard.type(text)
        page.keyboard.press("Control+Enter")
        # saved in place, and the next untranslated cell of the language opens with the caret in it
        expect(cell(page, "en", position)).to_have_attribute("data-status", "draft")
        expect(cell(page, "en", position).locator(".text")).to_have_text(text)
        expect(cell(page, "en", position + 1).locator("textarea")).to_be_focused()

    saved = Translation.objects.filter(document=document, language="en").order_by("first_position")
    assert [(t.first_position, t.text, t.status, t.author_id) for t in saved] == [
        (position, text, "draft", translator.pk) for position, text in enumerate(texts)
    ]
    page.reload()
    for position, text in enumerate(texts):
        expect(cell(page, "en", position).locator(".text")).to_have_text(text)
        expect(cell(page, "en", position)).to_have_attribute("data-status", "draft")
    expect(cell(page, "en", 3)).to_have_attribute("data-status", "untranslated")
    # Ctrl+Enter skips translated cells: with 0..2 done, 3 is next
    open_with_enter(page, "en", 1)
    page.keyboard.press("Control+Enter")
    expect(cell(page, "en", 3).locator("textarea")).to_be_focused()


def test_editor_approves_and_rejects_then_the_translator_sees_the_reason(page: Page, live_server, browser):
    document = seed_document()
    translator = make_user("translator", ["en"])
    editor = make_user("editor")
    first = create(document, "en", 0, "Editor's note", translator, submit=True)
    second = create(document, "en", 1, "A seminar was held", translator, submit=True)

    login(page, live_server, editor, document)
    cell(page, "en", 0).focus()
    page.keyboard.press("a")
    expect(cell(page, "en", 0)).to_have_attribute("data-status", "approved")
    expect(cell(page, "en", 0).locator(".badge")).to_have_text("Approved")

    cell(page, "en", 1).focus()
    page.keyboard.press("r")
    reason = cell(page, "en", 1).locator("textarea.reason-input")
    expect(reason).to_be_visible()
    reason.fill("Say who held the seminar.")
    cell(page, "en", 1).locator("form.reject-form button[type=submit]").click()
    expect(cell(page, "en", 1)).to_have_attribute("data-status", "rejected")
    expect(cell(page, "en", 1).locator(".reason-text")).to_have_text("Say who held the seminar.")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.comment) == (
        "approved",
        "rejected",
        "Say who held the seminar.",
    )
    assert Revision.objects.filter(translation=second, action="reject", actor=editor).exists()

    context = browser.new_context()
    try:
        other = context.new_page()
        other.set_default_timeout(TIMEOUT)
        login(other, live_server, translator, document)
        expect(cell(other, "en", 1)).to_have_attribute("data-status", "rejected")
        expect(cell(other, "en", 1).locator(".reason-text")).to_have_text("Say who held the seminar.")
        expect(cell(other, "en", 0)).to_have_attribute("data-status", "approved")
        # the translator has no review buttons
        expect(other.locator("td.cell button.approve")).to_have_count(0)
        # and "rejected" cells are where Ctrl+Enter leads: fix 1, then it moves on to 2
        textarea = open_with_enter(other, "en", 1)
        textarea.fill("The institute held a seminar.")
        other.keyboard.press("Control+Enter")
        expect(cell(other, "en", 1)).to_have_attribute("data-status", "draft")
        expect(cell(other, "en", 2).locator("textarea")).to_be_focused()
    finally:
        context.close()


def test_two_users_save_the_same_cell_and_the_second_resolves_the_conflict(page: Page, live_server, browser):
    document = seed_document()
    translator = make_user("translator", ["en"])
    editor = make_user("editor")
    login(page, live_server, translator, document)
    context = browser.new_context()
    try:
        second = context.new_page()
        second.set_default_timeout(TIMEOUT)
        login(second, live_server, editor, document)
        # both open the same untranslated cell
        mine = open_with_enter(page, "en", 0)
        theirs = open_with_enter(second, "en", 0)
        mine.fill("First writer's text")
        page.keyboard.press("Control+Enter")
        expect(cell(page, "en", 0)).to_have_attribute("data-status", "draft")

        theirs.fill("Second writer's text")
        second.keyboard.press("Control+Enter")
        conflict = cell(second, "en", 0).locator(".conflict")
        expect(conflict).to_be_visible()
        expect(conflict.locator(".theirs .text")).to_have_text("First writer's text")
        expect(conflict.locator("form.mine textarea")).to_have_value("Second writer's text")
        assert Translation.objects.get(document=document, language="en").text == "First writer's text"

        conflict.locator("button.js-keep-mine").click()
        expect(cell(second, "en", 0).locator(".text")).to_have_text("Second writer's text")
        t = Translation.objects.get(document=document, language="en")
        assert (t.text, t.version) == ("Second writer's text", 2)
        texts = set(t.revisions.values_list("text", flat=True))
        assert {"First writer's text", "Second writer's text"} <= texts
    finally:
        context.close()


def test_hostile_translation_shows_as_text_and_runs_nothing(page: Page, live_server):
    document = seed_document()
    translator = make_user("translator", ["en"])
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    login(page, live_server, translator, document)
    open_with_enter(page, "en", 0)
    page.keyboard.type(EVIL)
    page.keyboard.press("Control+Enter")
    expect(cell(page, "en", 0).locator(".text")).to_have_text(EVIL)
    assert Translation.objects.get(document=document, language="en").text == EVIL

    page.reload()
    expect(cell(page, "en", 0).locator(".text")).to_have_text(EVIL)
    expect(page.locator("td.cell img, td.cell script")).to_have_count(0)
    # the history panel shows it literally too
    cell(page, "en", 0).focus()
    page.keyboard.press("h")
    expect(page.locator("#panel .diff").first).to_have_text(EVIL)
    expect(page.locator("#panel img, #panel script")).to_have_count(0)
    # and in the editing control
    open_with_enter(page, "en", 0)
    expect(cell(page, "en", 0).locator("textarea")).to_have_value(EVIL)
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 200))")  # let any onerror fire
    assert dialogs == []


def test_question_mark_opens_the_shortcuts_dialog(page: Page, live_server):
    document = seed_document()
    login(page, live_server, make_user("translator", ["en"]), document)
    dialog = page.locator("dialog#shortcuts")
    expect(dialog).to_be_hidden()
    page.locator("h1").click()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Ctrl+Enter")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # typing "?" into a translation does not open it
    textarea = open_with_enter(page, "en", 0)
    page.keyboard.type("Why?")
    expect(textarea).to_have_value("Why?")
    expect(dialog).to_be_hidden()


def test_editor_screenshot(page: Page, live_server, tmp_path):
    """The editor with translations in every status; UPDATE_SCREENSHOT=1 writes docs/editor.png."""
    document = seed_document()
    translator_en = make_user("translator", ["en"], username="mina")
    translator_ko = make_user("translator", ["ko"], username="jisoo")
    editor = make_user("editor", username="editor")
    en = [
        "Editor's note: the pandemic has broken out around the world, with Europe and America hit hardest.",
        "Against this background, the Center for Globalization and Global Governance held a seminar.",
        "1. Renewing globalisation (Fu Mengzi, Vice President)",
        "The impact of this pandemic is worldwide and epoch-making.",
        "Since the end of the Cold War, globalisation had advanced triumphantly.",
    ]
    ko = [
        "편집자 주: 전 세계에서 코로나19가 잇따라 발생했다.",
        "이러한 배경에서 연구센터는 학술 세미나를 열었다.",
        "1. 세계화의 갱신 (푸멍쯔, 부원장)",
    ]
    ts = [create(document, "en", p, text, translator_en, submit=p != 4) for p, text in enumerate(en)]
    services.translation_approve(translation=ts[0], version=ts[0].version, actor=editor)
    services.translation_approve(translation=ts[2], version=ts[2].version, actor=editor)
    services.translation_reject(
        translation=ts[3], version=ts[3].version, reason="Use 'epochal', as in the glossary.", actor=editor
    )
    kos = [create(document, "ko", p, text, translator_ko, submit=p != 2) for p, text in enumerate(ko)]
    services.translation_approve(translation=kos[0], version=kos[0].version, actor=editor)

    page.set_viewport_size({"width": 1440, "height": 1000})
    login(page, live_server, editor, document)
    for position, status in enumerate(
        ["approved", "submitted", "approved", "rejected", "draft", "untranslated"]
    ):
        expect(cell(page, "en", position)).to_have_attribute("data-status", status)
    for position, status in enumerate(["approved", "submitted", "draft", "untranslated"]):
        expect(cell(page, "ko", position)).to_have_attribute("data-status", status)
    cell(page, "en", 1).focus()
    page.evaluate("() => document.fonts.ready")
    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path / "editor.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000


def test_copy_source_cancel_move_and_save_and_submit_shortcuts(page: Page, live_server):
    document = seed_document()
    translator = make_user("translator", ["en"])
    login(page, live_server, translator, document)
    source = page.locator('tr[data-position="0"] .source-text').inner_text()

    textarea = open_with_enter(page, "en", 0)
    page.keyboard.press("Alt+s")
    expect(textarea).to_have_value(source)
    page.keyboard.press("Escape")  # cancel: back to view mode, nothing saved
    expect(cell(page, "en", 0).locator("textarea")).to_have_count(0)
    expect(cell(page, "en", 0)).to_have_attribute("data-status", "untranslated")
    assert not Translation.objects.filter(document=document).exclude(language="ko").exists()

    cell(page, "en", 0).focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(cell(page, "en", 1)).to_be_focused()
    page.keyboard.press("Alt+ArrowRight")
    expect(cell(page, "ko", 1)).to_be_focused()
    page.keyboard.press("Alt+ArrowLeft")
    page.keyboard.press("Alt+ArrowUp")
    expect(cell(page, "en", 0)).to_be_focused()

    open_with_enter(page, "en", 1)
    page.keyboard.type("Against this background, a seminar was held.")
    page.keyboard.press("Control+Shift+Enter")
    expect(cell(page, "en", 1)).to_have_attribute("data-status", "submitted")
    t = Translation.objects.get(document=document, language="en")
    assert (t.first_position, t.status, t.text) == (
        1,
        "submitted",
        "Against this background, a seminar was held.",
    )


def test_ctrl_enter_carries_on_past_the_loaded_rows(page: Page, live_server):
    """The next untranslated cell may be on a page not loaded yet: Ctrl+Enter loads it and opens it."""
    document = seed_document()
    translator = make_user("translator", ["en"], username="pager")
    for position in [*range(99), *range(100, 200)]:
        create(document, "en", position, f"Sentence {position}.", translator)
    login(page, live_server, translator, document)
    expect(page.locator("tr[data-position]")).to_have_count(100)
    textarea = open_with_enter(page, "en", 99)
    textarea.fill("Sentence 99.")
    page.keyboard.press("Control+Enter")
    # rows 100..199 (the second page) are all translated: the next untranslated cell is on the third
    expect(cell(page, "en", 200).locator("textarea")).to_be_focused()
    assert Translation.objects.get(document=document, language="en", first_position=99).text == "Sentence 99."
