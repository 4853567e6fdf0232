"""Mistral AI's pricing (2024 docs layout) -> price facts.

**Scope, read first.** The live page (https://mistral.ai/pricing) is a browser-rendered marketing app:
fetched without a browser it carries no price table, so this parser cannot read it and raises layout
drift on it, as it should. It targets the 2024 documentation layout ("Pricing and rate limits",
docs.mistral.ai/platform/pricing, ~2024-04), which is what the shared sample holds. **Current Mistral
prices should come from the datasets (pydantic genai-prices, LiteLLM), not from this source.**

What the 2024 page looks like, in two renderings:

* html->text (the sample): headings in capitals ("CHAT COMPLETIONS API", "EMBEDDINGS API") and each
  table flattened into run-on text wrapped at ~80 columns: a header line
  ``ModelEndpointInput (USD)Output (USD)Input (EUR)Output (EUR)`` and rows glued together,
  ``Mistral Smallmistral-small-latest2$ / 1M tokens6$ / 1M tokens1.85€ / 1M tokens5.55€ / 1M tokens``.
  The reader joins the wrapped lines, takes the price columns from the header, and splits rows on the
  endpoint (a lowercase API id of a known family, ``open-mixtral-8x7b``) followed by exactly as many prices as
  there are price columns, each in the currency its header names.
* markdown: ``| Model | Endpoint | Input (USD) | Output (USD) | Input (EUR) | Output (EUR) |``.

Choices: USD prices set ``usd_per_mtok``; EUR prices are stored as published (``currency="EUR"``,
``usd_per_mtok=None``: no FX here). The page states both currencies for every price, so each model gets
both. ``model_id`` is the endpoint (``mistral-small-latest``: an alias that re-points over time, which the
crosswalk resolves by date). The embeddings price is per input token and kept as ``input``. A price whose
currency disagrees with its column header, a row that does not split into the header's columns, or an
unknown column is drift.
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector
from scrapers.markdown_tables import Table, extract_tables
from scrapers.records import CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "mistral"
PARSER_VERSION = "1"
URL = "https://mistral.ai/pricing"
PROVIDER_ID = "mistral"

SECTIONS = ("CHAT COMPLETIONS API", "EMBEDDINGS API")
_PRICE_HEADER_RE = re.compile(r"(Input|Output)\s*\((USD|EUR)\)", re.IGNORECASE)
_PRICE_RE = r"\d+(?:\.\d+)?\s*[$€]\s*/\s*1M\s+tokens"
#: The text rendering glues name, endpoint and first price together ("Mistral Smallmistral-small-latest2$ / 1M",
#: "open-mistral-7b0.25$ / 1M"), so the endpoint must start with a known family (else "mallmistral-small-latest"
#: would match) and each of its segments must end in a letter or be a 4-digit version (else "7b0.2" + "5$" would
#: match). A new family or segment shape fails loudly as an unsplittable row.
FAMILIES = ("mistral", "mixtral", "codestral", "pixtral", "ministral", "magistral", "devstral", "voxtral")
_ENDPOINT_RE = rf"(?:open-)?(?:{'|'.join(FAMILIES)})(?:-(?:[a-z0-9]*[a-z]|\d{{4}}))+"
_SECTION_END_RE = re.compile(r"\n\s*\n\s*\n|\n[A-Z][A-Z -]{3,}\n")


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Mistral's 2024 pricing docs (text or markdown rendering) -> USD and EUR price facts."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        tables = [t for t in extract_tables(text) if any(_PRICE_HEADER_RE.search(h) for h in t.headers)]
        if tables:
            for table in tables:
                self.read_table(table)
        else:
            for section in SECTIONS:
                self.read_text_section(text, section)
        if not self.collect.facts:
            raise self.drift(
                "no price table found: neither a markdown table with Input (USD)/(EUR) columns nor the 2024 "
                "text layout (the live mistral.ai/pricing page needs a browser; use the datasets)"
            )
        return self.collect.result()

    # -- markdown rendering ---------------------------------------------------------------------------

    def read_table(self, table: Table) -> None:
        roles: list[tuple[str, str] | str] = []
        for header in table.headers:
            match = _PRICE_HEADER_RE.fullmatch(header.strip())
            norm = header.strip().lower()
            if match:
                roles.append((match[1].lower(), match[2].upper()))
            elif norm in ("model", "endpoint", "api endpoint", "api name"):
                roles.append(norm if norm == "model" else "endpoint")
            else:
                raise self.drift(f"unknown column {header!r} in a price table (line {table.line})")
        for row in table.rows:
            if any(row[len(table.headers):]):
                raise self.drift(f"row {row[0]!r} (table at line {table.line}) has more cells than headers")
            cells = dict(zip(range(len(roles)), row, strict=False))
            name = next((cells[i] for i, r in enumerate(roles) if r == "model"), "")
            endpoint = next((cells[i] for i, r in enumerate(roles) if r == "endpoint"), "")
            for i, role in enumerate(roles):
                if isinstance(role, tuple):
                    self.add(name, endpoint, role[0], role[1], cells.get(i, ""), table.headers[i])

    # -- html->text rendering -------------------------------------------------------------------------

    def read_text_section(self, text: str, heading: str) -> None:
        start = text.find(f"\n{heading}\n")
        if start < 0:
            return
        body = text[start + len(heading) + 2:]
        end = _SECTION_END_RE.search(body.lstrip("\n"))
        body = body.lstrip("\n")[: end.start() if end else None]
        flat = re.sub(r"\s*\n\s*", " ", body).strip()
        header_at = flat.find("ModelEndpoint")
        if header_at < 0:
            raise self.drift(f"section {heading!r} has no 'ModelEndpoint...' header")
        columns = _PRICE_HEADER_RE.findall(flat)
        header_end = max(m.end() for m in _PRICE_HEADER_RE.finditer(flat)) if columns else -1
        if not columns:
            raise self.drift(f"section {heading!r} header names no Input/Output (USD|EUR) columns")
        rows_text = flat[header_end:].strip()
        row_re = re.compile(
            rf"(?P<name>.+?)\s*(?P<endpoint>{_ENDPOINT_RE})\s*(?P<prices>(?:{_PRICE_RE}\s*){{{len(columns)}}})"
        )
        pos = 0
        while pos < len(rows_text):
            match = row_re.match(rows_text, pos)
            if match is None:
                raise self.drift(f"section {heading!r}: cannot split row at {rows_text[pos:pos + 60]!r}")
            prices = re.findall(_PRICE_RE, match["prices"])
            for (kind, currency), cell in zip(columns, prices, strict=False):
                self.add(match["name"].strip(), match["endpoint"], kind.lower(), currency.upper(), cell,
                         f"{heading}: {kind} ({currency})")
            pos = match.end()
            while pos < len(rows_text) and rows_text[pos] == " ":
                pos += 1

    # -- facts ------------------------------------------------------------------------------------------

    def add(self, name: str, endpoint: str, token_type: str, currency: str, cell: str, field: str) -> None:
        model_id = (endpoint or re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")).lower()
        if not model_id:
            raise self.drift(f"a price row under {field!r} names no model")
        if is_no_price(cell):
            self.exclude(model_id, field, f"no price published ({cell!r})")
            return
        price = self.collect.parse_price(cell, where=f"{model_id} / {field}", default_unit="1M tokens",
                                         default_currency=currency)
        if price.currency != currency:
            raise self.drift(f"{model_id} / {field}: {cell!r} is in {price.currency}, the column says {currency}")
        self.collect.price(model_id, token_type, price, model_name=name or model_id, raw=cell,
                           label=f"{model_id} {token_type} {currency}")
