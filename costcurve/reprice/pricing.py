"""Price a usage row four ways from fct_market_prices: at a date, today, at the cheapest seller of the same
model today, and at the cheapest model of the same capability tier today.

Only list prices of one kind are compared: USD, service tier ``standard``, context band ``all`` (no
long-context surcharge), text modality. A row is priced only where every token type it uses has a price:
a seller that lists no cache-read price cannot price cache reads, and the reason says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

from costcurve.reprice.resolve import ResolvedModel

MTOK = Decimal(1_000_000)
PRICE_SERIES = ("service_tier = 'standard' AND context_band = 'all' AND modality = 'text' "
                "AND currency = 'USD' AND usd_per_mtok IS NOT NULL")
TIER_COLUMN = "capability_tier"

#: {(model_id, seller_id): {token_type: USD per 1M tokens}}
PriceBook = dict[tuple[str, str], dict[str, Decimal]]


@dataclass(frozen=True)
class Quote:
    """One way of pricing a row: the cost and who would charge it, or why it cannot be priced."""

    cost: Decimal | None = None
    model_id: str | None = None
    seller_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RepricedRow:
    usage: object  # a usage.UsageRow
    model: ResolvedModel
    seller_id: str | None
    #: ``given`` (the usage file's seller), ``creator`` (the model's creator's own list), or, for a model its
    #: creator does not sell, ``cheapest_on_date`` / ``cheapest_today``
    seller_basis: str | None
    priced_on: date
    capability_tier: str | None
    at_date: Quote
    today: Quote
    cheapest_seller: Quote
    cheapest_tier: Quote


def cost_of(tokens: dict[str, int], prices: dict[str, Decimal]) -> Decimal | None:
    """sum over token types of tokens x USD per 1M tokens / 1M; None when a used token type has no price."""
    if any(t not in prices for t in tokens):
        return None
    return sum((Decimal(n) * prices[t] / MTOK for t, n in tokens.items()), Decimal(0))


def _missing(tokens: dict[str, int], prices: dict[str, Decimal]) -> str:
    return ", ".join(t for t in tokens if t not in prices)


def cheapest(book: PriceBook, tokens: dict[str, int], prefer: str | None = None) -> Quote | None:
    """The lowest cost in ``book`` over the (model, seller) pairs that price every used token type. A tie goes
    to the seller ``prefer`` (no reason to switch at the same price), then to the first model and seller in
    alphabetical order, so a run is repeatable."""
    quotes = [Quote(cost, model_id, seller_id) for (model_id, seller_id), prices in book.items()
              if (cost := cost_of(tokens, prices)) is not None]
    return min(quotes, key=lambda q: (q.cost, q.seller_id != prefer, q.model_id, q.seller_id)) if quotes else None


class Market:
    """Reads prices from one analyst connection; current prices are read once per model or tier."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.has_tiers = TIER_COLUMN in {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'dim_models'").fetchall()}
        self._current: dict[str, PriceBook] = {}
        self._tier_books: dict[str, PriceBook] = {}

    def _book(self, where: str, params: list) -> PriceBook:
        book: PriceBook = defaultdict(dict)
        for model_id, seller_id, token_type, price in self.con.execute(
            f"SELECT model_id, seller_id, token_type, usd_per_mtok FROM fct_market_prices "
            f"WHERE {PRICE_SERIES} AND {where}", params,
        ).fetchall():
            book[(model_id, seller_id)][token_type] = price
        return dict(book)

    def on(self, model_id: str, day: date) -> PriceBook:
        """The model's prices in force on ``day``: valid_from <= day < valid_to (as price_asof reads them)."""
        return self._book("model_id = ? AND valid_from <= ? AND (valid_to IS NULL OR ? < valid_to)",
                          [model_id, day, day])

    def current(self, model_id: str) -> PriceBook:
        if model_id not in self._current:
            self._current[model_id] = self._book("model_id = ? AND is_current", [model_id])
        return self._current[model_id]

    def creator(self, model_id: str) -> str | None:
        row = self.con.execute("SELECT creator FROM dim_models WHERE model_id = ?", [model_id]).fetchone()
        return row[0] if row else None

    def tier(self, model_id: str) -> str | None:
        row = self.con.execute(f"SELECT {TIER_COLUMN} FROM dim_models WHERE model_id = ?", [model_id]).fetchone()
        return row[0] if row and row[0] is not None else None

    def tier_book(self, tier: str) -> PriceBook:
        if tier not in self._tier_books:
            self._tier_books[tier] = self._book(
                f"is_current AND model_id IN (SELECT model_id FROM dim_models WHERE {TIER_COLUMN} = ?)", [tier])
        return self._tier_books[tier]


