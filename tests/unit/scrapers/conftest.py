"""Shared fixtures for the parser tests: real captures (``../shared/samples``), project fixtures, demo captures.

The real captures are third-party files that live beside the repository, never in it; tests that need
them skip with a clear reason when they are absent, so a clone without ``shared/`` still passes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scrapers.records import CaptureMeta

REPO = Path(__file__).resolve().parents[3]
FETCHED_AT = datetime(2026, 11, 18, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return REPO / "demo" / "captures"


@pytest.fixture(scope="session")
def make_meta():
    """``make_meta(source_id, url, body)`` -> the ``CaptureMeta`` a fetch of ``body`` would produce."""

    def _make(source_id: str, url: str, body: bytes = b"") -> CaptureMeta:
        return CaptureMeta(source_id, url, FETCHED_AT, hashlib.sha256(body).hexdigest(), "")

    return _make
