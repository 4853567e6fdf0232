"""MiniMax pricing parser: text-model token prices from the real capture and a second rendering;
audio/video/music/image prices as exclusions; drift; demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import minimax

CAPTURE = "pages/minimax_petehsu-LLM-Docs-2025-12.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes):
        return minimax.parse(body, make_meta(minimax.SOURCE_ID, minimax.URL, body))

    return _parse


@pytest.fixture
def rendering(fixtures_dir) -> bytes:
    return (fixtures_dir / "minimax" / "pricing_no_outer_pipes.md").read_bytes()


def price(result, model_id, token_type):
    [fact] = [p for p in result.prices if (p.model_id, p.token_type) == (model_id, token_type)]
    return fact


def test_real_capture_text_models(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert len(result.prices) == 8
    assert {p.model_id for p in result.prices} == {"minimax-m2", "minimax-m2-stable"}
    fact = price(result, "minimax-m2", "input")
    assert (fact.price_per_mtok, fact.usd_per_mtok, fact.currency) == (Decimal("0.3"), Decimal("0.3"), "USD")
    assert fact.model_name == "MiniMax-M2" and fact.unit_as_published == "$ / M tokens"
    assert price(result, "minimax-m2", "output").price_per_mtok == Decimal("1.2")
    assert price(result, "minimax-m2", "cache_read").price_per_mtok == Decimal("0.03")
    assert price(result, "minimax-m2-stable", "cache_write").price_per_mtok == Decimal("0.375")
    assert price(result, "minimax-m2-stable", "input").model_name == "MiniMax-M2-Stable"  # note line dropped
    assert {p.context_band for p in result.prices} == {"all"}


def test_real_capture_non_text_prices_are_exclusions(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert len(result.exclusions) == 14  # audio 4, video 8, music 1, image 1
    fields = {e.field.split(":")[0] for e in result.exclusions}
    assert fields == {"Audio", "Video", "Music", "Image"}
    image = next(e for e in result.exclusions if e.item == "image-01")
    assert "$0.0035 per image" in image.reason
    assert any(e.item == "speech-2.6-turbo, speech-02-turbo" and "$60/M characters" in e.reason
               for e in result.exclusions)


def test_second_rendering(parse, rendering):
    result = parse(rendering)
    assert len(result.prices) == 12
    assert price(result, "minimax-m2.1", "output").price_per_mtok == Decimal("1.2")
    assert price(result, "minimax-m2.1", "cache_write").price_per_mtok == Decimal("0.375")
    assert price(result, "minimax-m2-stable", "cache_read").price_per_mtok == Decimal("0.03")
    assert [e.item for e in result.exclusions] == ["speech-2.6-hd, speech-02-hd", "image-01"]


def test_cny_cells_are_stored_as_published(parse, rendering):
    body = rendering.decode().replace("**MiniMax-M2**|\\$0.3 / M tokens", "**MiniMax-M2**|¥2.1 / M tokens").encode()
    fact = price(parse(body), "minimax-m2", "input")
    assert (fact.currency, fact.price_per_mtok, fact.usd_per_mtok) == ("CNY", Decimal("2.1"), None)


@pytest.mark.parametrize("old, new, message", [
    ("|Prompt caching Write\n", "|Batch Output\n", "unknown column 'Batch Output'"),
    ("**MiniMax-M2**|\\$0.3 / M tokens", "**MiniMax-M2**|\\$0.3 / M credits", "unknown unit"),
    ("Model|Input|Output|Prompt caching Read|Prompt caching Write", "Model|Plan|Output|Read|Write",
     "no text price table"),
])
def test_broken_copies_raise_drift_naming_source_and_url(parse, rendering, old, new, message):
    broken = rendering.decode().replace(old, new, 1)
    assert broken != rendering.decode()
    with pytest.raises(LayoutDriftError, match=message) as info:
        parse(broken.encode())
    assert info.value.source_id == "minimax" and minimax.URL in str(info.value)


def test_page_without_text_table_is_drift(parse):
    with pytest.raises(LayoutDriftError, match="no text price table"):
        parse(b"# Pay as You Go\n\n## Image\n\n| Model | Price |\n| --- | --- |\n| image-01 | $0.0035 per image |\n")


