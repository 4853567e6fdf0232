"""Anthropic's pricing page (markdown rendering) -> price facts.

What is read, and why:

* **Model pricing** table: one row per model; columns map to ``input``, ``cache_write_5m``,
  ``cache_write_1h``, ``cache_read`` ("Cache Hits & Refreshes") and ``output``. An unknown column header
  raises layout drift: a new price dimension must be noticed, not dropped.
* **Batch processing** table: ``service_tier="batch"`` input and output. Required on every page whose
  model table has cache columns (the current layout): such a page without it has changed shape. A model
  table of input and output only is the older layout (anthropic.com/api as captured on 2024-04-01: Claude 3
  input/output per MTok, no batch prices anywhere on the page); it is read without batch prices.
* **Long context pricing**: prompts over 200K tokens cost more for the models named in that section.
  The real page's table has no model column ("≤ 200K input tokens | > 200K input tokens" with cells such
  as "Input: $3 / MTok") and names the models in its prose ("When using Claude Sonnet 4 or Sonnet 4.5 ...");
  a rendering with a Model column is read too. The section is optional (models may stop having a
  surcharge), but if its heading is present and no table can be read, that is drift.

Context bands: every model's standard-table and batch-table prices keep ``context_band="all"`` (the price
of a request without the 1M-context option, which is what a headline price series wants). Models in the
long-context section *additionally* get ``"<=200k"`` and ``">200k"`` facts from that table, so the
surcharge is queryable without changing the meaning of ``"all"``. Combinations the page only states as
rules (batch discount or cache multipliers on top of long-context prices) are not multiplied out here.

Identity: ``model_id`` is the lowercase API id: "Claude Opus 4.5" -> ``claude-opus-4-5``, pre-4 names put
the version first ("Claude Haiku 3.5" -> ``claude-3-5-haiku``). ``model_name`` is the published name
without parentheticals such as "(deprecated)". A name outside the Opus/Sonnet/Haiku pattern falls back to
a slug of the name, for the crosswalk to map.

Tables are known by what they are, headings second: a Model table whose columns are all price columns
we know (with "Base Input Tokens") is the model table, one whose columns are all "Batch input/output" the
batch table, one whose columns all name a prompt length the long-context table, whatever the headings
around them say or wherever the sections sit; a heading whose text is on the line after its ``##`` marks
reads as that heading (``markdown_tables.join_split_headings``).

The same fact stated twice (a page whose body is repeated) is kept once; the same key with two different
prices is drift. Other tables (tool use, token counts) are ignored.
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector, norm_header
from scrapers.markdown_tables import Table, extract_tables, join_split_headings, split_annotations
from scrapers.records import ALL_CONTEXT, CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "anthropic"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://platform.claude.com/docs/en/about-claude/pricing.md"
PROVIDER_ID = "anthropic"

#: Model-pricing column headers (normalised) -> token type. Anything else is layout drift.
PRICE_COLUMNS: dict[str, str] = {
    "base input tokens": "input",
    "base input": "input",
    "input tokens": "input",
    "input": "input",
    "5m cache writes": "cache_write_5m",
    "5-minute cache writes": "cache_write_5m",
    "5 minute cache writes": "cache_write_5m",
    "1h cache writes": "cache_write_1h",
    "1-hour cache writes": "cache_write_1h",
    "1 hour cache writes": "cache_write_1h",
    "cache hits & refreshes": "cache_read",
    "cache hits and refreshes": "cache_read",
    "cache hits": "cache_read",
    "cache reads": "cache_read",
    "output tokens": "output",
    "output": "output",
}
BATCH_COLUMNS: dict[str, str] = {"batch input": "input", "batch output": "output"}
MODEL_COLUMN = "model"

_FAMILY_RE = re.compile(
    r"(?:Claude\s+)?(?:(?P<fam>Opus|Sonnet|Haiku)\s+(?P<ver>\d+(?:\.\d+)?)\b"
    r"|(?P<ver2>\d+(?:\.\d+)?)\s+(?P<fam2>Opus|Sonnet|Haiku)\b)",
    re.IGNORECASE,
)
_BAND_RE = re.compile(r"(≤|<=|≥|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([km])\b", re.IGNORECASE)
_BAND_OPS = {"≤": "<=", "<=": "<=", "≥": ">=", ">=": ">=", "<": "<", ">": ">"}
_LONG_CONTEXT_HEADING_RE = re.compile(r"(?im)^\s*#{1,6}\s+.*long[\s-]context")


def model_id_for(name: str) -> str:
    """Published model name -> canonical lowercase API id (see module docstring)."""
    match = _FAMILY_RE.fullmatch(name.strip())
    if match:
        family = (match["fam"] or match["fam2"]).lower()
        version = (match["ver"] or match["ver2"]).replace(".", "-")
        major = int(version.split("-")[0])
        return f"claude-{family}-{version}" if major >= 4 else f"claude-{version}-{family}"
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def model_mentions(text: str) -> list[str]:
    """Model names mentioned in prose, normalised: "Claude Sonnet 4 or Sonnet 4.5" -> both, in order."""
    names: list[str] = []
    for match in _FAMILY_RE.finditer(text):
        family = (match["fam"] or match["fam2"]).capitalize()
        version = match["ver"] or match["ver2"]
        name = f"Claude {family} {version}"
        if name not in names:
            names.append(name)
    return names


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Anthropic pricing markdown -> price facts (standard, batch, long-context bands) and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, provider_id=PROVIDER_ID)
        self.drift = self.collect.drift
        self.names: dict[str, str] = {}  # model_id -> published name

    def run(self, body: bytes) -> ParseResult:
        text = join_split_headings(self.collect.text(body))  # "##" on one line, its text on the next
        tables = extract_tables(text)
        # a table is known by its header row first (every price column one we know), by its heading second:
        # a Model table under "Model pricing" with a column we do not know is drift, not something to skip
        model_tables = [t for t in tables if _has_model_column(t) and (
            t.under("model pricing") or _columns_in(t, PRICE_COLUMNS) and "base input tokens" in map(norm_header, t.headers))]
        if not model_tables:
            raise self.drift("no 'Model pricing' table found")
        columns: set[str] = set()
        for table in model_tables:
            columns |= self.read_model_table(table, PRICE_COLUMNS, service_tier="standard", what="model pricing")

        batch_tables = [t for t in tables if _has_model_column(t) and t not in model_tables
                        and (t.under("batch") or _columns_in(t, BATCH_COLUMNS))]
        if not batch_tables and columns != {"input", "output"}:
            raise self.drift("no 'Batch processing' table found")
        for table in batch_tables:
            self.read_model_table(table, BATCH_COLUMNS, service_tier="batch", what="batch")

        long_tables = [t for t in tables if t.under("long", "context") or _band_table(t)]
        if _LONG_CONTEXT_HEADING_RE.search(text) and not long_tables:
            raise self.drift("'Long context pricing' section has no table")
        for table in long_tables:
            self.read_long_context(table)

        if not self.collect.facts:
            raise self.drift("no price facts found")
        return self.collect.result()

    # -- tables -------------------------------------------------------------------------------------

    def read_model_table(self, table: Table, columns: dict[str, str], *, service_tier: str, what: str) -> set[str]:
        """Read one model table; returns the token types of its columns."""
        token_types = []
        for header in table.headers[1:]:
            token_type = columns.get(norm_header(header))
            if token_type is None:
                raise self.drift(f"unknown column {header!r} in the {what} table (line {table.line})")
            token_types.append(token_type)
        if not {"input", "output"} <= set(token_types):
            raise self.drift(f"{what} table (line {table.line}) lacks input or output columns")
        for row in table.rows:
            if not any(row):
                continue
            if len(row) > len(table.headers):
                raise self.drift(f"row {row[0]!r} of the {what} table has more cells than headers")
            name, _ = split_annotations(row[0])
            if not name:
                raise self.drift(f"{what} table (line {table.line}) has a row without a model name")
            for header, token_type, cell in zip(table.headers[1:], token_types, row[1:], strict=False):
                self.add(name, token_type, cell, service_tier=service_tier, field=header)
        return set(token_types)

    def read_long_context(self, table: Table) -> None:
        model_col = next((i for i, h in enumerate(table.headers) if norm_header(h) == MODEL_COLUMN), None)
        bands: dict[int, tuple[str, str | None]] = {}
        for i, header in enumerate(table.headers):
            if i == model_col:
                continue
            bands[i] = self.band_column(header)
        if not bands:
            raise self.drift(f"long-context table (line {table.line}) has no context-band columns")
        prose_models = None if model_col is not None else self.prose_models(table)
        for row in table.rows:
            if not any(row):
                continue
            models = prose_models if model_col is None else self.cell_models(row[model_col])
            for i, (band, column_type) in bands.items():
                for label, value, raw in self.labelled_prices(row[i] if i < len(row) else "", column_type):
                    for name in models:
                        self.add(name, label, value, context_band=band, field=table.headers[i], raw=raw)

    def band_column(self, header: str) -> tuple[str, str | None]:
        match = _BAND_RE.search(header)
        if match is None:
            raise self.drift(f"unknown column {header!r} in the long-context table")
        band = f"{_BAND_OPS[match.group(1)]}{match.group(2)}{match.group(3).lower()}"
        rest = norm_header(_BAND_RE.sub(" ", header))
        rest = norm_header(re.sub(r"\b(?:input tokens|tokens|prompts?)\b|[()]", " ", rest))
        if not rest:
            return band, None
        if rest not in PRICE_COLUMNS:
            raise self.drift(f"unknown column {header!r} in the long-context table")
        return band, PRICE_COLUMNS[rest]

    def labelled_prices(self, cell: str, column_type: str | None) -> list[tuple[str, str, str]]:
        """``"Input: $3 / MTok"`` -> ``[("input", "$3 / MTok", "Input: $3 / MTok")]``, one per line of the cell."""
        pairs = []
        for part in re.split(r"\n|;", cell):
            part = part.strip()
            if not part or is_no_price(part):
                continue
            label, sep, value = part.partition(":")
            if sep and not re.search(r"\d", label):
                token_type = PRICE_COLUMNS.get(norm_header(label))
                if token_type is None:
                    raise self.drift(f"unknown price label {label!r} in the long-context table")
            elif column_type is not None:
                token_type, value = column_type, part
            else:
                raise self.drift(f"long-context cell {part!r} says neither input nor output")
            pairs.append((token_type, value.strip(), part))
        return pairs

    def prose_models(self, table: Table) -> list[str]:
        """Models named in the section prose, from the first paragraph that names any."""
        for paragraph in table.preceding_text.split("\n"):
            if names := model_mentions(paragraph):
                return names
        raise self.drift("long-context table has no model column and its section names no model")

    def cell_models(self, cell: str) -> list[str]:
        name, _ = split_annotations(cell)
        names = model_mentions(name)
        if not names:
            if not name:
                raise self.drift("long-context table has a row without a model name")
            names = [name]
        return names

    # -- facts --------------------------------------------------------------------------------------

    def add(
        self,
        name: str,
        token_type: str,
        cell: str,
        *,
        field: str,
        service_tier: str = "standard",
        context_band: str = ALL_CONTEXT,
        raw: str | None = None,
    ) -> None:
        model_id = model_id_for(name)
        model_name = self.names.setdefault(model_id, name)
        if is_no_price(cell):
            self.collect.exclude(model_id, field, f"no price published ({cell!r})")
            return
        price = self.collect.parse_price(cell, where=f"{model_name} / {field}")
        self.collect.price(
            model_id, token_type, price, model_name=model_name, raw=raw or cell, tier=service_tier,
            band=context_band, label=f"{model_name} {token_type}/{service_tier}/{context_band}", said=cell,
        )


def _columns_in(table: Table, known: dict[str, str]) -> bool:
    """Every column after the first is one of ``known`` (the table says what it is by its header row)."""
    return len(table.headers) > 1 and all(norm_header(h) in known for h in table.headers[1:])


def _band_table(table: Table) -> bool:
    """A long-context table: every column (a Model column aside) names a prompt length ("> 200K input tokens")."""
    headers = [h for h in table.headers if norm_header(h) != MODEL_COLUMN]
    return bool(headers) and all(_BAND_RE.search(h) for h in headers)


def _has_model_column(table: Table) -> bool:
    return bool(table.headers) and norm_header(table.headers[0]) == MODEL_COLUMN
