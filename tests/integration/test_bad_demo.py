"""`costcurve demo --bad` (make demo BAD=1) on a copy of the session demo's warehouse: the 100x Haiku 3 input is
held, the Haiku 4.5 cache read dearer than input is rejected, the quality page of the copy says so, and neither
the warehouse it copied nor the bundled capture changed. One real run of the command (about a minute)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from costcurve.bad_demo import CAPTURE, DAY, SOURCE_ID
from costcurve.config import PROJECT_ROOT
from scrapers.registry import SOURCES

pytestmark = pytest.mark.integration

COSTCURVE = Path(sys.executable).with_name("costcurve")
BUNDLED = PROJECT_ROOT / "demo" / "captures" / DAY.isoformat() / SOURCE_ID / CAPTURE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_bad_day_is_held_and_rejected_on_a_copy(demo, tmp_path):
    warehouse = demo["box"].warehouse
    before = (_digest(warehouse), _digest(BUNDLED))
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(warehouse), "TMPDIR": str(tmp_path)}
    env.pop("DAGSTER_HOME", None)
    run = subprocess.run([str(COSTCURVE), "demo", "--bad"], env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "held for review (1): moved from 0.25 (2024-04-01) to 25 USD/M, more than 10x" in out
    assert "cache read 1.5 is dearer than input 1" in out
    # the raw gates validate what was let in: the two quarantined rows never reach them
    assert f"the run's GX gates: {len(SOURCES[SOURCE_ID].writes) + 2} validations, 0 failed" in out
    (page_path,) = re.findall(r"the quality page of the copy: (\S+)", out)
    (copy,) = re.findall(r"the copy of the warehouse: (\S+)", out)
    assert Path(page_path).is_relative_to(tmp_path) and Path(copy).is_relative_to(tmp_path)
    assert (_digest(warehouse), _digest(BUNDLED)) == before  # nothing outside the copy was written

    con = duckdb.connect(copy, read_only=True)
    day = con.execute("SELECT rule, action, reason FROM raw.quarantine WHERE source_id = ? AND partition_date = ?",
                      [SOURCE_ID, DAY]).fetchall()
    held_loaded = con.execute("SELECT count(*) FROM raw.price_facts WHERE source_id = ? AND partition_date = ? "
                              "AND model_id = 'claude-3-haiku' AND token_type = 'input' AND service_tier = 'standard'",
                              [SOURCE_ID, DAY]).fetchone()[0]
    total = con.execute("SELECT count(*) FROM raw.quarantine").fetchone()[0]
    con.close()
    assert sorted((rule, action) for rule, action, _ in day) == [
        ("cache_read_above_input", "rejected"), ("day_over_day_move", "held")]
    assert held_loaded == 0  # the held price is not in the raw table dbt reads
    assert total == 11 + 2  # the demo's own 11, and the bad day's 2

    page = BeautifulSoup(Path(page_path).read_text(encoding="utf-8"), "html.parser")
    rows = page.find("table", id="table-quarantine").find_all("tr")[1:]
    assert len(rows) == 13
    text = page.find("section", id="quarantine").get_text()
    assert "13 rows: 1 held, 12 rejected, 0 released" in text
    assert "claude-3-haiku input standard all text 25 USD" in text
    assert page.find("table", id="table-gates") is not None  # the raw gates of the bad day's run
