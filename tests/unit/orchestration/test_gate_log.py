"""Every GX validation a gate makes is logged to ops.gate_results (real DuckDB file, real GX suite), so the
last run's gates can be reported after the CLI's ephemeral Dagster instance is gone."""

from datetime import date

import duckdb

from orchestration.gates import GateLog, gate_result
from warehouse.gate_results import last_run_results

COVERAGE = "SELECT DATE '2026-08-20' AS observed_date, 100 AS price_rows, {n} AS unmatched_rows, {n} / 100 AS unmatched_share"


def test_each_validation_is_logged_with_counts_and_what_failed(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = GateLog("run-1", date(2026, 8, 20), "fct_price_observations")
    passed = gate_result(con, "identity_coverage", COVERAGE.format(n=1), log=first)
    # 30 of 100 rows unmatched: over the suite's 2% warning bound (a warning: the gate still passes)
    second = GateLog("run-2", date(2026, 8, 21), "fct_price_observations")
    warned = gate_result(con, "identity_coverage", COVERAGE.format(n=30), log=second)
    assert passed.passed and warned.passed
    (row,) = last_run_results(con)  # the run that checked last, only
    assert (row.run_id, row.partition_date, row.asset, row.suite, row.success) == (
        "run-2", date(2026, 8, 21), "fct_price_observations", "identity_coverage", True)
    assert (row.rows_validated, row.expectations_evaluated) == (1, 2)
    (failed,) = row.failed
    assert (failed["severity"], failed["expectation"], failed["columns"]) == (
        "warning", "expect_column_values_to_be_between", ["unmatched_share"])
    assert "1 of 1 rows unexpected" in failed["why"]
    assert con.execute("SELECT count(*), count(DISTINCT run_id) FROM ops.gate_results").fetchone() == (2, 2)


def test_a_critical_failure_is_logged_as_failed(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    log = GateLog("run-1", None, "fct_price_observations")
    result = gate_result(con, "identity_coverage", "SELECT DATE '2026-08-20' AS observed_date", log=log)
    (row,) = last_run_results(con)
    assert not result.passed and not row.success
    # the missing columns fail the column-set check (critical) and the share check cannot run (warning)
    assert [(f["severity"], f["expectation"]) for f in row.failed] == [
        ("critical", "expect_table_columns_to_match_set"), ("warning", "expect_column_values_to_be_between")]


def test_no_log_no_row(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    gate_result(con, "identity_coverage", COVERAGE.format(n=1))
    assert last_run_results(con) == []
