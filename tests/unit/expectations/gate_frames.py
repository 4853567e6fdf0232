"""Test helpers (not a test module): good frames for every gated table, read back from DuckDB so dtypes are what the gates really see.

Raw tables are created from warehouse/raw_schema.sql itself; marts from the column types of their dbt
contracts, read from dbt_project/models/marts/_models.yml (no dbt run needed).
Tests break a good frame in one place and check the gate names the broken expectation and rows.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[3]
RAW_SCHEMA_SQL = REPO / "warehouse" / "raw_schema.sql"

DBT_MARTS_YML = REPO / "dbt_project" / "models" / "marts" / "_models.yml"


def mart_contracts() -> dict[str, list[dict]]:
    """Each mart's enforced dbt contract, ``{model: [{name, data_type, constraints}, ...]}``, from its YAML."""
    models = yaml.safe_load(DBT_MARTS_YML.read_text())["models"]
    return {m["name"]: m["columns"] for m in models if m.get("config", {}).get("contract", {}).get("enforced")}


def _ddl(columns: list[dict]) -> str:
    def not_null(column: dict) -> bool:
        return any(c.get("type") == "not_null" for c in column.get("constraints", []))

    return ", ".join(f'"{c["name"]}" {c["data_type"]}{" NOT NULL" if not_null(c) else ""}' for c in columns)


#: the marts as their dbt contracts create them (types and NOT NULL), so a good frame has the real dtypes
MART_DDL = {name: _ddl(columns) for name, columns in mart_contracts().items()}

DAY = date(2025, 6, 1)
FETCHED = datetime(2025, 6, 1, 6, 0, tzinfo=UTC)
LOADED = datetime(2025, 6, 1, 6, 5, tzinfo=UTC)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _provenance(source_id: str = "openrouter_models", url: str = "https://openrouter.ai/api/v1/models") -> dict:
    return {
        "partition_date": DAY,
        "source_id": source_id,
        "source_url": url,
        "fetched_at": FETCHED,
        "raw_sha256": sha(source_id),
        "parser_version": "1",
        "loaded_at": LOADED,
    }


def raw_price_rows(n: int = 12) -> list[dict]:
    token_types = ("input", "output", "cache_read")
    rows = []
    for i in range(n):
        price = Decimal(i % 40) + Decimal("0.25")
        currency = "CNY" if i % 7 == 6 else "USD"
        rows.append(
            {
                **_provenance(),
                "provider_id": "openai",
                "model_id": f"gpt-{i // len(token_types)}.5-mini",
                "model_name": f"GPT {i // len(token_types)}.5 mini",
                "token_type": token_types[i % len(token_types)],
                "service_tier": "standard",
                "context_band": "all" if i % 5 else "<=200k",
                "modality": "text",
                "currency": currency,
                "price_per_mtok": price,
                "usd_per_mtok": price if currency == "USD" else None,
                "unit_as_published": "usd_per_token",
                "raw_value": str(price / 1_000_000),
                "valid_from": DAY if i % 4 == 0 else None,
                "valid_to": None,
                "valid_from_basis": "effective" if i % 4 == 0 else None,
            }
        )
    return rows


def raw_model_rows(n: int = 6) -> list[dict]:
    rows = []
    for i in range(n):
        open_model = i % 2 == 0
        rows.append(
            {
                **_provenance(),
                "provider_id": "openrouter",
                "model_id": f"model-{i}",
                "source_model_id": f"lab/model-{i}",
                "model_name": f"Model {i}",
                "creator": "lab",
                "hugging_face_id": f"lab/Model-{i}" if open_model else None,
                "open_weights": True if open_model else None,
                "open_weights_basis": "openrouter:hugging_face_id" if open_model else None,
                "context_length": 131072,
                "created_at": FETCHED - timedelta(days=30),
            }
        )
    return rows


def raw_capex_rows(n: int = 4) -> list[dict]:
    rows = []
    for q in range(n):
        start = date(2024, 7, 1)
        end = [date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30)][q % 4]
        rows.append(
            {
                **_provenance("sec_capex", "https://data.sec.gov/api/xbrl/companyconcept/CIK0000789019/x.json"),
                "cik": 789019,
                "company": "microsoft",
                "entity_name": "MICROSOFT CORPORATION",
                "taxonomy": "us-gaap",
                "tag": "PaymentsToAcquirePropertyPlantAndEquipment",
                "component": "capex",
                "unit": "USD",
                "period_start": start,
                "period_end": end,
                "value": Decimal(15_000_000_000 * (q + 1)),
                "accession": f"0000950170-25-{q:06d}",
                "form": "10-Q" if q < 3 else "10-K",
                "fiscal_year": 2025,
                "fiscal_period": ["Q1", "Q2", "Q3", "FY"][q % 4],
                "filed": end + timedelta(days=30),
                "frame": None,
            }
        )
    return rows


