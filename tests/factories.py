"""Plain factory functions for tests: small documents, users by role, translations."""

from __future__ import annotations

import itertools
from pathlib import Path

from django.conf import settings

from corpus.accounts import account_create
from corpus.models import Document
from exchange.sources import document_import

_counter = itertools.count(1)
PASSWORD = "a-long-test-password-1"
# Gold data shipped inside the repository (CC BY-SA 3.0, see its README): tests read nothing outside it.
# A source whose second line is the Korean translation of its title.
KOREAN_SOURCE = "全球治理需要多边合作\n글로벌 거버넌스는 다자 협력이 필요하다\n第一句话。\n".encode()
PUD = Path(__file__).resolve().parent / "data" / "pud-zh-ko-en"


STEMS = "甲乙丙丁戊己庚辛壬癸"


def unique_tag(number: int) -> str:
    """A unique Chinese tag without digits (a number in the source would be a finding of every
    translation of it): 104 -> 乙甲丁."""
    return "".join(STEMS[int(digit)] for digit in str(number))


def make_document(text: str | None = None, *, title: str = "") -> Document:
    number = next(_counter)
    tag = unique_tag(number)
    text = text or f"测试标题{tag}\n第一句话讲到{tag}的问题。第二句话说“你好！”他说。\n第三段只有一句。\n"
    return document_import(data=text.encode(), file_name=f"test-{number}.txt", title=title).document


def seed_document() -> Document:
    data = settings.WORKBENCH_SEED_PATH.read_bytes()
    return document_import(
        data=data, file_name=settings.WORKBENCH_SEED_PATH.name, title=settings.WORKBENCH_SEED_TITLE
    ).document


def make_user(role: str = "translator", languages: list[str] | None = None, username: str | None = None):
    username = username or f"{role}{next(_counter)}"
    return account_create(username=username, password=PASSWORD, role=role, languages=languages or [])


def api_client(user=None):
    """An API client signed in as ``user`` (anonymous when None)."""
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def assert_error(response, status: int, code: str) -> dict:
    """The response is the API's one error shape with this status and code; returns its ``error``."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
