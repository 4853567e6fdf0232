"""`costcurve status`: every registered source's last success, last failure and why, rows, and freshness.

Read from the live warehouse, read-only (the published copy is only refreshed when every gate passes, so
it would hide the very failures an operator looks for): last success from raw.fetches (as the freshness
checks and the stale-source alert read it), failures and row counts from the source-run log
(warehouse/source_runs.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
from rich.table import Table
from rich.text import Text

from warehouse import freshness
from warehouse.run_lock import describe_holder, read_holder

_STATE_STYLE = {freshness.FRESH: "green", freshness.WARN: "yellow", freshness.FAIL: "red",
                freshness.NEVER: "red", freshness.UNTRACKED: "dim"}


class StatusError(RuntimeError):
    """The warehouse cannot be read for a status (missing, or held by a writing run)."""


@dataclass(frozen=True)
class SourceStatus:
    freshness: freshness.SourceFreshness
    last_success_rows: int | None
    last_failure: date | None
    last_failure_error: str | None


def read_status(warehouse: Path, cadences: dict[str, str], as_of: date) -> list[SourceStatus]:
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise StatusError(f"no warehouse at {warehouse}: run `costcurve run` or `make demo` first")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as exc:  # DuckDB refuses readers while a writer holds the file
        raise StatusError(f"the warehouse is being written by {describe_holder(read_holder(warehouse))}: "
                          f"try again when that run has finished ({exc})") from None
    try:
        fresh = freshness.source_freshness(con, cadences, as_of)
        runs = _runs(con, as_of)
    finally:
        con.close()
    return [SourceStatus(f, *runs.get(f.source_id, (None, None, None))) for f in fresh]


def _runs(con: duckdb.DuckDBPyConnection, as_of: date) -> dict[str, tuple[int | None, date | None, str | None]]:
    """Source id -> (rows of its last successful load, day of its last failure, why)."""
    if not con.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema = 'ops' AND table_name = 'source_runs'").fetchone()[0]:
        return {}
    rows = con.execute("""
        SELECT source_id,
               arg_max(rows_loaded, (partition_date, finished_at)) FILTER (WHERE status = 'success'),
               max(partition_date) FILTER (WHERE status = 'failed'),
               arg_max(error, (partition_date, finished_at)) FILTER (WHERE status = 'failed')
        FROM ops.source_runs WHERE partition_date <= ? GROUP BY 1""", [as_of]).fetchall()
    return {source_id: (loaded, failed_on, error) for source_id, loaded, failed_on, error in rows}


def status_table(rows: list[SourceStatus], as_of: date) -> Table:
    table = Table("source", "cadence", "last success", "rows", "last failure", "why", "freshness",
                  title=f"Sources as of {as_of}")
    for row in rows:
        f = row.freshness
        age = f" ({f.days_since} d)" if f.days_since is not None else ""
        # Text, not markup: an error message may hold brackets rich would read as style tags
        table.add_row(
            *(Text(cell) for cell in (
                f.source_id, freshness.cadence_word(f.cadence) or "-", str(f.last_success or "never"),
                "" if row.last_success_rows is None else str(row.last_success_rows),
                str(row.last_failure or ""), row.last_failure_error or "")),
            Text(f"{f.state}{age}", style=_STATE_STYLE[f.state]),
        )
    return table


def main(as_of: str | None, console) -> int:
    """The command: the table, and exit 1 when any tracked source has failed its freshness (for cron/CI)."""
    from datetime import UTC, datetime

    import typer

    from costcurve.config import load_settings
    from scrapers.registry import SOURCES

    try:
        day = date.fromisoformat(as_of) if as_of else datetime.now(UTC).date()
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="'--as-of'") from None
    cadences = {s.source_id: s.cadence for s in SOURCES.values()}
    try:
        rows = read_status(load_settings().warehouse, cadences, day)
    except StatusError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 1
    console.print(status_table(rows, day))
    return 1 if any(r.freshness.state in {freshness.FAIL, freshness.NEVER} for r in rows) else 0