def raw_fetch_rows(n: int = 3) -> list[dict]:
    return [
        {
            "partition_date": DAY,
            "source_id": "sec_capex",
            "capture_key": f"CIK{i:010d}-tag.json",
            "url": f"https://data.sec.gov/api/xbrl/companyconcept/CIK{i:010d}/us-gaap/tag.json",
            "fetched_at": FETCHED + timedelta(seconds=i),
            "http_status": 200,
            "sha256": sha(f"capture {i}"),
            "bytes": 1024 + i,
            "content_type": "application/json",
            "replayed": False,
            "loaded_at": LOADED,
        }
        for i in range(n)
    ]


PERFORMANCE_METRICS = (
    ("latency_ms", "ms", Decimal("412.5")),
    ("latency_ms_p50", "ms", Decimal("380")),
    ("time_to_first_token_ms", "ms", Decimal("210.25")),
    ("uptime_pct", "%", Decimal("99.7")),
)


def raw_performance_rows() -> list[dict]:
    """Groq speeds (no quantization) and OpenRouter endpoint stats for one model served at two quantizations."""
    groq = _provenance("groq", "https://groq.com/pricing")
    rows = [
        {
            **groq,
            "provider_id": "groq",
            "model_id": model_id,
            "model_name": name,
            "metric": "output_tokens_per_second",
            "value": Decimal(speed),
            "unit": "tokens/s",
            "quantization": None,
            "raw_value": f"{speed} TPS",
        }
        for model_id, name, speed in [
            ("llama-3.3-70b-versatile", "Llama 3.3 70B Versatile", 394),
            ("llama-3.1-8b-instant", "Llama 3.1 8B Instant", 840),
            ("openai/gpt-oss-120b", "GPT OSS 120B", 500),
        ]
    ]
    endpoints = _provenance("openrouter_endpoints", "https://openrouter.ai/api/v1/models/deepseek/deepseek-r1/endpoints")
    for quantization in ("fp8", "bf16"):
        for metric, unit, value in PERFORMANCE_METRICS:
            rows.append(
                {
                    **endpoints,
                    "provider_id": "deepinfra",
                    "model_id": "deepseek-r1",
                    "model_name": "DeepSeek R1",
                    "metric": metric,
                    "value": value - (Decimal("0.5") if quantization == "bf16" else 0),
                    "unit": unit,
                    "quantization": quantization,
                    "raw_value": str(value),
                }
            )
    return rows


OPENROUTER_CITATION = "Source: OpenRouter rankings (openrouter.ai/rankings)"


def raw_usage_rows() -> list[dict]:
    """Two days of OpenRouter rankings: ranked models plus the unranked long tail (``other``)."""
    rows = []
    for days_back in (1, 2):
        usage_date = DAY - timedelta(days=days_back)
        models = [
            ("anthropic/claude-4.5-sonnet-20250929", "claude-sonnet-4-5", "anthropic", 1),
            ("google/gemini-2.5-flash", "gemini-2.5-flash", "google", 2),
            ("x-ai/grok-code-fast-1", "grok-code-fast-1", "x-ai", 3),
            ("other", "other", "other", None),
        ]
        for source_model_id, model_id, creator, rank in models:
            total = 1_000_000_000_000 // (rank or 8) + days_back  # HUGEINT: beyond 32 bits
            rows.append(
                {
                    **_provenance("openrouter_rankings", "https://openrouter.ai/rankings"),
                    "usage_date": usage_date,
                    "source_model_id": source_model_id,
                    "model_id": model_id,
                    "creator": creator,
                    "rank": rank,
                    "total_tokens": total,
                    "prompt_tokens": total * 9 // 10 if rank else None,
                    "completion_tokens": total - total * 9 // 10 if rank else None,
                    "share_of_daily_tokens": Decimal(1) / Decimal(rank or 8),
                    "as_of": DAY - timedelta(days=1),
                    "citation": OPENROUTER_CITATION,
                }
            )
    return rows


