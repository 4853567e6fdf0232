"""The runner: good frames pass, each critical category blocks and is named with its bad values and rows."""

from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from gate_frames import (
    DAY,
    MAY_BE_EMPTY,
    ROWS,
    capex_quarter_rows,
    dim_model_rows,
    frame_for,
    history_rows,
    load,
    raw_capex_rows,
    raw_fetch_rows,
    raw_model_rows,
    raw_price_rows,
    warehouse,
)

from expectations import runner
from expectations.runner import GateError, GateResult, validate, validate_table


def failed(result: GateResult, severity: str = "critical") -> set[tuple[str, tuple[str, ...]]]:
    failures = result.failed_critical if severity == "critical" else result.failed_warning
    return {(f.expectation_type, tuple(f.columns)) for f in failures}


@pytest.mark.parametrize("suite", list(ROWS))
def test_a_good_frame_passes_cleanly(suite):
    result = validate(frame_for(suite), suite)
    assert result.success, result.summary()
    assert result.failed_critical == [] and result.failed_warning == [], result.summary()
    assert result.summary().startswith(f"{suite}: PASSED (")
    assert result.expectation_count == len(runner.read_suite_json(suite)["expectations"])


# ------------------------------------------------------------------ critical categories


def _raw_price_frame() -> pd.DataFrame:
    return frame_for("raw_price_facts")


def _set(df: pd.DataFrame, row: int, **values) -> pd.DataFrame:
    df = df.copy()
    for column, value in values.items():
        if df[column].dtype != object and not isinstance(value, type(df[column].iloc[0])):
            df[column] = df[column].astype(object)
        df.loc[row, column] = value
    return df


RAW_PRICE_BREAKS = {
    "negative price": (
        {"price_per_mtok": -2.5, "usd_per_mtok": -2.5},
        "expect_column_values_to_be_between", ("price_per_mtok",), "-2.5",
    ),
    "absurd price": (
        {"price_per_mtok": 25000.0, "usd_per_mtok": 25000.0},
        "expect_column_values_to_be_between", ("price_per_mtok",), "25000.0",
    ),
    "unknown token_type": (
        {"token_type": "thinking"}, "expect_column_values_to_be_in_set", ("token_type",), "thinking",
    ),
    "unknown service_tier": (
        {"service_tier": "turbo"}, "expect_column_values_to_be_in_set", ("service_tier",), "turbo",
    ),
    "unknown modality": ({"modality": "smell"}, "expect_column_values_to_be_in_set", ("modality",), "smell"),
    "unknown currency": ({"currency": "GBP"}, "expect_column_values_to_be_in_set", ("currency",), "GBP"),
    "null key": ({"model_id": None}, "expect_column_values_to_not_be_null", ("model_id",), "model_id=null"),
    "USD price without usd_per_mtok": (
        {"usd_per_mtok": None}, "expect_column_values_to_not_be_null", ("usd_per_mtok",), "currency=USD",
    ),
    "bad sha256": (
        {"raw_sha256": "ABC123"}, "expect_column_values_to_match_regex", ("raw_sha256",), "ABC123",
    ),
    "uppercase model id": (
        {"model_id": "GPT-4o"}, "expect_column_values_to_match_regex", ("model_id",), "GPT-4o",
    ),
}


@pytest.mark.parametrize("case", list(RAW_PRICE_BREAKS))
def test_each_critical_category_blocks_and_is_named(case):
    values, expectation_type, columns, shown = RAW_PRICE_BREAKS[case]
    df = _set(_raw_price_frame(), 3, **values)
    result = validate(df, "raw_price_facts")

    assert not result.success
    assert (expectation_type, columns) in failed(result)
    failure = next(f for f in result.failed_critical if (f.expectation_type, tuple(f.columns)) == (expectation_type, columns))
    assert failure.unexpected_index == [3]
    assert failure.unexpected_rows[0]["index"] == 3
    assert failure.unexpected_rows[0]["model_id"] == df.loc[3, "model_id"] or values.get("model_id") is None
    summary = result.summary()
    assert summary.startswith("raw_price_facts: FAILED")
    assert f"CRITICAL {expectation_type} on {', '.join(columns)}" in summary
    assert shown in summary
    assert "index=3" in summary


