"""The ingest step compares a capture's models with the source's previous capture (issue 9).

Real Dagster runs (``dagster.materialize``) of the Anthropic asset over replay days built from the real
2025-12 page (demo/captures/2025-12-20/anthropic/pricing.md): the whole page one day, then the page with
one model's rows taken out (loaded, the model reported by name), then the page cut at a line end before
its batch table's last rows and the long-context section (not loaded: drift, nothing lost), and the cut
page again when the previous capture is months old (reported only).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.ingest.assets import ingest_asset
from orchestration.resources import CostcurveResource
from scrapers.registry import SOURCES

REPO = Path(__file__).resolve().parents[3]
PAGE = REPO / "demo" / "captures" / "2025-12-20" / "anthropic" / "pricing.md"
DAY = date(2025, 12, 1)


def whole() -> bytes:
    return PAGE.read_bytes()


def without_haiku_3() -> bytes:
    """The page as if Anthropic retired Claude Haiku 3: its rows gone from every table."""
    return b"".join(line for line in whole().splitlines(keepends=True) if b"| Claude Haiku 3 |" not in line)


def cut_at_line_end() -> bytes:
    """Cut at the end of a line inside the batch table: no table row is damaged, the rest is gone."""
    body = whole()
    batch = body.index(b"| Claude Sonnet 4.5", body.index(b"Batch"))
    return body[: body.index(b"\n", batch) + 1]


def run(tmp_path: Path, days: dict[date, bytes]) -> dict[date, dg.ExecuteInProcessResult]:
    for day, body in days.items():
        folder = tmp_path / "replay" / day.isoformat() / "anthropic"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pricing.md").write_bytes(body)
    resource = CostcurveResource(warehouse=str(tmp_path / "costcurve.duckdb"), archive=str(tmp_path / "archive"),
                                 replay_dir=str(tmp_path / "replay"), mode="replay")
    return {day: dg.materialize([ingest_asset(SOURCES["anthropic"])], partition_key=day.isoformat(),
                                resources={"costcurve": resource}, raise_on_error=False)
            for day in days}


def loaded_days(tmp_path: Path) -> list[date]:
    with duckdb.connect(str(tmp_path / "costcurve.duckdb"), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT DISTINCT partition_date FROM raw.price_facts ORDER BY 1").fetchall()]


def metadata(result: dg.ExecuteInProcessResult) -> dict:
    [materialization] = result.asset_materializations_for_node("raw__anthropic")
    return materialization.metadata


def test_a_retired_model_loads_and_is_named(tmp_path):
    day2 = DAY + timedelta(days=1)
    results = run(tmp_path, {DAY: whole(), day2: without_haiku_3()})
    assert results[DAY].success and results[day2].success
    assert metadata(results[day2])["vanished_models"].data == ["anthropic/claude-3-haiku"]
    assert metadata(results[DAY])["vanished_models"].data == []
    assert loaded_days(tmp_path) == [DAY, day2]


def test_a_capture_cut_at_a_line_end_is_drift_and_nothing_is_loaded(tmp_path):
    day2 = DAY + timedelta(days=1)
    results = run(tmp_path, {DAY: whole(), day2: cut_at_line_end()})
    assert results[DAY].success
    assert not results[day2].success
    [failure] = [e for e in results[day2].all_events if e.is_step_failure]
    message = str(failure.step_failure_data.error)
    assert "VanishedModelsError" in message and "price series lost by models still listed" in message
    assert loaded_days(tmp_path) == [DAY]  # the cut day left no rows; the day before is untouched


@pytest.mark.parametrize("gap_days", [15, 200])
def test_against_a_months_old_capture_the_loss_is_reported_not_blocking(tmp_path, gap_days):
    later = DAY + timedelta(days=gap_days)
    results = run(tmp_path, {DAY: whole(), later: cut_at_line_end()})
    assert results[later].success
    assert loaded_days(tmp_path) == [DAY, later]
