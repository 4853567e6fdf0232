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
        mp.setenv("COSTCURVE_ALERT_WEBHOOK_SECRET", "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    else:
        mp.delenv("COSTCURVE_ALERT_WEBHOOK_URL", raising=False)
    return box
