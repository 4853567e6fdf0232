"""bench/scale.py keeps working: 3 days of history seeded from one real capture, both day kinds run.

Real components throughout (real parse, real loads into a DuckDB file, a real dbt build, the real day-sliced
gate). No figure is asserted: timings are the benchmark's output, not a test's verdict.
"""

import json

from bench import scale


def test_bench_scale_runs_at_a_tiny_size(tmp_path):
    out = tmp_path / "scale.json"
    assert scale.main(["--days", "3", "--sources", "litellm", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    (size,) = result["sizes"]
    assert result["sources"] == ["litellm"]
    assert size["history_price_rows"] == 3 * size["seed_price_rows"] > 0  # the seed day and 2 copies before it
    for label in ("normal_day", "no_change_day"):
        day = size[label]
        assert day["price_rows"] == size["seed_price_rows"]
        assert set(day["steps"]) == {"parse", "load", "dbt build", "gate"}
        assert day["peak_rss_gib"] > 0
