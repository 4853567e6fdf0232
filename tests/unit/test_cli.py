"""The `costcurve` command as a user types it (typer's runner, real files, a real DuckDB copy)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
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


# --- user errors: one line on stderr, a non-zero exit, no traceback (issue 12) ---------------------------


@pytest.fixture
def published(tmp_path, monkeypatch) -> Path:
    """A published copy with 250 prices: 250 rows is more than a table's 200, and money stored as
    DECIMAL(38, 18) the way the marts store it (25 reads back as 25.000000000000000000)."""
    path = tmp_path / "published" / "costcurve.duckdb"
    path.parent.mkdir()
    con = duckdb.connect(str(path))
    con.execute("""CREATE TABLE prices AS
                   SELECT 'm' || i AS model_id,
                          (CASE WHEN i = 0 THEN 0.15 ELSE 25 END)::DECIMAL(38, 18) AS usd_per_mtok,
                          DATE '2025-01-01' + i::INTEGER AS valid_from
                   FROM range(250) r(i)""")
    con.close()
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(path))
    return path


def _one_line_error(result) -> str:
    """The failure a user sees: a non-zero exit, no exception escaping, one line on stderr."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a KeyError, TypeError, ...
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(("args", "says"), [
    (["parse", "nosuch", str(FIXTURES / "anthropic" / "pricing_outer_pipes.md")], "unknown source 'nosuch'"),
    (["parse", "anthropic", "no/such/capture.md"], "does not exist"),
    (["sql", ""], "no statement"),
    (["sql", "-- x"], "no statement"),
    (["sql", "--max-rows", "0", "SELECT 1"], "--max-rows"),
    (["sql", "--max-rows", "-3", "SELECT 1"], "--max-rows"),
    (["sql", "--format", "xml", "SELECT 1"], "'xml' is not one of table, csv, json, parquet"),
    (["sql", "--format", "parquet", "SELECT 1"], "--out"),
    (["run", "--date", "2025-13-01"], "not a date"),
    (["nosuchcommand"], "No such command"),
])
def test_a_user_error_is_one_line_and_a_non_zero_exit(published, args, says):
    assert says in _one_line_error(runner.invoke(app, args))