def raw_disclosure_rows() -> list[dict]:
    """Curated served-token figures; one has no period start (a point-in-time run rate)."""
    curated = _provenance("throughput_disclosures", "https://costcurve.example/curated/throughput_disclosures.yaml")
    return [
        {
            **curated,
            "company": "google",
            "metric": "tokens_processed_per_month",
            "value": Decimal("480000000000000"),
            "unit": "tokens/month",
            "period_start": date(2025, 4, 1),
            "period_end": date(2025, 4, 30),
            "disclosed_on": date(2025, 5, 20),
            "disclosure_url": "https://blog.google/technology/ai/io-2025-keynote/",
            "note": "I/O 2025 keynote",
        },
        {
            **curated,
            "company": "microsoft",
            "metric": "tokens_processed_per_quarter",
            "value": Decimal("100000000000000"),
            "unit": "tokens/quarter",
            "period_start": date(2025, 1, 1),
            "period_end": date(2025, 3, 31),
            "disclosed_on": date(2025, 4, 30),
            "disclosure_url": "https://www.microsoft.com/en-us/investor/events/fy-2025/earnings-fy-2025-q3",
            "note": None,
        },
        {
            **curated,
            "company": "google",
            "metric": "tokens_processed_per_month",
            "value": Decimal("980000000000000"),
            "unit": "tokens/month",
            "period_start": None,
            "period_end": date(2025, 7, 23),
            "disclosed_on": date(2025, 7, 23),
            "disclosure_url": "https://abc.xyz/investor/",
            "note": "run rate as of the Q2 2025 earnings call",
        },
    ]


def raw_exclusion_rows() -> list[dict]:
    return [
        {**_provenance(), "item": "openrouter/auto", "field": "pricing.prompt", "reason": "dynamic price (-1)"},
        {**_provenance(), "item": "google/gemini-2.5-flash-image", "field": "pricing.image",
         "reason": "per-image price: no token type for it"},
        {**_provenance("groq", "https://groq.com/pricing"), "item": "whisper-large-v3", "field": "Current Speed",
         "reason": "no speed published ('-')"},
    ]


SERIES_KEY = (
    "source_id", "provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency"
)


def observation_rows(n: int = 10) -> list[dict]:
    rows = []
    for i in range(n):
        row = {k: v for k, v in raw_price_rows(n)[i].items() if k != "partition_date"}
        row["observed_date"] = DAY
        row["observation_id"] = sha("|".join(str(row[k]) for k in (*SERIES_KEY, "observed_date")))
        row["seller_id"] = row["provider_id"]
        row["canonical_model_id"] = f"{row['provider_id']}/{row['model_id']}"
        rows.append(row)
    return rows


def history_rows() -> list[dict]:
    rows = []
    base = {"source_id": "anthropic", "provider_id": "anthropic", "token_type": "input", "service_tier": "standard",
            "context_band": "all", "modality": "text", "currency": "USD"}
    for m, model_id in enumerate(["claude-opus-4-5", "claude-sonnet-4-5"]):
        versions = [(date(2025, 1, 1), date(2025, 3, 1), Decimal("15")), (date(2025, 3, 1), None, Decimal("5"))]
        for v, (start, end, price) in enumerate(versions):
            rows.append(
                {
                    **base,
                    "model_id": model_id,
                    "price_history_id": sha(f"{model_id}|{start}"),
                    "price_per_mtok": price + m,
                    "usd_per_mtok": price + m,
                    "valid_from": start,
                    "valid_to": end,
                    "is_current": end is None,
                    "valid_from_basis": "first_seen",
                    "first_observed_date": start,
                    "last_observed_date": end - timedelta(days=1) if end else DAY,
                    "previous_observed_date": None if v == 0 else start - timedelta(days=1),
                    "first_observed_at": datetime.combine(start, datetime.min.time(), UTC),
                    "last_observed_at": datetime.combine(end or DAY, datetime.min.time(), UTC),
                    "observation_count": 30 + v,
                    "source_valid_from": None,
                    "source_valid_from_basis": None,
                }
            )
    return rows


def capex_quarter_rows() -> list[dict]:
    quarters = [  # Microsoft's fiscal year ends in June
        (1, 2024, 3, date(2024, 7, 1), date(2024, 9, 30), "reported"),
        (2, 2024, 4, date(2024, 10, 1), date(2024, 12, 31), "ytd_difference"),
        (3, 2025, 1, date(2025, 1, 1), date(2025, 3, 31), "ytd_difference"),
        (4, 2025, 2, date(2025, 4, 1), date(2025, 6, 30), "fy_minus_9m"),
    ]
    return [
        {
            "company": "microsoft",
            "cik": 789019,
            "component": "capex",
            "tag": "PaymentsToAcquirePropertyPlantAndEquipment",
            "fiscal_year": 2025,
            "fiscal_quarter": fq,
            "fiscal_label": f"FY2025 Q{fq}",
            "calendar_year": cy,
            "calendar_quarter": cq,
            "calendar_label": f"{cy}Q{cq}",
            "period_start": start,
            "period_end": end,
            "capex_usd": Decimal("15000000000.00") + fq,
            "derivation": derivation,
            "accession": f"0000950170-25-{fq:06d}",
            "filed": end + timedelta(days=30),
            "restated": False,
        }
        for fq, cy, cq, start, end, derivation in quarters
    ]


