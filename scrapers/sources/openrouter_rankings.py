"""OpenRouter daily token usage (the rankings dataset) -> one ``UsageFact`` per model per day.

What the source looks like:

* **Keyless export** (the default): ``latest.csv`` with exactly the columns ``date, model_permaslug, rank,
  total_tokens, share_of_daily_tokens``: the top 50 public models of each UTC day of a trailing window
  (30 days, so every capture restates 29 earlier days) plus one ``other`` row per day (empty rank) summing
  the long tail. ``latest.manifest.json`` describes the snapshot: ``snapshot_date``, ``row_count``,
  licence (CC BY 4.0) and the sha256 of the CSV. The real files end lines with CRLF.
* **Keyed API** (``COSTCURVE_OPENROUTER_API_KEY`` set): ``GET /api/v1/datasets/rankings-daily?start_date=
  &end_date=`` (data from 2025-01-01) returns ``{"data": [{"date", "model_permaslug", "total_tokens"}],
  "meta": {"as_of", "start_date", "end_date", "version": "v1"}}`` with token totals as decimal strings.
  It has no rank and no share: rank is recomputed per day (total desc, then permaslug, as OpenRouter
  orders it; ``other`` has none) and the share is left empty for staging to compute. Written from the
  public API reference; no real keyed response was available to test against.

Choices:

* **Captures parsed together.** The registry lists ``[manifest, csv]`` and ``collect`` hands both to
  ``parse_captures`` (so does ``costcurve parse openrouter_rankings latest.csv latest.manifest.json``): it
  checks the CSV's sha256 and row count against the manifest (OpenRouter's ``latest`` aliases can point at
  different snapshots for up to an hour), refuses a licence other than CC BY 4.0, and stamps ``as_of`` =
  ``snapshot_date``. ``parse`` on the CSV alone (a debugging path) has no manifest, so ``as_of`` is the
  latest ``date`` in the CSV (the last complete day; the snapshot is usually the day after). A manifest
  passed to ``parse`` alone raises, so it is never silent.
* **Identity.** ``source_model_id`` is the permaslug as published. ``model_id`` is the slug without the
  author and without a trailing ``-YYYYMMDD`` (a real calendar date); ``:free``/``:batch`` are tiers, as
  in ``openrouter_models``, so they are dropped from ``model_id`` (the permaslug keeps them apart); any
  other ``:variant`` stays. This rule is lossy: OpenRouter's models API gives each model a
  ``canonical_slug`` equal to the permaslug, and some ids differ from the stripped slug
  (``deepseek-v4-flash-20260731`` is ``deepseek-v4-flash-0731``, ``claude-5-fable-20260609`` is
  ``claude-fable-5``); the exact join is on ``canonical_slug`` and belongs to the crosswalk.
* **Strict rows.** An unknown or missing column, a bad date or number, a share outside [0, 1], a model
  row without a rank >= 1, a repeated (date, permaslug) or a row dated after ``as_of`` raise
  ``LayoutDriftError``. The ``other`` row is kept
  (creator ``other``) so a day's total is the sum of its rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.errors import LayoutDriftError
from scrapers.records import CaptureMeta, ParseResult, UsageFact

SOURCE_ID = "openrouter_rankings"
PARSER_VERSION = "1"
EXPORTS = "https://openrouter.ai/api/v1/datasets/exports/rankings-daily"
CSV_KEY, CSV_URL = "latest.csv", f"{EXPORTS}/latest.csv"
MANIFEST_KEY, MANIFEST_URL = "latest.manifest.json", f"{EXPORTS}/latest.manifest.json"
KEYED_KEY, KEYED_URL = "rankings-daily.json", "https://openrouter.ai/api/v1/datasets/rankings-daily"
KEYED_FIRST_DATE = date(2025, 1, 1)
API_KEY_ENV = "COSTCURVE_OPENROUTER_API_KEY"
COLUMNS = ("date", "model_permaslug", "rank", "total_tokens", "share_of_daily_tokens")
OTHER = "other"
LICENCE = "CC BY 4.0"
#: ``:variant`` suffixes that are service tiers (as in ``openrouter_models``), dropped from ``model_id``
TIER_VARIANTS = frozenset({"free", "batch"})
_DATE_SUFFIX = re.compile(r"-(\d{8})$")


def citation(as_of: date) -> str:
    return f"Source: OpenRouter (openrouter.ai/rankings), as of {as_of.isoformat()}"


def keyed_url(start_date: date | None = None, end_date: date | None = None) -> str:
    """The keyed API URL; without dates OpenRouter returns its default trailing window."""
    params = {k: v.isoformat() for k, v in (("start_date", start_date), ("end_date", end_date)) if v}
    return f"{KEYED_URL}?{urlencode(params)}" if params else KEYED_URL


def targets(*, with_manifest: bool = False) -> list[tuple[str, str]]:
    """(capture_key, url) to fetch: the keyed API when a key is configured, else the export's CSV.

    ``with_manifest`` adds the manifest first, for a ``collect`` that hands ``parse_captures`` every capture.
    """
    if os.environ.get(API_KEY_ENV):
        return [(KEYED_KEY, keyed_url())]
    return [(MANIFEST_KEY, MANIFEST_URL), (CSV_KEY, CSV_URL)] if with_manifest else [(CSV_KEY, CSV_URL)]


def request_headers() -> dict[str, str]:
    """HTTP headers for the keyed API (empty without a key; the export needs none). Never log these."""
    key = os.environ.get(API_KEY_ENV)
    return {"Authorization": f"Bearer {key}"} if key else {}


def split_permaslug(permaslug: str) -> tuple[str, str]:
    """``"nvidia/nemotron-3-ultra-550b-a55b-20260604:free"`` -> ``("nvidia", "nemotron-3-ultra-550b-a55b")``."""
    if permaslug == OTHER:
        return OTHER, OTHER
    base, _, variant = permaslug.partition(":")
    author, slash, slug = base.partition("/")
    if not slash or not author or not slug or "/" in slug or not re.fullmatch(r"[\w.\-]+", variant or "x"):
        raise ValueError(f"permaslug {permaslug!r} is not 'author/slug[:variant]'")
    match = _DATE_SUFFIX.search(slug)
    if match and _is_calendar_date(match[1]) and match.start() > 0:
        slug = slug[: match.start()]
    if variant and variant.lower() not in TIER_VARIANTS:
        slug = f"{slug}:{variant}"
    return author.lower(), slug.lower()


def _is_calendar_date(digits: str) -> bool:
    try:
        return datetime.strptime(digits, "%Y%m%d").year >= 2000
    except ValueError:
        return False


# -- parsing --------------------------------------------------------------------------------------


class _Row(NamedTuple):
    usage_date: date
    permaslug: str
    rank: int | None
    total_tokens: int
    share: Decimal | None


class _KeyedItem(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a new field is a new column: drift

    date: date
    model_permaslug: str
    total_tokens: str


class _KeyedMeta(BaseModel):
    model_config = ConfigDict(extra="ignore")

    as_of: datetime
    version: str


class _ManifestCsv(BaseModel):
    sha256: str
    bytes: int | None = None


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    dataset: str
    schema_version: str
    snapshot_date: date
    row_count: int
    license: dict
    files: dict[str, _ManifestCsv]


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """The CSV export (``as_of`` = its latest date) or the keyed API's JSON -> usage facts."""
    drift = _drifter(meta)
    if body.lstrip()[:1] == b"{":
        document = _json(body, drift)
        if "snapshot_date" in document or "dataset" in document:
            raise drift("this is the manifest, which has no usage rows: pass it with the CSV to parse_captures")
        rows, as_of = _keyed_rows(document, drift)
    else:
        rows = _csv_rows(body, drift)
        as_of = max(row.usage_date for row in rows)
    return _facts(rows, as_of, meta)


