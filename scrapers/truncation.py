"""Is this capture cut short? End-of-document signals, one per parser family.

A body truncated in transit (a dropped connection, a size cap, a proxy) is a prefix of the real page. Only
its last line can be damaged; everything after it is gone. So each family checks what its last line says:

* **HTML**: a document that opens ``<html`` must close ``</html>``.
* **Markdown pipe tables**: when the page ends inside a table, its last row must be whole: as many cells
  as the header, and the closing pipe when the table's header has one. A cut row would else read
  ``$0.4`` for ``$0.40`` or drop its last prices.
* **CSV**: a final line without a line break whose last cell holds text may be a value cut mid-number
  (``12.5`` of ``12.55``); a final line ending in a line break, or in an empty cell, is whole. Cell counts
  are checked by the CSV readers themselves.
* **JSON** needs nothing here: a cut document does not decode (``FactCollector.json`` raises drift).

What a prefix cannot show (a page cut exactly at a line end, between two tables) the comparison with the
source's previous capture catches: see ``scrapers.model_sets``.
"""

from __future__ import annotations

import csv
import io
import re

from scrapers.markdown_tables import split_row

__all__ = ["cut_short"]

_HTML_OPEN_RE = re.compile(rb"<html[\s>]", re.IGNORECASE)
_HTML_CLOSE_RE = re.compile(rb"</html\s*>", re.IGNORECASE)
_PIPE_RE = re.compile(r"(?<!\\)\|")
_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def cut_short(text: str, *, csv_table: bool = False) -> str | None:
    """Why ``text`` looks cut short, or None when its ending is whole."""
    if csv_table:
        return _csv_cut(text)
    return _html_cut(text) or _table_cut(text)


def _html_cut(text: str) -> str | None:
    head = text[:4096].encode("utf-8", "replace")
    if _HTML_OPEN_RE.search(head) and not _HTML_CLOSE_RE.search(text[-4096:].encode("utf-8", "replace")):
        return "the HTML document has no closing </html>: the capture is cut short"
    return None


def _table_cut(text: str) -> str | None:
    lines = text.rstrip().splitlines()
    if not lines or not _PIPE_RE.search(lines[-1]):
        return None
    # walk up the table to its separator; the line above it is the header
    i = len(lines) - 1
    while i > 0 and _PIPE_RE.search(lines[i]) and not _SEPARATOR_RE.match(lines[i]):
        i -= 1
    if i == len(lines) - 1 or not _SEPARATOR_RE.match(lines[i]) or i == 0:
        return None  # the last line is not a row under a table header: prose with a pipe in it
    header, row = lines[i - 1].strip(), lines[-1].strip()
    if len(split_row(row)) < len(split_row(header)):
        return (f"the page ends inside a table: its last row {row[:60]!r} has {len(split_row(row))} of the "
                f"header's {len(split_row(header))} cells")
    if header.endswith("|") and not row.endswith("|"):
        return f"the page ends inside a table: its last row {row[:60]!r} has no closing pipe"
    return None


def _csv_cut(text: str) -> str | None:
    if not text or text.endswith(("\n", "\r")):
        return None
    last = text.rsplit("\n", 1)[-1]
    cells = next(csv.reader(io.StringIO(last)), [""])
    if cells and cells[-1].strip():
        return f"the CSV ends without a line break inside a value ({last[-40:]!r}): the capture may be cut short"
    return None
