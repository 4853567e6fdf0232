"""Great Expectations gates as blocking Dagster asset checks.

A failed critical expectation makes the check fail with ERROR severity; because the checks are
blocking, nothing downstream of the gated table runs, and the check's description and metadata say
which expectation failed on which rows.
"""


import dagster as dg

from expectations.runner import validate


def gate_result(con, suite: str, sql: str, params: list | None = None) -> dg.AssetCheckResult:
    frame = con.execute(sql, params or []).df()
    result = validate(frame, suite)
    return dg.AssetCheckResult(
        passed=result.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=result.summary(),
        metadata={"rows_validated": len(frame), **result.to_metadata()},
    )


def day_slice_gate_result(con, table: str, day_column: str, day: str) -> dg.AssetCheckResult:
    """Gate one day of a fact mart: the GX suite on the rows of ``day`` only, the suite's unique keys over the
    whole table in SQL (``expectations/whole_table.py``). Its cost follows the day's rows, not the history."""
    from expectations.whole_table import duplicate_keys

    frame = con.execute(f"SELECT * FROM {table} WHERE {day_column} = CAST(? AS DATE)", [day]).df()
    duplicates = duplicate_keys(con, table)
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
    return dg.AssetCheckResult(
        passed=result.success and not duplicates,
        severity=dg.AssetCheckSeverity.ERROR,
        description="\n".join([f"slice {day_column} = {day}", result.summary(), *whole]),
        metadata={"rows_validated": len(frame), "slice": f"{day_column} = {day}", **result.to_metadata(),
                  "whole_table_duplicates": [d.to_dict() for d in duplicates]},
    )
