"""The `costcurve reparse` command (registered in costcurve/cli.py); the work is in costcurve/reparse.py."""

from __future__ import annotations

import json
import sys

import typer


def reparse(
    source_id: str = typer.Argument(..., metavar="SOURCE", help="a source id, e.g. anthropic"),
    output: str = typer.Option("table", "--format", help="table (rich, with one line per differing fact) or json"),
) -> None:
    """Replay every archived capture of SOURCE through today's parser; show which loaded facts would change."""
    import duckdb
    from rich.console import Console

    from costcurve.config import load_settings
    from costcurve.reparse import as_json, print_details, reparse_source, reparse_table
    from scrapers.archive import RawArchive

    if output not in ("table", "json"):
        raise typer.BadParameter(f"{output!r}: use table or json", param_hint="'--format'")
    settings = load_settings()
    if not settings.warehouse.exists():
        typer.echo(f"error: no warehouse at {settings.warehouse} (run the pipeline first)", err=True)
        raise typer.Exit(1)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        reports = reparse_source(source_id, RawArchive(settings.archive), con)
    if output == "json":
        typer.echo(json.dumps(as_json(reports), indent=2))
    else:
        console = Console(width=None if sys.stdout.isatty() else 200)
        console.print(reparse_table(source_id, reports))
        print_details(reports, typer.echo)
    if not reports:
        typer.echo(f"no archived capture of {source_id} in {settings.archive}", err=True)
