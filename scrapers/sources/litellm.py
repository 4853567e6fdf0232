"""LiteLLM's cost map (``model_prices_and_context_window.json``) -> price facts.

What the file looks like: one JSON object keyed by LiteLLM model string (``"gpt-4o"``,
``"vertex_ai/claude-sonnet-4-5"``, ``"openrouter/anthropic/claude-3.5-sonnet"``); each entry has
``litellm_provider``, ``mode`` (chat, embedding, image_generation ...) and prices in **USD per token**
(``input_cost_per_token: 2.5e-06``) beside capability flags. ``sample_spec`` documents the schema.

Price keys follow a grammar, read here as ``<base>[_above_<N>k_tokens][_<tier>]``:

* base token prices (``TOKEN_BASES``): ``input_cost_per_token`` input, ``output_cost_per_token`` output,
  ``cache_read_input_token_cost`` cache_read, ``cache_creation_input_token_cost`` cache_write,
  ``cache_creation_input_token_cost_above_1hr`` cache_write_1h, ``output_cost_per_reasoning_token`` reasoning,
  and the audio / image / video token variants with their modality. ``input_cost_per_token_cache_hit`` is
  an older spelling of cache_read: when both are present and differ, the canonical key wins and the alias
  is excluded.
* ``_batches`` / ``_flex`` / ``_priority`` -> ``service_tier`` batch / flex / priority.
* ``_above_<N>k_tokens`` -> ``context_band=">Nk"``. **Decision:** the base price of the *same* key and tier
  then gets ``"<=Nk"`` (it is not the price of every prompt any more); a key with no ``_above_`` variant in
  that tier keeps ``"all"``. This mirrors how LiteLLM itself computes cost (a ``_priority`` price without
  an ``_above_`` variant applies at every length). With several thresholds for one key, the middle bands
  cannot be named by a single bound and become exclusions.
* ``tiered_pricing`` (DashScope, Volcengine): ``[{"range": [0, 256000], "input_cost_per_token": ...}, ...]``
  -> ``"<=256k"`` for the first range, ``">256k"`` for the last; middle ranges are exclusions.

Conversion: the file is parsed with ``parse_float`` keeping each number's JSON text, so ``2.5e-06`` becomes
``Decimal("2.5")`` per 1M tokens exactly (``units.parse_per_token``) and ``raw_value`` is the text as published.

What is deliberately not a fact, each as one ``Exclusion``:

* known non-token prices (per image, pixel, second, character, query, request, page, session ...);
* Databricks ``*_dbu_cost_per_token`` (priced in DBUs, not USD);
* output prices of modes that produce no output tokens (embedding, rerank, moderation);
* any other key containing ``cost`` (reason ``"unmapped price field"``): LiteLLM adds fields weekly, so an
  unknown field is recorded, not drift; a mapped field holding a non-number *is* drift;
* prices above ``PLAUSIBLE_MAX`` USD per 1M tokens (upstream unit slips, e.g. per-1K prices entered per
  token), which the raw gate would reject for the whole load;
* the same (provider, model, dimension) under two keys with different prices: the first is kept;
* Together AI's size buckets (``together-ai-up-to-4b`` ... ``together-ai-81.1b-110b``, and the embedding
  buckets ``together-ai-embedding-up-to-150m``, ``together-ai-embedding-151m-to-350m``):
  the price of any model of that parameter count, not a model (``SIZE_BUCKET_REASON``).

Entries without ``litellm_provider`` are not model prices (an exclusion each); non-object top-level
values (a mirror's ``last_updated``) and ``sample_spec`` are skipped. A chat model without input or output
price is fine: it simply yields fewer facts.

Identity: ``provider_id`` is ``litellm_provider`` as published (``vertex_ai-anthropic_models``,
``bedrock_converse`` ...), the crosswalk maps them to sellers. ``model_id`` is the key lowercased, minus a
leading ``<provider>/`` segment when that segment names the entry's own provider (``"gemini/gemini-2.5-pro"``
-> ``gemini-2.5-pro``, ``"vertex_ai/claude-…"`` for ``vertex_ai-anthropic_models`` -> ``claude-…``,
``"openrouter/anthropic/claude-3.5-sonnet"`` -> ``anthropic/claude-3.5-sonnet``: the id that provider's
API takes). Other prefixes (image sizes, regions) stay: they are different products.
"""

