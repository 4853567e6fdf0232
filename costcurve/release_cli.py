"""`costcurve release`: list what the content gates quarantined, and release a held row with a reason."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

console = Console(width=None if sys.stdout.isatty() else 200)


def release(
    quarantine_id: str = typer.Argument(None, help="the id of a held row, from `costcurve release --list`"),
    list_: bool = typer.Option(False, "--list", help="list every quarantined row: held, rejected, released"),
    reason: str = typer.Option(None, "--reason", help="why this row may be published (recorded with who)"),
) -> None:
    """Release a row a content gate held (a move over 10x, a day under the row-count floor).

    Records who (COSTCURVE_RELEASED_BY, else the OS user) and why in raw.quarantine_releases; the row
    loads on the next run or replay of its day (`costcurve run --date DAY`)."""
    from costcurve.config import load_settings
    from warehouse import quarantine
    from warehouse.connection import writer
    from warehouse.run_lock import warehouse_lock

    if list_ == (quarantine_id is not None):
        raise typer.BadParameter("give either --list or one ID (with --reason)")
    warehouse = load_settings().warehouse
    # a writer like `costcurve run`: while a run holds the warehouse, DuckDB would refuse the file part-way
    # (or, between a run's steps, let the release in under a half-done run); so wait on the writer lock,
    # then stop cleanly naming the holder (warehouse/run_lock.py, COSTCURVE_LOCK_WAIT)
    with warehouse_lock(warehouse), writer(warehouse) as con:
        if list_:
            _print(quarantine.entries(con))
            return
        try:
            recorded = quarantine.release(con, quarantine_id, reason or "", quarantine.released_by_default())
        except quarantine.ReleaseError as exc:
            raise typer.BadParameter(str(exc)) from exc
    console.print(
        f"released {quarantine_id}: it loads on the next run or replay of its day"
        if recorded else f"{quarantine_id} was already released; nothing recorded"
    )


def _print(entries) -> None:
    table = Table("id", "source", "day", "rule", "status", "rows", "reason", "capture sha256", title="Quarantine")
    for e in entries:
        status = f"released by {e.released_by}" if e.released_by else e.action
        table.add_row(e.quarantine_id, e.source_id, e.partition_date.isoformat(), e.rule, status, str(e.rows),
                      e.reason, e.raw_sha256[:12])
    console.print(table if entries else "nothing quarantined")
