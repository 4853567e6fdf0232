"""Google's Gemini API pricing page (ai.google.dev/gemini-api/docs/pricing.md.txt) -> price facts.

What the page looks like: one section per model (an h2 with the model's name, an italic line of API ids
in code spans such as ``*[`gemini-2.5-pro`](...)*``, a one-sentence description), then one table per
service tier (``### Standard``, ``### Batch`` ... or, in crawled renderings, simply a second table). Tables
are transposed: rows are price items, columns are ``| | Free Tier | Paid Tier, per 1M tokens in USD |``.
Cells pack several prices: ``$1.25, prompts <= 200k tokens $2.50, prompts > 200k tokens``,
``$0.30 (text / image / video) $1.00 (audio)``, ``$0.125 ... $4.50 / 1,000,000 tokens per hour (storage
price)``, ``$0.75 through December 31, 2026. $1.50 starting January 1, 2027.``

What is read, and why:

* Only the **Paid Tier** column gives facts (``provider_id="google"``). The Free Tier's "Free of charge"
  on a price row becomes an ``Exclusion`` (a rate-limited free quota is not a price); its "Not available"
  cells are not prices either and are passed over.
* Rows ``Input price`` -> ``input``, ``Output price`` -> ``output``, ``Context caching price`` ->
  ``cache_read``; a modality in the label ("Audio input price", "Input price (text, image, video)") or in
  the cell ("(audio)") sets ``modality``, one fact per modality named ("text / image / video" -> three
  facts); no modality means ``text``. Known non-token rows (context caching storage, grounding, Live API,
  tuning, image generation, "Used to improve our products") are skipped, with an ``Exclusion`` when they
  carry a price; any other row label is drift.
* ``prompts <= 200k`` / ``prompts > 200k`` -> ``context_band`` ``<=200k`` / ``>200k``; a price that does not
  depend on prompt length keeps ``"all"``.
* Tiers: ``Standard``/``Batch``/``Flex``/``Priority`` headings, tab labels or MDX ``<Tab>`` titles; an
  unlabelled section (the crawled rendering) has a Standard table followed by a Batch table, so its first
  table is ``standard`` and its second ``batch``; a third unlabelled table is drift.
* Dated prices: ``through <date>`` sets ``valid_to`` to the day after (exclusive, like every other source's
  ``valid_to``: "through" or "until December 31" ends on January 1), ``starting <date>`` sets
  ``valid_from`` with ``valid_from_basis="effective"`` (an announced future price).
* Within a price cell: storage (per hour), per-second and per-minute amounts -> ``Exclusion`` (not
  per-token prices); "Not available" -> ``Exclusion``; an unknown qualifier or unit -> drift.
* Image output: a cell priced per image ("$0.039 per image*", also 2.0 Flash's "Image generation pricing"
  row) is a price in tokens when the page says so: its footnote "Image output is priced at $30 per
  1,000,000 tokens ... equivalent to $0.039 per image" makes it an ``output`` fact with ``modality="image"``
  at the per-token rate, matched on the per-image amount. A per-image amount the page gives no per-token
  rate for (the batch table's $0.0195) stays an ``Exclusion``: rates are never multiplied out here.
* Tables whose Paid column is priced per image or per second (Imagen, Veo) are other products: one
  ``Exclusion`` per table, never a fact; embedding models are skipped with an ``Exclusion`` (generation prices only, as for OpenAI).

Identity: the italic id line gives ``model_id`` (several ids -> the same prices for each); without it,
the section heading is slugged ("Gemini 2.5 Pro" -> ``gemini-2.5-pro``). Crawled renderings such as
r.jina.ai's drop both headings and id lines and keep only the description sentence, so a small table of
the descriptions Google has published (``KNOWN_DESCRIPTIONS``) names those sections; a description used
by two models ("Our smallest and most cost effective model ...") names them in page order. A section
that cannot be identified yields an ``Exclusion`` per table, not facts under a guessed name.

Renderings: outer pipes or not (without them the empty top-left header cell vanishes and every row has
one cell too many; the cell is put back), ``<br>`` inside cells, ``^*^`` footnote markers, MDX tabs, a
body repeated twice (collapsed). Tables are not deduplicated: a preview and its stable model may publish
identical tables.

No Free/Paid price table, an unknown row, unit or qualifier, or zero facts raise ``LayoutDriftError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from scrapers.facts import FactCollector
from scrapers.markdown_tables import (
    Table,
    clean_cell,
    collapse_repeated_body,
    extract_tables,
    join_split_headings,
    split_annotations,
)
from scrapers.records import ALL_CONTEXT, CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "gemini"
# 3: "through <date>" gives an exclusive valid_to (the day after); 4: a capture cut short is layout drift
# (scrapers.truncation)
PARSER_VERSION = "4"
URL = "https://ai.google.dev/gemini-api/docs/pricing.md.txt"
PROVIDER_ID = "google"

TIERS = ("standard", "batch", "flex", "priority")
#: Order of the tables of a section without tier labels (the crawled rendering).
UNLABELLED_TIERS = ("standard", "batch")
MODALITIES = ("text", "image", "video", "audio")

#: Row label prefix -> token type. Checked after stripping a leading modality word ("Audio input price").
PRICE_ROWS: dict[str, str] = {
    "input price": "input",
    "output price": "output",
    "context caching price": "cache_read",
}
#: Row label prefixes that are not per-token model prices (skipped; an Exclusion when they carry a price).
OTHER_ROWS = (
    "context caching (storage)",
    "context caching storage",
    "grounding with",
    "used to improve",
    "tuning price",
    "live api",
)
#: Row labels that price image output ("Image generation pricing" on 2.0 Flash): output tokens, image modality.
IMAGE_OUTPUT_ROWS = ("image generation",)
#: Headings that belong to the page, not to a model section (as do headings ending in "pricing").
PAGE_HEADINGS = ("free", "paid", "enterprise")
#: A section whose heading contains one of these is not a model (tools, agents): its tables are skipped.
SKIP_HEADINGS = ("pricing for", "tools", "agents")

#: Description sentence (lowercase fragment) -> the models it names, in page order. For crawled renderings
#: that drop headings and id lines; the official .md.txt carries the ids themselves.
KNOWN_DESCRIPTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("state-of-the-art multipurpose model", (("gemini-2.5-pro", "Gemini 2.5 Pro"),)),
    ("first hybrid reasoning model", (("gemini-2.5-flash", "Gemini 2.5 Flash"),)),
    ("latest model based on the 2.5 flash model",
     (("gemini-2.5-flash-preview-09-2025", "Gemini 2.5 Flash Preview"),)),
    ("latest model based on gemini 2.5 flash lite",
     (("gemini-2.5-flash-lite-preview-09-2025", "Gemini 2.5 Flash-Lite Preview"),)),
    ("smallest and most cost effective model",
     (("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite"), ("gemini-2.0-flash-lite", "Gemini 2.0 Flash-Lite"))),
    ("native audio models",
     (("gemini-2.5-flash-native-audio-preview-09-2025", "Gemini 2.5 Flash Native Audio"),)),
    ("native image generation model", (("gemini-2.5-flash-image", "Gemini 2.5 Flash Image"),)),
    ("2.5 flash text-to-speech", (("gemini-2.5-flash-preview-tts", "Gemini 2.5 Flash Preview TTS"),)),
    ("2.5 pro text-to-speech", (("gemini-2.5-pro-preview-tts", "Gemini 2.5 Pro Preview TTS"),)),
    ("most balanced multimodal model", (("gemini-2.0-flash", "Gemini 2.0 Flash"),)),
    ("newest embeddings model", (("gemini-embedding-001", "Gemini Embedding"),)),
    ("gemini robotics-er", (("gemini-robotics-er-1.5-preview", "Gemini Robotics-ER 1.5 Preview"),)),
    ("lightweight, state-of the art, open model", (("gemma-3", "Gemma 3"),)),
    ("open model built for efficient performance on everyday devices", (("gemma-3n", "Gemma 3n"),)),
)

_ATX_RE = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^(?:=+|-+)\s*$")
_CODE_ID_RE = re.compile(r"`([a-z0-9][a-z0-9._-]*)`")
_TAG_LINE_RE = re.compile(r"^</?[A-Za-z][^<>]*>$")
_LINK_ONLY_RE = re.compile(r"^\[[^\]]*\]\([^)]*\)$")
_FOOTNOTE_LINE_RE = re.compile(r"^(?:\\?\[\*+\\?\]|\^|\*\s|-\s|\d+\.\s)")
_BOILERPLATE = ("preview models may change",)
_CELL_FOOTNOTE_RE = re.compile(r"\^[^\s^]*\^|(?<=\S)\*+(?=\s|$)")
_PROMPT_BAND_RE = re.compile(r",?\s*prompts?\s*(<=|≤|<|>=|≥|>)\s*(\d+(?:\.\d+)?)\s*([km])\b(?:\s*tokens?)?", re.I)
_BAND_OPS = {"≤": "<=", "<=": "<=", "≥": ">=", ">=": ">=", "<": "<", ">": ">"}
_DATE_RE = re.compile(
    r"\b(through|until|starting|from|effective|beginning)\s+([A-Z][a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\.?", re.I
)
_STORAGE_RE = re.compile(r"per\s+hour|/\s*hour|storage", re.I)
_OTHER_UNIT_RE = re.compile(r"(?:per|/)\s*(?:\d+\s*)?(image|second|sec|minute|min|request|call)s?\b", re.I)
_PER_MINUTE_ALT_RE = re.compile(r"\s+or\s+\$\s*[\d.,]+\s*/\s*min(?:ute)?\b", re.I)
_PAREN_RE = re.compile(r"\(([^()]*)\)")
#: The page's footnote that states image output per token and what that makes one image:
#: "Image output is priced at $30 per 1,000,000 tokens. ... equivalent to $0.039 per image."
_IMAGE_RATE_RE = re.compile(
    r"image output is priced at (\$\s*[\d.,]+\s*(?:per|/)\s*(?:1,000,000|1m|one million|million)\s*tokens)"
    r"[^$]*?equivalent to \$\s*([\d.,]+)\s*per image",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class _Section:
    #: (model_id, model_name) pairs; empty when the section could not be identified
    models: list[tuple[str, str]]
    label: str
    skip: bool = False
    tables: list[tuple[Table, str | None]] = field(default_factory=list)


@dataclass
class _Gap:
    """What sits between the previous table and this one."""

    headings: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Gemini pricing markdown -> paid-tier price facts (tiers, bands, modalities, dates) and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude
        self.used_descriptions: dict[str, int] = {}
        #: per-image amount ("0.039") -> the per-token price the page says it is ("$30 per 1,000,000 tokens")
        self.image_rates: dict[str, str] = {}

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        # table line numbers index this text: join split headings and collapse a repeat before extracting
        text, _ = collapse_repeated_body(join_split_headings(text))
        # dedupe=False: two models can have identical tables (a preview and its stable model)
        tables = [_realign(t) for t in extract_tables(text, collapse_repeats=False, dedupe=False)]
        if not any(_paid_column(t) is not None for t in tables):
            raise self.drift("no Free/Paid tier price table found")
        for match in _IMAGE_RATE_RE.finditer(clean_cell(text.replace("\n", " "))):
            rate, per_image = re.sub(r"\s+", " ", match.group(1)), match.group(2).replace(",", "")
            if self.image_rates.setdefault(per_image, rate) != rate:
                raise self.drift(f"${per_image} per image is said to be both {self.image_rates[per_image]} and {rate}")
        for section in self.sections(text.splitlines(), tables):
            self.read_section(section)
        if not self.collect.facts:
            raise self.drift("no price facts found in the paid-tier tables")
        return self.collect.result()

    # -- sections -----------------------------------------------------------------------------------

    def sections(self, lines: list[str], tables: list[Table]) -> list[_Section]:
        sections: list[_Section] = []
        start = 0
        for table in tables:
            gap = _read_gap(lines[start: table.line - 1])
            start = table.line + 1 + len(table.rows)
            tier = _table_tier(table, gap)
            model_headings = [h for h in gap.headings if _tier_word(h) is None and not _page_heading(h)]
            descriptions = [p for p in gap.prose if _tier_word(p) is None]
            if model_headings or gap.ids or (descriptions and tier is None) or not sections:
                sections.append(self.new_section(model_headings, gap.ids, descriptions))
            sections[-1].tables.append((table, tier))
        return sections

    def new_section(self, headings: list[str], ids: list[str], descriptions: list[str]) -> _Section:
        heading = headings[-1] if headings else ""
        if heading and any(word in heading.lower() for word in SKIP_HEADINGS):
            return _Section([], heading, skip=True)
        name = split_annotations(re.sub(r"[^\x00-\x7f]+", " ", heading).strip())[0] if heading else ""
        if ids:
            return _Section([(i, name or i) for i in ids], name or ids[0])
        if name:
            return _Section([(re.sub(r"[\s_]+", "-", name.lower()).strip("-"), name)], name)
        text = " ".join(descriptions).lower()
        found = [(text.rfind(fragment), fragment, models) for fragment, models in KNOWN_DESCRIPTIONS]
        position, fragment, models = max(found, key=lambda f: f[0])
        if position >= 0:  # the description nearest the table names the section
            used = self.used_descriptions.get(fragment, 0)
            self.used_descriptions[fragment] = used + 1
            if used < len(models):
                return _Section([models[used]], models[used][1])
        return _Section([], (descriptions[-1] if descriptions else "section without a name")[:80])

    def read_section(self, section: _Section) -> None:
        unlabelled = iter(UNLABELLED_TIERS)
        for table, label in section.tables:
            paid = _paid_column(table)
            if paid is None:
                continue  # not a price table
            priced = any(paid < len(row) and "$" in row[paid] for row in table.rows)
            if section.skip:
                if priced:
                    self.exclude(section.label, f"table at line {table.line}",
                                 "a section about tools or agents, not a model's token prices")
                continue
            if not self.per_token(table, paid):
                if priced:  # Imagen / Veo: say what was left out rather than drop it silently
                    for item in [m for m, _ in section.models] or [section.label]:
                        self.exclude(item, f"table at line {table.line}",
                                     f"priced {table.headers[paid]!r}: image or video generation, not per token")
                continue
            tier = label or next(unlabelled, None)
            if tier is None:
                raise self.drift(f"cannot tell the service tier of the table at line {table.line} ({section.label})")
            if not section.models:
                self.exclude(section.label, f"{tier} table at line {table.line}",
                             "model not identifiable in this rendering (no heading, id line or known description)")
                continue
            if any("embedding" in model_id for model_id, _ in section.models):
                for model_id, _ in section.models:
                    self.exclude(model_id, f"{tier} table", "embedding model: out of scope (generation prices only)")
                continue
            self.read_table(table, paid, tier, section.models)

    def per_token(self, table: Table, paid: int) -> bool:
        header = table.headers[paid].lower()
        if re.search(r"per\s+(?:1m|1,000,000|one million|million)\s+tokens", header):
            if "usd" not in header and "$" not in header:
                raise self.drift(f"paid-tier header {table.headers[paid]!r} (line {table.line}) names no currency")
            return True
        if _OTHER_UNIT_RE.search(header):
            return False  # Imagen / Veo: priced per image or per second, another product
        raise self.drift(f"unknown unit in paid-tier header {table.headers[paid]!r} (line {table.line})")

    # -- rows and cells -----------------------------------------------------------------------------

    def read_table(self, table: Table, paid: int, tier: str, models: list[tuple[str, str]]) -> None:
        free = next((i for i, h in enumerate(table.headers) if "free" in h.lower()), None)
        for row in table.rows:
            if not any(row):
                continue
            if len(row) > len(table.headers):
                raise self.drift(f"row {row[0]!r} of the {tier} table at line {table.line} has more cells than headers")
            label = re.sub(r"\s+", " ", row[0]).strip()
            kind = _row_kind(label)
            if kind is None:
                raise self.drift(f"unknown row {label!r} in the {tier} table at line {table.line}")
            cell = row[paid] if paid < len(row) else ""
            if kind == "other":
                if "$" in cell:
                    for model_id, _ in models:
                        self.exclude(model_id, f"{tier}: {label}", "not a per-token model price; not modelled")
                continue
            token_type, label_modalities = kind
            for model_id, model_name in models:
                if free is not None and free < len(row) and "free of charge" in row[free].lower():
                    self.exclude(model_id, f"free tier: {label}",
                                 "free tier is free of charge (rate-limited quota); only paid-tier prices are facts")
                self.read_cell(cell, model_id, model_name, token_type, label_modalities, tier, label)

    def read_cell(self, cell: str, model_id: str, model_name: str, token_type: str,
                  label_modalities: tuple[str, ...], tier: str, label: str) -> None:
        field_ = f"{tier}: {label}"
        cell = _CELL_FOOTNOTE_RE.sub("", cell.replace("\n", " ")).strip()
        if "$" not in cell:
            if is_no_price(cell) or "free of charge" in cell.lower():
                self.exclude(model_id, field_, f"no paid price published ({cell or 'empty'!r})")
                return
            raise self.drift(f"{model_id} / {field_}: no price in cell {cell!r}")
        if _PER_MINUTE_ALT_RE.search(cell):
            self.exclude(model_id, field_, "per-minute alternative price: not a per-token price")
            cell = _PER_MINUTE_ALT_RE.sub("", cell)
        head, *segments = re.split(r"(?=\$\s*\d)", cell)
        if head.strip(" ,.;:"):
            raise self.drift(f"{model_id} / {field_}: unexpected text {head.strip()!r} before the price")
        for segment in segments:
            self.read_segment(segment.strip(), model_id, model_name, token_type, label_modalities, tier, field_)

    def read_segment(self, segment: str, model_id: str, model_name: str, token_type: str,
                     label_modalities: tuple[str, ...], tier: str, field_: str) -> None:
        original = segment
        bare = _PAREN_RE.sub(" ", segment)  # "(text / image)" is a qualifier, not a unit
        if _STORAGE_RE.search(bare):
            self.exclude(model_id, field_, f"storage price ({segment!r}): per token-hour, not a per-token price")
            return
        if match := _OTHER_UNIT_RE.search(bare):
            amount = re.match(r"\$\s*([\d.,]+)", segment)
            rate = self.image_rates.get(amount.group(1).replace(",", "")) if amount else None
            if match.group(1).lower() == "image" and token_type == "output" and rate:
                # the page's footnote gives this per-image price as a price per token of image output
                price = self.collect.parse_price(rate, where=f"{model_id} / {field_}")
                self.collect.price(model_id, token_type, price, model_name=model_name, raw=rate, tier=tier,
                                   modality="image", said=original)
                return
            self.exclude(model_id, field_, f"priced per {match.group(1)} ({segment!r}), not per token")
            return
        band = ALL_CONTEXT
        if match := _PROMPT_BAND_RE.search(segment):
            band = f"{_BAND_OPS[match.group(1)]}{match.group(2)}{match.group(3).lower()}"
            segment = _PROMPT_BAND_RE.sub(" ", segment)
        valid_from = valid_to = None
        for match in _DATE_RE.finditer(segment):
            day = self.date(match, model_id, field_)
            if match.group(1).lower() in ("through", "until"):  # the page's last day; valid_to is exclusive
                valid_to = day + timedelta(days=1)
            else:
                valid_from = day
        segment = _DATE_RE.sub(" ", segment)
        modalities: list[str] = []
        for qualifier in _PAREN_RE.findall(segment):
            found = [m for m in MODALITIES if m in qualifier.lower()]
            if not found:
                raise self.drift(f"{model_id} / {field_}: unknown qualifier ({qualifier}) in a price")
            modalities += [m for m in found if m not in modalities]
        amount = _PAREN_RE.sub(" ", segment).strip(" ,.;")
        price = self.collect.parse_price(amount, where=f"{model_id} / {field_}", default_unit="1M tokens")
        for modality in modalities or label_modalities or ("text",):
            self.collect.price(
                model_id, token_type, price, model_name=model_name, raw=re.sub(r"\s+", " ", original).strip(),
                tier=tier, band=band, modality=modality, valid_from=valid_from, valid_to=valid_to,
                valid_from_basis="effective" if valid_from else None, said=original,
            )

    def date(self, match: re.Match, model_id: str, field_: str) -> date:
        text = f"{match.group(2)[:3]} {match.group(3)} {match.group(4)}"
        try:
            return datetime.strptime(text, "%b %d %Y").date()
        except ValueError as exc:
            raise self.drift(f"{model_id} / {field_}: unreadable date {match.group(0)!r}") from exc


# -- helpers ----------------------------------------------------------------------------------------


def _read_gap(lines: list[str]) -> _Gap:
    gap = _Gap()
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("<!--"):
            previous = ""
            continue
        if match := _ATX_RE.match(line):
            gap.headings.append(clean_cell(match.group(1)))
        elif _SETEXT_RE.match(line) and previous:
            if gap.prose and gap.prose[-1] == clean_cell(previous):
                gap.prose.pop()
            gap.headings.append(clean_cell(previous))
        elif ids := _id_line(line):
            gap.ids += [i for i in ids if i not in gap.ids]
        elif not (_TAG_LINE_RE.match(line) or _LINK_ONLY_RE.match(line) or _FOOTNOTE_LINE_RE.match(line)):
            text = clean_cell(line)
            if text and not any(b in text.lower() for b in _BOILERPLATE):
                gap.prose.append(text)
        previous = line
    return gap


def _id_line(line: str) -> list[str]:
    """``*[`gemini-2.5-pro`](url)*`` / ``_`veo-3.0-generate-001`, `veo-3.0-fast-generate-001`_`` -> the ids."""
    ids = _CODE_ID_RE.findall(line)
    if not ids:
        return []
    rest = re.sub(r"\]\([^)]*\)", "", _CODE_ID_RE.sub("", line))
    return ids if not re.sub(r"\band\b|[\s*_,\[\]]", "", rest) else []


def _table_tier(table: Table, gap: _Gap) -> str | None:
    for container in reversed(table.containers):
        if (tier := _tier_word(container.rpartition(":")[2])) is not None:
            return tier
    for text in (gap.headings[-1:] + gap.prose[-1:]):
        if (tier := _tier_word(text)) is not None:
            return tier
    return None


def _tier_word(text: str) -> str | None:
    words = re.findall(r"[a-z]+", text.lower())
    if words and len(words) <= 2 and words[0] in TIERS:
        return words[0]
    return None


def _realign(table: Table) -> Table:
    """A table rendered without outer pipes loses its empty top-left header cell (`` | Free Tier | Paid``):
    every row then has one cell more than the header. Put the empty cell back."""
    body = [row for row in table.rows if any(row)]
    if body and table.headers and all(len(row) == len(table.headers) + 1 for row in body):
        return replace(table, headers=("", *table.headers))
    return table


def _page_heading(heading: str) -> bool:
    """The page's title ("Gemini Developer API pricing") and plan cards ("Free", "Paid", "Enterprise")."""
    lowered = heading.lower().strip()
    return lowered in PAGE_HEADINGS or lowered.endswith("pricing")


def _paid_column(table: Table) -> int | None:
    return next((i for i, h in enumerate(table.headers) if "paid" in h.lower()), None)


def _row_kind(label: str) -> tuple[str, tuple[str, ...]] | str | None:
    """Row label -> ``(token_type, modalities named in the label)``, ``"other"`` (not a token price) or None."""
    norm = label.lower().strip(" *:")
    if any(norm.startswith(prefix) for prefix in OTHER_ROWS):
        return "other"
    if any(norm.startswith(prefix) for prefix in IMAGE_OUTPUT_ROWS):
        return "output", ("image",)
    words = norm.split(" ", 1)
    label_modality: tuple[str, ...] = ()
    if words[0] in MODALITIES and len(words) == 2:  # "Audio input price"
        label_modality, norm = (words[0],), words[1]
    for prefix, token_type in PRICE_ROWS.items():
        if norm.startswith(prefix):
            qualifier = " ".join(_PAREN_RE.findall(norm))
            named = tuple(m for m in MODALITIES if m in qualifier)
            return token_type, label_modality or named
    return None
