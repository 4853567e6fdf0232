"""Strict reading of a published CSV table: the header must be known, the required columns present.

Dataset parsers that read CSV (Epoch AI's benchmark tables, token-tariff's timeline) share this: a header
that names a column the parser does not know, repeats a column, or lacks a required one is layout drift,
and so is a cell that should be a plain number and is not (a ``$`` sign or a ``/1K`` is a unit the parser
does not know). Values are kept as the text the file had; parsers convert them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from scrapers.facts import FactCollector

__all__ = ["plain_decimal", "read_table", "iso_date"]

_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def read_table(collect: FactCollector, body: bytes, *, required: Iterable[str], optional: Iterable[str]) -> tuple[
        list[str], list[dict[str, str]]]:
    """``(header, rows)`` of a CSV with a header line; each row maps column -> stripped cell text."""
    text = collect.text(body, what="CSV", encoding="utf-8-sig", csv_table=True)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    if not header or header == [""]:
        raise collect.drift("no header line")
    required, known = set(required), set(required) | set(optional)
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise collect.drift(f"column(s) named twice: {duplicates}")
    unknown = [name for name in header if name not in known]
    if unknown:
        raise collect.drift(f"unknown column(s) {unknown}: a new column or unit the parser does not know")
    missing = sorted(required - set(header))
    if missing:
        raise collect.drift(f"required column(s) missing: {missing}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, not a row
        if len(cells) != len(header):
            raise collect.drift(f"line {number} has {len(cells)} cells for {len(header)} columns")
        rows.append({name: cell.strip() for name, cell in zip(header, cells, strict=True)})
    if not rows:
        raise collect.drift("a header but no rows")
    return header, rows


def plain_decimal(collect: FactCollector, text: str, *, where: str) -> Decimal:
    """A bare non-negative number (``"0.175"``) as an exact ``Decimal``; anything else is drift."""
    if not _PLAIN_NUMBER.match(text):
        raise collect.drift(f"{where}: {text!r} is not a plain number (unknown unit or format)")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
        raise collect.drift(f"{where}: {text!r} is not a number") from exc


def iso_date(collect: FactCollector, text: str, *, where: str) -> date:
    """``"2024-03-04"`` -> a date; any other form is drift (no guessing at day/month order)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # 2024-02-30: the same drift as any other non-date
    raise collect.drift(f"{where}: {text!r} is not a YYYY-MM-DD date")
