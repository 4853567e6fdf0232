"""Fetching (with its retries and Retry-After waits) runs before the ingest step opens the DuckDB writer,
so no wait ever holds the database lock (issue 9). The step order is the guarantee: this test fails if
``collect`` is ever moved inside ``warehouse_writer()``."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.defs.ingest.assets import ingest_asset
from orchestration.resources import CostcurveResource
from scrapers.registry import SOURCES

REPO = Path(__file__).resolve().parents[3]
#: a real demo capture day that holds Cohere's page (demo/captures/2025-10-15/cohere/)
DAY = date(2025, 10, 15)
EVENTS: list[str] = []


class RecordingResource(CostcurveResource):
    """Records when the writer is open and when a source is collected."""

    def collect(self, source, day):
        EVENTS.append("collect")
        return super().collect(source, day)

    @contextmanager
    def warehouse_writer(self):
        EVENTS.append("writer opened")
        with super().warehouse_writer() as con:
            yield con
        EVENTS.append("writer closed")


def test_the_ingest_step_collects_before_it_opens_the_writer(tmp_path):
    EVENTS.clear()
    resource = RecordingResource(warehouse=str(tmp_path / "w" / "costcurve.duckdb"), archive=str(tmp_path / "a"),
                                 replay_dir=str(REPO / "demo" / "captures"), mode="replay")
    result = dg.materialize([ingest_asset(SOURCES["cohere"])], partition_key=DAY.isoformat(),
                            resources={"costcurve": resource})
    assert result.success
    assert EVENTS == ["collect", "writer opened", "writer closed"]
