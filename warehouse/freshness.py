"""Freshness per source, from its cadence in the registry: how many days since its last successful capture,
and whether that is fresh, worth a warning, or a failure.

A source's cadence (scrapers/registry.py) starts with a word; the ages below are in days between the day
asked about (a run's partition, or today) and the last partition with a successful capture in raw.fetches
(HTTP 2xx/3xx, a 304 included: the page was confirmed unchanged). A daily source captured yesterday is
fresh (today's run may not have happened yet); one missed day (2 days) warns; two missed days (3 days)
fail, the same count at which the ``source_stale`` alert rule (alerts/rules.yml, ``stale_after_days``)
fires, read from the same table, so the check, `costcurve status` and the alert agree (a test holds them
together). Cadences with no word here (``replay only``, ``on change``) are not tracked: nothing is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

FRESH, WARN, FAIL, NEVER, UNTRACKED = "fresh", "warn", "fail", "never captured", "not tracked"


@dataclass(frozen=True)
class FreshnessAges:
    warn_after_days: int
    fail_after_days: int


#: cadence word -> ages; the fail age must equal alerts/rules.yml's source_stale ``stale_after_days``
CADENCE_AGES: dict[str, FreshnessAges] = {"daily": FreshnessAges(warn_after_days=2, fail_after_days=3)}


def cadence_word(cadence: str) -> str:
    """The cadence's first word, as the stale_source alert rule reads it (``daily; fetched only ...``)."""
    return cadence.split()[0].strip(";,") if cadence.strip() else ""


def ages_for(cadence: str) -> FreshnessAges | None:
    return CADENCE_AGES.get(cadence_word(cadence))


def state(days_since: int | None, ages: FreshnessAges | None) -> str:
    if ages is None:
        return UNTRACKED
    if days_since is None:
        return NEVER
    if days_since >= ages.fail_after_days:
        return FAIL
    if days_since >= ages.warn_after_days:
        return WARN
    return FRESH


def last_successful_captures(con: duckdb.DuckDBPyConnection, as_of: date) -> dict[str, date]:
    """Source id -> the last partition day, up to ``as_of``, with a successful capture (as the alert reads it)."""
    if not _has_table(con, "raw", "fetches"):
        return {}
    return dict(con.execute(
        "SELECT source_id, max(partition_date) FROM raw.fetches "
        "WHERE partition_date <= ? AND http_status BETWEEN 200 AND 399 GROUP BY 1", [as_of]).fetchall())


@dataclass(frozen=True)
class SourceFreshness:
    source_id: str
    cadence: str
    last_success: date | None
    days_since: int | None
    state: str
    ages: FreshnessAges | None


def source_freshness(con: duckdb.DuckDBPyConnection, cadences: dict[str, str], as_of: date) -> list[SourceFreshness]:
    """Every source in ``cadences`` (source id -> cadence), in that order."""
    last = last_successful_captures(con, as_of)
    rows = []
    for source_id, cadence in cadences.items():
        captured = last.get(source_id)
        days = None if captured is None else (as_of - captured).days
        ages = ages_for(cadence)
        rows.append(SourceFreshness(source_id, cadence, captured, days, state(days, ages), ages))
    return rows


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0