def test_duplicate_natural_key_blocks_and_shows_both_rows():
    df = _raw_price_frame()
    df = pd.concat([df, df.iloc[[4]]], ignore_index=True)
    result = validate(df, "raw_price_facts")
    assert not result.success
    (failure,) = [f for f in result.failed_critical if f.expectation_type == "expect_compound_columns_to_be_unique"]
    assert failure.unexpected_index == [4, len(df) - 1]
    assert failure.unexpected_values[0]["model_id"] == df.loc[4, "model_id"]
    summary = result.summary()
    assert "expect_compound_columns_to_be_unique on partition_date, source_id, provider_id, model_id" in summary
    assert f"index={len(df) - 1}" in summary


def test_an_announced_future_price_is_not_a_duplicate():
    rows = raw_price_rows()
    future = {**rows[1], "valid_from": rows[1]["partition_date"].replace(year=2026), "valid_from_basis": "effective"}
    assert validate(frame_for("raw_price_facts", [*rows, future]), "raw_price_facts").success


@pytest.mark.parametrize("suite", [s for s in ROWS if s not in MAY_BE_EMPTY])
def test_zero_rows_block_every_gate(suite):
    result = validate(frame_for(suite, rows=[]), suite)
    assert not result.success
    assert failed(result) == {("expect_table_row_count_to_be_between", ())}
    assert "observed: 0" in result.summary()


def test_a_missing_column_blocks_and_says_which():
    df = _raw_price_frame().drop(columns=["currency"])
    result = validate(df, "raw_price_facts")
    assert not result.success
    (columns_failure,) = [
        f for f in result.failed_critical if f.expectation_type == "expect_table_columns_to_match_set"
    ]
    assert columns_failure.details["mismatched"]["missing"] == ["currency"]
    errored = [f for f in result.failed_critical if f.columns == ["currency"]]
    assert errored and all("currency" in f.exception for f in errored)
    assert '"missing": ["currency"]' in result.summary()


def test_non_usd_raw_price_with_usd_value_blocks():
    df = _raw_price_frame()
    cny = int(df.index[df["currency"] == "CNY"][0])
    df.loc[cny, "usd_per_mtok"] = 1.0
    result = validate(df, "raw_price_facts")
    assert ("expect_column_values_to_be_null", ("usd_per_mtok",)) in failed(result)
    assert "where currency != 'USD'" in result.summary()


OTHER_BREAKS = [
    ("raw_capex_facts", raw_capex_rows, {"value": Decimal("-5")}, "expect_column_values_to_be_between", ("value",)),
    ("raw_capex_facts", raw_capex_rows, {"period_end": None},
     "expect_column_pair_values_a_to_be_greater_than_b", ("period_end", "period_start")),
    ("raw_capex_facts", raw_capex_rows, {"unit": "EUR"}, "expect_column_values_to_be_in_set", ("unit",)),
    ("raw_model_attributes", raw_model_rows, {"model_id": "Model-1"},
     "expect_column_values_to_match_regex", ("model_id",)),
    ("raw_fetches", raw_fetch_rows, {"sha256": "x" * 64}, "expect_column_values_to_match_regex", ("sha256",)),
    ("raw_fetches", raw_fetch_rows, {"http_status": 42}, "expect_column_values_to_be_between", ("http_status",)),
    ("fct_capex_quarterly", capex_quarter_rows, {"capex_usd": Decimal("-1200000000")},
     "expect_column_values_to_be_between", ("capex_usd",)),
    ("fct_capex_quarterly", capex_quarter_rows, {"fiscal_quarter": 5},
     "expect_column_values_to_be_between", ("fiscal_quarter",)),
    ("fct_capex_quarterly", capex_quarter_rows, {"derivation": "guessed"},
     "expect_column_values_to_be_in_set", ("derivation",)),
    ("fct_price_history", history_rows, {"observation_count": 0},
     "expect_column_values_to_be_between", ("observation_count",)),
    ("dim_models", dim_model_rows, {"model_id": "lab/model-0"}, "expect_column_values_to_be_unique", ("model_id",)),
]


