"""Groq's pricing page (``groq.com/pricing``, server-rendered HTML) -> token prices and published speeds.

What the page looks like: a Next.js page of ``<table>`` sections under ``<h2>`` headings. **Large Language
Models**: ``AI Model | Current Speed (Tokens per Second) | Input Token Price (Per Million Tokens) |
Output Token Price (Per Million Tokens)``, cells such as ``1,000 TPS`` and ``$0.075`` followed by
``(13.3M / $1)*`` (tokens per dollar), plus a header-less last cell with "Try Now" / "Model Card" links.
Every body cell repeats its column header in a mobile-only label. Then **Enterprise-only** LLMs (a model
column and a "Contact us" link), **Text-to-Speech** (per 1M characters), **ASR** (per hour transcribed),
**Prompt Caching** (``Model | Uncached Input Tokens | Cached Input Tokens | Output Tokens``, the model
named by its API id), and **Built-in tools** (per request / per hour).

Choices:

* Tables are found by header text, never by CSS class (the class names are build hashes). A table whose
  first header is a model column and whose headers mention tokens is a *token table*: every column must
  be known (model, speed, input, cached input, output, or the header-less links column) or it is drift.
  Model tables without token columns (enterprise-only, TTS, ASR) give one ``Exclusion`` per row: their
  rows are real but carry no per-token price. Tables that are not about models (tools) are ignored.
* A cell's own copy of its header (the mobile label) is dropped; the value is the first remaining text
  that does not start with ``(``; a trailing ``(13.3M / $1)*`` hint (tokens per dollar, derived, not a
  price) is cut off a price or speed.
* Prices: bare amounts take the unit from the header's ``(Per Million Tokens)``; USD. All prices are
  ``standard`` tier, ``context_band="all"``, text. The page's Batch API (50% off) is prose, not a
  per-model price, so it is not multiplied out here.
* Speed: ``Current Speed`` -> ``PerformanceFact(metric="output_tokens_per_second", unit="tokens/s")``.
* Identity: ``model_id`` is the Groq API id from the row's Model Card link
  (``console.groq.com/docs/model/openai/gpt-oss-20b`` -> ``openai/gpt-oss-20b``), else its playground
  link, else a slug of the name. A link is only trusted when every parameter size in the name (``20B``)
  appears in it: the real page links "GPT OSS Safeguard 20B" to the 120B model card, so such a row gets
  the link's org prefix plus a slug of its name (``openai/gpt-oss-safeguard-20b``). In the caching
  table the model cell is already an API id. ``model_name`` is the published name (``GPT OSS 20B 128k``).
* The same fact stated twice (LLM and caching tables) is kept once; the same key with two prices is drift.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bs4 import BeautifulSoup, Tag

from scrapers.facts import FactCollector
from scrapers.records import CaptureMeta, ParseResult, PerformanceFact
from scrapers.units import is_no_price

SOURCE_ID = "groq"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://groq.com/pricing"
PROVIDER_ID = "groq"

MODEL = "model"
SPEED = "speed"
LINKS = "links"
#: normalised header (parenthetical removed) -> role. Anything else in a token table is layout drift.
COLUMNS: dict[str, str] = {
    "ai model": MODEL, "model": MODEL, "model name": MODEL,
    "current speed": SPEED, "speed": SPEED, "output speed": SPEED,
    "input token price": "input", "input price": "input", "input tokens": "input", "input": "input",
    "uncached input tokens": "input", "uncached input": "input", "uncached input token price": "input",
    "cached input tokens": "cache_read", "cached input": "cache_read", "cached input token price": "cache_read",
    "output token price": "output", "output price": "output", "output tokens": "output", "output": "output",
    "": LINKS,
}
TOKEN_TYPES = {"input", "cache_read", "output"}

_CARD_RE = re.compile(r"console\.groq\.com/docs/model/([\w.\-]+(?:/[\w.\-]+)?)/?$")
_PLAYGROUND_RE = re.compile(r"[?&]model=([\w.\-]+(?:/[\w.\-]+)?)")
_API_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._\-]*(?:/[a-z0-9._\-]+)?$")
_SIZE_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)b\b", re.IGNORECASE)
_SPEED_RE = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(?:tps|t/s|tokens?\s*(?:/|per)\s*s(?:ec(?:ond)?)?)?$", re.IGNORECASE)
#: a trailing "(13.3M / $1)*" hint in the same text node as the price
_HINT_RE = re.compile(r"\s*\([^()]*\)\s*\**$")
_UNIT_RE = re.compile(r"per\s+(million|m|1m)\s+tokens?", re.IGNORECASE)


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Groq pricing HTML -> price facts, speed facts, exclusions."""
    return _Parser(meta).run(body)


