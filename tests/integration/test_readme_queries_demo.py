"""Every query on the README's query page runs on the demo's published copy and returns rows, and the
analyst-query benchmark (bench/queries.py, which times that same set) works end to end at a tiny size."""

from __future__ import annotations

import pytest

from bench import queries
from warehouse.connection import analyst

pytestmark = pytest.mark.integration


def test_the_readme_query_page_is_the_benchmark_set() -> None:
    found = queries.readme_queries()
    names = [q.name for q in found]
    assert len(names) == len(set(names)) >= 14  # 12 blocks on the page, two of them holding two statements
    assert all(q.question for q in found)  # each is named by the question above its block
    assert found[0].question == "How fast is the cost curve falling?"
    assert any(q.sql.startswith("SELECT price_asof(") for q in found)


@pytest.mark.parametrize("query", queries.readme_queries(), ids=lambda q: q.name)
def test_each_readme_query_answers_on_the_demo(demo, query) -> None:
    with analyst(demo["box"].published) as con:
        rows = con.execute(query.sql).fetchall()
    assert rows, f"{query.name} ({query.question}) returned no rows on the demo"


def test_the_query_benchmark_runs_on_the_demo(demo) -> None:
    result = queries.run(demo["box"].published, repeat=1, warmup=0)
    assert [r["name"] for r in result["queries"]] == [q.name for q in queries.readme_queries()]
    assert all(r["rows"] > 0 and r["p95_ms"] >= r["p50_ms"] > 0 for r in result["queries"])
    assert set(result["startup"]) == {"import costcurve.cli", 'costcurve sql "SELECT 1"'}