@pytest.mark.parametrize(("suite", "make_rows", "change", "expectation_type", "columns"), OTHER_BREAKS)
def test_other_tables_critical_checks(suite, make_rows, change, expectation_type, columns):
    rows = make_rows()
    rows[1] = {**rows[1], **change}
    if change.get("period_end", 1) is None:  # NOT NULL in the DDL: break the order instead
        rows[1]["period_end"] = rows[1]["period_start"]
    result = validate(frame_for(suite, rows), suite)
    assert not result.success
    assert (expectation_type, columns) in failed(result), result.summary()
    assert f"CRITICAL {expectation_type} on {', '.join(columns)}" in result.summary()


# ------------------------------------------------------------------ performance, usage, disclosures, exclusions


def _broken(suite: str, change: dict, row: int = 1) -> pd.DataFrame:
    """The suite's good frame with ``change`` applied to one row: values through DuckDB (so they take the DDL's
    types), nulls afterwards on the frame (the DDL's NOT NULL would refuse them)."""
    rows = ROWS[suite][1]()
    rows[row] = {**rows[row], **{k: v for k, v in change.items() if v is not None}}
    df = frame_for(suite, rows)
    nulls = {k: None for k, v in change.items() if v is None}
    return _set(df, row, **nulls) if nulls else df