def _seller_quote(book: PriceBook, model_id: str, seller_id: str, tokens: dict[str, int], when: str) -> Quote:
    prices = book.get((model_id, seller_id))
    if prices is None:
        return Quote(model_id=model_id, seller_id=seller_id, reason=f"{seller_id} lists no price for {model_id} {when}")
    cost = cost_of(tokens, prices)
    if cost is None:
        return Quote(model_id=model_id, seller_id=seller_id,
                     reason=f"{seller_id} lists no {_missing(tokens, prices)} price for {model_id} {when}")
    return Quote(cost, model_id, seller_id)


def _reference_seller(given: str | None, creator: str | None, on_day: PriceBook, today: PriceBook,
                      model_id: str, tokens: dict[str, int]) -> tuple[str | None, str | None]:
    """Whose prices the row is repriced at: the file's seller; else the creator's own list; else, for a model
    its creator does not sell (open weights), the cheapest seller on the date, then today."""
    if given:
        return given, "given"
    if creator and ((model_id, creator) in on_day or (model_id, creator) in today):
        return creator, "creator"
    for book, basis in ((on_day, "cheapest_on_date"), (today, "cheapest_today")):
        best = cheapest(book, tokens)
        if best:
            return best.seller_id, basis
    return None, None


def reprice_row(market: Market, usage, model: ResolvedModel, seller_id: str | None, priced_on: date) -> RepricedRow:
    tokens = usage.tokens()
    model_id = model.model_id
    on_day, today = market.on(model_id, priced_on), market.current(model_id)
    seller, basis = _reference_seller(seller_id, market.creator(model_id), on_day, today, model_id, tokens)
    if seller is None:
        nobody = Quote(model_id=model_id, reason=f"no seller lists {', '.join(tokens)} prices for {model_id}")
        at_date = now = nobody
    else:
        at_date = _seller_quote(on_day, model_id, seller, tokens, f"on {priced_on}")
        now = _seller_quote(today, model_id, seller, tokens, "today")
    cheapest_seller = cheapest(today, tokens, prefer=seller) or Quote(
        model_id=model_id, reason=f"no seller prices {', '.join(tokens)} for {model_id} today")
    tier, cheapest_tier = _tier_quote(market, model_id, tokens)
    return RepricedRow(usage, model, seller, basis, priced_on, tier, at_date, now, cheapest_seller, cheapest_tier)


def _tier_quote(market: Market, model_id: str, tokens: dict[str, int]) -> tuple[str | None, Quote]:
    if not market.has_tiers:
        return None, Quote(reason=f"dim_models has no {TIER_COLUMN} column in this warehouse (tiers not built)")
    tier = market.tier(model_id)
    if tier is None:
        return None, Quote(reason=f"{model_id} has no {TIER_COLUMN}")
    best = cheapest(market.tier_book(tier), tokens)
    return tier, best or Quote(reason=f"no {tier}-tier model is priced for {', '.join(tokens)} today")


def pct_change(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    """(new - old) / old x 100, to 0.1 percentage point; None when either is unknown or old is zero."""
    if new is None or old is None or old == 0:
        return None
    return ((new - old) / old * 100).quantize(Decimal("0.1"))


SCENARIOS = ("at_date", "today", "cheapest_seller", "cheapest_tier")


def totals(rows: list[RepricedRow]) -> dict[str, Decimal | None]:
    """Each scenario's sum over the rows, or None unless every row is priced in it (a partial sum would
    compare different usage)."""
    out = {}
    for scenario in SCENARIOS:
        costs = [getattr(r, scenario).cost for r in rows]
        out[scenario] = None if any(c is None for c in costs) else sum(costs, Decimal(0))
    return out