def model_id_for(name: str, hrefs: list[str]) -> str:
    """The API id for a published model name, from the row's links (see module docstring)."""
    candidates = [m.group(1) for h in hrefs if (m := _CARD_RE.search(h))]
    candidates += [m.group(1) for h in hrefs if (m := _PLAYGROUND_RE.search(h))]
    sizes = [s.lower() for s in _SIZE_RE.findall(name)]
    for candidate in candidates:
        candidate = candidate.lower()
        if all(re.search(rf"(?<![\d.]){re.escape(size)}b", candidate) for size in sizes):
            return candidate
    slug = re.sub(r"\s+\d+k$", "", name.strip(), flags=re.IGNORECASE)
    slug = re.sub(r"[^a-z0-9.]+", "-", slug.lower()).strip("-")
    org = next((c.lower().split("/")[0] + "/" for c in candidates if "/" in c), "")
    return org + slug


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude
        self.speeds: dict[str, PerformanceFact] = {}
        self.names: dict[str, str] = {}

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        soup = BeautifulSoup(text, "lxml")
        token_tables = 0
        for table in soup.find_all("table"):
            headers, rows = _headers_and_rows(table)
            if not headers or _norm(headers[0][0]) not in COLUMNS or COLUMNS[_norm(headers[0][0])] != MODEL:
                continue  # not a model table (tools, or no header row)
            title = _heading(table)
            if any("token" in full.lower() for full, _ in headers):
                token_tables += 1
                self.read_token_table(headers, rows, title)
            else:
                self.read_other_table(headers, rows, title)
        if not token_tables:
            raise self.drift("no token price table (a model column and token price columns) found")
        if not self.collect.facts:
            raise self.drift("no price facts found in the token price tables")
        return self.collect.result(performance=list(self.speeds.values()))

    # -- tables -------------------------------------------------------------------------------------

    def read_token_table(self, headers: list[tuple[str, list[str]]], rows: list[Tag], title: str) -> None:
        roles = []
        for full, _ in headers:
            role = COLUMNS.get(_norm(full))
            if role is None:
                raise self.drift(f"unknown column {full!r} in the {title!r} table")
            roles.append(role)
        if MODEL not in roles or not TOKEN_TYPES & set(roles):
            raise self.drift(f"the {title!r} table has no model or no token price column")
        for tr in rows:
            cells = tr.find_all(["td", "th"], recursive=False)
            if not cells:
                continue
            values = [_value(cell, headers[i][1] if i < len(headers) else []) for i, cell in enumerate(cells)]
            hrefs = [a.get("href", "") for a in tr.find_all("a")]
            name = values[roles.index(MODEL)]
            if not name:
                raise self.drift(f"a row of the {title!r} table has no model name")
            model_id = name.lower() if _API_ID_RE.match(name.lower()) and "/" in name else model_id_for(name, hrefs)
            model_name = self.names.setdefault(model_id, name)
            for i, role in enumerate(roles):
                if i >= len(values) or role in (MODEL, LINKS):
                    continue
                header = headers[i][0]
                if role == SPEED:
                    self.add_speed(model_id, model_name, values[i], header)
                else:
                    self.add_price(model_id, model_name, role, values[i], header)

    def read_other_table(self, headers: list[tuple[str, list[str]]], rows: list[Tag], title: str) -> None:
        priced = ", ".join(full for full, _ in headers[1:]) or "no price column"
        for tr in rows:
            cells = tr.find_all(["td", "th"], recursive=False)
            if not cells:
                continue
            name = _value(cells[0], headers[0][1])
            if not name:
                continue
            hrefs = [a.get("href", "") for a in tr.find_all("a")]
            row_text = tr.get_text(" ", strip=True).lower()
            if "contact" in row_text:
                reason = "no public price: contact sales (enterprise access)"
            else:
                reason = f"not priced per token ({priced})"
            self.exclude(model_id_for(name, hrefs), title, reason)

    # -- facts --------------------------------------------------------------------------------------

    def add_price(self, model_id: str, model_name: str, token_type: str, cell: str, header: str) -> None:
        cell = _HINT_RE.sub("", cell)
        if is_no_price(cell) or cell.strip().lower() in {"free", "contact us"}:
            self.exclude(model_id, header, f"no price published ({cell!r})")
            return
        unit = _UNIT_RE.search(header)
        price = self.collect.parse_price(cell, where=f"{model_name} / {header}",
                                         default_unit=f"{unit.group(1)} tokens" if unit else None)
        self.collect.price(model_id, token_type, price, model_name=model_name, raw=cell,
                           label=f"{model_id} {token_type}")

    def add_speed(self, model_id: str, model_name: str, cell: str, header: str) -> None:
        cell = _HINT_RE.sub("", cell)
        if is_no_price(cell):
            self.exclude(model_id, header, f"no speed published ({cell!r})")
            return
        match = _SPEED_RE.match(cell.strip())
        try:
            value = Decimal(match.group(1).replace(",", "")) if match else None
        except InvalidOperation:
            value = None
        if value is None:
            raise self.drift(f"{model_name} / {header}: unreadable speed {cell!r}")
        self.speeds.setdefault(model_id, PerformanceFact(
            **self.collect.provenance, provider_id=PROVIDER_ID, model_id=model_id, model_name=model_name,
            metric="output_tokens_per_second", value=value, unit="tokens/s", raw_value=cell,
        ))


