"""The answers costcurve exists for, one line each, read from the marts of the published copy.

    how fast is the cost curve falling     mart_cost_curve_index
    what is the frontier-to-open gap       mart_frontier_open_gap
    is open-weight share past 25%          mart_open_weight_share
    what is capex running at               mart_capex_total
    how fast does a capability get cheaper mart_price_deflation_by_capability

Every number is selected from a mart (nothing is computed here but formatting), and each answer names the
mart it came from, so an analyst can take the query further. A mart that is empty or missing gives an answer
that says so instead of a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Headline:
    question: str
    answer: str
    mart: str


def headlines(con: duckdb.DuckDBPyConnection) -> list[Headline]:
    """Every headline, in the order of the module docstring."""
    return [_answer(con, question, mart, build) for question, mart, build in QUESTIONS]


def read_headlines(published: Path) -> list[Headline]:
    """The headlines of the published analyst copy at ``published`` (opened read-only)."""
    from warehouse.connection import analyst

    with analyst(published) as con:
        return headlines(con)


def headlines_table(rows: list[Headline]):
    """A rich table of the headlines: question, answer, the mart to query further."""
    from rich.table import Table

    table = Table("question", "answer", "from", title="What the marts say", show_lines=True)
    for row in rows:
        table.add_row(row.question, row.answer, row.mart)
    return table


def _answer(con, question: str, mart: str, build: Callable) -> Headline:
    try:
        answer = build(con)
    except duckdb.CatalogException:
        answer = f"not built yet ({mart} is missing from this warehouse)"
    return Headline(question, answer or f"no data yet ({mart} is empty)", mart)


def _cost_curve(con) -> str | None:
    rows = con.execute("""
        SELECT index_group, day, base_date, index_value FROM mart_cost_curve_index
        WHERE measure = 'blended' AND index_group IN ('all', 'frontier_closed', 'open_weight')
          AND day = (SELECT max(day) FROM mart_cost_curve_index) AND index_value IS NOT NULL
        ORDER BY CASE index_group WHEN 'all' THEN 0 WHEN 'frontier_closed' THEN 1 ELSE 2 END
    """).fetchall()
    if not rows:
        return None
    day, base = rows[0][1], rows[0][2]
    parts = [f"{_GROUP[group]} {value:.1f}" for group, _, _, value in rows]
    return f"blended 3:1 price index on {day} (100 on {base}, matched models): " + ", ".join(parts)


_GROUP = {"all": "all models", "frontier_closed": "frontier closed", "open_weight": "open weights"}


def _gap(con) -> str | None:
    row = con.execute("""
        SELECT day, frontier_closed_model_id, frontier_closed_usd_per_mtok, frontier_open_model_id,
               frontier_open_usd_per_mtok, gap_ratio, best_open_model_id, best_open_ratio, capability_gap
        FROM mart_frontier_open_gap WHERE measure = 'blended' ORDER BY day DESC LIMIT 1
    """).fetchone()
    if row is None:
        return None
    day, closed, closed_price, open_model, open_price, gap, best_open, best_ratio, capability_gap = row
    if gap is not None:
        return (f"{gap:.2f}x on {day}: {closed} at ${_money(closed_price)} vs {open_model} at "
                f"${_money(open_price)} (blended per 1M tokens, both frontier)")
    if best_ratio is not None:
        behind = f", {_money(capability_gap)} points behind" if capability_gap is not None else ""
        return (f"no open-weights model is frontier on {day}; {closed} costs {best_ratio:.2f}x the best open "
                f"model, {best_open}{behind}")
    return f"no open-weights model is priced and scored on {day}"


def _share(con) -> str | None:
    row = con.execute("""
        SELECT period_start, period_end, share_point, share_lower, share_upper, threshold, threshold_verdict,
               measurement_base
        FROM mart_open_weight_share WHERE period_grain = 'week' AND NOT is_partial
        ORDER BY period_start DESC LIMIT 1
    """).fetchone()
    if row is None:
        return None
    start, end, point, lower, upper, threshold, verdict, base = row
    point_text = f"{_pct(point)}" if point is not None else "unknown"
    return (f"{verdict} {_pct(threshold)} in the week of {start}: {point_text} (bounds {_pct(lower)} to "
            f"{_pct(upper)}); measured on {base}")


def _capex(con) -> str | None:
    row = con.execute("""
        SELECT calendar_label, run_rate_usd, run_rate_x_base_year, base_year, companies
        FROM mart_capex_total WHERE is_latest_complete_quarter
    """).fetchone()
    if row is None:
        return None
    label, run_rate, times_base, base_year, companies = row
    times = f", {times_base:.2f}x {base_year}" if times_base is not None else ""
    return f"${run_rate / Decimal(1e9):,.1f} bn a year ({label} x 4{times}; {companies.replace(',', ', ')})"


def _decline(con) -> str | None:
    rows = con.execute("""
        SELECT index_benchmark, threshold, annual_decline_factor, annual_decline_factor_low,
               annual_decline_factor_high, fit_points, fit_first_day
        FROM mart_price_deflation_by_capability
        WHERE day = (SELECT max(day) FROM mart_price_deflation_by_capability)
          AND annual_decline_factor_low IS NOT NULL
        ORDER BY index_benchmark, threshold LIMIT 1
    """).fetchall()
    if not rows:
        return None
    benchmark, threshold, factor, low, high, points, first = rows[0]
    return (f"{benchmark} {threshold}+: the cheapest price fell {factor:.1f}x a year (95% interval {low:.1f} to "
            f"{high:.1f}; {points} record lows since {first})")


def _money(value) -> str:
    """A DECIMAL without its trailing zeros: 10.000000 -> 10, 0.07425 stays."""
    return f"{Decimal(value).normalize():f}"


def _pct(share) -> str:
    return f"{100 * float(share):.1f}%"


QUESTIONS: list[tuple[str, str, Callable]] = [
    ("How fast is the cost curve falling?", "mart_cost_curve_index", _cost_curve),
    ("What is the frontier-to-open price gap?", "mart_frontier_open_gap", _gap),
    ("Is open-weight share past 25%?", "mart_open_weight_share", _share),
    ("What is hyperscaler capex running at?", "mart_capex_total", _capex),
    ("How fast does a capability level get cheaper?", "mart_price_deflation_by_capability", _decline),
]
