"""`costcurve reprice`: a buyer's usage profile repriced at the market's prices (the renegotiation evidence).

usage.py reads and validates the usage CSV, resolve.py maps its names to canonical models and sellers
through the published warehouse, pricing.py prices each row four ways, report.py writes the result.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from costcurve.reprice.pricing import Market, RepricedRow, reprice_row
from costcurve.reprice.resolve import ResolutionError, Resolver
from costcurve.reprice.usage import UsageFileError, read_usage

__all__ = ["ResolutionError", "UsageFileError", "reprice_file"]


def reprice_file(con: duckdb.DuckDBPyConnection, path: Path, *, at: date | None, today: date) -> list[RepricedRow]:
    """Read the usage file at ``path`` and reprice every row; the date of a row's prices is ``at``, else the
    first day of its month, else ``today``. Raises UsageFileError or ResolutionError (every unknown name at
    once, one per line)."""
    usage = read_usage(path)
    resolver, market = Resolver(con), Market(con)
    resolved, errors = [], []
    for row in usage:
        day = at or row.month or today
        try:
            seller = resolver.seller(row.seller) if row.seller else None
            resolved.append((row, resolver.model(row.model, seller, day), seller, day))
        except ResolutionError as exc:
            errors.append(f"{path} line {row.line}: {exc}")
    if errors:
        raise ResolutionError("\n".join(dict.fromkeys(errors)))
    return [reprice_row(market, row, model, seller, day) for row, model, seller, day in resolved]
