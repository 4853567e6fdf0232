"""Reading the quarantine and releasing held rows (the warehouse side of `costcurve release`)."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import date

import duckdb

from warehouse.connection import ensure_raw_schema
from warehouse.content_gates import HELD_RULES


class ReleaseError(ValueError):
    """A release that cannot be recorded: unknown id, a rejected (not held) row, or no reason given."""


@dataclass(frozen=True)
class QuarantineEntry:
    quarantine_id: str
    source_id: str
    partition_date: date
    rule: str
    action: str
    reason: str
    rows: int
    raw_sha256: str
    released_by: str | None


def entries(con: duckdb.DuckDBPyConnection) -> list[QuarantineEntry]:
    """Every quarantined id (a held day under the row-count floor is one id for all its rows), newest first."""
    ensure_raw_schema(con)
    rows = con.execute(
        """
        SELECT q.quarantine_id, q.source_id, q.partition_date, q.rule, q.action, any_value(q.reason),
               count(*), min(q.raw_sha256), any_value(r.released_by)
        FROM raw.quarantine q LEFT JOIN raw.quarantine_releases r USING (quarantine_id)
        GROUP BY ALL ORDER BY q.partition_date DESC, q.source_id, q.rule, q.quarantine_id
        """
    ).fetchall()
    return [QuarantineEntry(*row) for row in rows]


def released_by_default() -> str:
    """Who is releasing: COSTCURVE_RELEASED_BY (for a shared service account), else the OS user."""
    return os.environ.get("COSTCURVE_RELEASED_BY") or getpass.getuser()


def release(con: duckdb.DuckDBPyConnection, quarantine_id: str, reason: str, released_by: str) -> bool:
    """Record that ``released_by`` let held row(s) ``quarantine_id`` through because ``reason``.

    Returns False (and records nothing) if it was already released. The row loads on the next run or
    replay of its day: the content gate finds the release and keeps the row."""
    ensure_raw_schema(con)
    if not reason or not reason.strip():
        raise ReleaseError("a release needs a reason (--reason TEXT): it is the audit trail")
    found = con.execute(
        "SELECT DISTINCT source_id, partition_date, rule, action FROM raw.quarantine WHERE quarantine_id = ?",
        [quarantine_id],
    ).fetchall()
    if not found:
        raise ReleaseError(f"no quarantined row has id {quarantine_id!r}; see `costcurve release --list`")
    source_id, day, rule, action = found[0]
    if action != "held" or rule not in HELD_RULES:
        raise ReleaseError(
            f"{quarantine_id} was rejected by rule {rule}, not held: a wrong row is fixed in its source or "
            f"parser, not released"
        )
    if con.execute("SELECT count(*) FROM raw.quarantine_releases WHERE quarantine_id = ?", [quarantine_id]).fetchone()[0]:
        return False
    con.execute(
        "INSERT INTO raw.quarantine_releases VALUES (?, ?, ?, ?, ?, ?, now())",
        [quarantine_id, source_id, day, rule, released_by, reason.strip()],
    )
    return True
