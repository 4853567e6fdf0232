"""Perplexity pricing parser: token prices (input, output, reasoning) from the real capture and an MDX
rendering; per-request fees and citation tokens as exclusions; drift; demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import perplexity

CAPTURE = "pages/perplexity_gfargo-token-tally-2025-10.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes):
        return perplexity.parse(body, make_meta(perplexity.SOURCE_ID, perplexity.URL, body))

    return _parse


@pytest.fixture
def rendering(fixtures_dir) -> bytes:
    return (fixtures_dir / "perplexity" / "pricing_mdx_no_outer_pipes.md").read_bytes()


def price(result, model_id, token_type):
    [fact] = [p for p in result.prices if (p.model_id, p.token_type) == (model_id, token_type)]
    return fact


def test_real_capture_token_prices(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert len(result.prices) == 11  # five models x input/output, plus Deep Research reasoning
    assert {p.model_id for p in result.prices} == {
        "sonar", "sonar-pro", "sonar-reasoning", "sonar-reasoning-pro", "sonar-deep-research"}
    fact = price(result, "sonar-pro", "output")
    assert (fact.price_per_mtok, fact.usd_per_mtok, fact.raw_value) == (Decimal("15"), Decimal("15"), "$15")
    assert fact.unit_as_published == "$ / 1M tokens" and fact.model_name == "Sonar Pro"
    assert price(result, "sonar", "input").price_per_mtok == Decimal("1")
    assert price(result, "sonar-reasoning", "output").price_per_mtok == Decimal("5")
    assert price(result, "sonar-deep-research", "reasoning").price_per_mtok == Decimal("3")
    assert [p.model_id for p in result.prices if p.token_type == "reasoning"] == ["sonar-deep-research"]


def test_real_capture_exclusions(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert len(result.exclusions) == 15  # 12 "-" cells, citation, search queries, Search API
    by_key = {(e.item, e.field): e.reason for e in result.exclusions}
    assert "citation tokens" in by_key[("sonar-deep-research", "Citation Tokens ($/1M)")]
    assert "'$5'" in by_key[("sonar-deep-research", "Search Queries ($/1K)")]
    assert "per-request" in by_key[("search-api", "Price per 1K requests")]
    assert "no such charge" in by_key[("sonar", "Reasoning Tokens ($/1M)")]


def test_mdx_rendering_with_request_pricing_tab(parse, rendering):
    result = parse(rendering)
    assert len(result.prices) == 9
    assert price(result, "sonar-reasoning-pro", "output").price_per_mtok == Decimal("8")
    assert price(result, "sonar-deep-research", "input").price_per_mtok == Decimal("2")
    request_fees = [e for e in result.exclusions if "requests)" in e.field]
    assert len(request_fees) == 6
    assert any(e.item == "sonar-pro" and e.field == "High ($/1K requests)" and "'$14'" in e.reason
               for e in request_fees)
    assert not [p for p in result.prices if p.token_type not in ("input", "output", "reasoning")]


@pytest.mark.parametrize("old, new, message", [
    ("|Citation Tokens ($/1M)|", "|Image Tokens ($/1M)|", "unknown column 'Image Tokens"),
    ("Model|Input Tokens ($/1M)|", "Model|Input Tokens|", "states no unit"),
    ("[**Sonar**](/getting-started/models/models/sonar)|$1|", "[**Sonar**](/getting-started/models/models/sonar)|1 credit|",
     "no amount|unknown unit|no currency"),
    ("**Sonar Deep Research**|$2|", "**Sonar Deep Research**|€2|", "the header says USD"),
])
def test_broken_copies_raise_drift_naming_source_and_url(parse, rendering, old, new, message):
    broken = rendering.decode().replace(old, new, 1)
    assert broken != rendering.decode()
    with pytest.raises(LayoutDriftError, match=message) as info:
        parse(broken.encode())
    assert info.value.source_id == "perplexity" and perplexity.URL in str(info.value)


def test_page_without_token_table_is_drift(parse):
    with pytest.raises(LayoutDriftError, match="no token price table"):
        parse(b"# Pricing\n\n| API | Price per 1K requests |\n| --- | --- |\n| Search API | $5.00 |\n")


