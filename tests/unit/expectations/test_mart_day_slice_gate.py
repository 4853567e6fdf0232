"""The fct_price_observations gate in a day's run: GX on that day's rows, unique keys over the whole table
(after an incremental build: the keys of the days it wrote, wherever else they occur).

Real Dagster (dagster.materialize of the day's partition with the real mart gate) on a real DuckDB file
whose tables have the real raw DDL and the mart's contract types (tests/unit/expectations/gate_frames.py).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import dagster as dg
import duckdb
import gate_frames as gf
import pytest

from orchestration.defs.transform.checks import mart_gate
from orchestration.partitions import daily_partitions
from orchestration.resources import CostcurveResource

TABLE = "fct_price_observations"
TODAY = gf.DAY + timedelta(days=1)


@dg.asset(key=TABLE, partitions_def=daily_partitions)
def _mart_already_built() -> None:
    """Stands in for the dbt model: the test writes the table itself, so the check sees exactly those rows."""


def _day(rows: list[dict], day) -> list[dict]:
    shifted = []
    for row in rows:
        row = {**row, "observed_date": day}
        row["observation_id"] = gf.sha("|".join(str(row[k]) for k in (*gf.SERIES_KEY, "observed_date")))
        shifted.append(row)
    return shifted


def build(path, old_rows: list[dict], today_rows: list[dict]) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(gf.RAW_SCHEMA_SQL.read_text())
        gf.load(con, "raw.price_facts", gf.raw_price_rows())  # the mart's inputs hold rows: the gate applies
        con.execute(f"CREATE TABLE {TABLE} ({gf.MART_DDL[TABLE]})")
        gf.load(con, TABLE, old_rows + today_rows)
    finally:
        con.close()


def gate_on_today(tmp_path) -> dg.AssetCheckEvaluation:
    resource = CostcurveResource(warehouse=str(tmp_path / "w.duckdb"), archive=str(tmp_path / "archive"),
                                 replay_dir=str(tmp_path / "replay"))
    result = dg.materialize([_mart_already_built, mart_gate(TABLE)], partition_key=TODAY.isoformat(),
                            resources={"costcurve": resource}, raise_on_error=False,
                            instance=dg.DagsterInstance.ephemeral())
    (evaluation,) = result.get_asset_check_evaluations()
    return evaluation


@pytest.fixture
def good_days():
    rows = gf.observation_rows()
    return _day(rows, gf.DAY), _day(rows, TODAY)


def test_good_days_pass_and_only_today_is_validated(tmp_path, good_days):
    old, today = good_days
    build(tmp_path / "w.duckdb", old, today)
    evaluation = gate_on_today(tmp_path)
    assert evaluation.passed, evaluation.description
    assert evaluation.metadata["rows_validated"].value == len(today)


def test_a_bad_value_on_todays_slice_fails_the_gate(tmp_path, good_days):
    old, today = good_days
    today[0]["price_per_mtok"] = today[0]["usd_per_mtok"] = Decimal("-1")
    build(tmp_path / "w.duckdb", old, today)
    evaluation = gate_on_today(tmp_path)
    assert not evaluation.passed
    assert "expect_column_values_to_be_between on price_per_mtok" in evaluation.description


def test_a_duplicate_key_on_an_old_day_is_still_caught(tmp_path, good_days):
    old, today = good_days
    build(tmp_path / "w.duckdb", old + [dict(old[0])], today)  # the old day holds one observation twice
    evaluation = gate_on_today(tmp_path)
    assert not evaluation.passed
    assert "whole-table key (observation_id) is not unique: 1 key(s) repeat" in evaluation.description
    assert old[0]["observation_id"] in evaluation.description
    assert evaluation.metadata["rows_validated"].value == len(today)  # the old day itself was not read


def test_a_day_without_rows_passes_while_the_table_holds_history(tmp_path, good_days):
    old, _ = good_days
    build(tmp_path / "w.duckdb", old, [])
    evaluation = gate_on_today(tmp_path)
    assert evaluation.passed, evaluation.description
    assert "no rows on observed_date" in evaluation.description


def record_incremental_build(path, days) -> None:
    """What an incremental dbt build of the mart leaves (dbt_project/macros/incremental_observations.sql)."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS intermediate")
        con.execute(f"CREATE TABLE intermediate.{TABLE}__build (full_build BOOLEAN, observed_date DATE, "
                    "watermark TIMESTAMPTZ)")
        for day in days:
            con.execute(f"INSERT INTO intermediate.{TABLE}__build VALUES (false, ?, now())", [day])


def test_after_an_incremental_build_a_written_key_that_meets_an_old_one_is_caught(tmp_path, good_days):
    old, today = good_days
    today[0]["observation_id"] = old[0]["observation_id"]  # today's row clashes with an old day's
    build(tmp_path / "w.duckdb", old, today)
    record_incremental_build(tmp_path / "w.duckdb", [TODAY])
    evaluation = gate_on_today(tmp_path)
    assert not evaluation.passed
    assert "whole-table key (observation_id) is not unique: 1 key(s) repeat" in evaluation.description


def test_after_an_incremental_build_only_the_written_days_keys_are_looked_for(tmp_path, good_days):
    old, today = good_days
    # a repeat confined to a day the build did not write was there at the build before, which checked it
    build(tmp_path / "w.duckdb", old + [dict(old[0])], today)
    record_incremental_build(tmp_path / "w.duckdb", [TODAY])
    assert gate_on_today(tmp_path).passed
    # once that day is written again it is looked at, and the repeat is caught
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute(f"DROP TABLE intermediate.{TABLE}__build")
    record_incremental_build(tmp_path / "w.duckdb", [gf.DAY, TODAY])
    evaluation = gate_on_today(tmp_path)
    assert not evaluation.passed
    assert old[0]["observation_id"] in evaluation.description
