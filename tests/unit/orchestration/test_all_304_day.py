"""A day when every page answers 304 succeeds (issue 10): OpenRouter's rankings are two captures parsed
together (the CSV and the manifest vouching for it), so an all-304 day must carry or re-parse them
together; it used to re-parse the manifest alone and raise ``LayoutDriftError``. Through the real ingest
asset (``dagster.materialize``), live mode, against a real HTTP server on loopback."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from werkzeug import Response

from orchestration.defs.ingest.assets import ingest_asset
from orchestration.resources import CostcurveResource
from scrapers.registry import Source, Target
from scrapers.sources import openrouter_rankings as orr

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "openrouter_rankings"
#: the fixture's snapshot date (rankings-daily.manifest.json) and the day after, when nothing changed
FIRST, NEXT = "2026-10-08", "2026-10-09"


@pytest.fixture
def rankings(httpserver, monkeypatch) -> Source:
    monkeypatch.setenv("COSTCURVE_FETCH_ALLOW_LOOPBACK", "1")  # the test server is on 127.0.0.1
    httpserver.expect_request("/robots.txt").respond_with_response(Response(status=404))  # no rules
    for key, fixture in ((orr.MANIFEST_KEY, "rankings-daily.manifest.json"), (orr.CSV_KEY, "rankings-daily.csv")):
        etag = f'"{key}-v1"'
        httpserver.expect_request(f"/{key}", headers={"If-None-Match": etag}).respond_with_response(
            Response(status=304))
        httpserver.expect_request(f"/{key}").respond_with_response(
            Response((FIXTURES / fixture).read_bytes(), headers={"ETag": etag}))
    return Source(
        orr.SOURCE_ID, "usage",
        tuple(Target(key, httpserver.url_for(f"/{key}")) for key in (orr.MANIFEST_KEY, orr.CSV_KEY)),
        "scrapers.sources.openrouter_rankings", "csv", writes=("usage_facts",),
    )


def materialize(source: Source, day: str, warehouse: Path, archive: Path, replay: Path) -> dg.ExecuteInProcessResult:
    resource = CostcurveResource(warehouse=str(warehouse), archive=str(archive), replay_dir=str(replay), mode="live")
    return dg.materialize([ingest_asset(source)], partition_key=day, resources={"costcurve": resource})


def usage_rows(warehouse: Path, day: str) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM raw.usage_facts WHERE partition_date = ?", [day]).fetchone()[0]
    finally:
        con.close()


def statuses(warehouse: Path, day: str) -> list[int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT http_status FROM raw.fetches WHERE partition_date = ? ORDER BY capture_key", [day]).fetchall()]
    finally:
        con.close()


def test_an_all_304_day_carries_the_rankings_forward(rankings, tmp_path):
    warehouse, archive = tmp_path / "w" / "costcurve.duckdb", tmp_path / "archive"
    assert materialize(rankings, FIRST, warehouse, archive, tmp_path).success
    assert materialize(rankings, NEXT, warehouse, archive, tmp_path).success
    assert usage_rows(warehouse, NEXT) == usage_rows(warehouse, FIRST) == 9  # the fixture's nine rows
    assert statuses(warehouse, NEXT) == [304, 304]  # checked, and recorded as checked


def test_an_all_304_day_on_a_fresh_warehouse_reparses_the_pair_together(rankings, tmp_path):
    archive = tmp_path / "archive"
    assert materialize(rankings, FIRST, tmp_path / "old.duckdb", archive, tmp_path).success
    fresh = tmp_path / "fresh.duckdb"  # nothing to carry forward: the archive's bodies are parsed
    assert materialize(rankings, NEXT, fresh, archive, tmp_path).success
    assert usage_rows(fresh, NEXT) == 9
