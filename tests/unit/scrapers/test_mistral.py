"""Mistral pricing parser (2024 docs layout): the flattened-text real capture and a markdown rendering,
USD and EUR, drift (including the browser-rendered live page), demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import mistral

CAPTURE = "pages/mistral_wzulfikar-fixture-2024-04.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes):
        return mistral.parse(body, make_meta(mistral.SOURCE_ID, mistral.URL, body))

    return _parse


@pytest.fixture
def markdown(fixtures_dir) -> bytes:
    return (fixtures_dir / "mistral" / "pricing_markdown.md").read_bytes()


def price(result, model_id, token_type, currency):
    [fact] = [p for p in result.prices if (p.model_id, p.token_type, p.currency) == (model_id, token_type, currency)]
    return fact


def test_real_capture_text_layout(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    assert len(result.prices) == 22  # 5 chat models x in/out x USD/EUR + embed input x USD/EUR
    assert {p.model_id for p in result.prices} == {
        "open-mistral-7b", "open-mixtral-8x7b", "mistral-small-latest", "mistral-medium-latest",
        "mistral-large-latest", "mistral-embed"}
    usd = price(result, "mistral-medium-latest", "input", "USD")
    assert (usd.price_per_mtok, usd.usd_per_mtok, usd.model_name) == (Decimal("2.7"), Decimal("2.7"), "Mistral Medium")
    assert price(result, "open-mistral-7b", "input", "USD").price_per_mtok == Decimal("0.25")
    assert price(result, "mistral-large-latest", "output", "USD").price_per_mtok == Decimal("24")
    assert price(result, "mistral-small-latest", "output", "EUR").price_per_mtok == Decimal("5.55")
    assert price(result, "mistral-embed", "input", "USD").price_per_mtok == Decimal("0.1")


def test_eur_prices_are_stored_as_published(samples_dir, parse):
    result = parse((samples_dir / CAPTURE).read_bytes())
    eur = [p for p in result.prices if p.currency == "EUR"]
    assert len(eur) == 11 and all(p.usd_per_mtok is None for p in eur)
    fact = price(result, "open-mixtral-8x7b", "input", "EUR")
    assert (fact.price_per_mtok, fact.raw_value, fact.unit_as_published) == (Decimal("0.65"), "0.65€ / 1M tokens", "€ / 1M tokens")
    assert all(p.usd_per_mtok == p.price_per_mtok for p in result.prices if p.currency == "USD")


def test_markdown_rendering(parse, markdown):
    result = parse(markdown)
    assert len(result.prices) == 14
    assert price(result, "mistral-large-latest", "input", "EUR").price_per_mtok == Decimal("7.3")
    assert price(result, "open-mixtral-8x7b", "output", "USD").price_per_mtok == Decimal("0.7")
    assert price(result, "mistral-embed", "input", "EUR").model_name == "Mistral Embed"


@pytest.mark.parametrize("old, new, message", [
    ("| Output (EUR) |\n|:------|", "| Batch (EUR) |\n|:------|", "unknown column 'Batch \\(EUR\\)'"),
    ("| 8$ / 1M tokens | 24$ / 1M tokens |", "| 8€ / 1M tokens | 24$ / 1M tokens |", "the column says USD"),
    ("| 8$ / 1M tokens |", "| 8$ / 1M requests |", "unknown unit"),
])
def test_broken_markdown_raises_drift_naming_source_and_url(parse, markdown, old, new, message):
    broken = markdown.decode().replace(old, new, 1)
    assert broken != markdown.decode()
    with pytest.raises(LayoutDriftError, match=message) as info:
        parse(broken.encode())
    assert info.value.source_id == "mistral" and mistral.URL in str(info.value)


def test_broken_text_layout_row_is_drift(parse, fixtures_dir):
    body = (fixtures_dir / "mistral" / "pricing_text.md").read_text()
    broken = body.replace("Largemistral-large-latest8$", "Largemistral-large-latest8 dollars")
    with pytest.raises(LayoutDriftError, match="cannot split row"):
        parse(broken.encode())


def test_live_marketing_page_without_tables_is_drift(parse):
    shell = b'<!doctype html><html><body><div id="__next"></div><script src="/app.js"></script></body></html>'
    with pytest.raises(LayoutDriftError, match="needs a browser") as info:
        parse(shell)
    assert "[mistral]" in str(info.value)


