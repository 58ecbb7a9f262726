"""scripts/install-browser installs Chromium and the CJK fonts only when they are missing. Run here
with stand-ins for fc-list, id and apt-get on the PATH, so no test needs root or changes the machine."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = settings.BASE_DIR / "scripts" / "install-browser"
CHROMIUM_PRESENT = os.access("/usr/bin/chromium", os.X_OK)
# Long enough that fc-list is still writing when a `grep -q` that matched the first line has exited.
MANY_FONTS = 'yes "DejaVu Sans" | head -n 200000'


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def run(tmp_path: Path, *, uid: int, fonts: str) -> tuple[subprocess.CompletedProcess, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt_log = tmp_path / "apt-get.log"
    stub(bin_dir, "fc-list", fonts)
    stub(bin_dir, "id", f"echo {uid}")
    stub(bin_dir, "apt-get", f'echo "$@" >> {apt_log}')
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    return result, apt_log.read_text() if apt_log.exists() else ""


def test_installed_fonts_are_not_reinstalled_as_root(tmp_path):
    result, apt = run(tmp_path, uid=0, fonts=f'echo "Noto Sans CJK SC"\n{MANY_FONTS}')
    assert result.returncode == 0, result.stderr
    assert "fonts-noto-cjk" not in apt + result.stderr
    assert ("chromium" in apt) is not CHROMIUM_PRESENT


def test_installed_fonts_are_not_reported_missing_without_root(tmp_path):
    result, apt = run(
        tmp_path, uid=1000, fonts=f'echo "Noto Sans CJK JP,Noto Sans CJK JP Regular"\n{MANY_FONTS}'
    )
    assert "fonts-noto-cjk" not in result.stderr
    assert result.returncode == (0 if CHROMIUM_PRESENT else 1), result.stderr
    assert apt == ""


@pytest.mark.parametrize("fonts", [MANY_FONTS, "exit 1"], ids=["other-fonts", "no-fontconfig"])
def test_missing_fonts_are_installed_as_root(tmp_path, fonts):
    result, apt = run(tmp_path, uid=0, fonts=fonts)
    assert result.returncode == 0, result.stderr
    assert "fonts-noto-cjk" in apt