def dim_model_rows() -> list[dict]:
    return [
        {
            "model_id": f"lab/model-{i}",
            "creator": "lab",
            "model_family": "model",
            "model_name": f"Model {i}",
            "release_date": date(2024, 12, 1),
            "name_count": 2,
            "open_weights": i % 2 == 0,
            "open_weights_basis": "openrouter:hugging_face_id" if i % 2 == 0 else "openrouter:no_hugging_face_id",
            "hugging_face_id": f"lab/Model-{i}" if i % 2 == 0 else None,
            "context_length": 200_000,
            "first_seen_date": date(2025, 1, 1),
            "last_seen_date": DAY,
            "capability_score": Decimal("40") if i < 3 else None,
            "capability_index": "token_tariff: Artificial Analysis Intelligence Index" if i < 3 else "unscored",
            "capability_tier": ("frontier", "mid", "small")[i] if i < 3 else None,
            "capability_tier_basis": "index" if i < 3 else None,
        }
        for i in range(5)
    ]


AA = "Artificial Analysis Intelligence Index"


def capability_tier_rows() -> list[dict]:
    """A model frontier on release, mid once a better one is out; a small model by the name rule."""
    base = {"tier_basis": "index", "index_source_id": "token_tariff", "index_benchmark": AA, "score": Decimal("40")}
    return [
        {**base, "model_id": "lab/m-1", "valid_from": date(2025, 1, 1), "valid_to": date(2025, 6, 1),
         "capability_tier": "frontier", "best_score": Decimal("40"), "score_ratio": 1.0},
        {**base, "model_id": "lab/m-1", "valid_from": date(2025, 6, 1), "valid_to": date(2026, 1, 1),
         "capability_tier": "mid", "best_score": Decimal("50"), "score_ratio": 0.8},
        {"model_id": "lab/m-3b", "valid_from": None, "valid_to": None, "capability_tier": "small",
         "tier_basis": "name_size"},
    ]


def cost_curve_rows() -> list[dict]:
    """Three days of one group: flat, then a cut of one of two matched series."""
    base = {"index_group": "all", "measure": "blended", "base_date": date(2024, 4, 1)}
    return [
        {**base, "day": date(2024, 4, 1), "index_value": 100.0, "daily_link": 1.0, "series_matched": 2, "series_changed": 0},
        {**base, "day": date(2024, 4, 2), "index_value": 100.0, "daily_link": 1.0, "series_matched": 2, "series_changed": 0},
        {**base, "day": date(2024, 4, 3), "index_value": 70.710678, "daily_link": 0.70710678, "series_matched": 2,
         "series_changed": 1},
    ]


def gap_rows() -> list[dict]:
    base = {"measure": "blended", "frontier_closed_model_id": "lab/closed", "frontier_closed_seller_id": "lab",
            "frontier_closed_usd_per_mtok": Decimal("10"), "best_open_model_id": "lab/open",
            "best_open_seller_id": "host", "best_open_usd_per_mtok": Decimal("4"), "best_open_ratio": 2.5,
            "capability_gap": Decimal("5"), "capability_gap_index": f"token_tariff: {AA}"}
    return [
        {**base, "day": date(2026, 1, 1), "frontier_open_model_id": None, "frontier_open_seller_id": None,
         "frontier_open_usd_per_mtok": None, "gap_ratio": None, "gap_trend_annual_factor": None, "gap_trend_days": 0},
        {**base, "day": date(2026, 1, 2), "frontier_open_model_id": "lab/open", "frontier_open_seller_id": "host",
         "frontier_open_usd_per_mtok": Decimal("4"), "gap_ratio": 2.5, "gap_trend_annual_factor": None,
         "gap_trend_days": 1},
    ]


def capex_annual_rows() -> list[dict]:
    """Microsoft's fiscal 2024 and 2025 capex as its 10-Ks filed them (SEC companyconcept
    PaymentsToAcquirePropertyPlantAndEquipment, CIK 789019; ../shared/samples/sec/2026/companyconcept)."""
    base = {"company": "microsoft", "cik": 789019, "component": "capex",
            "tag": "PaymentsToAcquirePropertyPlantAndEquipment", "form": "10-K"}
    return [
        {**base, "fiscal_year": 2024, "fiscal_label": "FY2024", "period_start": date(2023, 7, 1),
         "period_end": date(2024, 6, 30), "capex_usd": Decimal("44477000000.00"), "accession": "0000950170-24-087843",
         "filed": date(2024, 7, 30), "filing_count": 3, "restated": False},
        {**base, "fiscal_year": 2025, "fiscal_label": "FY2025", "period_start": date(2024, 7, 1),
         "period_end": date(2025, 6, 30), "capex_usd": Decimal("64551000000.00"), "accession": "0000950170-25-100235",
         "filed": date(2025, 7, 30), "filing_count": 2, "restated": False},
    ]


