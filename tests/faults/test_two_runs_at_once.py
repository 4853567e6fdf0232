"""Two writing commands at once: the second waits for the first's writer lock (warehouse/run_lock.py), then
either proceeds on a whole warehouse or stops with a clear message, touching nothing. Real processes."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb

COSTCURVE = Path(sys.executable).with_name("costcurve")

#: a writer that takes the lock, writes its row in a transaction it holds for HOLD seconds, then commits
WRITER = textwrap.dedent("""
    import sys, time, duckdb
    from pathlib import Path
    from warehouse.run_lock import warehouse_lock
    warehouse, name, hold, ready = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), Path(sys.argv[4])
    with warehouse_lock(warehouse, command=f"writer {name}"):
        ready.touch()
        con = duckdb.connect(str(warehouse))
        con.execute("CREATE TABLE IF NOT EXISTS runs (name VARCHAR)")
        con.execute("BEGIN")
        con.execute("INSERT INTO runs VALUES (?)", [name])
        time.sleep(hold)
        con.execute("COMMIT")
        con.close()
""")


def _start_writer(warehouse: Path, name: str, hold: float, ready: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(warehouse), name, str(hold), str(ready)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, proc: subprocess.Popen) -> None:
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)


def _env(tmp_path: Path, wait: str) -> dict:
    return {**os.environ, "COSTCURVE_WAREHOUSE": str(tmp_path / "costcurve.duckdb"), "COSTCURVE_LOCK_WAIT": wait,
            "COSTCURVE_ARCHIVE": str(tmp_path / "archive")}


def test_second_writer_waits_for_the_first_and_neither_half_fails(tmp_path):
    warehouse = tmp_path / "costcurve.duckdb"
    env = _env(tmp_path, "120")
    first = _start_writer(warehouse, "first", 3, tmp_path / "first.ready", env)
    _wait_for(tmp_path / "first.ready", first)
    second = _start_writer(warehouse, "second", 0, tmp_path / "second.ready", env)
    out_first, err_first = first.communicate(timeout=120)
    out_second, err_second = second.communicate(timeout=120)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    # the second said whom it waited for: the first's pid and command
    assert f"held by pid {first.pid} (writer first, since" in err_second
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT name FROM runs ORDER BY name").fetchall() == [("first",), ("second",)]
    con.close()


def test_costcurve_run_stops_cleanly_when_the_lock_stays_held(tmp_path):
    warehouse = tmp_path / "costcurve.duckdb"
    env = _env(tmp_path, "1")
    holder = _start_writer(warehouse, "holder", 60, tmp_path / "holder.ready", env)
    try:
        _wait_for(tmp_path / "holder.ready", holder)
        run = subprocess.run([str(COSTCURVE), "run", "--date", "2024-04-01"], env=env, capture_output=True,
                             text=True, timeout=600)
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 1
    assert f"is being written by pid {holder.pid} (writer holder, since" in run.stderr
    assert "waited 1 s (COSTCURVE_LOCK_WAIT) and stopped without touching it" in run.stderr
    assert "Traceback" not in run.stderr
    # it touched nothing: no capture archived, and the lock is free again once the holder is gone
    assert not (tmp_path / "archive").exists()
    from warehouse.run_lock import warehouse_lock
    with warehouse_lock(warehouse, command="test", wait=0):
        pass


def test_lock_wait_must_be_a_number(monkeypatch):
    import pytest

    from warehouse.run_lock import lock_wait_seconds

    monkeypatch.setenv("COSTCURVE_LOCK_WAIT", "soon")
    with pytest.raises(ValueError, match="COSTCURVE_LOCK_WAIT must be a number of seconds, not 'soon'"):
        lock_wait_seconds()
