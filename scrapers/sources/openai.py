"""OpenAI's pricing page (markdown rendering of developers.openai.com/api/docs/pricing) -> price facts.

What the page looks like: one ``### Text tokens`` section ("Prices per 1M tokens.") holding one table per
service tier. The tier is a tab: crawled renderings print the tab strip ("BatchFlexStandardPriority") and
then the active tab's name on its own line right above each table ("Batch", "Flex", ...); MDX renderings
wrap each table in ``<Tab title="Batch">``. Tables are ``| Model | Input | Cached input | Output |`` with
bare dollar amounts per 1M tokens and "-" where a price does not exist.

What is read, and why:

* **Text tokens** tables -> ``input``, ``cache_read`` ("Cached input") and ``output`` facts for the
  ``standard``, ``batch``, ``flex`` and ``priority`` tiers. The tier comes from the enclosing tab container,
  else the label line right above the table, else a tier heading; a section with several tables and no
  readable tier label is drift (we never guess which table is which tier).
* **Legacy models** tables (same shape and tabs, input/output only) are read the same way: they are text
  token prices of older models (gpt-4-32k, gpt-3.5-turbo ...) and belong on the cost curve.
* Long-context prices -> context bands. The current page adds a second column group for prompts over
  272K input tokens; renderings name it in the headers ("Long context input", "Input (>272K)") or lose
  the group row and repeat the headers ("Input | Output | Input | Output": the second group is long
  context). The threshold comes from a header, a row label ("gpt-5.4 (<272K context length)") or the
  section prose; long-context columns without a stated threshold are drift. A model with a long-context
  price gets ``<=272k`` for its other prices and ``>272k`` for the long ones (a row labelled with a
  length, ``(<272K ...)`` / ``(>272K ...)``, likewise); a model without one keeps ``context_band="all"``,
  because its price does not depend on prompt length.
* "Cached input" -> ``cache_read``; a "Cache writes" column (newer models) -> ``cache_write``. Cells are bare
  dollar amounts per 1M tokens, the unit the section prose states; prose stating another unit is drift.
* A page that renames "Text tokens" still parses when its Model tables sit under tier headings
  ("### Standard pricing data").
* "-" (or empty) cells -> an ``Exclusion`` (e.g. no cached-input price for gpt-5-pro), never a fact.

An unknown column header in a text-token table, a price ``units.py`` does not know, or zero facts raise
``LayoutDriftError``. The same fact stated twice is kept once; the same key with two prices is drift.

* **Image tokens** and **Audio tokens** tables (same shape, "Prices per 1M tokens.") -> facts with
  ``modality="image"`` / ``"audio"``; so are the "Text tokens" / "Audio tokens" subsections of
  *Transcription and speech generation*, whose "Estimated cost" column (dollars per minute) becomes an
  ``Exclusion`` per row, never a fact. The nearest token heading names the modality.

Not per-token prices of a model, so not facts: Video (per second), Fine-tuning (training prices and
fine-tuned model inference), Built-in tools, AgentKit, Image generation (per image), Embeddings,
Moderation, the transcription "Other models" (per minute, per character). Nothing vanishes unsaid: each
such table that shows a price is one ``Exclusion`` naming its section and the reason (``OTHER_SECTIONS``).

Identity: the model cell is already the API id (``gpt-5.2``, ``o4-mini``); ``model_id`` is it lowercased
(spaces, if any, become "-"), ``model_name`` is the cell as published without trailing parentheticals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from scrapers.facts import FactCollector, norm_header
from scrapers.markdown_tables import Table, extract_tables, split_annotations
from scrapers.records import ALL_CONTEXT, CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "openai"
PARSER_VERSION = "3"  # 3: a capture cut short is layout drift (scrapers.truncation)
URL = "https://developers.openai.com/api/docs/pricing.md"
PROVIDER_ID = "openai"

#: Column header (band words removed, normalised) -> token type. Anything else is layout drift.
PRICE_COLUMNS: dict[str, str] = {
    "input": "input",
    "input tokens": "input",
    "cached input": "cache_read",
    "cached input tokens": "cache_read",
    "cache read": "cache_read",
    "cache reads": "cache_read",
    "cache write": "cache_write",
    "cache writes": "cache_write",
    "output": "output",
    "output tokens": "output",
}
MODEL_COLUMN = "model"
TIERS = ("standard", "batch", "flex", "priority")
#: Words that may follow a tier name in its label ("Standard (default)", "Batch pricing data").
TIER_LABEL_WORDS = {"default", "pricing", "prices", "data", "tier", "processing", "api"}
#: Sections whose tables are per-token prices (a heading containing these words) -> the tokens' modality.
TOKEN_SECTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("text", "tokens"), "text"),
    (("legacy", "models"), "text"),
    (("image", "tokens"), "image"),
    (("audio", "tokens"), "audio"),
)
#: Parent headings whose tables are not per-token prices of a model, with the reason they are not read.
#: Their priced tables become one exclusion each (nothing on the page vanishes unsaid).
OTHER_SECTIONS: tuple[tuple[str, str], ...] = (
    ("fine-tuning", "fine-tuning: training prices and fine-tuned model inference, not modelled"),
    ("fine tuning", "fine-tuning: training prices and fine-tuned model inference, not modelled"),
    ("video", "priced per second of video, not per token"),
    ("image generation", "priced per image, not per token"),
    ("built-in tools", "tool calls and storage, priced per call, container or GB, not per token"),
    ("agentkit", "storage priced per GB-day, not per token"),
    ("embeddings", "embedding model: out of scope (generation prices only)"),
    ("moderation", "moderation models: not generation prices"),
    ("other models", "priced per minute or per character, not per token"),
)
#: Column of the transcription tables: a per-minute estimate beside the per-token prices.
ESTIMATE_COLUMN_RE = re.compile(r"^estimated\s+cost", re.IGNORECASE)

_BAND_RE = re.compile(r"(≤|<=|≥|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([km])\b", re.IGNORECASE)
_LENGTH_WORDS_RE = re.compile(r"\b(short|long)[\s-]*context\b", re.IGNORECASE)
_THRESHOLD_RE = re.compile(
    r"(?:>|≥|>=|over|above|exceeds?|exceeding|more than)\s*(\d+(?:\.\d+)?)\s*([km])\b", re.IGNORECASE
)
_NOISE_RE = re.compile(r"\b(?:context(?:\s+length|\s+window)?|tokens|prompts?|price|per 1m)\b|[():,]", re.IGNORECASE)


@dataclass(frozen=True)
class _Column:
    index: int
    header: str
    token_type: str
    #: "" when the header names no prompt length, else "short" or "long"
    length: str = ""
    #: a per-minute estimate: recorded as an exclusion, never a fact
    estimate: bool = False


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """OpenAI pricing markdown -> text-token price facts (four tiers, context bands) and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift = self.collect.drift

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        all_tables = extract_tables(text)
        tables = [t for t in all_tables if _modality(t) is not None]
        if not any(t.under("text", "tokens") for t in tables):
            # heading renamed: fall back to Model tables sitting directly under a tier heading
            tables = [t for t in all_tables if _is_model_table(t) and _tier_word(t.heading_path[-1] if t.heading_path else "")]
        if not tables:
            raise self.drift("no 'Text tokens' price table found")
        sections: dict[tuple[str, ...], list[Table]] = {}
        for table in tables:
            sections.setdefault(table.heading_path, []).append(table)
        for section in sections.values():
            self.check_unit(section[0])
            for table in section:
                self.read_table(table, self.tier_of(table, alone=len(section) == 1), _modality(table) or "text")
        for table in all_tables:
            if table not in tables and any("$" in cell for row in table.rows for cell in row):
                self.exclude_table(table)
        if not self.collect.facts:
            raise self.drift("no price facts found in the text-token tables")
        return self.collect.result()

    def exclude_table(self, table: Table) -> None:
        """A priced table that holds no per-token model prices: one exclusion, with the section's reason."""
        section = " > ".join(table.heading_path) or "page"
        lowered = [h.lower() for h in table.heading_path]
        reason = next((why for word, why in OTHER_SECTIONS if any(word in h for h in lowered)),
                      "not a per-token price table of a model (no Model column under a token-price heading)")
        self.collect.exclude(section, f"table at line {table.line} ({', '.join(table.headers)})", reason)

    # -- tables -------------------------------------------------------------------------------------

    def check_unit(self, table: Table) -> None:
        """Cells are bare amounts; the section prose says per what ("Prices per 1M tokens."). Any other
        unit stated there, known or not, is drift."""
        self.collect.check_stated_units(table.preceding_text, expected="1M tokens",
                                        where=f"section {' > '.join(table.heading_path)!r}")

    def tier_of(self, table: Table, *, alone: bool) -> str:
        """The tab a table sits in: its container, the label line above it, or a tier heading."""
        for container in reversed(table.containers):
            if (tier := _tier_word(container.rpartition(":")[2])) is not None:
                return tier
        lines = [line for line in table.preceding_text.split("\n") if line.strip()]
        if lines and (tier := _tier_word(lines[-1])) is not None:
            return tier
        if table.heading_path and (tier := _tier_word(table.heading_path[-1])) is not None:
            return tier
        if alone:
            return "standard"
        raise self.drift(
            f"cannot tell the service tier of the table at line {table.line} under {' > '.join(table.heading_path)!r}"
        )

    def columns(self, table: Table) -> list[_Column]:
        if not _is_model_table(table):
            raise self.drift(f"text-token table at line {table.line} does not start with a Model column")
        columns = []
        for index, header in enumerate(table.headers[1:], start=1):
            if ESTIMATE_COLUMN_RE.match(header):
                columns.append(_Column(index, header, "", estimate=True))
                continue
            length = ""
            if match := _BAND_RE.search(header):
                length = "long" if match.group(1) in (">", ">=", "≥") else "short"
            elif match := _LENGTH_WORDS_RE.search(header):
                length = match.group(1).lower()
            base = norm_header(_NOISE_RE.sub(" ", _LENGTH_WORDS_RE.sub(" ", _BAND_RE.sub(" ", header))))
            token_type = PRICE_COLUMNS.get(base)
            if token_type is None:
                raise self.drift(f"unknown column {header!r} in the text-token table at line {table.line}")
            columns.append(_Column(index, header, token_type, length))
        priced = [c for c in columns if not c.estimate]
        if not any(c.length for c in priced):
            # a flat header row that repeats the columns ("Input | Output | Input | Output"): the page's
            # merged group header (short context | long context) was lost; the second group is long context
            first = {}
            for column in priced:
                first.setdefault(column.token_type, column.index)
            if len(first) < len(priced):
                columns = [c if c.estimate else replace(c, length="short" if first[c.token_type] == c.index else "long")
                           for c in columns]
        keys = [(c.token_type, c.length) for c in columns if not c.estimate]
        if len(set(keys)) < len(keys):
            raise self.drift(f"text-token table at line {table.line} repeats a column: {table.headers}")
        if not {"input", "output"} <= {c.token_type for c in columns}:
            raise self.drift(f"text-token table at line {table.line} lacks input or output columns")
        return columns

    def threshold(self, table: Table) -> str | None:
        """The prompt length that separates short from long context, e.g. ``"272k"``."""
        rows = [split_annotations(row[0])[1] for row in table.rows if row]
        for text in (*table.headers, *(note for notes in rows for note in notes)):
            if match := _BAND_RE.search(text):
                return f"{match.group(2)}{match.group(3).lower()}"
        if match := _THRESHOLD_RE.search(table.preceding_text):
            return f"{match.group(1)}{match.group(2).lower()}"
        return None

    def read_table(self, table: Table, tier: str, modality: str = "text") -> None:
        columns = self.columns(table)
        threshold = self.threshold(table)
        if threshold is None and any(c.length for c in columns):
            raise self.drift(f"table at line {table.line} has long-context columns but states no threshold")
        for row in table.rows:
            if not any(row):
                continue
            if len(row) > len(table.headers):
                raise self.drift(f"row {row[0]!r} at line {table.line} has more cells than headers")
            name, notes = split_annotations(row[0])
            if not name:
                raise self.drift(f"text-token table at line {table.line} has a row without a model name")
            row_band = next((m for note in notes if (m := _BAND_RE.search(note))), None)
            row_length = "" if row_band is None else ("long" if row_band.group(1) in (">", ">=", "≥") else "short")
            limit = threshold or (row_band and f"{row_band.group(2)}{row_band.group(3).lower()}")
            long_priced = any(c.length == "long" and not is_no_price(row[c.index]) for c in columns)
            for column in columns:
                if column.estimate:
                    if not is_no_price(row[column.index]):
                        where = column.header if modality == "text" else f"{modality} {column.header}"
                        self.collect.exclude(re.sub(r"\s+", "-", name.strip().lower()), f"{tier}: {where}",
                                             f"per-minute estimate ({row[column.index]!r}), not a per-token price")
                    continue
                if "long" in (column.length, row_length):
                    band = f">{limit}"
                elif long_priced or row_length == "short":
                    band = f"<={limit}"
                else:  # no long-context price: the price does not depend on prompt length
                    band = ALL_CONTEXT
                self.add(name, column, row[column.index], tier=tier, band=band, modality=modality)

    # -- facts --------------------------------------------------------------------------------------

    def add(self, name: str, column: _Column, cell: str, *, tier: str, band: str, modality: str) -> None:
        model_id = re.sub(r"\s+", "-", name.strip().lower())
        field = f"{tier}: {column.header}" if modality == "text" else f"{tier}: {modality} {column.header}"
        if is_no_price(cell):
            reason = f"no price published ({cell!r})" if cell else "empty cell"
            self.collect.exclude(model_id, field, reason)
            return
        price = self.collect.parse_price(cell, where=f"{name} / {field}", default_unit="1M tokens")
        self.collect.price(model_id, column.token_type, price, model_name=name, raw=cell, tier=tier, band=band,
                           modality=modality, label=f"{name} {column.token_type}/{tier}/{band}/{modality}")


def _modality(table: Table) -> str | None:
    """The modality of a per-token price table ("Text tokens", "Audio tokens" ... the nearest such heading
    wins, so "Transcription > Audio tokens" is audio), or None for any other table."""
    for heading in reversed(table.heading_path):
        lowered = heading.lower()
        for words, modality in TOKEN_SECTIONS:
            if all(word in lowered for word in words):
                return modality
    return None


def _tier_word(text: str) -> str | None:
    """ "Batch" / "Standard (default)" / "Flex pricing data" -> the tier; a sentence -> None."""
    words = re.findall(r"[a-z]+", text.lower())
    if words and words[0] in TIERS and set(words[1:]) <= TIER_LABEL_WORDS:
        return words[0]
    return None


def _is_model_table(table: Table) -> bool:
    return bool(table.headers) and norm_header(table.headers[0]) == MODEL_COLUMN
