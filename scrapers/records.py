"""Typed records every parser returns. Strict (``extra="forbid"``) so upstream drift fails validation.

Field names follow the conventions in ARCHITECTURE.md and are the column names of the raw tables:
prices are USD per 1M tokens (``usd_per_mtok``) with what the page said kept beside it, time is UTC,
and every record carries its provenance (source, URL, fetch time, capture sha256, parser version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

#: ``blended_3_1``: one price for a 3:1 mix of input and output tokens ((3 x input + output) / 4), the
#: blend Artificial Analysis and Epoch AI publish; never an input or an output price, so a series of its own
TokenType = Literal["input", "output", "cache_read", "cache_write", "cache_write_5m", "cache_write_1h", "reasoning",
                    "blended_3_1"]
ServiceTier = Literal["standard", "batch", "flex", "priority", "free"]
Modality = Literal["text", "image", "audio", "video"]
Currency = Literal["USD", "CNY", "EUR"]
#: how good a price's ``valid_from`` is: ``effective`` = the source states when the price took effect;
#: ``first_seen`` = only when it was first observed (by us or by the source)
DateBasis = Literal["effective", "first_seen"]

TOKEN_TYPES: tuple[str, ...] = TokenType.__args__  # type: ignore[attr-defined]
SERVICE_TIERS: tuple[str, ...] = ServiceTier.__args__  # type: ignore[attr-defined]
MODALITIES: tuple[str, ...] = Modality.__args__  # type: ignore[attr-defined]
CURRENCIES: tuple[str, ...] = Currency.__args__  # type: ignore[attr-defined]

#: The context band of a price that does not depend on prompt length.
ALL_CONTEXT = "all"


@dataclass(frozen=True)
class CaptureMeta:
    """Where a capture came from; parsers stamp it onto every record they return."""

    source_id: str
    url: str
    fetched_at: datetime
    sha256: str
    content_type: str = ""

    def provenance(self, parser_version: str) -> dict:
        return {
            "source_id": self.source_id,
            "source_url": self.url,
            "fetched_at": self.fetched_at,
            "raw_sha256": self.sha256,
            "parser_version": parser_version,
        }


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source_id: str
    source_url: str
    fetched_at: datetime
    raw_sha256: str
    parser_version: str

    @field_validator("fetched_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware (UTC)")
        return value.astimezone(UTC)


class PriceFact(_Record):
    """One price: one model, one token type, one tier, one context band, one modality."""

    provider_id: str
    model_id: str
    model_name: str
    token_type: TokenType
    service_tier: ServiceTier = "standard"
    context_band: str = ALL_CONTEXT
    modality: Modality = "text"
    currency: Currency = "USD"
    #: price per 1M tokens in ``currency``
    price_per_mtok: Decimal
    #: the same price in USD, set only when the page itself is in USD (no silent FX conversion)
    usd_per_mtok: Decimal | None = None
    unit_as_published: str
    raw_value: str
    valid_from: date | None = None
    #: the first day the price no longer applies (exclusive), when the source says; every parser converts to this
    valid_to: date | None = None
    valid_from_basis: DateBasis | None = None

    @field_validator("model_id", "provider_id")
    @classmethod
    def _lowercase_id(cls, value: str) -> str:
        if not value or value != value.strip().lower():
            raise ValueError(f"ids are lowercase and trimmed, got {value!r}")
        return value

    @field_validator("price_per_mtok")
    @classmethod
    def _non_negative(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise ValueError(f"negative price {value}")
        return value

    @model_validator(mode="after")
    def _usd_matches_currency(self) -> PriceFact:
        if self.currency == "USD" and self.usd_per_mtok != self.price_per_mtok:
            raise ValueError("a USD price must set usd_per_mtok equal to price_per_mtok")
        if self.currency != "USD" and self.usd_per_mtok is not None:
            raise ValueError("non-USD prices are stored as published; convert in staging, not here")
        return self


class ModelAttributes(_Record):
    """What a source says about a model (not its price): creator, open weights, context length."""

    provider_id: str
    model_id: str
    source_model_id: str
    model_name: str
    creator: str
    hugging_face_id: str | None = None
    open_weights: bool | None = None
    #: which field of which source the open_weights claim comes from, e.g. ``openrouter:hugging_face_id``
    open_weights_basis: str | None = None
    context_length: int | None = None
    created_at: datetime | None = None


class CapexFact(_Record):
    """One XBRL fact as filed. 10-Q values are year to date; the same period recurs across filings."""

    cik: int
    company: str
    entity_name: str
    taxonomy: str
    tag: str
    #: ``capex`` for purchases of property and equipment, ``finance_lease_principal`` where tagged apart
    component: Literal["capex", "finance_lease_principal"] = "capex"
    unit: str
    period_start: date
    period_end: date
    value: Decimal
    accession: str
    form: str
    fiscal_year: int | None
    fiscal_period: str | None
    filed: date
    frame: str | None = None


class PerformanceFact(_Record):
    """A published speed or latency figure: Groq's tokens per second, OpenRouter's endpoint stats."""

    provider_id: str
    model_id: str
    model_name: str
    #: output_tokens_per_second | latency_ms | time_to_first_token_ms | uptime_pct
    metric: str
    value: Decimal
    unit: str
    quantization: str | None = None
    raw_value: str


class UsageFact(_Record):
    """Tokens served for one model on one day (OpenRouter rankings), with the required citation."""

    usage_date: date
    #: the source's own model id (OpenRouter permaslug), or ``other`` for the long tail
    source_model_id: str
    model_id: str
    creator: str
    rank: int | None = None
    total_tokens: int
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    share_of_daily_tokens: Decimal | None = None
    as_of: date
    citation: str


class ThroughputDisclosure(_Record):
    """A served-token figure a company disclosed in a post or filing (curated, always with its source)."""

    company: str
    metric: str
    value: Decimal
    unit: str
    period_start: date | None = None
    period_end: date
    disclosed_on: date
    disclosure_url: str
    note: str | None = None

    @field_validator("disclosure_url")
    @classmethod
    def _has_source(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("every disclosure needs the URL of its source")
        return value


#: what a capability score is measured in: ``percent`` (0-100: share of a benchmark's items solved),
#: ``index`` (a 0-100 composite such as the Artificial Analysis Intelligence Index), ``elo`` (a rating,
#: e.g. LMSys Chatbot Arena), ``minutes`` (METR's task time horizon)
ScoreScale = Literal["percent", "index", "elo", "minutes"]
#: how ``as_of`` is known: ``stated`` = the source dates the score; ``on_or_before`` = the source says the
#: score was read on or before that date; ``captured`` = the source gives no date, so the day we read it
ScoreDateBasis = Literal["stated", "on_or_before", "captured"]
SCORE_SCALES: tuple[str, ...] = ScoreScale.__args__  # type: ignore[attr-defined]
SCORE_DATE_BASES: tuple[str, ...] = ScoreDateBasis.__args__  # type: ignore[attr-defined]


class CapabilityScore(_Record):
    """One model's score on one benchmark or index, as a source lists it, with the date it is known for.

    Names are the source's own (``model_id`` is its name lowercased, ``creator`` as published or None
    when the source names none); the identity crosswalk maps them later.
    """

    model_id: str
    model_name: str
    creator: str | None = None
    #: the benchmark or index as the source names it (``MMLU``, ``Artificial Analysis Intelligence Index``)
    benchmark: str
    #: the benchmark's version or variant when the source states one
    benchmark_version: str | None = None
    score: Decimal
    scale: ScoreScale
    as_of: date
    as_of_basis: ScoreDateBasis
    #: the model's release date when the source states one (not a price date)
    release_date: date | None = None
    #: where the source says the score comes from, when it says
    score_source_url: str | None = None
    raw_value: str
    citation: str

    @field_validator("model_id")
    @classmethod
    def _lowercase_id(cls, value: str) -> str:
        if not value or value != value.strip().lower():
            raise ValueError(f"ids are lowercase and trimmed, got {value!r}")
        return value

    @model_validator(mode="after")
    def _in_range(self) -> CapabilityScore:
        if self.score < 0:
            raise ValueError(f"negative score {self.score}")
        if self.scale in ("percent", "index") and self.score > 100:
            raise ValueError(f"a {self.scale} score is at most 100, got {self.score}")
        return self


class Exclusion(_Record):
    """Something a parser saw and deliberately did not turn into a fact, with the reason."""

    item: str
    field: str
    reason: str


@dataclass
class ParseResult:
    prices: list[PriceFact] = field(default_factory=list)
    models: list[ModelAttributes] = field(default_factory=list)
    capex: list[CapexFact] = field(default_factory=list)
    performance: list[PerformanceFact] = field(default_factory=list)
    usage: list[UsageFact] = field(default_factory=list)
    disclosures: list[ThroughputDisclosure] = field(default_factory=list)
    capabilities: list[CapabilityScore] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)

    #: ParseResult attribute -> raw table it loads into (exclusions -> raw.parse_exclusions)
    TABLES = {
        "prices": "price_facts",
        "models": "model_attributes",
        "capex": "capex_facts",
        "performance": "performance_facts",
        "usage": "usage_facts",
        "disclosures": "throughput_disclosures",
        "capabilities": "capability_scores",
        "exclusions": "parse_exclusions",
    }

    def __len__(self) -> int:
        return len(self.records())

    def records(self) -> list[_Record]:
        return [*self.prices, *self.models, *self.capex, *self.performance, *self.usage, *self.disclosures,
                *self.capabilities]

    def extend(self, other: ParseResult) -> None:
        for name in self.TABLES:
            getattr(self, name).extend(getattr(other, name))
