"""How `costcurve sql` writes a result: a table for a person; CSV, JSON or Parquet for a tool.

A table may be cut (it says so below itself, on the same stream). A file is never cut: it holds every row,
or, when ``--max-rows N`` is smaller than the result, nothing is written and the command says why. Money is
DECIMAL(38, 18) in the warehouse; text formats print it as published (``25``, ``0.8``), Parquet keeps the
DECIMAL type itself.
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "csv", "json", "parquet")
TABLE_ROWS = 200  # a table's default: a screenful or a few, not the whole history
CHUNK = 10_000


class SqlOutputError(Exception):
    """The query's result cannot be written as asked (no statement, too many rows for --max-rows, ...)."""


def parse_max_rows(text: str | None) -> int | None:
    """``N`` (at least 1) or ``all`` (None: every row)."""
    if text is None or text.strip().lower() == "all":
        return None
    try:
        n = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of rows or 'all'") from None
    if n < 1:
        raise ValueError(f"{n} rows would print nothing: give at least 1, or 'all'")
    return n


def money(value: Decimal) -> str:
    """As published: 25.000000000000000000 -> 25, 0.800000000000000000 -> 0.8 (no exponent: 1E+2 -> 100)."""
    return format(value.normalize(), "f")


def cell(value) -> str:
    """A value as text: money as published, NULL empty, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def json_value(value) -> str:
    """A value as a JSON token. Decimals are written as number literals, digit for digit (a float would
    turn 0.15 into 0.1499...); dates are ISO strings; NaN and infinity, which JSON lacks, are null."""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return json.dumps(value) if math.isfinite(value) else "null"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {json_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(json_value(v) for v in value) + "]"
    return json.dumps(cell(value), ensure_ascii=False)


def write_csv(stream: IO[str], columns: Sequence[str], rows) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([cell(v) for v in row])
        count += 1
    return count


def write_json(stream: IO[str], columns: Sequence[str], rows) -> int:
    """A JSON array of objects, one row per line: valid JSON for a parser, greppable for a person."""
    keys = [json.dumps(c, ensure_ascii=False) for c in columns]
    count = 0
    stream.write("[")
    for row in rows:
        stream.write(("," if count else "") + "\n{" + ", ".join(f"{k}: {json_value(v)}" for k, v in zip(keys, row, strict=True)) + "}")
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def write_parquet(path: Path, reader) -> int:
    """Every batch of an Arrow record-batch reader into one Parquet file (the column types kept)."""
    import pyarrow.parquet as pq

    count = 0
    with pq.ParquetWriter(path, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


@contextmanager
def replacing(path: Path, mode: str = "w") -> Iterator[IO]:
    """A file written beside ``path`` and renamed onto it at the end: a refused or failed write leaves no
    half file (and an older file of that name untouched)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        with open(tmp, mode, newline="" if "b" not in mode else None) as stream:
            yield stream
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def chunks(cursor) -> Iterator[tuple]:
    while batch := cursor.fetchmany(CHUNK):
        yield from batch


def count_rest(cursor) -> int:
    """Rows left in a cursor, counted a chunk at a time (the table says how many it did not show)."""
    n = 0
    while batch := cursor.fetchmany(CHUNK):
        n += len(batch)
    return n


def column_widths(columns: Sequence[str], texts: Sequence[Sequence[str]], width: int) -> list[int] | None:
    """Each column as wide as its longest cell (at most 40); while the table is wider than the screen the
    widest column gives up a character (its cells wrap, nothing is cut). None when that would leave a
    column under 10 characters: the table cannot be read at this width."""
    widths = [min(40, max(len(line) for text in [name, *(row[i] for row in texts)] for line in text.splitlines() or [""]))
              for i, name in enumerate(columns)]
    border = 3 * len(columns) + 1  # a space either side of each cell, and a rule between and around them
    while sum(widths) + border > width:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= 10:
            return None
        widths[widest] -= 1
    return widths


def print_table(console: Console, columns: Sequence[str], rows: Sequence[tuple], total: int) -> None:
    """A table, or, when its columns cannot sit side by side at the console's width, one block per row
    (``column | value``, as psql's expanded display), so no cell is cut to two characters. A cut result
    says so below it, on the same stream."""
    texts = [[cell(v) for v in row] for row in rows]
    widths = column_widths(columns, texts, console.width)
    if widths is not None:
        # Text, not str: rich would read a value such as '[/x]' as markup (and fail on it) or style '[b]'
        table = Table()
        for name, width in zip(columns, widths, strict=True):
            table.add_column(Text(name), width=width, overflow="fold")
        for row in texts:
            table.add_row(*(Text(value) for value in row))
        console.print(table)
    else:
        width = max(map(len, columns), default=0)
        for i, row in enumerate(texts, 1):
            console.print(f"-[ row {i} ]" + "-" * max(0, width - 4), markup=False, emoji=False, highlight=False)
            for name, value in zip(columns, row, strict=True):
                # emoji=False too: a value ':thumbs_up:' is text, not a picture
                console.print(f"{name.ljust(width)} | {value}", markup=False, emoji=False, highlight=False,
                              soft_wrap=True)
    if total > len(rows):
        console.print(f"(showing the first {len(rows)} of {total:,} rows: --max-rows N or all for more, or "
                      "--format csv/json/parquet for every row)", markup=False, highlight=False)
