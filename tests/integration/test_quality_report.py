"""`costcurve quality` on the session demo's warehouse (conftest's `demo`: every demo day, the backfill, then
the last day again): the page holds the last run's gates, every quarantined row the demo is known to hold,
and a freshness row per source, each checked against the warehouse itself. The command runs as a real
process; the page is read back with BeautifulSoup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from demo_queries import query

from scrapers.registry import SOURCES

pytestmark = pytest.mark.integration

COSTCURVE = Path(sys.executable).with_name("costcurve")
#: the demo's last capture day: freshness judged the next day, so the daily sources it captured are fresh
AS_OF = "2026-08-21"


@pytest.fixture(scope="module")
def page(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("quality") / "quality.html"
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(demo["box"].warehouse)}
    run = subprocess.run([str(COSTCURVE), "quality", "--as-of", AS_OF, "--out", str(out)], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(out)
    return BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")


def _table(page, table_id: str) -> list[dict[str, str]]:
    table = page.find("table", id=f"table-{table_id}")
    assert table is not None, f"no table {table_id}"
    head, *rows = table.find_all("tr")
    names = [th.get_text() for th in head.find_all("th")]
    return [dict(zip(names, (td.get_text() for td in tr.find_all("td")), strict=True)) for tr in rows]


def test_the_gates_are_the_last_runs_validations(demo, page):
    (run_id, day), = query(demo, "SELECT arg_max(run_id, checked_at), arg_max(partition_date, checked_at) "
                                 "FROM ops.gate_results")
    logged = query(demo, "SELECT asset, suite, success, expectations_evaluated, rows_validated "
                         "FROM ops.gate_results WHERE run_id = ?", [run_id])
    rows = _table(page, "gates")
    assert str(day) == str(demo["days"][-1])  # the re-run of the last demo day checked last
    assert run_id in page.find("section", id="gates").get_text()
    assert sorted((r["asset"], r["suite"], r["result"] != "FAILED", int(r["expectations evaluated"]),
                   int(r["rows validated"])) for r in rows) == sorted(logged)
    # the re-run passed every check (test_demo_run.py), so no gate failed; raw and mart gates both ran
    assert all(r["result"] in {"passed", "passed with warnings"} for r in rows)
    suites = {r["suite"] for r in rows}
    assert {"raw_price_facts", "raw_fetches", "fct_price_history", "fct_price_observations"} <= suites
    assert all(int(r["expectations evaluated"]) > 0 for r in rows)
    # a warning names what failed and why
    for r in rows:
        assert (r["result"] == "passed with warnings") == (int(r["expectations failed"]) > 0)
        if r["result"] == "passed with warnings":
            assert "WARNING expect_" in r["what failed and why"]


def test_the_quarantine_holds_the_demos_eleven_rows(demo, page):
    rows = _table(page, "quarantine")
    in_warehouse = query(demo, "SELECT quarantine_id, source_id, rule, action, raw_sha256 FROM raw.quarantine")
    assert len(rows) == 11 == len(in_warehouse)
    assert sorted((r["quarantine_id"], r["source"], r["rule"], r["action"], r["capture_sha256"]) for r in rows) \
        == sorted(in_warehouse)
    by_rule = {}
    for r in rows:
        by_rule[(r["rule"], r["source"])] = by_rule.get((r["rule"], r["source"]), 0) + 1
    assert by_rule == {("price_cap", "litellm"): 5, ("batch_above_standard", "gemini"): 3,
                       ("batch_above_standard", "openrouter_models"): 3}
    assert all(r["action"] == r["status"] == "rejected" and not r["released_by"] for r in rows)
    wandb = [r for r in rows if r["rule"] == "price_cap"]
    # LiteLLM's wandb/* entries, priced per token (README "Content gates and quarantine")
    assert all("(published as wandb/" in r["price"] and "above the cap of 2000" in r["reason"] for r in wandb), wandb
    assert any(r["price"] == "openai/gpt-oss-20b input standard all text 5000 USD (published as wandb/openai/gpt-oss-20b)"
               for r in wandb), wandb
    assert "11 rows: 0 held, 11 rejected, 0 released" in page.find("section", id="quarantine").get_text()


def test_a_freshness_row_per_source(demo, page):
    rows = {r["source"]: r for r in _table(page, "freshness")}
    assert list(rows) == list(SOURCES)
    last = dict(query(demo, "SELECT source_id, max(partition_date) FROM raw.fetches "
                            "WHERE http_status BETWEEN 200 AND 399 AND partition_date <= ? GROUP BY 1", [AS_OF]))
    for source_id, row in rows.items():
        assert row["last success"] == str(last.get(source_id, "never"))
    captured_last_day = [s for s, d in last.items() if str(d) == AS_OF and rows[s]["cadence"] == "daily"]
    assert captured_last_day and all(rows[s]["freshness"] == "fresh (0 d)" for s in captured_last_day)
