"""Production behaviour: security headers, login throttling, request ids, liveness without the
database, readiness and a clear 503 while the database is unreachable, `check --deploy`."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError

from tests.factories import PASSWORD, make_user


@pytest.mark.django_db
def test_security_headers_on_pages_and_api(client):
    for path in ("/accounts/login/", "/api/v1/me/", "/health/"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert len(response["X-Request-ID"]) >= 16


@pytest.mark.django_db
def test_request_id_from_the_proxy_is_kept(client):
    assert client.get("/health/", headers={"X-Request-ID": "abc-123"})["X-Request-ID"] == "abc-123"


@pytest.mark.django_db
def test_no_inline_scripts_in_pages(client, seed):
    user = make_user("editor", username="csp_editor")
    client.force_login(user)
    for path in ("/", f"/documents/{seed.pk}/", f"/documents/{seed.pk}/alignment/", "/accounts/login/"):
        html = client.get(path).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {path}: <script{chunk[:80]}"
        assert " onclick=" not in html and " onload=" not in html


@pytest.mark.django_db
def test_login_throttling_refuses_after_repeated_failures(client):
    make_user("translator", username="victim")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.post("/accounts/login/", {"username": "victim", "password": "wrong"}).status_code == 200
    refused = client.post("/accounts/login/", {"username": "victim", "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_successful_login_is_not_throttled(client):
    make_user("translator", username="fine")
    response = client.post("/accounts/login/", {"username": "fine", "password": PASSWORD})
    assert response.status_code == 302


def test_health_answers_without_the_database(client, monkeypatch):
    from django.db.backends.base import base

    def broken(*args, **kwargs):
        raise AssertionError("liveness touched the database")

    monkeypatch.setattr(base.BaseDatabaseWrapper, "ensure_connection", broken)
    assert client.get("/health/").json() == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_ready_and_requests_answer_503_while_the_database_is_down(client, monkeypatch):
    from django.db.backends.postgresql import base

    user = make_user("translator", username="outage")
    client.force_login(user)
    client.raise_request_exception = False  # as in production: the handler answers, nothing is re-raised

    def down(self, *args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(base.DatabaseWrapper, "create_cursor", down)
    ready = client.get("/ready/")
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
    api = client.get("/api/v1/documents/")
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "database_unavailable"
    assert api["Retry-After"] == "5"
    page = client.get("/")
    assert page.status_code == 503 and "database is unavailable" in page.content.decode()
    monkeypatch.undo()
    assert client.get("/ready/").status_code == 200  # recovers without a restart
    assert client.get("/api/v1/documents/").status_code == 200


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "workbench.example.org",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only; never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "workbench.example.org"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='workbench.settings'; django.setup()",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_json_logs_carry_request_id_user_and_duration(client, caplog):
    from workbench.logformat import JsonFormatter

    user = make_user("translator", username="logged")
    client.force_login(user)
    with caplog.at_level("INFO", logger="workbench.requests"):
        client.get("/api/v1/me/", headers={"X-Request-ID": "req-42"})
    record = next(r for r in caplog.records if r.name == "workbench.requests")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["user"] == "logged" and line["status"] == 200
    assert line["path"] == "/api/v1/me/" and line["duration_ms"] >= 0


@pytest.mark.django_db
def test_a_deadlock_is_a_409_retry_not_a_503(client, monkeypatch):
    import psycopg2.errors
    from django.db.backends.postgresql import base

    user = make_user("translator", username="deadlocked")
    client.force_login(user)
    client.raise_request_exception = False

    def deadlock(self, *args, **kwargs):
        try:
            raise psycopg2.errors.DeadlockDetected("deadlock detected")
        except psycopg2.errors.DeadlockDetected as error:
            raise OperationalError("deadlock detected") from error

    monkeypatch.setattr(base.DatabaseWrapper, "create_cursor", deadlock)
    response = client.get("/api/v1/documents/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "retry"
