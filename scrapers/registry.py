"""Every source, registered in one place: id, kind, what to fetch, cadence, parser, licence, citation.

Adding a source means: a module in ``scrapers/sources`` with a pure ``parse``, one entry here, replay
captures under ``demo/captures``, and a staging model in dbt (see the README's "Adding a source").
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Target:
    """One URL a source reads. ``key`` names the capture in the replay folder and the manifest."""

    key: str
    url: str


@dataclass(frozen=True)
class Source:
    source_id: str
    kind: str  # pricing_page | model_api | filing | dataset
    targets: tuple[Target, ...]
    parser_module: str
    format: str
    #: the raw tables (besides ``fetches``) this source's records land in; each is gated by its GX suite
    writes: tuple[str, ...] = ("price_facts",)
    cadence: str = "daily"
    licence: str = ""
    citation: str = ""

    @property
    def parser(self) -> ModuleType:
        return importlib.import_module(self.parser_module)


def _sec_targets() -> tuple[Target, ...]:
    from scrapers.sources import sec_capex

    return tuple(
        Target(key=f"CIK{spec['cik']:010d}-{tag}.json", url=sec_capex.concept_url(spec["cik"], tag))
        for spec in sec_capex.COMPANIES.values()
        for tag in spec["tags"]
    )


def _build() -> dict[str, Source]:
    sources = [
        Source(
            source_id="anthropic",
            kind="pricing_page",
            targets=(Target("pricing.md", "https://platform.claude.com/docs/en/about-claude/pricing.md"),),
            parser_module="scrapers.sources.anthropic",
            format="markdown",
            licence="Anthropic website terms; prices are facts, the page's prose is not republished",
            citation="Source: Anthropic pricing (platform.claude.com/docs/en/about-claude/pricing)",
        ),
        Source(
            source_id="openrouter_models",
            kind="model_api",
            targets=(Target("models.json", "https://openrouter.ai/api/v1/models"),),
            parser_module="scrapers.sources.openrouter_models",
            format="json",
            writes=("price_facts", "model_attributes"),
            licence="OpenRouter API terms",
            citation="Source: OpenRouter models API (openrouter.ai/api/v1/models)",
        ),
        Source(
            source_id="sec_capex",
            kind="filing",
            targets=_sec_targets(),
            parser_module="scrapers.sources.sec_capex",
            format="json",
            writes=("capex_facts",),
            licence="US public domain (SEC EDGAR)",
            citation="Source: SEC EDGAR XBRL company concepts (data.sec.gov)",
        ),
    ]
    return {source.source_id: source for source in sources}


SOURCES: dict[str, Source] = _build()


def get_source(source_id: str) -> Source:
    try:
        return SOURCES[source_id]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise KeyError(f"unknown source {source_id!r}; known sources: {known}") from None
