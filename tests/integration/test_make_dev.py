"""`make dev` stops cleanly: SIGTERM to the make process alone ends the webserver, daemon and code servers,
both while it starts (the code server loading the definitions, dbt parse included) and once the UI answers.

A real `make dev` on a free loopback port with a private DAGSTER_HOME. Every process it starts inherits that
DAGSTER_HOME, so they are found from /proc by it (whatever their parent or process group) and must all be
gone (exited; a zombie waiting for a reaper counts as gone) within STOP_BOUND seconds of the signal.
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

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc (Linux)")]

START_BOUND = 600  # seconds: a loaded 2-core machine takes minutes to load the definitions
STOP_BOUND = 60  # the wrapper's grace (15 s) twice, with room


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _started_by(marker: bytes) -> dict[int, str]:
    """pid -> command line of every running (not zombie) process whose environment holds ``marker``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z" and marker in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def _as_from_a_shell() -> None:
    """In the child before exec: SIGINT and SIGTERM at their defaults and unblocked, as a shell starts a
    command. An ignored disposition survives exec, so a test process that inherited one (a background job
    without job control ignores SIGINT) or had one set by a library would hand it on to `make`, which then
    ignores SIGTERM: the test would be measuring its own harness instead of `make dev`."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _signal_state(pid: int) -> str:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return "gone"
    return " ".join(line.replace("\t", "=") for line in lines if line.startswith(("State", "SigBlk", "SigIgn")))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("when", ["starting", "serving"])
def test_sigterm_to_make_ends_every_child(tmp_path, when):
    port = _free_port()
    home = tmp_path / "dagster_home"
    marker = f"DAGSTER_HOME={home}".encode()
    log_path = tmp_path / "make-dev.log"
    with open(log_path, "w") as log:
        make = subprocess.Popen(["make", "dev", f"DEV_PORT={port}", "DEV_HOST=127.0.0.1"], cwd=PROJECT_ROOT,
                                env={**os.environ, "DAGSTER_HOME": str(home)}, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_as_from_a_shell)
        try:
            deadline = time.monotonic() + START_BOUND
            while not _ready(when, marker, port):
                assert make.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, f"never {when}: {log_path.read_text()}"
                time.sleep(1)
            if when == "serving":
                names = " ".join(_started_by(marker).values())
                assert "dagster_webserver" in names and "dagster._daemon" in names, names

            make.send_signal(signal.SIGTERM)  # make only, not its group
            deadline = time.monotonic() + STOP_BOUND
            while _started_by(marker) and time.monotonic() < deadline:
                time.sleep(1)
            assert not _started_by(marker), (f"still running {STOP_BOUND}s after SIGTERM: {_started_by(marker)}; "
                                             f"make: {_signal_state(make.pid)}")
        finally:
            for pid in _started_by(marker):  # never leave a server behind, even when the test fails
                os.kill(pid, signal.SIGKILL)
            make.wait()


def _ready(when: str, marker: bytes, port: int) -> bool:
    if when == "starting":  # the code server is loading the definitions; the UI is not up yet
        return any("dagster api grpc" in cmd for cmd in _started_by(marker).values())
    return _answers(f"http://127.0.0.1:{port}/server_info")
