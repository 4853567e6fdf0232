"""SIGKILL a Dagster run during its dbt step: no dbt process survives it (costcurve-dbt sets
PR_SET_PDEATHSIG, costcurve/dbt_child.py), and re-running the step gives a clean build.

The run is a real ``dagster.materialize`` of the dbt assets with the project's own dbt resource
(orchestration/defs/resources.py), in a child process we can kill; the raw tables are the dbt build
test's (tests/integration/test_dbt_build.py)."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from tests.integration.test_dbt_build import META_SAMPLE, create_raw_warehouse

pytestmark = pytest.mark.integration

RUN_DBT_STEP = textwrap.dedent("""
    import sys
    import dagster as dg
    from orchestration.defs.resources import resources
    from orchestration.defs.transform.dbt_assets import costcurve_dbt_models
    dbt = resources().resources["dbt"]
    result = dg.materialize([costcurve_dbt_models], resources={"dbt": dbt}, partition_key="2026-03-06",
                            raise_on_error=False)
    sys.exit(0 if result.success else 1)
""")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped (a zombie writes nothing)."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


def _start(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RUN_DBT_STEP], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def test_sigkill_during_dbt_leaves_no_dbt_and_rerun_is_clean(tmp_path, dbt_manifest):
    warehouse = tmp_path / "costcurve.duckdb"
    create_raw_warehouse(warehouse, with_meta=META_SAMPLE.is_file())
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"} | {"COSTCURVE_WAREHOUSE": str(warehouse)}

    run = _start(env)
    dbt_pids: list[int] = []
    while not dbt_pids:  # wait for dagster-dbt to start `dbt build`
        assert run.poll() is None, f"the run ended before dbt started: {run.stderr.read()}"
        dbt_pids = [pid for pid in _children(run.pid) if " build " in _cmdline(pid)]
        time.sleep(0.1)
    # let dbt get into its build (the warehouse opened, models being written), then kill the run
    while not Path(str(warehouse) + ".wal").exists() and _alive(dbt_pids[0]):
        time.sleep(0.1)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()

    # the kernel sends the death signal at once; allow the process table a moment to show it
    for _ in range(100):
        if not any(_alive(pid) for pid in dbt_pids):
            break
        time.sleep(0.1)
    survivors = [f"{pid}: {_cmdline(pid)}" for pid in dbt_pids if _alive(pid)]
    for pid in dbt_pids:  # never leave one behind, whatever the assertion says
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    assert survivors == [], "dbt outlived the run that started it"

    rerun = _start(env)
    _, stderr = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, stderr[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'fct_%'").fetchone()[0]
        assert marts > 0
        assert con.execute("SELECT count(*) FROM fct_price_history").fetchone()[0] > 0
    finally:
        con.close()
