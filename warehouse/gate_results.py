"""The gate-result log: one row per GX validation a run's blocking gates made, passed or failed.

Dagster keeps a check's result in its event log, but the CLI's instance is ephemeral (each `costcurve run`
runs its job in-process and forgets it), so what the gates said was gone when the run ended. This log keeps
it in the warehouse, where `costcurve quality` (costcurve/quality.py) reads the last run's validations. Like
ops.source_runs it is a log: a re-run appends its own rows under its own run id and never rewrites earlier
ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

DDL = """
CREATE SCHEMA IF NOT EXISTS ops;
CREATE TABLE IF NOT EXISTS ops.gate_results (
    run_id                 VARCHAR NOT NULL,
    partition_date         DATE,
    asset                  VARCHAR NOT NULL,
    suite                  VARCHAR NOT NULL,
    success                BOOLEAN NOT NULL,
    rows_validated         BIGINT NOT NULL,
    expectations_evaluated INTEGER NOT NULL,
    expectations_failed    INTEGER NOT NULL,
    failed_expectations    VARCHAR NOT NULL,
    checked_at             TIMESTAMPTZ NOT NULL
);
"""


@dataclass(frozen=True)
class GateRow:
    """What one validation said: ``failed`` holds one dict per failed expectation (severity, what, why)."""

    run_id: str
    partition_date: date | None
    asset: str
    suite: str
    success: bool
    rows_validated: int
    expectations_evaluated: int
    failed: list[dict]


def ensure_gate_results(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def record_gate_result(con: duckdb.DuckDBPyConnection, row: GateRow, checked_at: datetime | None = None) -> None:
    ensure_gate_results(con)
    con.execute(
        "INSERT INTO ops.gate_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row.run_id, row.partition_date, row.asset, row.suite, row.success, row.rows_validated,
         row.expectations_evaluated, len(row.failed), json.dumps(row.failed, default=str),
         checked_at or datetime.now(UTC)],
    )


def last_run_results(con: duckdb.DuckDBPyConnection) -> list[GateRow]:
    """Every validation of the run that checked last (empty when no gate has run, or before this log existed)."""
    if not con.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema = 'ops' AND table_name = 'gate_results'").fetchone()[0]:
        return []
    rows = con.execute(
        """
        SELECT run_id, partition_date, asset, suite, success, rows_validated, expectations_evaluated,
               failed_expectations
        FROM ops.gate_results
        WHERE run_id = (SELECT arg_max(run_id, checked_at) FROM ops.gate_results)
        ORDER BY success, asset, suite
        """
    ).fetchall()
    return [GateRow(*row[:7], failed=json.loads(row[7])) for row in rows]
