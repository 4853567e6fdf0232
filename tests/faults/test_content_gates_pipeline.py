"""Content gates on real captures: the demo's LiteLLM capture through the replay path (collect -> load),
and `costcurve release` as a user types it.

LiteLLM's model_prices_and_context_window.json of 2026-07-24 (demo/captures/2026-07-24/litellm) lists
wandb/* models at 0.005 to 0.135 USD per *token* (wandb/openai/gpt-oss-20b: input 0.005, output 0.02), i.e.
5,000 to 135,000 USD per 1M tokens: an upstream unit error, not a price. The parser keeps 5 of them (input
0.005 for gpt-oss-20b, input and output 0.01 for the two Qwen3-235B-A22B-2507 models); they must be
quarantined with the capture's sha256 while the rest of that capture loads and passes its GX gate.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from costcurve.cli import app
from expectations.runner import validate_table
from scrapers.archive import RawArchive
from scrapers.collect import collect
from scrapers.registry import get_source
from warehouse.connection import writer
from warehouse.load import load_source_day

DEMO = Path(__file__).resolve().parents[2] / "demo" / "captures"
DAY = date(2026, 7, 24)
CAPTURE = DEMO / DAY.isoformat() / "litellm" / "model_prices_and_context_window.json"


def load_litellm(con, archive: RawArchive, day: date = DAY) -> dict[str, int]:
    got = collect(get_source("litellm"), DAY, archive, replay_dir=DEMO)
    return load_source_day(con, "litellm", day, got.fetches, got.result)


def test_the_wandb_unit_error_is_quarantined_and_the_rest_of_litellm_loads(tmp_path):
    sha = hashlib.sha256(CAPTURE.read_bytes()).hexdigest()
    with writer(tmp_path / "w.duckdb") as con:
        counts = load_litellm(con, RawArchive(tmp_path / "archive"))
        capped = con.execute(
            "SELECT json_extract_string(row_json, '$.provider_id'), raw_sha256, source_url FROM raw.quarantine "
            "WHERE rule = 'price_cap'"
        ).fetchall()
        over = con.execute("SELECT count(*) FROM raw.price_facts WHERE price_per_mtok > 2000").fetchone()[0]
        gate = validate_table(con, "raw.price_facts", where="source_id = 'litellm' AND partition_date = ?", params=[DAY])
        again = load_litellm(con, RawArchive(tmp_path / "archive"))
        quarantine_again = con.execute("SELECT count(*) FROM raw.quarantine").fetchone()[0]
    assert len(capped) == 5 and {provider for provider, _, _ in capped} == {"wandb"}
    assert {s for _, s, _ in capped} == {sha}
    assert {u for _, _, u in capped} == {"https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"}
    assert over == 0 and counts["price_facts"] > 1000
    assert gate.success, gate.summary()
    assert again == counts and quarantine_again == counts["quarantined"]


def test_release_from_the_command_line_records_who_and_why(tmp_path, monkeypatch):
    """A real 100x move (a real LiteLLM price, then the same capture's price x100), listed, then released."""
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("COSTCURVE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("COSTCURVE_RELEASED_BY", "pricing-desk")
    archive = RawArchive(tmp_path / "archive")
    with writer(warehouse) as con:
        load_litellm(con, archive, DAY - timedelta(days=1))
        # the same series, one price x100 (cents read as dollars) on the next day
        con.execute(
            "UPDATE raw.price_facts SET price_per_mtok = price_per_mtok / 100, usd_per_mtok = usd_per_mtok / 100 "
            "WHERE model_id = 'gpt-4o' AND token_type = 'input' AND service_tier = 'standard' AND context_band = 'all'"
        )
        load_litellm(con, archive)
    runner = CliRunner()
    listed = runner.invoke(app, ["release", "--list"])
    assert listed.exit_code == 0, listed.output
    assert "day_over_day_move" in listed.output and "held" in listed.output
    with writer(warehouse) as con:
        (held,) = con.execute("SELECT quarantine_id FROM raw.quarantine WHERE rule = 'day_over_day_move'").fetchall()
        rejected = con.execute("SELECT quarantine_id FROM raw.quarantine WHERE rule = 'price_cap' LIMIT 1").fetchone()[0]
    refused = runner.invoke(app, ["release", rejected, "--reason", "x"])
    assert refused.exit_code != 0 and "rejected by rule price_cap" in refused.output
    no_reason = runner.invoke(app, ["release", held[0]])
    assert no_reason.exit_code != 0 and "needs a reason" in no_reason.output
    done = runner.invoke(app, ["release", held[0], "--reason", "checked against openai.com/api/pricing"])
    assert done.exit_code == 0, done.output
    with writer(warehouse) as con:
        who = con.execute("SELECT released_by, reason FROM raw.quarantine_releases").fetchall()
        load_litellm(con, archive)  # the replay of the day loads the released row
        loaded = con.execute(
            "SELECT count(*) FROM raw.price_facts WHERE partition_date = ? AND model_id = 'gpt-4o' "
            "AND token_type = 'input' AND service_tier = 'standard' AND context_band = 'all'", [DAY]
        ).fetchone()[0]
    assert who == [("pricing-desk", "checked against openai.com/api/pricing")]
    assert loaded == 1
