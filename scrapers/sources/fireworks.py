"""Fireworks' serverless pricing docs page (``docs.fireworks.ai/serverless/pricing.md``) -> price facts.

What the page looks like: "Prices below are per 1 million tokens in US dollars", then
**Text and vision models**: ``| Model | Standard | Priority |`` with model links
(``[Kimi K2.6](https://app.fireworks.ai/models/fireworks/kimi-k2p6)``) and cells holding
``input / cached input / output`` (``$0.95 / $0.16 / $4.00``), ``—`` in Priority = not available; Fast
variants are rows of their own (``Kimi K2.6 Turbo (Fast, Preview)``). The HTML rendering of the same page
has ``| Model | Input | Cached input | Output |`` instead. **Other base models — by size and
architecture**: one price per parameter-count bucket ("Less than 4B parameters", "4B - 16B", "More than
16B", "MoE 0B - 56B"), applying uniformly to input and output. **Embeddings**: per 1M input tokens, by
bucket ("up to 150M") or model.

Choices:

* Per-model table (first header ``Model``): columns ``Input`` / ``Cached input`` / ``Output`` (standard
  tier), ``Standard`` / ``Priority`` / ``Batch`` (a combined cell; the order of its parts is read from the
  page's "prices are input / cached input / output" sentence, that order by default). Any other column is
  layout drift. A page without a per-model table is drift (the fireworks.ai marketing page that stopped
  listing per-model prices in 2026 is exactly that case).
* Buckets: a row whose first cell is a size range becomes ``model_id`` ``bucket:[embedding:][moe:]<range>``
  with ``<range>`` one of ``<4b``, ``<=150m`` ("up to"), ``>16b``, ``>=16b``, ``4b-16b`` (lowercase, units
  ``m``/``b``/``t`` kept, ``dense`` dropped), and ``model_name`` the bucket text as published. A bucket's
  single price is both its input and its output price; in an embeddings table it is the input price only.
  If the page has a heading for the size-based section but no bucket rows can be read, that is drift.
* Cached input -> ``cache_read``; "Batch" is read only where a column publishes it: the page's
  "batch is 50% of serverless" rule is prose and is not multiplied out here (likewise the old "cached
  input is 50%" rule). ``—`` / ``-`` / "N/A" cells (or parts of a combined cell) become ``Exclusion``s.
* Identity: ``model_id`` is the API id from the row's model link (``/models/fireworks/kimi-k2p6`` ->
  ``accounts/fireworks/models/kimi-k2p6``), else a slug of the name (``kimi-k2.6``) for the crosswalk.
  ``model_name`` is the name without trailing parentheticals (``Kimi K2.6 Turbo``).
* Fine-tuning, on-demand GPU and training tables are not inference token prices and are skipped. A line
  without pipes right after a table (crawlers glue the next paragraph to it) ends that table.
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector
from scrapers.markdown_tables import Table, clean_cell, extract_tables, split_annotations
from scrapers.records import CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "fireworks"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://docs.fireworks.ai/serverless/pricing.md"
PROVIDER_ID = "fireworks"
DEFAULT_UNIT = "1M tokens"

#: normalised price header -> (service tier, what the cell holds). Anything else is layout drift.
COLUMNS: dict[str, tuple[str, str]] = {
    "input": ("standard", "input"),
    "uncached input": ("standard", "input"),
    "cached input": ("standard", "cache_read"),
    "cache read": ("standard", "cache_read"),
    "output": ("standard", "output"),
    "": ("standard", "combined"),  # "Price", "$ / 1M tokens", "Price per 1M tokens"
    "standard": ("standard", "combined"),
    "serverless": ("standard", "combined"),
    "input and output": ("standard", "combined"),
    "priority": ("priority", "combined"),
    "batch": ("batch", "combined"),
    "batch input": ("batch", "input"),
    "batch output": ("batch", "output"),
}
NAME_HEADERS = {"model", "model name", "base model", "base model parameter count", "parameter count",
                "model size", "size", "base model size", "architecture"}
PART_NAMES = {"input": "input", "cached input": "cache_read", "output": "output"}
DEFAULT_ORDER = ("input", "cache_read", "output")

_SIZE = r"\d+(?:\.\d+)?\s*[mbt]"
_BUCKET_RE = re.compile(
    rf"^(?:(?P<moe>moe|mixture[- ]of[- ]experts)\s+)?(?:dense\s+)?(?:"
    rf"(?:less than|under|below|<)\s*(?P<lt>{_SIZE})"
    rf"|(?:up to|≤|<=)\s*(?P<le>{_SIZE})"
    rf"|(?:more than|above|over|greater than|>)\s*(?P<gt>{_SIZE})"
    rf"|(?:≥|>=)\s*(?P<ge>{_SIZE})"
    rf"|(?P<plus>{_SIZE})\s*\+"
    rf"|(?P<lo>{_SIZE})\s*(?:-|–|—|to)\s*(?P<hi>{_SIZE})"
    rf")(?:\s+(?:total\s+)?param(?:eter)?s?)?(?:\s+(?P<moe2>moe))?(?:\s*\(.*\))?$",
    re.IGNORECASE,
)
_MODEL_LINK_RE = re.compile(
    r"\[([^\[\]]+)\]\(<?https?://(?:app\.)?fireworks\.ai/models/([\w.\-]+)/([\w.\-]+)/?[^)]*\)"
)
_ORDER_RE = re.compile(r"((?:cached input|input|output)(?:\s*/\s*(?:cached input|input|output))+)", re.IGNORECASE)
_SKIP_RE = re.compile(r"fine[- ]?tun|training|on[- ]demand|\bgpus?\b|per hour|deployment", re.IGNORECASE)
_SIZE_SECTION_RE = re.compile(r"(?im)^\s*#{1,6}\s+.*(?:by size|size[- ]based|base models)")


def bucket_id(text: str, *, embedding: bool = False) -> str | None:
    """``"MoE 56.1B - 176B parameters"`` -> ``"bucket:moe:56.1b-176b"``; None if ``text`` is not a bucket."""
    match = _BUCKET_RE.match(clean_cell(text).strip())
    if match is None:
        return None
    size = {k: re.sub(r"\s+", "", v.lower()) for k, v in match.groupdict().items() if v and k not in ("moe", "moe2")}
    if "lo" in size:
        band = f"{size['lo']}-{size['hi']}"
    else:
        (kind, value), = size.items()
        band = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "plus": ">="}[kind] + value
    prefix = "bucket:" + ("embedding:" if embedding else "") + ("moe:" if match["moe"] or match["moe2"] else "")
    return prefix + band


def model_links(text: str) -> dict[str, str]:
    """Published name -> API id, from the page's model links (``/models/<account>/<slug>``)."""
    links: dict[str, str] = {}
    for match in _MODEL_LINK_RE.finditer(text):
        model_id = f"accounts/{match.group(2)}/models/{match.group(3)}".lower()
        name = clean_cell(match.group(1))
        links.setdefault(name, model_id)
        links.setdefault(split_annotations(name)[0], model_id)
    return links


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Fireworks serverless pricing markdown -> price facts (per model and per size bucket), exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude
        self.links: dict[str, str] = {}
        self.order: tuple[str, ...] = DEFAULT_ORDER

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        self.links = model_links(text)
        for match in _ORDER_RE.finditer(text):
            parts = [re.sub(r"\s+", " ", p.strip().lower()) for p in match.group(1).split("/")]
            if len(parts) == 3 and len(set(parts)) == 3:
                self.order = tuple(PART_NAMES[p] for p in parts)
                break
        model_tables = buckets = 0
        for table in extract_tables(_end_tables_at_prose(text)):
            if not table.headers or _skipped(table):
                continue
            first = _norm(table.headers[0])
            if first not in NAME_HEADERS and not any(bucket_id(row[0]) for row in table.rows if row):
                continue
            embedding = _is_embedding(table)
            model_tables += first in ("model", "model name") and not embedding
            read = self.read_table(table, embedding=embedding)
            buckets += 0 if embedding else read
        if not model_tables:
            raise self.drift("no per-model text/vision price table (first column 'Model') found")
        if _SIZE_SECTION_RE.search(text) and not buckets:
            raise self.drift("the size-based pricing section has no readable bucket rows")
        if not self.collect.facts:
            raise self.drift("no price facts found")
        return self.collect.result()

    def read_table(self, table: Table, *, embedding: bool) -> int:
        """Read one price table; returns the number of size-bucket rows."""
        columns = []
        for header in table.headers[1:]:
            spec = COLUMNS.get(_norm(header))
            if spec is None:
                raise self.drift(f"unknown column {header!r} in the table at line {table.line}")
            columns.append(spec)
        # bare amounts are read per 1M tokens, as the page states; a table or its prose saying otherwise
        # ("Price (per 1B tokens)", whose parenthesis _norm drops) is drift, not a 1000x misreading
        self.collect.check_stated_units("\n".join((table.preceding_text, *table.headers)), expected=DEFAULT_UNIT,
                                        where=f"the table at line {table.line}")
        buckets = 0
        for row in table.rows:
            if not row or not any(row):
                continue
            if not row[0]:
                raise self.drift(f"a row of the table at line {table.line} has no model name: {row}")
            if len(row) > len(table.headers):
                raise self.drift(f"row {row[0]!r} (line {table.line}) has more cells than headers")
            bucket = bucket_id(row[0], embedding=embedding)
            if bucket:
                buckets += 1
                model_id, name = bucket, row[0].replace("\n", " ")
            else:
                name, _ = split_annotations(row[0])
                model_id = self.links.get(row[0]) or self.links.get(name) or _slug(name)
            if not any(row[1:]):
                self.exclude(model_id, "all columns", "no price in any column")
            for header, (tier, holds), cell in zip(table.headers[1:], columns, row[1:], strict=False):
                if holds == "combined" and is_no_price(cell):
                    self.exclude(model_id, header, f"{tier} tier not available ({cell!r})")
                    continue
                for token_type, part in self.split(cell, holds, model_id, header, bucket=bool(bucket),
                                                   embedding=embedding):
                    self.add(model_id, name, token_type, tier, part, field=header)
        return buckets

    def split(self, cell: str, holds: str, model_id: str, header: str, *, bucket: bool, embedding: bool):
        """A cell -> ``[(token_type, price text)]``; a combined cell is split by the page's stated order."""
        if holds != "combined":
            return [(holds, cell)]
        parts = [p.strip() for p in re.split(r"\s*/\s*(?=[$€¥\d—–\-]|n/a)", cell, flags=re.IGNORECASE)]
        if len(parts) == 1:
            if embedding or "input" in header.lower() and "output" not in header.lower():
                return [("input", cell)]
            if bucket:
                return [("input", cell), ("output", cell)]
            raise self.drift(f"{model_id} / {header}: one price {cell!r} where input / cached input / output is expected")
        if len(parts) != len(self.order):
            raise self.drift(f"{model_id} / {header}: {len(parts)} prices in {cell!r}, expected {len(self.order)}")
        return list(zip(self.order, parts, strict=True))

    def add(self, model_id: str, name: str, token_type: str, tier: str, cell: str, *, field: str) -> None:
        if is_no_price(cell) or cell.strip().lower() in {"free", "contact us", "contact sales"}:
            self.exclude(model_id, f"{field} {token_type}", f"no {tier} price published ({cell!r})")
            return
        price = self.collect.parse_price(cell, where=f"{name} / {field}", default_unit=DEFAULT_UNIT)
        self.collect.price(model_id, token_type, price, model_name=name, raw=cell, tier=tier,
                           label=f"{model_id} {token_type}/{tier}")


