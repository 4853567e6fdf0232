"""The slow figures (``--full``): the daily Dagster job per demo day, and ``dbt build`` on the demo warehouse.

A sandbox in a temporary folder holds the warehouse, published copy, exports, raw archive, replay captures
and dbt's target and log folders; every ``COSTCURVE_*`` path points into it (as the integration tests'
sandbox does), so nothing in the checkout is written. The demo days are replayed in order with
``costcurve.runner.run_day`` on one ephemeral Dagster instance; each day's wall time is split by step kind
from the run's step stats. The last day is then run again (the idempotent re-run). The warehouse those
runs built is copied and ``dbt build`` runs on the copy as a separate process, the way the job's dbt step
invokes it (same project, profile and ``run_date`` var).

dagster-dbt copies ``dbt_project/target/partial_parse.msgpack`` into each invocation's target folder; the
sandbox's dbt target folder is seeded with the same file so the job parses as it does in production.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.timing import ROOT, Timing, ms, timed

DEMO_DIR = ROOT / "demo" / "captures"
DBT_PROJECT = ROOT / "dbt_project"
DBT_STEP = "costcurve_dbt_models"
#: at most this many ``dbt build`` runs (about 10 s each on the demo warehouse)
MAX_DBT_RUNS = 3
_FULL_PARSE = re.compile(r"Unable to do partial parsing because ([^\"\n]+)")
_UNSET = ("DAGSTER_HOME", "COSTCURVE_ALERT_WEBHOOK_URL", "COSTCURVE_ALERT_WEBHOOK_SECRET",
          "COSTCURVE_OPENROUTER_ENDPOINT_MODELS", "DBT_PROJECT_DIR")


def run(repeat: int, keep: bool = False, say=print) -> dict:
    root = Path(tempfile.mkdtemp(prefix="costcurve-bench-full-"))
    log = root / "bench.log"
    box = {
        "warehouse": root / "warehouse" / "costcurve.duckdb",
        "published": root / "published" / "costcurve.duckdb",
        "exports": root / "exports",
        "archive": root / "archive",
        "replay": root / "captures",
        "dbt_target": root / "dbt" / "target",
        "dbt_logs": root / "dbt" / "logs",
    }
    shutil.copytree(DEMO_DIR, box["replay"])
    _seed_partial_parse(box["dbt_target"])
    env = {
        "COSTCURVE_MODE": "replay",
        "COSTCURVE_WAREHOUSE": str(box["warehouse"]),
        "COSTCURVE_PUBLISHED": str(box["published"]),
        "COSTCURVE_EXPORTS": str(box["exports"]),
        "COSTCURVE_ARCHIVE": str(box["archive"]),
        "COSTCURVE_REPLAY_DIR": str(box["replay"]),
        "DBT_TARGET_PATH": str(box["dbt_target"]),
        "DBT_LOG_PATH": str(box["dbt_logs"]),
    }
    failed = True
    try:
        with _environ(env, unset=_UNSET):
            job = _daily_job(box, log, say)
            say(f"  dbt build on a copy of the demo warehouse (x{min(repeat, MAX_DBT_RUNS)})")
            dbt = _dbt_builds(box, root, job["days"][-1]["day"], min(repeat, MAX_DBT_RUNS), log)
        failed = not all(d["success"] for d in job["days"]) or any(r["returncode"] for r in dbt["runs"])
    finally:
        keep = keep or failed
        if keep:
            say(f"  sandbox kept: {root} (log: {log})")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return {"sandbox": str(root) if keep else None, "log": str(log) if keep else None, **job, "dbt_build": dbt}


def _daily_job(box: dict, log: Path, say) -> dict:
    from costcurve.demo import demo_days

    days = demo_days(box["replay"])
    with _captured(log):
        import_s, _ = timed(_import_dagster)
        import dagster as dg

        from costcurve.runner import load_definitions, run_day

        defs_s, defs = timed(load_definitions)
        instance = dg.DagsterInstance.ephemeral()
    results = []
    for label, day in [*((d.isoformat(), d) for d in days), (f"{days[-1].isoformat()} re-run", days[-1])]:
        say(f"  daily job {label}")
        with _captured(log):
            seconds, outcome = timed(lambda d=day: run_day(d, defs=defs, dagster_instance=instance))
        run = instance.get_runs(limit=1)[0]
        invocations = sorted(box["dbt_target"].glob(f"{DBT_STEP}-{run.run_id[:7]}-*/dbt.log"))
        results.append({
            "day": day.isoformat(),
            "label": label,
            "success": outcome.success,
            "wall_s": round(seconds, 3),
            "checks_passed": outcome.checks_passed,
            "checks_failed": outcome.checks_failed,
            "errors": outcome.errors,
            "dbt_parse": _parse_mode("".join(p.read_text(errors="replace") for p in invocations))
            if invocations else None,
            **_steps(instance.get_run_step_stats(run.run_id), seconds),
        })
    return {
        "import_dagster_ms": ms(import_s),
        "load_definitions_ms": ms(defs_s),
        "days": results,
    }


def _steps(stats, wall: float) -> dict:
    """Seconds per kind of step, the slowest steps, and what the job spent outside any step."""
    by_kind: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    durations = []
    for stat in stats:
        if stat.start_time is None or stat.end_time is None:
            continue
        seconds = stat.end_time - stat.start_time
        by_kind[_kind(stat.step_key)] += seconds
        count[_kind(stat.step_key)] += 1
        durations.append((seconds, stat.step_key))
    total = sum(by_kind.values())
    return {
        "steps": len(durations),
        "step_s": {kind: round(s, 3) for kind, s in sorted(by_kind.items(), key=lambda kv: -kv[1])},
        "step_count": dict(count),
        "steps_total_s": round(total, 3),
        "outside_steps_s": round(wall - total, 3),
        "slowest_steps": [{"step": key, "s": round(s, 3)} for s, key in sorted(durations, reverse=True)[:5]],
    }


def _kind(step_key: str) -> str:
    if step_key.startswith(DBT_STEP):
        return "dbt build (job step)"
    if step_key.startswith("raw__"):
        return "raw gates (GX)" if "_gx_" in step_key else "ingest (capture, parse, load)"
    if "_gx_" in step_key:
        return "mart gates (GX)"
    return step_key.split("__", 1)[0]  # alerts, publish


def _dbt_builds(box: dict, root: Path, run_date: str, runs: int, log: Path) -> dict:
    """``dbt build`` as a separate process on a fresh copy of the warehouse, ``runs`` times."""
    dbt = Path(sys.executable).with_name("dbt")
    copy = root / "dbt_copy" / box["warehouse"].name  # same file name: the catalog is the file's stem
    target = root / "dbt_copy" / "target"
    _seed_partial_parse(target)
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(copy), "DBT_TARGET_PATH": str(target),
           "DBT_LOG_PATH": str(root / "dbt_copy" / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DO_NOT_TRACK": "1"}
    args = [str(dbt), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
            "--vars", json.dumps({"run_date": run_date})]
    timing = Timing()
    runs_out = []
    for _ in range(runs):
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(box["warehouse"], copy)
        seconds, proc = timed(lambda: subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                                                     check=False))
        with log.open("a") as out:
            out.write(proc.stdout + proc.stderr)
        timing.samples.append(seconds)
        results = _run_results(target / "run_results.json")
        runs_out.append({
            "wall_s": round(seconds, 3),
            "returncode": proc.returncode,
            "dbt_parse": _parse_mode(proc.stdout),
            **results,
        })
    return {
        "warehouse_bytes": box["warehouse"].stat().st_size,
        "run_date": run_date,
        "runs": runs_out,
        "wall": timing.to_dict() if timing.samples else None,
    }


def _parse_mode(log_text: str) -> str:
    """``partial``, or ``full`` and dbt's reasons for not parsing partially."""
    reasons = list(dict.fromkeys(m.split(". ")[0].strip().rstrip(".") for m in _FULL_PARSE.findall(log_text)))
    return "full: " + "; ".join(reasons) if reasons else "partial"


def _run_results(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    statuses: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    for result in data.get("results", []):
        statuses[str(result.get("status"))] += 1
        kinds[result.get("unique_id", "?").split(".", 1)[0]] += 1
    return {"dbt_elapsed_s": round(data.get("elapsed_time", 0.0), 3), "nodes": dict(kinds),
            "statuses": dict(statuses)}


def _seed_partial_parse(target: Path) -> None:
    source = DBT_PROJECT / "target" / "partial_parse.msgpack"
    target.mkdir(parents=True, exist_ok=True)
    if source.is_file():
        shutil.copyfile(source, target / source.name)


def _import_dagster() -> None:
    import dagster  # noqa: F401

    import costcurve.runner  # noqa: F401


@contextmanager
def _environ(values: dict[str, str], unset: tuple[str, ...]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in (*values, *unset)}
    os.environ.update(values)
    for key in unset:
        os.environ.pop(key, None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _captured(log: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (file descriptors: subprocesses too) to ``log``."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log.open("ab") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])

