"""A book-sized alignment applied as a background job in a real browser: the page leaves the request
at once, the progress bar moves while a real worker process writes, and the result is shown."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from corpus.models import Translation
from exchange.sources import document_import
from jobs.models import Job
from tests.factories import PASSWORD, PUD, make_user
from tests.jobs.conftest import start_worker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SENTENCES = 600


def test_a_large_alignment_applied_as_a_job_shows_its_progress_and_result(page: Page, live_server, settings):
    settings.WORKBENCH_JOB_ALIGN_THRESHOLD = 1000
    zh = PUD.joinpath("zh.txt").read_text(encoding="utf-8").splitlines()[:SENTENCES]
    en = PUD.joinpath("en.txt").read_text(encoding="utf-8").splitlines()[:SENTENCES]
    document = document_import(data="\n".join(zh).encode(), file_name="pud.txt").document
    user = make_user("translator", ["en"])
    page.set_default_timeout(120_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/documents/{document.pk}/alignment/?language=en")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form[action="/accounts/login/"] button[type="submit"]')
    page.fill("#paste-text", "\n".join(en))
    page.click('button[name="mode"][value="apply"]')
    page.wait_for_url("**/jobs/*/")
    job = Job.objects.get()
    assert job.kind == "alignment-apply" and job.state == "queued"
    expect(page.locator(".job-state")).to_have_text("queued")
    # small batches with a pause after each, as a busy server would run it: the bar has time to move
    worker = start_worker(WORKBENCH_JOB_BATCH="5", WORKBENCH_JOB_BATCH_PAUSE="0.05")
    try:
        seen = set()
        end = time.monotonic() + 240
        while time.monotonic() < end:
            state = page.locator("#job-progress").get_attribute("data-state")
            bar = page.locator("#job-bar")
            seen.add((int(bar.get_attribute("value")), int(bar.get_attribute("max"))))
            if state == "done":
                break
            time.sleep(0.1)
        moving = {value for value, maximum in seen if 0 < value < maximum}
        assert len(moving) >= 2, seen  # the bar was seen at two points on its way
        expect(page.locator(".job-state")).to_have_text("done")
        result = page.locator(".job-result")
        expect(result).to_contain_text("created")
        created = Translation.objects.filter(
            document=document, language="en", retired_at__isnull=True
        ).count()
        assert created > SENTENCES // 2
        expect(
            result.locator("dt", has_text="created").locator("xpath=following-sibling::dd[1]")
        ).to_have_text(str(created))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
