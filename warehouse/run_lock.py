"""The writer lock: one `costcurve run`, `backfill` or `demo` writes the warehouse at a time.

DuckDB lets one process open the file for writing; a second writer fails at once with DuckDB's lock
error, wherever it happens to be (a raw load, the dbt build), and that run half-fails. Dagster's pool of
size 1 (orchestration/partitions.py) serialises steps only inside one Dagster instance's run queue; each
CLI command runs its job in-process, so two commands never see each other's pool. This lock sits beside
the warehouse (``<warehouse>.lock``, an OS file lock: released by the kernel when the holder dies, so a
SIGKILLed run never leaves it held) and a second command waits for the first, up to
``COSTCURVE_LOCK_WAIT`` seconds, then stops before touching anything.

Who holds it (pid, command, since) is written to ``<warehouse>.lock.json`` after acquiring: filelock
truncates the lock file itself whenever anyone opens it, so the holder's note cannot live there.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

#: seconds a second run waits for the first before giving up (half an hour: longer than a daily run)
DEFAULT_WAIT_SECONDS = 1800.0
#: how often a waiting run says again who it waits for
_REPORT_EVERY_SECONDS = 60.0


class WarehouseLockedError(RuntimeError):
    """Another costcurve command held the warehouse's writer lock for longer than we were willing to wait."""


def lock_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".lock")


def holder_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".lock.json")


def lock_wait_seconds() -> float:
    raw = os.environ.get("COSTCURVE_LOCK_WAIT", "").strip()
    if not raw:
        return DEFAULT_WAIT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"COSTCURVE_LOCK_WAIT must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"COSTCURVE_LOCK_WAIT must be 0 or more seconds, not {raw!r}")
    return value


def read_holder(warehouse: Path) -> dict | None:
    """The note the current (or last) holder left, or None when there is none or it is unreadable."""
    try:
        return json.loads(holder_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "another process (it left no note)"
    return f"pid {holder.get('pid')} ({holder.get('command')}, since {holder.get('since')})"


@contextmanager
def warehouse_lock(warehouse: Path, command: str | None = None, *, wait: float | None = None,
                   echo: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the writer lock for the block; wait up to ``wait`` seconds (default COSTCURVE_LOCK_WAIT) for it,
    saying who holds it, then raise WarehouseLockedError naming the holder."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    wait = lock_wait_seconds() if wait is None else wait
    echo = echo or (lambda message: print(message, file=sys.stderr, flush=True))
    command = command or " ".join(["costcurve", *sys.argv[1:]])
    lock = FileLock(lock_path(warehouse))
    deadline = time.monotonic() + wait
    reported = False
    slice_seconds = 0.0  # try once at once; a held lock is reported before any waiting
    while True:
        try:
            lock.acquire(timeout=slice_seconds)
            break
        except Timeout:
            holder = describe_holder(read_holder(warehouse))
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"the warehouse {warehouse} is being written by {holder}; waited {wait:g} s "
                    f"(COSTCURVE_LOCK_WAIT) and stopped without touching it: run again when it has finished"
                ) from None
            echo(f"waiting for the warehouse writer lock held by {holder} "
                 f"(up to {wait:g} s in all, COSTCURVE_LOCK_WAIT)")
            reported = True
        # wait in slices so a long wait repeats who holds the lock (it may change hands)
        slice_seconds = min(_REPORT_EVERY_SECONDS, max(deadline - time.monotonic(), 0))
    try:
        if reported:
            echo("got the warehouse writer lock")
        note = {"pid": os.getpid(), "command": command, "since": datetime.now(UTC).isoformat(timespec="seconds")}
        holder_path(warehouse).write_text(json.dumps(note), encoding="utf-8")
        yield
    finally:
        holder_path(warehouse).unlink(missing_ok=True)
        lock.release()