NEW_RAW_BREAKS = {
    # raw_performance_facts
    "performance: null metric": (
        "raw_performance_facts", {"metric": None}, "expect_column_values_to_not_be_null", ("metric",), "metric=null",
    ),
    "performance: null value": (
        "raw_performance_facts", {"value": None}, "expect_column_values_to_not_be_null", ("value",), "value=null",
    ),
    "performance: bad sha256": (
        "raw_performance_facts", {"raw_sha256": "ABC123"}, "expect_column_values_to_match_regex", ("raw_sha256",),
        "ABC123",
    ),
    "performance: negative value": (
        "raw_performance_facts", {"value": Decimal("-3")}, "expect_column_values_to_be_between", ("value",), "-3.0",
    ),
    "performance: uptime above 100": (
        "raw_performance_facts", {"metric": "uptime_pct", "unit": "%", "value": Decimal("150")},
        "expect_column_values_to_be_between", ("value",), "where metric == 'uptime_pct'",
    ),
    "performance: uppercase model id": (
        "raw_performance_facts", {"model_id": "Llama-3.1-8B-Instant"}, "expect_column_values_to_match_regex",
        ("model_id",), "Llama-3.1-8B-Instant",
    ),
    # raw_usage_facts
    "usage: null source_model_id": (
        "raw_usage_facts", {"source_model_id": None}, "expect_column_values_to_not_be_null", ("source_model_id",),
        "source_model_id=null",
    ),
    "usage: null citation": (
        "raw_usage_facts", {"citation": None}, "expect_column_values_to_not_be_null", ("citation",), "citation=null",
    ),
    "usage: bad sha256": (
        "raw_usage_facts", {"raw_sha256": "f" * 63}, "expect_column_values_to_match_regex", ("raw_sha256",), "f" * 63,
    ),
    "usage: negative total_tokens": (
        "raw_usage_facts", {"total_tokens": -5}, "expect_column_values_to_be_between", ("total_tokens",), "-5.0",
    ),
    "usage: negative prompt_tokens": (
        "raw_usage_facts", {"prompt_tokens": -1}, "expect_column_values_to_be_between", ("prompt_tokens",), "-1.0",
    ),
    "usage: share above 1 (a percentage)": (
        "raw_usage_facts", {"share_of_daily_tokens": Decimal("42.5")}, "expect_column_values_to_be_between",
        ("share_of_daily_tokens",), "42.5",
    ),
    "usage: negative share": (
        "raw_usage_facts", {"share_of_daily_tokens": Decimal("-0.1")}, "expect_column_values_to_be_between",
        ("share_of_daily_tokens",), "-0.1",
    ),
    "usage: rank 0": ("raw_usage_facts", {"rank": 0}, "expect_column_values_to_be_between", ("rank",), "rank=0"),
    "usage: usage_date after as_of": (
        "raw_usage_facts", {"usage_date": DAY}, "expect_column_pair_values_a_to_be_greater_than_b",
        ("as_of", "usage_date"), "usage_date=2025-06-01",
    ),
    # raw_throughput_disclosures
    "disclosures: null disclosure_url": (
        "raw_throughput_disclosures", {"disclosure_url": None}, "expect_column_values_to_not_be_null",
        ("disclosure_url",), "disclosure_url=null",
    ),
    "disclosures: null period_end": (
        "raw_throughput_disclosures", {"period_end": None}, "expect_column_values_to_not_be_null", ("period_end",),
        "period_end=null",
    ),
    "disclosures: bad sha256": (
        "raw_throughput_disclosures", {"raw_sha256": "sha256:" + "0" * 64}, "expect_column_values_to_match_regex",
        ("raw_sha256",), "sha256:000",
    ),
    "disclosures: negative value": (
        "raw_throughput_disclosures", {"value": Decimal("-1")}, "expect_column_values_to_be_between", ("value",),
        "-1.0",
    ),
    "disclosures: disclosure_url not a URL": (
        "raw_throughput_disclosures", {"disclosure_url": "Microsoft FY25 Q3 earnings call"},
        "expect_column_values_to_match_regex", ("disclosure_url",), "Microsoft FY25 Q3 earnings call",
    ),
    "disclosures: period_end before period_start": (
        "raw_throughput_disclosures", {"period_start": date(2025, 4, 1), "period_end": date(2025, 3, 31)},
        "expect_column_pair_values_a_to_be_greater_than_b", ("period_end", "period_start"), "period_end=2025-03-31",
    ),
    # raw_capability_scores (row 1: Claude-3-Haiku's Arena Elo 1179)
    "capability: null model_id": (
        "raw_capability_scores", {"model_id": None}, "expect_column_values_to_not_be_null", ("model_id",),
        "model_id=null",
    ),
    "capability: null as_of": (
        "raw_capability_scores", {"as_of": None}, "expect_column_values_to_not_be_null", ("as_of",), "as_of=null",
    ),
    "capability: an Elo rating labelled percent": (
        "raw_capability_scores", {"scale": "percent"}, "expect_column_values_to_be_between", ("score",), "1179",
    ),
    "capability: unknown scale": (
        "raw_capability_scores", {"scale": "points"}, "expect_column_values_to_be_in_set", ("scale",), "points",
    ),
    "capability: negative score": (
        "raw_capability_scores", {"score": Decimal("-1179")}, "expect_column_values_to_be_between", ("score",),
        "-1179",
    ),
    "capability: unknown as_of_basis": (
        "raw_capability_scores", {"as_of_basis": "guessed"}, "expect_column_values_to_be_in_set", ("as_of_basis",),
        "guessed",
    ),
    "capability: model_id not lowercase": (
        "raw_capability_scores", {"model_id": "Claude-3-Haiku"}, "expect_column_values_to_match_regex", ("model_id",),
        "Claude-3-Haiku",
    ),
    # raw_parse_exclusions
    "exclusions: null source_url": (
        "raw_parse_exclusions", {"source_url": None}, "expect_column_values_to_not_be_null", ("source_url",),
        "source_url=null",
    ),
    "exclusions: null fetched_at": (
        "raw_parse_exclusions", {"fetched_at": None}, "expect_column_values_to_not_be_null", ("fetched_at",),
        "fetched_at=null",
    ),
    "exclusions: null reason": (
        "raw_parse_exclusions", {"reason": None}, "expect_column_values_to_not_be_null", ("reason",), "reason=null",
    ),
    "exclusions: empty reason": (
        "raw_parse_exclusions", {"reason": ""}, "expect_column_values_to_match_regex", ("reason",), 'values: [""]',
    ),
    "exclusions: blank reason": (
        "raw_parse_exclusions", {"reason": "   "}, "expect_column_values_to_match_regex", ("reason",),
        'values: ["   "]',
    ),
    "exclusions: bad sha256": (
        "raw_parse_exclusions", {"raw_sha256": "not-a-hash"}, "expect_column_values_to_match_regex", ("raw_sha256",),
        "not-a-hash",
    ),
}


