"""The usage CSV: one row per model (and optionally seller and month) with token counts per token type.

Every check names the line and the column, so a buyer can fix an export without reading a traceback.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model
from pydantic_core import PydanticCustomError

from scrapers.records import TOKEN_TYPES

#: the token types a usage count can be of: every priced token type of the records except the 3:1 blend,
#: which is a price summary and never a kind of token anyone is billed for
USAGE_TOKEN_TYPES: tuple[str, ...] = tuple(t for t in TOKEN_TYPES if t != "blended_3_1")
REQUIRED_TOKEN_COLUMNS = ("input", "output")
KEY_COLUMNS = ("model", "seller", "month")

_WHOLE = re.compile(r"\d+")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class UsageFileError(Exception):
    """A usage file that cannot be read; the message is the one line the user sees."""


def _token_count(value: object) -> int:
    # a blank cell is no tokens of that type (spreadsheets leave zeros blank); anything else must be a
    # whole, non-negative count written in digits: "1e6", "1,000" or "2.5" are mistakes, not counts
    text = str(value).strip() if value is not None else ""
    if text == "":
        return 0
    if text.startswith("-") and _WHOLE.fullmatch(text[1:]):
        raise PydanticCustomError("negative_count", "negative token count {value}", {"value": text})
    if not _WHOLE.fullmatch(text):
        raise PydanticCustomError("bad_number", "not a whole number of tokens: '{value}'", {"value": text})
    return int(text)


def _month(value: object) -> date | None:
    text = str(value).strip() if value is not None else ""
    if text == "":
        return None
    match = _MONTH.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PydanticCustomError("bad_month", "not a month in YYYY-MM form: '{value}'", {"value": text})
    return date(int(match.group(1)), int(match.group(2)), 1)


def _name(value: object) -> str:
    text = str(value).strip() if value is not None else ""
    if text == "":
        raise PydanticCustomError("empty_model", "no model named")
    return text


def _optional(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


TokenCount = Annotated[int, BeforeValidator(_token_count)]


class _UsageBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    line: int
    model: Annotated[str, BeforeValidator(_name)]
    seller: Annotated[str | None, BeforeValidator(_optional)] = None
    month: Annotated[date | None, BeforeValidator(_month)] = None

    def tokens(self) -> dict[str, int]:
        """The non-zero token counts, by token type."""
        return {t: getattr(self, t) for t in USAGE_TOKEN_TYPES if getattr(self, t)}


#: one usage row: the key columns, and a count field per token type of scrapers/records.py (so a token type
#: added there is accepted here without a second list to keep in step)
UsageRow = create_model(
    "UsageRow",
    __base__=_UsageBase,
    **{t: (TokenCount, 0) for t in USAGE_TOKEN_TYPES},
)


def _check_header(header: list[str], where: str) -> list[str]:
    columns = [h.strip().lower() for h in header]
    known = set(KEY_COLUMNS) | set(USAGE_TOKEN_TYPES)
    for column in columns:
        if column not in known:
            raise UsageFileError(f"{where} line 1: unknown column {column!r} (columns: {', '.join(KEY_COLUMNS)}, "
                                 f"and token types {', '.join(USAGE_TOKEN_TYPES)})")
        if columns.count(column) > 1:
            raise UsageFileError(f"{where} line 1: column {column!r} appears twice")
    missing = [c for c in ("model", *REQUIRED_TOKEN_COLUMNS) if c not in columns]
    if missing:
        raise UsageFileError(f"{where} line 1: missing column {missing[0]!r}")
    return columns


def _row_error(exc: ValidationError, line: int, where: str) -> UsageFileError:
    first = exc.errors()[0]
    column = first["loc"][0] if first["loc"] else "?"
    return UsageFileError(f"{where} line {line}, column {column!r}: {first['msg']}")


def read_usage(path: Path) -> list:
    """Every row of the usage CSV at ``path`` as a validated ``UsageRow``; ``UsageFileError`` on the first fault."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a spreadsheet's UTF-8 export starts with a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageFileError(f"{where}: cannot read: {exc}") from None
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if not header:
        raise UsageFileError(f"{where}: empty file (expected a header line with model, input, output)")
    columns = _check_header(header, where)
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise UsageFileError(f"{where} line {line}: {len(cells)} cells, the header has {len(columns)}")
        try:
            rows.append(UsageRow(line=line, **dict(zip(columns, cells, strict=True))))
        except ValidationError as exc:
            raise _row_error(exc, line, where) from None
    if not rows:
        raise UsageFileError(f"{where}: no usage rows after the header")
    return rows
