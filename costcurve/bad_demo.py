"""`costcurve demo --bad` (`make demo BAD=1`): one demo day replayed with a bad capture, to show a person what the
content gates do with it: what is quarantined, what is held, and what the quality page says.

It never touches the real warehouse or the bundled captures. It copies the warehouse (`make demo`'s) into a
new temporary folder, copies the Anthropic capture of ``DAY`` from demo/captures there, edits that copy (the
``EDITS`` below), and replays the day's `capture` job for Anthropic alone (capture, archive, parse, content
gates, load, raw GX gates: the steps that decide what is let in; no dbt, alerts or publish) on the copy,
through an ephemeral Dagster instance. Then it prints the day's quarantine and writes the quality page of
the copy, and says where everything is.

The capture edited is the demo's rendering of Anthropic's real pricing page of 2025-12-20 (petehsu/LLM-Docs,
see demo/captures/2025-12-20/anthropic/SOURCE.yml): every price in it is Anthropic's, so after the edits two
prices are ours, deliberately wrong. The edited page exists only in the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from costcurve.config import PROJECT_ROOT

DAY = date(2025, 12, 20)
SOURCE_ID = "anthropic"
CAPTURE = "pricing.md"


@dataclass(frozen=True)
class Edit:
    """One cell of the real capture replaced: the table row as published, and as the bad page has it."""

    before: str
    after: str
    expect_rule: str
    why: str


EDITS = (
    # Claude Haiku 3's input, $0.25 on this page and on Anthropic's page of 2024-04-01 (the demo's other
    # Anthropic day), written as $25: the decimal point slipped two places. A 100x move: held for review.
    Edit("| Claude Haiku 3 | $0.25 / MTok |", "| Claude Haiku 3 | $25 / MTok |", "day_over_day_move",
         "Claude Haiku 3 input $0.25 -> $25 (100x the price of 2024-04-01)"),
    # Claude Haiku 4.5's cache hits, $0.10, written as $1.50: a cache read dearer than the $1 input it caches
    # cannot be right. Rejected: it stays out until the page is fixed.
    Edit("| $2 / MTok | $0.10 / MTok | $5 / MTok |", "| $2 / MTok | $1.50 / MTok | $5 / MTok |",
         "cache_read_above_input", "Claude Haiku 4.5 cache read $0.10 -> $1.50 (dearer than its $1 input)"),
)


class BadDemoError(RuntimeError):
    """No warehouse to copy, or the bundled capture no longer holds the cells the edits replace."""


@dataclass(frozen=True)
class BadDemo:
    root: Path
    warehouse: Path
    capture: Path
    quality: Path
    success: bool
    quarantined: list  # QuarantineEntry of DAY and SOURCE_ID
    gates: list  # GateRow of the run: the raw GX gates, as the quality page lists them


def edit_capture(text: str) -> str:
    """The capture with every edit applied; each cell must occur exactly once (else the page changed)."""
    for edit in EDITS:
        if text.count(edit.before) != 1:
            raise BadDemoError(f"the bundled {SOURCE_ID} capture of {DAY} no longer holds {edit.before!r} once")
        text = text.replace(edit.before, edit.after)
    return text


def prepare(warehouse: Path, root: Path) -> tuple[Path, Path]:
    """Copy the warehouse and the day's capture into ``root``, and edit the copied capture."""
    from warehouse.run_lock import warehouse_lock

    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise BadDemoError(f"no warehouse at {warehouse}: run `make demo` first (the bad day replays on a copy)")
    copy = root / "warehouse" / "costcurve.duckdb"
    copy.parent.mkdir(parents=True)
    # the writer lock while copying: a run writing meanwhile would leave a torn copy
    with warehouse_lock(warehouse, command="costcurve demo --bad (copying the warehouse)"):
        shutil.copy2(warehouse, copy)
        wal = warehouse.with_name(warehouse.name + ".wal")
        if wal.exists():
            shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
    bundled = PROJECT_ROOT / "demo" / "captures" / DAY.isoformat() / SOURCE_ID
    captures = root / "captures" / DAY.isoformat() / SOURCE_ID
    shutil.copytree(bundled, captures)
    capture = captures / CAPTURE
    capture.write_text(edit_capture(capture.read_text(encoding="utf-8")), encoding="utf-8")
    return copy, root / "captures"