MARKET_SERIES = {"seller_id": "lab", "model_id": "lab/m-1", "token_type": "input", "service_tier": "standard",
                 "context_band": "all", "modality": "text", "currency": "USD"}


def market_price_rows() -> list[dict]:
    """One series: the seller's page at 15, then a cut to 5 that still holds."""
    base = {**MARKET_SERIES, "price_basis": "seller_price_list", "sources_agreeing": 1, "sources_listing": 2,
            "source_ids": "lab_page"}
    return [
        {**base, "market_price_id": sha("m-1|2025-01-01"), "price_per_mtok": Decimal("15"), "usd_per_mtok": Decimal("15"),
         "valid_from": date(2025, 1, 1), "valid_to": date(2025, 3, 1), "is_current": False,
         "valid_from_basis": "first_seen", "last_observed_date": date(2025, 2, 27)},
        {**base, "market_price_id": sha("m-1|2025-03-01"), "price_per_mtok": Decimal("5"), "usd_per_mtok": Decimal("5"),
         "valid_from": date(2025, 3, 1), "valid_to": None, "is_current": True, "valid_from_basis": "effective",
         "last_observed_date": DAY},
    ]


def price_change_rows() -> list[dict]:
    """The cut of market_price_rows(), then a first-seen rise."""
    base = {**MARKET_SERIES, "price_basis": "seller_price_list", "source_ids": "lab_page"}
    return [
        {**base, "price_change_id": sha("m-1|2025-03-01"), "old_price_per_mtok": Decimal("15"),
         "new_price_per_mtok": Decimal("5"), "old_usd_per_mtok": Decimal("15"), "new_usd_per_mtok": Decimal("5"),
         "change_pct": Decimal("-66.6667"), "effective_date": date(2025, 3, 1), "effective_date_basis": "effective",
         "old_last_observed_date": date(2025, 2, 27)},
        {**base, "price_change_id": sha("m-1|2025-06-01"), "old_price_per_mtok": Decimal("5"),
         "new_price_per_mtok": Decimal("6"), "old_usd_per_mtok": Decimal("5"), "new_usd_per_mtok": Decimal("6"),
         "change_pct": Decimal("20"), "effective_date": date(2025, 6, 1), "effective_date_basis": "first_seen",
         "old_last_observed_date": date(2025, 5, 30)},
    ]


def unmatched_name_rows() -> list[dict]:
    return [
        {"source_id": "litellm", "provider_id": "lab", "name": "lab/unknown-1", "model_name": None,
         "first_seen_date": date(2025, 1, 1), "last_seen_date": DAY, "price_rows": 4},
        {"source_id": "openrouter_models", "provider_id": "lab", "name": "lab/unknown-1", "model_name": "Unknown 1",
         "first_seen_date": DAY, "last_seen_date": DAY, "price_rows": 2},
    ]


def deflation_rows() -> list[dict]:
    return [
        {"as_of_date": DAY, "seller_id": "lab", "model_id": "lab/m-1", "measure": measure, "open_weights": False,
         "capability_tier": "mid", "usd_per_mtok": Decimal("6"), "usd_per_mtok_30d_ago": Decimal("8"),
         "change_30d_pct": -25.0, "usd_per_mtok_90d_ago": None, "change_90d_pct": None,
         "usd_per_mtok_365d_ago": None, "change_365d_pct": None}
        for measure in ("blended", "input")
    ]


def deflation_by_capability_rows() -> list[dict]:
    base = {"index_source_id": "token_tariff", "index_benchmark": AA, "threshold": 20, "cheapest_model_id": "lab/m-1",
            "cheapest_seller_id": "lab", "fit_first_day": date(2025, 1, 1)}
    return [
        {**base, "day": date(2025, 1, 1), "cheapest_usd_per_mtok": Decimal("8"), "is_record_low": True,
         "fit_points": 1, "annual_decline_factor": None, "annual_decline_factor_low": None,
         "annual_decline_factor_high": None},
        {**base, "day": date(2025, 1, 2), "cheapest_usd_per_mtok": Decimal("4"), "is_record_low": True,
         "fit_points": 2, "annual_decline_factor": 1e100, "annual_decline_factor_low": None,
         "annual_decline_factor_high": None},
        {**base, "day": date(2025, 1, 4), "cheapest_usd_per_mtok": Decimal("1.5"), "is_record_low": True,
         "fit_points": 3, "annual_decline_factor": 3.0, "annual_decline_factor_low": 1.5,
         "annual_decline_factor_high": 6.0},
    ]


