"""Every source, registered in one place: id, kind, what to fetch, cadence, parser, licence, citation.

Adding a source means: a module in ``scrapers/sources`` with a pure ``parse``, one entry here, replay
captures under ``demo/captures``, and a staging model in dbt (see the README's "Adding a source").
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from scrapers.errors import UnknownSourceError

#: the prose of a provider's page is never republished; the prices on it are facts
PAGE_TERMS = "{name} website terms; prices are facts, the page's prose is not republished"


@dataclass(frozen=True)
class Target:
    """One URL a source reads. ``key`` names the capture in the replay folder and the manifest."""

    key: str
    url: str


@dataclass(frozen=True)
class Source:
    source_id: str
    kind: str  # pricing_page | model_api | filing | dataset | usage | curated
    #: the URLs to read, or a function giving them when they depend on settings (an API key, a model list)
    target_spec: tuple[Target, ...] | Callable[[], tuple[Target, ...]]
    parser_module: str
    format: str
    #: the raw tables (besides ``fetches``) this source's records land in; each is gated by its GX suite
    writes: tuple[str, ...] = ("price_facts",)
    cadence: str = "daily"
    licence: str = ""
    citation: str = ""
    #: what the source gives, for the README's coverage table
    extracts: str = ""
    #: an environment variable the live fetch needs (an API key); without it the source is skipped, not failed
    requires_env: str | None = None
    #: live only: "module:function" telling which targets are unchanged without fetching them (SEC filings)
    precheck: str | None = None

    @property
    def targets(self) -> tuple[Target, ...]:
        return self.target_spec() if callable(self.target_spec) else self.target_spec

    @property
    def parser(self) -> ModuleType:
        return importlib.import_module(self.parser_module)

    def precheck_function(self) -> Callable | None:
        if not self.precheck:
            return None
        module, _, name = self.precheck.partition(":")
        return getattr(importlib.import_module(module), name)

    def skip_reason(self, live: bool) -> str | None:
        """Why a live run cannot read this source (a missing API key), or None. A replayed day skips the
        sources it holds no capture of (``scrapers.collect.replay_skip_reason``)."""
        if live and self.requires_env and not os.environ.get(self.requires_env):
            return f"skipped: {self.requires_env} is not set"
        return None


def _page(source_id: str, name: str, url: str, key: str, fmt: str, extracts: str, citation: str,
          writes: tuple[str, ...] = ("price_facts",)) -> Source:
    return Source(
        source_id=source_id,
        kind="pricing_page",
        target_spec=(Target(key, url),),
        parser_module=f"scrapers.sources.{source_id}",
        format=fmt,
        writes=writes,
        licence=PAGE_TERMS.format(name=name),
        citation=citation,
        extracts=extracts,
    )


def _dataset(source_id: str, url: str, key: str, fmt: str, licence: str, extracts: str, citation: str,
             writes: tuple[str, ...] = ("price_facts",), cadence: str = "daily") -> Source:
    return Source(
        source_id=source_id,
        kind="dataset",
        target_spec=(Target(key, url),),
        parser_module=f"scrapers.sources.{source_id}",
        format=fmt,
        writes=writes,
        cadence=cadence,
        licence=licence,
        citation=citation,
        extracts=extracts,
    )


def _targets(pairs) -> tuple[Target, ...]:
    return tuple(Target(key, url) for key, url in pairs)


def _sec_targets() -> tuple[Target, ...]:
    from scrapers.sources import sec_capex

    return _targets(sec_capex.targets())


def _endpoint_targets() -> tuple[Target, ...]:
    """The most-used models' endpoint lists; COSTCURVE_OPENROUTER_ENDPOINT_MODELS overrides the list.
    Replay defaults to the three models the bundled demo captures hold."""
    from scrapers.sources import openrouter_endpoints

    chosen = os.environ.get("COSTCURVE_OPENROUTER_ENDPOINT_MODELS")
    if chosen:
        models = tuple(m.strip() for m in chosen.split(",") if m.strip())
    elif os.environ.get("COSTCURVE_MODE", "replay") == "replay":
        models = openrouter_endpoints.DEMO_MODELS
    else:
        models = openrouter_endpoints.TOP_MODELS
    return _targets(openrouter_endpoints.targets(models))


def _rankings_targets() -> tuple[Target, ...]:
    from scrapers.sources import openrouter_rankings

    return _targets(openrouter_rankings.targets(with_manifest=True))


PAGES = [
    _page("anthropic", "Anthropic", "https://platform.claude.com/docs/en/about-claude/pricing.md", "pricing.md",
          "markdown", "input, 5m/1h cache writes, cache hits, output; batch tier; <=200k/>200k long-context bands",
          "Source: Anthropic pricing (platform.claude.com/docs/en/about-claude/pricing)"),
    _page("openai", "OpenAI", "https://developers.openai.com/api/docs/pricing.md", "pricing.md", "markdown",
          "text tokens: standard, batch, flex, priority tiers; cached input; long-context bands; "
          "image and audio tokens as modality facts",
          "Source: OpenAI API pricing (developers.openai.com/api/docs/pricing)"),
    _page("gemini", "Google", "https://ai.google.dev/gemini-api/docs/pricing.md.txt", "pricing.md", "markdown",
          "paid tier; <=200k/>200k bands; per-modality input; image output per token; batch; context caching; "
          "dated future prices",
          "Source: Google Gemini API pricing (ai.google.dev/gemini-api/docs/pricing)"),
    _page("deepseek", "DeepSeek", "https://api-docs.deepseek.com/quick_start/pricing", "pricing.html", "html",
          "cache hit / cache miss / output per alias (deepseek-chat, deepseek-reasoner) with the model version",
          "Source: DeepSeek API docs, Models & Pricing (api-docs.deepseek.com/quick_start/pricing)",
          writes=("price_facts", "model_attributes")),
    _page("deepseek_zh", "DeepSeek", "https://api-docs.deepseek.com/zh-cn/quick_start/pricing", "pricing.html",
          "html", "as deepseek, in CNY (stored as CNY, not converted)",
          "Source: DeepSeek API docs (zh-cn), Models & Pricing (api-docs.deepseek.com/zh-cn/quick_start/pricing)",
          writes=("price_facts", "model_attributes")),
    _page("groq", "Groq", "https://groq.com/pricing", "pricing.html", "html",
          "input/output per model, cached input, published speed (tokens/s)",
          "Source: Groq pricing (groq.com/pricing)", writes=("price_facts", "performance_facts")),
    _page("fireworks", "Fireworks", "https://docs.fireworks.ai/serverless/pricing.md", "pricing.md", "markdown",
          "per-model input/cached/output, priority and batch where shown, parameter-size buckets",
          "Source: Fireworks serverless pricing (docs.fireworks.ai/serverless/pricing)"),
    _page("xai", "xAI", "https://docs.x.ai/developers/pricing.md", "pricing.md", "markdown",
          "input, cached input, output; long-context bands",
          "Source: xAI API pricing (docs.x.ai/developers/pricing)"),
    _page("moonshot", "Moonshot AI", "https://platform.moonshot.ai/docs/pricing/chat.md", "pricing.md",
          "markdown", "cache hit / cache miss / output, context-size bands; USD or CNY as published",
          "Source: Moonshot AI pricing (platform.moonshot.ai/docs/pricing/chat)"),
    _page("minimax", "MiniMax", "https://platform.minimax.io/docs/guides/pricing.md", "pricing.md", "markdown",
          "text models: input, output, cache read and write",
          "Source: MiniMax pay-as-you-go pricing (platform.minimax.io)"),
    _page("cohere", "Cohere", "https://cohere.com/pricing", "pricing.md", "markdown",
          "generative models input/output; embed input",
          "Source: Cohere pricing (cohere.com/pricing)"),
    _page("perplexity", "Perplexity", "https://docs.perplexity.ai/getting-started/pricing.md", "pricing.md",
          "markdown", "Sonar models input/output, reasoning tokens",
          "Source: Perplexity API pricing (docs.perplexity.ai/getting-started/pricing)"),
    _page("mistral", "Mistral AI", "https://mistral.ai/pricing", "pricing.md", "markdown",
          "2024 docs layout only (the live page renders in the browser): input/output in USD and EUR",
          "Source: Mistral AI pricing (2024 docs layout)"),
]

DATASETS = [
    _dataset("genai_prices", "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json",
             "data_v2.json", "json", "MIT (pydantic/genai-prices)",
             "prices per provider and model; tiered prices as context bands; dated price changes",
             "Source: pydantic/genai-prices (github.com/pydantic/genai-prices)",
             writes=("price_facts", "model_attributes")),
    _dataset("llm_prices", "https://www.llm-prices.com/historical-v1.json", "historical-v1.json", "json",
             "no licence stated; prices are facts", "from_date/to_date price intervals",
             "Source: LLM prices by Simon Willison (llm-prices.com)"),
    _dataset("litellm", "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
             "model_prices_and_context_window.json", "json", "MIT (BerriAI/litellm)",
             "per-token costs incl. _batches/_flex/_priority tiers and _above_Nk bands",
             "Source: LiteLLM model cost map (github.com/BerriAI/litellm)"),
    _dataset("litellm_history", "https://github.com/RoCry/llm-api-price/commits/main/model_prices_and_context_window.json",
             "litellm_price_history_changepoints.csv", "csv", "derived from MIT data (BerriAI/litellm)",
             "dated change points of the LiteLLM cost map (first-seen dates)",
             "Source: LiteLLM cost map history via github.com/RoCry/llm-api-price (commit dates)",
             cadence="replay only (derived from git history; no single URL to GET)"),
    _dataset("models_dev", "https://models.dev/api.json", "api.json", "json", "MIT (sst/models.dev)",
             "open_weights, release dates, per-provider costs",
             "Source: models.dev (models.dev/api.json)", writes=("price_facts", "model_attributes")),
    _dataset("epoch_notable_models", "https://epoch.ai/data/notable_ai_models.csv", "notable_ai_models.csv",
             "csv", "CC BY 4.0 (Epoch AI): reuse with attribution",
             "language models: open weights from Model accessibility (licence note kept), organization, "
             "publication date",
             "Epoch AI, 'Notable AI Models', epoch.ai/data/notable-ai-models",
             writes=("model_attributes",),
             cadence="daily (conditional GET; Epoch updates the list irregularly)"),
    _dataset("token_tariff", "https://raw.githubusercontent.com/Prajwalsrinvas/token-tariff/main/timeline.csv",
             "timeline.csv", "csv", "MIT (Prajwalsrinvas/token-tariff)",
             "launch prices input/output dated by release date; Artificial Analysis Intelligence Index (dated) "
             "and METR time horizons as capability scores",
             "Source: token-tariff timeline (github.com/Prajwalsrinvas/token-tariff, timeline.csv)",
             writes=("price_facts", "capability_scores")),
    Source(
        source_id="epoch_benchmarks",
        kind="dataset",
        target_spec=_targets(
            (name, f"https://raw.githubusercontent.com/epoch-research/llm-benchmark-efficiency/main/data/{name}")
            for name in ("aa_data_with_math5.csv", "epoch_ai_price_data_not_in_aa_with_benchmarks.csv")
        ),
        parser_module="scrapers.sources.epoch_benchmarks",
        format="csv",
        writes=("price_facts", "capability_scores"),
        # the repository is the code of one data insight (March 2025); fetched daily, it answers 304
        licence="CC BY 4.0 (Epoch AI): reuse with attribution",
        citation="Epoch AI, 'LLM inference prices have fallen rapidly but unequally across tasks' "
                 "(epoch.ai/data-insights/llm-inference-price-trends), data from Artificial Analysis and Epoch AI",
        extracts="3:1 blended USD per 1M (token type blended_3_1): Epoch's dated API prices back to GPT-3 "
                 "(first-seen dates), Artificial Analysis' undated; MMLU, GPQA Diamond, HumanEval, MATH-500, "
                 "MATH 5, Chatbot Arena Elo as capability scores",
    ),
]

OTHERS = [
    Source(
        source_id="openrouter_models",
        kind="model_api",
        target_spec=(Target("models.json", "https://openrouter.ai/api/v1/models"),),
        parser_module="scrapers.sources.openrouter_models",
        format="json",
        writes=("price_facts", "model_attributes"),
        licence="OpenRouter API terms",
        citation="Source: OpenRouter models API (openrouter.ai/api/v1/models)",
        extracts="per-token prices to per 1M, cache read/write, :batch/:free tiers, hugging_face_id",
    ),
    Source(
        source_id="sec_capex",
        kind="filing",
        target_spec=_sec_targets,
        parser_module="scrapers.sources.sec_capex",
        format="json",
        writes=("capex_facts",),
        cadence="daily; fetched only when a new 10-Q/10-K appears (submissions endpoint)",
        precheck="scrapers.sec_filings:unchanged_targets",
        licence="US public domain (SEC EDGAR)",
        citation="Source: SEC EDGAR XBRL company concepts (data.sec.gov)",
        extracts="capex (and finance-lease principal) facts as filed, five hyperscalers",
    ),
]

USAGE = [
    Source(
        source_id="openrouter_rankings",
        kind="usage",
        target_spec=_rankings_targets,
        parser_module="scrapers.sources.openrouter_rankings",
        format="csv + manifest json (keyless export) or json (keyed API)",
        writes=("usage_facts",),
        licence="CC BY 4.0 (OpenRouter public datasets): reuse with attribution",
        citation="Source: OpenRouter (openrouter.ai/rankings), as of <as_of>",
        extracts="daily tokens per model (top 50 + other), rank, share; keyed API from 2025-01-01 with "
                 "COSTCURVE_OPENROUTER_API_KEY",
    ),
    Source(
        source_id="openrouter_endpoints",
        kind="model_api",
        target_spec=_endpoint_targets,
        parser_module="scrapers.sources.openrouter_endpoints",
        format="json",
        writes=("price_facts", "performance_facts"),
        licence="OpenRouter API terms",
        citation="Source: OpenRouter endpoints API (openrouter.ai/api/v1/models/{author}/{slug}/endpoints)",
        extracts="per-provider prices of the most-used models, quantization, uptime, latency and throughput",
    ),
    Source(
        source_id="together",
        kind="model_api",
        target_spec=(Target("models.json", "https://api.together.xyz/v1/models"),),
        parser_module="scrapers.sources.together",
        format="json",
        writes=("price_facts", "model_attributes"),
        licence="Together AI API terms; prices are facts",
        citation="Source: Together AI models API (api.together.xyz/v1/models)",
        extracts="serverless chat models input/output per 1M; creator (the marketing page renders in the browser)",
        requires_env="COSTCURVE_TOGETHER_API_KEY",
    ),
    Source(
        source_id="throughput_disclosures",
        kind="curated",
        target_spec=(Target("throughput_disclosures.yml", "repo://scrapers/curated/throughput_disclosures.yml"),),
        parser_module="scrapers.sources.throughput_disclosures",
        format="yaml (curated in this repository)",
        writes=("throughput_disclosures",),
        licence="facts from public company statements, curated by costcurve",
        citation="Company disclosures as listed (each row's disclosure_url)",
        extracts="served-token figures companies disclosed, each with its source URL",
        cadence="on change (edited by hand, read every run)",
    ),
]

SOURCES: dict[str, Source] = {source.source_id: source for source in [*OTHERS, *PAGES, *DATASETS, *USAGE]}


def get_source(source_id: str) -> Source:
    try:
        return SOURCES[source_id]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise UnknownSourceError(f"unknown source {source_id!r}; known sources: {known}") from None
