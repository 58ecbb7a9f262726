"""The glossary page in a real browser: an editor adds, searches, edits, forbids, reviews proposed
candidates, exports and imports back; a translator reads only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from corpus.models import GlossaryTerm
from tests.browser.test_editor_browser import TIMEOUT
from tests.factories import PASSWORD, make_user, seed_document

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _timeouts(page: Page):
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)


def login(page: Page, live_server, user, path="/glossary/") -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form[action="/accounts/login/"] button[type="submit"]')
    page.wait_for_url(f"**{path}")


def row(page: Page, source: str, language: str = "en"):
    return (
        page.locator("table.glossary tr.term")
        .filter(has=page.locator(f'input[name="source"][value="{source}"]'))
        .filter(has=page.locator("td", has_text=language))
    )


# jieba.analyse opens its IDF table without closing it (jieba 0.42.1); the file object is collected
# while this test runs, in the live server's thread.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in.*jieba/analyse/idf.txt:pytest.PytestUnraisableExceptionWarning"
)
def test_glossary_round_trip(page: Page, live_server, tmp_path):
    document = seed_document()
    editor = make_user("editor")
    login(page, live_server, editor)
    expect(page.locator("h1")).to_have_text("Glossary")

    # add
    add = page.locator("form.glossary-add")
    add.locator('input[name="source"]').fill("全球化")
    add.locator('input[name="target"]').fill("globalization")
    add.locator('select[name="language"]').select_option("en")
    add.locator("button").click()
    expect(page.locator(".message.success")).to_contain_text("Added 全球化 → globalization")

    # search, then edit the translation and save
    page.fill('.glossary-search input[name="q"]', "全球")
    page.click(".glossary-search button")
    term = row(page, "全球化")
    expect(term).to_have_count(1)
    term.locator('input[name="target"]').fill("globalisation")
    term.get_by_role("button", name="Save").click()
    expect(page.locator(".message.success")).to_contain_text("globalisation")
    assert GlossaryTerm.objects.get(source="全球化", language="en").target == "globalisation"

    # forbid it
    row(page, "全球化").get_by_role("button", name="Forbid").click()
    expect(row(page, "全球化").locator(".term-status")).to_have_text("Forbidden")

    # jieba proposes candidates from the document; accept one with a translation, dismiss another
    page.locator("details.glossary-more summary").click()
    page.locator('form[action$="/glossary/propose/"] select[name="document"]').select_option(str(document.pk))
    page.locator('form[action$="/glossary/propose/"] select[name="language"]').select_option("en")
    page.locator('form[action$="/glossary/propose/"] button').click()
    expect(page.locator(".message.success")).to_contain_text("Proposed")
    candidates = page.locator("table.glossary tr.status-candidate")
    expect(candidates.first).to_be_visible()
    count = candidates.count()
    first = candidates.first
    source = first.locator('input[name="source"]').input_value()
    first.locator('input[name="target"]').fill("accepted term")
    first.get_by_role("button", name="Accept").click()
    expect(page.locator(".message.success")).to_contain_text(f"Saved {source} → accepted term")
    expect(page.locator("table.glossary tr.status-candidate")).to_have_count(count - 1)
    assert GlossaryTerm.objects.get(source=source, language="en").status == "preferred"
    # accepting without a translation is refused with the reason
    page.locator("table.glossary tr.status-candidate").first.get_by_role("button", name="Accept").click()
    expect(page.locator(".message.error")).to_contain_text("needs its translation")

    # export CSV, delete the term, import the file back
    page.goto(f"{live_server.url}/glossary/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "glossary.csv"
    download.value.save_as(path)
    assert "全球化,en,globalisation,forbidden" in path.read_text(encoding="utf-8")
    page.fill('.glossary-search input[name="q"]', "全球化")
    page.click(".glossary-search button")
    row(page, "全球化").get_by_role("button", name="Delete").click()
    expect(page.locator(".message.success")).to_contain_text("Deleted 全球化")
    assert not GlossaryTerm.objects.filter(source="全球化").exists()
    page.locator("details.glossary-more summary").click()
    page.set_input_files('form[action$="/glossary/import/"] input[type="file"]', str(path))
    page.locator('form[action$="/glossary/import/"] button').click()
    expect(page.locator(".message.success")).to_contain_text("1 new")
    assert GlossaryTerm.objects.get(source="全球化", language="en").status == "forbidden"


def test_a_translator_reads_the_glossary_and_cannot_change_it(page: Page, live_server):
    GlossaryTerm.objects.create(language="en", source="疫情", target="pandemic", status="preferred")
    translator = make_user("translator", ["en"])
    login(page, live_server, translator)
    expect(page.locator("table.glossary")).to_contain_text("pandemic")
    expect(page.locator("form.glossary-add")).to_have_count(0)
    expect(page.locator("table.glossary input")).to_have_count(0)