def _share(numerator: int, denominator: int) -> Decimal | None:
    return round(Decimal(numerator) / Decimal(denominator), 6) if denominator else None


def open_weight_share_rows() -> list[dict]:
    """Two days and their (partial) ISO week: one day above 25%, one below, the week undetermined."""
    billion = 1_000_000_000  # beyond 32 bits, as OpenRouter's daily totals are
    days = [  # (day, open, closed, unknown, other) in billions of tokens
        (date(2025, 5, 30), 300, 650, 20, 30),
        (date(2025, 5, 31), 200, 760, 10, 30),
    ]
    week = (date(2025, 5, 26), *(sum(day[i] for day in days) for i in range(1, 5)))
    rows = []
    for grain, (start, open_, closed, unknown, other) in [*(("day", d) for d in days), ("week", week)]:
        total = open_ + closed + unknown + other
        lower, upper = _share(open_, total), _share(open_ + unknown + other, total)
        rows.append(
            {
                "measurement_base": "openrouter: tokens routed through OpenRouter (top 50 models per day + other)",
                "source_id": "openrouter_rankings",
                "period_grain": grain,
                "period_start": start,
                "period_end": start if grain == "day" else start + timedelta(days=6),
                "days_covered": 1 if grain == "day" else len(days),
                "is_partial": grain == "week",
                "total_tokens": total * billion,
                "open_weight_tokens": open_ * billion,
                "closed_tokens": closed * billion,
                "unknown_tokens": unknown * billion,
                "other_tokens": other * billion,
                "share_point": _share(open_, open_ + closed),
                "share_lower": lower,
                "share_upper": upper,
                "known_status_share": _share(open_ + closed, open_ + closed + unknown),
                "threshold": Decimal("0.25"),
                "threshold_verdict": "above" if lower > Decimal("0.25") else "below" if upper <= Decimal("0.25")
                else "undetermined",
                "open_weight_models": 20,
                "closed_models": 27,
                "unknown_models": 3,
                "as_of": DAY,
                "citation": f"Source: OpenRouter (openrouter.ai/rankings), as of {DAY.isoformat()}",
            }
        )
    return rows


def reconciliation_rows() -> list[dict]:
    """One stretch where the sources agree, then one where a dataset is off the seller's page."""
    base = {"seller_id": "openai", "model_id": "openai/gpt-4.1", "token_type": "input", "service_tier": "standard",
            "context_band": "all", "modality": "text", "currency": "USD", "consensus_price_per_mtok": Decimal("2"),
            "min_price_per_mtok": Decimal("2"), "sources": 2, "multi_price_source_ids": None,
            "tolerance_pct": Decimal("1")}
    return [
        {**base, "reconciliation_id": sha("agree"), "compared_from": date(2025, 4, 14), "compared_to": date(2025, 5, 1),
         "is_current": False, "max_price_per_mtok": Decimal("2"), "spread_pct": Decimal("0"),
         "source_ids": "litellm,openai", "consensus_sources": 2, "disagreeing_sources": 0,
         "disagreeing_source_ids": None, "disagreeing_prices": None, "is_disagreement": False},
        {**base, "reconciliation_id": sha("disagree"), "compared_from": date(2025, 5, 1), "compared_to": None,
         "is_current": True, "max_price_per_mtok": Decimal("2.5"), "spread_pct": Decimal("25"),
         "source_ids": "models_dev,openai", "consensus_sources": 1, "disagreeing_sources": 1,
         "disagreeing_source_ids": "models_dev", "disagreeing_prices": "models_dev: 2.5 (last seen 2025-05-01)",
         "is_disagreement": True},
    ]


M = 1_000_000