def parse_captures(captures: Mapping[str, tuple[bytes, CaptureMeta]]) -> ParseResult:
    """CSV plus manifest (``{capture_key: (body, meta)}``): verified against the manifest, ``as_of`` = snapshot."""
    if CSV_KEY not in captures:
        return parse(*captures[KEYED_KEY])
    body, meta = captures[CSV_KEY]
    if MANIFEST_KEY not in captures:
        return parse(body, meta)
    manifest_body, manifest_meta = captures[MANIFEST_KEY]
    manifest = read_manifest(manifest_body, manifest_meta)
    drift = _drifter(meta)
    rows = _csv_rows(body, drift)
    sha = hashlib.sha256(body).hexdigest()
    if sha != manifest.files["csv"].sha256:
        raise drift(f"latest.csv (sha256 {sha[:12]}…) is not the file the manifest names for snapshot "
                    f"{manifest.snapshot_date} (sha256 {manifest.files['csv'].sha256[:12]}…): the aliases "
                    "moved between fetches, fetch both again")
    if len(rows) != manifest.row_count:
        raise drift(f"latest.csv has {len(rows)} rows, the manifest says {manifest.row_count}")
    return _facts(rows, manifest.snapshot_date, meta)


def read_manifest(body: bytes, meta: CaptureMeta) -> _Manifest:
    """Validate ``latest.manifest.json``: dataset, schema v1, CC BY 4.0 and the CSV's checksum."""
    drift = _drifter(meta)
    try:
        manifest = _Manifest.model_validate(_json(body, drift))
    except ValidationError as exc:
        raise drift(f"manifest: {_first_error(exc)}") from exc
    if manifest.dataset != "rankings-daily" or manifest.schema_version != "v1":
        raise drift(f"manifest is {manifest.dataset!r} schema {manifest.schema_version!r}, expected rankings-daily v1")
    if manifest.license.get("name") != LICENCE:
        raise drift(f"licence changed to {manifest.license.get('name')!r} (was {LICENCE}): check the terms")
    if "csv" not in manifest.files:
        raise drift("manifest names no csv file")
    return manifest


