"""Moonshot pricing parser: the real CNY capture, an English USD rendering, bands, drift, demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import moonshot

CAPTURE = "pages/moonshot_petehsu-LLM-Docs-2025-12.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes):
        return moonshot.parse(body, make_meta(moonshot.SOURCE_ID, moonshot.URL, body))

    return _parse


@pytest.fixture
def english(fixtures_dir) -> bytes:
    return (fixtures_dir / "moonshot" / "pricing_en_usd.md").read_bytes()


def price(result, model_id, token_type, band="all"):
    [fact] = [p for p in result.prices
              if (p.model_id, p.token_type, p.context_band) == (model_id, token_type, band)]
    return fact


def test_real_capture_is_cny_stored_as_published(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert len(result.prices) == 36 and not result.exclusions
    assert {p.currency for p in result.prices} == {"CNY"}
    assert all(p.usd_per_mtok is None for p in result.prices)  # no silent FX
    fact = price(result, "kimi-k2-0905-preview", "input")
    assert (fact.price_per_mtok, fact.raw_value, fact.unit_as_published) == (Decimal("4.00"), "￥4.00", "¥ / 1M tokens")
    assert price(result, "kimi-k2-0905-preview", "cache_read").price_per_mtok == Decimal("1.00")
    assert price(result, "kimi-k2-thinking-turbo", "output").price_per_mtok == Decimal("58.00")
    assert price(result, "moonshot-v1-128k-vision-preview", "input").price_per_mtok == Decimal("10.00")
    # the "推荐" badge glued to the id is not part of it
    assert price(result, "kimi-k2-turbo-preview", "input").model_name == "kimi-k2-turbo-preview"


def test_real_capture_kimi_latest_context_bands(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    latest = [p for p in result.prices if p.model_id == "kimi-latest"]
    assert {p.context_band for p in latest} == {"<=8k", ">8k,<=32k", ">32k,<=128k"}
    assert price(result, "kimi-latest", "input", "<=8k").price_per_mtok == Decimal("2.00")
    assert price(result, "kimi-latest", "input", ">8k,<=32k").price_per_mtok == Decimal("5.00")
    assert price(result, "kimi-latest", "output", ">32k,<=128k").price_per_mtok == Decimal("30.00")
    assert {p.context_band for p in result.prices if p.model_id != "kimi-latest"} == {"all"}


def test_english_rendering_is_usd(parse, english):
    result = parse(english)
    assert len(result.prices) == 26  # 3 kimi-k2 x 3, kimi-latest 3 bands x 3, 4 moonshot-v1 x 2
    assert {p.currency for p in result.prices} == {"USD"}
    assert all(p.usd_per_mtok == p.price_per_mtok for p in result.prices)
    assert price(result, "kimi-k2-0905-preview", "cache_read").price_per_mtok == Decimal("0.15")
    assert price(result, "kimi-k2-turbo-preview", "input").price_per_mtok == Decimal("1.15")
    assert price(result, "kimi-latest", "input", ">8k,<=32k").price_per_mtok == Decimal("1.00")
    assert price(result, "moonshot-v1-8k", "output").price_per_mtok == Decimal("2.00")


def test_no_price_cell_is_an_exclusion(parse, english):
    body = english.decode().replace("moonshot-v1-32k|1M tokens|$1.00|", "moonshot-v1-32k|1M tokens|-|").encode()
    result = parse(body)
    [exclusion] = result.exclusions
    assert (exclusion.item, exclusion.field) == ("moonshot-v1-32k", "Input Price")
    assert not [p for p in result.prices if p.model_id == "moonshot-v1-32k" and p.token_type == "input"]


@pytest.mark.parametrize("old, new, message", [
    ("|Output Price|Context Window", "|Output Price|Batch Price", "unknown column 'Batch Price'"),
    ("|$2.50|262,144", "|2.50|262,144", "no currency"),
    ("kimi-latest|≤ 8,192 tokens", "kimi-latest|short prompts", "context band"),
])
def test_broken_copies_raise_drift_naming_source_and_url(parse, english, old, new, message):
    broken = english.decode().replace(old, new, 1)
    assert broken != english.decode()
    with pytest.raises(LayoutDriftError, match=message) as info:
        parse(broken.encode())
    assert info.value.source_id == "moonshot" and moonshot.URL in str(info.value)


def test_page_without_tables_is_drift(parse):
    with pytest.raises(LayoutDriftError, match="no price table"):
        parse("# 模型推理价格说明\n\n价格请见控制台。\n".encode())


