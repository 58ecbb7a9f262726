"""The shortcuts dialog lists every key editor.js answers to."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from django.urls import reverse

from tests.factories import make_document, make_user

EDITOR_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "editor.js"
ARROWS = {"ArrowUp": "↑", "ArrowDown": "↓", "ArrowLeft": "←", "ArrowRight": "→"}


@pytest.mark.django_db
def test_the_dialog_names_every_key_the_script_handles(client):
    keys = set(re.findall(r'event\.key === "([^"]+)"', EDITOR_JS.read_text()))
    keys |= set(re.findall(r'\["(\d)", "(\d)", "(\d)"\]', EDITOR_JS.read_text())[0])
    assert {"Enter", "Escape", "ArrowDown", "h", "?"} <= keys  # the parse found the handlers
    client.force_login(make_user("editor"))
    page = lxml.html.fromstring(client.get(reverse("editor:editor", args=[make_document().pk])).content)
    listed = " ".join(dt.text_content() for dt in page.xpath('//dialog[@id="shortcuts"]//dt'))
    tokens = set(re.split(r"[\s/+]+", listed))
    missing = {key for key in keys if ARROWS.get(key, key) not in tokens and key.upper() not in tokens}
    assert not missing, f"keys handled by editor.js but not in the shortcuts dialog: {sorted(missing)}"