def _end_tables_at_prose(text: str) -> str:
    """Insert a blank line where a pipe-less line follows a table row, and before a table header."""
    lines = text.splitlines()
    out: list[str] = []
    in_table = False
    for i, line in enumerate(lines):
        has_pipe = "|" in line
        starts_table = has_pipe and i + 1 < len(lines) and re.fullmatch(r"\s*\|?\s*:?-{3,}.*", lines[i + 1] or "")
        if starts_table and out and out[-1].strip():
            out.append("")
        if in_table and line.strip() and not has_pipe:
            out.append("")
            in_table = False
        in_table = (in_table or bool(starts_table)) and bool(line.strip())
        out.append(line)
    return "\n".join(out)


def _skipped(table: Table) -> bool:
    context = " ".join((*table.heading_path[-1:], *table.preceding_text.split("\n")[-2:], *table.headers))
    return bool(_SKIP_RE.search(context))


def _is_embedding(table: Table) -> bool:
    recent = " ".join((*table.heading_path[-1:], *table.preceding_text.split("\n")[-2:])).lower()
    return "embedding" in recent


def _norm(header: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", header.lower())
    text = re.sub(r"\$|usd|\bper\b|/|\b1m\b|\bmillion\b|\bprices?\b|\btokens?\b", " ", text)
    return re.sub(r"\s+", " ", text).strip(" :")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")
