"""SIGKILL a process while it loads a day into a real DuckDB file, then re-run: the day's rows are whole.

The child process runs the daily job's own load path (``scrapers.collect.collect`` replaying the demo's
real LiteLLM capture, then ``warehouse.load.load_source_day`` on a real DuckDB file). It is killed with
SIGKILL from inside ``before_commit``, the hook the ingest asset's drift check uses: at that moment the
transaction holds the day's DELETE and every INSERT, uncommitted. The kill point is chosen by a marker
file the child writes, not by a timer.

What it shows, for a first load and for a re-run of a day already loaded: after the kill the file opens
and the day holds exactly what it held before (nothing, or the whole earlier load; never part of one);
a re-run then loads the whole day once, row for row what a clean load gives, with no duplicates.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scrapers.archive import RawArchive
from scrapers.collect import collect
from scrapers.registry import get_source
from warehouse.connection import writer
from warehouse.load import load_source_day

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "captures"
DAY = date(2026, 7, 24)

#: load the demo's LiteLLM capture of DAY; with a marker path, stop inside the open transaction
LOAD_DAY = textwrap.dedent("""
    import json, sys, time
    from datetime import date
    from pathlib import Path
    from scrapers.archive import RawArchive
    from scrapers.collect import collect
    from scrapers.registry import get_source
    from warehouse.connection import writer
    from warehouse.load import load_source_day

    warehouse, archive, demo, day, marker = sys.argv[1:6]
    day = date.fromisoformat(day)
    got = collect(get_source("litellm"), day, RawArchive(Path(archive)), replay_dir=Path(demo))

    def before_commit(records):
        if marker:
            Path(marker).write_text(str(records))  # every row is written, nothing committed
            time.sleep(3600)  # wait here for the SIGKILL

    with writer(Path(warehouse)) as con:
        counts = load_source_day(con, "litellm", day, got.fetches, got.result, before_commit=before_commit)
    print(json.dumps(counts))
""")

#: the day's rows, without the load time (which differs between loads by design)
DAY_ROWS = "SELECT * EXCLUDE (loaded_at) FROM raw.{table} WHERE source_id = 'litellm' AND partition_date = ?"


def run_load(tmp_path: Path, warehouse: Path, marker: Path | None) -> subprocess.Popen:
    args = [str(warehouse), str(tmp_path / "archive"), str(DEMO), DAY.isoformat(), str(marker or "")]
    return subprocess.Popen([sys.executable, "-c", LOAD_DAY, *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_inside_the_transaction(tmp_path: Path, warehouse: Path) -> None:
    marker = tmp_path / "in-transaction"
    marker.unlink(missing_ok=True)
    child = run_load(tmp_path, warehouse, marker)
    try:
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"the load ended before its commit point: {child.stderr.read()[-3000:]}")
            time.sleep(0.05)
        assert int(marker.read_text()) > 1000  # the whole day was written into the transaction
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


def rerun(tmp_path: Path, warehouse: Path) -> dict[str, int]:
    child = run_load(tmp_path, warehouse, None)
    out, err = child.communicate(timeout=600)
    assert child.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def day_rows(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {table: sorted(con.execute(DAY_ROWS.format(table=table), [DAY]).fetchall(), key=repr)
                for table in ("fetches", "price_facts")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def clean_load(tmp_path_factory) -> dict[str, list[tuple]]:
    """The day as one uninterrupted load gives it: the reference every case must match."""
    tmp = tmp_path_factory.mktemp("clean")
    got = collect(get_source("litellm"), DAY, RawArchive(tmp / "archive"), replay_dir=DEMO)
    with writer(tmp / "w.duckdb") as con:
        load_source_day(con, "litellm", DAY, got.fetches, got.result)
    return day_rows(tmp / "w.duckdb")


def test_sigkill_during_a_first_load_leaves_no_rows_and_the_rerun_loads_the_day_once(tmp_path, clean_load):
    warehouse = tmp_path / "w.duckdb"
    kill_inside_the_transaction(tmp_path, warehouse)

    assert day_rows(warehouse) == {"fetches": [], "price_facts": []}  # nothing half-loaded
    rerun(tmp_path, warehouse)
    after = day_rows(warehouse)
    assert after == clean_load
    assert len(set(after["price_facts"])) == len(after["price_facts"]) > 1000  # no row twice


def test_sigkill_during_a_rerun_keeps_the_earlier_load_and_the_next_rerun_matches_it(tmp_path, clean_load):
    warehouse = tmp_path / "w.duckdb"
    rerun(tmp_path, warehouse)  # the day loaded once, committed
    assert day_rows(warehouse) == clean_load

    kill_inside_the_transaction(tmp_path, warehouse)  # the re-run had deleted and re-inserted the day

    assert day_rows(warehouse) == clean_load  # the earlier load, whole: not deleted, not doubled
    rerun(tmp_path, warehouse)
    assert day_rows(warehouse) == clean_load
