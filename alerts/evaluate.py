"""Evaluate alert rules against the warehouse: rules + a DuckDB connection + a date -> alert events.

Evaluation is a pure read. It never looks past ``as_of`` (a price announced for next month fires on the
day it takes effect, and re-running an old partition sees what that day saw) and, per rule, only as far
back as its lookback window. Percent changes are computed with ``Decimal`` on the mart's DECIMAL
columns: money never goes through float arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal

import duckdb

from alerts.events import AlertEvent, event_id
from alerts.rules import PriceCutRule, Rule

#: What identifies "the same price" across rows of fct_price_history (its series key: a page that
#: publishes USD and EUR prices has two series).
PRICE_KEY = (
    "source_id", "provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency"
)

_CENT = Decimal("0.01")


class RuleEvaluationError(RuntimeError):
    """A rule could not be evaluated (missing mart, missing column); names the rule and the mart."""


Evaluator = Callable[[duckdb.DuckDBPyConnection, Rule, date], list[AlertEvent]]


def evaluate(con: duckdb.DuckDBPyConnection, rules: Iterable[Rule], as_of: date) -> list[AlertEvent]:
    """All events the rules fire as of ``as_of``, deduplicated by event id, in a stable order."""
    events: dict[str, AlertEvent] = {}
    for rule in rules:
        for event in EVALUATORS[rule.kind](con, rule, as_of):
            events.setdefault(event.event_id, event)
    return list(events.values())


def _quote_relation(relation: str) -> str:
    return ".".join(f'"{part}"' for part in relation.split("."))


def evaluate_price_cut(con: duckdb.DuckDBPyConnection, rule: PriceCutRule, as_of: date) -> list[AlertEvent]:
    """Price drops of at least ``rule.threshold_pct`` percent versus the previous row of the same key.

    The previous row is found over all history up to ``as_of``; only the *new* row must fall inside the
    lookback window. Prices compare in their own currency (a USD and a EUR price are two series).
    """
    window_start = as_of - timedelta(days=rule.lookback_days - 1) if rule.lookback_days else None
    key_list = ", ".join(PRICE_KEY)
    sql = f"""
        WITH ordered AS (
            SELECT {key_list}, price_per_mtok, usd_per_mtok, valid_from,
                   lag(price_per_mtok) OVER w AS prev_price_per_mtok,
                   lag(usd_per_mtok)   OVER w AS prev_usd_per_mtok,
                   lag(valid_from)     OVER w AS prev_valid_from
            FROM {_quote_relation(rule.mart)}
            WHERE valid_from <= $as_of
            WINDOW w AS (PARTITION BY {key_list} ORDER BY valid_from, first_observed_at)
        )
        SELECT * FROM ordered
        WHERE prev_valid_from IS NOT NULL
          AND ($window_start IS NULL OR valid_from >= $window_start)
        ORDER BY valid_from, {key_list}
    """
    try:
        cursor = con.execute(sql, {"as_of": as_of, "window_start": window_start})
    except duckdb.Error as exc:
        raise RuleEvaluationError(f"rule {rule.id!r}: cannot read mart {rule.mart!r}: {exc}") from exc
    columns = [d[0] for d in cursor.description]
    events = []
    for values in cursor.fetchall():
        event = _price_cut_event(rule, as_of, dict(zip(columns, values, strict=True)))
        if event is not None:
            events.append(event)
    return events


def _price_cut_event(rule: PriceCutRule, as_of: date, row: dict) -> AlertEvent | None:
    # currency is part of the series key, so both rows are in the same currency
    old, new, unit = row["prev_price_per_mtok"], row["price_per_mtok"], row["currency"]
    if old is None or new is None or old <= 0 or new >= old:
        return None
    change_pct = (new - old) / old * 100  # negative for a cut
    if -change_pct < rule.threshold_pct:
        return None

    subject = {column: row[column] for column in PRICE_KEY}
    occurred_at: date = row["valid_from"]
    rounded = change_pct.quantize(_CENT)
    summary = (
        f"Price cut {-rounded}% on {subject['provider_id']}/{subject['model_id']} {subject['token_type']} tokens "
        f"({subject['service_tier']} tier, context {subject['context_band']}, {subject['modality']}): "
        f"{unit} {_money(old)} -> {_money(new)} per 1M tokens from {occurred_at.isoformat()} "
        f"(source {subject['source_id']})"
    )
    data = {
        "old": _side(row, "prev_", row["prev_valid_from"]),
        "new": _side(row, "", occurred_at),
        "compared_on": "price_per_mtok",
        "change_pct": float(rounded),
        "threshold_pct": float(rule.threshold_pct),
    }
    return AlertEvent(
        event_id=event_id(rule.id, subject, occurred_at),
        rule_id=rule.id,
        kind=rule.kind,
        as_of=as_of,
        occurred_at=occurred_at,
        subject=subject,
        summary=summary,
        data=data,
    )


def _side(row: dict, prefix: str, valid_from: date) -> dict:
    usd = row[f"{prefix}usd_per_mtok"]
    return {
        "price_per_mtok": str(row[f"{prefix}price_per_mtok"]),
        "currency": row["currency"],
        "usd_per_mtok": None if usd is None else str(usd),
        "valid_from": valid_from.isoformat(),
    }


def _money(value: Decimal) -> str:
    """``2.500000000`` -> ``2.50``; ``0.075000000`` -> ``0.075``: at least cents, no trailing noise."""
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


EVALUATORS: dict[str, Evaluator] = {"price_cut": evaluate_price_cut}
