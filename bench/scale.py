"""How a day's cost grows with history (issue 10): warehouses of 30 days, 1 year, 5 years at real volume.

The generator (``seed`` then ``grow``), documented because every figure depends on it:

1. **Seed day** (``SEED_DAY``): every source in ``scrapers.registry.SOURCES`` parses its real captures
   (``bench.parsing.captures_for``: the samples in ``../shared/samples``, else the newest demo day, else the
   curated repo file) and ``warehouse.load.load_source_day`` loads them, so every raw table holds one real
   loaded day at the volume real captures yield (about 15k price facts). A source whose capture does not
   parse is left out and named in the output.
2. **History** (``grow``): that day is copied to the ``days - 1`` dates before it (``partition_date`` and
   ``fetched_at`` shifted together), in SQL. 5% of price series (chosen by a hash of the series key) change
   price: series *s* has a period of 30-180 days (from a second hash) and its price on a day *k* days back is
   the seed price times ``1 + 0.02 * floor(k / period)`` (older days dearer, as list prices fall). Every other
   row is the seed day's, as an unchanged capture gives.
3. **The day's run**, timed per step, peak resident memory of the whole process tree (this process and
   dbt's) sampled every 50 ms with psutil:
   - *no-change day* (``SEED_DAY + 1``): the same captures parsed and loaded again;
   - *normal day* (``SEED_DAY + 2``): parsed and loaded, then the 5% of series change price by 2%.
   Steps: ``parse`` (every source's captures), ``load`` (``load_source_day`` per source), ``dbt build``
   (a separate process, as the Dagster step runs it), ``gate`` (the day-sliced ``fct_price_observations`` gate,
   ``orchestration.gates.day_slice_gate_result``).

Run ``make bench-scale`` (30 days and 1 year) or ``python -m bench.scale --days 30 365 1825``; ``--sources``
restricts the seed to some sources (the test runs 3 days of one source). Results go to
``bench/results/scale.json``; ``bench/README.md`` keeps the last figures and the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import psutil

from bench.parsing import FETCHED_AT, captures_for, parse_all, samples_dir
from bench.timing import ROOT, machine
from scrapers.archive import ManifestRow, iso_utc
from scrapers.registry import SOURCES

#: the bench's "today": the day bench/parsing.py stamps on the captures it parses (FETCHED_AT)
SEED_DAY = FETCHED_AT.date()
DBT_PROJECT = ROOT / "dbt_project"
RAW_TABLES = ("fetches", "price_facts", "model_attributes", "capex_facts", "parse_exclusions",
              "performance_facts", "usage_facts", "throughput_disclosures", "capability_scores")
SERIES_KEY = ("source_id", "provider_id", "model_id", "token_type", "service_tier", "context_band", "modality",
              "currency")
#: 1 in CHANGING_ONE_IN series changes price (5%); its period is 30 + hash % PERIOD_SPREAD days (30-180)
CHANGING_ONE_IN = 20
PERIOD_SPREAD = 151
STEP_CHANGE = 0.02
SAMPLE_EVERY_S = 0.05


class PeakMemory:
    """Peak resident memory of this process and all its children, sampled in a thread while in use."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _tree_rss(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):  # a child that ended between listing and reading
                total += child.memory_info().rss
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self) -> PeakMemory:
        self.peak = self._tree_rss()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def step(steps: dict, name: str):
    with PeakMemory() as memory:
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
    steps[name] = {"s": round(seconds, 3), "peak_rss_gib": round(memory.peak / 2**30, 3)}


