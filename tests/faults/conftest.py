"""Fixtures the fault tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The real captures (``../shared/samples``, or ``COSTCURVE_SAMPLES``); the test skips when they are absent."""
    path = Path(os.environ.get("COSTCURVE_SAMPLES") or REPO.parent / "shared" / "samples")
    if not path.is_dir():
        pytest.skip(f"real captures not found at {path} (set COSTCURVE_SAMPLES to the shared/samples folder)")
    return path
