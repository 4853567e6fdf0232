"""scrapers.model_sets: what a capture lost against the previous one, and when that is drift."""

from __future__ import annotations

import pytest

from scrapers.model_sets import MAX_PREVIOUS_AGE_DAYS, VanishedModelsError, check_model_set

URL = "https://platform.claude.com/docs/en/about-claude/pricing.md"


def series(models: int, token_types=("input", "output"), tiers=("standard",)) -> set[tuple]:
    return {("anthropic", f"m{i:02d}", t, tier, "all", "text", "USD")
            for i in range(models) for t in token_types for tier in tiers}


def test_one_model_of_twenty_gone_is_reported_by_name():
    before = series(20)
    change = check_model_set("anthropic", URL, before, {k for k in before if k[1] != "m07"}, previous_age_days=1)
    assert change.vanished_models == ("anthropic/m07",) and change.vanished_series == ()


def test_more_than_a_tenth_of_the_models_gone_is_drift_naming_them():
    before = series(20)
    now = {k for k in before if k[1] not in ("m01", "m02", "m03")}
    with pytest.raises(VanishedModelsError, match=r"3 of 20 models gone \(anthropic/m01, anthropic/m02, anthropic/m03\)"):
        check_model_set("anthropic", URL, before, now, previous_age_days=1)


def test_a_lost_table_is_drift_though_every_model_is_still_listed():
    before = series(20, tiers=("standard", "batch"))
    with pytest.raises(VanishedModelsError, match="40 of 80 price series lost by models still listed"):
        check_model_set("anthropic", URL, before, series(20), previous_age_days=1)


@pytest.mark.parametrize("age", [MAX_PREVIOUS_AGE_DAYS + 1, 200])
def test_against_an_old_capture_the_loss_is_reported_only(age):
    change = check_model_set("anthropic", URL, series(20), series(5), previous_age_days=age)
    assert len(change.vanished_models) == 15 and not change.blocking


def test_no_previous_capture_compares_nothing():
    change = check_model_set("anthropic", URL, set(), series(3), previous_age_days=None)
    assert change.vanished_models == () and not change.blocking


def test_new_models_and_dated_changes_are_not_losses():
    before = series(10)
    assert check_model_set("anthropic", URL, before, before | series(12), previous_age_days=1).vanished_models == ()
