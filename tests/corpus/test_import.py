import pytest
from django.core.management import CommandError, call_command

from corpus.models import Document, Revision, Segment, Translation


def table_counts():
    return (
        Document.objects.count(),
        Segment.objects.count(),
        Translation.objects.count(),
        Revision.objects.count(),
    )


@pytest.mark.django_db
def test_seed_import(seed):
    segments = list(seed.segments.order_by("position"))
    assert [s.position for s in segments] == list(range(len(segments)))
    assert len({s.paragraph for s in segments}) == 61
    assert sum(s.kind == "heading" for s in segments) == 10
    assert not any(any("\uac00" <= c <= "\ud7a3" for c in s.text) for s in segments)
    assert all(s.words > 0 and s.chars > 0 for s in segments)
    title = next(s for s in segments if s.text == "疫后全球治理创新需加强多边合作")
    korean = Translation.objects.get(document=seed, language="ko")
    assert (korean.first_position, korean.last_position) == (title.position, title.position)
    assert korean.status == "submitted" and korean.origin == "source-document"
    assert korean.text == "코로나 이후 국제 거버넌스 혁신으로 다자간 협력 강화하자"
    assert korean.revisions.get().action == "import"


@pytest.mark.django_db
def test_reimport_is_a_noop(seed, tmp_path, capsys):
    path = tmp_path / "again.txt"
    from django.conf import settings

    path.write_bytes(settings.WORKBENCH_SEED_PATH.read_bytes())
    before = table_counts()
    call_command("import_source", str(path))
    assert "Already imported as document" in capsys.readouterr().out
    assert table_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\n ", "The file is empty."),
        ("中国的发展。".encode() + b"\xff\xfe" + "后面。".encode(), "byte 0xff at byte offset 18"),
        ("中国".encode("gbk") + "的发展。".encode(), "not UTF-8"),
        (b"Only English text here.\nAnd more.", "no Chinese text"),
        ("코로나 이후\n中国的发展。".encode(), "line 1: a Korean line must follow the Chinese line"),
    ],
)
def test_bad_inputs_fail_clearly_and_change_nothing(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = table_counts()
    with pytest.raises(CommandError) as error:
        call_command("import_source", str(path))
    assert message in str(error.value)
    assert str(path) in str(error.value)
    assert table_counts() == before


@pytest.mark.django_db
def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_source", str(tmp_path / "nope.txt"))


@pytest.mark.django_db
def test_oversized_file(tmp_path, settings):
    settings.WORKBENCH_MAX_UPLOAD_BYTES = 100
    path = tmp_path / "big.txt"
    path.write_bytes(("中国的发展。" * 40).encode())
    with pytest.raises(CommandError, match="the limit is 100 bytes"):
        call_command("import_source", str(path))
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_import_is_all_or_nothing(tmp_path, monkeypatch):
    """A failure after the document row was written leaves nothing behind."""
    from translations import kernel

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kernel, "_revision", broken)
    path = tmp_path / "doc.txt"
    path.write_bytes("标题\n中国的发展。\n한국어 제목\n".encode())
    with pytest.raises(RuntimeError):
        call_command("import_source", str(path))
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_bootstrap_loads_seed_once_and_creates_admin(capsys, django_user_model):
    call_command("bootstrap", no_migrate=True)
    out = capsys.readouterr().out
    assert "Password (shown once):" in out
    assert Document.objects.count() == 1 and django_user_model.objects.filter(is_superuser=True).count() == 1
    call_command("bootstrap", no_migrate=True)
    assert "Password" not in capsys.readouterr().out
    assert Document.objects.count() == 1 and django_user_model.objects.count() == 1
