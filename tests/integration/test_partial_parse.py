"""The daily dbt step leaves its parse state for the next run, so dbt parses only what changed.

Real dbt parses: one as a run does it (its own target folder, the run's COSTCURVE_WAREHOUSE), then the
state handed on by ``keep_partial_parse`` seeds a second run's folder the way dagster-dbt seeds it, and
dbt must not report that it had to parse everything again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.defs.transform.dbt_assets import keep_partial_parse

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
FULL_PARSE = "Unable to do partial parsing"


def _parse(target: Path, warehouse: Path) -> str:
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(target),
           "DBT_LOG_PATH": str(target), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run([str(DBT), "parse", "--project-dir", "dbt_project", "--profiles-dir", "dbt_project"],
                   cwd=REPO, env=env, check=True, capture_output=True, text=True)
    return (target / "dbt.log").read_text()


def test_the_next_run_parses_partially_from_the_state_a_run_leaves(tmp_path: Path) -> None:
    warehouse = tmp_path / "costcurve.duckdb"
    kept = tmp_path / "project_target"
    kept.mkdir()
    first = tmp_path / "run1"
    _parse(first, warehouse)

    keep_partial_parse(first, kept)

    second = tmp_path / "run2"
    second.mkdir()
    shutil.copy(kept / "partial_parse.msgpack", second / "partial_parse.msgpack")  # as dagster-dbt seeds it
    log = _parse(second, warehouse)
    assert FULL_PARSE not in log
    assert "Partial parsing enabled" in log


def test_a_run_without_parse_state_leaves_the_kept_one_alone(tmp_path: Path) -> None:
    kept = tmp_path / "project_target"
    kept.mkdir()
    (kept / "partial_parse.msgpack").write_bytes(b"earlier")
    keep_partial_parse(tmp_path / "empty_run", kept)
    assert (kept / "partial_parse.msgpack").read_bytes() == b"earlier"
    assert sorted(p.name for p in kept.iterdir()) == ["partial_parse.msgpack"]
