"""The first run speaks clearly: bootstrap's progress goes to stderr and its stdout carries only the
new admin's name and one-time password, which scripts/serve prints last."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command


def bootstrap() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("bootstrap", no_migrate=True, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_bootstrap_prints_the_admin_and_its_password_alone_on_stdout():
    out, err = bootstrap()
    assert "Imported document" in err and "Imported" not in out
    first, second = out.splitlines()
    assert first.startswith("Created the local admin 'admin'. Password (shown once): ")
    password = first.rsplit(" ", 1)[1]
    assert authenticate(username="admin", password=password) is not None
    assert second == "A new password any time: .venv/bin/python manage.py changepassword admin"

    out, err = bootstrap()
    assert out == "" and err == ""
