"""The dated prices of epoch_benchmarks and token_tariff pass the backfill's raw gate and land on their dates.

Reads the bundled demo captures (demo/captures/2025-03-13/epoch_benchmarks, 2026-08-06/token_tariff).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from costcurve.backfill import HISTORY_SOURCES, dated_by_day, gate, latest_prices
from scrapers.archive import RawArchive
from scrapers.registry import get_source

DEMO = Path(__file__).resolve().parents[2] / "demo" / "captures"
TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("source_id", ["epoch_benchmarks", "token_tariff"])
def test_new_sources_are_history_sources_and_pass_the_raw_gate(tmp_path, source_id):
    assert source_id in HISTORY_SOURCES
    prices, shas = latest_prices(get_source(source_id), RawArchive(tmp_path / "archive"), DEMO)
    assert len(shas) == len(get_source(source_id).targets)
    by_day = dated_by_day(prices, TODAY)
    assert by_day
    gate(source_id, by_day)  # raises BackfillError if any row fails raw_price_facts


def test_epoch_history_reaches_gpt3_and_only_epochs_own_table_is_dated(tmp_path):
    prices, _ = latest_prices(get_source("epoch_benchmarks"), RawArchive(tmp_path / "archive"), DEMO)
    by_day = dated_by_day(prices, TODAY)
    first = min(by_day)
    assert first == date(2021, 11, 20)
    assert [(p.model_id, p.price_per_mtok) for p in by_day[first]] == [("gpt-3 175b (davinci)", 60)]
    dated = [p for facts in by_day.values() for p in facts]
    assert {p.source_url.rsplit("/", 1)[-1] for p in dated} == {"epoch_ai_price_data_not_in_aa_with_benchmarks.csv"}
    assert {p.valid_from_basis for p in dated} == {"first_seen"}
    assert len(dated) < len(prices)  # Artificial Analysis' undated prices stay in the daily snapshot


def test_token_tariff_launch_prices_land_on_release_dates(tmp_path):
    prices, _ = latest_prices(get_source("token_tariff"), RawArchive(tmp_path / "archive"), DEMO)
    by_day = dated_by_day(prices, TODAY)
    assert {(p.model_id, p.token_type, p.price_per_mtok) for p in by_day[date(2024, 11, 4)]} == {
        ("claude-3-5-haiku", "input", 1), ("claude-3-5-haiku", "output", 5)}
    assert {p.valid_from_basis for facts in by_day.values() for p in facts} == {"effective"}
