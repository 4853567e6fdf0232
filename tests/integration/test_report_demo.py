"""`make demo` writes the HTML report beside the charts, every section drawn from the demo's marts."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.integration

CHARTS = ["cost_curve_index", "price_deflation", "frontier_open_gap", "deflation_by_capability",
          "open_weight_share", "capex"]


def test_the_demo_writes_the_report_with_every_chart(demo):
    page_path = demo["box"].warehouse.parent / "reports" / "report.html"
    page = page_path.read_text(encoding="utf-8")
    assert "No data:" not in page  # every mart the report reads is built and has rows on the demo
    assert sorted(re.findall(r'Plotly\.newPlot\(\s*"chart-(\w+)"', page)) == sorted(CHARTS)
    assert not re.search(r"<(script|img|iframe)[^>]*\bsrc=", page, re.I)
    # the demo's capex run-rate (README): 2026Q2 181,543,000,000 x 4 = 726,172,000,000 -> $726.2 bn
    assert "$726.2 bn a year (2026Q2 x 4" in page
    assert "Source: OpenRouter (openrouter.ai/rankings), as of 2026-08-08 (CC BY 4.0)" in page
    for name in [*CHARTS, "price_changes", "source_disagreements"]:
        for ext in ("sql", "csv"):
            assert (page_path.parent / "report_data" / f"{name}.{ext}").stat().st_size > 0, (name, ext)