def parse_sources(only: list[str] | None) -> tuple[dict, dict[str, str]]:
    """{source_id: (fetches, result)} for every source whose real captures parse; {source_id: why} for the rest."""
    parsed, skipped = {}, {}
    samples = samples_dir()
    for source_id, source in SOURCES.items():
        if only and source_id not in only:
            continue
        origin, captures = captures_for(source, samples)
        if not captures:
            skipped[source_id] = "no capture"
            continue
        try:
            result = parse_all(source, captures)
        except Exception as exc:  # drift by design (xai's consumption page), named in the output
            skipped[source_id] = f"{type(exc).__name__}: {str(exc)[:80]}"
            continue
        fetches = [ManifestRow(source_id, c.key, c.meta.url, iso_utc(c.meta.fetched_at), 200, c.meta.sha256,
                               len(c.body), "application/octet-stream", True) for c in captures]
        parsed[source_id] = (fetches, result)
    return parsed, skipped


def load_day(con: duckdb.DuckDBPyConnection, parsed: dict, day: date) -> int:
    from warehouse.load import load_source_day

    rows = 0
    for source_id, (fetches, result) in parsed.items():
        rows += load_source_day(con, source_id, day, fetches, result).get("price_facts", 0)
    return rows


def _changing(alias: str = "") -> str:
    key = ", ".join(f"{alias}{c}" for c in SERIES_KEY)
    return f"hash(concat_ws('|', {key})) % {CHANGING_ONE_IN} = 0"


def grow(con: duckdb.DuckDBPyConnection, days: int) -> None:
    """Copy the seed day to the ``days - 1`` dates before it; 5% of price series change (module docstring)."""
    for table in RAW_TABLES:
        shifted = "partition_date - CAST(k AS INTEGER) AS partition_date, fetched_at - to_days(CAST(k AS INTEGER)) AS fetched_at"
        replace = shifted
        if table == "price_facts":
            period = f"(30 + hash(concat_ws('|', {', '.join(SERIES_KEY)}), 'period') % {PERIOD_SPREAD})"
            factor = f"CASE WHEN {_changing()} THEN 1 + {STEP_CHANGE} * floor(k / {period}) ELSE 1 END"
            replace += (f", CAST(price_per_mtok * {factor} AS DECIMAL(38, 18)) AS price_per_mtok"
                        f", CAST(usd_per_mtok * {factor} AS DECIMAL(38, 18)) AS usd_per_mtok")
        con.execute(f"""
            INSERT INTO raw.{table}
            SELECT * EXCLUDE (k) REPLACE ({replace})
            FROM raw.{table}, range(1, {days}) AS r(k)
            WHERE partition_date = ?
        """, [SEED_DAY])
        con.execute("CHECKPOINT")


def change_prices(con: duckdb.DuckDBPyConnection, day: date) -> None:
    """A normal day: the changing 5% of series move by STEP_CHANGE."""
    con.execute(f"""
        UPDATE raw.price_facts
        SET price_per_mtok = CAST(price_per_mtok * (1 - {STEP_CHANGE}) AS DECIMAL(38, 18)),
            usd_per_mtok = CAST(usd_per_mtok * (1 - {STEP_CHANGE}) AS DECIMAL(38, 18))
        WHERE partition_date = ? AND {_changing()}
    """, [day])


