"""Found alongside finding 4: a request id with a control character was echoed into the response's
X-Request-ID header, which gunicorn refuses to send (the client got a broken response). Only printable
ASCII ids are kept; anything else gets a fresh id."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("incoming", ["abc\x01def", "tab\there", "bell\x07", "del\x7f"])
def test_a_request_id_with_a_control_character_is_replaced(client, incoming):
    response = client.get("/health/", HTTP_X_REQUEST_ID=incoming)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]), response["X-Request-ID"]


def test_a_printable_request_id_is_kept(client):
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-1234 abc")["X-Request-ID"] == "lb-1234 abc"
