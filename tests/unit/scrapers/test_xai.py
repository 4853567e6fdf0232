"""xAI pricing parser: the real capture (a page without prices), two project renderings, drift, demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import xai

CAPTURE = "pages/xai_petehsu-LLM-Docs-2025-12.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes):
        return xai.parse(body, make_meta(xai.SOURCE_ID, xai.URL, body))

    return _parse


@pytest.fixture
def pricing(fixtures_dir) -> bytes:
    return (fixtures_dir / "xai" / "pricing.md").read_bytes()


def price(result, model_id, token_type, band="all"):
    [fact] = [p for p in result.prices
              if (p.model_id, p.token_type, p.context_band) == (model_id, token_type, band)]
    return fact


def test_real_capture_is_the_consumption_page_and_has_no_prices(samples_dir, parse):
    body = (samples_dir / CAPTURE).read_bytes()
    with pytest.raises(LayoutDriftError, match="no price table") as info:
        parse(body)
    assert info.value.source_id == "xai" and info.value.url == xai.URL
    assert "[xai]" in str(info.value) and xai.URL in str(info.value)


def test_pricing_page_rendering(parse, pricing):
    result = parse(pricing)
    assert len(result.prices) == 20
    assert price(result, "grok-4.3", "input").price_per_mtok == Decimal("1.25")
    assert price(result, "grok-4.3", "cache_read").price_per_mtok == Decimal("0.20")
    assert price(result, "grok-4.3", "output").price_per_mtok == Decimal("2.50")
    assert price(result, "grok-4.3", "cache_read", ">200k").price_per_mtok == Decimal("0.40")
    assert price(result, "grok-4.3", "output", ">200k").price_per_mtok == Decimal("5.00")
    assert price(result, "grok-code-fast-1", "cache_read").price_per_mtok == Decimal("0.02")
    assert price(result, "grok-4-1-fast-non-reasoning", "output").price_per_mtok == Decimal("0.50")
    assert all(p.currency == "USD" and p.usd_per_mtok == p.price_per_mtok for p in result.prices)
    assert {p.provider_id for p in result.prices} == {"xai"}
    assert {p.context_band for p in result.prices} == {"all", ">200k"}
    assert price(result, "grok-4.3", "input").unit_as_published == "$ / 1M tokens"


def test_per_image_per_call_and_dash_cells_are_exclusions(parse, pricing):
    result = parse(pricing)
    by_item = {(e.item, e.field): e.reason for e in result.exclusions}
    assert len(result.exclusions) == 6
    assert "$0.07 / image" in by_item[("grok-imagine-image-pro", "Cost")]
    assert "$0.05 / sec" in by_item[("grok-imagine-video", "Cost")]
    assert "$5 / 1k calls" in by_item[("web-search", "Cost / 1k Calls")]
    assert "no price published" in by_item[("grok-3-mini", "Cached input")]
    assert not [p for p in result.prices if p.model_id.startswith("grok-imagine")]


def test_models_page_rendering_combined_cells_repeats_and_band_column(parse, fixtures_dir):
    result = parse((fixtures_dir / "xai" / "models_no_outer_pipes.md").read_bytes())
    assert len(result.prices) == 13  # the repeated grok-4-0709 row is the same fact, kept once
    assert price(result, "grok-4-0709", "input").price_per_mtok == Decimal("3.00")
    assert price(result, "grok-4-0709", "cache_read").price_per_mtok == Decimal("0.75")
    assert price(result, "grok-4-0709", "output", ">128k").price_per_mtok == Decimal("30.00")
    assert price(result, "grok-4-fast-reasoning", "input", ">128k").price_per_mtok == Decimal("0.40")
    assert price(result, "grok-3-mini-fast", "output").model_name == "grok-3-mini-fast"  # region dropped
    assert any(e.item == "grok-imagine-image" and "$0.02/image" in e.reason for e in result.exclusions)


def test_records_carry_provenance(parse, pricing, make_meta):
    result = parse(pricing)
    meta = make_meta(xai.SOURCE_ID, xai.URL, pricing)
    for record in [*result.prices, *result.exclusions]:
        assert (record.source_id, record.source_url, record.raw_sha256, record.parser_version) == (
            "xai", xai.URL, meta.sha256, "1")


@pytest.mark.parametrize("old, new, message", [
    ("| Cached input |", "| Batch input |", "unknown column 'Batch input'"),
    ("| $1.25 | $0.20 | $2.50 |", "| $1.25 / 1K credits | $0.20 | $2.50 |", "unknown unit"),
    ("| grok-code-fast-1 | 256K | $0.20 | $0.02 | $1.50 |",
     "| grok-code-fast-1 | 256K | $0.20 | $0.02 | $1.50 |\n| grok-code-fast-1 | 256K | $0.25 | $0.02 | $1.50 |",
     "two prices"),
])
def test_broken_copies_raise_drift_naming_source_and_url(parse, pricing, old, new, message):
    broken = pricing.decode().replace(old, new, 1)
    assert broken != pricing.decode()
    with pytest.raises(LayoutDriftError, match=message) as info:
        parse(broken.encode())
    assert info.value.source_id == "xai" and xai.URL in str(info.value)


def test_page_without_tables_is_drift_not_empty(parse):
    with pytest.raises(LayoutDriftError, match="no price table"):
        parse(b"# Pricing\n\nSee the console for prices.\n")




@pytest.mark.parametrize("stated", ["Prices per 1B tokens", "Prices per 1K tokens"])
def test_a_price_table_stated_in_another_unit_is_drift(parse, pricing, stated):
    # bare amounts are read per 1M tokens because the page says so; before, any other statement was
    # ignored and the amounts read per 1M all the same
    text = pricing.decode()
    assert "Prices per 1M tokens" in text
    with pytest.raises(LayoutDriftError, match=stated.removeprefix("Prices ")) as info:
        parse(text.replace("Prices per 1M tokens", stated).encode())
    assert info.value.source_id == "xai" and info.value.url == xai.URL