def dbt_build(warehouse: Path, work: Path) -> dict:
    dbt = Path(sys.executable).with_name("dbt")
    target = work / "dbt_target"
    target.mkdir(parents=True, exist_ok=True)
    # seeded like dagster-dbt does, then kept from build to build as the daily dbt step keeps it
    # (orchestration/defs/transform/dbt_assets.py: keep_partial_parse), so a day parses partially
    manifest_parse = DBT_PROJECT / "target" / "partial_parse.msgpack"
    if manifest_parse.exists() and not (target / "partial_parse.msgpack").exists():
        shutil.copy(manifest_parse, target / "partial_parse.msgpack")
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(target),
           "DBT_LOG_PATH": str(work / "dbt_logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    proc = subprocess.run([str(dbt), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
                           "--exclude", "resource_type:unit_test"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"dbt build failed on {warehouse}:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    return {"returncode": proc.returncode}


def gate(warehouse: Path, day: date) -> bool:
    from orchestration.gates import day_slice_gate_result

    with duckdb.connect(str(warehouse)) as con:
        result = day_slice_gate_result(con, "fct_price_observations", "observed_date", day.isoformat())
    if not result.passed:
        raise RuntimeError(f"fct_price_observations gate failed on {day}:\n{result.description[:3000]}")
    return result.passed


def run_day(warehouse: Path, work: Path, parsed: dict, day: date, *, changed: bool) -> dict:
    steps: dict = {}
    with PeakMemory() as whole:
        start = time.perf_counter()
        with step(steps, "parse"):
            parsed = {sid: (f, parse_all(SOURCES[sid], _captures(sid))) for sid, (f, _) in parsed.items()}
        with step(steps, "load"), duckdb.connect(str(warehouse)) as con:
            price_rows = load_day(con, parsed, day)
            if changed:
                change_prices(con, day)
        with step(steps, "dbt build"):
            dbt_build(warehouse, work)
        with step(steps, "gate"):
            gate(warehouse, day)
        seconds = time.perf_counter() - start
    return {"day": day.isoformat(), "changed": changed, "price_rows": price_rows, "s": round(seconds, 3),
            "peak_rss_gib": round(whole.peak / 2**30, 3), "steps": steps}


def _captures(source_id: str):
    return captures_for(SOURCES[source_id], samples_dir())[1]


def bench_size(days: int, parsed: dict, root: Path) -> dict:
    work = root / f"{days}d"
    work.mkdir(parents=True)
    warehouse = work / "costcurve.duckdb"  # the catalog is the file's stem: keep the name
    with duckdb.connect(str(warehouse)) as con:
        start = time.perf_counter()
        price_rows = load_day(con, parsed, SEED_DAY)
        grow(con, days)
        history_rows = con.execute("SELECT count(*) FROM raw.price_facts").fetchone()[0]
        built_s = time.perf_counter() - start
    dbt_build(warehouse, work)  # the marts as the day before today's run left them
    no_change = run_day(warehouse, work, parsed, SEED_DAY + timedelta(days=1), changed=False)
    normal = run_day(warehouse, work, parsed, SEED_DAY + timedelta(days=2), changed=True)
    return {"days": days, "seed_price_rows": price_rows, "history_price_rows": history_rows,
            "generate_s": round(built_s, 3), "warehouse_bytes": warehouse.stat().st_size,
            "normal_day": normal, "no_change_day": no_change,
            "no_change_over_normal": round(no_change["s"] / normal["s"], 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, nargs="+", default=[30, 365], help="history sizes (default 30 365)")
    parser.add_argument("--sources", nargs="+", help="seed from these sources only (default: every source)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    args = parser.parse_args(argv)
    if min(args.days) < 1:
        parser.error("--days must be at least 1")
    parsed, skipped = parse_sources(args.sources)
    if not parsed:
        parser.error(f"no source parsed: {skipped}")
    out = {"machine": machine(), "seed_day": SEED_DAY.isoformat(), "sources": sorted(parsed), "skipped": skipped,
           "sizes": []}
    with tempfile.TemporaryDirectory(prefix="costcurve-bench-scale-") as tmp:
        for days in sorted(args.days):
            print(f"building {days} days of history ...", flush=True)
            size = bench_size(days, parsed, Path(tmp))
            out["sizes"].append(size)
            print(_line(size), flush=True)
    base = out["sizes"][0]
    for size in out["sizes"]:
        size["normal_over_smallest"] = round(size["normal_day"]["s"] / base["normal_day"]["s"], 3)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2))
    print(f"wrote {args.json}")
    return 0


def _line(size: dict) -> str:
    parts = [f"{size['days']:>5} d: {size['history_price_rows']:,} price facts, {size['warehouse_bytes'] / 2**30:.2f} GiB"]
    for label in ("normal_day", "no_change_day"):
        day = size[label]
        split = ", ".join(f"{k} {v['s']:.1f} s" for k, v in day["steps"].items())
        parts.append(f"{label} {day['s']:.1f} s, peak {day['peak_rss_gib']:.2f} GiB ({split})")
    return "\n    ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
