"""costcurve benchmarks: figures, not pass/fail (timed assertions do not belong in unit tests).

    .venv/bin/python bench/run.py                 # quick: parse, load, GX gate (well under a minute)
    .venv/bin/python bench/run.py --full          # + the daily job per demo day and dbt build (minutes)
    .venv/bin/python bench/run.py --repeat 9 --json /tmp/bench.json

Prints the machine context and a table per part, and writes every figure (with the raw samples) to
``bench/results/latest.json`` (git-ignored). See bench/README.md for what each figure measures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# run as a script: import the project (and this folder as the ``bench`` package), not bench/ as top level
sys.path[0] = str(ROOT)
for _name, _value in (("GX_ANALYTICS_ENABLED", "false"), ("DO_NOT_TRACK", "1"),
                      ("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")):
    os.environ.setdefault(_name, _value)  # as the Makefile exports them
warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", category=UserWarning)

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from rich.text import Text  # noqa: E402

from bench import gates, loading, parsing, pipeline, queries  # noqa: E402
from bench.timing import loadavg, machine  # noqa: E402
from costcurve.config import load_settings  # noqa: E402

DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"
console = Console()
if not console.is_terminal:
    console.width = 160  # piped or redirected: keep every column readable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, metavar="N",
                        help="timed repetitions per figure; the median is reported (default 5; dbt build "
                             f"runs min(N, {pipeline.MAX_DBT_RUNS}) times)")
    parser.add_argument("--warmup", type=int, default=2, metavar="W",
                        help="untimed warm-up runs before the timed ones (default 2)")
    parser.add_argument("--full", action="store_true",
                        help="also the slow parts: the daily Dagster job per demo day and dbt build")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH",
                        help=f"where to write the results (default {DEFAULT_JSON.relative_to(ROOT)})")
    parser.add_argument("--keep-sandbox", action="store_true",
                        help="with --full: keep the temporary warehouse, archive and logs (kept anyway on failure)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be >= 1 and --warmup >= 0")

    started = time.perf_counter()
    results: dict = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": {"repeat": args.repeat, "warmup": args.warmup, "full": args.full},
        "machine": machine(),
    }
    _print_machine(results["machine"], args)

    sections = [
        ("parse", "1/3 parse: every registered source", lambda: parsing.run(args.repeat, args.warmup), _print_parse),
        ("load", "2/3 load: load_source_day into a temporary DuckDB file",
         lambda: loading.run(args.repeat, args.warmup), _print_load),
        ("gate", "3/3 GX gate: raw_price_facts", lambda: gates.run(args.repeat, args.warmup), _print_gate),
    ]
    published = load_settings().published
    if published.exists():
        sections.append(("queries", f"analyst queries: the README's query page on {_shown(published)}",
                         lambda: queries.run(published, args.repeat, args.warmup), _print_queries))
    else:
        console.print(f"[yellow]no published copy at {_shown(published)}: analyst queries not timed "
                      "(run `make demo` first)[/]")
    if args.full:
        sections.append(("pipeline", "full: the daily job per demo day, then dbt build (sandbox in a temp folder)",
                         lambda: pipeline.run(args.repeat, keep=args.keep_sandbox, say=console.print),
                         _print_pipeline))
    results["section_s"] = {}
    for key, title, measure_section, show in sections:
        console.print(f"[bold]{title}[/]")
        section_started = time.perf_counter()
        results[key] = measure_section()
        results["section_s"][key] = round(time.perf_counter() - section_started, 1)
        show(results[key])
    results.setdefault("pipeline", None)

    results["machine"]["loadavg_end"] = loadavg()
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    per_section = ", ".join(f"{k} {v} s" for k, v in results["section_s"].items())
    console.print(f"load average at the end: {results['machine']['loadavg_end']}  |  "
                  f"bench took {results['elapsed_s']} s ({per_section})  |  results: {_shown(args.json)}")
    return 0


# --------------------------------------------------------------------------- printing


def _print_machine(m: dict, args) -> None:
    v = m["versions"]
    console.rule("costcurve bench")
    console.print(
        f"machine: {m['cpu_count']} CPUs ({m['cpus_usable']} usable) {m['cpu_model'] or ''}, "
        f"{m['memory_gib']} GiB, {m['platform']}\n"
        f"python {m['python']} | duckdb {v['duckdb']} | dagster {v['dagster']} (dagster-dbt {v['dagster-dbt']}) | "
        f"dbt-core {v['dbt-core']} (dbt-duckdb {v['dbt-duckdb']}) | great-expectations {v['great-expectations']} | "
        f"polars {v['polars']} | pandas {v['pandas']} | pydantic {v['pydantic']}\n"
        f"commit {m['commit']} | load average {m['loadavg_start']} | repeat {args.repeat}, warm-up {args.warmup}"
        f"{' | --full' if args.full else ''}"
    )


def _print_parse(parse: dict) -> None:
    table = Table("source", "capture", "files", "bytes", "records", "excl.", "median ms", "min–max ms",
                  "records/s", "MB/s", title="Parse throughput (one pass = every capture of the source)")
    notes = []
    for r in parse["rows"]:
        origin = r["origin"]
        if r.get("note"):
            notes.append(f"{r['source_id']}: {r['note']}; its demo capture is timed instead")
            origin += f" [{len(notes)}]"
        if "error" in r:
            table.add_row(r["source_id"], origin, str(r["captures"]), _int(r["bytes"]), "", "",
                          f"[red]{r['error'][:60]}[/]", "", "", "")
            continue
        table.add_row(r["source_id"], origin, str(r["captures"]), _int(r["bytes"]), _int(r["records"]),
                      _int(r["exclusions"]), _f(r["median_ms"], 2), f"{_f(r['min_ms'], 2)}–{_f(r['max_ms'], 2)}",
                      _int(r["records_per_s"]), _f(r["mb_per_s"], 2))
    t = parse["total"]
    table.add_section()
    table.add_row("all", f"{t['sources']} sources", "", _int(t["bytes"]), _int(t["records"]), "",
                  _f(t["median_ms_sum"], 1), "", "", "")
    console.print(table)
    for i, note in enumerate(notes, 1):
        console.print(f"[{i}] {note}", markup=False)
    if not parse["samples_present"]:
        console.print(f"[yellow]no real captures at {parse['samples_dir']}: demo captures parsed instead[/]")


def _print_queries(result: dict) -> None:
    table = Table("query", "question", "rows", "p50 ms", "p95 ms", "max ms",
                  title="Analyst queries, in-process on one read-only connection")
    for r in result["queries"]:
        table.add_row(r["name"], Text(r["question"][:70]), _int(r["rows"]), _f(r["p50_ms"], 1), _f(r["p95_ms"], 1),
                      _f(r["max_ms"], 1))
    table.add_section()
    table.add_row("all", "p95 over every sample of every query", "", "", _f(result["p95_of_all_ms"], 1), "")
    console.print(table)
    for name, figure in result["startup"].items():
        console.print(f"start-up: {name}: median {_f(figure['median_ms'], 0)} ms (min {_f(figure['min_ms'], 0)} ms)",
                      markup=False)


def _print_load(load: list[dict]) -> None:
    table = Table("result", "rows written", "to frame ms", "new day ms", "rows/s", "re-load ms", "rows/s",
                  "slice after re-load", title="Load throughput (median ms; re-load = replace the same day)")
    for r in load:
        table.add_row(r["scenario"], _int(r["rows_written"]), _f(r["to_frame"]["median_ms"], 1),
                      _f(r["new_day"]["median_ms"], 1), _int(r["new_day"]["rows_per_s"]),
                      _f(r["reload_same_day"]["median_ms"], 1), _int(r["reload_same_day"]["rows_per_s"]),
                      _int(r["reload_rows_in_slice"]))
    console.print(table)


def _print_gate(gate: dict) -> None:
    cold = gate["cold_start"]
    table = Table("rows", "read frame ms", "first call ms", "warm median ms", "min–max ms", "rows/s", "gate",
                  title=f"GX gate {gate['suite']} (validate only; reading the frame shown apart)")
    for r in gate["rows"]:
        table.add_row(_int(r["rows"]), _f(r["read_frame_ms"], 1), _f(r["first_call_ms"], 1),
                      _f(r["median_ms"], 1), f"{_f(r['min_ms'], 1)}–{_f(r['max_ms'], 1)}", _int(r["rows_per_s"]),
                      "[green]passed[/]" if r["gate_passed"] else "[red]failed[/]")
    console.print(table)
    console.print(f"cold start (a process's first gate): import great_expectations "
                  f"{_f(cold['import_great_expectations_ms'], 0)} ms + first validate of {_int(cold['first_validate_rows'])} "
                  f"rows (context, suite, validation) {_f(cold['first_validate_ms'], 0)} ms = "
                  f"[bold]{_f(cold['total_ms'], 0)} ms[/]"
                  + (" (GX was already imported)" if cold["gx_already_imported"] else ""))


def _print_pipeline(p: dict) -> None:
    kinds = {"ingest": "ingest (capture, parse, load)", "raw GX": "raw gates (GX)", "dbt step": "dbt build (job step)",
             "mart GX": "mart gates (GX)", "alerts": "alerts", "publish": "publish"}
    table = Table("day", "ok", "wall s", *kinds, "other s", "steps", "checks ok/failed", "dbt parse",
                  title="Daily job per demo day (run_day in process; seconds per kind of step, 'other' = outside steps)")
    for d in p["days"]:
        table.add_row(d["label"], "[green]yes[/]" if d["success"] else "[red]no[/]", _f(d["wall_s"], 1),
                      *(_f(d["step_s"].get(k, 0.0), 1) for k in kinds.values()), _f(d["outside_steps_s"], 1),
                      str(d["steps"]), f"{d['checks_passed']}/{len(d['checks_failed'])}",
                      (d.get("dbt_parse") or "").split(":", 1)[0])
    console.print(table)
    last = p["days"][-1]
    console.print("steps per kind: " + ", ".join(f"{short} {last['step_count'].get(kind, 0)}"
                                                 for short, kind in kinds.items()))
    reasons = {d["dbt_parse"] for d in p["days"] if (d.get("dbt_parse") or "").startswith("full")}
    for reason in sorted(reasons):
        console.print(f"dbt parse in the job step: {reason}", markup=False)
    console.print(f"import dagster + costcurve.runner {_f(p['import_dagster_ms'], 0)} ms | "
                  f"load_definitions {_f(p['load_definitions_ms'], 0)} ms")
    for d in p["days"]:
        for error in d["errors"]:
            console.print(f"[red]{d['label']}: {error}[/]")
    dbt = p["dbt_build"]
    table = Table("run", "wall s", "dbt elapsed s", "dbt parse", "nodes", "statuses", "exit",
                  title=f"dbt build, separate process, on a copy of the demo warehouse "
                        f"({_int(dbt['warehouse_bytes'])} bytes, run_date {dbt['run_date']})")
    for i, r in enumerate(dbt["runs"], 1):
        table.add_row(str(i), _f(r["wall_s"], 1), _f(r.get("dbt_elapsed_s"), 1), r["dbt_parse"].split(":", 1)[0],
                      ", ".join(f"{k} {n}" for k, n in sorted(r.get("nodes", {}).items())),
                      ", ".join(f"{k} {n}" for k, n in sorted(r.get("statuses", {}).items())), str(r["returncode"]))
    console.print(table)
    for i, r in enumerate(dbt["runs"], 1):
        if r["dbt_parse"].startswith("full"):
            console.print(f"run {i}: dbt parse {r['dbt_parse']}", markup=False)
    if dbt["wall"]:
        console.print(f"dbt build wall: median {_f(dbt['wall']['median_ms'] / 1000, 1)} s "
                      f"(min {_f(dbt['wall']['min_ms'] / 1000, 1)}, max {_f(dbt['wall']['max_ms'] / 1000, 1)})")


def _f(value, digits: int) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _int(value) -> str:
    return "" if value is None else f"{round(value):,}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
