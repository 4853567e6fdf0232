"""Integration fixtures: a private warehouse, archive and replay folder per test, and the dbt manifest."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from costcurve.config import PROJECT_ROOT

DEMO_CAPTURES = PROJECT_ROOT / "demo" / "captures"


@pytest.fixture(scope="session", autouse=True)
def _manifest_first(dbt_manifest) -> None:
    """Every integration test loads the Dagster definitions, which need the dbt manifest."""


@dataclass
class Sandbox:
    root: Path
    warehouse: Path
    published: Path
    archive: Path
    replay_dir: Path


@pytest.fixture(scope="session")
def make_sandbox():
    return _make_sandbox


def _make_sandbox(root: Path, mp: pytest.MonkeyPatch, webhook_url: str | None = None) -> Sandbox:
    """Copies the demo captures and points every COSTCURVE_* path into ``root``."""
    replay = root / "captures"
    shutil.copytree(DEMO_CAPTURES, replay)
    box = Sandbox(
        root=root,
        warehouse=root / "warehouse" / "costcurve.duckdb",
        published=root / "published" / "costcurve.duckdb",
        archive=root / "archive",
        replay_dir=replay,
    )
    mp.setenv("COSTCURVE_MODE", "replay")
    mp.delenv("COSTCURVE_OPENROUTER_ENDPOINT_MODELS", raising=False)  # replay's default: the demo's models
    mp.setenv("COSTCURVE_WAREHOUSE", str(box.warehouse))
    mp.setenv("COSTCURVE_PUBLISHED", str(box.published))
    mp.setenv("COSTCURVE_EXPORTS", str(root / "exports"))
    mp.setenv("COSTCURVE_ARCHIVE", str(box.archive))
    mp.setenv("COSTCURVE_REPLAY_DIR", str(replay))
    mp.delenv("DAGSTER_HOME", raising=False)  # an ephemeral instance per run
    if webhook_url:
        mp.setenv("COSTCURVE_ALERT_WEBHOOK_URL", webhook_url)
        mp.setenv("COSTCURVE_ALERT_ALLOW_LOOPBACK", "1")  # the test receiver is on 127.0.0.1
        mp.setenv("COSTCURVE_ALERT_WEBHOOK_SECRET", "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    else:
        mp.delenv("COSTCURVE_ALERT_WEBHOOK_URL", raising=False)
    return box


DEMO_COUNTED = ["raw.price_facts", "raw.capex_facts", "raw.usage_facts", "raw.fetches", "main.fct_price_observations",
                "main.fct_price_history", "main.fct_capex_quarterly", "main.dim_models"]


def _demo_counts(path: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in DEMO_COUNTED}
    finally:
        con.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory, make_sandbox):
    """`make demo` once per session, as a fresh clone runs it, into a private sandbox, then the last day again.

    Shared by the demo-run and the economics tests (one 4-minute run, not one per module). The COSTCURVE_*
    environment is restored before the tests run: they read the sandbox's files by path.
    """
    import json

    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    from costcurve.demo import demo_days, run_demo
    from costcurve.runner import load_definitions, run_day

    server = HTTPServer(host="127.0.0.1")
    server.start()
    try:
        server.expect_request("/hook", method="POST").respond_with_response(Response(status=204))
        with pytest.MonkeyPatch.context() as mp:
            box = make_sandbox(tmp_path_factory.mktemp("demo"), mp, server.url_for("/hook"))
            screen = box.root / "demo-screen.txt"  # what `make demo > file` would hold (test_demo_progress.py)
            with open(screen, "w", encoding="utf-8") as out:
                exit_code = run_demo(box.replay_dir, out=out)
            first = _demo_counts(box.warehouse)
            posts_after_first = len(server.log)
            days = demo_days(box.replay_dir)
            rerun = run_day(days[-1], defs=load_definitions())
            result = {
                "box": box,
                "screen": screen.read_text(encoding="utf-8"),
                "days": days,
                "exit_code": exit_code,
                "rerun": rerun,
                "first": first,
                "second": _demo_counts(box.warehouse),
                "posts_after_first": posts_after_first,
                "posts_after_rerun": len(server.log),
                "bodies": [json.loads(req.get_data()) for req, _ in server.log],
            }
    finally:
        server.clear()
        server.stop()
    return result
