"""The quality page on a small real warehouse: a failed gate says what failed and why, the quarantine lists
held, rejected and released rows (with who, when, why), and the command without a warehouse says to run
`make demo` and exits 1."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bs4 import BeautifulSoup

from orchestration.gates import GateLog, gate_result
from warehouse.connection import writer
from warehouse.quarantine import entries, release

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
from test_content_gates import DAY, SONNET, load, price  # noqa: E402  (the content-gate tests' real rows)

from costcurve.quality import write_quality_report  # noqa: E402

COSTCURVE = Path(sys.executable).with_name("costcurve")
CADENCES = {"anthropic": "daily", "epoch_benchmarks": "replay only"}


def _rows(page, table_id: str) -> list[dict[str, str]]:
    head, *rows = page.find("table", id=f"table-{table_id}").find_all("tr")
    names = [th.get_text() for th in head.find_all("th")]
    return [dict(zip(names, (td.get_text() for td in tr.find_all("td")), strict=True)) for tr in rows]


def _warehouse(path: Path) -> None:
    with writer(path) as con:
        load(con, SONNET, DAY - timedelta(days=1))
        # a 100x move (held) and a price over the cap (rejected), on a day after a good one
        load(con, [price("input", "300") if f is SONNET[0] else f for f in SONNET]
             + [price("input", "5000", model="claude-opus-4-5")])
        held = next(e for e in entries(con) if e.action == "held")
        release(con, held.quarantine_id, "Anthropic confirmed the new price", "analyst-a")
        # the gate: a coverage frame missing its columns fails the critical column-set check
        gate_result(con, "identity_coverage", "SELECT DATE '2026-11-20' AS observed_date",
                    log=GateLog("run-7", DAY, "fct_price_observations"))


def test_the_page_shows_a_failed_gate_and_every_quarantined_row(tmp_path):
    _warehouse(tmp_path / "w.duckdb")
    out = write_quality_report(tmp_path / "w.duckdb", tmp_path / "q.html", CADENCES, DAY + timedelta(days=2))
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    (gate,) = _rows(page, "gates")
    assert (gate["asset"], gate["suite"], gate["result"], gate["expectations evaluated"],
            gate["expectations failed"]) == ("fct_price_observations", "identity_coverage", "FAILED", "2", "2")
    assert "CRITICAL expect_table_columns_to_match_set" in gate["what failed and why"]
    quarantine = {r["rule"]: r for r in _rows(page, "quarantine")}
    assert set(quarantine) == {"day_over_day_move", "price_cap"}
    moved, capped = quarantine["day_over_day_move"], quarantine["price_cap"]
    assert (moved["action"], moved["status"], moved["released_by"], moved["release_reason"]) == (
        "held", "released", "analyst-a", "Anthropic confirmed the new price")
    assert moved["released_at"] and "moved from 3 (2026-11-19) to 300 USD/M" in moved["reason"]
    assert moved["price"] == "claude-sonnet-4-5 input standard all text 300 USD (published as Claude Sonnet 4.5)"
    assert (capped["status"], capped["released_by"], capped["capture_sha256"]) == ("rejected", "", "c" * 64)
    fresh = {r["source"]: r for r in _rows(page, "freshness")}
    assert fresh["anthropic"]["last success"] == str(DAY) and fresh["anthropic"]["freshness"] == "warn (2 d)"
    assert fresh["epoch_benchmarks"]["freshness"] == "not tracked"


def test_without_a_warehouse_it_says_run_make_demo_and_exits_1(tmp_path):
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(tmp_path / "none.duckdb")}
    run = subprocess.run([str(COSTCURVE), "quality", "--out", str(tmp_path / "q.html")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "run `make demo` first" in run.stderr, run.stderr
    assert not (tmp_path / "q.html").exists() and not (tmp_path / "none.duckdb").exists()
