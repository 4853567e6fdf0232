"""tools/ensure-chromium, which `make test` runs first: idempotent, and never fatal where it cannot install."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from costcurve.config import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "tools" / "ensure-chromium"
BASH = shutil.which("bash")


def _run(path: str) -> subprocess.CompletedProcess:
    return subprocess.run([BASH, str(SCRIPT)], env={"PATH": path}, capture_output=True, text=True, timeout=600)


def test_without_apt_get_it_says_so_and_succeeds(tmp_path):
    """No chromium and no apt-get on PATH (a Mac, a slim image): exit 0, the reason on stdout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").symlink_to(shutil.which("id"))
    result = _run(str(bin_dir))
    assert result.returncode == 0, result.stderr
    assert "no apt-get here" in result.stdout and "the browser test skips" in result.stdout


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="chromium and chromedriver are not installed here")
def test_installed_it_does_nothing_twice(tmp_path):
    for _ in range(2):
        result = _run(str(Path(shutil.which("chromium")).parent) + ":" + str(Path(shutil.which("chromedriver")).parent))
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "ensure-chromium: chromium and chromedriver are installed"
