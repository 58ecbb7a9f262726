"""Plain-http production mode (BEHIND_TLS=0) starts: the deploy check passes with exactly the TLS
checks silenced, scripts/serve-production says once that TLS is off and gunicorn answers; a
SECRET_KEY shorter than Django's 50 characters is refused."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

PLAIN_HTTP = {"DEBUG": "0", "BEHIND_TLS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
# check --deploy does not connect; settings only need a URL.
NO_DATABASE = "postgres://nobody@127.0.0.1:9/unused"


def key(length: int) -> str:
    return secrets.token_urlsafe(length)[:length]


def environment(**overrides: str) -> dict[str, str]:
    env = {**os.environ, **PLAIN_HTTP, **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only; never in production
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_over_plain_http_with_only_the_tls_checks_silenced():
    result = check_deploy(environment(SECRET_KEY=key(50), DATABASE_URL=NO_DATABASE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (4 silenced)" in result.stdout


def test_a_secret_key_shorter_than_50_characters_is_refused():
    result = check_deploy(environment(SECRET_KEY=key(40), DATABASE_URL=NO_DATABASE))
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_the_tls_checks_stay_on_behind_tls():
    env = environment(SECRET_KEY=key(50), DATABASE_URL=NO_DATABASE, BEHIND_TLS="1", SECURE_COOKIES="0")
    result = check_deploy(env)
    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr


def database_url() -> str:
    """The test database as a DATABASE_URL, on the system server or the embedded one."""
    db = connection.settings_dict
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"] or "", safe="")
    host = db["OPTIONS"].get("host") or db["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # a socket folder: the embedded server's
        return f"postgres://{user}:{password}@/{db['NAME']}?host={host}"
    return f"postgres://{user}:{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_serve_production_starts_over_plain_http():
    port = free_port()
    env = environment(
        SECRET_KEY=key(50),
        DATABASE_URL=database_url(),  # the test database: migrate finds nothing to do
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )
    server = subprocess.Popen(
        [str(settings.BASE_DIR / "scripts" / "serve-production")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                    assert response.status == 200  # plain http: no redirect to https
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        output = server.stdout.read()
        server.stdout.close()
    warnings = [line for line in output.splitlines() if "TLS is off" in line]
    assert len(warnings) == 1, output
    assert "no issues (4 silenced)" in output
