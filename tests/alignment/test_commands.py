from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from alignment.evaluation import parse_beads
from tests.factories import PUD


def write(path: Path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_align_files_prints_beads(tmp_path):
    src = write(tmp_path / "zh.txt", ["韦小宝在扬州长大。", "北京很大，人很多。"])
    tgt = write(
        tmp_path / "en.txt",
        ["Wei Xiaobao grew up in Yangzhou.", "Beijing was big.", "There were many people."],
    )
    out = StringIO()
    call_command("align_files", "--src-lang", "zh", "--tgt-lang", "en", str(src), str(tgt), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[0]:[0]:")
    assert lines[1].startswith("[1]:[1, 2]:")
    assert parse_beads(out.getvalue()) == [((0,), (0,)), ((1,), (1, 2))]
    score = float(lines[0].rsplit(":", 1)[1])
    assert 0.0 <= score <= 1.0


def test_align_files_prints_empty_sides(tmp_path):
    src = write(tmp_path / "zh.txt", ["韦小宝在扬州长大。"])
    tgt = tmp_path / "en.txt"
    tgt.write_text("", encoding="utf-8")
    out = StringIO()
    call_command("align_files", "--src-lang", "zh", "--tgt-lang", "en", str(src), str(tgt), stdout=out)
    assert out.getvalue().splitlines()[0].startswith("[0]:[]:")


def test_align_files_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "align_files", "--src-lang", "zh", "--tgt-lang", "en", str(tmp_path / "a"), str(tmp_path / "b")
        )


def test_align_eval_on_folders(tmp_path):
    for folder in ("zh", "en", "gold"):
        (tmp_path / folder).mkdir()
    write(tmp_path / "zh" / "doc", ["韦小宝在扬州长大。", "北京很大，人很多。"])
    write(
        tmp_path / "en" / "doc",
        ["Wei Xiaobao grew up in Yangzhou.", "Beijing was big.", "There were many people."],
    )
    write(tmp_path / "gold" / "doc", ["[0]:[0]", "[1]:[1,2]"])
    out = StringIO()
    call_command(
        "align_eval",
        "--src-lang=zh",
        "--tgt-lang=en",
        f"--src={tmp_path / 'zh'}",
        f"--tgt={tmp_path / 'en'}",
        f"--gold={tmp_path / 'gold'}",
        stdout=out,
    )
    text = out.getvalue()
    assert "strict precision 1.0000 recall 1.0000 F1 1.0000" in text
    assert "lax    precision 1.0000 recall 1.0000 F1 1.0000" in text


def test_align_eval_on_pud_files():
    folder = PUD
    out = StringIO()
    call_command(
        "align_eval",
        "--src-lang=en",
        "--tgt-lang=ko",
        f"--src={folder / 'en.txt'}",
        f"--tgt={folder / 'ko.txt'}",
        f"--gold={folder / 'gold.align'}",
        stdout=out,
    )
    strict = out.getvalue().splitlines()[0]
    assert float(strict.rsplit("F1 ", 1)[1]) >= 0.98


def test_align_eval_bad_folder(tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "align_eval",
            "--src-lang=zh",
            "--tgt-lang=en",
            f"--src={tmp_path}/x",
            f"--tgt={tmp_path}",
            f"--gold={tmp_path}",
        )
