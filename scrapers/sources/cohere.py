"""Cohere's pricing page (``cohere.com/pricing``) -> price facts.

What the page looks like: a marketing page rendered from tabs (Workplace systems | Generative models |
Advanced retrieval models). In the captured rendering only the first tab came through: North and Compass
("Get in touch for custom enterprise pricing") and an FAQ whose answers carry the token prices in prose,
"Command R+ 08-2024 pricing is $2.50/1M tokens for input and $10.00/1M tokens for output", "Aya Expanse
models (8B and 32B) on the API are charged at $0.50/1M tokens for input and $1.50/1M tokens for output".
A rendering with the generative-models tab has model tables (``Model | Input | Output``, ``Model | Price``).

Choices:

* Both shapes are read: sentences of the form "<model> ... $X/1M tokens for input and $Y/1M tokens for
  output" (the subject is the text before "pricing is" / "is charged at" / "are charged at"), and tables
  whose first column is Model with Input / Output / Price columns. An unknown column header is drift, and
  so is a token price in a unit ``units.py`` does not know, in a table or anywhere in the prose ("$2/1B
  tokens"), whether or not its sentence has the shape above.
* "(8B and 32B)" after a model family expands to one model per size.
* Embed and Rerank: a per-token price ("$0.12 / 1M tokens") is kept as ``input`` (an embedding has no
  output tokens); a price per search, per image or per 1K searches is an ``Exclusion``. "Contact sales" /
  custom enterprise pricing (North, Compass) is an ``Exclusion`` too.
* The FAQ's legacy prices ("For existing customers") are still published prices and are kept.
* ``model_id`` is Cohere's API id: the name slugged with ``+`` -> ``-plus`` (``Command R+ 08-2024`` ->
  ``command-r-plus-08-2024``), plus a few aliases where the API id differs from the marketing name
  (``Aya Expanse 8B`` -> ``c4ai-aya-expanse-8b``, ``Command A`` -> ``command-a-03-2025``).
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector, norm_header
from scrapers.markdown_tables import Table, clean_cell, extract_tables, split_annotations
from scrapers.records import CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "cohere"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://cohere.com/pricing"
PROVIDER_ID = "cohere"

#: marketing name (lowercase) -> API id, where slugging the name does not give the API id
ALIASES: dict[str, str] = {
    "aya expanse 8b": "c4ai-aya-expanse-8b",
    "aya expanse 32b": "c4ai-aya-expanse-32b",
    "command a": "command-a-03-2025",
    "command r7b": "command-r7b-12-2024",
    "embed 4": "embed-v4.0",
    "rerank 3.5": "rerank-v3.5",
}
#: table column (normalised) -> token type, "price" (unit decides), or "ignore". Anything else is drift.
COLUMNS: dict[str, str] = {
    "input": "input", "input price": "input", "input tokens": "input",
    "output": "output", "output price": "output", "output tokens": "output",
    "price": "price", "pricing": "price", "cost": "price",
    "context": "ignore", "context window": "ignore", "description": "ignore", "use case": "ignore",
}

#: a dollar amount per some quantity of tokens. The quantity is deliberately loose ("/1M", "per 1B",
#: "/ 100 million"): units.parse_price decides whether it knows it, so an unknown one is drift, never a
#: sentence that silently fails to match (a "per 1B tokens" sentence once dropped its model unnoticed).
_AMOUNT = r"\$\s?\d[\d,]*(?:\.\d+)?\s*(?:/|\bper\b)[^$/\n]{0,30}?\btokens"
_PROSE_PRICE_RE = re.compile(_AMOUNT, re.IGNORECASE)
_SENTENCE_RE = re.compile(
    rf"(?P<subject>[^.?!\n]*?)\s+(?:pricing is|(?:is|are) (?:charged|priced) at|costs?)\s+"
    rf"(?P<a>{_AMOUNT})\s+for\s+(?P<a_kind>input|output)(?:\s+tokens)?\s+and\s+"
    rf"(?P<b>{_AMOUNT})\s+for\s+(?P<b_kind>input|output)",
    re.IGNORECASE,
)
_SIZES_RE = re.compile(r"^(?P<family>.*?)\s*(?:models?)?\s*\((?P<sizes>\d+[BM](?:\s*(?:,|and|&)\s*\d+[BM])+)\)", re.I)
_CONTACT_RE = re.compile(r"custom enterprise pricing|contact sales for pricing", re.IGNORECASE)
_NON_TOKEN_RE = re.compile(r"(?:/|\bper\b)\s*(?:\d+\s*[km]?\s*)?(search|searches|images?|requests?|queries|calls?)\b", re.I)


def model_id_for(name: str) -> str:
    """Published name -> Cohere API id (see module docstring)."""
    key = re.sub(r"\s+", " ", name.strip().lower())
    if key in ALIASES:
        return ALIASES[key]
    return re.sub(r"[^a-z0-9.]+", "-", key.replace("+", " plus")).strip("-")


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Cohere pricing page -> generative-model token prices (prose and tables); the rest as exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        for table in extract_tables(text):
            if table.headers and norm_header(table.headers[0]) == "model":
                self.read_table(table)
        lines = [clean_cell(line) for line in text.splitlines()]
        for i, line in enumerate(lines):
            for match in _SENTENCE_RE.finditer(line):
                self.read_sentence(match)
            if not line.lstrip().startswith("|"):
                self.check_prose_units(line, i + 1)
            if _CONTACT_RE.search(line):
                product = next((p for p in reversed(lines[max(0, i - 4):i]) if re.search(r"[A-Za-z]", p) and len(p) < 40),
                               "enterprise products")
                self.exclude(model_id_for(product), "pricing", f"contact sales: {_CONTACT_RE.search(line)[0]}")
        if not self.collect.facts:
            raise self.drift("no model token prices found (no price sentences and no Model price table)")
        return self.collect.result()

    def check_prose_units(self, line: str, number: int) -> None:
        """Every token price in the prose must be in a unit ``units`` knows, even one in a sentence this
        parser does not read: an unknown unit is drift, not a price quietly left out."""
        for match in _PROSE_PRICE_RE.finditer(line):
            self.collect.parse_price(match[0], where=f"prose price {match[0]!r} (line {number})")

    def read_sentence(self, match: re.Match) -> None:
        subject = re.sub(r"^(?:the\s+)?", "", match["subject"].strip(" -*:"), flags=re.I)
        subject = re.sub(r"\s+on the API$", "", subject, flags=re.I)
        names = _expand(subject)
        if not names:
            raise self.drift(f"price sentence names no model: {match[0]!r}")
        for name in names:
            self.add(name, match["a_kind"].lower(), match["a"], "prose")
            self.add(name, match["b_kind"].lower(), match["b"], "prose")

    def read_table(self, table: Table) -> None:
        roles = [COLUMNS.get(norm_header(h)) for h in table.headers[1:]]
        if not any(r in ("input", "output", "price") for r in roles):
            return  # a model table without prices
        for header, role in zip(table.headers[1:], roles, strict=False):
            if role is None:
                raise self.drift(f"unknown column {header!r} in a price table (line {table.line})")
        for row in table.rows:
            if any(row[len(table.headers):]):
                raise self.drift(f"row {row[0]!r} (table at line {table.line}) has more cells than headers")
            name, _ = split_annotations(row[0])
            if not name:
                continue
            for header, role, cell in zip(table.headers[1:], roles, row[1:], strict=False):
                if role == "ignore":
                    continue
                if role == "price":  # Embed / Rerank: per-token input, or per search (excluded)
                    role = "input"
                self.add(name, role, cell, header)

    def add(self, name: str, token_type: str, cell: str, field: str) -> None:
        model_id = model_id_for(name)
        if is_no_price(cell) or _CONTACT_RE.search(cell) or cell.strip().lower() in ("free", "contact sales"):
            self.exclude(model_id, field, f"no price published ({cell!r})")
            return
        if _NON_TOKEN_RE.search(cell):
            self.exclude(model_id, field, f"priced per search, image or request, not per token: {cell!r}")
            return
        price = self.collect.parse_price(cell, where=f"{name} / {field}")
        self.collect.price(model_id, token_type, price, model_name=name, raw=cell, label=f"{name} {token_type}")


def _expand(subject: str) -> list[str]:
    """``"Aya Expanse models (8B and 32B)"`` -> ``["Aya Expanse 8B", "Aya Expanse 32B"]``."""
    match = _SIZES_RE.match(subject)
    if match:
        family = re.sub(r"\s+models?$", "", match["family"].strip(), flags=re.I)
        return [f"{family} {size.upper()}" for size in re.findall(r"\d+[BM]", match["sizes"], flags=re.I)]
    subject = re.sub(r"\s+models?$", "", subject, flags=re.I).strip()
    return [subject] if subject else []
