"""Progress lines from a real Dagster run: each step named by its stage with its counts, written while the run goes.

The job is a small one defined here (a capture asset, a gate with a GX-style warning, a model, alerts and
publish assets), run through the same ``runner.run_day`` the demo and backfill use; the demo's own output is
checked on the shared demo run (tests/integration/test_demo_progress.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
from rich.console import Console

from costcurve.progress import RunProgress
from costcurve.runner import run_day

DAY = date(2026, 11, 30)
PARTITIONS = dg.DailyPartitionsDefinition(start_date="2026-11-01")


def _definitions(output: Path) -> dg.Definitions:
    @dg.asset(key=["raw", "tiny_source"], partitions_def=PARTITIONS)
    def tiny_source() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"rows_price_facts": 3, "rows_fetches": 1})

    @dg.asset_check(asset=tiny_source, blocking=True)
    def tiny_gate() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True, description="raw.tiny_source: PASSED with 1 warning(s)\n  WARNING expect_x on 5 rows",
                                   metadata={"failed_warning_count": 1})

    @dg.asset(key=["raw", "absent_source"], partitions_def=PARTITIONS)
    def absent_source(context) -> dg.MaterializeResult:
        context.log.warning("absent_source 2026-11-30: not captured on 2026-11-30")
        return dg.MaterializeResult(metadata={"status": "not captured on 2026-11-30"})

    @dg.asset_check(asset=absent_source, blocking=True)
    def clean_gate() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True, description="raw.absent_source: PASSED")

    @dg.asset(deps=[tiny_source], partitions_def=PARTITIONS)
    def fct_tiny(context) -> dg.MaterializeResult:
        # what a reader of the output file sees while the run is still going
        output.with_name("seen_mid_run.txt").write_text(output.read_text(encoding="utf-8"), encoding="utf-8")
        return dg.MaterializeResult()

    @dg.asset(key=["alerts", "alert_events"], deps=[fct_tiny], partitions_def=PARTITIONS)
    def alert_events(context) -> dg.MaterializeResult:
        context.log.warning("receiver answered 503")
        return dg.MaterializeResult(metadata={"new": 2, "delivered": 1, "failed": 1, "suppressed": 0})

    @dg.asset(key=["publish", "analyst_copy"], deps=[fct_tiny], partitions_def=PARTITIONS)
    def analyst_copy() -> None:
        return None

    job = dg.define_asset_job("tiny_daily", selection=dg.AssetSelection.all(), partitions_def=PARTITIONS)
    return dg.Definitions(assets=[tiny_source, absent_source, fct_tiny, alert_events, analyst_copy],
                          asset_checks=[tiny_gate, clean_gate],
                          jobs=[job])


def _run(tmp_path: Path):
    output = tmp_path / "progress.txt"
    with open(output, "w", encoding="utf-8") as sink:
        progress = RunProgress(Console(file=sink, width=200), DAY)
        outcome = run_day(DAY, defs=_definitions(output), job_name="tiny_daily",
                          dagster_instance=dg.DagsterInstance.ephemeral(), log_file=tmp_path / "run.log",
                          progress=progress)
        progress.day_line(outcome.success, len(outcome.skipped_steps))
    return outcome, output.read_text(encoding="utf-8").splitlines()


def test_each_step_gets_a_line_with_its_stage_and_counts(tmp_path):
    outcome, lines = _run(tmp_path)
    assert outcome.success
    assert "2026-11-30  capture  raw__tiny_source: 3 rows captured" in lines
    assert "2026-11-30  dbt      fct_tiny: 1 models built" in lines
    assert "2026-11-30  alerts   alerts__alert_events: 2 new, 1 sent, 1 failed, 0 recorded without sending" in lines
    assert "2026-11-30  publish  publish__analyst_copy: analyst copy published" in lines
    assert lines[-2] == "2026-11-30  capture  skipped 1 sources (not captured that day): absent_source"
    assert lines[-1] == ("2026-11-30  done: capture 3 rows from 1 sources (1 skipped); gates 2 passed, 0 failed, "
                         "2 warnings; dbt 1 models built; alerts 2 new, 1 sent; published")


def test_a_clean_gate_and_a_skipped_source_are_counts_not_lines(tmp_path):
    _, lines = _run(tmp_path)
    assert not [line for line in lines if "clean_gate" in line or "absent_source:" in line], lines


def test_gate_warnings_and_step_warnings_reach_the_screen(tmp_path):
    _, lines = _run(tmp_path)
    gate = [line for line in lines if "tiny_gate" in line]
    assert any("checks 1 passed, 0 failed" in line for line in gate), lines
    assert any(line.startswith("2026-11-30  warning") and "PASSED with 1 warning(s) WARNING expect_x on 5 rows" in line
               for line in gate), lines
    assert "2026-11-30  warning  alerts__alert_events: receiver answered 503" in lines


def test_a_step_line_is_in_the_file_before_the_run_ends(tmp_path):
    """stdout redirected to a file: the capture line is written (flushed) while later steps still run."""
    _run(tmp_path)
    seen = (tmp_path / "seen_mid_run.txt").read_text(encoding="utf-8")
    assert "capture  raw__tiny_source: 3 rows captured" in seen
    assert "publish" not in seen