def _point_settings_at(root: Path, warehouse: Path, replay_dir: Path) -> None:
    """Every path the run writes, inside ``root``; no webhooks (a demo of gates, not of alerts)."""
    os.environ.update({
        "COSTCURVE_MODE": "replay", "COSTCURVE_WAREHOUSE": str(warehouse), "COSTCURVE_REPLAY_DIR": str(replay_dir),
        "COSTCURVE_ARCHIVE": str(root / "archive"), "COSTCURVE_PUBLISHED": str(root / "published" / "costcurve.duckdb"),
        "COSTCURVE_EXPORTS": str(root / "exports"),
    })
    os.environ.pop("COSTCURVE_ALERT_WEBHOOK_URL", None)


def run_bad_demo(warehouse: Path, root: Path | None = None) -> BadDemo:
    import dagster as dg

    from costcurve.quality import write_quality_report
    from costcurve.runner import load_definitions, run_day
    from scrapers.registry import SOURCES
    from warehouse.connection import writer
    from warehouse.gate_results import last_run_results
    from warehouse.quarantine import entries

    root = Path(root or tempfile.mkdtemp(prefix="costcurve-bad-demo-"))
    copy, replay_dir = prepare(warehouse, root)
    _point_settings_at(root, copy, replay_dir)
    outcome = run_day(DAY, defs=load_definitions(), dagster_instance=dg.DagsterInstance.ephemeral(),
                      job_name="capture", asset_selection=[dg.AssetKey(["raw", SOURCE_ID])],
                      log_file=root / "logs" / f"bad-demo-{DAY}.log")
    with writer(copy) as con:
        day = [e for e in entries(con) if e.partition_date == DAY and e.source_id == SOURCE_ID]
        gates = last_run_results(con)
    quality = write_quality_report(copy, root / "reports" / "quality.html",
                                   {s.source_id: s.cadence for s in SOURCES.values()}, DAY)
    return BadDemo(root, copy, replay_dir / DAY.isoformat() / SOURCE_ID / CAPTURE, quality, outcome.success, day,
                   gates)


def main(console) -> int:
    """The command: run it, print what the gates did; 1 when the run failed or a gate missed an edit."""
    from rich.table import Table

    from costcurve.config import load_settings

    try:
        result = run_bad_demo(load_settings().warehouse)
    except BadDemoError as exc:
        console.print(f"error: {exc}", style="red", markup=False)
        return 1
    console.print(f"Replayed {DAY} for {SOURCE_ID} on a copy of the warehouse, with the capture edited:", markup=False)
    for edit in EDITS:
        console.print(f"  {edit.why}: expect {edit.expect_rule}", markup=False)
    table = Table("id", "rule", "action", "reason", title=f"Quarantined on {DAY} ({SOURCE_ID})")
    for e in result.quarantined:
        table.add_row(e.quarantine_id, e.rule, e.action, e.reason)
    console.print(table)
    held = [e for e in result.quarantined if e.action == "held"]
    console.print(f"held for review ({len(held)}): " + "; ".join(e.reason for e in held) if held else "held: none",
                  markup=False)
    failed = [g.suite for g in result.gates if not g.success]
    # what the quality page's gate section says: the quarantined rows never reached the tables GX validates
    console.print(f"the run's GX gates: {len(result.gates)} validations, {len(failed)} failed"
                  + (f" ({', '.join(failed)})" if failed else ""), markup=False)
    console.print(f"the edited capture: {result.capture}", markup=False, soft_wrap=True)
    console.print(f"the copy of the warehouse: {result.warehouse}", markup=False, soft_wrap=True)
    console.print(f"the quality page of the copy: {result.quality}", markup=False, soft_wrap=True)
    missed = [e.expect_rule for e in EDITS if e.expect_rule not in {q.rule for q in result.quarantined}]
    if missed or not result.success:
        console.print(f"the bad day did not go as expected: run success={result.success}, rules missed: "
                      f"{', '.join(missed) or 'none'} (log: {result.root / 'logs'})", style="red", markup=False)
        return 1
    return 0
