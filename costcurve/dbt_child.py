"""`costcurve-dbt`: dbt, as a child that dies with the run that started it.

dagster-dbt runs dbt as a subprocess. When the run is killed (SIGKILL, the OOM killer, a lost terminal)
nothing tells that subprocess, and an orphaned `dbt build` keeps writing the warehouse after its run is
gone, racing the next one. This wrapper asks the kernel to send it SIGKILL when its parent dies
(prctl PR_SET_PDEATHSIG, through the pyprctl package) and then execs the venv's dbt in its place, so the
request carries over to dbt itself. orchestration/defs/resources.py names it as dagster-dbt's
``dbt_executable``.

Linux only (prctl); the signal follows the parent *thread* that started the child, and dagster-dbt starts
dbt from the step's own thread, which waits for dbt to finish.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pyprctl


def dbt_path() -> Path:
    """The venv's dbt, beside the interpreter running this wrapper (no activated virtualenv needed)."""
    return Path(sys.executable).with_name("dbt")


def main() -> None:
    parent = os.getppid()
    pyprctl.set_pdeathsig(signal.SIGKILL)
    # the parent may have died between our fork and the prctl: then no signal will ever come
    if os.getppid() != parent or parent == 1:
        sys.exit("costcurve-dbt: the run that started dbt is gone; not starting dbt")
    dbt = dbt_path()
    os.execv(dbt, [str(dbt), *sys.argv[1:]])


if __name__ == "__main__":
    main()
