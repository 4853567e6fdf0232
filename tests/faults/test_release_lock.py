"""`costcurve release` is a writer like `costcurve run`: while another process holds the warehouse's writer
lock it waits COSTCURVE_LOCK_WAIT seconds, then stops with a clear message, having written nothing.
Real processes: the holder is a subprocess that takes the lock, the release is the installed command."""

import hashlib
import os
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import duckdb
from test_content_gates import DAY, SONNET, load, price

from warehouse.connection import writer
from warehouse.quarantine import entries
from warehouse.run_lock import warehouse_lock

COSTCURVE = Path(sys.executable).with_name("costcurve")

#: takes the lock, says so, and holds it (touching nothing else) until killed
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from warehouse.run_lock import warehouse_lock
    with warehouse_lock(Path(sys.argv[1]), command="costcurve run --date 2026-11-20"):
        Path(sys.argv[2]).touch()
        time.sleep(120)
""")


def _held_row(warehouse: Path) -> str:
    """A warehouse whose quarantine holds one row (a 100x move, as tests/faults/test_content_gates.py makes)."""
    with writer(warehouse) as con:
        load(con, SONNET, DAY - timedelta(days=1))
        load(con, [price("input", "300") if f is SONNET[0] else f for f in SONNET])
        (held,) = entries(con)
    assert held.action == "held"
    return held.quarantine_id


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_release_while_a_run_holds_the_lock_waits_then_stops_and_writes_nothing(tmp_path):
    warehouse = tmp_path / "costcurve.duckdb"
    held_id = _held_row(warehouse)
    before = _digest(warehouse)
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(warehouse), "COSTCURVE_LOCK_WAIT": "1",
           "COSTCURVE_RELEASED_BY": "analyst-a"}
    ready = tmp_path / "holder.ready"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(warehouse), str(ready)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not ready.exists():
            assert holder.poll() is None, holder.communicate()
            time.sleep(0.05)
        started = time.monotonic()
        run = subprocess.run([str(COSTCURVE), "release", held_id, "--reason", "confirmed on the page"],
                             env=env, capture_output=True, text=True, timeout=120)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 1, run.stderr
    assert f"waiting for the warehouse writer lock held by pid {holder.pid} (costcurve run --date 2026-11-20" in run.stderr
    assert f"is being written by pid {holder.pid}" in run.stderr
    assert "waited 1 s (COSTCURVE_LOCK_WAIT) and stopped without touching it" in run.stderr
    assert "Traceback" not in run.stderr and waited >= 1
    assert _digest(warehouse) == before  # the file was not even opened for writing
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM raw.quarantine_releases").fetchone() == (0,)
    con.close()


def test_release_after_the_lock_is_free_records_who_and_why(tmp_path):
    """The same command once nobody holds the lock: the release lands (so the test above can fail)."""
    warehouse = tmp_path / "costcurve.duckdb"
    held_id = _held_row(warehouse)
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(warehouse), "COSTCURVE_LOCK_WAIT": "1",
           "COSTCURVE_RELEASED_BY": "analyst-a"}
    run = subprocess.run([str(COSTCURVE), "release", held_id, "--reason", "confirmed on the page"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    with warehouse_lock(warehouse, wait=0):  # and it let the lock go
        pass
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT released_by, reason FROM raw.quarantine_releases").fetchall() == [
        ("analyst-a", "confirmed on the page")]
    con.close()
