"""The economics marts on the demo warehouse (the session's one `make demo` run, tests/integration/conftest.py),
each checked against values worked out by hand from the bundled captures, the arithmetic written beside them.

Where a capture's own numbers are the input (the token-tariff timeline's scores and launch prices), the test
reads them from the capture first, so the arithmetic below can only pass on the real file.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from demo_queries import query

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
TIMELINE = REPO / "demo" / "captures" / "2026-08-06" / "token_tariff" / "timeline.csv"
LAST_DAY = date(2026, 8, 21)



def timeline() -> dict[str, dict[str, str]]:
    with TIMELINE.open(newline="", encoding="utf-8") as handle:
        return {row["model"]: row for row in csv.DictReader(handle)}


def test_the_capture_holds_the_numbers_the_arithmetic_uses():
    rows = timeline()
    assert (rows["claude-opus-5"]["release_date"], rows["claude-opus-5"]["aa_intel"]) == ("2026-07-24", "60.7")
    assert (rows["claude-fable-5"]["release_date"], rows["claude-fable-5"]["aa_intel"]) == ("2026-06-09", "59.9")
    assert (rows["kimi-k3"]["release_date"], rows["kimi-k3"]["aa_intel"]) == ("2026-07-26", "57.1")
    assert (rows["gpt-5.4"]["release_date"], rows["gpt-5.4"]["aa_intel"]) == ("2026-03-05", "51.4")
    assert (rows["o3"]["launch_price_in"], rows["o3"]["launch_price_out"]) == ("10", "40")
    assert (rows["o1"]["launch_price_in"], rows["o1"]["launch_price_out"]) == ("15", "60")
    assert (rows["claude-3-7-sonnet"]["launch_price_in"], rows["claude-3-7-sonnet"]["launch_price_out"]) == ("3", "15")


def test_capability_tier_is_relative_to_the_best_released_by_then(demo):
    # AA Intelligence Index (token-tariff timeline). Best released by 2026-08-21: claude-opus-5, 60.7 (07-24).
    #   kimi-k3 57.1 / 60.7 = 0.9407 >= 0.85 -> frontier from its release, 2026-07-26.
    #   gpt-5.4 51.4: the best on 2026-03-05 was its own 51.4 -> frontier; claude-fable-5 (59.9, 06-09) leaves
    #   it at 51.4 / 59.9 = 0.8581, still frontier; claude-opus-5 (60.7, 07-24) makes it 51.4 / 60.7 = 0.8468
    #   -> mid from 2026-07-24. The index's latest as_of is 2026-08-01: it tiers until + 180 days = 2027-01-28.
    rows = query(demo, """SELECT model_id, valid_from, valid_to, capability_tier FROM dim_model_capability_tiers
                          WHERE model_id IN ('moonshot/kimi-k3', 'openai/gpt-5.4') ORDER BY 1, 2""")
    assert rows == [
        ("moonshot/kimi-k3", date(2026, 7, 26), date(2027, 1, 28), "frontier"),
        ("openai/gpt-5.4", date(2026, 3, 5), date(2026, 7, 24), "frontier"),
        ("openai/gpt-5.4", date(2026, 7, 24), date(2027, 1, 28), "mid"),
    ]
    assert round(57.1 / 60.7, 4) == 0.9407 and round(51.4 / 59.9, 4) == 0.8581 and round(51.4 / 60.7, 4) == 0.8468
    assert query(demo, "SELECT capability_tier, capability_score FROM dim_models WHERE model_id = 'moonshot/kimi-k3'") \
        == [("frontier", Decimal("57.1"))]


def test_cost_curve_frontier_index_moves_only_on_the_o3_cut(demo):
    # Frontier closed models priced (blended 3:1) across 2025-06-09 and 2025-06-10, as tiered that day:
    #   openai o3: launch $10 / $40 (timeline) -> (3 * 10 + 40) / 4 = 17.5; cut to $2 / $8 on 2025-06-10
    #   (genai-prices, LiteLLM history) -> (3 * 2 + 8) / 4 = 3.5;
    #   anthropic claude-opus-4 (AA 31.0, the best then), claude-sonnet-3.7 (27.1 / 31.0 = 0.874) and
    #   google gemini-2.0-flash (Epoch GPQA 62, its index's best, tiering until 2025-09-09), unchanged.
    # link = exp(ln(3.5 / 17.5) / 4) = 0.2 ** (1 / 4) = 0.668740; the only frontier change since the base
    # (2024-04-01), so the index is 100 before and 100 * 0.2 ** 0.25 = 66.8740 from then on.
    rows = dict(query(demo, """SELECT day, index_value FROM mart_cost_curve_index
                              WHERE index_group = 'frontier_closed' AND measure = 'blended'
                                AND day IN ('2024-04-01', '2025-06-09', '2025-06-10', '2026-08-21')"""))
    assert rows[date(2024, 4, 1)] == pytest.approx(100)
    assert rows[date(2025, 6, 9)] == pytest.approx(100)
    assert rows[date(2025, 6, 10)] == pytest.approx(100 * 0.2 ** 0.25)
    assert rows[LAST_DAY] == pytest.approx(100 * 0.2 ** 0.25)
    matched = query(demo, """SELECT series_matched, series_changed FROM mart_cost_curve_index
                             WHERE index_group = 'frontier_closed' AND measure = 'blended' AND day = '2025-06-10'""")
    assert matched == [(4, 1)]


def test_frontier_open_gap_on_the_last_day(demo):
    # Frontier on 2026-08-21 (AA, best 60.7): closed claude-opus-5 (60.7), -4.8 (55.7 / 60.7 = 0.918) and -4.7
    # (53.5 / 60.7 = 0.881) at $5 / $25 -> (3 * 5 + 25) / 4 = 10; gpt-5.5 and gpt-5.6-sol at $5 / $30 -> 11.25;
    # claude-fable-5 $10 / $50 -> 20. Cheapest 10, a tie the most capable model wins: claude-opus-5.
    # Open: kimi-k3 (57.1, frontier) at $3 / $15 (genai-prices, 2026-08-21) -> (3 * 3 + 15) / 4 = 6, also the
    # best open model. gap = 10 / 6 = 1.6667; capability gap 60.7 - 57.1 = 3.6.
    rows = query(demo, """SELECT frontier_closed_model_id, frontier_closed_usd_per_mtok, frontier_open_model_id,
                                 frontier_open_usd_per_mtok, gap_ratio, best_open_model_id, capability_gap
                          FROM mart_frontier_open_gap WHERE day = ? AND measure = 'blended'""", [LAST_DAY])
    closed, closed_price, open_model, open_price, gap, best_open, capability_gap = rows[0]
    assert (closed, closed_price, open_model, open_price, best_open) == (
        "anthropic/claude-opus-5", Decimal("10"), "moonshot/kimi-k3", Decimal("6"), "moonshot/kimi-k3")
    assert gap == pytest.approx(10 / 6)
    assert capability_gap == Decimal("3.6")


def test_like_for_like_change_holds_the_series_constant(demo):
    # mistral/mistral-small at Mistral (LiteLLM, llm-prices): $0.10 / $0.30 until 2026-03-02, $0.06 / $0.18 until
    # 2026-08-05, $0.10 / $0.30 again since. Blended: (3 * 0.1 + 0.3) / 4 = 0.15 now (2026-08-21);
    # 30 and 90 days before (07-22, 05-23): (3 * 0.06 + 0.18) / 4 = 0.09 -> 100 * (0.15 / 0.09 - 1) = +66.67%;
    # 365 days before (2025-08-21): 0.15 -> 0%.
    rows = query(demo, """SELECT usd_per_mtok, usd_per_mtok_30d_ago, change_30d_pct, change_90d_pct, change_365d_pct
                          FROM mart_price_deflation WHERE seller_id = 'mistral' AND model_id = 'mistral/mistral-small'
                            AND measure = 'blended'""")
    now, before, change_30, change_90, change_365 = rows[0]
    assert (now, before) == (Decimal("0.15"), Decimal("0.09"))
    assert change_30 == pytest.approx(100 * (0.15 / 0.09 - 1)) and change_90 == pytest.approx(change_30)
    assert change_365 == pytest.approx(0)


# Record lows of the cheapest blended price of a model scoring >= 20 on the AA index, by hand:
#   o1 $15 / $60 (timeline launch) -> (45 + 60) / 4 = 26.25 on its release, 2024-12-17;
#   claude-3.7-sonnet (27.1) $3 / $15 -> (9 + 15) / 4 = 6 on 2025-02-24;
#   o3 after its cut $2 / $8 -> 3.5 on 2025-06-10;
#   gpt-oss-120b (23.8) at Fireworks $0.15 / $0.60 -> (0.45 + 0.60) / 4 = 0.2625 on 2025-08-05;
#   gpt-oss-120b at OpenRouter $0.03 / $0.15 (models.dev, 2026-07-02) -> (0.09 + 0.15) / 4 = 0.06.
AA20_LOWS = [
    (date(2024, 12, 17), "openai/o1", Decimal("26.25")),
    (date(2025, 2, 24), "anthropic/claude-sonnet-3.7", Decimal("6")),
    (date(2025, 6, 10), "openai/o3", Decimal("3.5")),
    (date(2025, 8, 5), "openai/gpt-oss-120b", Decimal("0.2625")),
    (date(2026, 7, 2), "openai/gpt-oss-120b", Decimal("0.06")),
]


def test_deflation_by_capability_record_lows_and_fit(demo):
    stats = pytest.importorskip("scipy.stats", reason="scipy (a dependency of the stack) is not installed")
    where = """index_source_id = 'token_tariff' AND threshold = 20"""
    lows = query(demo, f"""SELECT day, cheapest_model_id, cheapest_usd_per_mtok FROM mart_price_deflation_by_capability
                           WHERE {where} AND is_record_low ORDER BY day""")
    assert lows == AA20_LOWS
    # the fit on the last day, recomputed independently: least squares of ln(price) on the day number
    days = [(day - AA20_LOWS[0][0]).days for day, _, _ in AA20_LOWS]
    logs = [math.log(float(price)) for _, _, price in AA20_LOWS]
    fit = stats.linregress(days, logs)
    t = stats.t.ppf(0.975, len(days) - 2)
    (points, factor, low, high), = query(demo, f"""SELECT fit_points, annual_decline_factor, annual_decline_factor_low,
                                                         annual_decline_factor_high
                                                  FROM mart_price_deflation_by_capability WHERE {where} AND day = ?""",
                                         [LAST_DAY])
    assert points == 5
    assert factor == pytest.approx(math.exp(-365.25 * fit.slope), rel=1e-6)
    assert low == pytest.approx(math.exp(-365.25 * (fit.slope + t * fit.stderr)), rel=1e-4)
    assert high == pytest.approx(math.exp(-365.25 * (fit.slope - t * fit.stderr)), rel=1e-4)
    assert low < factor < high


def test_price_asof_is_right_before_on_and_after_a_change(demo):
    # claude-3.5-haiku input at Anthropic: $1.00 until LiteLLM's history first shows $0.80 on 2025-02-28
    # (its previous entry, 2025-02-27, still $1.00): the old price the day before, the new one on the day
    # and after.
    (before, on, after), = query(demo, """SELECT
        price_asof('anthropic', 'anthropic/claude-haiku-3.5', 'input', 'standard', DATE '2025-02-27'),
        price_asof('anthropic', 'anthropic/claude-haiku-3.5', 'input', 'standard', DATE '2025-02-28'),
        price_asof('anthropic', 'anthropic/claude-haiku-3.5', 'input', 'standard', TIMESTAMP '2025-06-01 13:00:00')""")
    assert (before, on, after) == (Decimal("1"), Decimal("0.8"), Decimal("0.8"))


def test_reprice_at_the_cheapest_model_of_the_same_tier(demo, tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from costcurve.cli import app

    # claude-opus-5 at Anthropic, $5 / $25 (timeline launch, still listed on the last day): 1M input + 1M
    # output = 5 + 25 = $30. It is frontier; the cheapest frontier model today is kimi-k3 at $3 / $15
    # (genai-prices, 2026-08-21; every seller lists it at that price, the lowest seller id wins the tie:
    # fireworks): 3 + 15 = $18, 100 * (18 - 30) / 30 = -40%.
    usage = tmp_path / "usage.csv"
    usage.write_text("model,seller,month,input,output\nclaude-opus-5,anthropic,,1000000,1000000\n")
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(demo["box"].published))
    result = CliRunner().invoke(app, ["reprice", str(usage), "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["rows"]
    assert (row["model_id"], Decimal(row["cost_today"]), row["capability_tier"]) == (
        "anthropic/claude-opus-5", Decimal("30"), "frontier")
    assert (row["cheapest_tier_model_id"], row["cheapest_tier_seller_id"], Decimal(row["cost_cheapest_tier"])) == (
        "moonshot/kimi-k3", "fireworks", Decimal("18"))
    assert row["pct_cheapest_tier"] == "-40.0"


def test_headlines_answer_the_questions_from_the_demo_marts(demo):
    from costcurve.headlines import read_headlines

    answers = {h.mart: h.answer for h in read_headlines(demo["box"].published)}
    # 100 * 0.2 ** 0.25 = 66.874 -> 66.9 (the o3 cut, above); the gap 10 / 6 = 1.67 (above)
    assert "frontier closed 66.9" in answers["mart_cost_curve_index"]
    assert answers["mart_frontier_open_gap"].startswith("1.67x on 2026-08-21: anthropic/claude-opus-5 at $10 vs "
                                                        "moonshot/kimi-k3 at $6")
    # capex 2026Q2 from the SEC facts (test_sec_capex_demo_warehouse): 54,208 + 44,924 + 30,116 + 35,802
    # + 16,493 = 181,543 $M; x 4 = 726,172 -> $726.2 bn; / 2024's 239,087 = 3.037 -> 3.04x
    assert answers["mart_capex_total"].startswith("$726.2 bn a year (2026Q2 x 4, 3.04x 2024")
    assert answers["mart_open_weight_share"].startswith("above 25.0% in the week of")
    assert answers["mart_price_deflation_by_capability"].startswith(
        "Artificial Analysis Intelligence Index 20+: the cheapest price fell")
