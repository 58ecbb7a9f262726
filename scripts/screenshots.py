"""Screenshots of the editor for the README (docs/*.png), against a running server with the seed.

    python scripts/screenshots.py http://127.0.0.1:8000 PASSWORD

Needs the accounts tina (translator, en), mina (translator, en+ko) and eddie (editor) with PASSWORD,
and Debian's chromium. Two people work at once: mina edits a cell while tina looks.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def login(page, base: str, user: str, password: str, path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={path}")
    page.fill('input[name="username"]', user)
    page.fill('input[name="password"]', password)
    page.click('form[action="/accounts/login/"] button[type="submit"]')
    page.wait_for_url(f"**{path}")


def main(base: str, password: str, document: int = 1) -> None:
    path = f"/documents/{document}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height in ((1440, 900), (1024, 768)):
            viewer = browser.new_context(viewport={"width": width, "height": height})
            other = browser.new_context(viewport={"width": width, "height": height})
            tina, mina = viewer.new_page(), other.new_page()
            login(tina, base, "tina", password, path)
            login(mina, base, "mina", password, path)
            # mina opens row 4; tina opens row 3 and types; mina then saves row 3 under tina's hands
            open_cell(mina, "en", 4)
            open_cell(tina, "en", 3)
            cell(tina, "en", 3).locator("textarea").fill("This pandemic's impact is worldwide, ")
            tina.keyboard.type("of the century")
            tina.wait_for_selector(".presence-badge", timeout=8000)
            mina.keyboard.press("Escape")
            cell(mina, "en", 4).locator("textarea").wait_for(state="detached")
            open_cell(mina, "en", 3)
            # a text of its own each run: saving the text already there would change nothing
            cell(mina, "en", 3).locator("textarea").fill(
                f"The impact of this pandemic is global and of the century ({datetime.now():%H:%M:%S})."
            )
            mina.keyboard.press("Control+Enter")
            tina.wait_for_selector("td.cell.open .live-notice", timeout=10000)
            tina.wait_for_timeout(2500)
            tina.locator('td.cell[data-language="en"][data-first="3"]').scroll_into_view_if_needed()
            tina.evaluate("window.scrollTo(0, 0)")
            tina.screenshot(path=str(DOCS / f"editor-live-{width}.png"))
            tina.locator("td.cell.open .js-compare").click()
            tina.wait_for_selector("td.cell .conflict")
            tina.screenshot(path=str(DOCS / f"editor-compare-{width}.png"))
            viewer.close()
            other.close()

            editor = browser.new_context(viewport={"width": width, "height": height})
            eddie = editor.new_page()
            login(eddie, base, "eddie", password, path)
            open_cell(eddie, "en", 2)
            eddie.wait_for_selector("#panel section", timeout=8000)
            eddie.screenshot(path=str(DOCS / f"editor-panel-{width}.png"))
            eddie.goto(f"{base}/glossary/")
            eddie.screenshot(path=str(DOCS / f"glossary-{width}.png"))
            eddie.goto(f"{base}{path}dashboard/")
            eddie.screenshot(path=str(DOCS / f"dashboard-{width}.png"), full_page=True)
            editor.close()
        browser.close()


def cell(page, language: str, first: int):
    return page.locator(f'td.cell[data-language="{language}"][data-first="{first}"]')


def open_cell(page, language: str, first: int) -> None:
    page.locator(f'td.cell[data-language="{language}"][data-first="{first}"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f'td.cell[data-language="{language}"][data-first="{first}"] textarea')


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
