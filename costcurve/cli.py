"""The `costcurve` command: debug a parser, query the published warehouse, run the pipeline."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from costcurve import sql_output
from costcurve.cli_errors import CostcurveGroup
from costcurve.release_cli import release as release_command
from costcurve.reparse_cli import reparse as reparse_command

app = typer.Typer(help="costcurve: the inference cost curve, from capture to warehouse to alert.", no_args_is_help=True,
                  cls=CostcurveGroup)
# piped or captured output gets a wide table instead of rich's 80-column default
console = Console(width=None if sys.stdout.isatty() else 200)


def _alerts_app() -> typer.Typer:
    from costcurve.alerts_cli import app as alerts_app

    return alerts_app


app.add_typer(_alerts_app(), name="alerts")
app.command("reparse")(reparse_command)  # issue 9; the code is in costcurve/reparse.py
app.command("release")(release_command)  # issue 9; the code is in costcurve/release_cli.py


@app.callback()
def _global(
    debug: bool = typer.Option(False, "--debug", envvar="COSTCURVE_DEBUG",
                               help="show the Python traceback of an error instead of its one-line message"),
) -> None:
    """Read by CostcurveGroup (costcurve/cli_errors.py), which turns user errors into one line."""


@app.command()
def sources(
    markdown: bool = typer.Option(False, "--markdown", help="print the README's coverage table (markdown)"),
) -> None:
    """List every registered source: what it reads, what it extracts, cadence, licence, status."""
    from scrapers.registry import SOURCES

    rows = [
        (
            s.source_id,
            s.kind,
            "<br>".join(t.url for t in s.targets[:3]) + (f"<br>… {len(s.targets) - 3} more" if len(s.targets) > 3 else ""),
            s.format,
            s.extracts,
            s.cadence,
            s.licence,
            f"needs a key ({s.requires_env})" if s.requires_env else "parsed",
        )
        for s in SOURCES.values()
    ]
    headers = ("source", "kind", "URL", "format", "extracted", "cadence", "licence", "status")
    if markdown:
        typer.echo("| " + " | ".join(headers) + " |")
        typer.echo("|" + "---|" * len(headers))
        for row in rows:
            typer.echo("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        return
    table = Table(*headers)
    for row in rows:
        table.add_row(*(cell.replace("<br>", "\n") for cell in row))
    console.print(table)


def _target_url(source, file_name: str) -> str:
    """The URL of the target a file is a capture of: the one whose capture key is its name (Epoch AI's two
    tables read differently), else the source's first."""
    return next((t.url for t in source.targets if t.key == file_name), source.targets[0].url)


