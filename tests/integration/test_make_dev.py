"""`make dev` stops cleanly: SIGTERM to the make process alone ends the webserver, daemon and code servers.

A real `make dev` on a free loopback port, with a private DAGSTER_HOME; start-up loads the definitions (dbt
parse included), so it waits for the UI generously. The children are found from /proc (the process tree
under make) while the UI answers, and must all be gone (exited; a zombie waiting for a reaper counts as
gone) within STOP_BOUND seconds of the signal.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from costcurve.config import PROJECT_ROOT

START_BOUND = 600  # seconds: a loaded 2-core machine takes minutes to load the definitions
STOP_BOUND = 60  # the wrapper's grace (15 s) twice, with room


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) for every process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            table[int(entry.name)] = (int(fields[1]), fields[0])
    return table


def _descendants(root: int) -> set[int]:
    table = _processes()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, (ppid, _) in table.items() if ppid in frontier} - found
        found |= frontier
    return found


def _running(pids: set[int]) -> set[int]:
    table = _processes()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc (Linux)")
def test_sigterm_to_make_ends_every_child(tmp_path):
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    log = open(tmp_path / "make-dev.log", "w")  # noqa: SIM115 (closed in the finally below, after make)
    make = subprocess.Popen(["make", "dev", f"DEV_PORT={port}", "DEV_HOST=127.0.0.1"], cwd=PROJECT_ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    children: set[int] = set()
    try:
        deadline = time.monotonic() + START_BOUND
        while not _answers(f"http://127.0.0.1:{port}/server_info"):
            assert make.poll() is None, (tmp_path / "make-dev.log").read_text()
            assert time.monotonic() < deadline, "the UI never answered"
            time.sleep(2)
        children = _descendants(make.pid)
        names = " ".join(Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace") for pid in children)
        assert "dagster_webserver" in names and "dagster._daemon" in names, names

        make.send_signal(signal.SIGTERM)  # make only, not its group
        deadline = time.monotonic() + STOP_BOUND
        while _running(children | {make.pid}) and time.monotonic() < deadline:
            time.sleep(1)
        assert not _running(children | {make.pid}), f"still running after {STOP_BOUND}s: {_running(children)}"
    finally:
        for pid in _running(children):  # never leave a server behind, even when the test fails
            os.kill(pid, signal.SIGKILL)
        if make.poll() is None:
            make.kill()
        make.wait()
        log.close()
