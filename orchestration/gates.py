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