def _facts(rows: list[_Row], as_of: date, meta: CaptureMeta) -> ParseResult:
    drift = _drifter(meta)
    if not rows:
        raise drift("no usage rows")
    provenance = meta.provenance(PARSER_VERSION)
    result = ParseResult()
    seen: set[tuple[date, str]] = set()
    for row in rows:
        key = (row.usage_date, row.permaslug)
        if key in seen:
            raise drift(f"{row.permaslug} appears twice on {row.usage_date}")
        seen.add(key)
        if row.usage_date > as_of:
            raise drift(f"{row.permaslug} is dated {row.usage_date}, after the snapshot's as_of {as_of}")
        try:
            creator, model_id = split_permaslug(row.permaslug)
        except ValueError as exc:
            raise drift(str(exc)) from exc
        result.usage.append(UsageFact(
            **provenance,
            usage_date=row.usage_date,
            source_model_id=row.permaslug,
            model_id=model_id,
            creator=creator,
            rank=row.rank,
            total_tokens=row.total_tokens,
            share_of_daily_tokens=row.share,
            as_of=as_of,
            citation=citation(as_of),
        ))
    return result


def _csv_rows(body: bytes, drift) -> list[_Row]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise drift(f"CSV is not UTF-8: {exc}") from exc
    lines = [line for line in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in line)]
    if not lines:
        raise drift("CSV is empty")
    header = [name.strip().lower() for name in lines[0]]
    unknown, missing = set(header) - set(COLUMNS), set(COLUMNS) - set(header)
    if unknown or missing or len(header) != len(COLUMNS):
        raise drift(f"CSV header {lines[0]} (unknown: {sorted(unknown)}, missing: {sorted(missing)}); "
                    f"expected {list(COLUMNS)}")
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if len(cells) != len(header):
            raise drift(f"CSV line {number} has {len(cells)} cells, the header {len(header)}")
        rows.append(_csv_row(dict(zip(header, (c.strip() for c in cells), strict=True)), number, drift))
    if not rows:
        raise drift("CSV has a header but no rows")
    return rows


def _csv_row(cell: dict[str, str], number: int, drift) -> _Row:
    where = f"CSV line {number}"
    permaslug = cell["model_permaslug"]
    if not permaslug:
        raise drift(f"{where}: empty model_permaslug")
    if cell["rank"] == "":
        if permaslug != OTHER:
            raise drift(f"{where}: {permaslug} has no rank (only the 'other' row may)")
        rank = None
    else:
        rank = _integer(cell["rank"], f"{where} rank", drift)
        if rank < 1:
            raise drift(f"{where}: rank {rank} is below 1")
    share = _decimal(cell["share_of_daily_tokens"], f"{where} share_of_daily_tokens", drift)
    if not Decimal(0) <= share <= Decimal(1):
        raise drift(f"{where}: share_of_daily_tokens {share} is outside [0, 1]")
    return _Row(usage_date=_date(cell["date"], where, drift), permaslug=permaslug, rank=rank,
                total_tokens=_integer(cell["total_tokens"], f"{where} total_tokens", drift), share=share)


def _keyed_rows(document: dict, drift) -> tuple[list[_Row], date]:
    data = document.get("data")
    if not isinstance(data, list) or not data or not isinstance(document.get("meta"), dict):
        raise drift("keyed response has no non-empty 'data' list and 'meta' object")
    try:
        meta = _KeyedMeta.model_validate(document["meta"])
        items = [_KeyedItem.model_validate(item) for item in data]
    except ValidationError as exc:
        raise drift(f"keyed response: {_first_error(exc)}") from exc
    if meta.version != "v1":
        raise drift(f"keyed response version {meta.version!r}, expected v1")
    totals = [_integer(i.total_tokens, f"{i.date} {i.model_permaslug} total_tokens", drift) for i in items]
    ranks: dict[tuple[date, str], int] = {}
    for day in {i.date for i in items}:
        ranked = sorted((-t, i.model_permaslug) for i, t in zip(items, totals, strict=True)
                        if i.date == day and i.model_permaslug != OTHER)
        ranks.update({(day, slug): n for n, (_, slug) in enumerate(ranked, start=1)})
    rows = [_Row(usage_date=i.date, permaslug=i.model_permaslug, rank=ranks.get((i.date, i.model_permaslug)),
                 total_tokens=t, share=None) for i, t in zip(items, totals, strict=True)]
    as_of = (meta.as_of if meta.as_of.tzinfo is None else meta.as_of.astimezone(UTC)).date()
    return rows, as_of


def _json(body: bytes, drift) -> dict:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise drift(f"response is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise drift("JSON document is not an object")
    return document


def _integer(text: str, what: str, drift) -> int:
    if not re.fullmatch(r"\d+", text):
        raise drift(f"{what} {text!r} is not a non-negative integer")
    return int(text)


def _decimal(text: str, what: str, drift) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise drift(f"{what} {text!r} is not a number") from exc
    if not value.is_finite():
        raise drift(f"{what} {text!r} is not a finite number")
    return value


def _date(text: str, where: str, drift) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise drift(f"{where}: date {text!r} is not YYYY-MM-DD") from exc


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    return f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"


def _drifter(meta: CaptureMeta):
    return lambda message: LayoutDriftError(SOURCE_ID, meta.url, message)
