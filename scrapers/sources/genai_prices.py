"""pydantic/genai-prices v2 feed (``prices/new_data/v2/data.json``) -> price facts and model attributes.

What the feed looks like: a JSON list of providers (``id``, ``name``, ``models`` ...); each model has an
``id``, an optional ``name``, ``context_window`` and ``prices``. ``prices`` is either one price object or
a list of *conditional* prices ``{"constraint": ..., "prices": {...}}``. A price object maps unit keys
from the feed's unit registry (``input_mtok``, ``cache_read_mtok``, ``web_searches_kcount`` ...) to USD
per unit: either a number or a prompt-length tier ``{"base": 3, "tiers": [{"start": 200000, "price": 6}]}``
(a "cliff": the tier price applies to every token once the prompt passes ``start``).

Choices, and why:

* **Dimensions.** ``*_mtok`` keys map onto ``token_type`` x ``modality`` (``PRICE_KEYS``): ``cache_write_mtok``
  stays ``cache_write`` (the feed does not say 5m or 1h), ``cache_write_5m_mtok`` / ``cache_write_1h_mtok``
  keep their TTL, ``output_reasoning_mtok`` is ``reasoning``, ``input_audio_mtok`` is input/audio. The
  generic keys (``input_mtok``) price every modality the feed does not price apart, so a modality-specific
  key (``input_text_mtok``) wins over the generic one for the same dimension. Values are USD per 1M tokens
  already: they are read as exact ``Decimal`` from the JSON text, never through ``float``.
* **Strictness.** The price object is a pydantic model with ``extra="forbid"`` built from the unit registry
  as published (``PRICE_KEYS`` + ``NON_TOKEN_KEYS``): a new unit key is layout drift until someone decides
  what it means. Model and provider objects ignore unknown metadata keys.
* **Empty price objects** (``{}``, mostly ``:free`` variants) -> an exclusion: the feed states no price,
  and a zero is not invented from silence.
* **Non-token units** (per 1K requests, per 1K web searches, per audio hour, tool/citation tokens that have
  no token type here) -> one ``Exclusion`` each, with the reason.
* **Tiers -> context bands.** ``base`` gets ``"<=200k"`` and the tier ``">200k"``; a key without tiers
  keeps ``"all"``. With more than one tier, the middle tiers cannot be named by a single bound (the raw gate
  only allows ``<=N`` / ``>N``), so they become exclusions; the first and last bands are kept.
* **Dated changes.** In a list of conditional prices, each ``start_date`` becomes ``valid_from`` (basis
  ``effective``: the feed states when the price takes effect, including announced future dates) and the
  next ``start_date`` becomes ``valid_to`` (exclusive, the first day of the next price). The unconstrained
  first price keeps ``valid_from=None``.
* **Time-of-day prices** (DeepSeek's off-peak window): the feed uses the *off-peak* price as the default
  and the peak window as the constraint, so neither is "the" price of the model; every price of such a
  model becomes an exclusion naming the window rather than publishing a discount as the headline.
* **Identity.** ``provider_id`` is the feed's provider id (who sells: ``aws``, ``openrouter`` ...);
  ``model_id`` is the feed's model id lowercased (its API id for that provider, e.g.
  ``anthropic/claude-sonnet-5`` at OpenRouter); a ``:free`` suffix becomes ``service_tier="free"``.
* **ModelAttributes** only where the creator is known without guessing: first-party providers
  (``FIRST_PARTY``) and ``org/model`` ids at resellers (``qwen/qwen3-32b`` -> ``qwen``).

The same fact stated twice is kept once; the same key with two different prices keeps the first and
records an exclusion (a data slip in one model must not stop the whole feed). No facts at all is drift.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from scrapers.facts import FactCollector
from scrapers.records import ALL_CONTEXT, CaptureMeta, ModelAttributes, ParseResult

SOURCE_ID = "genai_prices"
PARSER_VERSION = "1"
URL = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json"
UNIT = "USD/MTok"

#: token price key -> (token_type, modality, specific). A specific key beats a generic one for the same
#: (token_type, modality).
PRICE_KEYS: dict[str, tuple[str, str, bool]] = {
    "input_mtok": ("input", "text", False),
    "output_mtok": ("output", "text", False),
    "cache_read_mtok": ("cache_read", "text", False),
    "cache_write_mtok": ("cache_write", "text", False),
    "cache_write_5m_mtok": ("cache_write_5m", "text", False),
    "cache_write_1h_mtok": ("cache_write_1h", "text", False),
    "output_reasoning_mtok": ("reasoning", "text", False),
    "input_text_mtok": ("input", "text", True),
    "output_text_mtok": ("output", "text", True),
    "cache_text_read_mtok": ("cache_read", "text", True),
    "cache_text_write_mtok": ("cache_write", "text", True),
    "cache_text_write_5m_mtok": ("cache_write_5m", "text", True),
    "cache_text_write_1h_mtok": ("cache_write_1h", "text", True),
    "output_text_reasoning_mtok": ("reasoning", "text", True),
}
for _modality in ("audio", "image", "video"):
    PRICE_KEYS.update({
        f"input_{_modality}_mtok": ("input", _modality, True),
        f"output_{_modality}_mtok": ("output", _modality, True),
        f"cache_{_modality}_read_mtok": ("cache_read", _modality, True),
        f"cache_{_modality}_write_mtok": ("cache_write", _modality, True),
        f"cache_{_modality}_write_5m_mtok": ("cache_write_5m", _modality, True),
        f"cache_{_modality}_write_1h_mtok": ("cache_write_1h", _modality, True),
        f"output_{_modality}_reasoning_mtok": ("reasoning", _modality, True),
    })

#: unit key -> why it is not a token price fact
NON_TOKEN_KEYS: dict[str, str] = {
    "requests_kcount": "per 1K requests, not a token price",
    "input_mchars": "per 1M input characters, not a token price",
    "input_text_messages_kcount": "per 1K input messages, not a token price",
    "audio_hours": "per audio hour, not a token price",
    "input_audio_hours": "per input audio hour, not a token price",
    "output_audio_hours": "per output audio hour, not a token price",
    "input_gpixels": "per gigapixel of input, not a token price",
    "input_document_kpages": "per 1K document pages, not a token price",
    "input_annotated_document_kpages": "per 1K annotated document pages, not a token price",
    "rerank_searches_kcount": "per 1K rerank searches, not a token price",
    "web_searches_kcount": "per 1K web searches, not a token price",
    "social_searches_kcount": "per 1K social searches, not a token price",
    "storage_searches_kcount": "per 1K storage searches, not a token price",
    "code_executions_kcount": "per 1K code executions, not a token price",
}
for _kind in ("", "text_", "audio_", "image_", "video_"):
    NON_TOKEN_KEYS[f"input_{_kind}tool_mtok"] = "tool-use tokens: no token type for them in the vocabulary"
    NON_TOKEN_KEYS[f"output_{_kind}citation_mtok"] = "citation tokens: no token type for them in the vocabulary"

#: providers whose own models are what they list: creator = provider
FIRST_PARTY = {"anthropic", "openai", "deepseek", "mistral", "x-ai", "cohere", "moonshotai", "minimax", "zai",
               "zhipuai", "voyageai", "perplexity"}
FREE_SUFFIX = ":free"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Tier(_Strict):
    start: int
    price: Decimal


class TieredPrice(_Strict):
    base: Decimal
    tiers: list[Tier]


#: the price object: every unit key of the registry, nothing else (``extra="forbid"``)
ModelPrice: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "ModelPrice",
    __base__=_Strict,
    **{key: (Decimal | TieredPrice | None, None) for key in [*PRICE_KEYS, *NON_TOKEN_KEYS]},
)


class StartDate(_Strict):
    start_date: date


class TimeOfDay(_Strict):
    start_time: str
    end_time: str


class ConditionalPrice(_Strict):
    constraint: StartDate | TimeOfDay | None = None
    prices: ModelPrice  # type: ignore[valid-type]


class ModelInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    name: str | None = None
    context_window: int | None = None
    prices: ModelPrice | list[ConditionalPrice]  # type: ignore[valid-type]


class Provider(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    models: list[dict]


def band_label(tokens: int) -> str:
    """200000 -> ``"200k"``, 1000000 -> ``"1m"``, 131072 -> ``"131072"``."""
    if tokens % 1_000_000 == 0:
        return f"{tokens // 1_000_000}m"
    if tokens % 1000 == 0:
        return f"{tokens // 1000}k"
    return str(tokens)


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """genai-prices v2 JSON -> price facts (dated, banded), model attributes and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, unique_exclusions=True)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude
        self.models: dict[tuple[str, str], ModelAttributes] = {}

    def run(self, body: bytes) -> ParseResult:
        document = self.collect.json(body, what="feed")
        if not isinstance(document, list) or not document:
            raise self.drift("feed is not a non-empty list of providers")
        for raw in document:
            try:
                provider = Provider.model_validate(raw)
            except ValidationError as exc:
                raise self.drift(f"provider {_label(raw)}: {_errors(exc)}") from exc
            for model in provider.models:
                self.read_model(provider, model)
        if not self.collect.facts:
            raise self.drift(f"{len(document)} providers but no token price")
        return self.collect.result(models=list(self.models.values()))

    def read_model(self, provider: Provider, raw: dict) -> None:
        item = f"{provider.id}/{_label(raw)}"
        try:
            model = ModelInfo.model_validate(raw)
        except ValidationError as exc:
            raise self.drift(f"model {item}: {_errors(exc)}") from exc
        provider_id = provider.id.strip().lower()
        model_id, tier = model.id.strip().lower(), "standard"
        if model_id.endswith(FREE_SUFFIX):
            model_id, tier = model_id.removesuffix(FREE_SUFFIX), "free"
        name = (model.name or model.id).strip()
        item = f"{provider_id}/{model.id}"

        periods = [ConditionalPrice(prices=model.prices)] if not isinstance(model.prices, list) else model.prices
        if not periods:
            raise self.drift(f"model {item} has an empty price list")
        windows = [p.constraint for p in periods if isinstance(p.constraint, TimeOfDay)]
        if windows:
            spans = ", ".join(f"{w.start_time}-{w.end_time}" for w in windows)
            for i in range(len(periods)):
                self.exclude(item, f"prices[{i}]", f"time-of-day pricing (window {spans}) not modelled: the default "
                             "price applies outside the window, so neither is the model's price")
            return
        starts = [p.constraint.start_date if p.constraint else None for p in periods]
        dated = [s for s in starts if s is not None]
        if None in starts[1:] or dated != sorted(set(dated)):
            raise self.drift(f"model {item}: conditional prices are not in ascending start_date order")
        for i, period in enumerate(periods):
            valid_to = starts[i + 1] if i + 1 < len(starts) else None
            self.read_prices(period.prices, provider_id, model_id, name, tier, item, starts[i], valid_to)
        self.read_attributes(provider_id, model_id, model, name)

    def read_prices(self, prices: BaseModel, provider_id: str, model_id: str, name: str, tier: str, item: str,
                    valid_from: date | None, valid_to: date | None) -> None:
        values = {k: v for k in type(prices).model_fields if (v := getattr(prices, k)) is not None}
        if not values:
            self.exclude(item, "prices", "empty price object: the feed states no price (free variant or unpriced)")
            return
        specific = {PRICE_KEYS[k][:2] for k in values if k in PRICE_KEYS and PRICE_KEYS[k][2]}
        for key, value in values.items():
            if key in NON_TOKEN_KEYS:
                self.exclude(item, f"prices.{key}", NON_TOKEN_KEYS[key])
                continue
            token_type, modality, is_specific = PRICE_KEYS[key]
            if not is_specific and (token_type, modality) in specific:
                continue  # a modality-specific key prices this dimension
            for band, amount in self.bands(value, item, key):
                self.add(provider_id, model_id, name, token_type, tier, band, modality, amount, item, key,
                         valid_from, valid_to)

    def bands(self, value: Decimal | TieredPrice, item: str, key: str) -> list[tuple[str, Decimal]]:
        if isinstance(value, Decimal):
            return [(ALL_CONTEXT, value)]
        tiers = sorted(value.tiers, key=lambda t: t.start)
        if not tiers:
            return [(ALL_CONTEXT, value.base)]
        if len({t.start for t in tiers}) != len(tiers) or tiers[0].start <= 0:
            raise self.drift(f"model {item}: {key} has overlapping or non-positive tier starts")
        for low, high in pairwise(tiers):
            self.exclude(item, f"prices.{key}", f"intermediate prompt-length tier ({low.start}-{high.start} tokens) "
                         "has no single-bound context band")
        return [(f"<={band_label(tiers[0].start)}", value.base), (f">{band_label(tiers[-1].start)}", tiers[-1].price)]

    def add(self, provider_id, model_id, name, token_type, tier, band, modality, amount: Decimal, item, key,
            valid_from, valid_to) -> None:
        if amount < 0:
            raise self.drift(f"model {item}: negative price {key}={amount}")
        previous = self.collect.price(
            model_id, token_type, amount, unit=UNIT, model_name=name, raw=str(amount), provider_id=provider_id,
            tier=tier, band=band, modality=modality, valid_from=valid_from, valid_to=valid_to,
            valid_from_basis="effective" if valid_from else None, strict=False,
        )
        if previous.price_per_mtok != amount:
            self.exclude(item, f"prices.{key}", f"{model_id} {token_type}/{tier}/{band}/{modality} stated twice "
                         f"({previous.raw_value} and {amount}); the first is kept")

    def read_attributes(self, provider_id: str, model_id: str, model: ModelInfo, name: str) -> None:
        creator = creator_of(provider_id, model.id)
        if creator is None or (provider_id, model_id) in self.models:
            return
        self.models[(provider_id, model_id)] = ModelAttributes(
            **self.collect.provenance,
            provider_id=provider_id,
            model_id=model_id,
            source_model_id=model.id,
            model_name=name,
            creator=creator,
            context_length=model.context_window or None,
        )


def creator_of(provider_id: str, model_id: str) -> str | None:
    """Who made the model, where the feed says so without guessing (see module docstring)."""
    if provider_id in FIRST_PARTY:
        return provider_id
    org, slash, _ = model_id.partition("/")
    if slash and org and re.fullmatch(r"[A-Za-z0-9._-]+", org):
        return org.lower()
    return None


def _label(raw: Any) -> str:
    return str(raw.get("id", "?")) if isinstance(raw, dict) else repr(raw)[:60]


def _errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
