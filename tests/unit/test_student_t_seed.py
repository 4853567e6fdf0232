"""The t-quantile seed of the deflation fit's interval is re-derived, not trusted: every row must equal
scipy.stats.t.ppf(0.975, df) to the 4 decimals the seed keeps, for df 1 to 60 with none missing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "student_t_975.csv"


def test_seed_matches_scipy_quantiles() -> None:
    stats = pytest.importorskip("scipy.stats", reason="scipy (a dependency of the stack) is not installed")
    with SEED.open(newline="") as handle:
        rows = {int(row["df"]): float(row["t_975"]) for row in csv.DictReader(handle)}
    assert sorted(rows) == list(range(1, 61))
    for df, quantile in rows.items():
        assert quantile == pytest.approx(stats.t.ppf(0.975, df), abs=5e-5), df
