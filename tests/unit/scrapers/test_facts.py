"""The shared fact collector: provenance, the duplicate-key rule, USD vs other currencies, drift, exclusions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.facts import FactCollector, norm_header
from scrapers.records import ModelAttributes
from scrapers.units import Price

URL = "https://example.com/pricing.md"


@pytest.fixture
def collector(make_meta):
    def _make(**options) -> FactCollector:
        return FactCollector(make_meta("example", URL, b"body"), "7", **options)

    return _make


def usd(amount: str) -> Price:
    return Price(Decimal(amount), "USD", "$ / MTok")


def test_price_is_stamped_with_provenance_and_defaults(collector, make_meta):
    facts = collector(provider_id="acme")
    fact = facts.price("acme-1", "input", usd("3"), model_name="Acme 1", raw="$3 / MTok")
    meta = make_meta("example", URL, b"body")
    assert (fact.source_id, fact.source_url, fact.fetched_at, fact.raw_sha256, fact.parser_version) == (
        "example", URL, meta.fetched_at, meta.sha256, "7")
    assert (fact.provider_id, fact.model_id, fact.model_name, fact.token_type) == ("acme", "acme-1", "Acme 1", "input")
    assert (fact.service_tier, fact.context_band, fact.modality) == ("standard", "all", "text")
    assert (fact.price_per_mtok, fact.unit_as_published, fact.raw_value) == (Decimal("3"), "$ / MTok", "$3 / MTok")
    assert (fact.valid_from, fact.valid_to, fact.valid_from_basis) == (None, None, None)
    assert facts.result().prices == [fact]


def test_usd_sets_usd_per_mtok_and_other_currencies_do_not(collector):
    facts = collector(provider_id="acme")
    dollars = facts.price("m", "input", usd("0.5"), model_name="m", raw="$0.5")
    yuan = facts.price("m", "input", Price(Decimal("2"), "CNY", "元/百万tokens"), model_name="m", raw="2元")
    euros = facts.price("m", "output", Decimal("1.85"), currency="EUR", unit="€ / 1M tokens", model_name="m",
                        raw="1.85€")
    assert (dollars.currency, dollars.usd_per_mtok) == ("USD", Decimal("0.5"))
    assert (yuan.currency, yuan.price_per_mtok, yuan.usd_per_mtok) == ("CNY", Decimal("2"), None)
    assert (euros.currency, euros.price_per_mtok, euros.usd_per_mtok) == ("EUR", Decimal("1.85"), None)


def test_same_price_twice_is_kept_once(collector):
    facts = collector(provider_id="acme")
    first = facts.price("m", "input", usd("3"), model_name="M", raw="$3")
    again = facts.price("m", "input", usd("3.00"), model_name="M (repeat)", raw="$3.00")
    assert again is first
    assert facts.result().prices == [first]


def test_same_key_with_two_prices_is_drift_naming_both(collector):
    facts = collector(provider_id="acme")
    facts.price("m", "input", usd("3"), model_name="M", raw="$3", tier="batch", band=">200k")
    with pytest.raises(LayoutDriftError, match=r"m input/batch/>200k/text has two prices: '\$3' and '\$4'"):
        facts.price("m", "input", usd("4"), model_name="M", raw="$4", tier="batch", band=">200k")


def test_drift_label_and_quoted_text_can_be_the_parsers_own(collector):
    facts = collector(provider_id="acme")
    facts.price("m", "input", usd("3"), model_name="M", raw="$3 (cached $1) / $9")
    with pytest.raises(LayoutDriftError, match=r"^\[example\] M input has two prices: '\$3 \(cached \$1\) / \$9' and '\$4'"):
        facts.price("m", "input", usd("4"), model_name="M", raw="$4 / $9", label="M input", said="$4")


def test_not_strict_keeps_the_first_and_returns_it(collector):
    facts = collector()
    first = facts.price("m", "input", Decimal("3"), unit="USD/MTok", model_name="m", raw="3", provider_id="p")
    kept = facts.price("m", "input", Decimal("4"), unit="USD/MTok", model_name="m", raw="4", provider_id="p",
                       strict=False)
    assert kept is first and kept.price_per_mtok != Decimal("4")
    assert facts.result().prices == [first]


@pytest.mark.parametrize("change", [
    {"provider_id": "other"}, {"tier": "batch"}, {"band": "<=200k"}, {"modality": "audio"},
    {"valid_from": date(2026, 1, 1)}, {"value": Price(Decimal("3"), "EUR", "€ / MTok")},
])
def test_every_dimension_and_the_currency_are_part_of_the_key(collector, change):
    facts = collector(provider_id="acme")
    base = {"value": usd("3"), "model_name": "m", "raw": "3"}
    facts.price("m", "input", **base)
    facts.price("m", "input", **{**base, "raw": "other", **change})  # no drift: another key
    assert len(facts.result().prices) == 2


def test_dated_price_keeps_its_validity(collector):
    facts = collector(provider_id="acme")
    fact = facts.price("m", "output", usd("1.50"), model_name="m", raw="$1.50 starting January 1, 2027",
                       valid_from=date(2027, 1, 1), valid_to=date(2027, 6, 30), valid_from_basis="effective")
    assert (fact.valid_from, fact.valid_to, fact.valid_from_basis) == (date(2027, 1, 1), date(2027, 6, 30), "effective")


def test_a_price_needs_a_unit_and_a_provider(collector):
    with pytest.raises(TypeError, match="unit"):
        collector(provider_id="acme").price("m", "input", Decimal("1"), model_name="m", raw="1")
    with pytest.raises(TypeError, match="provider_id"):
        collector().price("m", "input", usd("1"), model_name="m", raw="1")


def test_drift_carries_source_and_url(collector):
    error = collector().drift("no price table")
    assert isinstance(error, LayoutDriftError)
    assert (error.source_id, error.url, error.message) == ("example", URL, "no price table")
    assert str(error) == f"[example] no price table (url: {URL})"
    named = collector(source_id="example_zh").drift("x")
    assert (named.source_id, named.url) == ("example_zh", URL)


def test_exclusions_are_stamped_and_optionally_unique(collector):
    facts = collector()
    facts.exclude("m", "Input", "no price published ('-')")
    facts.exclude("m", "Input", "no price published ('-')")
    assert [(e.item, e.field, e.reason, e.source_id, e.parser_version) for e in facts.result().exclusions] == [
        ("m", "Input", "no price published ('-')", "example", "7")] * 2
    unique = collector(unique_exclusions=True)
    for reason in ("a", "a", "b"):
        unique.exclude("m", "Input", reason)
    assert [e.reason for e in unique.result().exclusions] == ["a", "b"]


def test_text_and_json_bodies_that_do_not_read_are_drift(collector):
    facts = collector()
    assert facts.text("ümlaut".encode()) == "ümlaut"
    assert facts.text(b"\xef\xbb\xbfa,b", encoding="utf-8-sig") == "a,b"
    with pytest.raises(LayoutDriftError, match="page is not UTF-8 text"):
        facts.text(b"\xff\xfe")
    with pytest.raises(LayoutDriftError, match="history is not UTF-8 text"):
        facts.text(b"\xff", what="history")
    assert facts.json(b'{"price": 0.1}') == {"price": Decimal("0.1")}
    assert facts.json(b'{"price": 0.1}', parse_float=None) == {"price": 0.1}
    with pytest.raises(LayoutDriftError, match="feed is not JSON"):
        facts.json(b"<html>", what="feed")


def test_parse_price_turns_an_unknown_unit_into_drift(collector):
    facts = collector()
    assert facts.parse_price("$5 / MTok", where="M / Input") == Price(Decimal("5"), "USD", "$ / MTok")
    assert facts.parse_price("1.85", where="x", default_unit="1M tokens", default_currency="EUR").currency == "EUR"
    with pytest.raises(LayoutDriftError, match=r"^\[example\] M / Input: unknown unit"):
        facts.parse_price("$5 / fortnight", where="M / Input")


def test_result_adds_other_records(collector):
    facts = collector(provider_id="acme")
    facts.price("m", "input", usd("1"), model_name="m", raw="$1")
    model = ModelAttributes(**facts.provenance, provider_id="acme", model_id="m", source_model_id="m",
                            model_name="m", creator="acme")
    result = facts.result(models=[model])
    assert (len(result.prices), result.models, result.exclusions) == (1, [model], [])


@pytest.mark.parametrize("header, expected", [
    ("Input Price", "input price"), ("  Cached\nInput: ", "cached input"), ("Output  Tokens:", "output tokens"),
])
def test_norm_header(header, expected):
    assert norm_header(header) == expected


@pytest.mark.parametrize("text", [
    "Prices per 1M tokens.", "Prices below are per 1 million tokens", "per one million tokens",
    "| Model | $ / MTok |", "Price per 1M input tokens",
    "input/output tokens", "Serverless inference is priced per token.",  # words about tokens, no unit
])
def test_stated_units_that_agree_or_state_none_pass(collector, text):
    collector().check_stated_units(text, expected="1M tokens", where="the table")


@pytest.mark.parametrize("text, message", [
    ("Prices per 1B tokens.", "unknown unit '1B tokens'"),
    ("priced per billion tokens", "unknown unit 'billion tokens'"),
    ("Prices per 1K tokens.", "but its amounts are read per 1M tokens"),
    ("| Model | Price ($ / 1,000 tokens) |", "but its amounts are read per 1M tokens"),
])
def test_stated_units_that_differ_or_are_unknown_are_drift(collector, text, message):
    with pytest.raises(LayoutDriftError, match=message) as info:
        collector().check_stated_units(text, expected="1M tokens", where="the table")
    assert info.value.source_id == "example" and info.value.url == URL
