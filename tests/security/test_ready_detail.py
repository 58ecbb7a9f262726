"""Finding 10: /ready/ tells an anonymous caller only that the database is unavailable; the error
(host, port, database name) goes to the log."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError

SECRET = 'connection to server at "db.internal" (10.9.8.7), port 6543 failed: database "prod_wb"'


@pytest.mark.django_db(transaction=True)
def test_ready_hides_the_database_error_and_logs_it(client, monkeypatch, caplog):
    from django.db.backends.postgresql import base

    def down(self, *args, **kwargs):
        raise OperationalError(SECRET)

    monkeypatch.setattr(base.DatabaseWrapper, "create_cursor", down)
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING, logger="workbench.health"):
        response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    for leak in ("db.internal", "10.9.8.7", "6543", "prod_wb"):
        assert leak not in response.content.decode()
    assert any("db.internal" in record.getMessage() for record in caplog.records)
