"""Cohere pricing parser: FAQ price sentences in the real capture, model tables in a second rendering,
embed/rerank handling, contact-sales exclusions, drift, demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import cohere

CAPTURE = "pages/cohere_gfargo-token-tally-2025-10.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes):
        return cohere.parse(body, make_meta(cohere.SOURCE_ID, cohere.URL, body))

    return _parse


@pytest.fixture
def tables(fixtures_dir) -> bytes:
    return (fixtures_dir / "cohere" / "pricing_tables.md").read_bytes()


def price(result, model_id, token_type):
    [fact] = [p for p in result.prices if (p.model_id, p.token_type) == (model_id, token_type)]
    return fact


def test_real_capture_faq_sentences(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert len(result.prices) == 14
    assert {p.model_id for p in result.prices} == {
        "command", "command-light", "command-r-03-2024", "command-r-plus-04-2024", "command-r-plus-08-2024",
        "c4ai-aya-expanse-8b", "c4ai-aya-expanse-32b"}
    fact = price(result, "command-r-plus-08-2024", "output")
    assert (fact.price_per_mtok, fact.usd_per_mtok, fact.model_name) == (Decimal("10.00"), Decimal("10.00"), "Command R+ 08-2024")
    assert price(result, "command-r-plus-04-2024", "input").price_per_mtok == Decimal("3.00")
    assert price(result, "command-light", "output").price_per_mtok == Decimal("0.60")
    assert price(result, "command", "input").price_per_mtok == Decimal("1.00")
    assert price(result, "c4ai-aya-expanse-32b", "output").price_per_mtok == Decimal("1.50")
    assert price(result, "c4ai-aya-expanse-8b", "input").model_name == "Aya Expanse 8B"


def test_real_capture_contact_sales_products_are_exclusions(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert sorted(e.item for e in result.exclusions) == ["compass", "north"]
    assert all("custom enterprise pricing" in e.reason for e in result.exclusions)


def test_table_rendering_with_embed_and_rerank(parse, tables):
    result = parse(tables)
    assert len(result.prices) == 15
    assert price(result, "command-a-03-2025", "input").price_per_mtok == Decimal("2.50")
    assert price(result, "command-r7b-12-2024", "input").price_per_mtok == Decimal("0.0375")
    assert price(result, "command-r", "output").price_per_mtok == Decimal("0.60")
    embed = price(result, "embed-v4.0", "input")  # per-token embed price kept as input
    assert embed.price_per_mtok == Decimal("0.12")
    assert not [p for p in result.prices if p.model_id == "embed-v4.0" and p.token_type != "input"]
    assert not [p for p in result.prices if p.model_id.startswith("rerank")]
    rerank = next(e for e in result.exclusions if e.item == "rerank-v3.5")
    assert "per search" in rerank.reason and "1K searches" in rerank.reason
    assert price(result, "c4ai-aya-expanse-32b", "input").price_per_mtok == Decimal("0.50")  # "8B & 32B"


@pytest.mark.parametrize("old, new, message", [
    ("Model|Input|Output", "Model|Input|Output|Batch", "unknown column 'Batch'"),
    ("Embed 4|$0.12 / 1M tokens", "Embed 4|$0.12 / 1M credits", "unknown unit"),
])
def test_broken_copies_raise_drift_naming_source_and_url(parse, tables, old, new, message):
    broken = tables.decode().replace(old, new, 1)
    assert broken != tables.decode()
    with pytest.raises(LayoutDriftError, match=message) as info:
        parse(broken.encode())
    assert info.value.source_id == "cohere" and cohere.URL in str(info.value)


def test_page_without_prices_is_drift(parse):
    with pytest.raises(LayoutDriftError, match="no model token prices") as info:
        parse(b"Pricing\n\nNorth\n\nGet in touch for custom enterprise pricing.\n")
    assert "[cohere]" in str(info.value)


