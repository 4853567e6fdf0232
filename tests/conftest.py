"""Shared test settings: no telemetry from GX or dbt, and the real samples' location."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@pytest.fixture(scope="session")
def dbt_manifest():
    """Dagster loads the dbt assets from the manifest; `make` builds it, this covers a bare `pytest`."""
    from costcurve.config import PROJECT_ROOT
    from orchestration.dbt_project import dbt_project

    if not dbt_project.manifest_path.exists():
        dbt = Path(sys.executable).with_name("dbt")
        subprocess.run(
            [str(dbt), "parse", "--project-dir", "dbt_project", "--profiles-dir", "dbt_project", "--quiet"],
            cwd=PROJECT_ROOT,
            check=True,
        )
    return dbt_project.manifest_path


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The real captures (``../shared/samples``, or ``COSTCURVE_SAMPLES``); a test needing them skips when absent."""
    repo = Path(__file__).resolve().parents[1]
    path = Path(os.environ.get("COSTCURVE_SAMPLES") or repo.parent / "shared" / "samples")
    if not path.is_dir():
        pytest.skip(f"real captures not found at {path} (set COSTCURVE_SAMPLES to the shared/samples folder)")
    return path
