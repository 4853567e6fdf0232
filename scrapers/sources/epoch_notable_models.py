"""Epoch AI "Notable AI Models" (``https://epoch.ai/data/notable_ai_models.csv``) -> model attributes.

The CSV has one row per model and some 40 columns (training compute, hardware, authors ...). Only five
are read, and each must be present (a missing one is layout drift): ``Model``, ``Organization``,
``Publication date``, ``Domain`` and ``Model accessibility``. Extra columns, and the order of columns, do
not matter: Epoch adds and renames the compute columns over time, which this parser does not read.

What becomes of a row:

* **Kept: language models only.** A row is kept when one of its comma-separated ``Domain`` values is
  ``Language`` (multimodal models with a language domain included). The rest (vision, games, biology ...)
  never have a token price; they are counted in one exclusion, not listed one by one.
* **Identity.** ``source_model_id`` and ``model_name`` are Epoch's ``Model`` as published (whitespace
  runs, no-break spaces included, collapsed to one space: a few names end in a stray newline);
  ``model_id`` is a slug of it (lowercase, runs of other characters -> ``-``, dots kept: "Claude 3.5
  Sonnet" -> ``claude-3.5-sonnet``), the same slug rule as OpenRouter's ids, so many rows meet OpenRouter
  and models.dev listings in ``dim_models`` without a crosswalk. ``provider_id`` is ``epoch`` (the list the
  record comes from; Epoch sells nothing). Two kept rows with the same name are layout drift (the raw
  table is unique per source and name).
* **creator** is ``Organization`` slugged the same way, each of a comma-separated list kept in order
  (``"Google DeepMind,Google"`` -> ``google-deepmind,google``); empty -> ``unknown``.
* **created_at** is ``Publication date`` (``YYYY-MM-DD``) at midnight UTC; empty -> ``None``; any other
  shape is layout drift.
* **open_weights** from ``Model accessibility`` (see ``ACCESSIBILITY``): the three "Open weights (...)"
  values are open weights, and the parenthesis (unrestricted, restricted use, non-commercial) is the
  licence note, kept in ``open_weights_basis`` as ``epoch_notable_models:Model accessibility=<value>``;
  "API access" and "Hosted access (no API)" are closed. "Unreleased" is closed too: neither weights nor an
  API were published, so the model is never priced, and "no public weights" is exactly what
  ``open_weights = FALSE`` says. An empty cell is unknown (``None``, no basis); any other value is layout
  drift naming it.
* ``Parameters``, ``Frontier model`` and the rest are not read: ``raw.model_attributes`` has no column for
  them.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

from scrapers.facts import FactCollector
from scrapers.records import CaptureMeta, ModelAttributes, ParseResult

SOURCE_ID = "epoch_notable_models"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://epoch.ai/data/notable_ai_models.csv"
PROVIDER_ID = "epoch"
BASIS_FIELD = "Model accessibility"
KEEP_DOMAIN = "Language"

#: the columns read; each must be in the header
COLUMNS = ("Model", "Organization", "Publication date", "Domain", BASIS_FIELD)

#: Model accessibility -> open_weights. An empty cell is unknown; anything else is layout drift.
ACCESSIBILITY: dict[str, bool] = {
    "Open weights (unrestricted)": True,
    "Open weights (restricted use)": True,
    "Open weights (non-commercial)": True,
    "API access": False,
    "Hosted access (no API)": False,
    "Unreleased": False,
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """The Notable AI Models CSV -> one ``ModelAttributes`` per language model, plus one exclusion."""
    collect = FactCollector(meta, PARSER_VERSION)
    rows = _rows(collect, body)
    models: dict[str, ModelAttributes] = {}
    for line, row in rows:
        if not is_language(row["Domain"]):
            continue
        record = _record(collect, line, row)
        if record.source_model_id in models:
            raise collect.drift(f"line {line}: model {record.source_model_id!r} is listed twice")
        models[record.source_model_id] = record
    if not models:
        raise collect.drift(f"{len(rows)} rows but none with {KEEP_DOMAIN!r} in Domain")
    skipped = len(rows) - len(models)
    if skipped:
        collect.exclude("rows without Language in Domain", "Domain",
                        f"{skipped} of {len(rows)} models are not language models (never token-priced)")
    return collect.result(models=list(models.values()))


def is_language(domain: str) -> bool:
    return KEEP_DOMAIN in (part.strip() for part in domain.split(","))


def slug(text: str) -> str:
    """``"Claude 3.5 Sonnet"`` -> ``"claude-3.5-sonnet"`` (OpenRouter's id style: dots kept)."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")


def open_weights(collect: FactCollector, line: int, value: str) -> tuple[bool | None, str | None]:
    """``Model accessibility`` -> (open_weights, basis). Empty -> unknown; unknown text -> drift."""
    if not value:
        return None, None
    if value not in ACCESSIBILITY:
        known = ", ".join(repr(v) for v in ACCESSIBILITY)
        raise collect.drift(f"line {line}: unknown {BASIS_FIELD} {value!r} (known: {known})")
    return ACCESSIBILITY[value], f"{SOURCE_ID}:{BASIS_FIELD}={value}"


def _rows(collect: FactCollector, body: bytes) -> list[tuple[int, dict[str, str]]]:
    # utf-8-sig: a spreadsheet export may start with a byte-order mark, which would hide the first column
    text = collect.text(body, what="CSV", encoding="utf-8-sig", csv_table=True)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise collect.drift(f"CSV header lacks {', '.join(map(repr, missing))} (header starts {header[:6]})")
    rows = []
    for row in reader:
        if None in row:  # more cells than the header has names: a broken quote or a shifted row
            raise collect.drift(f"line {reader.line_num}: more cells than header columns")
        if None in row.values():  # fewer cells than the header: a row cut short (README "Truncated captures")
            raise collect.drift(f"line {reader.line_num}: fewer cells than header columns")
        rows.append((reader.line_num, {name: _clean(row[name]) for name in COLUMNS}))
    if not rows:
        raise collect.drift("CSV has a header but no rows")
    return rows


def _record(collect: FactCollector, line: int, row: dict[str, str]) -> ModelAttributes:
    name = row["Model"]
    if not slug(name):
        raise collect.drift(f"line {line}: a language model without a usable name ({name!r})")
    weights, basis = open_weights(collect, line, row[BASIS_FIELD])
    organizations = [slug(org) for org in row["Organization"].split(",") if slug(org)]
    return ModelAttributes(
        **collect.provenance,
        provider_id=PROVIDER_ID,
        model_id=slug(name),
        source_model_id=name,
        model_name=name,
        creator=",".join(organizations) or "unknown",
        open_weights=weights,
        open_weights_basis=basis,
        created_at=_published(collect, line, row["Publication date"]),
    )


def _published(collect: FactCollector, line: int, value: str) -> datetime | None:
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError("not YYYY-MM-DD")
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise collect.drift(f"line {line}: Publication date {value!r} is not a date ({exc})") from exc
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _clean(value: str | None) -> str:
    """Whitespace runs (newlines, no-break spaces) -> one space, trimmed."""
    return " ".join((value or "").split())
