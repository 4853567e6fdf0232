"""Shared by the CSV demo derivations: keep some columns of a real CSV, every row, cells as published."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence


def keep_columns(sample: bytes, columns: Sequence[str]) -> bytes:
    """The sample's rows with only ``columns`` (in that order), written by our own CSV writer (``\\n`` line
    ends, minimal quoting). A column the sample lacks raises ``KeyError``: the sample changed."""
    reader = csv.DictReader(io.StringIO(sample.decode("utf-8-sig"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in reader:
        writer.writerow([row[name] for name in columns])
    return out.getvalue().encode("utf-8")
