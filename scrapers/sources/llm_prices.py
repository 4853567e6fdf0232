"""simonw/llm-prices (llm-prices.com) -> dated price facts.

What the data looks like, in two shapes, both read:

* the published build ``historical-v1.json`` (what is fetched): ``{"prices": [{"id", "vendor", "name",
  "input", "output", "input_cached"?, "from_date", "to_date"}, ...]}``, one row per model and price period;
* the repository's per-vendor source files ``data/<vendor>.json`` (the shared capture):
  ``{"vendor": "openai", "models": [{"id", "name", "price_history": [{"input", "output", "input_cached",
  "from_date", "to_date"}]}]}``.

Prices are USD per 1M tokens already (read as exact ``Decimal`` from the JSON text). ``input`` -> input,
``output`` -> output, ``input_cached`` -> cache_read. ``from_date`` (inclusive) -> ``valid_from`` with basis
``effective``; ``to_date`` (exclusive, the dataset's own convention) -> ``valid_to``; a null ``from_date``
keeps ``valid_from=None`` ("since the model was first available"). A null ``input``/``output`` becomes an
exclusion; a null ``input_cached`` is simply not published (most models) and yields nothing.

Choices, and why:

* **Context bands from names.** The dataset lists prompt-length tiers as separate models: "GPT-5.4 ≤272k"
  (``gpt-5.4``) and "GPT-5.4 >272k" (``gpt-5.4-272k``). A trailing ``≤N``/``<N``/``>N`` in the name becomes
  the ``context_band`` (``"<=272k"``, ``">272k"``), the band is cut from the name, and a trailing ``-272k``
  from the id, so both rows are one model with two bands.
* **Image-generation rows** ("gpt-image-2 (image gen) image tokens"): the modality is taken from the name
  ("image tokens" -> image, "text tokens" -> text, and the ``-image``/``-text`` id suffix is cut). A row
  that says "(image gen)" but not which tokens it prices is an exclusion: its prices mix text and image.
* **Strictness.** Each price row is a pydantic model with ``extra="forbid"``: a new column (say a batch
  price) is layout drift. An interval whose ``to_date`` is not after its ``from_date`` is an exclusion.
* ``provider_id`` is the dataset's vendor (``openai``, ``moonshot-ai`` ...), ``model_id`` its id lowercased.
  The same fact twice is kept once; the same key with two prices keeps the first and is excluded.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.facts import FactCollector
from scrapers.records import ALL_CONTEXT, CaptureMeta, ParseResult

SOURCE_ID = "llm_prices"
PARSER_VERSION = "1"
URL = "https://www.llm-prices.com/historical-v1.json"
UNIT = "USD/MTok"

#: row field -> token type
TOKEN_FIELDS = {"input": "input", "output": "output", "input_cached": "cache_read"}
_BAND_RE = re.compile(r"\s*(≤|<=|≥|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([km])\s*$", re.IGNORECASE)
_BAND_OPS = {"≤": "<=", "<=": "<=", "≥": ">=", ">=": ">=", "<": "<", ">": ">"}
_IMAGE_GEN_RE = re.compile(r"\(image gen\)", re.IGNORECASE)
_TOKEN_KIND_RE = re.compile(r"\b(image|text) tokens\b", re.IGNORECASE)


class PricePeriod(BaseModel):
    """One price period of one model. ``extra="forbid"``: a new column is a dimension we do not model."""

    model_config = ConfigDict(extra="forbid")

    input: Decimal | None
    output: Decimal | None
    input_cached: Decimal | None = None
    from_date: date | None = None
    to_date: date | None = None


class CombinedRow(PricePeriod):
    """A row of the published ``historical-v1.json`` build: the period plus the model it belongs to."""

    id: str
    vendor: str
    name: str


class VendorModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    price_history: list[PricePeriod]


class VendorFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vendor: str
    models: list[VendorModel]


def identity(model_id: str, name: str) -> tuple[str, str, str, str] | None:
    """``("gpt-5.4-272k", "GPT-5.4 >272k")`` -> ``(model_id, model_name, context_band, modality)``.

    ``None`` for an image-generation row that does not say which tokens it prices.
    """
    model_id, name, band, modality = model_id.strip().lower(), name.strip(), ALL_CONTEXT, "text"
    match = _BAND_RE.search(name)
    if match:
        size = f"{match.group(2)}{match.group(3).lower()}"
        band = f"{_BAND_OPS[match.group(1)]}{size}"
        name = name[: match.start()].strip()
        model_id = model_id.removesuffix(f"-{size}")
    if _IMAGE_GEN_RE.search(name):
        kind = _TOKEN_KIND_RE.search(name)
        if kind is None:
            return None
        modality = kind.group(1).lower()
        model_id = model_id.removesuffix(f"-{modality}")
        name = _TOKEN_KIND_RE.sub("", name).strip()
    return model_id, name, band, modality


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """llm-prices JSON (combined build or one vendor file) -> dated price facts and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        document = self.collect.json(body)
        rows = self.rows(document)
        if not rows:
            raise self.drift("no price rows")
        for vendor, model_id, name, period in rows:
            self.read_period(vendor, model_id, name, period)
        if not self.collect.facts:
            raise self.drift(f"{len(rows)} price rows but no price fact")
        return self.collect.result()

    def rows(self, document: object) -> list[tuple[str, str, str, PricePeriod]]:
        """Both shapes -> ``(vendor, id, name, period)`` rows."""
        try:
            if isinstance(document, dict) and "prices" in document:
                if not isinstance(document["prices"], list):
                    raise self.drift("'prices' is not a list")
                combined = [CombinedRow.model_validate(row) for row in document["prices"]]
                return [(r.vendor, r.id, r.name, r) for r in combined]
            if isinstance(document, dict) and "models" in document:
                vendor_file = VendorFile.model_validate(document)
                return [(vendor_file.vendor, m.id, m.name, p) for m in vendor_file.models for p in m.price_history]
        except ValidationError as exc:
            raise self.drift(f"unexpected price row: {_errors(exc)}") from exc
        raise self.drift("neither a combined build ({'prices': [...]}) nor a vendor file ({'vendor', 'models'})")

    def read_period(self, vendor: str, source_id: str, source_name: str, period: PricePeriod) -> None:
        provider_id = vendor.strip().lower()
        item = f"{provider_id}/{source_id}"
        ident = identity(source_id, source_name)
        if ident is None:
            self.exclude(item, "name", f"image-generation row {source_name!r} does not say whether its prices are "
                         "for text or image tokens")
            return
        model_id, name, band, modality = ident
        if period.from_date and period.to_date and period.to_date <= period.from_date:
            self.exclude(item, "to_date", f"empty interval {period.from_date} to {period.to_date}")
            return
        for field, token_type in TOKEN_FIELDS.items():
            amount = getattr(period, field)
            if amount is None:
                if field != "input_cached":
                    self.exclude(item, field, "no price in the dataset (null)")
                continue
            if amount < 0:
                raise self.drift(f"{item}: negative price {field}={amount}")
            previous = self.collect.price(
                model_id, token_type, amount, unit=UNIT, model_name=name, raw=str(amount), provider_id=provider_id,
                band=band, modality=modality, valid_from=period.from_date, valid_to=period.to_date,
                valid_from_basis="effective" if period.from_date else None, strict=False,
            )
            if previous.price_per_mtok != amount:
                self.exclude(item, field, f"{model_id} {token_type}/{band} from {period.from_date} stated twice "
                             f"({previous.raw_value} and {amount}); the first is kept")


def _errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
