"""Load throughput: ``warehouse.load.load_source_day`` of a large ParseResult into a temporary DuckDB file.

Two results are loaded: the LiteLLM real sample (its ~7k price facts and ~1k exclusions, one fetch row)
and a synthetic 50k price facts. For each, "new day" loads a fresh (source, day) slice per repetition
(nothing to delete; the table grows by one day each time, as the warehouse does), and "re-load" loads the
same day again, which deletes and re-inserts the slice in one transaction (the idempotent replace of a
re-run). "to frame" is the Python side of a load alone: ``model_dump`` of every record into a polars frame.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl

from bench import synthetic
from bench.parsing import captures_for, parse_all, samples_dir
from bench.timing import measure, per_second
from scrapers.archive import ManifestRow, iso_utc
from scrapers.records import ParseResult
from scrapers.registry import SOURCES
from warehouse.connection import ensure_raw_schema
from warehouse.load import load_source_day

FIRST_DAY = date(2026, 1, 1)
RELOAD_DAY = date(2025, 12, 31)
SYNTHETIC_ROWS = 50_000


def scenarios() -> list[tuple[str, str, list[ManifestRow], ParseResult]]:
    """(label, source_id, fetches, result) for each load measured."""
    found = []
    source = SOURCES["litellm"]
    origin, captures = captures_for(source, samples_dir())
    if captures:
        fetches = [ManifestRow(source.source_id, c.key, c.meta.url, iso_utc(c.meta.fetched_at), 200,
                               c.meta.sha256, len(c.body), "application/json", True) for c in captures]
        found.append((f"litellm ({origin})", source.source_id, fetches, parse_all(source, captures)))
    facts = synthetic.price_facts(SYNTHETIC_ROWS)
    found.append((f"synthetic {SYNTHETIC_ROWS // 1000}k price facts", synthetic.SOURCE_ID, [],
                  ParseResult(prices=facts)))
    return found


def run(repeat: int, warmup: int) -> list[dict]:
    rows = []
    for label, source_id, fetches, result in scenarios():
        with tempfile.TemporaryDirectory(prefix="costcurve-bench-load-") as tmp:
            rows.append(_measure(Path(tmp) / "costcurve.duckdb", label, source_id, fetches, result, repeat, warmup))
    return rows


def _measure(path: Path, label: str, source_id: str, fetches, result: ParseResult, repeat: int, warmup: int) -> dict:
    con = duckdb.connect(str(path))
    try:
        ensure_raw_schema(con)
        frame_timing, _ = measure(lambda _k: _to_frames(result), repeat=repeat, warmup=warmup)
        new_day, counts = measure(
            lambda k: load_source_day(con, source_id, FIRST_DAY + timedelta(days=k), fetches, result),
            repeat=repeat, warmup=warmup,
        )
        load_source_day(con, source_id, RELOAD_DAY, fetches, result)  # the slice a re-run replaces
        reload, _ = measure(lambda _k: load_source_day(con, source_id, RELOAD_DAY, fetches, result),
                            repeat=repeat, warmup=warmup)
        in_table = con.execute("SELECT count(*) FROM raw.price_facts WHERE source_id = ? AND partition_date = ?",
                               [source_id, RELOAD_DAY]).fetchone()[0]
        total_rows = con.execute("SELECT count(*) FROM raw.price_facts").fetchone()[0]
    finally:
        con.close()
    written = sum(counts.values())
    return {
        "scenario": label,
        "source_id": source_id,
        "price_facts": len(result.prices),
        "records": len(result),
        "exclusions": len(result.exclusions),
        "rows_written": written,
        "rows_per_table": {k: v for k, v in counts.items() if v},
        "to_frame": frame_timing.to_dict(),
        "new_day": {**new_day.to_dict(), "rows_per_s": per_second(written, new_day.median)},
        "reload_same_day": {**reload.to_dict(), "rows_per_s": per_second(written, reload.median)},
        # the re-load replaced the slice: the same rows as one load, never twice
        "reload_rows_in_slice": in_table,
        "price_fact_rows_in_table_at_end": total_rows,
        "db_bytes": path.stat().st_size,
    }


def _to_frames(result: ParseResult) -> int:
    """What ``load_source_day`` does in Python before any SQL: one polars frame per non-empty raw table."""
    height = 0
    for attribute in ParseResult.TABLES:
        records = getattr(result, attribute)
        if records:
            height += pl.DataFrame([r.model_dump() for r in records], infer_schema_length=None).height
    return height