@pytest.mark.parametrize("case", list(NEW_RAW_BREAKS))
def test_new_raw_tables_each_critical_category_blocks_and_is_named(case):
    suite, change, expectation_type, columns, shown = NEW_RAW_BREAKS[case]
    assert validate(frame_for(suite), suite).success  # the break, not the frame, fails the gate
    result = validate(_broken(suite, change), suite)

    assert not result.success, result.summary()
    failure = next(
        (f for f in result.failed_critical if (f.expectation_type, tuple(f.columns)) == (expectation_type, columns)),
        None,
    )
    assert failure is not None, result.summary()
    assert failure.unexpected_index == [1]
    summary = result.summary()
    assert summary.startswith(f"{suite}: FAILED")
    assert f"CRITICAL {expectation_type} on {', '.join(columns)}" in summary
    assert shown in summary
    assert "index=1" in summary


NEW_DUPLICATES = [
    # a Groq speed has no quantization: two null quantizations of one model and metric are still a duplicate
    ("raw_performance_facts", 0, ("partition_date", "source_id", "provider_id", "model_id", "metric", "quantization")),
    ("raw_performance_facts", 5, ("partition_date", "source_id", "provider_id", "model_id", "metric", "quantization")),
    ("raw_usage_facts", 2, ("partition_date", "source_id", "usage_date", "source_model_id")),
    ("raw_throughput_disclosures", 2, ("partition_date", "source_id", "company", "metric", "period_end")),
    ("raw_capability_scores", 2, ("partition_date", "source_id", "source_url", "model_id", "benchmark", "as_of")),
]


@pytest.mark.parametrize(("suite", "row", "key"), NEW_DUPLICATES)
def test_new_raw_tables_duplicate_natural_key_blocks(suite, row, key):
    df = frame_for(suite)
    df = pd.concat([df, df.iloc[[row]]], ignore_index=True)
    result = validate(df, suite)
    assert not result.success
    (failure,) = [f for f in result.failed_critical if f.expectation_type == "expect_compound_columns_to_be_unique"]
    assert tuple(failure.columns) == key
    assert failure.unexpected_index == [row, len(df) - 1]
    summary = result.summary()
    assert f"CRITICAL expect_compound_columns_to_be_unique on {', '.join(key)}" in summary
    assert f"index={len(df) - 1}" in summary


def test_one_model_at_two_quantizations_is_not_a_duplicate():
    df = frame_for("raw_performance_facts")
    per_metric = df[df["model_id"] == "deepseek-r1"].groupby("metric")["quantization"].nunique()
    assert (per_metric == 2).all()
    assert validate(df, "raw_performance_facts").success


def test_a_speed_above_100_is_not_an_uptime():
    df = frame_for("raw_performance_facts")
    assert (df.loc[df["metric"] == "output_tokens_per_second", "value"] > 100).any()
    assert validate(df, "raw_performance_facts").success


