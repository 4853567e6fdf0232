"""Every published price unit converts to an exact Decimal per 1M tokens, and unknown units raise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.units import Price, UnknownUnitError, is_no_price, parse_per_token, parse_price, tokens_per_unit


@pytest.mark.parametrize(
    ("text", "per_mtok", "currency", "unit"),
    [
        # per million tokens, as Anthropic writes it
        ("$5 / MTok", "5", "USD", "$ / MTok"),
        ("$0.50 / MTok", "0.50", "USD", "$ / MTok"),
        ("$1.6 / MTok", "1.6", "USD", "$ / MTok"),
        ("$0.125/MTok", "0.125", "USD", "$/MTok"),
        # per 1M tokens, other spellings
        ("$5.00 per 1M tokens", "5.00", "USD", "$ per 1M tokens"),
        ("$0.30 / 1M", "0.30", "USD", "$ / 1M"),
        ("\\$0.3 / M tokens", "0.3", "USD", "$ / M tokens"),  # MiniMax escapes the dollar sign
        ("$1 per million tokens", "1", "USD", "$ per million tokens"),
        ("$2.50 per 1M input tokens", "2.50", "USD", "$ per 1M input tokens"),
        ("US$ 1.25 / 1M", "1.25", "USD", "US$ / 1M"),
        # per 1K and per 1,000 tokens
        ("$0.002 / 1K tokens", "2", "USD", "$ / 1K tokens"),
        ("$0.0015 per 1,000 tokens", "1.5", "USD", "$ per 1,000 tokens"),
        # per single token, written out
        ("$0.000002 per token", "2", "USD", "$ per token"),
        # cents, per 1M and per 100M
        ("15¢ / 1M", "0.15", "USD", "¢ / 1M"),
        ("15¢ / 100M tokens", "0.0015", "USD", "¢ / 100M tokens"),
        ("8 cents per 1M tokens", "0.08", "USD", "cents per 1M tokens"),
        # CNY in both writings
        ("¥2 / 1M tokens", "2", "CNY", "¥ / 1M tokens"),
        ("2元/百万tokens", "2", "CNY", "元/百万tokens"),
        ("0.5元 / 1M tokens", "0.5", "CNY", "元 / 1M tokens"),
        # EUR
        ("€0.10 / 1M", "0.10", "EUR", "€ / 1M"),
        # a footnote marker after the price
        ("$25 / MTok*", "25", "USD", "$ / MTok"),
    ],
)
def test_parse_price_units(text: str, per_mtok: str, currency: str, unit: str) -> None:
    price = parse_price(text)
    assert isinstance(price.price_per_mtok, Decimal)
    assert price.price_per_mtok == Decimal(per_mtok)
    assert price.currency == currency
    assert price.unit_as_published == unit


def test_price_unpacks_as_a_triple() -> None:
    per_mtok, currency, unit = parse_price("$3 / MTok")
    assert (per_mtok, currency, unit) == (Decimal("3"), "USD", "$ / MTok")
    assert isinstance(parse_price("$3 / MTok"), Price)


def test_published_precision_is_kept() -> None:
    # "$0.50" stays 0.50 (not 0.5), so raw and stored values read the same
    assert str(parse_price("$0.50 / MTok").price_per_mtok) == "0.50"
    assert str(parse_price("$0.002 / 1K tokens").price_per_mtok) == "2"
    assert str(parse_price("1.5 USD / 1K tokens").price_per_mtok) == "1500"  # not "1.5E+3"


def test_bare_amount_takes_the_unit_and_currency_from_context() -> None:
    # OpenAI tables say "Prices per 1M tokens." above a column of "$0.875"
    assert parse_price("$0.875", default_unit="1M tokens") == Price(Decimal("0.875"), "USD", "$ / 1M tokens")
    # Moonshot writes "￥4.00" with the unit in another column
    assert parse_price("￥4.00", default_unit="1M tokens").currency == "CNY"
    assert parse_price("0.2元", default_unit="百万tokens").price_per_mtok == Decimal("0.2")
    assert parse_price("0.28", default_unit="1M tokens", default_currency="USD").currency == "USD"


@pytest.mark.parametrize(
    ("value", "per_mtok"),
    [
        ("0.00000045", "0.45"),
        ("0.0000032", "3.2"),
        ("0.000025", "25"),
        ("0.0000000375", "0.0375"),
        ("0.0000000208333333333333", "0.0208333333333333"),  # repeating decimal kept to every digit
        ("0", "0"),
        ("0.014", "14000"),
    ],
)
def test_per_token_strings_scale_exactly(value: str, per_mtok: str) -> None:
    price = parse_per_token(value)
    assert price.price_per_mtok == Decimal(per_mtok)
    assert str(price.price_per_mtok) == per_mtok  # exact digits, no float noise, no exponent
    assert price.currency == "USD"
    assert price.unit_as_published == "USD/token"


def test_per_token_conversion_differs_from_float_math() -> None:
    # the reason for Decimal: float multiplication does not give 0.45 back
    assert 0.00000045 * 1_000_000 != 0.45
    assert parse_per_token("0.00000045").price_per_mtok == Decimal("0.45")


@pytest.mark.parametrize(
    "text",
    [
        "$35 / 1,000 requests",  # per request
        "$60/M characters",  # per character (speech)
        "$4.50 / 1,000,000 tokens per hour",  # storage
        "$0.10 / GB per day",
        "$1.25, prompts <= 200k tokens",  # a band hidden in the cell, the parser must split it first
        "Free",
        "5 / MTok",  # no currency
        "$0.875",  # no unit and no default
        "$3 / 3 tokens",  # does not convert exactly
        "$1 / 0 tokens",
    ],
)
def test_unknown_units_raise(text: str) -> None:
    with pytest.raises(UnknownUnitError):
        parse_price(text)


@pytest.mark.parametrize("value", ["-1", "abc", "", "NaN", "Infinity"])
def test_per_token_rejects_sentinels_and_garbage(value: str) -> None:
    with pytest.raises(UnknownUnitError):
        parse_per_token(value)


def test_unknown_unit_error_is_a_value_error() -> None:
    assert issubclass(UnknownUnitError, ValueError)


@pytest.mark.parametrize("text", ["-", "—", "–", "", "  ", "N/A", "Not available"])
def test_no_price_cells(text: str) -> None:
    assert is_no_price(text)


def test_a_price_is_not_a_no_price_cell() -> None:
    assert not is_no_price("$0 / MTok")


def test_tokens_per_unit_reads_a_stated_unit():
    assert tokens_per_unit("1M tokens") == 1_000_000
    assert tokens_per_unit("/ 1K tokens") == 1_000
    assert tokens_per_unit("per 1 million tokens") == 1_000_000
    with pytest.raises(UnknownUnitError, match="unknown unit"):
        tokens_per_unit("1B tokens")  # billions are not a unit this module knows: drift, never a guess
