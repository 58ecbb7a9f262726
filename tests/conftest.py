import pytest

from tests.factories import make_document, make_user, seed_document


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are made in almost every test; the production hasher would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def document(db):
    return make_document()


@pytest.fixture
def seed(db):
    return seed_document()


@pytest.fixture
def translator_en(db):
    return make_user("translator", ["en"], username="tr_en")


@pytest.fixture
def translator_ko(db):
    return make_user("translator", ["ko"], username="tr_ko")


@pytest.fixture
def editor(db):
    return make_user("editor", username="editor1")


@pytest.fixture
def editor2(db):
    return make_user("editor", username="editor2")


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "", "a-long-test-password-1")
