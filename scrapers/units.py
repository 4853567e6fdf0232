"""Price strings -> exact ``Decimal`` price per 1M tokens, with the currency and the unit as published.

Pages publish one price in many shapes ("$5 / MTok", "$0.002 / 1K tokens", "15¢ / 100M", "2元/百万tokens",
OpenRouter's per-token "0.00000045"). The warehouse stores one unit (per 1M tokens), so each shape is
converted here, once, with a unit test per shape. Money never passes through ``float``: amounts are parsed
from text into ``Decimal`` and rescaled by powers of ten, which is exact; a conversion that would round
raises instead.

Anything this module does not recognise raises :class:`UnknownUnitError`; parsers turn it into
``LayoutDriftError`` so a new unit on a page fails loudly rather than being guessed.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, Inexact, InvalidOperation
from typing import NamedTuple

__all__ = ["Price", "UnknownUnitError", "is_no_price", "parse_per_token", "parse_price", "tokens_per_unit"]

#: Enough digits for any published price; ``Inexact`` is trapped so a rounding conversion raises.
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])
_MTOK = Decimal(1_000_000)


class UnknownUnitError(ValueError):
    """A price string whose amount, currency or unit this module does not know."""


class Price(NamedTuple):
    """A parsed price. Unpacks as ``(price_per_mtok, currency, unit_as_published)``."""

    price_per_mtok: Decimal
    currency: str
    unit_as_published: str


# Currency markers before or after the amount. "¢"/"cents" are USD with the amount in hundredths.
_PREFIX = {"us$": "USD", "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "¥": "CNY", "cny": "CNY",
           "rmb": "CNY"}
_SUFFIX = {"¢": "USD¢", "cents": "USD¢", "cent": "USD¢", "元": "CNY", "rmb": "CNY", "cny": "CNY",
           "usd": "USD", "eur": "EUR", "€": "EUR", "$": "USD"}

_AMOUNT = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_PRICE_RE = re.compile(
    rf"^(?P<pre>us\$|\$|€|¥|usd|eur|cny|rmb)?\s*(?P<num>{_AMOUNT})\s*(?P<post>¢|cents?|元|rmb|cny|usd|eur|€|\$)?"
    r"(?P<unit>.*)$",
    re.IGNORECASE,
)

# The denominator: "/ MTok", "per 1M tokens", "/ 1K", "/百万tokens", "per 100M", "per token" ...
_MULTIPLIERS = {"": 1, "k": 10**3, "thousand": 10**3, "千": 10**3, "m": 10**6, "million": 10**6,
                "百万": 10**6, "万": 10**4}
_DENOMINATOR_RE = re.compile(
    r"^(?P<count>\d+(?:\.\d+)?)?(?P<mult>thousand|million|百万|千|万|k|m)?"
    r"(?:input|output|prompt|completion|cached)?(?P<tok>tokens?|tok)?$"
)


def is_no_price(text: str) -> bool:
    """True for cells that say 'no price here' ("-", "—", "N/A", "not available", empty)."""
    return text.strip().lower() in {"", "-", "—", "–", "n/a", "na", "not available", "none"}


def parse_price(text: str, *, default_unit: str | None = None, default_currency: str | None = None) -> Price:
    """Parse one published price such as ``"$0.50 / MTok"`` into price per 1M tokens.

    ``default_unit`` (for example ``"1M tokens"``) applies when the cell has a bare amount because the
    unit is in a table header or the page text; ``default_currency`` likewise for a bare number.
    """
    raw = text
    cleaned = _normalise(text)
    match = _PRICE_RE.match(cleaned)
    if match is None:
        raise UnknownUnitError(f"no amount in price {raw!r}")
    pre, post = (match["pre"] or "").lower(), (match["post"] or "").lower()
    if pre and post and _PREFIX[pre] != _SUFFIX[post].rstrip("¢"):
        raise UnknownUnitError(f"two currencies in price {raw!r}")
    currency = _SUFFIX[post] if post else _PREFIX.get(pre) or default_currency
    if currency is None:
        raise UnknownUnitError(f"no currency in price {raw!r}")
    amount = _decimal(match["num"].replace(",", ""), raw)

    unit_text = match["unit"].strip()
    # what the page said around the amount, e.g. "$ / MTok" for "$5 / MTok", "元/百万tokens" for "2元/百万tokens"
    published = re.sub(r"\s+", " ", cleaned[: match.start("num")] + cleaned[match.end("num"):]).strip()
    if not unit_text:
        if default_unit is None:
            raise UnknownUnitError(f"no unit in price {raw!r}")
        unit_text, published = default_unit, f"{published} / {default_unit}".strip()
    tokens = _tokens_per_unit(unit_text, raw)

    if currency == "USD¢":
        amount = amount.scaleb(-2, _EXACT)
    per_mtok = _per_mtok(amount, tokens)
    return Price(per_mtok, currency.rstrip("¢"), published)


def parse_per_token(value: str, *, currency: str = "USD") -> Price:
    """Parse a bare per-token price string (OpenRouter, LiteLLM): ``"0.00000045"`` -> ``Decimal("0.45")``."""
    amount = _decimal(value.strip(), value)
    if amount < 0:
        raise UnknownUnitError(f"negative per-token price {value!r} (a sentinel, not a price)")
    return Price(_per_mtok(amount, Decimal(1)), currency, f"{currency}/token")


def tokens_per_unit(unit_text: str) -> Decimal:
    """How many tokens a unit as written means: ``"1M tokens"`` -> 1000000, ``"/ 1K tokens"`` -> 1000.

    For parsers that read bare amounts in a unit stated elsewhere (section prose, a header): they check
    the statement with this. A unit this module does not know (``"1B tokens"``) raises ``UnknownUnitError``.
    """
    return _tokens_per_unit(unit_text, unit_text)


def _normalise(text: str) -> str:
    text = text.replace("\\$", "$").replace("￥", "¥").replace("\u00a0", " ").strip()
    text = re.sub(r"[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+$", "", text).strip()  # trailing footnote markers
    return re.sub(r"\s+", " ", text)


def _decimal(text: str, raw: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise UnknownUnitError(f"not a decimal amount: {raw!r}") from exc
    if not value.is_finite():
        raise UnknownUnitError(f"not a finite amount: {raw!r}")
    return value


def _per_mtok(amount: Decimal, tokens: Decimal) -> Decimal:
    """Rescale ``amount`` per ``tokens`` to per 1M tokens; powers of ten only move the decimal point."""
    exponent = tokens.adjusted()
    if tokens == Decimal(1).scaleb(exponent):
        result = amount.scaleb(6 - exponent, _EXACT)
    else:
        result = _EXACT.multiply(amount, _EXACT.divide(_MTOK, tokens))
    # "1.5E+3" -> "1500": same value, but the plain form is what people and databases expect.
    return result.quantize(Decimal(1), context=_EXACT) if result.as_tuple().exponent > 0 else result


def _tokens_per_unit(unit_text: str, raw: str) -> Decimal:
    denominator = re.sub(r"[\s,]", "", unit_text.lower())
    denominator = re.sub(r"^(?:/|per)", "", denominator)
    match = _DENOMINATOR_RE.match(denominator)
    if match is None or not (match["count"] or match["mult"] or match["tok"]):
        raise UnknownUnitError(f"unknown unit {unit_text!r} in price {raw!r}")
    count = Decimal(match["count"] or 1)
    tokens = count * _MULTIPLIERS[match["mult"] or ""]
    if tokens <= 0:
        raise UnknownUnitError(f"unknown unit {unit_text!r} in price {raw!r}")
    try:
        _EXACT.divide(_MTOK, tokens)
    except Inexact as exc:
        raise UnknownUnitError(f"unit {unit_text!r} does not convert exactly to per 1M tokens") from exc
    return tokens