# -- HTML helpers -----------------------------------------------------------------------------------


def _headers_and_rows(table: Tag) -> tuple[list[tuple[str, list[str]]], list[Tag]]:
    """Header cells as ``(full text, text pieces)`` and the body rows (``<tr>`` of this table only)."""
    trs = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    if not trs:
        return [], []
    head = table.find("thead")
    header_tr = head.find("tr") if head else (trs[0] if trs[0].find("th") else None)
    if header_tr is None:
        return [], trs
    headers = []
    for cell in header_tr.find_all(["th", "td"], recursive=False):
        pieces = [s.strip() for s in cell.stripped_strings]
        headers.append((" ".join(pieces), pieces))
    return headers, [tr for tr in trs if tr is not header_tr]


def _value(cell: Tag, header_pieces: list[str]) -> str:
    """A body cell's value: its text minus its copy of the header and minus parenthetical hints."""
    drop = {_norm(p) for p in header_pieces} | {_norm(" ".join(header_pieces))}
    for piece in cell.stripped_strings:
        piece = re.sub(r"\s+", " ", piece).strip()
        if not piece or _norm(piece) in drop or piece.startswith("("):
            continue
        return piece.rstrip("*").strip()
    return ""


def _heading(table: Tag) -> str:
    heading = table.find_previous(["h1", "h2", "h3", "h4"])
    caption = table.find("caption")
    if heading is not None:
        return heading.get_text(" ", strip=True)
    return caption.get_text(" ", strip=True) if caption else "pricing"


def _norm(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip().lower()