def test_a_duckdb_error_is_one_line_with_its_context_indented_below(published):
    result = runner.invoke(app, ["sql", "SELECT nosuch FROM prices"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    first, *rest = result.stderr.splitlines()
    assert first.startswith("error: Binder Error") and "nosuch" in first
    assert rest and all(line.startswith("  ") for line in rest)  # "LINE 1: ..." and the caret, indented


def test_debug_shows_the_traceback(published):
    result = runner.invoke(app, ["--debug", "parse", "nosuch", str(FIXTURES / "anthropic" / "pricing_outer_pipes.md")])
    assert isinstance(result.exception, KeyError) and "unknown source 'nosuch'" in str(result.exception)


def test_a_query_may_start_with_a_comment(published):
    result = runner.invoke(app, ["sql", "--format", "csv", "-- the cheapest first\nSELECT model_id FROM prices "
                                 "ORDER BY usd_per_mtok, model_id LIMIT 1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["model_id", "m0"]


# --- costcurve sql: formats, --max-rows, money as published, wide results (issue 12) -------------------


def test_csv_writes_every_row_with_money_as_published(published):
    """The README's `--csv ... > meta.csv` must not stop at the table's 200 rows."""
    for args in (["--csv"], ["--format", "csv"], ["--format", "csv", "--max-rows", "all"]):
        result = runner.invoke(app, ["sql", *args, "SELECT model_id, usd_per_mtok FROM prices ORDER BY valid_from"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) == 1 + 250  # the header and every one of the 250 rows
        assert lines[:3] == ["model_id,usd_per_mtok", "m0,0.15", "m1,25"]  # not 25.000000000000000000
        assert result.stderr == ""


def test_json_is_every_row_with_money_as_exact_numbers(published):
    result = runner.invoke(app, ["sql", "--format", "json", "SELECT * FROM prices ORDER BY valid_from"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout, parse_float=Decimal)
    assert len(rows) == 250
    assert rows[0] == {"model_id": "m0", "usd_per_mtok": Decimal("0.15"), "valid_from": "2025-01-01"}
    assert rows[1]["usd_per_mtok"] == 25 and "\"usd_per_mtok\": 25," in result.stdout  # not 25.000...
    # row 1 is dated 2025-01-01 + 1 day:
    assert rows[1]["valid_from"] == "2025-01-02"
    empty = runner.invoke(app, ["sql", "--format", "json", "SELECT * FROM prices WHERE false"])
    assert json.loads(empty.stdout) == []


def test_a_file_is_never_cut_it_is_refused(published, tmp_path):
    out = tmp_path / "prices.csv"
    for fmt in ("csv", "json", "parquet"):
        target = out.with_suffix(f".{fmt}")
        result = runner.invoke(app, ["sql", "--format", fmt, "--max-rows", "100", "--out", str(target),
                                     "SELECT * FROM prices"])
        assert "more than 100 rows" in _one_line_error(result)
        assert not target.exists() and list(tmp_path.glob("*.part")) == []
    on_stdout = runner.invoke(app, ["sql", "--format", "csv", "--max-rows", "100", "SELECT * FROM prices"])
    assert "more than 100 rows" in _one_line_error(on_stdout) and on_stdout.stdout == ""
    fits = runner.invoke(app, ["sql", "--format", "csv", "--max-rows", "250", "--out", str(out), "SELECT * FROM prices"])
    assert fits.exit_code == 0 and len(out.read_text().splitlines()) == 251 and "wrote 250 rows" in fits.stderr


def test_parquet_keeps_every_row_and_the_decimal_type(published, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "prices.parquet"
    result = runner.invoke(app, ["sql", "--format", "parquet", "--out", str(out), "SELECT * FROM prices"])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 250 and table.schema.field("usd_per_mtok").type == pa.decimal128(38, 18)
    assert sorted(table.column("usd_per_mtok").to_pylist())[0] == Decimal("0.15")


def test_a_cut_table_says_so_below_it_on_stdout(published):
    result = runner.invoke(app, ["sql", "SELECT model_id, usd_per_mtok FROM prices ORDER BY valid_from"])
    assert result.exit_code == 0, result.output
    assert "m199 " in result.stdout and "m200 " not in result.stdout  # rows m0..m199: the first 200
    assert "showing the first 200 of 250 rows" in result.stdout.splitlines()[-1]
    assert "│ 25 " in result.stdout and "25.0" not in result.stdout
    everything = runner.invoke(app, ["sql", "--max-rows", "all", "SELECT model_id FROM prices"])
    assert "m249 " in everything.stdout and "showing" not in everything.output
    few = runner.invoke(app, ["sql", "--max-rows", "3", "SELECT model_id FROM prices ORDER BY valid_from"])
    assert "showing the first 3 of 250 rows" in few.stdout


def test_a_wide_result_fits_the_terminal_and_no_cell_is_cut(published, monkeypatch):
    """The demo's suggested query is six columns whose longest cells add up to 105 characters in a
    100-column terminal: the widest column wraps, every character stays."""
    monkeypatch.setenv("COLUMNS", "100")
    seller = "amazon-bedrock-us-east"  # 22 characters: the widest column, the one that gives way
    query = (f"SELECT '{seller}' AS seller_id, 'cache_write_1h' AS token_type, 0.08::DECIMAL(38, 18) AS "
             "price_per_mtok, DATE '2025-02-06' AS valid_from, DATE '2025-04-09' AS valid_to, "
             "'dataset_consensus' AS price_basis")
    result = runner.invoke(app, ["sql", query])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 100
    for whole in ("cache_write_1h", "price_per_mtok", "2025-02-06", "2025-04-09", "dataset_consensus", "0.08"):
        assert whole in result.stdout
    # 22 + 14 + 14 + 10 + 10 + 17 = 87 characters of cells, + 19 of rules and padding = 106 > 100:
    # seller_id gives up 6 and folds onto a second line, its characters all there
    assert "…" not in result.stdout and seller in "".join(line.split("│")[1].strip() for line in lines if "│" in line)


def test_a_result_too_wide_for_a_table_prints_one_block_per_row(published):
    """Twenty 15-character columns need 20 x (15 + 3) + 1 = 361 characters, more than 200."""
    columns = ", ".join(f"'value-{i:02d}-abcdefg' AS column_{i:02d}" for i in range(20))
    result = runner.invoke(app, ["sql", f"SELECT {columns} FROM range(2)"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("-[ row ") == 2
    assert "column_07 | value-07-abcdefg" in result.stdout and "…" not in result.stdout


def test_backfill_of_an_unknown_source_is_one_line_and_opens_no_warehouse(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse" / "costcurve.duckdb"
    monkeypatch.setenv("COSTCURVE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("COSTCURVE_ARCHIVE", str(tmp_path / "archive"))
    result = runner.invoke(app, ["backfill", "--source", "nosuch", "--no-rebuild"])
    assert "unknown source 'nosuch'" in _one_line_error(result)
    assert not warehouse.exists()
