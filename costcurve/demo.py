"""`make demo`: the whole pipeline offline over the bundled captures, with a local webhook sink.

The sink is a real HTTP server on loopback that verifies each webhook's Standard Webhooks signature,
so the demo shows exactly what a subscriber would receive.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

import duckdb
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from costcurve.config import load_settings

#: bound to the terminal's stdout at import: each day's run sends its own output to a log file, and
#: the progress bar must not follow it there
console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 140)


class WebhookSink:
    """Collects POSTed webhooks on 127.0.0.1 and checks their signatures."""

    def __init__(self, secret: str):
        from standardwebhooks import Webhook

        self.received: list[dict] = []
        verifier = Webhook(secret)
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    verifier.verify(body, headers)
                    sink.received.append(json.loads(body))
                    self.send_response(204)
                except Exception:  # a bad signature is the subscriber's 401, not a crash
                    self.send_response(401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/costcurve"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookSink:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def demo_days(replay_dir: Path) -> list[date]:
    days = []
    for child in sorted(Path(replay_dir).iterdir()):
        try:
            days.append(date.fromisoformat(child.name))
        except ValueError:
            continue
    return days


def run_demo(replay_dir: Path | None = None, out: TextIO | None = None) -> int:
    """``out``: where the screen output goes (default: the terminal's stdout), e.g. a test's file."""
    global console
    terminal = console
    if out is not None:  # one console for the whole demo, its progress bar included
        console = Console(file=out, width=140)
    try:
        return _run_demo(replay_dir)
    finally:
        console = terminal


def _run_demo(replay_dir: Path | None) -> int:
    from costcurve.runner import load_definitions
    os.environ["COSTCURVE_MODE"] = "replay"
    if replay_dir is not None:
        os.environ["COSTCURVE_REPLAY_DIR"] = str(Path(replay_dir).resolve())
    secret = os.environ.get("COSTCURVE_ALERT_WEBHOOK_SECRET") or (
        "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    )
    os.environ["COSTCURVE_ALERT_WEBHOOK_SECRET"] = secret
    with WebhookSink(secret) as sink:
        external = os.environ.get("COSTCURVE_ALERT_WEBHOOK_URL")
        if not external:
            os.environ["COSTCURVE_ALERT_WEBHOOK_URL"] = sink.url
            os.environ["COSTCURVE_ALERT_ALLOW_LOOPBACK"] = "1"  # the sink is on 127.0.0.1
        settings = load_settings()
        days = demo_days(settings.replay_dir)
        log_dir = settings.archive.parent / "logs"
        console.print(f"[bold]costcurve demo[/]: replaying {len(days)} days from {settings.replay_dir}")
        console.print(f"each day's Dagster and dbt output goes to {log_dir}/demo-<day>.log")
        defs = load_definitions()
        outcomes = _replay_days(days, settings, defs, log_dir)
        if not external:
            os.environ.pop("COSTCURVE_ALERT_WEBHOOK_URL", None)
            os.environ.pop("COSTCURVE_ALERT_ALLOW_LOOPBACK", None)
    _print_summary(settings, outcomes, sink.received)
    return 0 if all(o.success for o in outcomes) else 1


def _replay_days(days: list[date], settings, defs, log_dir: Path) -> list:
    """Every day but the last runs the `capture` job on the sources really captured that day (capture,
    archive, parse, raw gates, load: what its daily run did first); then the dated histories are backfilled
    and the last day runs the whole `daily` job, whose marts rebuild from all raw history, so they are
    what a daily run on every day would have left, and alerts and publish follow their gates.

    Each step prints its line with counts as it ends, and each day a closing line (costcurve.progress)."""
    outcomes = []
    # transient: the bar is for watching; the step and day lines are the record, and a file (`make demo >
    # demo.txt`) ends on the last of them, not on a drawn bar
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("capture", total=len(days) + 1)
        for day in days[:-1]:
            outcomes.append(_run_day_with_progress(day, defs, progress, task, log_dir, job_name="capture",
                                                   asset_selection=captured_sources(day, settings)))
            progress.advance(task)
        progress.update(task, description="backfill the dated histories")
        outcomes.extend(_backfill_history(settings, days[-1], progress))
        progress.advance(task)
        outcomes.append(_run_day_with_progress(days[-1], defs, progress, task, log_dir))
        progress.advance(task)
    return outcomes


def _run_day_with_progress(day: date, defs, progress: Progress, task, log_dir: Path, **run_args):
    from costcurve.progress import RunProgress
    from costcurve.runner import run_day

    log_file = log_dir / f"demo-{day.isoformat()}.log"
    reporter = RunProgress(console, day, progress, task)
    reporter.line(f"{day}  {run_args.get('job_name', 'daily')} job (Dagster and dbt output: {log_file})")
    outcome = run_day(day, defs=defs, log_file=log_file, progress=reporter, **run_args)
    reporter.day_line(outcome.success, len(outcome.skipped_steps))
    return outcome


def captured_sources(day: date, settings) -> list:
    """The ingest assets of the sources the replay folder holds for ``day`` (and the curated repo files)."""
    import dagster as dg

    from scrapers.collect import replay_skip_reason
    from scrapers.registry import SOURCES

    return [dg.AssetKey(["raw", s.source_id]) for s in SOURCES.values()
            if replay_skip_reason(s, day, settings.replay_dir) is None]


def _backfill_history(settings, last_day: date, progress: Progress) -> list:
    """The dated histories (what `costcurve backfill` loads), so a fresh clone has a curve from 2021.
    "Today" is the last demo day, so prices the sources announce for later stay announcements."""
    from costcurve.backfill import BackfillError, run_backfill
    from costcurve.runner import DayOutcome

    try:
        reports = run_backfill(settings, today=last_day, console=console, progress=progress)
    except BackfillError as exc:
        console.print(f"backfill failed: {exc}", style="red", markup=False)
        return [DayOutcome(day=last_day, success=False, errors=[str(exc)])]
    for r in reports:
        progress.console.print(f"history {r.source_id}: {r.dated_facts} dated prices on {r.days_loaded} days "
                      f"({r.first_day} to {r.last_day}); {len(r.days_kept)} days kept from real captures",
                      markup=False)
    return []


def _print_summary(settings, outcomes, received: list[dict]) -> None:
    runs = Table("day", "result", "checks passed", "checks failed", "errors", "not run", title="Runs")
    for o in outcomes:
        runs.add_row(
            o.day.isoformat(),
            "[green]success[/]" if o.success else "[red]failed[/]",
            str(o.checks_passed),
            "\n".join(o.checks_failed) or "0",
            "\n".join(o.errors),
            str(len(o.skipped_steps)),
        )
    console.print(runs)
    console.print(_row_counts(settings.warehouse))
    if received:
        console.print(_alerts_table(received))
    else:
        console.print(f"no new alerts this run: {_delivered(settings.warehouse)} events were delivered by earlier "
                      "runs (alerts.events), and a re-run never sends one twice")
    _print_headlines(settings.published)
    console.print(f"raw archive: {settings.archive}  |  analyst copy: {settings.published}")
    console.print("query it:  costcurve sql \"SELECT seller_id, token_type, price_per_mtok, valid_from, valid_to, "
                  "price_basis FROM fct_market_prices WHERE model_id = 'anthropic/claude-haiku-3.5' "
                  "AND service_tier = 'standard' ORDER BY 1, 2, 4\"", markup=False)
    try:  # charts are a view of the published copy: a chart failure never fails the demo
        from costcurve.charts import default_out_dir, write_charts

        for path in write_charts(settings.published, default_out_dir(settings),
                                 echo=lambda message: console.print(message, markup=False)):
            console.print(f"chart: {path}", markup=False)
    except Exception as exc:
        console.print(f"warning: charts not drawn: {type(exc).__name__}: {exc}", style="yellow", markup=False)
    try:  # the report is a view of the published copy too: its failure never fails the demo
        from costcurve.report import default_report_path, write_report

        run = write_report(settings.published, default_report_path(settings),
                           echo=lambda message: console.print(message, markup=False))
        console.print(f"report: {run.path}", markup=False)
    except Exception as exc:
        console.print(f"warning: report not written: {type(exc).__name__}: {exc}", style="yellow", markup=False)


def _print_headlines(published: Path) -> None:
    from costcurve.headlines import headlines_table, read_headlines

    try:  # a view of the published copy, like the charts: it never fails the demo
        console.print(headlines_table(read_headlines(published)))
    except Exception as exc:
        console.print(f"warning: headlines not read: {type(exc).__name__}: {exc}", style="yellow", markup=False)


def _alerts_table(received: list[dict], limit: int = 12) -> Table:
    """The webhooks the local sink accepted (signature verified), of every rule and status: threshold
    crossings (firing, resolved) first, then stale sources, then the biggest price changes."""
    table = Table("rule", "status", "series", "value", "threshold", "period", "summary",
                  title=f"Alerts delivered to the local sink this run: {len(received)}")
    kinds = {"threshold": 0, "stale_source": 1}
    ordered = sorted(received, key=lambda p: (kinds.get(p.get("kind"), 2), -abs(_number(p.get("value"))),
                                               p.get("rule_id", ""), p.get("period", "")))
    for payload in ordered[:limit]:
        series = payload.get("series") or {}
        table.add_row(
            payload.get("rule_id", "?"),
            payload.get("status", "?"),
            " / ".join(str(v) for v in series.values()),
            str(payload.get("value", "")),
            f"{payload.get('comparator', '')} {payload.get('threshold', '')}".strip(),
            payload.get("period", ""),
            payload.get("summary", ""),
        )
    if len(received) > limit:
        table.caption = f"… and {len(received) - limit} more (alerts.events in the warehouse holds them all)"
    return table


def _number(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


def _delivered(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT count(DISTINCT event_id) FROM alerts.events WHERE status = 'delivered'").fetchone()[0]
    except duckdb.Error:
        return 0
    finally:
        con.close()


def _row_counts(warehouse: Path) -> Table:
    table = Table("table", "rows", title="Warehouse")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('raw', 'main', 'alerts') AND table_name NOT LIKE 'stg_%' "
            "AND table_name NOT LIKE 'int_%' ORDER BY 1, 2"
        ).fetchall()
        for schema, name in names:
            count = con.execute(f'SELECT count(*) FROM "{schema}"."{name}"').fetchone()[0]
            table.add_row(f"{schema}.{name}", str(count))
    finally:
        con.close()
    return table
