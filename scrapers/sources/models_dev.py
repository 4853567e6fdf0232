"""models.dev (``https://models.dev/api.json``) -> model attributes (open weights, release date) and prices.

What the data looks like, in two shapes, both read:

* the published ``api.json`` (what is fetched): ``{"<provider>": {"id", "name", "models": {"<model id>":
  {"id", "name", "family", "release_date", "open_weights", "cost": {...}, "limit": {"context": ...}}}}}``;
* the repository's source files as one JSON (the shared capture): ``{"<provider>": {"provider.toml": {...},
  "models/<model id>.toml": {...}}}``, where an entry may only point at a shared definition through
  ``base_model`` and carry its own ``cost`` (the published ``api.json`` has them merged).

``cost`` is USD per 1M tokens (checked against the schema excerpt and known list prices: Claude Opus 4.1
``input = 15``): ``input``, ``output``, ``cache_read``, ``cache_write``, ``reasoning``, ``input_audio``,
``output_audio`` map onto token type x modality; ``cached_input`` is a spelling of ``cache_read`` used by a
few entries. Values are read as exact ``Decimal`` from the JSON text.

Choices, and why:

* **Strict cost object** (``extra="forbid"``): a new cost key is layout drift; metadata keys are ignored.
* **Tiers -> context bands.** ``cost.tiers = [{"tier": {"size": 272000}, "input": 5, ...}]`` (and the older
  ``context_over_200k`` object) -> the tier price gets ``">272k"`` and the base price of the same key
  ``"<=272k"``; keys without a tier price keep ``"all"``. A tier of another ``type`` than ``context`` is
  an exclusion; with several tiers the middle ones are exclusions (no single-bound band).
* **Experimental modes.** ``experimental.modes.fast`` that selects ``service_tier: priority`` in the
  request body (OpenAI) -> facts with ``service_tier="priority"``; a mode selected otherwise (Anthropic's
  ``speed: fast``) has no tier in the vocabulary and is an exclusion.
* **No cost** (``base_model`` entries of the source shape whose price lives in the shared definition, or
  unpriced models) -> an exclusion; the attributes are still kept.
* **Attributes.** ``open_weights`` as published with ``open_weights_basis="models.dev:open_weights"``
  (missing -> ``None``, unknown); ``release_date`` -> ``created_at`` (midnight UTC); ``limit.context`` ->
  ``context_length`` (0 means unknown -> ``None``). ``family`` has no field in ``ModelAttributes`` and is not
  forced into ``model_name``. ``creator``: the org of ``base_model`` or of an ``org/model`` id, else the
  provider for first-party providers (``FIRST_PARTY``), else ``"unknown"``.
* **Identity.** ``provider_id`` is the models.dev provider id (``togetherai``, ``fireworks-ai`` ...);
  ``model_id`` the model id lowercased, a ``:free`` suffix -> ``service_tier="free"`` (as for OpenRouter).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.facts import FactCollector
from scrapers.records import (
    ALL_CONTEXT,
    SERVICE_TIERS,
    CaptureMeta,
    ModelAttributes,
    ParseResult,
)

SOURCE_ID = "models_dev"
PARSER_VERSION = "1"
URL = "https://models.dev/api.json"
UNIT = "USD/MTok"
OPEN_WEIGHTS_BASIS = "models.dev:open_weights"
FIRST_PARTY = {"openai", "anthropic", "google", "mistral", "deepseek", "xai", "cohere", "moonshotai", "minimax"}
FREE_SUFFIX = ":free"

#: cost key -> (token_type, modality)
COST_KEYS: dict[str, tuple[str, str]] = {
    "input": ("input", "text"),
    "output": ("output", "text"),
    "cache_read": ("cache_read", "text"),
    "cache_write": ("cache_write", "text"),
    "reasoning": ("reasoning", "text"),
    "input_audio": ("input", "audio"),
    "output_audio": ("output", "audio"),
    "cached_input": ("cache_read", "text"),
}
_MODEL_FILE = re.compile(r"^models/(?P<id>.+)\.toml$")


class _Prices(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    reasoning: Decimal | None = None
    input_audio: Decimal | None = None
    output_audio: Decimal | None = None
    cached_input: Decimal | None = None


class TierSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    size: int
    type: str | None = None


class CostTier(_Prices):
    tier: TierSpec


class Cost(_Prices):
    tiers: list[CostTier] | None = None
    context_over_200k: _Prices | None = None


class Limit(BaseModel):
    model_config = ConfigDict(extra="ignore")

    context: int | None = None


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    name: str | None = None
    release_date: str | None = None
    open_weights: bool | None = None
    base_model: str | None = None
    cost: Cost | None = None
    limit: Limit | None = None
    experimental: dict | None = None


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """models.dev JSON (``api.json`` or the source-file dump) -> attributes, prices and exclusions."""
    return _Parser(meta).run(body)


def creator_of(provider_id: str, model_id: str, base_model: str | None) -> str:
    for ref in (base_model, model_id):
        org, slash, _ = (ref or "").partition("/")
        org = org.lstrip("~").lower()
        if slash and org and org != "accounts":
            return org
    return provider_id if provider_id in FIRST_PARTY else "unknown"


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude
        self.models: dict[tuple[str, str], tuple[bool, ModelAttributes]] = {}

    def run(self, body: bytes) -> ParseResult:
        document = self.collect.json(body)
        if isinstance(document, dict) and isinstance(document.get("providers"), dict):
            document = document["providers"]
        if not isinstance(document, dict):
            raise self.drift("response is not an object of providers")
        count = 0
        for provider_id, provider in document.items():
            if provider_id.startswith("_"):
                continue  # the capture's own _provenance note
            for model_id, raw in self.provider_models(provider_id, provider):
                count += 1
                self.read_model(provider_id.strip().lower(), model_id, raw)
        if not count:
            raise self.drift("no provider lists any model")
        if not self.collect.facts:
            raise self.drift(f"{count} models but no price")
        return self.collect.result(models=[m for _, m in self.models.values()])

    def provider_models(self, provider_id: str, provider: object) -> list[tuple[str, dict]]:
        if not isinstance(provider, dict):
            raise self.drift(f"provider {provider_id!r} is not an object")
        if isinstance(provider.get("models"), dict):  # api.json
            return [(str(m.get("id") or key) if isinstance(m, dict) else key, m)
                    for key, m in provider["models"].items()]
        files = [(match["id"], m) for key, m in provider.items() if (match := _MODEL_FILE.match(key))]
        if not files:
            raise self.drift(f"provider {provider_id!r} has neither a 'models' object nor models/*.toml entries")
        return files

    def read_model(self, provider_id: str, source_model_id: str, raw: object) -> None:
        item = f"{provider_id}/{source_model_id}"
        if not isinstance(raw, dict):
            raise self.drift(f"model {item} is not an object")
        try:
            model = Model.model_validate(raw)
        except ValidationError as exc:
            errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
            raise self.drift(f"model {item}: {errors}") from exc
        model_id, tier = source_model_id.strip().lower(), "standard"
        if model_id.endswith(FREE_SUFFIX):
            model_id, tier = model_id.removesuffix(FREE_SUFFIX), "free"
        name = (model.name or source_model_id).strip()
        if model.cost is None:
            why = (f"no cost in this entry (it inherits from base_model {model.base_model!r}, not in this file)"
                   if model.base_model else "no cost published")
            self.exclude(item, "cost", why)
        else:
            self.read_cost(model.cost, provider_id, model_id, name, tier, item, "cost")
            self.read_modes(model, provider_id, model_id, name, item)
        self.read_attributes(provider_id, model_id, source_model_id, name, tier, model)

    def read_cost(self, cost: Cost | _Prices, provider_id, model_id, name, tier, item, where: str) -> None:
        tiers = list(getattr(cost, "tiers", None) or [])
        over_200k = getattr(cost, "context_over_200k", None)
        if over_200k is not None:
            tiers.append(CostTier(tier=TierSpec(size=200_000, type="context"), **over_200k.model_dump()))
        context_tiers = []
        for spec in tiers:
            if spec.tier.type not in (None, "context"):
                self.exclude(item, f"{where}.tiers", f"tier of type {spec.tier.type!r} is not a prompt-length tier")
            else:
                context_tiers.append(spec)
        context_tiers.sort(key=lambda t: t.tier.size)
        for low, high in pairwise(context_tiers):
            self.exclude(item, f"{where}.tiers", f"intermediate prompt-length tier ({low.tier.size}-"
                         f"{high.tier.size} tokens) has no single-bound context band")
        last = context_tiers[-1] if context_tiers else None
        first_size = context_tiers[0].tier.size if context_tiers else None
        for key in COST_KEYS:
            base = getattr(cost, key)
            banded = last is not None and getattr(last, key) is not None
            if base is not None:
                band = f"<={_band(first_size)}" if banded else ALL_CONTEXT
                self.add(provider_id, model_id, name, key, tier, band, base, item, f"{where}.{key}")
            if banded:
                self.add(provider_id, model_id, name, key, tier, f">{_band(last.tier.size)}", getattr(last, key),
                         item, f"{where}.tiers.{key}")

    def read_modes(self, model: Model, provider_id, model_id, name, item) -> None:
        modes = (model.experimental or {}).get("modes") or {}
        if not isinstance(modes, dict):
            raise self.drift(f"model {item}: experimental.modes is not an object")
        for mode, spec in modes.items():
            where = f"experimental.modes.{mode}"
            if not isinstance(spec, dict) or not isinstance(spec.get("cost"), dict):
                self.exclude(item, where, "experimental mode without a cost object")
                continue
            body = (spec.get("provider") or {}).get("body") or {}
            tier = body.get("service_tier") if isinstance(body, dict) else None
            if tier not in SERVICE_TIERS or tier == "standard":
                selector = ", ".join(f"{k}={v}" for k, v in body.items()) if isinstance(body, dict) else "?"
                self.exclude(item, where, f"mode {mode!r} is selected by request options ({selector or 'none'}), "
                             "not a service tier in the vocabulary")
                continue
            try:
                cost = Cost.model_validate(spec["cost"])
            except ValidationError as exc:
                raise self.drift(f"model {item}: {where}.cost: {exc.errors()[0]['msg']}") from exc
            self.read_cost(cost, provider_id, model_id, name, tier, item, f"{where}.cost")

    def add(self, provider_id, model_id, name, key, tier, band, amount: Decimal, item, field) -> None:
        if amount < 0:
            raise self.drift(f"model {item}: negative price {field}={amount}")
        token_type, modality = COST_KEYS[key]
        previous = self.collect.price(
            model_id, token_type, amount, unit=UNIT, model_name=name, raw=str(amount), provider_id=provider_id,
            tier=tier, band=band, modality=modality, strict=False,
        )
        if previous.price_per_mtok != amount:
            self.exclude(item, field, f"{model_id} {token_type}/{tier}/{band}/{modality} already priced "
                         f"{previous.raw_value}; the first is kept")

    def read_attributes(self, provider_id, model_id, source_model_id, name, tier, model: Model) -> None:
        current = self.models.get((provider_id, model_id))
        is_base = tier == "standard"
        if current is not None and (current[0] or not is_base):
            return  # keep the base entry's attributes over a :free variant's
        context = model.limit.context if model.limit and model.limit.context else None
        self.models[(provider_id, model_id)] = (is_base, ModelAttributes(
            **self.collect.provenance,
            provider_id=provider_id,
            model_id=model_id,
            source_model_id=source_model_id,
            model_name=name,
            creator=creator_of(provider_id, source_model_id, model.base_model),
            open_weights=model.open_weights,
            open_weights_basis=OPEN_WEIGHTS_BASIS if model.open_weights is not None else None,
            context_length=context,
            created_at=_release(model.release_date),
        ))


def _band(tokens: int) -> str:
    if tokens % 1_000_000 == 0:
        return f"{tokens // 1_000_000}m"
    return f"{tokens // 1000}k" if tokens % 1000 == 0 else str(tokens)


def _release(value: str | None) -> datetime | None:
    """``"2025-02-19"`` -> midnight UTC; ``"2025-02"`` -> the first of the month; anything else -> None."""
    text = (value or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
