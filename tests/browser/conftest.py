"""Browser tests: headless Debian Chromium against pytest-django's live server.

pytest-playwright's sync API runs an event loop in the test thread, so Django's ORM (used by the
tests to set up and check data) must be told that this is fine.
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url():
    """Replaces pytest-playwright's own fixture, a method on a class that pytest 9 warns about
    (and ``filterwarnings = error`` fails on). Tests use ``live_server.url``."""
    return None
