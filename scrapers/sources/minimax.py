"""MiniMax's pay-as-you-go pricing page (``platform.minimax.io/docs/guides/pricing.md``) -> price facts.

What the page looks like: one ``##`` section per product line. **Text** holds the token price table
``Model | Input | Output | Prompt caching Read | Prompt caching Write`` (cells ``$0.3 / M tokens``; a model
cell may carry a note after ``<br/>``, "High Concurrency, Commercial Use") followed by a rate-limit table
(``API | Model | RPM | TPM``). **Audio** (per character, per voice), **Video** (per clip), **Music** (per
song) and **Image** (per image) have ``Price`` tables.

Choices:

* Text models only. Their columns map to ``input``, ``output``, ``cache_read`` (prompt caching read) and
  ``cache_write`` (prompt caching write: the page gives one write price, with no 5m/1h split). Any other
  column in a text price table is layout drift; the rate-limit table is not a price table.
* Every priced row of the Audio, Video, Music and Image tables becomes an ``Exclusion``: they are real
  prices but per character, clip, song, voice or image, not per token. ``-``/``Free`` cells likewise.
* The currency is the cell's own symbol: ``$`` on platform.minimax.io (USD), ``¥`` on the Chinese site
  (CNY, stored as published with ``usd_per_mtok=None``).
* ``model_id`` is the API model name lowercased (``MiniMax-M2`` -> ``minimax-m2``); ``model_name`` keeps the
  published casing without the note line.
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector, norm_header
from scrapers.markdown_tables import Table, extract_tables, split_annotations
from scrapers.records import CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "minimax"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://platform.minimax.io/docs/guides/pricing.md"
PROVIDER_ID = "minimax"

#: text price table header (normalised) -> token type, or "ignore". Anything else is drift.
TEXT_COLUMNS: dict[str, str] = {
    "input": "input", "input price": "input", "input tokens": "input",
    "output": "output", "output price": "output", "output tokens": "output",
    "prompt caching read": "cache_read", "cache read": "cache_read", "cached input": "cache_read",
    "prompt caching write": "cache_write", "cache write": "cache_write",
    "context window": "ignore", "context": "ignore", "description": "ignore",
}
NON_TEXT_SECTIONS = ("audio", "video", "music", "image", "speech", "voice")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """MiniMax pricing markdown -> text-model token prices; audio/video/music/image rows as exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        tables = extract_tables(text)
        text_tables = [t for t in tables if _is_model_table(t) and norm_header(t.headers[1]) in TEXT_COLUMNS]
        if not text_tables:
            raise self.drift("no text price table found (Model | Input | Output ...)")
        for table in text_tables:
            self.read_text(table)
        for table in tables:
            section = _section(table)
            if section and table not in text_tables and "price" in map(norm_header, table.headers):
                self.read_other(table, section)
        if not self.collect.facts:
            raise self.drift("text price table found but no price facts read")
        return self.collect.result()

    def read_text(self, table: Table) -> None:
        token_types = []
        for header in table.headers[1:]:
            token_type = TEXT_COLUMNS.get(norm_header(header))
            if token_type is None:
                raise self.drift(f"unknown column {header!r} in the text price table (line {table.line})")
            token_types.append(token_type)
        if not {"input", "output"} <= set(token_types):
            raise self.drift(f"text price table (line {table.line}) lacks input or output columns")
        for row in table.rows:
            if any(row[len(table.headers):]):
                raise self.drift(f"row {row[0]!r} (table at line {table.line}) has more cells than headers")
            if not any(row):
                continue
            name, _ = split_annotations(row[0])
            model_id = name.lower()
            if not _ID_RE.match(model_id):
                raise self.drift(f"text price table (line {table.line}): {name!r} is not an API model name")
            for header, token_type, cell in zip(table.headers[1:], token_types, row[1:], strict=False):
                if token_type != "ignore":
                    self.add(model_id, name, token_type, cell, header)

    def read_other(self, table: Table, section: str) -> None:
        price_col = list(map(norm_header, table.headers)).index("price")
        model_col = next((i for i, h in enumerate(table.headers) if norm_header(h) == "model"), 0)
        for row in table.rows:
            if price_col >= len(row) or not row[price_col]:
                continue
            item = ", ".join(line.lstrip("•·- ").strip() for line in row[model_col].split("\n") if line.strip())
            self.exclude(item or section, f"{section}: {table.headers[price_col]}",
                         f"{section} is priced per character, clip, song, voice or image, not per token "
                         f"(text models only): {row[price_col]!r}")

    def add(self, model_id: str, name: str, token_type: str, cell: str, field: str) -> None:
        if is_no_price(cell) or cell.strip().lower() in ("free", "contact sales"):
            self.exclude(model_id, field, f"no price published ({cell!r})")
            return
        price = self.collect.parse_price(cell, where=f"{name} / {field}")
        self.collect.price(model_id, token_type, price, model_name=name, raw=cell, label=f"{name} {token_type}")


def _is_model_table(table: Table) -> bool:
    return len(table.headers) > 1 and norm_header(table.headers[0]) == "model"


def _section(table: Table) -> str | None:
    """The non-text product section a table sits in ("Audio", "Video" ...), if any."""
    for heading in reversed(table.heading_path):
        if any(word in heading.lower() for word in NON_TEXT_SECTIONS):
            return heading
    return None
