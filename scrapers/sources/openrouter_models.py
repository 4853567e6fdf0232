"""OpenRouter ``GET /api/v1/models`` -> price facts (USD per 1M tokens) and model attributes.

OpenRouter publishes prices as USD *per token* in decimal strings ("0.00000045"); they are rescaled to
per 1M tokens exactly (``Decimal`` point shift, never float), so "0.00000045" is ``Decimal("0.45")``.

Pricing keys and what becomes of them:

* token prices -> facts: ``prompt`` input, ``completion`` output, ``input_cache_read`` cache_read,
  ``input_cache_write`` cache_write, ``input_cache_write_1h`` cache_write_1h, ``internal_reasoning``
  reasoning, ``audio`` input with modality audio, ``input_audio_cache`` cache_read with modality audio;
* per-unit prices that are not per token (``image``, ``image_output``, ``web_search``, ``request``) ->
  an ``Exclusion`` each, with the reason;
* ``"-1"`` means dynamic pricing (routers) -> ``Exclusion`` "dynamic pricing (-1)";
* ``overrides`` (time-of-day windows, or prompt-length tiers via ``min_prompt_tokens``) -> the base price
  is kept with ``context_band="all"`` and one ``Exclusion`` per model says the overrides were not modelled.

The pricing object is validated with ``extra="forbid"``: a new pricing key is a new price dimension and
raises ``LayoutDriftError`` until someone decides what it means. Unknown top-level model keys are fine.

Identity: ``"anthropic/claude-opus-5:batch"`` -> ``model_id="claude-opus-5"``, creator ``anthropic``,
``service_tier="batch"``; ``:free`` -> ``service_tier="free"``. Any *other* ``:suffix`` (``:thinking``,
``:extended`` ...) changes the product, not the tier, so it stays in the id (``"claude-3.7-sonnet:thinking"``)
and never merges with the base model's prices. ``model_id`` is OpenRouter's slug as published (dots kept:
``claude-opus-4.5``); mapping to the provider's canonical id is the crosswalk's job.

One ``ModelAttributes`` per ``model_id``, taken from the unsuffixed object when present. ``open_weights``
is ``True`` when ``hugging_face_id`` is non-empty and ``None`` (unknown, not ``False``) otherwise: a missing
Hugging Face link is not evidence of closed weights.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.facts import FactCollector
from scrapers.records import CaptureMeta, ModelAttributes, ParseResult
from scrapers.units import parse_per_token

SOURCE_ID = "openrouter_models"
PARSER_VERSION = "1"
URL = "https://openrouter.ai/api/v1/models"
PROVIDER_ID = "openrouter"
OPEN_WEIGHTS_BASIS = "openrouter:hugging_face_id"

#: ``:suffix`` -> service tier. Other suffixes stay part of the model id.
TIER_SUFFIXES = {"batch": "batch", "free": "free"}

#: pricing key -> (token_type, modality)
TOKEN_PRICES: dict[str, tuple[str, str]] = {
    "prompt": ("input", "text"),
    "completion": ("output", "text"),
    "input_cache_read": ("cache_read", "text"),
    "input_cache_write": ("cache_write", "text"),
    "input_cache_write_1h": ("cache_write_1h", "text"),
    "internal_reasoning": ("reasoning", "text"),
    "audio": ("input", "audio"),
    "input_audio_cache": ("cache_read", "audio"),
}
#: pricing key -> why it is not a per-token fact
NON_TOKEN_PRICES: dict[str, str] = {
    "image": "per-image input price, not a token price",
    "image_output": "per-image output price, not a token price",
    "web_search": "per web search, not a token price",
    "request": "per request, not a token price",
}
DYNAMIC = "-1"


class Pricing(BaseModel):
    """The pricing object. ``extra="forbid"``: an unknown key is a price dimension we do not model yet."""

    model_config = ConfigDict(extra="forbid")

    prompt: str
    completion: str
    input_cache_read: str | None = None
    input_cache_write: str | None = None
    input_cache_write_1h: str | None = None
    internal_reasoning: str | None = None
    audio: str | None = None
    input_audio_cache: str | None = None
    image: str | None = None
    image_output: str | None = None
    web_search: str | None = None
    request: str | None = None
    overrides: list[dict] | None = None


class ModelObject(BaseModel):
    """The fields of one model object this parser reads; other keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    created: int | None = None
    context_length: int | None = None
    hugging_face_id: str | None = None
    pricing: Pricing


