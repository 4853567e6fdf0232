"""Evaluation of price_cut against a real DuckDB file: what fires, what does not, and stable ids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alerts.evaluate import RuleEvaluationError, evaluate
from alerts.rules import PriceCutRule

AS_OF = date(2025, 6, 10)


def rule(**overrides) -> PriceCutRule:
    return PriceCutRule(**{"id": "price_cut", "kind": "price_cut", "threshold_pct": 15, **overrides})


def test_a_20_percent_cut_fires_with_a_complete_event(warehouse, make_history):
    con = warehouse(make_history([("2025-05-01", "10.00"), ("2025-06-08", "8.00")]))
    (event,) = evaluate(con, [rule()], AS_OF)

    assert event.rule_id == "price_cut"
    assert event.kind == "price_cut"
    assert event.as_of == AS_OF
    assert event.occurred_at == date(2025, 6, 8)
    assert event.subject == {
        "source_id": "litellm", "provider_id": "openai", "model_id": "gpt-test", "token_type": "input",
        "service_tier": "standard", "context_band": "all", "modality": "text", "currency": "USD",
    }
    assert event.data["change_pct"] == -20.0
    assert event.data["old"] == {
        "price_per_mtok": "10.000000000", "currency": "USD", "usd_per_mtok": "10.000000000",
        "valid_from": "2025-05-01",
    }
    assert event.data["new"]["price_per_mtok"] == "8.000000000"
    assert event.data["new"]["valid_from"] == "2025-06-08"
    assert event.summary == (
        "Price cut 20.00% on openai/gpt-test input tokens (standard tier, context all, text): "
        "USD 10.00 -> 8.00 per 1M tokens from 2025-06-08 (source litellm)"
    )
    payload = event.payload()
    assert payload["id"] == event.event_id and payload["type"] == "costcurve.alert.price_cut"
    assert payload["as_of"] == "2025-06-10" and payload["occurred_at"] == "2025-06-08"


@pytest.mark.parametrize(
    ("old", "new", "fires"),
    [
        ("10.00", "9.00", False),  # 10% cut, below 15%
        ("10.00", "8.50", True),  # exactly 15%: "at least"
        ("10.00", "8.51", False),  # 14.9%
        ("10.00", "12.00", False),  # increase
        ("0.15", "0.075", True),  # 50% on a small price, exact in DECIMAL
        ("0.00", "0.00", False),  # free stays free: no division by zero
        ("2.00", "0.00", True),  # made free: a 100% cut
    ],
)
def test_threshold_boundaries(warehouse, make_history, old, new, fires):
    con = warehouse(make_history([("2025-05-01", old), ("2025-06-08", new)]))
    assert bool(evaluate(con, [rule()], AS_OF)) is fires


def test_lookback_window_is_as_of_minus_days_exclusive_to_as_of_inclusive(warehouse, make_history):
    rows = (
        make_history([("2025-01-01", "10"), ("2025-06-04", "5")], model_id="edge-in")  # as_of - 6: inside
        + make_history([("2025-01-01", "10"), ("2025-06-03", "5")], model_id="edge-out")  # as_of - 7
        + make_history([("2025-01-01", "10"), ("2025-02-01", "5")], model_id="old")
    )
    con = warehouse(rows)
    fired = {e.subject["model_id"] for e in evaluate(con, [rule()], AS_OF)}
    assert fired == {"edge-in"}
    assert {e.subject["model_id"] for e in evaluate(con, [rule(lookback_days=None)], AS_OF)} == {
        "edge-in", "edge-out", "old",
    }


def test_a_future_price_fires_only_once_it_applies(warehouse, make_history):
    con = warehouse(make_history([("2025-05-01", "10"), ("2025-06-20", "5")]))
    assert evaluate(con, [rule()], AS_OF) == []
    (event,) = evaluate(con, [rule()], date(2025, 6, 20))
    assert event.occurred_at == date(2025, 6, 20)


def test_only_the_previous_row_of_the_same_key_counts(warehouse, make_history):
    rows = (
        make_history([("2025-05-01", "10")], service_tier="standard")
        + make_history([("2025-06-08", "5")], service_tier="batch")  # new key, half price: not a cut
        + make_history([("2025-06-08", "3")], model_id="brand-new")  # first row of a key
    )
    con = warehouse(rows)
    assert evaluate(con, [rule()], AS_OF) == []


def test_a_cut_after_a_rise_compares_with_the_row_just_before(warehouse, make_history):
    con = warehouse(make_history([("2025-05-01", "10"), ("2025-06-05", "20"), ("2025-06-09", "16")]))
    (event,) = evaluate(con, [rule()], AS_OF)
    assert event.data["old"]["price_per_mtok"] == "20.000000000"
    assert event.data["change_pct"] == -20.0


def test_two_currencies_are_two_series_never_compared(warehouse, make_history):
    rows = (
        make_history([("2025-05-01", "10"), ("2025-06-08", "7")], model_id="m1")  # USD: a 30% cut
        + make_history([("2025-05-01", "9.5"), ("2025-06-08", "9.5")], currency="EUR", model_id="m1")
    )
    con = warehouse(rows)
    (event,) = evaluate(con, [rule()], AS_OF)
    assert event.subject["currency"] == "USD"
    assert event.data["change_pct"] == -30.0

def test_event_ids_are_stable_and_distinct_per_key(warehouse, make_history):
    rows = make_history([("2025-05-01", "10"), ("2025-06-08", "8")], token_type="input") + make_history(
        [("2025-05-01", "30"), ("2025-06-08", "24")], token_type="output"
    )
    con = warehouse(rows)
    first = evaluate(con, [rule()], AS_OF)
    again = evaluate(con, [rule()], date(2025, 6, 12))  # a later day, same changes in the window
    assert [e.event_id for e in first] == [e.event_id for e in again]
    assert len({e.event_id for e in first}) == 2
    assert all(e.event_id.startswith("evt_") and len(e.event_id) == 36 for e in first)
    # The threshold is not part of the identity: tightening it does not re-fire an episode.
    assert [e.event_id for e in evaluate(con, [rule(threshold_pct=5)], AS_OF)] == [e.event_id for e in first]
    # The rule id is.
    assert {e.event_id for e in evaluate(con, [rule(id="other")], AS_OF)}.isdisjoint(e.event_id for e in first)


def test_money_is_never_float(warehouse, make_history):
    con = warehouse(make_history([("2025-05-01", "0.3"), ("2025-06-08", "0.1")]))
    (event,) = evaluate(con, [rule()], AS_OF)
    assert Decimal(event.data["new"]["price_per_mtok"]) == Decimal("0.1")
    assert event.data["change_pct"] == -66.67


def test_missing_mart_names_the_rule(warehouse):
    con = warehouse([])
    with pytest.raises(RuleEvaluationError, match="rule 'price_cut': cannot read mart 'fct_nope'"):
        evaluate(con, [rule(mart="fct_nope")], AS_OF)
