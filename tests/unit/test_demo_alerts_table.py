"""The demo's alert summary prints every kind of event (it once assumed price cuts and read data.change_pct)."""

from __future__ import annotations

from rich.console import Console

from costcurve.demo import _alerts_table

RECEIVED = [
    {"rule_id": "price_rise_25", "kind": "change", "status": "firing", "series": {"model_id": "m/b"},
     "value": "40", "comparator": ">=", "threshold": "25", "period": "2026-08-21", "summary": "m/b rose"},
    {"rule_id": "open_weight_share_25", "kind": "threshold", "status": "resolved",
     "series": {"measurement_base": "openrouter"}, "value": "0.2399", "comparator": ">=", "threshold": "0.25",
     "period": "2026-08-03", "summary": "share resolved"},
    {"rule_id": "price_cut_50", "kind": "change", "status": "firing", "series": {"model_id": "m/a"},
     "value": "-75", "comparator": "<=", "threshold": "-50", "period": "2026-08-19", "summary": "m/a cut"},
]


def render(received, limit=12) -> list[str]:
    console = Console(width=200, record=True)
    console.print(_alerts_table(received, limit=limit))
    return [line for line in console.export_text().splitlines() if "│" in line]


def test_every_kind_is_printed_crossings_first_then_biggest_changes():
    rows = render(RECEIVED)
    assert [next(r for r in ("open_weight_share_25", "price_cut_50", "price_rise_25") if r in row) for row in rows] == [
        "open_weight_share_25", "price_cut_50", "price_rise_25"]  # |-75| > |40|
    assert "resolved" in rows[0] and ">= 0.25" in rows[0] and "openrouter" in rows[0]


def test_a_body_without_the_standard_fields_does_not_crash_the_summary():
    assert len(render([{"text": "[info] firing: slack-shaped"}])) == 1
