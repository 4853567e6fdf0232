"""`make docs` without a built warehouse stops with what to do (the docs themselves: tests/integration)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from costcurve.cli import app
from costcurve.docs import generate_docs


def test_missing_published_copy_says_to_run_make_demo(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no published warehouse at .*: run `make demo` first"):
        generate_docs(tmp_path / "costcurve.duckdb", tmp_path / "docs")
    assert not (tmp_path / "docs").exists()  # nothing written, no empty warehouse created


def test_cli_exits_1_with_the_message(tmp_path, monkeypatch):
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(tmp_path / "published" / "costcurve.duckdb"))
    result = CliRunner().invoke(app, ["docs", "--out", str(tmp_path / "docs")])
    assert result.exit_code == 1
    assert "run `make demo` first" in result.output
