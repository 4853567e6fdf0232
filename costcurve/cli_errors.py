"""How the `costcurve` command fails: one line on stderr and a non-zero exit, never a traceback for a user's
mistake (a typo, a missing file, bad SQL, a bad option value). `--debug` shows the traceback instead.

Handled once, in the command group every subcommand runs under, so a new command gets it for free."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 vendors click (its exceptions are not click's); older typer runs on click itself
    from typer._click import exceptions as click
except ImportError:  # pragma: no cover
    from click import exceptions as click

#: exceptions that mean "what you asked for cannot be done", as (module, class name). Looked up in
#: ``sys.modules`` only: an exception of a module that was never imported cannot have been raised, so the
#: check imports nothing (the CLI stays quick to start). Anything else is a bug and keeps its traceback.
USER_ERRORS = (
    ("builtins", "FileNotFoundError"),
    ("builtins", "IsADirectoryError"),
    ("builtins", "NotADirectoryError"),
    ("builtins", "PermissionError"),
    ("duckdb", "Error"),
    ("scrapers.errors", "ScraperError"),
    ("scrapers.errors", "UnknownSourceError"),
    ("costcurve.backfill", "BackfillError"),
    ("costcurve.docs", "DocsError"),
    ("costcurve.reprice", "UsageFileError"),
    ("costcurve.reprice", "ResolutionError"),
    ("costcurve.sql_output", "SqlOutputError"),
    ("costcurve.sql_guard", "SqlGuardError"),
    ("alerts.rules", "RuleConfigError"),
    ("warehouse.run_lock", "WarehouseLockedError"),
)



def is_user_error(exc: BaseException) -> bool:
    for module, name in USER_ERRORS:
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and isinstance(exc, cls):
            return True
    return False


def one_line(exc: BaseException) -> str:
    """``error: <first line>``, and DuckDB's context lines (candidate names, the caret under the query)
    indented below it, so the first line alone says what went wrong."""
    text = str(exc).strip() or type(exc).__name__
    scraper_error = getattr(sys.modules.get("scrapers.errors"), "ScraperError", ())
    if isinstance(exc, scraper_error):  # LayoutDriftError or FetchError says more than the message alone
        text = f"{type(exc).__name__}: {text}"
    first, *rest = text.splitlines()
    return "\n".join([f"error: {first}", *(f"  {line}" for line in rest if line.strip())])


class CostcurveGroup(TyperGroup):
    """Runs a subcommand; turns a user error into one line and an exit code (1 for what went wrong at run
    time, click's own code, 2, for a bad command line)."""

    def invoke(self, ctx: typer.Context):
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except click.NoArgsIsHelpError:
            raise  # `costcurve alerts` alone shows its help, as it should
        except click.ClickException as exc:
            if debug:
                raise
            where = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx else ctx.command_path
            typer.echo(f"error: {exc.format_message()} (see `{where} --help`)", err=True)
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            if debug or not is_user_error(exc):
                raise
            typer.echo(one_line(exc), err=True)
            raise typer.Exit(1) from None
