"""Synthetic price facts: valid, unique on the raw key, shaped like real ones (a mix of tiers, bands,
currencies and dated prices), so loads and gates do the work they do on real data."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache

from scrapers.records import PriceFact

SOURCE_ID = "bench_synthetic"
_TOKEN_TYPES = ("input", "output", "cache_read", "cache_write", "reasoning")
_TIERS = ("standard", "batch", "flex", "priority", "free")
_BANDS = ("all", "<=200k", ">200k", "<=128k")
#: 5 token types x 5 tiers x 4 bands: the facts of one model, each key once
PER_MODEL = len(_TOKEN_TYPES) * len(_TIERS) * len(_BANDS)


def price_facts(n: int) -> list[PriceFact]:
    """``n`` validated ``PriceFact`` records (built through pydantic, as a parser builds them); the first
    ``n`` of one list built once per process, so the load and gate benchmarks share the building cost."""
    return list(_built(max(n, 100_000))[:n])


@cache
def _built(n: int) -> tuple[PriceFact, ...]:
    fetched_at = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
    sha = hashlib.sha256(b"costcurve bench synthetic capture").hexdigest()
    facts = []
    for i in range(n):
        model, r = divmod(i, PER_MODEL)
        token_type = _TOKEN_TYPES[r % 5]
        tier = _TIERS[(r // 5) % 5]
        band = _BANDS[r // 25]
        cny = model % 10 == 9  # a tenth of the models priced in CNY, stored as published
        price = Decimal(7 * i % 9973) / Decimal(100)
        dated = model % 7 == 0
        valid_from = date(2026, 1, 1) + timedelta(days=model % 300) if dated else None
        facts.append(PriceFact(
            source_id=SOURCE_ID,
            source_url="https://example.com/bench/prices.json",
            fetched_at=fetched_at,
            raw_sha256=sha,
            parser_version="1",
            provider_id=f"provider-{model % 40}",
            model_id=f"bench-model-{model}",
            model_name=f"Bench Model {model}",
            token_type=token_type,
            service_tier=tier,
            context_band=band,
            currency="CNY" if cny else "USD",
            price_per_mtok=price,
            usd_per_mtok=None if cny else price,
            unit_as_published="¥ / 1M tokens" if cny else "$ / 1M tokens",
            raw_value=f"{'¥' if cny else '$'}{price}",
            valid_from=valid_from,
            valid_to=valid_from + timedelta(days=90) if dated and model % 2 else None,
            valid_from_basis="effective" if dated else None,
        ))
    return tuple(facts)
