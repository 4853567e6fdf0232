"""What every source parser does with what it has read: price facts, exclusions, layout drift.

Each parser decides what a cell, a column or a JSON key means; recording the answer is the same
everywhere, so it lives here once. :class:`FactCollector` stamps provenance on every record, keys a price
by its dimensions (provider, model, token type, tier, context band, modality, currency, ``valid_from``),
sets ``usd_per_mtok`` only when the price is in USD (no FX here), keeps a fact stated twice once, and
treats the same key with two different prices as layout drift (pages) or leaves the first in place for the
parser to record as an exclusion (datasets, where one slip must not stop the whole feed). It also builds
``LayoutDriftError`` with the source and URL, reads a body as text or JSON and a price through
``units.parse_price`` (what does not read is drift), and returns the ``ParseResult``. What a parser
decides for itself stays in the parser: which cells are "no price", its exclusion reasons, its records
other than prices (model attributes, speeds), and the wording that names a price in a drift message.

:func:`norm_header` is the header normalisation the markdown page parsers share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from scrapers.errors import LayoutDriftError
from scrapers.records import ALL_CONTEXT, CaptureMeta, Exclusion, ParseResult, PriceFact
from scrapers.truncation import cut_short
from scrapers.units import Price, UnknownUnitError, parse_price, tokens_per_unit

__all__ = ["FactCollector", "PriceKey", "norm_header"]

#: a statement of the unit prices are in: "per 1M tokens", "$ / 1K tokens", "per 1 million tokens", "per 1B
#: tokens". The quantity is loose on purpose: ``units.tokens_per_unit`` decides whether it is known.
_UNIT_STATEMENT_RE = re.compile(r"(?:\bper\b|/)\s*((?:\d[\d,.]*\s*)?(?:[^\W\d_]+?\s*){0,2}?)(?:tokens?|tok)\b", re.IGNORECASE)

#: what makes a unit statement name a quantity of tokens: a number or a multiplier, known ("1M", "million")
#: or not ("1B", "billion"). Not "input/output tokens", and not "priced per token" (prose about billing,
#: not the unit of a table: Fireworks says it above its per-1M tables)
_QUANTITY_RE = re.compile(r"^(?:\d|(?:k|m|b|bn|t|thousand|million|billion|trillion|one|a)\b)", re.IGNORECASE)

#: (provider_id, model_id, token_type, service_tier, context_band, modality, currency, valid_from)
PriceKey = tuple[str, str, str, str, str, str, str, date | None]


def norm_header(header: str) -> str:
    """``"Input Price:\\n"`` -> ``"input price"``: one line, single spaces, no trailing colon, lowercase."""
    return re.sub(r"\s+", " ", header.replace("\n", " ")).strip().rstrip(":").strip().lower()


class FactCollector:
    """Price facts and exclusions of one parse of one capture.

    ``source_id`` names the source in drift errors (default: the capture's own ``meta.source_id``);
    ``provider_id`` is the seller of every price unless :meth:`price` names one (datasets list many).
    With ``unique_exclusions`` the same (item, field, reason) is recorded once.
    """

    def __init__(
        self,
        meta: CaptureMeta,
        parser_version: str,
        *,
        source_id: str | None = None,
        provider_id: str | None = None,
        unique_exclusions: bool = False,
    ):
        self.meta = meta
        self.source_id = source_id or meta.source_id
        self.provider_id = provider_id
        self.provenance = meta.provenance(parser_version)
        self.facts: dict[PriceKey, PriceFact] = {}
        self.exclusions: list[Exclusion] = []
        self._excluded: set[tuple[str, str, str]] | None = set() if unique_exclusions else None

    # -- errors and bodies --------------------------------------------------------------------------

    def drift(self, message: str) -> LayoutDriftError:
        """The error to raise: the page or feed no longer looks as the parser expects."""
        return LayoutDriftError(self.source_id, self.meta.url, message)

    def text(self, body: bytes, *, what: str = "page", encoding: str = "utf-8", csv_table: bool = False) -> str:
        """``body`` as text; a body that does not decode is drift (``"<what> is not UTF-8 text: ..."``), and so
        is one whose ending shows it cut short (``scrapers.truncation``; ``csv_table`` for a CSV's rule)."""
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise self.drift(f"{what} is not UTF-8 text: {exc}") from exc
        if reason := cut_short(text, csv_table=csv_table):
            raise self.drift(f"{what} cut short: {reason}")
        return text

    def json(self, body: bytes, *, what: str = "response",
             parse_float: Callable[[str], Any] | None = Decimal) -> Any:
        """``body`` as JSON, numbers with a fraction as exact ``Decimal`` by default (never ``float``).

        A body that is not JSON is drift (``"<what> is not JSON: ..."``).
        """
        try:
            return json.loads(body, parse_float=parse_float)
        except (ValueError, UnicodeDecodeError) as exc:
            raise self.drift(f"{what} is not JSON: {exc}") from exc

    def parse_price(self, text: str, *, where: str, default_unit: str | None = None,
                    default_currency: str | None = None) -> Price:
        """:func:`scrapers.units.parse_price`; a price it cannot read is drift (``"<where>: <why>"``)."""
        try:
            return parse_price(text, default_unit=default_unit, default_currency=default_currency)
        except UnknownUnitError as exc:
            raise self.drift(f"{where}: {exc}") from exc

    def check_stated_units(self, text: str, *, expected: str, where: str) -> None:
        """A parser that reads bare amounts as ``expected`` (``"1M tokens"``) because the page says so checks
        what the page says here: every unit statement in ``text`` (section prose, headers) must be a unit
        ``units`` knows, and the one assumed. Otherwise drift: a page that moves to "per 1B tokens" would
        else be read 1000 times too dear, or a price quietly left out."""
        want = tokens_per_unit(expected)
        for match in _UNIT_STATEMENT_RE.finditer(text):
            quantity = match[1].strip()
            if not _QUANTITY_RE.match(quantity):
                continue  # "input/output tokens": words about tokens, no unit
            try:
                quantity = re.sub(r"^(?:one|a)\s+", "1 ", quantity, flags=re.IGNORECASE)  # "one million"
                stated = tokens_per_unit(f"{quantity} tokens")
            except UnknownUnitError as exc:
                raise self.drift(f"{where} states prices {match[0].strip()!r}: {exc}") from exc
            if stated != want:
                raise self.drift(f"{where} states prices {match[0].strip()!r}, but its amounts are read per {expected}")

    # -- records ------------------------------------------------------------------------------------

    def exclude(self, item: str, field: str, reason: str) -> None:
        """Something seen and deliberately not turned into a fact, with the reason."""
        if self._excluded is not None:
            if (item, field, reason) in self._excluded:
                return
            self._excluded.add((item, field, reason))
        self.exclusions.append(Exclusion(**self.provenance, item=item, field=field, reason=reason))

    def price(
        self,
        model_id: str,
        token_type: str,
        value: Price | Decimal,
        *,
        model_name: str,
        raw: str,
        unit: str | None = None,
        currency: str = "USD",
        provider_id: str | None = None,
        tier: str = "standard",
        band: str = ALL_CONTEXT,
        modality: str = "text",
        valid_from: date | None = None,
        valid_to: date | None = None,
        valid_from_basis: str | None = None,
        strict: bool = True,
        label: str | None = None,
        said: str | None = None,
    ) -> PriceFact:
        """Record one price per 1M tokens; returns the fact now held under its key.

        ``value`` is a parsed :class:`~scrapers.units.Price` (amount, currency and unit as published come
        from it) or a ``Decimal`` amount with ``currency`` and ``unit`` given here. ``raw`` is what the
        source said (``raw_value``).

        The same key stated again with the same price is kept once (the first fact stays). With a
        different price: when ``strict`` (the default; pages), ``LayoutDriftError``
        ``"<label> has two prices: <first raw_value> and <said>"`` (``label`` defaults to
        ``"<model_id> <token_type>/<tier>/<band>/<modality>"``, ``said`` to ``raw``); otherwise
        (datasets) the first fact is kept and returned, and the caller, comparing prices, records why.
        """
        if isinstance(value, Price):
            amount, currency, unit = value
        elif unit is None:
            raise TypeError("a Decimal price needs its unit as published")
        else:
            amount = value
        provider = provider_id if provider_id is not None else self.provider_id
        if provider is None:
            raise TypeError("no provider_id: give one to FactCollector or to price()")
        key = (provider, model_id, token_type, tier, band, modality, currency, valid_from)
        previous = self.facts.get(key)
        if previous is not None:
            if strict and previous.price_per_mtok != amount:
                if label is None:
                    label = f"{model_id} {token_type}/{tier}/{band}/{modality}"
                raise self.drift(f"{label} has two prices: {previous.raw_value!r} and "
                                 f"{raw if said is None else said!r}")
            return previous
        fact = PriceFact(
            **self.provenance,
            provider_id=provider,
            model_id=model_id,
            model_name=model_name,
            token_type=token_type,
            service_tier=tier,
            context_band=band,
            modality=modality,
            currency=currency,
            price_per_mtok=amount,
            usd_per_mtok=amount if currency == "USD" else None,
            unit_as_published=unit,
            raw_value=raw,
            valid_from=valid_from,
            valid_to=valid_to,
            valid_from_basis=valid_from_basis,
        )
        self.facts[key] = fact
        return fact

    def result(self, **records: list) -> ParseResult:
        """The parse's price facts (in the order first seen) and exclusions, plus any other ``records``
        (``models=``, ``performance=`` ...)."""
        return ParseResult(prices=list(self.facts.values()), exclusions=self.exclusions, **records)
