"""The headlines read marts and format them; every number in an answer is a mart's own value."""

from __future__ import annotations

import duckdb

from costcurve.headlines import headlines


def test_a_warehouse_without_the_marts_says_so_for_each_question():
    con = duckdb.connect()
    answers = headlines(con)
    assert len(answers) == 5
    for answer in answers:
        assert answer.answer == f"not built yet ({answer.mart} is missing from this warehouse)"


def test_empty_marts_say_there_is_no_data_yet():
    con = duckdb.connect()
    con.execute("CREATE TABLE mart_cost_curve_index (index_group VARCHAR, measure VARCHAR, day DATE, "
                "base_date DATE, index_value DOUBLE)")
    (curve, *_) = headlines(con)
    assert curve.answer == "no data yet (mart_cost_curve_index is empty)"


def test_answers_carry_the_marts_values():
    con = duckdb.connect()
    con.execute("""CREATE TABLE mart_cost_curve_index AS SELECT * FROM (VALUES
        ('all', 'blended', DATE '2026-08-21', DATE '2024-04-01', 87.66),
        ('frontier_closed', 'blended', DATE '2026-08-21', DATE '2024-04-01', 66.874),
        ('open_weight', 'blended', DATE '2026-08-21', DATE '2024-04-01', 74.31),
        ('all', 'blended', DATE '2026-08-20', DATE '2024-04-01', 90.0),
        ('all', 'input', DATE '2026-08-21', DATE '2024-04-01', 50.0))
        t(index_group, measure, day, base_date, index_value)""")
    con.execute("""CREATE TABLE mart_capex_total AS SELECT * FROM (VALUES
        ('2026Q2', 726172000000.00::DECIMAL(20, 2), 3.0373::DECIMAL(12, 4), 2024, 'AMZN,GOOGL', true),
        ('2026Q1', 1.00::DECIMAL(20, 2), 1.0::DECIMAL(12, 4), 2024, 'AMZN', false))
        t(calendar_label, run_rate_usd, run_rate_x_base_year, base_year, companies, is_latest_complete_quarter)""")
    con.execute("""CREATE TABLE mart_frontier_open_gap AS SELECT * FROM (VALUES
        (DATE '2026-08-21', 'blended', 'lab/closed', 10.0::DECIMAL(38, 18), NULL, NULL::DECIMAL(38, 18), NULL::DOUBLE,
         'lab/open', 2.5::DOUBLE, 3.6::DECIMAL(18, 6)))
        t(day, measure, frontier_closed_model_id, frontier_closed_usd_per_mtok, frontier_open_model_id,
          frontier_open_usd_per_mtok, gap_ratio, best_open_model_id, best_open_ratio, capability_gap)""")
    con.execute("""CREATE TABLE mart_open_weight_share AS SELECT * FROM (VALUES
        ('week', DATE '2026-07-27', DATE '2026-08-02', false, 0.636::DECIMAL(7, 6), 0.407::DECIMAL(7, 6),
         0.767::DECIMAL(7, 6), 0.25::DECIMAL(7, 6), 'above', 'openrouter tokens'),
        ('week', DATE '2026-08-03', DATE '2026-08-09', true, 0.9, 0.9, 0.9, 0.25, 'above', 'partial week'))
        t(period_grain, period_start, period_end, is_partial, share_point, share_lower, share_upper, threshold,
          threshold_verdict, measurement_base)""")
    curve, gap, share, capex, decline = headlines(con)
    # the latest day's blended values only, 1 decimal: 87.66 -> 87.7, 66.874 -> 66.9, 74.31 -> 74.3
    assert curve.answer == ("blended 3:1 price index on 2026-08-21 (100 on 2024-04-01, matched models): "
                            "all models 87.7, frontier closed 66.9, open weights 74.3")
    # no open model is frontier that day: the best open model's ratio and the capability gap instead
    assert gap.answer == ("no open-weights model is frontier on 2026-08-21; lab/closed costs 2.50x the best open "
                          "model, lab/open, 3.6 points behind")
    # the latest complete week, not the partial one after it
    assert share.answer == ("above 25.0% in the week of 2026-07-27: 63.6% (bounds 40.7% to 76.7%); "
                            "measured on openrouter tokens")
    # 726,172,000,000 / 1e9 = 726.2 bn; the latest complete quarter only
    assert capex.answer == "$726.2 bn a year (2026Q2 x 4, 3.04x 2024; AMZN, GOOGL)"
    assert decline.answer.startswith("not built yet")
