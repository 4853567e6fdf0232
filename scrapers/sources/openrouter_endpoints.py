"""OpenRouter ``GET /api/v1/models/{author}/{slug}/endpoints`` -> per-provider prices and speed.

What the response looks like (OpenRouter API reference; **no real capture exists in the samples**, the
tests use a fixture written from the documented shape): ``{"data": {"id", "name", "created",
"description", "architecture", "endpoints": [...]}}``, one endpoint per provider serving the model, each
with ``provider_name``, ``tag`` (provider slug, sometimes with a variant: ``"deepinfra/fp4"``),
``quantization``, ``context_length``, ``pricing`` (USD per token as decimal strings, like the models
API, plus a numeric ``discount``), ``uptime_last_30m`` (percent), ``latency_last_30m`` (time to first
token, ms) and ``throughput_last_30m`` (tokens/s). The last two are documented as percentile objects
(``{"p50", "p75", "p90", "p99"}``) and were plain numbers earlier; both are read. OpenRouter returns
them only to authenticated requests (null otherwise), so a keyless fetch yields prices and uptime only.

Choices:

* ``provider_id`` = the tag's provider part, lowercase (``"deepinfra/fp4"`` -> ``deepinfra``), else the
  provider name slugified. ``model_id`` and the tier come from ``data.id`` exactly as in
  ``openrouter_models`` (``split_id``): the OpenRouter slug without the author.
* One endpoint per provider: a second endpoint of the same provider (another region or quantization)
  becomes an ``Exclusion`` naming both tags, since a price fact has no quantization dimension.
* Prices: every pricing key of the models API plus ``audio_output`` (output, audio) and ``image_token``
  (input, image). ``prompt``/``completion`` are facts even at 0. Other token keys at ``"0"`` mean "not
  priced separately here" and become one ``Exclusion`` per endpoint; per-image, per-request and
  per-search fees become an ``Exclusion`` when non-zero (a zero fee is the absence of a fee). A non-zero
  ``discount`` keeps the list price and records an ``Exclusion``; ``overrides`` likewise; ``"-1"`` is
  dynamic pricing. An unknown pricing key is ``LayoutDriftError`` (``extra="forbid"``).
* Performance: ``uptime_pct`` (percent), ``latency_ms`` / ``latency_ms_p50`` (ms, time to first token)
  and ``output_tokens_per_second`` (tokens/s; for a percentile object the p50, with ``raw_value`` "p50 …",
  since the raw gate's metric list has no throughput p50 name), with the endpoint's
  quantization (``"unknown"`` -> none). Only p50 is kept from percentile objects; nulls -> one
  ``Exclusion`` per endpoint naming them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, ValidationError

from scrapers.facts import FactCollector
from scrapers.records import CaptureMeta, ParseResult, PerformanceFact
from scrapers.sources.openrouter_models import NON_TOKEN_PRICES, TOKEN_PRICES, split_id
from scrapers.units import UnknownUnitError, parse_per_token

SOURCE_ID = "openrouter_endpoints"
PARSER_VERSION = "1"
URL_TEMPLATE = "https://openrouter.ai/api/v1/models/{author}/{slug}/endpoints"

#: Most-used models with a confirmed OpenRouter id: the top 50 of the rankings sample (2026-09-30 and
#: 2026-10-07) whose permaslug is the ``canonical_slug`` of a model in the models sample, plus gpt-oss-120b
#: (permaslug = id). Refresh from the rankings when the top moves: deepseek-v4.1-flash, glm-5.3-flash and
#: mimo-v2.6-flash lead those days but their API ids are not confirmed by any capture, so none is guessed.
TOP_MODELS: tuple[str, ...] = (
    "deepseek/deepseek-v4-flash-0731",
    "deepseek/deepseek-v4-flash",
    "deepseek/deepseek-v4-pro",
    "openai/gpt-5.6-luna",
    "nvidia/nemotron-3-ultra-550b-a55b",
    "z-ai/glm-5.2",
    "moonshotai/kimi-k3",
    "minimax/minimax-m3",
    "anthropic/claude-sonnet-5",
    "google/gemini-3.7-flash",
    "openai/gpt-oss-120b",
)

#: pricing key -> (token_type, modality): the models API's keys plus two the endpoints document
ENDPOINT_TOKEN_PRICES = {**TOKEN_PRICES, "audio_output": ("output", "audio"), "image_token": ("input", "image")}
ALWAYS_FACTS = frozenset({"prompt", "completion"})
DYNAMIC = "-1"


def capture_key(openrouter_id: str) -> str:
    author, slug = _author_slug(openrouter_id)
    return f"{author}__{slug}.json"


def endpoints_url(openrouter_id: str) -> str:
    author, slug = _author_slug(openrouter_id)
    return URL_TEMPLATE.format(author=author, slug=slug)


#: the models the demo replay captures cover (a replayed day needs a capture for every registered target)
DEMO_MODELS: tuple[str, ...] = ("openai/gpt-oss-120b", "deepseek/deepseek-v4-pro", "deepseek/deepseek-v4-flash")


def targets(models: tuple[str, ...] = TOP_MODELS) -> list[tuple[str, str]]:
    """(capture_key, url) for every model in ``models`` (default ``TOP_MODELS``)."""
    return [(capture_key(model), endpoints_url(model)) for model in models]


def _author_slug(openrouter_id: str) -> tuple[str, str]:
    author, slash, slug = openrouter_id.partition("/")
    if not slash or not re.fullmatch(r"[\w.\-]+", author) or not re.fullmatch(r"[\w.\-:]+", slug):
        raise ValueError(f"{openrouter_id!r} is not 'author/slug'")
    return author, slug


class Pricing(BaseModel):
    """An endpoint's pricing. ``extra="forbid"``: an unknown key is a price dimension nobody mapped yet."""

    model_config = ConfigDict(extra="forbid")

    prompt: str
    completion: str
    input_cache_read: str | None = None
    input_cache_write: str | None = None
    input_cache_write_1h: str | None = None
    internal_reasoning: str | None = None
    audio: str | None = None
    audio_output: str | None = None
    input_audio_cache: str | None = None
    image_token: str | None = None
    image: str | None = None
    image_output: str | None = None
    web_search: str | None = None
    request: str | None = None
    discount: Decimal | None = None
    overrides: list[dict] | None = None


