"""Run the daily Dagster job for one partition in this process, and summarise what happened."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg

from costcurve.config import PROJECT_ROOT
from costcurve.progress import RunProgress


@dataclass
class DayOutcome:
    day: date
    success: bool
    failed_steps: list[str] = field(default_factory=list)
    skipped_steps: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load_definitions() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=PROJECT_ROOT / "orchestration")


def instance() -> dg.DagsterInstance:
    """The persistent local instance when DAGSTER_HOME is set (runs then show in `make dev`), else ephemeral."""
    if os.environ.get("DAGSTER_HOME"):
        Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def run_day(day: date, *, defs: dg.Definitions | None = None, dagster_instance=None, job_name: str = "daily",
            log_file: Path | None = None, asset_selection: list[dg.AssetKey] | None = None,
            progress: RunProgress | None = None) -> DayOutcome:
    """Run ``job_name`` (the daily job, or ``rebuild``: marts, gates and publish only) for ``day``.

    With ``log_file``, Dagster's event log (INFO and up) and dbt's output go to that file instead of the
    terminal (the run is still recorded in the Dagster instance, so `make dev` shows it in full). With
    ``progress``, each step's line with its counts is printed as the step ends (costcurve.progress)."""
    defs = defs or load_definitions()
    job = defs.resolve_job_def(job_name)
    dagster_instance = dagster_instance or instance()
    run_config = {}
    if progress is not None:
        # beside the job's console logger, not instead of it: naming a logger in the run config turns off
        # Dagster's default, so the console one is named too
        job = job.with_logger_defs({**job.loggers, "costcurve_progress": progress.logger_def()})
        run_config = {"loggers": {"console": {}, "costcurve_progress": {}}}
    with contextlib.ExitStack() as stack:
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            sink = stack.enter_context(open(log_file, "w", encoding="utf-8"))
            stack.enter_context(contextlib.redirect_stdout(sink))
            stack.enter_context(contextlib.redirect_stderr(sink))
            run_config = {"loggers": {**run_config.get("loggers", {}), "console": {"config": {"log_level": "INFO"}}}}
        result = job.execute_in_process(
            partition_key=day.isoformat(), instance=dagster_instance, raise_on_error=False, run_config=run_config,
            asset_selection=asset_selection,
        )
    plan = dagster_instance.get_execution_plan_snapshot(result.dagster_run.execution_plan_snapshot_id)
    return summarise(day, result, planned=plan.step_keys_to_execute)


def summarise(day: date, result: dg.ExecuteInProcessResult, planned: list[str] = ()) -> DayOutcome:
    """Failures, checks, and the planned steps that never ran because something upstream failed."""
    outcome = DayOutcome(day=day, success=result.success)
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    outcome.skipped_steps = [key for key in planned if key not in started]
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            outcome.failed_steps.append(event.step_key or "?")
            error = event.event_specific_data.error
            if error is not None:
                outcome.errors.append(f"{event.step_key}: {_root_message(error)}")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
            if evaluation.passed:
                outcome.checks_passed += 1
            else:
                outcome.checks_failed.append(name)
    return outcome


def _root_message(error) -> str:
    """The innermost cause: the named scraper error, not Dagster's wrapper around it."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip().splitlines()[-1] if error.message else error.cls_name or "error"


def log_warnings(log_file: Path) -> list[str]:
    """The WARNING events of a run's log (``run_day(log_file=...)``), as ``step: message``: the screen's
    summary names them while the rest of Dagster's and dbt's output stays in the file.

    Dagster's console logger writes ``time - dagster - WARNING - job - run id - step - message``; a library's
    Python warning (GX's, say) reaches the file as ``path.py:12: FutureWarning: message``."""
    warnings = []
    for line in Path(log_file).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(" - ", 6)
        if len(parts) == 7 and parts[1] == "dagster" and parts[2] == "WARNING":
            warnings.append(f"{parts[5]}: {parts[6]}")
        elif python := PYTHON_WARNING.match(line):
            warnings.append(f"{python['category']}: {python['message']}")
    return warnings


PYTHON_WARNING = re.compile(r"^\S+\.py:\d+: (?P<category>\w*Warning): (?P<message>.*)$")