@app.command()
def parse(
    source_id: str = typer.Argument(..., help="a registered source id (see `costcurve sources`)"),
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False,
        help="one capture of that source; for a source that reads its captures together (openrouter_rankings: "
             "latest.csv and latest.manifest.json) all of them, each named by its capture key",
    ),
    url: str | None = typer.Option(None, help="the URL the capture came from (default: the source's target "
                                           "whose capture key is the file's name, else its first)"),
    exclusions: bool = typer.Option(False, "--exclusions", help="also print what the parser excluded, and why"),
) -> None:
    """Print the records the captures yield, one JSON object per line (price, model, capex or usage facts)."""
    from scrapers.errors import ScraperError
    from scrapers.registry import get_source

    source = get_source(source_id)
    try:
        if len(files) == 1:
            file = files[0]
            result = source.parser.parse(file.read_bytes(), _capture_meta(source_id, file, url or _target_url(source, file.name)))
        else:
            result = _parse_together(source, files)
    except ScraperError as exc:
        typer.echo(f"{type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(2) from None
    for record in result.records():
        typer.echo(json.dumps({"record": type(record).__name__, **record.model_dump(mode="json")}))
    if exclusions:
        for record in result.exclusions:
            typer.echo(json.dumps({"record": "Exclusion", **record.model_dump(mode="json")}))
    typer.echo(
        f"{len(result.prices)} price facts, {len(result.models)} model records, {len(result.capex)} capex facts, "
        f"{len(result.usage)} usage facts, {len(result.capabilities)} capability scores, "
        f"{len(result.exclusions)} exclusions",
        err=True,
    )


def _capture_meta(source_id: str, file: Path, url: str):
    from scrapers.archive import sha256_hex
    from scrapers.records import CaptureMeta

    body = file.read_bytes()
    return CaptureMeta(source_id=source_id, url=url, sha256=sha256_hex(body),
                       fetched_at=datetime.fromtimestamp(file.stat().st_mtime, tz=UTC))


def _parse_together(source, files: list[Path]):
    """Several captures go to the module's ``parse_captures``, as ``collect`` hands them, keyed by file name."""
    together = getattr(source.parser, "parse_captures", None)
    urls = {target.key: target.url for target in source.targets}
    if together is None:
        typer.echo(f"{source.source_id} parses one capture at a time: pass one file", err=True)
        raise typer.Exit(2)
    unknown = sorted(file.name for file in files if file.name not in urls)
    if unknown:
        typer.echo(f"{unknown} are not capture keys of {source.source_id} (expected {sorted(urls)})", err=True)
        raise typer.Exit(2)
    return together({file.name: (file.read_bytes(), _capture_meta(source.source_id, file, urls[file.name]))
                     for file in files})


@app.command(context_settings={"ignore_unknown_options": True})  # a query may start with `--` (a comment)
def sql(
    query: str = typer.Argument(..., help="SQL to run, read-only, against the published analyst copy (a query "
                                          "that starts with a `--` comment is fine; so is `sql -- QUERY`)"),
    output_format: str = typer.Option("table", "--format", metavar="table|csv|json|parquet",
                                      help="a table on screen; csv or json (to stdout or --out), parquet (--out)"),
    max_rows: str | None = typer.Option(None, "--max-rows", metavar="N|all",
                                        help=f"a table shows {sql_output.TABLE_ROWS} rows unless told; csv, json "
                                             "and parquet write every row, and refuse a result over N"),
    csv: bool = typer.Option(False, "--csv", help="same as --format csv"),
    out: Path | None = typer.Option(None, "--out", dir_okay=False, help="write the csv/json/parquet to this file"),
) -> None:
    """Run a read-only query against the published copy of the warehouse; print a table, CSV or JSON, or write
    Parquet. Money prints as published (25, not 25.000000000000000000)."""
    from costcurve import sql_guard
    from costcurve.config import load_settings
    from warehouse.connection import analyst

    fmt = _sql_format(output_format, csv, out)
    try:
        limit = sql_output.parse_max_rows(max_rows)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--max-rows'") from None
    if fmt == "table" and max_rows is None:
        limit = sql_output.TABLE_ROWS
    limits, statement = sql_guard.Limits.from_env(), sql_guard.check(query)  # refused before the copy is opened
    with analyst(load_settings().published, limits.connection_config()) as con, sql_guard.limited(con, limits):
        cursor = con.execute(statement)
        if cursor is None or cursor.description is None:
            raise sql_output.SqlOutputError("the query has no statement to run (it is empty or only comments)")
        columns = [d[0] for d in cursor.description]
        if fmt == "table":
            rows = cursor.fetchmany(limit) if limit else list(sql_output.chunks(cursor))
            total = len(rows) + (sql_output.count_rest(cursor) if limit else 0)
            sql_output.print_table(_screen(), columns, rows, total)
            return
        too_many = sql_output.SqlOutputError(
            f"the result has more than {limit} rows, and a file is never cut: --max-rows all writes every row "
            "(or put a LIMIT in the query)")
        if fmt == "parquet":
            with sql_output.replacing(out, "wb") as stream:
                written = sql_output.write_parquet(stream, cursor.fetch_record_batch(sql_output.CHUNK))
                if limit and written > limit:
                    raise too_many  # the half-written file goes with it
        else:
            rows = cursor.fetchmany(limit + 1) if limit else sql_output.chunks(cursor)
            if limit and len(rows) > limit:
                raise too_many  # before a single line is written
            write = sql_output.write_csv if fmt == "csv" else sql_output.write_json
            if out is None:
                write(sys.stdout, columns, rows)
                return
            with sql_output.replacing(out) as stream:
                written = write(stream, columns, rows)
    typer.echo(f"wrote {written:,} rows to {out}", err=True)


def _sql_format(output_format: str, csv: bool, out: Path | None) -> str:
    fmt = output_format.strip().lower()
    if fmt not in sql_output.FORMATS:
        raise typer.BadParameter(f"{output_format!r} is not one of {', '.join(sql_output.FORMATS)}",
                                 param_hint="'--format'")
    if csv and fmt not in {"table", "csv"}:
        raise typer.BadParameter(f"--csv and --format {fmt} ask for two formats", param_hint="'--csv'")
    fmt = "csv" if csv else fmt
    if fmt == "parquet" and out is None:
        raise typer.BadParameter("Parquet is a file: give --out FILE.parquet", param_hint="'--out'")
    if fmt == "table" and out is not None:
        raise typer.BadParameter("a table is for the screen: --out takes --format csv, json or parquet",
                                 param_hint="'--out'")
    return fmt


def _screen() -> Console:
    """The terminal's width in a terminal; piped or captured, $COLUMNS if set, else 200 (not rich's 80)."""
    if sys.stdout.isatty():
        return Console()
    columns = os.environ.get("COLUMNS", "")
    return Console(width=int(columns) if columns.isdigit() and int(columns) > 0 else 200)


@app.command()
def reprice(
    usage: Path = typer.Argument(..., help="usage CSV: model, optional seller and month (YYYY-MM), and a token "
                                           "count column per token type (input and output at least)"),
    at: str | None = typer.Option(None, "--at", help="price every row at this date (YYYY-MM-DD; default: the "
                                                    "first day of the row's month, else today)"),
    output_format: str = typer.Option("table", "--format", help="table (on screen), csv or json (every column)"),
    out: Path | None = typer.Option(None, "--out", dir_okay=False, help="write the csv/json here instead of stdout"),
) -> None:
    """Reprice a usage profile at the market's prices: at a date, today, at the cheapest seller of the same
    model today, and at the cheapest model of the same capability tier today (the renegotiation evidence)."""
    import duckdb

    from costcurve.config import load_settings
    from costcurve.reprice import ResolutionError, UsageFileError, report, reprice_file
    from warehouse.connection import analyst

    if output_format not in {"table", "csv", "json"}:
        typer.echo(f"error: --format must be table, csv or json, not {output_format!r}", err=True)
        raise typer.Exit(2)
    try:
        day = date.fromisoformat(at) if at else None
    except ValueError:
        typer.echo(f"error: --at must be a date YYYY-MM-DD, not {at!r}", err=True)
        raise typer.Exit(2) from None
    try:
        with analyst(load_settings().published) as con:
            rows = reprice_file(con, usage, at=day, today=datetime.now(UTC).date())
    except (UsageFileError, ResolutionError) as exc:
        for line in str(exc).splitlines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(2) from None
    except (duckdb.Error, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if output_format == "table":
        console.print(report.table(rows))
        return
    text = report.to_csv(rows) if output_format == "csv" else report.to_json(rows)
    if out:
        out.write_text(text)
        typer.echo(f"wrote {len(rows)} rows and a total to {out}", err=True)
    else:
        typer.echo(text, nl=False)


@app.command()
def charts(
    out: Path | None = typer.Option(None, "--out", file_okay=False, help="folder for the PNGs (default: warehouse/reports/)"),
) -> None:
    """Draw the curve as PNG charts from the published analyst copy (read-only) and print their paths."""
    import duckdb

    from costcurve.charts import default_out_dir, write_charts
    from costcurve.config import load_settings

    settings = load_settings()
    try:
        paths = write_charts(settings.published, out or default_out_dir(settings),
                             echo=lambda message: typer.echo(message, err=True))
    except (duckdb.Error, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for path in paths:
        typer.echo(str(path))


@app.command()
def report(
    out: Path | None = typer.Option(None, "--out", dir_okay=False, help="the HTML file (default: warehouse/reports/report.html)"),
) -> None:
    """Write the curve as one self-contained HTML page (charts, SQL and CSV of each) from the published copy."""
    import duckdb

    from costcurve.config import load_settings
    from costcurve.report import default_report_path, write_report

    settings = load_settings()
    try:
        run = write_report(settings.published, out or default_report_path(settings),
                           echo=lambda message: typer.echo(message, err=True))
    except (duckdb.Error, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(str(run.path))


@app.command()
def headlines() -> None:
    """The questions costcurve answers, one line each, from the marts of the published analyst copy."""
    import duckdb

    from costcurve.config import load_settings
    from costcurve.headlines import headlines_table, read_headlines

    settings = load_settings()
    try:
        rows = read_headlines(settings.published)
    except (duckdb.Error, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    console.print(headlines_table(rows))


@app.command()
def docs(
    out: Path | None = typer.Option(None, "--out", file_okay=False, help="folder for the site (default: dbt_project/target/docs/)"),
) -> None:
    """Build the dbt docs site (every model, column and test) from the published copy; print where it is."""
    from costcurve.config import load_settings
    from costcurve.docs import DEFAULT_TARGET, DocsError, generate_docs

    settings = load_settings()
    try:
        site = generate_docs(settings.published, out or DEFAULT_TARGET)
    except (DocsError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"dbt docs (one file, open it in a browser): {site}")
    typer.echo(f"or serve the folder: .venv/bin/dbt docs serve --project-dir dbt_project --target-path {site.parent}")


@app.command()
def demo(
    replay_dir: Path | None = typer.Option(None, help="captures to replay (default: demo/captures)"),
    bad: bool = typer.Option(False, "--bad", help="replay 2025-12-20 with an edited Anthropic capture on a copy of "
                                                  "the warehouse: what the gates hold and reject (costcurve/bad_demo.py)"),
) -> None:
    """Run the daily job offline over every day in the replay folder, then print a summary."""
    from costcurve.demo import run_demo

    if bad:  # works on a copy in a temporary folder: takes the writer lock only while copying
        from costcurve.bad_demo import main as bad_demo_main

        raise typer.Exit(bad_demo_main(console))
    with _writer_lock():
        code = run_demo(replay_dir)
    raise typer.Exit(code)


@app.command()
def backfill(
    source: list[str] = typer.Option(None, "--source", help="history source(s); default: genai_prices, llm_prices, litellm_history, "
                                                             "epoch_benchmarks, token_tariff"),
    rebuild: bool = typer.Option(True, help="rebuild, gate and publish the marts afterwards (no webhooks)"),
) -> None:
    """Load the datasets' dated price histories as observations on the dates they claim, then rebuild."""
    from costcurve.config import load_settings

    settings = load_settings()
    with _writer_lock():
        _backfill(settings, source, rebuild)


def _backfill(settings, source, rebuild: bool) -> None:
    from costcurve.backfill import HISTORY_SOURCES, BackfillError, run_backfill
    from costcurve.progress import RunProgress
    from costcurve.runner import run_day

    try:
        reports = run_backfill(settings, tuple(source) if source else HISTORY_SOURCES, console=console)
    except BackfillError as exc:
        typer.echo(f"backfill stopped: {exc}", err=True)
        raise typer.Exit(1) from None
    table = Table("source", "dated facts", "days loaded", "days with a real capture (kept)", "from", "to",
                  title="Backfill")
    for r in reports:
        table.add_row(r.source_id, str(r.dated_facts), str(r.days_loaded), str(len(r.days_kept)),
                      str(r.first_day or ""), str(r.last_day or ""))
    console.print(table)
    if rebuild and not _has_daily_runs(settings.warehouse):
        console.print("no daily run has loaded this warehouse yet: the marts build on the first `costcurve run`")
    elif rebuild:
        today = datetime.now(UTC).date()
        # Dagster's event log and dbt's output (about 1,400 lines) go to a file; the screen gets the outcome,
        # its errors and warnings, and where the rest is
        log_file = settings.archive.parent / "logs" / f"backfill-rebuild-{today.isoformat()}.log"
        reporter = RunProgress(console, today)  # each step's line as it ends, its warnings under it
        outcome = run_day(today, job_name="rebuild", log_file=log_file, progress=reporter)
        reporter.day_line(outcome.success, len(outcome.skipped_steps))
        console.print(f"rebuild: {'success' if outcome.success else 'failed'}, {outcome.checks_passed} checks passed, "
                      f"failed: {', '.join(outcome.checks_failed) or 'none'}", markup=False)
        for error in outcome.errors:
            console.print(f"  error: {error}", style="red", markup=False)
        console.print(f"Dagster and dbt output: {log_file}", markup=False, soft_wrap=True)
        if not outcome.success:
            raise typer.Exit(1)


def _has_daily_runs(warehouse: Path) -> bool:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM raw.fetches").fetchone()[0] > 0
    finally:
        con.close()


@app.command()
def run(
    day: str | None = typer.Option(None, "--date", help="partition to run (YYYY-MM-DD, default today UTC)"),
) -> None:
    """Run the daily job for one day, in the mode COSTCURVE_MODE says (live fetches or replay)."""
    from costcurve.runner import run_day

    try:
        partition = date.fromisoformat(day) if day else datetime.now(UTC).date()
    except ValueError:
        raise typer.BadParameter(f"{day!r} is not a date YYYY-MM-DD", param_hint="'--date'") from None
    with _writer_lock():
        success = run_day(partition).success
    raise typer.Exit(0 if success else 1)


def _writer_lock():
    """One writing command at a time (warehouse/run_lock.py): a second waits, then stops cleanly."""
    from costcurve.config import load_settings
    from warehouse.run_lock import warehouse_lock

    return warehouse_lock(load_settings().warehouse)


@app.command()
def quality(
    as_of: str | None = typer.Option(None, "--as-of", help="judge freshness at this day (YYYY-MM-DD, default today UTC)"),
    out: Path | None = typer.Option(None, "--out", dir_okay=False, help="the HTML file (default: warehouse/reports/quality.html)"),
) -> None:
    """Write the quality page: the last run's GX gates, the quarantine, freshness per source (costcurve/quality.py)."""
    from costcurve.quality import main as quality_main

    raise typer.Exit(quality_main(as_of, out, typer.echo))


@app.command()
def status(
    as_of: str | None = typer.Option(None, "--as-of", help="judge freshness at this day (YYYY-MM-DD, default today UTC)"),
) -> None:
    """Every source: last success, last failure and why, rows loaded, freshness (costcurve/status.py)."""
    from costcurve.status import main as status_main

    raise typer.Exit(status_main(as_of, console))


if __name__ == "__main__":
    app()
