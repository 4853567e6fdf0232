"""Perplexity's API pricing page (``docs.perplexity.ai/getting-started/pricing.md``) -> price facts.

What the page looks like: a **Search API** table (``API | Price per 1K requests | Description``), then
**Token Pricing**: ``Model | Input Tokens ($/1M) | Output Tokens ($/1M) | Citation Tokens ($/1M) | Search
Queries ($/1K) | Reasoning Tokens ($/1M)`` with bare cells (``$3``, ``-``), one row per Sonar model. A
**Request Pricing** tab (request fee per 1K requests by search-context size Low/Medium/High) is not always
rendered. Cost-example tables (``Component | Cost``) and model-description tables follow.

Choices:

* The unit comes from each column header (``($/1M)`` -> USD per 1M tokens); a token column without a
  ``$/1M``-style unit is drift. Input -> ``input``, output -> ``output``, reasoning tokens ->
  ``reasoning``.
* Citation tokens have no token type in the contract (they are neither prompt nor completion tokens), so
  each priced citation cell becomes an ``Exclusion`` rather than being filed under ``input``.
* Per-request money is not per token: search-query fees (``$/1K``), request fees by search-context size
  and the Search API's price per 1K requests all become ``Exclusion`` records. So do ``-`` cells (the page's
  way of saying a model has no such charge).
* Any other column header in the token table is drift. Cost examples and description tables are ignored.
* ``model_id`` is the API id: the published name slugged (``Sonar Reasoning Pro`` -> ``sonar-reasoning-pro``).
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector, norm_header
from scrapers.markdown_tables import Table, extract_tables, split_annotations
from scrapers.records import CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "perplexity"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://docs.perplexity.ai/getting-started/pricing.md"
PROVIDER_ID = "perplexity"

#: token-table column (normalised, unit stripped) -> token type, or an exclusion reason ("x:...").
COLUMNS: dict[str, str] = {
    "input tokens": "input", "input": "input",
    "output tokens": "output", "output": "output",
    "reasoning tokens": "reasoning", "reasoning": "reasoning",
    "citation tokens": "x:citation tokens have no token type in the price contract",
    "search queries": "x:per-search-query fee, not a per-token price",
    "request fee": "x:per-request fee, not a per-token price",
}
_UNIT_RE = re.compile(r"\(\s*(?P<cur>[$€¥])\s*/\s*(?P<unit>[^)]+?)\s*\)")
_REQUEST_RE = re.compile(r"\brequests?\b|\bsearch context\b|^(?:low|medium|high)\b", re.IGNORECASE)


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Perplexity pricing markdown -> token price facts; per-request fees and citation tokens as exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        tables = extract_tables(text)
        token_tables = [
            t for t in tables if _first(t) == "model" and any("token" in norm_header(h) for h in t.headers[1:])
        ]
        if not token_tables:
            raise self.drift("no token price table found (Model | Input Tokens ($/1M) | ...)")
        for table in token_tables:
            self.read_tokens(table)
        for table in tables:
            if table not in token_tables and (columns := self.request_columns(table)):
                self.read_requests(table, columns)
        if not self.collect.facts:
            raise self.drift("token price table found but no price facts read")
        return self.collect.result()

    def read_tokens(self, table: Table) -> None:
        columns = []
        for header in table.headers[1:]:
            base, unit = _split_unit(header)
            role = COLUMNS.get(base)
            if role is None:
                raise self.drift(f"unknown column {header!r} in the token price table (line {table.line})")
            if not role.startswith("x:") and unit is None:
                raise self.drift(f"token column {header!r} states no unit such as ($/1M)")
            columns.append((header, role, unit))
        if not {"input", "output"} <= {role for _, role, _ in columns}:
            raise self.drift(f"token price table (line {table.line}) lacks input or output columns")
        for row in table.rows:
            if any(row[len(table.headers):]):
                raise self.drift(f"row {row[0]!r} (table at line {table.line}) has more cells than headers")
            name, _ = split_annotations(row[0])
            if not name:
                continue
            model_id = _slug(name)
            for (header, role, unit), cell in zip(columns, row[1:], strict=False):
                if is_no_price(cell):
                    self.exclude(model_id, header, f"no such charge for this model ({cell!r})")
                elif role.startswith("x:"):
                    self.exclude(model_id, header, f"{role[2:]}: {cell!r}")
                else:
                    self.add(model_id, name, role, cell, unit, header)

    def request_columns(self, table: Table) -> list[int]:
        """Columns of per-request money: "Price per 1K requests", "Request fee", search-context Low/Medium/High."""
        return [i for i, h in enumerate(map(norm_header, table.headers)) if i and _REQUEST_RE.search(h)]

    def read_requests(self, table: Table, columns: list[int]) -> None:
        for row in table.rows:
            name, _ = split_annotations(row[0])
            for i in columns:
                cell = row[i] if i < len(row) else ""
                if re.search(r"\d", cell):
                    self.exclude(_slug(name) or "request-fee", table.headers[i],
                                 f"per-request fee, not a per-token price: {cell!r}")

    def add(self, model_id: str, name: str, token_type: str, cell: str, unit: tuple[str, str], field: str) -> None:
        currency, per = unit
        price = self.collect.parse_price(cell, where=f"{name} / {field}", default_unit=f"{per} tokens",
                                         default_currency=currency)
        if price.currency != currency:
            raise self.drift(f"{name} / {field}: {cell!r} is in {price.currency}, the header says {currency}")
        self.collect.price(model_id, token_type, price, model_name=name, raw=cell, label=f"{name} {token_type}")


def _slug(name: str) -> str:
    """``"Sonar Reasoning Pro"`` -> ``"sonar-reasoning-pro"`` (Perplexity's API ids are the slugged names)."""
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")


def _first(table: Table) -> str:
    return norm_header(table.headers[0]) if table.headers else ""


def _split_unit(header: str) -> tuple[str, tuple[str, str] | None]:
    """``"Input Tokens ($/1M)"`` -> ``("input tokens", ("USD", "1M"))``."""
    match = _UNIT_RE.search(header)
    if match is None:
        return norm_header(header), None
    currency = {"$": "USD", "€": "EUR", "¥": "CNY"}[match["cur"]]
    unit = re.sub(r"\s*tokens?$", "", match["unit"], flags=re.IGNORECASE)
    return norm_header(_UNIT_RE.sub(" ", header)), (currency, unit)