def capex_mart_rows() -> list[dict]:
    """Microsoft's fiscal 2026 as the SEC demo capture gives it (USD millions: 19,394 + 29,876 + 30,876 +
    35,802 = 115,948, the 10-K total), with its Q4 finance-lease principal of 922."""
    quarters = [
        (1, 2025, 3, date(2025, 7, 1), date(2025, 9, 30), 19_394, "ytd_difference"),
        (2, 2025, 4, date(2025, 10, 1), date(2025, 12, 31), 29_876, "ytd_difference"),
        (3, 2026, 1, date(2026, 1, 1), date(2026, 3, 31), 30_876, "ytd_difference"),
        (4, 2026, 2, date(2026, 4, 1), date(2026, 6, 30), 35_802, "fy_minus_9m"),
    ]
    return [
        {
            "company": "MSFT", "cik": 789019, "fiscal_year": 2026, "fiscal_quarter": fq, "fiscal_label": f"FY2026 Q{fq}",
            "calendar_year": cy, "calendar_quarter": cq, "calendar_label": f"{cy}Q{cq}", "period_start": start,
            "period_end": end, "capex_usd": Decimal(usd * M),
            "finance_lease_principal_usd": Decimal(922 * M) if fq == 4 else None, "finance_lease_tagged": fq == 4,
            "capex_incl_finance_leases_usd": Decimal((usd + (922 if fq == 4 else 0)) * M),
            "ttm_capex_usd": Decimal(115_948 * M) if fq == 4 else None, "quarters_in_calendar_year": 2,
            "calendar_year_capex_usd": None, "run_rate_usd": Decimal(4 * usd * M), "year_ago_capex_usd": None,
            "yoy_growth_pct": None, "is_latest_quarter": fq == 4, "derivation": derivation, "restated": False,
            "accession": "0001193125-26-323660",
        }
        for fq, cy, cq, start, end, usd, derivation in quarters
    ]


def capex_total_rows() -> list[dict]:
    """Calendar 2026Q2 from the SEC demo capture, USD millions: AMZN + GOOGL + META + MSFT + ORCL = 54,208 +
    44,924 + 30,116 + 35,802 + 16,493 = 181,543; 2025Q2 = 32,183 + 22,446 + 16,538 + 17,079 + 9,080 = 97,326;
    TTM = 173,028 + 132,402 + 89,325 + 115,948 + 55,663 = 566,366; 2024 = 239,087 (tests/integration/
    test_sec_capex_demo_warehouse.py); plus 1,635 of AMZN, GOOGL and MSFT finance-lease principal. Then an
    incomplete quarter with no totals."""
    base = {"companies_expected": 5, "base_year": 2024, "base_year_capex_usd": Decimal(239_087 * M)}
    nulls = dict.fromkeys(["capex_usd", "capex_incl_finance_leases_usd", "ttm_capex_usd", "run_rate_usd",
                           "year_ago_capex_usd", "yoy_growth_pct", "calendar_year_capex_usd",
                           "run_rate_x_base_year", "ttm_x_base_year"])
    return [
        {**base, **nulls, "calendar_year": 2026, "calendar_quarter": 2, "calendar_label": "2026Q2",
         "companies_reporting": 5, "companies": "AMZN,GOOGL,META,MSFT,ORCL", "is_complete": True,
         "capex_usd": Decimal(181_543 * M), "capex_incl_finance_leases_usd": Decimal(183_178 * M),
         "companies_with_finance_leases": 3, "ttm_capex_usd": Decimal(566_366 * M),
         "run_rate_usd": Decimal(726_172 * M), "year_ago_capex_usd": Decimal(97_326 * M),
         "yoy_growth_pct": Decimal("86.53"), "run_rate_x_base_year": Decimal("3.0373"),
         "ttm_x_base_year": Decimal("2.3689"), "is_latest_complete_quarter": True},
        {**base, **nulls, "calendar_year": 2026, "calendar_quarter": 3, "calendar_label": "2026Q3",
         "companies_reporting": 1, "companies": "ORCL", "is_complete": False, "companies_with_finance_leases": 0,
         "is_latest_complete_quarter": False},
    ]


EPOCH_AA_URL = "https://raw.githubusercontent.com/epoch-research/llm-benchmark-efficiency/main/data/aa_data_with_math5.csv"
TOKEN_TARIFF_URL = "https://raw.githubusercontent.com/Prajwalsrinvas/token-tariff/main/timeline.csv"


