"""GX gate cost: ``expectations.runner.validate`` of raw_price_facts frames of 1k, 10k and 100k rows.

The frames are read from DuckDB the way the gate reads them (``con.execute(sql).df()``, see
``orchestration/gates.py``) after loading synthetic price facts that pass the suite. The first
``validate`` of a process pays for importing Great Expectations, building the ephemeral context and
loading the suite; it is reported apart ("cold start"), then each size's first call and its warm median.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb

from bench import synthetic
from bench.timing import measure, ms, per_second, timed
from expectations.runner import validate  # sets GX_ANALYTICS_ENABLED=false before GX is imported
from scrapers.records import ParseResult
from warehouse.load import load_source_day

SIZES = (1_000, 10_000, 100_000)
SUITE = "raw_price_facts"
DAY = date(2026, 11, 20)
SQL = "SELECT * FROM raw.price_facts WHERE source_id = ? AND partition_date = ? LIMIT ?"


def run(repeat: int, warmup: int, sizes: tuple[int, ...] = SIZES) -> dict:
    gx_imported_before = "great_expectations" in sys.modules
    with tempfile.TemporaryDirectory(prefix="costcurve-bench-gate-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "costcurve.duckdb"))
        try:
            load_source_day(con, synthetic.SOURCE_ID, DAY, [], ParseResult(prices=synthetic.price_facts(max(sizes))))
            frames = {}
            read_ms = {}
            for size in sizes:
                seconds, frames[size] = timed(lambda n=size: con.execute(SQL, [synthetic.SOURCE_ID, DAY, n]).df())
                read_ms[size] = ms(seconds)
        finally:
            con.close()

    import_s, _ = timed(_import_gx)
    smallest = min(sizes)
    cold_s, cold = timed(lambda: validate(frames[smallest], SUITE))
    rows = []
    for size in sizes:
        first_s, _ = timed(lambda n=size: validate(frames[n], SUITE))
        warm, result = measure(lambda _k, n=size: validate(frames[n], SUITE), repeat=repeat, warmup=warmup)
        rows.append({
            "rows": size,
            "read_frame_ms": read_ms[size],
            "first_call_ms": ms(first_s),
            **warm.to_dict(),
            "rows_per_s": per_second(size, warm.median),
            "gate_passed": result.success,
            "expectations": result.expectation_count,
            "failed": [f.headline() for f in result.failures],
        })
    return {
        "suite": SUITE,
        "cold_start": {
            "gx_already_imported": gx_imported_before,
            "import_great_expectations_ms": ms(import_s),
            "first_validate_ms": ms(cold_s),
            "first_validate_rows": smallest,
            "total_ms": ms(import_s + cold_s),
            "gate_passed": cold.success,
        },
        "rows": rows,
    }


def _import_gx() -> None:
    import great_expectations  # noqa: F401  (timed: the import is part of a process's first gate)
