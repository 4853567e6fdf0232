"""`make dev`: `dg dev` in a process group of its own, stopped as a whole on Ctrl-C or SIGTERM.

`dg dev` starts the webserver, the daemon, a code server and its gRPC server (which runs dbt parse while it
loads). On SIGTERM it only stops what it has started once the UI is up: a signal during the minute or two of
start-up is lost, and the code servers outlive it until their heartbeat times out. `make` forwards SIGTERM
to its recipe and waits for it, so `make dev` hung. This wrapper is the recipe: on SIGINT or SIGTERM it
interrupts the group (Dagster's own graceful shutdown), and whatever is still running after
``GRACE_SECONDS`` is killed, the whole group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

#: Dagster's own shutdown waits for the webserver and daemon; past this the group is killed
GRACE_SECONDS = 15.0


def main(argv: list[str] | None = None) -> int:
    return supervise([str(Path(sys.executable).with_name("dg")), "dev", *(sys.argv[1:] if argv is None else argv)])


def supervise(command: list[str], grace: float = GRACE_SECONDS) -> int:
    """Run ``command`` in a new session until it exits, or until SIGINT/SIGTERM stops its whole group."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    # a session (and process group) of its own: a terminal's Ctrl-C reaches this wrapper, which passes it on
    # once, instead of every process getting it mid-start-up
    child = subprocess.Popen(command, start_new_session=True, preexec_fn=_interruptible)
    while child.poll() is None:
        if stop.wait(0.5):
            return stop_group(child, grace)
    return child.returncode


def _interruptible() -> None:
    # in the child before exec: the group is stopped with SIGINT, and an ignored SIGINT survives exec (a
    # background job started without job control ignores it), so give the group the default back
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop_group(child: subprocess.Popen, grace: float = GRACE_SECONDS) -> int:
    """SIGINT to the group (what Ctrl-C would send), then SIGKILL to whatever is left after the grace."""
    group = child.pid  # the session leader's pid is the group id
    _signal_group(group, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=grace)
    deadline = time.monotonic() + grace
    while group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.5)
    _signal_group(group, signal.SIGKILL)
    child.wait()
    return 0


def group_alive(group: int) -> bool:
    """Any process of the group still running (zombies, already exited and waiting for a reaper, are not)."""
    return bool(running_members(group))


def running_members(group: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue  # exited while we looked
        state, pgrp = fields[0], int(fields[2])
        if pgrp == group and state != "Z":
            members.append(int(entry.name))
    return members


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # every member has exited
        os.killpg(group, signum)


if __name__ == "__main__":
    sys.exit(main())
