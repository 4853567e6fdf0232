"""Great Expectations gates as blocking Dagster asset checks.

A failed critical expectation makes the check fail with ERROR severity; because the checks are
blocking, nothing downstream of the gated table runs, and the check's description and metadata say
which expectation failed on which rows.

Each validation is also logged to ``ops.gate_results`` (warehouse/gate_results.py) when the caller passes a
``GateLog``: the CLI's Dagster instance is ephemeral, and `costcurve quality` reports the last run's gates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import dagster as dg

from expectations.runner import GateResult, validate
from warehouse.gate_results import GateRow, record_gate_result


@dataclass(frozen=True)
class GateLog:
    """Where a validation is logged: the Dagster run, its day, and the asset the check gates."""

    run_id: str
    partition_date: date | None
    asset: str

    @classmethod
    def of(cls, context: dg.AssetCheckExecutionContext, asset: str) -> GateLog:
        day = context.run.tags.get("dagster/partition")
        return cls(context.run.run_id, date.fromisoformat(day) if day else None, asset)


def _log(con, log: GateLog | None, result: GateResult, passed: bool, extra: tuple[dict, ...] | list[dict] = ()) -> None:
    """Log the validation; ``extra`` are failures found outside GX (a day slice's whole-table duplicate keys)."""
    if log is None:
        return
    failed = [{"severity": f.severity, "expectation": f.expectation_type, "columns": f.columns,
               "unexpected_count": f.unexpected_count, "element_count": f.element_count,
               "why": f.describe()} for f in result.failures]
    record_gate_result(con, GateRow(log.run_id, log.partition_date, log.asset, result.suite_name, passed,
                                    result.row_count, result.expectation_count, [*failed, *extra]))


def gate_result(con, suite: str, sql: str, params: list | None = None, *,
                log: GateLog | None = None) -> dg.AssetCheckResult:
    frame = con.execute(sql, params or []).df()
    result = validate(frame, suite)
    _log(con, log, result, result.success)
    return dg.AssetCheckResult(
        passed=result.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=result.summary(),
        metadata={"rows_validated": len(frame), **result.to_metadata()},
    )


def written_days(con, table: str) -> list[date] | None:
    """The days an incremental mart's last dbt build rewrote (its ``intermediate.<table>__build`` record,
    dbt_project/macros/incremental_observations.sql); None after a full build or with no record: all."""
    record = f"{table}__build"
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'intermediate' AND table_name = ?",
                         [record]).fetchone()[0]
    if not exists:
        return None
    rows = con.execute(f"SELECT full_build, observed_date FROM intermediate.{record}").fetchall()
    if any(full for full, _ in rows):
        return None
    return [day for _, day in rows if day is not None]


def day_slice_gate_result(con, table: str, day_column: str, day: str, *,
                          log: GateLog | None = None) -> dg.AssetCheckResult:
    """Gate one day of a fact mart: the GX suite on the rows of ``day`` only, the suite's unique keys over the
    whole table in SQL (``expectations/whole_table.py``), looking only for the keys of the days the last build
    rewrote when it was incremental. Its cost follows the day's rows, not the history."""
    from expectations.whole_table import duplicate_keys

    frame = con.execute(f"SELECT * FROM {table} WHERE {day_column} = CAST(? AS DATE)", [day]).df()
    written = written_days(con, table)
    duplicates = duplicate_keys(con, table, written=None if written is None else (day_column, written))
    whole = [d.describe() for d in duplicates]
    if frame.empty:
        # no row observed on the run's day (a replayed day without a price capture): the suite's row-count
        # check then applies to the whole table, as it did before the gate was sliced
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        passed = rows > 0 and not duplicates
        head = f"{table}: no rows on {day_column} = {day}; the whole table holds {rows:,} rows"
        return dg.AssetCheckResult(
            passed=passed,
            severity=dg.AssetCheckSeverity.ERROR,
            description="\n".join([head, *whole]),
            metadata={"rows_validated": 0, "slice": f"{day_column} = {day}",
                      "whole_table_duplicates": [d.to_dict() for d in duplicates]},
        )
    result = validate(frame, table)
    _log(con, log, result, result.success and not duplicates,
         [{"severity": "critical", "expectation": "unique keys over the whole table", "columns": [],
           "unexpected_count": None, "element_count": None, "why": text} for text in whole])
    return dg.AssetCheckResult(
        passed=result.success and not duplicates,
        severity=dg.AssetCheckSeverity.ERROR,
        description="\n".join([f"slice {day_column} = {day}", result.summary(), *whole]),
        metadata={"rows_validated": len(frame), "slice": f"{day_column} = {day}", **result.to_metadata(),
                  "whole_table_duplicates": [d.to_dict() for d in duplicates]},
    )