class Percentiles(BaseModel):
    model_config = ConfigDict(extra="ignore")

    p50: Decimal


class Endpoint(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    provider_name: str
    tag: str | None = None
    quantization: str | None = None
    pricing: Pricing
    uptime_last_30m: Decimal | None = None
    latency_last_30m: Decimal | Percentiles | None = None
    throughput_last_30m: Decimal | Percentiles | None = None


class ModelEndpoints(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    endpoints: list[Endpoint]


#: field -> (metric for a plain number, metric for a percentile object's p50, unit). Throughput's p50 is
#: ``output_tokens_per_second`` because the raw performance gate knows no ``output_tokens_per_second_p50``
#: yet; ``raw_value`` says "p50" so the statistic is not lost.
PERFORMANCE = {
    "uptime_last_30m": ("uptime_pct", "uptime_pct", "percent"),
    "latency_last_30m": ("latency_ms", "latency_ms_p50", "ms"),
    "throughput_last_30m": ("output_tokens_per_second", "output_tokens_per_second", "tokens/s"),
}


def provider_slug(endpoint: Endpoint) -> str:
    """``tag`` ``"deepinfra/fp4"`` -> ``deepinfra``; without a tag, ``"Google Vertex"`` -> ``google-vertex``."""
    source = (endpoint.tag or "").split("/")[0] or endpoint.provider_name
    return re.sub(r"[^a-z0-9.]+", "-", source.strip().lower()).strip("-")


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """One model's endpoints JSON -> price facts and performance facts per provider, plus exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude
        self.performance: list[PerformanceFact] = []

    def run(self, body: bytes) -> ParseResult:
        document = self.collect.json(body)
        data = document.get("data") if isinstance(document, dict) else None
        if not isinstance(data, dict):
            raise self.drift("response has no 'data' object")
        try:
            model = ModelEndpoints.model_validate(data)
            _, self.model_id, self.tier, _ = split_id(model.id)
        except (ValidationError, ValueError) as exc:
            raise self.drift(f"model {data.get('id', '?')}: {exc}") from exc
        if not model.endpoints:
            raise self.drift(f"model {model.id}: no endpoints")
        self.model = model
        kept: dict[str, str] = {}  # provider_id -> tag of the endpoint kept
        for endpoint in model.endpoints:
            provider = provider_slug(endpoint)
            label = f"{model.id} @ {endpoint.tag or endpoint.provider_name}"
            if not provider:
                raise self.drift(f"{label}: no provider slug")
            if provider in kept:
                self.exclude(label, "endpoint", f"second endpoint of provider {provider!r}; prices and speed "
                             f"kept from tag {kept[provider]!r}")
                continue
            kept[provider] = endpoint.tag or endpoint.provider_name
            self.read_prices(endpoint, provider, label)
            self.read_performance(endpoint, provider, label)
        if not self.collect.facts:
            raise self.drift(f"model {model.id}: {len(model.endpoints)} endpoints but no token price")
        return self.collect.result(performance=self.performance)

    def read_prices(self, endpoint: Endpoint, provider: str, label: str) -> None:
        zero_optional = []
        for key, value in endpoint.pricing.model_dump(exclude_none=True).items():
            if key == "discount":
                if value != 0:
                    self.exclude(label, "pricing.discount", f"discount {value} not applied; list price kept")
            elif key == "overrides":
                self.exclude(label, "pricing.overrides", f"{len(value)} pricing override(s) not modelled; "
                             "base price kept")
            elif value.strip() == DYNAMIC:
                self.exclude(label, f"pricing.{key}", "dynamic pricing (-1)")
            elif key in NON_TOKEN_PRICES:
                if self.amount(value, key, label) != 0:
                    self.exclude(label, f"pricing.{key}", NON_TOKEN_PRICES[key])
            elif key not in ALWAYS_FACTS and self.amount(value, key, label) == 0:
                zero_optional.append(key)
            else:
                self.add_price(endpoint, provider, label, key, value)
        if zero_optional:
            self.exclude(label, "pricing", "zero price means not priced separately on this endpoint: "
                         + ", ".join(zero_optional))

    def amount(self, value: str, key: str, label: str) -> Decimal:
        try:
            return parse_per_token(value).price_per_mtok
        except UnknownUnitError as exc:
            raise self.drift(f"{label}: {key}={value!r} is not a per-token decimal ({exc})") from exc

    def add_price(self, endpoint: Endpoint, provider: str, label: str, key: str, value: str) -> None:
        token_type, modality = ENDPOINT_TOKEN_PRICES[key]
        amount = self.amount(value, key, label)
        # one endpoint per provider and one pricing key per (token type, modality): no key repeats
        self.collect.price(self.model_id, token_type, amount, unit="USD/token", model_name=self.model.name,
                           raw=value, provider_id=provider, tier=self.tier, modality=modality)

    def read_performance(self, endpoint: Endpoint, provider: str, label: str) -> None:
        quantization = (endpoint.quantization or "").strip().lower()
        missing = [field for field in PERFORMANCE if getattr(endpoint, field) is None]
        if missing:
            self.exclude(label, "stats", "null " + ", ".join(missing) + " (OpenRouter returns latency and "
                         "throughput only to authenticated requests; null also means no recent traffic)")
        for field, (plain_metric, p50_metric, unit) in PERFORMANCE.items():
            raw = getattr(endpoint, field)
            if raw is None:
                continue
            percentile = isinstance(raw, Percentiles)
            value, metric = (raw.p50, p50_metric) if percentile else (raw, plain_metric)
            if value < 0 or (unit == "percent" and value > 100):
                raise self.drift(f"{label}: {field}={value} is out of range")
            self.performance.append(PerformanceFact(
                **self.collect.provenance,
                provider_id=provider,
                model_id=self.model_id,
                model_name=self.model.name,
                metric=metric,
                value=value,
                unit=unit,
                quantization=None if quantization in ("", "unknown") else quantization,
                raw_value=f"p50 {value}" if percentile else str(value),
            ))