from __future__ import annotations

import re
from decimal import Decimal

from scrapers.facts import FactCollector
from scrapers.records import ALL_CONTEXT, CaptureMeta, ParseResult
from scrapers.units import UnknownUnitError, parse_per_token

SOURCE_ID = "litellm"
PARSER_VERSION = "2"  # 2: Together size buckets are exclusions, not models
URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
SKIP_KEYS = {"sample_spec"}
#: LiteLLM keys that price a band of model sizes on Together AI, not a model: identity resolution could
#: only ever list them as unmatched names (they were 2%+ of a 2025-02 day's price rows)
SIZE_BUCKET_RE = re.compile(r"^together-ai-(?:embedding-)?(?:up-to-\d+(?:\.\d+)?[mb]|\d+(?:\.\d+)?[mb]-(?:to-)?\d+(?:\.\d+)?[mb])$",
                            re.IGNORECASE)
SIZE_BUCKET_REASON = "Together AI price bucket by parameter count (any model of that size), not a model"
#: above this many USD per 1M tokens a price is an upstream unit slip (the raw gate's critical bound)
PLAUSIBLE_MAX = Decimal(10_000)

#: base key -> (token_type, modality)
TOKEN_BASES: dict[str, tuple[str, str]] = {
    "input_cost_per_token": ("input", "text"),
    "output_cost_per_token": ("output", "text"),
    "cache_read_input_token_cost": ("cache_read", "text"),
    "cache_creation_input_token_cost": ("cache_write", "text"),
    "cache_creation_input_token_cost_above_1hr": ("cache_write_1h", "text"),
    "output_cost_per_reasoning_token": ("reasoning", "text"),
    "input_cost_per_audio_token": ("input", "audio"),
    "output_cost_per_audio_token": ("output", "audio"),
    "cache_read_input_audio_token_cost": ("cache_read", "audio"),
    "cache_creation_input_audio_token_cost": ("cache_write", "audio"),
    "input_cost_per_image_token": ("input", "image"),
    "output_cost_per_image_token": ("output", "image"),
    "cache_read_input_image_token_cost": ("cache_read", "image"),
    "input_cost_per_video_token": ("input", "video"),
    "output_cost_per_video_token": ("output", "video"),
    "input_cost_per_token_cache_hit": ("cache_read", "text"),  # alias, read after the canonical key
}
ALIASES = {"input_cost_per_token_cache_hit"}
TIER_SUFFIXES = {"batches": "batch", "flex": "flex", "priority": "priority"}
#: base key (suffixes allowed) -> why it is not a token price
NON_TOKEN_BASES: dict[str, str] = {
    "input_cost_per_image": "per image, not a token price",
    "output_cost_per_image": "per image, not a token price",
    "input_cost_per_pixel": "per pixel, not a token price",
    "output_cost_per_pixel": "per pixel, not a token price",
    "input_cost_per_second": "per second, not a token price",
    "output_cost_per_second": "per second, not a token price",
    "input_cost_per_audio_per_second": "per second of audio, not a token price",
    "input_cost_per_video_per_second": "per second of video, not a token price",
    "output_cost_per_video_per_second": "per second of video, not a token price",
    "input_cost_per_character": "per character, not a token price",
    "output_cost_per_character": "per character, not a token price",
    "input_cost_per_query": "per query, not a token price",
    "search_context_cost_per_query": "per search query, not a token price",
    "input_cost_per_request": "per request, not a token price",
    "ocr_cost_per_page": "per page, not a token price",
    "annotation_cost_per_page": "per page, not a token price",
    "ocr_cost_per_credit": "per OCR credit, not a token price",
    "code_interpreter_cost_per_session": "per session, not a token price",
    "file_search_cost_per_1k_calls": "per 1K tool calls, not a token price",
    "file_search_cost_per_gb_per_day": "storage per GB-day, not a token price",
    "vector_store_cost_per_gb_per_day": "storage per GB-day, not a token price",
    "computer_use_input_cost_per_1k_tokens": "computer-use tokens: no token type for them in the vocabulary",
    "computer_use_output_cost_per_1k_tokens": "computer-use tokens: no token type for them in the vocabulary",
    "citation_cost_per_token": "citation tokens: no token type for them in the vocabulary",
    "input_dbu_cost_per_token": "priced in Databricks DBUs, not USD",
    "output_dbu_cost_per_token": "priced in Databricks DBUs, not USD",
}
NO_OUTPUT_MODES = {"embedding", "rerank", "moderation"}
UNMAPPED = "unmapped price field"
_KEY_RE = re.compile(r"^(?P<base>.+?)(?:_above_(?P<n>\d+)k_tokens)?(?:_(?P<tier>batches|flex|priority))?$")


