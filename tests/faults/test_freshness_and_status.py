"""Freshness per source from its cadence, on a real warehouse loaded by real Dagster runs of the capture
job over a real capture (demo/captures/2024-04-01/anthropic):

- 2024-04-01 anthropic captured and loaded;
- 2024-04-03 no anthropic capture (replay skips it, not due: its Dagster check passes);
- 2024-04-04 the capture is cut short: the source fails with layout drift, recorded with why.

Then `costcurve status` (a real process) shows last success, last failure and why, rows and freshness;
and the source_stale alert rule (alerts/rules.yml) fires exactly when the freshness state is ``fail``."""

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from alerts.evaluate import evaluate_stale_sources
from alerts.rules import StaleSourceRule, load_rules
from costcurve.config import PROJECT_ROOT
from scrapers.registry import SOURCES
from warehouse import freshness

pytestmark = pytest.mark.integration

CAPTURED, SKIPPED_DAY, BROKEN = date(2024, 4, 1), date(2024, 4, 3), date(2024, 4, 4)
ANTHROPIC = dg.AssetKey(["raw", "anthropic"])
COSTCURVE = Path(sys.executable).with_name("costcurve")


@pytest.fixture(scope="module")
def runs(tmp_path_factory, dbt_manifest):
    tmp = tmp_path_factory.mktemp("freshness")
    replay = tmp / "replay"
    shutil.copytree(PROJECT_ROOT / "demo" / "captures" / CAPTURED.isoformat() / "anthropic",
                    replay / CAPTURED.isoformat() / "anthropic")
    (replay / SKIPPED_DAY.isoformat()).mkdir()
    cut = replay / BROKEN.isoformat() / "anthropic"
    shutil.copytree(replay / CAPTURED.isoformat() / "anthropic", cut)
    (cut / "pricing.md").write_bytes((cut / "pricing.md").read_bytes()[:200])  # cut before any table
    env = {"COSTCURVE_WAREHOUSE": str(tmp / "costcurve.duckdb"), "COSTCURVE_ARCHIVE": str(tmp / "archive"),
           "COSTCURVE_REPLAY_DIR": str(replay), "COSTCURVE_MODE": "replay"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        from costcurve.runner import load_definitions, run_day

        defs = load_definitions()
        outcomes = {day: run_day(day, defs=defs, job_name="capture", asset_selection=[ANTHROPIC],
                                 dagster_instance=dg.DagsterInstance.ephemeral())
                    for day in (CAPTURED, SKIPPED_DAY, BROKEN)}
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return tmp / "costcurve.duckdb", env, outcomes


def test_dagster_freshness_check_in_replay(runs):
    _, _, outcomes = runs
    assert outcomes[CAPTURED].success and "raw/anthropic:freshness" not in outcomes[CAPTURED].checks_failed
    # a replay day without the source's capture: not due, the check passes (its age is in the metadata)
    assert outcomes[SKIPPED_DAY].success and "raw/anthropic:freshness" not in outcomes[SKIPPED_DAY].checks_failed
    # the cut capture fails the source with the named drift error
    assert not outcomes[BROKEN].success
    assert any("LayoutDriftError" in e or "drift" in e.lower() for e in outcomes[BROKEN].errors), outcomes[BROKEN].errors


def test_dagster_freshness_check_fails_live_for_a_source_never_captured(runs, monkeypatch):
    """Live, a source without its API key is skipped before any fetch (no network): it is going stale and
    its freshness check says so (ERROR, never captured), without blocking anything."""
    warehouse, env, _ = runs
    together = next(s for s in SOURCES.values() if s.requires_env)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("COSTCURVE_MODE", "live")
    monkeypatch.delenv(together.requires_env, raising=False)
    from costcurve.runner import load_definitions, run_day

    outcome = run_day(BROKEN, defs=load_definitions(), job_name="capture",
                      asset_selection=[dg.AssetKey(["raw", together.source_id])],
                      dagster_instance=dg.DagsterInstance.ephemeral())
    assert outcome.success  # a non-blocking check
    assert f"raw/{together.source_id}:freshness" in outcome.checks_failed


@pytest.mark.parametrize(("days", "state", "passed", "severity"), [
    (1, freshness.FRESH, True, None), (2, freshness.WARN, False, dg.AssetCheckSeverity.WARN),
    (3, freshness.FAIL, False, dg.AssetCheckSeverity.ERROR), (None, freshness.NEVER, False, dg.AssetCheckSeverity.ERROR),
])
def test_check_severity_follows_the_state(days, state, passed, severity):
    from orchestration.defs.ingest.freshness_checks import result

    ages = freshness.CADENCE_AGES["daily"]
    row = freshness.SourceFreshness("anthropic", "daily", None, days, freshness.state(days, ages), ages)
    assert row.state == state
    check = result(row)
    assert check.passed == passed
    if severity is not None:
        assert check.severity == severity


@pytest.mark.parametrize(("as_of", "expected"), [
    (CAPTURED, freshness.FRESH), (date(2024, 4, 2), freshness.FRESH), (SKIPPED_DAY, freshness.WARN),
    (BROKEN, freshness.FAIL), (date(2024, 3, 31), freshness.NEVER),
])
def test_freshness_state_by_age(runs, as_of, expected):
    warehouse, _, _ = runs
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        [row] = freshness.source_freshness(con, {"anthropic": SOURCES["anthropic"].cadence}, as_of)
    finally:
        con.close()
    assert row.state == expected


def test_stale_source_alert_fires_exactly_when_freshness_fails(runs):
    warehouse, _, _ = runs
    [rule] = [r for r in load_rules(PROJECT_ROOT / "alerts" / "rules.yml") if isinstance(r, StaleSourceRule)]
    # the rule's threshold is the freshness fail age for every cadence both know
    for word, days in rule.stale_after_days.items():
        assert freshness.CADENCE_AGES[word].fail_after_days == days
    cadences = {"anthropic": SOURCES["anthropic"].cadence}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for as_of in (SKIPPED_DAY, BROKEN):
            events, _ = evaluate_stale_sources(con, rule, as_of, {}, cadences)
            [row] = freshness.source_freshness(con, cadences, as_of)
            assert bool(events) == (row.state == freshness.FAIL), (as_of, row.state, events)
    finally:
        con.close()


def test_status_shows_last_success_failure_rows_and_freshness(runs):
    warehouse, env, _ = runs
    result = subprocess.run([str(COSTCURVE), "status", "--as-of", BROKEN.isoformat()], env={**os.environ, **env},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr  # a tracked source failed its freshness
    [line] = [line for line in result.stdout.splitlines() if "│ anthropic " in line]
    cells = [cell.strip() for cell in line.strip("│ ").split("│")]
    source, cadence, last_success, rows, last_failure, why, state = cells
    con = duckdb.connect(str(warehouse), read_only=True)
    loaded = con.execute("SELECT count(*) FROM raw.price_facts WHERE source_id = 'anthropic'").fetchone()[0]
    con.close()
    assert (source, cadence, last_success, last_failure) == ("anthropic", "daily", "2024-04-01", "2024-04-04")
    assert int(rows) >= loaded > 0
    assert why.startswith("LayoutDriftError")
    assert state == "fail (3 d)"
    # every registered source has a row
    for source_id in SOURCES:
        assert f"│ {source_id} " in result.stdout