def raw_capability_rows() -> list[dict]:
    """Scores as the real files list them: Epoch's AA table (Claude-3-Haiku, released 2024-03-04: MMLU 71,
    Arena Elo 1179) and token-tariff's gpt-4 row (AA index 7.0 read on or before 2026-07-05, METR p50
    3.987 minutes)."""
    epoch = {**_provenance("epoch_benchmarks", EPOCH_AA_URL), "model_id": "claude-3-haiku",
             "model_name": "Claude-3-Haiku", "creator": None, "benchmark_version": None, "as_of": DAY,
             "as_of_basis": "captured", "release_date": date(2024, 3, 4), "score_source_url": None,
             "citation": "Epoch AI, data from Artificial Analysis"}
    tariff = {**_provenance("token_tariff", TOKEN_TARIFF_URL), "model_id": "gpt-4", "model_name": "gpt-4",
              "creator": "OpenAI", "benchmark_version": None, "release_date": date(2023, 3, 14),
              "citation": "token-tariff timeline"}
    return [
        {**epoch, "benchmark": "MMLU", "score": Decimal("71"), "scale": "percent", "raw_value": "71"},
        {**epoch, "benchmark": "LMSys Chatbot Arena ELO", "score": Decimal("1179"), "scale": "elo",
         "raw_value": "1179"},
        {**tariff, "benchmark": "Artificial Analysis Intelligence Index", "score": Decimal("7.0"), "scale": "index",
         "as_of": date(2026, 7, 5), "as_of_basis": "on_or_before", "raw_value": "7.0",
         "score_source_url": "https://artificialanalysis.ai/api/v2/data/llms/models"},
        {**tariff, "benchmark": "METR time horizon (50% success)", "score": Decimal("3.987"), "scale": "minutes",
         "as_of": DAY, "as_of_basis": "captured", "raw_value": "3.987",
         "score_source_url": "https://metr.org/assets/benchmark_results_1_1.yaml"},
    ]


ROWS = {
    "raw_price_facts": ("raw.price_facts", raw_price_rows),
    "raw_model_attributes": ("raw.model_attributes", raw_model_rows),
    "raw_capex_facts": ("raw.capex_facts", raw_capex_rows),
    "raw_fetches": ("raw.fetches", raw_fetch_rows),
    "raw_performance_facts": ("raw.performance_facts", raw_performance_rows),
    "raw_usage_facts": ("raw.usage_facts", raw_usage_rows),
    "raw_throughput_disclosures": ("raw.throughput_disclosures", raw_disclosure_rows),
    "raw_parse_exclusions": ("raw.parse_exclusions", raw_exclusion_rows),
    "raw_capability_scores": ("raw.capability_scores", raw_capability_rows),
    "fct_price_observations": ("fct_price_observations", observation_rows),
    "fct_price_history": ("fct_price_history", history_rows),
    "fct_capex_quarterly": ("fct_capex_quarterly", capex_quarter_rows),
    "dim_models": ("dim_models", dim_model_rows),
    "mart_open_weight_share": ("mart_open_weight_share", open_weight_share_rows),
    "mart_source_reconciliation": ("mart_source_reconciliation", reconciliation_rows),
    "dim_model_capability_tiers": ("dim_model_capability_tiers", capability_tier_rows),
    "mart_cost_curve_index": ("mart_cost_curve_index", cost_curve_rows),
    "mart_frontier_open_gap": ("mart_frontier_open_gap", gap_rows),
    "mart_price_deflation": ("mart_price_deflation", deflation_rows),
    "mart_price_deflation_by_capability": ("mart_price_deflation_by_capability", deflation_by_capability_rows),
    "mart_capex": ("mart_capex", capex_mart_rows),
    "mart_capex_total": ("mart_capex_total", capex_total_rows),
    "fct_capex_annual": ("fct_capex_annual", capex_annual_rows),
    "fct_market_prices": ("fct_market_prices", market_price_rows),
    "fct_price_changes": ("fct_price_changes", price_change_rows),
    "mart_unmatched_model_names": ("mart_unmatched_model_names", unmatched_name_rows),
}
#: suites whose table may legitimately be empty for a source and day (no critical row-count check): a day
#: without parse exclusions; the share before any OpenRouter usage is loaded; the reconciliation while no
#: two sources show the same price series; the curve marts before a price (or a scored model) is loaded; no
#: price change before a price has changed; no unmatched name when every name resolves
MAY_BE_EMPTY = {"raw_parse_exclusions", "mart_open_weight_share", "mart_source_reconciliation",
                "dim_model_capability_tiers", "mart_cost_curve_index", "mart_frontier_open_gap", "mart_price_deflation",
                "mart_price_deflation_by_capability", "fct_price_changes", "mart_unmatched_model_names"}


def warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the real raw DDL and the marts' contract types."""
    con = duckdb.connect()
    con.execute(RAW_SCHEMA_SQL.read_text())
    for table, columns in MART_DDL.items():
        con.execute(f"CREATE TABLE {table} ({columns})")
    return con


def load(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    incoming = pd.DataFrame(rows)
    con.register("_incoming", incoming)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def frame_for(suite: str, rows: list[dict] | None = None) -> pd.DataFrame:
    """The suite's table, loaded with ``rows`` (default: good rows) and read back as DuckDB returns it."""
    table, make_rows = ROWS[suite]
    con = warehouse()
    try:
        load(con, table, make_rows() if rows is None else rows)
        return con.sql(f"SELECT * FROM {table}").df()
    finally:
        con.close()