class _Number(Decimal):
    """A JSON number as ``Decimal`` that remembers its text (``2.5e-06``) for ``raw_value``."""

    text: str

    def __new__(cls, text: str) -> _Number:
        number = super().__new__(cls, text)
        number.text = text
        return number


def classify(key: str) -> tuple:
    """``"input_cost_per_token_above_200k_tokens_priority"`` -> ``("token", "input", "text", 200, "priority")``.

    Other results: ``("non_token", reason)`` and ``("unmapped",)``; ``("ignore",)`` for non-price keys.
    """
    if key == "tiered_pricing":
        return ("tiered",)
    if "cost" not in key:
        return ("ignore",)
    match = _KEY_RE.match(key)
    base, n, tier = match["base"], match["n"], match["tier"]
    if base in TOKEN_BASES:
        token_type, modality = TOKEN_BASES[base]
        return ("token", token_type, modality, int(n) if n else None, TIER_SUFFIXES[tier] if tier else "standard")
    if base in NON_TOKEN_BASES:
        return ("non_token", NON_TOKEN_BASES[base])
    return ("unmapped",)


def model_id_for(key: str, provider: str) -> str:
    """LiteLLM key -> the id the provider's API takes (see module docstring)."""
    first, slash, rest = key.strip().partition("/")
    if slash and rest and (provider == first or provider.startswith((f"{first}-", f"{first}_"))):
        return rest.lower()
    return key.strip().lower()