NEW_WARNINGS = [
    ("raw_performance_facts", {"metric": "requests_per_minute"}, "expect_column_values_to_be_in_set", ("metric",),
     "requests_per_minute"),
    ("raw_usage_facts", {"citation": "Source: model rankings"}, "expect_column_values_to_match_regex",
     ("citation",), "Source: model rankings"),
    ("raw_throughput_disclosures", {"disclosed_on": date(2025, 3, 1)},
     "expect_column_pair_values_a_to_be_greater_than_b", ("disclosed_on", "period_end"), "disclosed_on=2025-03-01"),
    ("raw_parse_exclusions", {"source_url": "file:///tmp/capture.html"}, "expect_column_values_to_match_regex",
     ("source_url",), "file:///tmp/capture.html"),
]


@pytest.mark.parametrize(("suite", "change", "expectation_type", "columns", "shown"), NEW_WARNINGS)
def test_new_raw_tables_warnings_do_not_block(suite, change, expectation_type, columns, shown):
    result = validate(_broken(suite, change), suite)
    assert result.success, result.summary()
    assert result.failed_critical == []
    assert failed(result, "warning") == {(expectation_type, columns)}
    summary = result.summary()
    assert summary.startswith(f"{suite}: PASSED with 1 warning(s)")
    assert f"WARNING {expectation_type} on {', '.join(columns)}" in summary
    assert shown in summary


def test_an_empty_exclusions_table_passes():
    """A day on which a parser excluded nothing is normal: raw_parse_exclusions has no row-count check."""
    result = validate(frame_for("raw_parse_exclusions", rows=[]), "raw_parse_exclusions")
    assert result.success, result.summary()
    assert result.failures == []
    assert result.summary().startswith("raw_parse_exclusions: PASSED (0 rows")


@pytest.mark.parametrize(
    ("suite", "column"),
    [("raw_performance_facts", "quantization"), ("raw_usage_facts", "as_of"),
     ("raw_throughput_disclosures", "disclosure_url"), ("raw_parse_exclusions", "reason")],
)
def test_new_raw_tables_missing_column_blocks(suite, column):
    result = validate(frame_for(suite).drop(columns=[column]), suite)
    assert not result.success
    (columns_failure,) = [
        f for f in result.failed_critical if f.expectation_type == "expect_table_columns_to_match_set"
    ]
    assert columns_failure.details["mismatched"]["missing"] == [column]


def test_price_history_two_current_versions_of_one_series_block():
    rows = history_rows()
    rows[0] = {**rows[0], "valid_to": None, "is_current": True}  # the superseded version claims to be current
    result = validate(frame_for("fct_price_history", rows), "fct_price_history")
    assert not result.success
    unique = [f for f in result.failed_critical if f.expectation_type == "expect_compound_columns_to_be_unique"]
    assert any("is_current == True" in f.headline() for f in unique)


def test_price_history_reversed_interval_blocks():
    rows = history_rows()
    rows[0] = {**rows[0], "valid_to": rows[0]["valid_from"]}
    result = validate(frame_for("fct_price_history", rows), "fct_price_history")
    assert ("expect_column_pair_values_a_to_be_greater_than_b", ("valid_to", "valid_from")) in failed(result)


def test_duplicate_fiscal_quarter_blocks():
    rows = capex_quarter_rows()
    rows.append({**rows[0], "derivation": "ytd_difference"})
    result = validate(frame_for("fct_capex_quarterly", rows), "fct_capex_quarterly")
    assert (
        "expect_compound_columns_to_be_unique",
        ("company", "component", "fiscal_year", "fiscal_quarter"),
    ) in failed(result)


# ------------------------------------------------------------------ warnings do not block


def test_a_warning_only_failure_leaves_success_true():
    df = _set(_raw_price_frame(), 2, price_per_mtok=1500.0, usd_per_mtok=1500.0)
    result = validate(df, "raw_price_facts")
    assert result.success
    assert result.failed_critical == []
    assert failed(result, "warning") == {("expect_column_values_to_be_between", ("price_per_mtok",))}
    assert result.summary().startswith("raw_price_facts: PASSED with 1 warning(s)")
    assert "WARNING expect_column_values_to_be_between on price_per_mtok" in result.summary()
    assert "1500.0" in result.summary()
    assert result.raise_on_failure() is result