def split_id(openrouter_id: str) -> tuple[str, str, str, str]:
    """``"anthropic/claude-opus-5:batch"`` -> ``(creator, model_id, service_tier, source_model_id)``."""
    base, _, suffix = openrouter_id.strip().partition(":")
    creator, slash, slug = base.partition("/")
    if not slash or not creator or not slug:
        raise ValueError(f"model id {openrouter_id!r} is not 'creator/slug[:variant]'")
    if suffix in TIER_SUFFIXES:
        return creator.lower(), slug.lower(), TIER_SUFFIXES[suffix], base
    if suffix:
        return creator.lower(), f"{slug}:{suffix}".lower(), "standard", openrouter_id.strip()
    return creator.lower(), slug.lower(), "standard", base


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """OpenRouter models JSON -> price facts, model attributes and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude
        self.seen: dict[str, dict] = {}  # OpenRouter id -> raw object
        self.owner: dict[str, str] = {}  # model_id -> source_model_id that claimed it
        self.attributes: dict[str, tuple[bool, ModelAttributes]] = {}  # model_id -> (from base object, attrs)

    def run(self, body: bytes) -> ParseResult:
        document = self.collect.json(body, parse_float=None)
        data = document.get("data") if isinstance(document, dict) else None
        if not isinstance(data, list) or not data:
            raise self.drift("response has no non-empty 'data' list")
        for raw in data:
            self.read_model(raw)
        if not self.collect.facts:
            raise self.drift(f"{len(data)} model objects but no token price")
        return self.collect.result(models=[attrs for _, attrs in self.attributes.values()])

    def read_model(self, raw: object) -> None:
        if not isinstance(raw, dict):
            raise self.drift(f"model entry is not an object: {raw!r:.80}")
        label = str(raw.get("id", "?"))
        try:
            model = ModelObject.model_validate(raw)
            creator, model_id, tier, source_model_id = split_id(model.id)
        except (ValidationError, ValueError) as exc:
            raise self.drift(f"model {label}: {exc}") from exc

        if model.id in self.seen:
            if self.seen[model.id] != raw:
                self.exclude(model.id, "id", "duplicate id with different content; the first object was kept")
            return  # an identical repeat states the same facts again
        self.seen[model.id] = raw
        owner = self.owner.setdefault(model_id, source_model_id)
        if owner != source_model_id:
            self.exclude(model.id, "id", f"model_id {model_id!r} already taken by {owner!r}")
            return

        self.read_prices(model, model_id, tier)
        self.read_attributes(model, creator, model_id, tier, source_model_id)

    def read_prices(self, model: ModelObject, model_id: str, tier: str) -> None:
        pricing = model.pricing
        for key, value in pricing.model_dump(exclude_none=True).items():
            if key == "overrides":
                self.exclude(model.id, "pricing.overrides", _describe_overrides(value))
            elif key in NON_TOKEN_PRICES:
                self.exclude(model.id, f"pricing.{key}", NON_TOKEN_PRICES[key])
            elif value.strip() == DYNAMIC:
                self.exclude(model.id, f"pricing.{key}", "dynamic pricing (-1)")
            else:
                token_type, modality = TOKEN_PRICES[key]
                self.add_price(model, model_id, tier, key, token_type, modality, value)

    def add_price(self, model, model_id, tier, key, token_type, modality, value: str) -> None:
        try:
            if Decimal(value.strip()) < 0:
                raise self.drift(f"model {model.id}: negative price {key}={value!r}")
            price = parse_per_token(value)
        except (InvalidOperation, ValueError) as exc:
            raise self.drift(f"model {model.id}: {key}={value!r} is not a per-token decimal") from exc
        # a model_id has one owning OpenRouter id (read_model), so its keys do not repeat
        self.collect.price(model_id, token_type, price, model_name=model.name, raw=value, tier=tier,
                           modality=modality)

    def read_attributes(self, model: ModelObject, creator: str, model_id: str, tier: str, source_id: str) -> None:
        is_base = tier == "standard"
        current = self.attributes.get(model_id)
        if current is not None and (current[0] or not is_base):
            return  # keep the unsuffixed object's attributes, else the first variant's
        hf_id = (model.hugging_face_id or "").strip() or None
        created_at = datetime.fromtimestamp(model.created, tz=UTC) if model.created else None
        attrs = ModelAttributes(
            **self.collect.provenance,
            provider_id=PROVIDER_ID,
            model_id=model_id,
            source_model_id=source_id,
            model_name=model.name if is_base else re.sub(r"\s*\((?:batch|free)\)$", "", model.name),
            creator=creator,
            hugging_face_id=hf_id,
            open_weights=True if hf_id else None,
            open_weights_basis=OPEN_WEIGHTS_BASIS if hf_id else None,
            context_length=model.context_length,
            created_at=created_at,
        )
        self.attributes[model_id] = (is_base, attrs)


def _describe_overrides(overrides: list[dict]) -> str:
    kinds = []
    if any("utc_start" in o or "utc_end" in o for o in overrides):
        kinds.append("time-of-day windows")
    thresholds = sorted({o["min_prompt_tokens"] for o in overrides if "min_prompt_tokens" in o})
    if thresholds:
        kinds.append("prompt-length tiers from " + ", ".join(f"{t} tokens" for t in thresholds))
    other = sorted({k for o in overrides for k in o} - {"utc_start", "utc_end", "min_prompt_tokens"}
                   - set(TOKEN_PRICES) - set(NON_TOKEN_PRICES))
    if other:
        kinds.append("unknown keys " + ", ".join(other))
    what = "; ".join(kinds) or "unknown kind"
    return f"{len(overrides)} pricing override(s) not modelled ({what}); base price kept"
