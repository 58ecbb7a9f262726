"""What the benchmarks share: a database of their own on the same server, and the seed's sentences."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def base_url() -> str:
    """``DATABASE_URL`` when set, otherwise the embedded server of this checkout."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    from workbench.database import embedded_database_url

    return embedded_database_url(ROOT / ".pgdata")


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def create_database(url: str, name: str) -> str:
    """(Re)create database ``name`` on the server of ``url``, migrate it, and return its URL."""
    import psycopg2

    bench_url = with_database(url, name)
    admin = psycopg2.connect(url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    admin.close()
    env = {**os.environ, "DATABASE_URL": bench_url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    return bench_url


def seed_sentences(min_chars: int = 0) -> list[str]:
    from corpus.segmentation import split_sentences

    text = (ROOT / "data" / "seed_globalization.zh.txt").read_text(encoding="utf-8")
    sentences = [s for line in text.splitlines() if line.strip() for s in split_sentences(line.strip()) if s]
    return [s for s in sentences if len(s) >= min_chars]


def setup_django(url: str, rebuild: bool = False) -> None:
    """Point this process at ``url`` (optionally emptied first), migrate it and set Django up."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if rebuild:
        import psycopg2

        with psycopg2.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=os.environ, check=True
    )
    import django

    django.setup()


def seed_segments() -> list:
    """The seed document's source segments (text, kind, word and char counts), for synthetic documents."""
    from django.conf import settings

    from corpus.segmentation import segment_document

    return segment_document(settings.WORKBENCH_SEED_PATH.read_text(encoding="utf-8")).segments


def synthetic_document(title: str, size: int, segments: list, *, file_name: str = "bench", offset: int = 0):
    """A document of ``size`` segments cycling through ``segments`` (starting at ``offset``), made
    with bulk_create (not COPY) so that every column the models add is filled. Call it in a transaction."""
    import secrets

    from corpus.models import Document, Segment

    document = Document.objects.create(title=title, file_name=file_name, sha256=secrets.token_hex(32))
    Segment.objects.bulk_create(
        (
            Segment(
                document=document,
                position=p,
                paragraph=p // 4,
                kind=s.kind,
                text=s.text,
                words=s.words,
                chars=s.chars,
                tokens=[],
            )
            for p, s in ((p, segments[(p + offset) % len(segments)]) for p in range(size))
        ),
        batch_size=5000,
    )
    return document
