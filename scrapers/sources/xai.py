"""xAI's pricing page (``docs.x.ai/developers/pricing.md``) -> price facts.

What the page looks like: "All prices are in USD", then a **Chat API** table ("Prices per 1M tokens")
with one row per API model id and the columns ``Model | Context | Input | Cached input | Output``
(bare amounts such as ``$1.25``), then **Imagine API** (``Model | Cost``: ``$0.05 / image``), **Voice
API** (``Mode | Cost``: per minute, per 1M characters) and **Tools** (``Tool | Description | Cost / 1k
Calls | Tool Name``). The older models page (``models.md``) puts all of a model's token prices in one
cell, ``Pricing [in (cached in) / out]`` = ``$2.00 ($0.20) / $6.00``, and repeats rows; both are read.

Choices:

* Columns map to ``input``, ``cache_read`` (cached input) and ``output``; reasoning tokens are billed at
  the output price (the page says so) and get no fact of their own. ``Context`` (the window size),
  modalities, capabilities, rate limits and aliases are known non-price columns; any other column in a
  table with token prices is layout drift.
* Bare amounts are per 1M tokens: xAI states every chat price per 1M tokens, in USD.
* Context bands "where shown": a price column headed with a band (``Input (>200K)``) or a model cell with
  a band note (``grok-4.3 (>200K context)``) gives ``context_band`` ``">200k"``; everything else is
  ``"all"``, the headline price of a request below the threshold.
* Rows priced per image, per second, per minute, per character or per tool call (Imagine, Voice, Tools)
  become ``Exclusion`` records: they are real prices, but not per token. ``-``/``Free`` cells likewise.
* ``model_id`` is the API id as the row names it, lowercased (``grok-4-1-fast-reasoning``); a region
  written after it (``grok-3-fast us-east-1``) is dropped. The same fact stated twice is kept once; the
  same key with two prices is drift.

The real capture in ``shared/samples`` is the *consumption and rate limits* page, which carries no price
table: this parser raises layout drift on it, as it must on any page without prices.
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector, norm_header
from scrapers.markdown_tables import Table, extract_tables, split_annotations
from scrapers.records import ALL_CONTEXT, CaptureMeta, ParseResult
from scrapers.units import UnknownUnitError, is_no_price, parse_price

SOURCE_ID = "xai"
PARSER_VERSION = "1"
URL = "https://docs.x.ai/developers/pricing.md"
PROVIDER_ID = "xai"
DEFAULT_UNIT = "1M tokens"

#: normalised column header -> role: a token type, "combined" (in (cached) / out), "cost" (not per
#: token: every priced cell is an exclusion), "name", or "ignore". Anything else in a price table is drift.
COLUMNS: dict[str, str] = {
    "model": "name", "mode": "name", "tool": "name",
    "input": "input", "text input": "input", "input tokens": "input", "prompt": "input",
    "cached input": "cache_read", "cached text input": "cache_read", "cached input tokens": "cache_read",
    "cached prompt": "cache_read",
    "output": "output", "completion": "output", "text completion": "output", "output tokens": "output",
    "pricing": "combined", "pricing [in (cached in) / out]": "combined", "price": "combined",
    "cost": "cost", "cost / 1k calls": "cost", "each generated image": "cost",
    "context": "ignore", "context window": "ignore", "modalities": "ignore", "capabilities": "ignore",
    "rate limits": "ignore", "aliases": "ignore", "region": "ignore", "description": "ignore",
    "tool name": "ignore",
}
TOKEN_ROLES = {"input", "cache_read", "output", "combined"}

_BAND_RE = re.compile(r"(≤|<=|≥|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([km])\b", re.IGNORECASE)
_BAND_OPS = {"≤": "<=", "<=": "<=", "≥": ">=", ">=": ">=", "<": "<", ">": ">"}
_COMBINED_RE = re.compile(r"^(?P<input>[^()/]+?)\s*(?:\((?P<cached>[^()]+)\))?\s*/\s*(?P<output>[^()/]+)$")
_NON_TOKEN_RE = re.compile(
    r"(?:/|\bper\b)\s*(?:\d+\s*[km]?\s*)?(image|video|sec\w*|min\w*|h(?:ou)?r|calls?|requests?|characters?|"
    r"sources?|searches?)\b",
    re.IGNORECASE,
)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """xAI pricing markdown -> token price facts, with per-image/per-call prices as exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        # a column gives a cell one reason, and the reason ends with the cell: once per (item, field, cell)
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID,
                                     unique_exclusions=True)
        self.drift = self.collect.drift

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        price_tables = 0
        for table in extract_tables(text):
            roles = self.roles(table)
            if roles is None:
                continue
            if any(r in TOKEN_ROLES for r, _ in roles):
                price_tables += 1
                # bare amounts are read per 1M tokens, as xAI states; any other unit stated is drift
                self.collect.check_stated_units("\n".join((table.preceding_text, *table.headers)),
                                                expected=DEFAULT_UNIT, where=f"the price table at line {table.line}")
            self.read(table, roles)
        if not price_tables:
            raise self.drift("no price table found (no table with a Model column and token prices)")
        if not self.collect.facts:
            raise self.drift("price tables found but no price facts read")
        return self.collect.result()

    def roles(self, table: Table) -> list[tuple[str, str]] | None:
        """``[(role, band), ...]`` per column, or None when the table prices nothing."""
        if not table.headers or COLUMNS.get(norm_header(table.headers[0])) != "name":
            return None
        roles = []
        for header in table.headers:
            band, base = _split_band(header)
            roles.append((COLUMNS.get(base, "?"), band))
        if not any(r in TOKEN_ROLES or r == "cost" for r, _ in roles):
            return None
        unknown = [h for h, (r, _) in zip(table.headers, roles, strict=False) if r == "?"]
        if unknown:
            raise self.drift(f"unknown column {unknown[0]!r} in a price table (line {table.line})")
        return roles

    def read(self, table: Table, roles: list[tuple[str, str]]) -> None:
        for row in table.rows:
            if any(row[len(table.headers):]):
                raise self.drift(f"row {row[0]!r} (table at line {table.line}) has more cells than headers")
            name, notes = split_annotations(row[0])
            priced = [row[i] for i, (r, _) in enumerate(roles) if i < len(row) and (r in TOKEN_ROLES or r == "cost")]
            if not name or not any(priced):
                continue  # group rows ("Language models"), "Loading models..."
            model_id = _model_id(name)
            name = name.split()[0] if model_id == name.split()[0].lower() else name
            row_band = next((b for n in notes if (b := _band(n))), None)
            for i, (role, band) in enumerate(roles):
                cell = row[i] if i < len(row) else ""
                if role in ("name", "ignore"):
                    continue
                field = table.headers[i]
                if role == "cost":
                    self.exclude(model_id, field, cell, "priced per image, second, minute, character or call, not per token")
                elif role == "combined":
                    self.combined(name, model_id, cell, field, row_band or band)
                else:
                    self.add(name, model_id, role, cell, field, row_band or band)

    def combined(self, name: str, model_id: str, cell: str, field: str, band: str) -> None:
        if is_no_price(cell):
            self.exclude(model_id, field, cell, "no price published")
            return
        if _NON_TOKEN_RE.search(cell):
            self.exclude(model_id, field, cell, "not a per-token price")
            return
        match = _COMBINED_RE.match(cell.replace("\n", " ").strip())
        if match is None:
            raise self.drift(f"{name} / {field}: cannot read {cell!r} as 'in (cached in) / out'")
        for token_type in ("input", "cached", "output"):
            if match[token_type]:
                kind = "cache_read" if token_type == "cached" else token_type
                self.add(name, model_id, kind, match[token_type].strip(), field, band, raw=cell)

    def add(self, name: str, model_id: str, token_type: str, cell: str, field: str, band: str,
            raw: str | None = None) -> None:
        if is_no_price(cell) or cell.strip().lower() in {"free", "contact sales", "contact us"}:
            self.exclude(model_id, field, cell, "no price published")
            return
        try:
            price = parse_price(cell, default_unit=DEFAULT_UNIT)
        except UnknownUnitError as exc:
            if _NON_TOKEN_RE.search(cell):
                self.exclude(model_id, field, cell, "not a per-token price")
                return
            raise self.drift(f"{name} / {field}: {exc}") from exc
        self.collect.price(model_id, token_type, price, model_name=name, raw=raw or cell, band=band,
                           label=f"{name} {token_type}/{band}", said=cell)

    def exclude(self, item: str, field: str, cell: str, reason: str) -> None:
        if cell.strip():
            self.collect.exclude(item, field, f"{reason}: {cell!r}")


def _band(text: str) -> str | None:
    match = _BAND_RE.search(text)
    if match is None:
        return None
    return f"{_BAND_OPS[match.group(1)]}{match.group(2)}{match.group(3).lower()}"


def _split_band(header: str) -> tuple[str, str]:
    """``"Input (>200K)"`` -> ``(">200k", "input")``; a header without a band -> ``("all", header)``."""
    band = _band(header)
    if band is None:
        return ALL_CONTEXT, norm_header(header)
    rest = _BAND_RE.sub(" ", header)
    rest = re.sub(r"\b(?:context|tokens?|prompts?)\b|\(\s*\)", " ", rest, flags=re.IGNORECASE)
    return band, norm_header(rest.replace("()", ""))


def _model_id(name: str) -> str:
    """API ids are lowercase (``grok-3-fast us-east-1`` -> ``grok-3-fast``); other names are slugged."""
    first = name.split()[0]
    if first == first.lower() and _ID_RE.match(first):
        return first
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")