def band_label(thousands: int) -> str:
    return f"{thousands // 1000}m" if thousands % 1000 == 0 else f"{thousands}k"


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """LiteLLM cost map JSON -> price facts (tiers, bands, modalities) and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        document = self.collect.json(body, what="cost map", parse_float=_Number)
        if not isinstance(document, dict) or not document:
            raise self.drift("cost map is not a non-empty JSON object")
        entries = 0
        for key, entry in document.items():
            if key in SKIP_KEYS or not isinstance(entry, dict):
                continue
            entries += 1
            provider = entry.get("litellm_provider")
            if not isinstance(provider, str) or not provider.strip():
                self.exclude(key, "litellm_provider", "entry without litellm_provider (not a model price entry)")
                continue
            if SIZE_BUCKET_RE.match(key.strip()):
                self.exclude(key, "model", SIZE_BUCKET_REASON)
                continue
            self.read_entry(key, entry, provider.strip().lower())
        if not self.collect.facts:
            raise self.drift(f"{entries} entries but no token price")
        return self.collect.result()

    def read_entry(self, key: str, entry: dict, provider: str) -> None:
        model_id = model_id_for(key, provider)
        mode = entry.get("mode")
        prices: list[tuple[str, str, str, int | None, str, object]] = []  # field, tt, modality, n, tier, value
        for field in sorted(entry, key=lambda f: f in ALIASES):  # canonical keys before aliases
            kind = classify(field)
            if kind[0] == "ignore":
                continue
            if kind[0] == "tiered":
                self.read_tiered(key, entry[field], provider, model_id, mode)
            elif kind[0] == "non_token":
                self.exclude(key, field, kind[1])
            elif kind[0] == "unmapped":
                self.exclude(key, field, UNMAPPED)
            elif kind[1] == "output" and mode in NO_OUTPUT_MODES:
                self.exclude(key, field, f"{mode} mode produces no output tokens")
            else:
                prices.append((field, *kind[1:], entry[field]))
        # bands: thresholds per (token type, modality, tier)
        thresholds: dict[tuple, list[int]] = {}
        for _, token_type, modality, n, tier, _ in prices:
            if n is not None:
                thresholds.setdefault((token_type, modality, tier), []).append(n)
        for field, token_type, modality, n, tier, value in prices:
            limits = sorted(set(thresholds.get((token_type, modality, tier), [])))
            if not limits:
                band = ALL_CONTEXT
            elif n is None:
                band = f"<={band_label(limits[0])}"
            elif n == limits[-1]:
                band = f">{band_label(n)}"
            else:
                self.exclude(key, field, "intermediate prompt-length band has no single-bound context band")
                continue
            self.add(key, field, provider, model_id, token_type, tier, band, modality, value)

    def read_tiered(self, key: str, tiers: object, provider: str, model_id: str, mode: object) -> None:
        if not isinstance(tiers, list) or not all(isinstance(t, dict) for t in tiers):
            raise self.drift(f"{key}: tiered_pricing is not a list of objects")
        if not tiers or any("range" not in t for t in tiers):
            self.exclude(key, "tiered_pricing", "tiers without a prompt-token range (not a token price)")
            return
        try:
            ranges = sorted((int(t["range"][0]), int(t["range"][1]), t) for t in tiers)
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise self.drift(f"{key}: tiered_pricing range is not [low, high]: {exc}") from exc
        for i, (low, high, tier) in enumerate(ranges):
            where = f"tiered_pricing[{low}-{high}]"
            if i == 0 and low == 0:
                band = f"<={band_label(high // 1000)}" if high % 1000 == 0 else f"<={high}"
            elif i == len(ranges) - 1:
                band = f">{band_label(low // 1000)}" if low % 1000 == 0 else f">{low}"
            else:
                self.exclude(key, where, "intermediate prompt-length tier has no single-bound context band")
                continue
            for field, value in tier.items():
                if field == "range":
                    continue
                kind = classify(field)
                if kind[0] != "token" or kind[3] is not None or kind[4] != "standard":
                    self.exclude(key, f"{where}.{field}", UNMAPPED)
                    continue
                self.add(key, f"{where}.{field}", provider, model_id, kind[1], "standard", band, kind[2], value)

    def add(self, key, field, provider, model_id, token_type, tier, band, modality, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.drift(f"{key}: {field} is not a number: {value!r:.60}")
        text = value.text if isinstance(value, _Number) else str(value)
        try:
            price = parse_per_token(text)
        except UnknownUnitError as exc:
            raise self.drift(f"{key}: {field}={text}: {exc}") from exc
        if price.price_per_mtok > PLAUSIBLE_MAX:
            self.exclude(key, field, f"implausible price {price.price_per_mtok} USD per 1M tokens "
                         f"(above {PLAUSIBLE_MAX}): likely a unit slip upstream")
            return
        # model_name is the LiteLLM key, so the fact kept names the key that priced it first
        previous = self.collect.price(model_id, token_type, price, model_name=key, raw=text, provider_id=provider,
                                      tier=tier, band=band, modality=modality, strict=False)
        if previous.price_per_mtok != price.price_per_mtok:
            where = "the same entry" if previous.model_name == key else f"key {previous.model_name!r}"
            self.exclude(key, field, f"{model_id} {token_type}/{tier}/{band}/{modality} already priced "
                         f"{previous.raw_value} by {where}; the first is kept")
