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




# An unknown unit is drift in the prose as in the tables. Before, a sentence "per 1B tokens" did not match
# the sentence pattern and its model silently went missing (12 facts instead of 14, loaded as complete).
@pytest.mark.parametrize("old, new", [
    # the FAQ sentence the parser reads, with its unit changed
    ("Command R+ 08-2024 pricing is $2.50/1M tokens for input and $10.00/1M tokens for output",
     "Command R+ 08-2024 pricing is $2.50/1B tokens for input and $10.00/1B tokens for output"),
    # the same price in words
    ("Command-light pricing is $0.30/1M tokens for input",
     "Command-light pricing is $0.30 per 1 billion tokens for input"),
])
def test_an_unknown_unit_in_the_real_prose_is_drift(samples_dir, parse, old, new):
    page = (samples_dir / CAPTURE).read_text()
    assert old in page
    with pytest.raises(LayoutDriftError, match="unknown unit") as info:
        parse(page.replace(old, new, 1).encode())
    assert info.value.source_id == "cohere" and info.value.url == cohere.URL


def test_an_unknown_unit_in_a_sentence_the_parser_does_not_read_is_drift_too(samples_dir, parse):
    page = (samples_dir / CAPTURE).read_text()
    extra = "\nEmbed v5 is billed at $0.10 per 1B tokens, with volume discounts.\n"
    with pytest.raises(LayoutDriftError, match=r"prose price '\$0.10 per 1B tokens'.*unknown unit"):
        parse((page + extra).encode())
    # the same sentence in a unit the parser knows is not a price it reads: still 14 facts, as before
    known = parse((page + extra.replace("1B", "1M")).encode())
    assert len(known.prices) == 14


def test_an_unknown_unit_in_a_table_is_drift(parse, tables):
    broken = tables.decode().replace("$2.50 / 1M tokens", "$2.50 / 1B tokens", 1)
    assert broken != tables.decode()
    with pytest.raises(LayoutDriftError, match="unknown unit") as info:
        parse(broken.encode())
    assert info.value.source_id == "cohere"
