"""costcurve/dev_server.py, `make dev`'s wrapper: SIGTERM to it ends its child's whole process group, even a
child that ignores signals and has children of its own (as `dg dev` does during start-up). The real
`make dev` is tested in tests/integration/test_make_dev.py."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from costcurve.dev_server import running_members

# a stand-in for dg dev: ignores SIGINT and SIGTERM, and starts two children that inherit that
STUBBORN = "trap '' INT TERM; sleep 300 & sleep 300 & echo started; wait"


def test_sigterm_ends_a_group_that_ignores_signals():
    wrapper = subprocess.Popen(
        [sys.executable, "-c", f"from costcurve.dev_server import supervise; supervise(['bash', '-c', {STUBBORN!r}], grace=1)"],
        stdout=subprocess.PIPE, text=True)
    assert wrapper.stdout.readline().strip() == "started"
    group = next(pid for pid in _children(wrapper.pid))  # the bash, leader of its own group
    assert len(running_members(group)) == 3
    wrapper.send_signal(signal.SIGTERM)
    assert wrapper.wait(timeout=30) == 0
    for _ in range(20):  # SIGKILL is delivered at once; the kernel may take a moment to mark them exited
        if not running_members(group):
            break
        time.sleep(0.1)
    assert running_members(group) == []


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]
