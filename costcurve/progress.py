"""Progress a person can follow while a day's Dagster run goes: one plain line per finished step, with counts.

A run's own output (Dagster's event log, dbt's) goes to a log file (``runner.run_day(log_file=...)``); this
module is what the screen gets instead. It is a Dagster logger added to the job for the run, so it sees
each event as it happens (not after the run): a step's line is printed and flushed when the step ends,
which keeps the output readable when stdout is a file (``costcurve demo > demo.txt``) as well as under
rich's live progress bar in a terminal.

Each step is named by its stage, the names the README uses: ``capture`` (an ingest asset: rows loaded),
``gates`` (asset checks: passed, failed, and the Great Expectations warnings a passing gate reports),
``dbt`` (models built), ``alerts`` (events new and delivered) and ``publish`` (the analyst copy).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import dagster as dg
from rich.console import Console
from rich.progress import Progress, TaskID

STAGES = ("capture", "gates", "dbt", "alerts", "publish")
NOT_FACT_ROWS = ("rows_fetches", "rows_parse_exclusions")


@dataclass
class StepTally:
    """What one step did, from its events."""

    stage: str = "gates"  # a step that only evaluates checks is a gate
    assets: list[str] = field(default_factory=list)
    rows: int = 0
    skipped: str = ""
    models: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    alerts: Counter = field(default_factory=Counter)


@dataclass
class DayTotals:
    """One day's run summed over its steps: the day's closing line."""

    sources: int = 0
    sources_skipped: int = 0
    rows: int = 0
    models: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    warnings: int = 0
    alerts_new: int = 0
    alerts_delivered: int = 0
    published: bool = False
    skipped_sources: list[str] = field(default_factory=list)
    steps_failed: list[str] = field(default_factory=list)


class RunProgress:
    """Prints each finished step of one run as ``<day>  <stage>  <step>: <counts>``, warnings under it."""

    def __init__(self, console: Console, day: date, progress: Progress | None = None, task: TaskID | None = None):
        self.console = console
        self.day = day
        self.progress = progress
        self.task = task
        self.steps: dict[str, StepTally] = {}
        self.totals = DayTotals()

    def logger_def(self) -> dg.LoggerDefinition:
        """A Dagster logger that hands every event of the run to this object."""
        reporter = self

        class Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                reporter.on_record(record)

        @dg.logger(description="costcurve's step-by-step progress lines")
        def costcurve_progress(_init_context):
            log = logging.Logger("costcurve.progress", level=logging.DEBUG)
            log.addHandler(Handler())
            return log

        return costcurve_progress

    def on_record(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step_key = meta.get("step_key") or ""
        if event is None:
            # a step's own context.log.warning (a source skipped, a receiver down): the screen shows it
            if record.levelno >= logging.WARNING and step_key:
                self.steps.setdefault(step_key, StepTally()).warnings.append(meta.get("orig_message", record.getMessage()))
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self._describe(f"{self.day} {step_key}")
        elif kind == "ASSET_MATERIALIZATION":
            self._materialized(self.steps.setdefault(step_key, StepTally()), event.event_specific_data.materialization)
        elif kind == "ASSET_CHECK_EVALUATION":
            self._checked(self.steps.setdefault(step_key, StepTally()), event.event_specific_data)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            self._finished(step_key, self.steps.setdefault(step_key, StepTally()), failed=kind == "STEP_FAILURE")

    def _materialized(self, tally: StepTally, materialization) -> None:
        key = materialization.asset_key.path
        values = {name: getattr(value, "value", value) for name, value in materialization.metadata.items()}
        tally.assets.append("/".join(key))
        if key[0] == "raw":
            tally.stage = "capture"
            # fact rows only, as the drift check counts them: fetches and exclusions are bookkeeping
            tally.rows += sum(int(v) for name, v in values.items()
                              if name.startswith("rows_") and name not in NOT_FACT_ROWS)
            tally.skipped = str(values.get("status") or "")
        elif key[0] == "alerts":
            tally.stage = "alerts"
            tally.alerts.update({k: int(values[k]) for k in ("new", "delivered", "failed", "suppressed") if k in values})
        elif key[0] == "publish":
            tally.stage = "publish"
        else:
            tally.stage = "dbt"
            tally.models += 1

    @staticmethod
    def _checked(tally: StepTally, evaluation) -> None:
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if not evaluation.passed:
            tally.checks_failed.append(name)
        values = {k: getattr(v, "value", v) for k, v in (evaluation.metadata or {}).items()}
        if int(values.get("failed_warning_count") or 0):
            # a passing GX gate with warning-level failures: the first line of its summary says which
            # (the summary starts with the table's name; a check without one is named in full)
            summary = (evaluation.description or "").strip().splitlines()
            tally.warnings.append(" ".join(line.strip() for line in summary[:3]) or f"{name}: warning")
        if evaluation.passed:
            tally.checks_passed += 1

    def _finished(self, step_key: str, tally: StepTally, failed: bool) -> None:
        if tally.skipped and not failed:
            # its warning only repeats the reason; the day's closing lines name every skipped source
            tally.warnings.clear()
            self._add_to_totals(step_key, tally, failed)
            self.totals.skipped_sources.append(step_key.removeprefix("raw__"))
            return
        self._add_to_totals(step_key, tally, failed)
        if _quiet_gate(tally) and not failed:
            return  # a gate that passed clean is a count in the day's line, not a line of its own
        self.line(f"{self.day}  {tally.stage:<7}  {step_key}: {_counts(tally)}{'  FAILED' if failed else ''}",
                  style="red" if failed else None)
        for warning in tally.warnings:
            self.line(f"{self.day}  warning  {step_key}: {warning}", style="yellow")

    def _add_to_totals(self, step_key: str, tally: StepTally, failed: bool) -> None:
        t = self.totals
        if tally.stage == "capture":
            t.sources += 1
            t.sources_skipped += bool(tally.skipped)
        t.rows += tally.rows
        t.models += tally.models
        t.checks_passed += tally.checks_passed
        t.checks_failed += len(tally.checks_failed)
        t.warnings += len(tally.warnings)
        t.alerts_new += tally.alerts.get("new", 0)
        t.alerts_delivered += tally.alerts.get("delivered", 0)
        t.published |= tally.stage == "publish" and not failed
        if failed:
            t.steps_failed.append(step_key)

    def day_line(self, success: bool, skipped_steps: int = 0) -> str:
        """The day's closing line: every stage's total, printed after the run."""
        t = self.totals
        if t.skipped_sources:
            self.line(f"{self.day}  capture  skipped {len(t.skipped_sources)} sources (not captured that day): "
                      + ", ".join(t.skipped_sources))
        parts = [f"capture {t.rows} rows from {t.sources - t.sources_skipped} sources"
                 + (f" ({t.sources_skipped} skipped)" if t.sources_skipped else ""),
                 f"gates {t.checks_passed} passed, {t.checks_failed} failed, {t.warnings} warnings"]
        if t.models:
            parts.append(f"dbt {t.models} models built")
        if t.alerts_new or t.alerts_delivered:
            parts.append(f"alerts {t.alerts_new} new, {t.alerts_delivered} sent")
        if t.published:
            parts.append("published")
        if skipped_steps:
            parts.append(f"{skipped_steps} steps not run")
        text = f"{self.day}  {'done' if success else 'FAILED'}: " + "; ".join(parts)
        self.line(text, style=None if success else "red")
        return text

    def line(self, text: str, style: str | None = None) -> None:
        # plain text (no markup: step names hold brackets) flushed at once, so a file shows it while the run goes
        self.console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)
        self.console.file.flush()

    def _describe(self, text: str) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, description=text)


def _quiet_gate(tally: StepTally) -> bool:
    return tally.stage == "gates" and not tally.checks_failed and not tally.warnings


def _counts(tally: StepTally) -> str:
    parts = []
    if tally.stage == "capture":
        parts.append(f"skipped ({tally.skipped})" if tally.skipped else f"{tally.rows} rows captured")
    elif tally.stage == "dbt":
        parts.append(f"{tally.models} models built")
    elif tally.stage == "alerts":
        a = tally.alerts
        parts.append(f"{a.get('new', 0)} new, {a.get('delivered', 0)} sent, {a.get('failed', 0)} failed, "
                     f"{a.get('suppressed', 0)} recorded without sending")
    elif tally.stage == "publish":
        parts.append("analyst copy published")
    checks = tally.checks_passed + len(tally.checks_failed)
    if checks or tally.stage == "gates":
        text = f"checks {tally.checks_passed} passed, {len(tally.checks_failed)} failed"
        if tally.checks_failed:
            text += f" ({', '.join(tally.checks_failed)})"
        parts.append(text)
    return "; ".join(parts)
