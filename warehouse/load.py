"""Idempotent loads of parsed records into the raw tables: one (source, day) slice replaced at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime

import duckdb
import polars as pl

from scrapers.archive import ManifestRow
from scrapers.records import ParseResult
from warehouse.connection import ensure_raw_schema
from warehouse.content_gates import ContentGateError, check_row_count_floor, gate_prices


def load_source_day(
    con: duckdb.DuckDBPyConnection,
    source_id: str,
    partition_date: date,
    fetches: Sequence[ManifestRow],
    result: ParseResult,
    carried: Sequence[str] = (),
    before_commit: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Replace every raw row of ``source_id`` for ``partition_date`` with these, in one transaction.

    ``carried`` are sha256s of captures the server confirmed unchanged (HTTP 304): their rows are copied
    from the latest earlier day that loaded them, so the day is complete without parsing again.
    ``before_commit`` is called with the number of records loaded (parsed plus carried, exclusions not
    counted) before the transaction commits; raising there (a drift check) rolls the whole day back.
    Content gates (warehouse/content_gates.py) run in the same transaction: price rows that break a rule
    go to raw.quarantine and the rest of the day loads; a day under the row-count floor is held whole,
    committed as held, and ``ContentGateError`` is raised.
    Returns rows written per raw table (quarantined rows not counted, under ``quarantined``).
    A re-run of the same day leaves the same rows and the same quarantine, never duplicates.
    """
    ensure_raw_schema(con)
    loaded_at = datetime.now(UTC)
    frames = {"fetches": _frame(_fetch_row(row) for row in fetches)}
    for attribute, table in ParseResult.TABLES.items():
        frames[table] = _frame(record.model_dump() for record in getattr(result, attribute))
    counts: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in frames.items():
            con.execute(
                f"DELETE FROM raw.{table} WHERE source_id = ? AND partition_date = ?",
                [source_id, partition_date],
            )
            counts[table] = _insert(con, table, frame, partition_date, loaded_at)
            if table != "fetches":
                counts[table] += _carry_forward(con, table, source_id, partition_date, carried, loaded_at)
        records = sum(n for t, n in counts.items() if t not in ("fetches", "parse_exclusions"))
        if before_commit is not None:
            before_commit(records)
        # a day with no fetch rows has no capture of its own (a backfill day): no page to be short, no move
        captured = bool(fetches) or bool(carried)
        quarantined = gate_prices(con, source_id, partition_date, captured)
        counts["price_facts"] = counts.get("price_facts", 0) - quarantined
        counts["quarantined"] = quarantined
        held_day = None
        try:
            if captured:
                check_row_count_floor(con, source_id, partition_date, records, _RECORD_TABLES)
        except ContentGateError as exc:
            held_day = exc  # commit the hold first: the quarantine must record what was kept out
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if held_day is not None:
        raise held_day
    return counts


# the tables whose rows are records of the source (what the row-count floor counts and holds)
_RECORD_TABLES = tuple(t for t in ParseResult.TABLES.values() if t != "parse_exclusions")


def any_rows_for(con: duckdb.DuckDBPyConnection, source_id: str, shas: Sequence[str], *, every: bool = True) -> bool:
    """Whether every one of these captures (``every=False``: at least one) has rows in the warehouse to
    carry forward. A source whose captures are parsed together (a CSV and the manifest vouching for it)
    files its rows under one capture only, so asking for every one would always say no."""
    ensure_raw_schema(con)
    tables = [t for t in ParseResult.TABLES.values() if t != "parse_exclusions"]
    union = " UNION ALL ".join(f"SELECT raw_sha256 FROM raw.{t} WHERE source_id = ?" for t in tables)
    present = {row[0] for row in con.execute(f"SELECT DISTINCT raw_sha256 FROM ({union})", [source_id] * len(tables)).fetchall()}
    return set(shas) <= present if every else bool(set(shas) & present)


def previous_record_count(con: duckdb.DuckDBPyConnection, source_id: str, before: date) -> int | None:
    """Records the source loaded on its latest earlier day (None if it never loaded), for drift checks."""
    ensure_raw_schema(con)
    counts = " + ".join(
        f"(SELECT count(*) FROM raw.{table} t WHERE t.source_id = d.source_id AND t.partition_date = d.day)"
        for table in ParseResult.TABLES.values()
        if table != "parse_exclusions"
    )
    row = con.execute(
        f"""
        WITH d AS (
            SELECT source_id, max(partition_date) AS day FROM raw.fetches
            WHERE source_id = ? AND partition_date < ? GROUP BY source_id
        )
        SELECT {counts} FROM d
        """,
        [source_id, before],
    ).fetchone()
    return None if row is None else int(row[0])


def _carry_forward(con, table: str, source_id: str, day: date, shas: Sequence[str], loaded_at: datetime) -> int:
    total = 0
    for sha in shas:
        total += con.execute(
            f"""
            INSERT INTO raw.{table}
            SELECT * REPLACE (CAST(? AS DATE) AS partition_date, CAST(? AS TIMESTAMPTZ) AS loaded_at)
            FROM raw.{table}
            WHERE source_id = ? AND raw_sha256 = ? AND partition_date = (
                SELECT max(partition_date) FROM raw.{table}
                WHERE source_id = ? AND raw_sha256 = ? AND partition_date < ?
            )
            """,
            [day, loaded_at, source_id, sha, source_id, sha, day],
        ).fetchone()[0]
    return total


def _fetch_row(row: ManifestRow) -> dict:
    values = dict(row.__dict__)
    values["fetched_at"] = datetime.fromisoformat(row.fetched_at)
    return values


def _frame(rows: Iterable[dict]) -> pl.DataFrame | None:
    rows = list(rows)
    # infer over every row: a column that is None in the first rows must not be typed as null
    return pl.DataFrame(rows, infer_schema_length=None) if rows else None


def _insert(con, table: str, frame: pl.DataFrame | None, partition_date: date, loaded_at: datetime) -> int:
    if frame is None:
        return 0
    frame = frame.with_columns(
        pl.lit(partition_date).alias("partition_date"), pl.lit(loaded_at).alias("loaded_at")
    )
    columns = [c[0] for c in con.execute(f"DESCRIBE raw.{table}").fetchall()]
    missing = set(columns) - set(frame.columns)
    extra = set(frame.columns) - set(columns)
    if extra:
        raise ValueError(f"raw.{table} has no column for {sorted(extra)}: update warehouse/raw_schema.sql")
    for name in missing:  # optional columns a record type never sets
        frame = frame.with_columns(pl.lit(None).alias(name))
    con.register("_incoming", frame.select(columns).to_arrow())
    try:
        # BY NAME keeps the insert correct whatever order the frame's columns come in
        con.execute(f"INSERT INTO raw.{table} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")
    return frame.height
