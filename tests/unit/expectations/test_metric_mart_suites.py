"""The gates of the metric marts (open-weight share, source reconciliation, capex): what blocks, what only warns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from gate_frames import (
    capex_mart_rows,
    capex_total_rows,
    frame_for,
    open_weight_share_rows,
    reconciliation_rows,
)

from expectations.runner import GateResult, validate


def failed(result: GateResult, severity: str = "critical") -> set[tuple[str, tuple[str, ...]]]:
    failures = result.failed_critical if severity == "critical" else result.failed_warning
    return {(f.expectation_type, tuple(f.columns)) for f in failures}


def _frame(suite: str, make_rows, change: dict, row: int = 1):
    """The good frame with ``change`` on one row; None values are set on the frame (the DDL refuses them)."""
    rows = make_rows()
    rows[row] = {**rows[row], **{k: v for k, v in change.items() if v is not None}}
    df = frame_for(suite, rows)
    for column, value in change.items():
        if value is None:
            df[column] = df[column].astype(object)
            df.loc[row, column] = None
    return df


PAIR = "expect_column_pair_values_a_to_be_greater_than_b"
CURVE_MARTS = ["dim_model_capability_tiers", "mart_cost_curve_index", "mart_frontier_open_gap", "mart_price_deflation",
               "mart_price_deflation_by_capability"]
BETWEEN = "expect_column_values_to_be_between"
SHARE_BREAKS = {
    "point above upper": ({"share_point": Decimal("0.5")}, PAIR, ("share_upper", "share_point")),
    "point below lower": ({"share_point": Decimal("0.1")}, PAIR, ("share_point", "share_lower")),
    "lower above upper": ({"share_lower": Decimal("0.3")}, PAIR, ("share_upper", "share_lower")),
    "share above 1": ({"share_upper": Decimal("1.2")}, BETWEEN, ("share_upper",)),
    "negative share": ({"share_lower": Decimal("-0.1")}, BETWEEN, ("share_lower",)),
    "no citation": ({"citation": None}, "expect_column_values_to_not_be_null", ("citation",)),
    "citation without OpenRouter's credit": (
        {"citation": "Source: model rankings"}, "expect_column_values_to_match_regex", ("citation",),
    ),
    "unknown grain": ({"period_grain": "month"}, "expect_column_values_to_be_in_set", ("period_grain",)),
    "negative tokens": ({"unknown_tokens": -1}, BETWEEN, ("unknown_tokens",)),
}


@pytest.mark.parametrize("case", list(SHARE_BREAKS))
def test_share_critical_checks_block(case):
    change, expectation_type, columns = SHARE_BREAKS[case]
    result = validate(_frame("mart_open_weight_share", open_weight_share_rows, change), "mart_open_weight_share")
    assert not result.success
    assert (expectation_type, columns) in failed(result), result.summary()


def test_a_share_period_twice_blocks():
    rows = open_weight_share_rows()
    result = validate(frame_for("mart_open_weight_share", [*rows, rows[0]]), "mart_open_weight_share")
    assert ("expect_compound_columns_to_be_unique", ("period_grain", "period_start")) in failed(result)


def test_unknown_status_over_five_percent_of_named_tokens_warns_but_passes():
    df = _frame("mart_open_weight_share", open_weight_share_rows, {"known_status_share": Decimal("0.7")})
    result = validate(df, "mart_open_weight_share")
    assert result.success, result.summary()
    assert (BETWEEN, ("known_status_share",)) in failed(result, "warning")


RECONCILIATION_BREAKS = {
    "a single source": ({"sources": 1}, BETWEEN, ("sources",)),
    "consensus above the highest price": (
        {"consensus_price_per_mtok": Decimal("3")}, PAIR, ("max_price_per_mtok", "consensus_price_per_mtok"),
    ),
    "a disagreement naming no source": (
        {"disagreeing_source_ids": None}, "expect_column_values_to_not_be_null", ("disagreeing_source_ids",),
    ),
    "a disagreement without prices": (
        {"disagreeing_prices": None}, "expect_column_values_to_not_be_null", ("disagreeing_prices",),
    ),
    "a current stretch with an end": (
        {"compared_to": date(2025, 5, 2)},  # row 1 is the open stretch from 2025-05-01
        "expect_column_values_to_be_null", ("compared_to",),
    ),
    "an unknown token type": ({"token_type": "thinking"}, "expect_column_values_to_be_in_set", ("token_type",)),
}


@pytest.mark.parametrize("case", list(RECONCILIATION_BREAKS))
def test_reconciliation_critical_checks_block(case):
    change, expectation_type, columns = RECONCILIATION_BREAKS[case]
    result = validate(_frame("mart_source_reconciliation", reconciliation_rows, change), "mart_source_reconciliation")
    assert not result.success
    assert (expectation_type, columns) in failed(result), result.summary()


@pytest.mark.parametrize("suite", ["mart_open_weight_share", "mart_source_reconciliation", *CURVE_MARTS])
def test_an_empty_metric_mart_passes(suite):
    """Empty before OpenRouter usage is loaded / while no two sources overlap / before a (scored) model is
    priced: the truth, not a fault."""
    result = validate(frame_for(suite, rows=[]), suite)
    assert result.success, result.summary()


CURVE_BREAKS = {
    "dim_model_capability_tiers": {
        "unknown tier": ({"capability_tier": "huge"}, "expect_column_values_to_be_in_set", ("capability_tier",)),
        "ratio above 1": ({"score_ratio": 1.2}, BETWEEN, ("score_ratio",)),
        "ends before it starts": ({"valid_to": date(2025, 5, 1)}, PAIR, ("valid_to", "valid_from")),
    },
    "mart_cost_curve_index": {
        "index at zero": ({"index_value": 0.0}, BETWEEN, ("index_value",)),
        "more changed than matched": ({"series_changed": 3}, PAIR, ("series_matched", "series_changed")),
        "unknown group": ({"index_group": "frontier"}, "expect_column_values_to_be_in_set", ("index_group",)),
    },
    "mart_frontier_open_gap": {
        "a free frontier price": ({"frontier_closed_usd_per_mtok": Decimal("0")}, BETWEEN,
                                  ("frontier_closed_usd_per_mtok",)),
        "a negative gap": ({"gap_ratio": -2.5}, BETWEEN, ("gap_ratio",)),
        "no frontier model": ({"frontier_closed_model_id": None}, "expect_column_values_to_not_be_null",
                              ("frontier_closed_model_id",)),
    },
    "mart_price_deflation": {
        "a fall past 100%": ({"change_30d_pct": -100.0}, BETWEEN, ("change_30d_pct",)),
        "an unknown measure": ({"measure": "cached"}, "expect_column_values_to_be_in_set", ("measure",)),
    },
    "mart_price_deflation_by_capability": {
        "low end above the factor": ({"annual_decline_factor_low": 4.0}, PAIR,
                                     ("annual_decline_factor", "annual_decline_factor_low")),
        "high end below the factor": ({"annual_decline_factor_high": 2.0}, PAIR,
                                      ("annual_decline_factor_high", "annual_decline_factor")),
        "a zero factor": ({"annual_decline_factor": 0.0}, BETWEEN, ("annual_decline_factor",)),
    },
}
CURVE_CASES = [(suite, case) for suite, cases in CURVE_BREAKS.items() for case in cases]
#: the row each break lands on: the last row (the tier's second interval, a changed day, a fitted day)
CURVE_ROW = {"dim_model_capability_tiers": 1, "mart_cost_curve_index": 2, "mart_frontier_open_gap": 1,
             "mart_price_deflation": 0, "mart_price_deflation_by_capability": 2}


@pytest.mark.parametrize("suite", list(CURVE_BREAKS))
def test_a_good_curve_mart_passes(suite):
    result = validate(frame_for(suite), suite)
    assert result.success, result.summary()


@pytest.mark.parametrize(("suite", "case"), CURVE_CASES)
def test_curve_mart_critical_checks_block(suite, case):
    from gate_frames import ROWS

    change, expectation_type, columns = CURVE_BREAKS[suite][case]
    result = validate(_frame(suite, ROWS[suite][1], change, row=CURVE_ROW[suite]), suite)
    assert not result.success
    assert (expectation_type, columns) in failed(result), result.summary()


CAPEX_BREAKS = {
    "a negative quarter": ({"capex_usd": Decimal("-1")}, BETWEEN, ("capex_usd",)),
    "TTM below its own quarter": ({"ttm_capex_usd": Decimal("1")}, PAIR, ("ttm_capex_usd", "capex_usd")),
    "leases that lower capex": (
        {"capex_incl_finance_leases_usd": Decimal("1")}, PAIR, ("capex_incl_finance_leases_usd", "capex_usd"),
    ),
    "a year total from two quarters": (
        {"calendar_year_capex_usd": Decimal("49270000000")}, "expect_column_values_to_be_null",
        ("calendar_year_capex_usd",),
    ),
    "growth below -100%": ({"yoy_growth_pct": Decimal("-101")}, BETWEEN, ("yoy_growth_pct",)),
}


@pytest.mark.parametrize("case", list(CAPEX_BREAKS))
def test_capex_critical_checks_block(case):
    change, expectation_type, columns = CAPEX_BREAKS[case]
    result = validate(_frame("mart_capex", capex_mart_rows, change, row=3), "mart_capex")
    assert not result.success
    assert (expectation_type, columns) in failed(result), result.summary()


def test_a_day_twice_in_the_index_blocks():
    from gate_frames import cost_curve_rows

    rows = cost_curve_rows()
    result = validate(frame_for("mart_cost_curve_index", [*rows, rows[0]]), "mart_cost_curve_index")
    assert ("expect_compound_columns_to_be_unique", ("index_group", "measure", "day")) in failed(result)


def test_two_quarters_of_a_company_in_one_calendar_quarter_block():
    rows = capex_mart_rows()
    rows[2] = {**rows[2], "calendar_quarter": 2, "calendar_label": "2026Q2"}  # would be counted twice in the total
    result = validate(frame_for("mart_capex", rows), "mart_capex")
    assert ("expect_compound_columns_to_be_unique", ("company", "calendar_year", "calendar_quarter")) in failed(result)


TOTAL_BREAKS = {
    "a partial sum shown as a total": ({"capex_usd": Decimal("16493000000")}, "expect_column_values_to_be_null",
                                       ("capex_usd",)),
    "a run-rate for an incomplete quarter": (
        {"run_rate_usd": Decimal("65972000000")}, "expect_column_values_to_be_null", ("run_rate_usd",),
    ),
    "more companies than expected": ({"companies_reporting": 6}, PAIR, ("companies_expected", "companies_reporting")),
}


@pytest.mark.parametrize("case", list(TOTAL_BREAKS))
def test_capex_total_critical_checks_block(case):
    change, expectation_type, columns = TOTAL_BREAKS[case]
    result = validate(_frame("mart_capex_total", capex_total_rows, change), "mart_capex_total")
    assert not result.success
    assert (expectation_type, columns) in failed(result), result.summary()


def test_a_complete_quarter_without_a_total_blocks():
    result = validate(_frame("mart_capex_total", capex_total_rows, {"capex_usd": None}, row=0), "mart_capex_total")
    assert ("expect_column_values_to_not_be_null", ("capex_usd",)) in failed(result), result.summary()


def test_good_capex_frames_pass():
    for suite, rows in (("mart_capex", capex_mart_rows), ("mart_capex_total", capex_total_rows)):
        result = validate(frame_for(suite, rows()), suite)
        assert result.success, result.summary()


MARKET_BREAKS = {
    "fct_market_prices": {
        "two current prices of a series": (  # on row 0, the closed 15; row 1 is current already
            {"is_current": True, "valid_to": None, "row": 0}, "expect_compound_columns_to_be_unique",
            ("seller_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency"),
        ),
        "an interval that ends where it starts": ({"valid_to": date(2025, 1, 1)}, PAIR, ("valid_to", "valid_from")),
        "more sources agreeing than listing": ({"sources_agreeing": 3}, PAIR, ("sources_listing", "sources_agreeing")),
        "a seller that is not canonical": ({"seller_id": "Lab"}, "expect_column_values_to_match_regex", ("seller_id",)),
        "a USD price whose USD value differs": ({"usd_per_mtok": Decimal("14")}, "expect_column_pair_values_to_be_equal",
                                                ("usd_per_mtok", "price_per_mtok")),
        "an unknown basis": ({"price_basis": "median"}, "expect_column_values_to_be_in_set", ("price_basis",)),
    },
    "fct_price_changes": {
        "a change to the same price": ({"change_pct": Decimal("0")}, "expect_column_values_to_not_be_in_set",
                                       ("change_pct",)),
        "a fall past 100%": ({"change_pct": Decimal("-120")}, BETWEEN, ("change_pct",)),
        # row 1 is first_seen: the change fell after the old price's last observation, never on or before it
        "first seen on a day the old price was still seen": (
            {"old_last_observed_date": date(2025, 6, 1)}, PAIR, ("effective_date", "old_last_observed_date"),
        ),
        "a negative new price": ({"new_price_per_mtok": Decimal("-1"), "new_usd_per_mtok": Decimal("-1")}, BETWEEN,
                                 ("new_price_per_mtok",)),
    },
    "mart_unmatched_model_names": {
        "last seen before first seen": ({"first_seen_date": date(2026, 1, 1)}, PAIR,
                                        ("last_seen_date", "first_seen_date")),
        "a name without a source": ({"source_id": None}, "expect_column_values_to_not_be_null", ("source_id",)),
    },
}
MARKET_CASES = [(suite, case) for suite, cases in MARKET_BREAKS.items() for case in cases]


@pytest.mark.parametrize(("suite", "case"), MARKET_CASES)
def test_market_mart_critical_checks_block(suite, case):
    from gate_frames import ROWS

    change, expectation_type, columns = MARKET_BREAKS[suite][case]
    change = dict(change)
    row = change.pop("row", 1)  # the last row: the current price, the first-seen change, the second name
    result = validate(_frame(suite, ROWS[suite][1], change, row=row), suite)
    assert not result.success
    assert (expectation_type, columns) in failed(result), result.summary()


def test_an_effective_change_may_follow_a_later_sighting_of_the_old_price():
    """An announced change (effective) can take effect before a source last showed the old price; only a
    first-seen change is bound to fall after it."""
    from gate_frames import price_change_rows

    result = validate(_frame("fct_price_changes", price_change_rows, {"old_last_observed_date": date(2025, 3, 5)},
                             row=0), "fct_price_changes")
    assert result.success, result.summary()