def test_raise_on_failure_carries_the_summary():
    result = validate(_set(_raw_price_frame(), 0, token_type="bogus"), "raw_price_facts")
    with pytest.raises(GateError, match="bogus") as raised:
        result.raise_on_failure()
    assert raised.value.result is result


# ------------------------------------------------------------------ metadata, tables, context


def test_to_metadata_is_json_with_failures():
    df = _set(_raw_price_frame(), 5, price_per_mtok=-1.0, usd_per_mtok=None, currency="USD")
    result = validate(df, "raw_price_facts")
    metadata = result.to_metadata()
    text = json.dumps(metadata, allow_nan=False)  # NaN / NaT never leak into the metadata
    assert json.loads(text)["success"] is False
    assert metadata["suite"] == "raw_price_facts"
    assert metadata["failed_critical_count"] == len(metadata["failed_critical"]) >= 2
    assert metadata["row_count"] == len(df)
    first = metadata["failed_critical"][0]
    assert {"expectation_type", "columns", "kwargs", "observed_value", "unexpected_values",
            "unexpected_index", "unexpected_rows", "severity"} <= set(first)
    assert all(len(f["unexpected_rows"]) <= runner.MAX_EXAMPLES for f in metadata["failed_critical"])


def test_examples_are_capped():
    df = _raw_price_frame()
    df["token_type"] = "bogus"
    result = validate(df, "raw_price_facts")
    (failure,) = [f for f in result.failed_critical if f.columns == ["token_type"]]
    assert failure.unexpected_count == len(df)
    assert len(failure.unexpected_values) == len(failure.unexpected_rows) == min(len(df), runner.MAX_EXAMPLES)
    assert f"... and {len(df) - runner.SUMMARY_ROWS} more rows" in result.summary()


def test_a_frame_with_a_non_range_index_is_reported_by_position():
    df = _raw_price_frame().set_index("model_id", drop=False)
    df.iloc[2, df.columns.get_loc("modality")] = "smell"
    result = validate(df, "raw_price_facts")
    (failure,) = [f for f in result.failed_critical if f.columns == ["modality"]]
    assert failure.unexpected_index == [2]


def test_validate_table_reads_duckdb_and_picks_the_suite():
    con = warehouse()
    try:
        load(con, "raw.price_facts", raw_price_rows())
        result = validate_table(con, "raw.price_facts")
        assert result.suite_name == "raw_price_facts" and result.success
        assert result.row_count == len(raw_price_rows())

        sliced = validate_table(con, "raw.price_facts", where="source_id = ?", params=["nobody"])
        assert not sliced.success and sliced.row_count == 0  # a source that loaded nothing fails its gate

        load(con, "dim_models", dim_model_rows())
        assert validate_table(con, "dim_models", "dim_models").success
    finally:
        con.close()


@pytest.mark.parametrize(
    ("table", "suite"),
    [("raw.price_facts", "raw_price_facts"), ("main.fct_price_history", "fct_price_history"),
     ("dim_models", "dim_models"), ("warehouse.raw.fetches", "raw_fetches")],
)
def test_suite_name_for_table(table, suite):
    assert runner.suite_name_for_table(table) == suite


def test_the_gx_context_is_built_once_and_progress_bars_are_silent(capfd):
    validate(_raw_price_frame(), "raw_price_facts")
    first = runner._get_batch_definition()
    validate(frame_for("dim_models"), "dim_models")
    assert runner._get_batch_definition() is first
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.err + captured.out


def test_validating_a_thousand_rows_is_quick():
    df = frame_for("raw_price_facts", raw_price_rows(1000))
    validate(df, "raw_price_facts")  # warm: GX import and context
    started = time.perf_counter()
    result = validate(df, "raw_price_facts")
    elapsed = time.perf_counter() - started
    assert result.success, result.summary()
    print(f"validated 1,000 rows x {result.expectation_count} expectations in {elapsed:.3f}s")
    assert elapsed < 5
