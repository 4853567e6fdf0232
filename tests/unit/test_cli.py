"""The `costcurve` command as a user types it (typer's runner, real files, a real DuckDB copy)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from costcurve.cli import app
from scrapers.registry import SOURCES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
runner = CliRunner()


def test_parse_prints_one_json_record_per_line():
    result = runner.invoke(app, ["parse", "anthropic", str(FIXTURES / "anthropic" / "pricing_outer_pipes.md")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records and all(r["record"] == "PriceFact" and r["source_id"] == "anthropic" for r in records)
    opus = {(r["token_type"], r["service_tier"]): r["usd_per_mtok"] for r in records if r["model_id"] == "claude-opus-4-5"}
    assert float(opus[("input", "standard")]) == 5 and float(opus[("input", "batch")]) == 2.5


def test_parse_picks_the_target_a_file_is_named_for(tmp_path):
    """Epoch AI's two tables share one header but date their prices differently: the file name decides."""
    demo = FIXTURES.parent.parent / "demo" / "captures" / "2025-03-13" / "epoch_benchmarks"
    out = {}
    for name in ("aa_data_with_math5.csv", "epoch_ai_price_data_not_in_aa_with_benchmarks.csv"):
        result = runner.invoke(app, ["parse", "epoch_benchmarks", str(demo / name)])
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        out[name] = {r["valid_from"] for r in records if r["record"] == "PriceFact"}
        assert {r["source_url"].rsplit("/", 1)[-1] for r in records} == {name}
    assert out["aa_data_with_math5.csv"] == {None}
    assert None not in out["epoch_ai_price_data_not_in_aa_with_benchmarks.csv"]


def test_parse_of_a_broken_page_names_the_error_and_exits_2(tmp_path):
    page = tmp_path / "pricing.md"
    page.write_text("# Pricing\n\nSee our new calculator.\n")
    result = runner.invoke(app, ["parse", "anthropic", str(page)])
    assert result.exit_code == 2
    assert "LayoutDriftError" in result.output and "anthropic" in result.output


def test_sql_reads_the_published_copy_read_only(tmp_path, monkeypatch):
    published = tmp_path / "published" / "costcurve.duckdb"
    published.parent.mkdir()
    con = duckdb.connect(str(published))
    con.execute("CREATE TABLE fct_price_history AS SELECT 'm1' AS model_id, 0.800000000000000000::DECIMAL(38, 18) AS usd_per_mtok")
    con.close()
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(published))
    shown = runner.invoke(app, ["sql", "SELECT * FROM fct_price_history"])
    assert shown.exit_code == 0 and "m1" in shown.stdout and "0.8" in shown.stdout and "0.800000" not in shown.stdout
    as_csv = runner.invoke(app, ["sql", "--csv", "SELECT model_id FROM fct_price_history"])
    assert as_csv.stdout.splitlines()[:2] == ["model_id", "m1"]
    refused = runner.invoke(app, ["sql", "DROP TABLE fct_price_history"])
    assert refused.exit_code == 1 and "error" in refused.output


def test_sql_without_a_published_copy_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(tmp_path / "nowhere" / "costcurve.duckdb"))
    result = runner.invoke(app, ["sql", "SELECT 1"])
    assert result.exit_code == 1 and "make demo" in result.output


def test_sources_markdown_lists_every_source():
    result = runner.invoke(app, ["sources", "--markdown"])
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and not line.startswith("| source ")]
    assert {row.split("|")[1].strip() for row in rows} == set(SOURCES)


def test_parse_hands_captures_read_together_to_parse_captures(tmp_path):
    """openrouter_rankings' CSV is verified against its manifest and stamped with the snapshot date."""
    rows = [
        "2026-10-07,deepseek/deepseek-v4.1-flash-20260910,1,7519183440956,0.5\r\n",
        "2026-10-07,other,,7519183440956,0.5\r\n",
    ]
    body = ("date,model_permaslug,rank,total_tokens,share_of_daily_tokens\r\n" + "".join(rows)).encode()
    (tmp_path / "latest.csv").write_bytes(body)
    manifest = {"dataset": "rankings-daily", "schema_version": "v1", "snapshot_date": "2026-10-08", "row_count": 2,
                "license": {"name": "CC BY 4.0"}, "files": {"csv": {"sha256": hashlib.sha256(body).hexdigest()}}}
    (tmp_path / "latest.manifest.json").write_text(json.dumps(manifest))
    files = [str(tmp_path / "latest.csv"), str(tmp_path / "latest.manifest.json")]
    result = runner.invoke(app, ["parse", "openrouter_rankings", *files])
    assert result.exit_code == 0, result.output
    facts = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [f["as_of"] for f in facts] == ["2026-10-08", "2026-10-08"]
    assert "2 usage facts" in result.stderr
    alone = runner.invoke(app, ["parse", "openrouter_rankings", files[0]])
    assert {json.loads(line)["as_of"] for line in alone.stdout.splitlines() if line.startswith("{")} == {"2026-10-07"}
    (tmp_path / "notes.csv").write_bytes(body)
    refused = runner.invoke(app, ["parse", "openrouter_rankings", str(tmp_path / "notes.csv"), files[1]])
    assert refused.exit_code == 2 and "not capture keys" in refused.output
