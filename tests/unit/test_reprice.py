"""`costcurve reprice` as a buyer runs it: a usage CSV against a small real DuckDB published copy.

The warehouse holds the tables the command reads with the columns the real marts have (fct_market_prices,
dim_models, intermediate.int_model_identity, seeds.providers, seeds.seller_aliases). Its models, sellers and
prices are test fixtures with placeholder names (`maker/model-a`, `host-1`), not market facts; every
expected cost below is worked out by hand from them.

Fixture prices (USD per 1M tokens, standard tier, context band `all`, text, unless noted):
    maker/model-a @ maker   input 1.00 [2025-01-01, 2025-06-01), then 0.80; output 5.00, then 4.00;
                            cache_read 0.10 from 2025-01-01; decoys: batch input 0.40, `>200k` input 0.50
    maker/model-a @ host-1  input 0.70, output 4.00 from 2025-03-01 (no cache_read price)
    maker/model-b @ maker   input 0.25, output 1.25, cache_read 0.03 from 2025-01-01
    openco/model-c @ host-1 input 0.20, output 0.60 from 2025-01-01
    openco/model-c @ host-2 input 0.10, output 0.50 from 2025-02-01 (openco sells none itself)
Tiers (only when the test asks for the column): model-a and model-b `mid`, model-c `small`.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from costcurve.cli import app

runner = CliRunner()

PRICES = [  # seller, model, token_type, service_tier, context_band, usd_per_mtok, valid_from, valid_to
    ("maker", "maker/model-a", "input", "standard", "all", "1.00", "2025-01-01", "2025-06-01"),
    ("maker", "maker/model-a", "input", "standard", "all", "0.80", "2025-06-01", None),
    ("maker", "maker/model-a", "output", "standard", "all", "5.00", "2025-01-01", "2025-06-01"),
    ("maker", "maker/model-a", "output", "standard", "all", "4.00", "2025-06-01", None),
    ("maker", "maker/model-a", "cache_read", "standard", "all", "0.10", "2025-01-01", None),
    ("maker", "maker/model-a", "input", "batch", "all", "0.40", "2025-01-01", None),
    ("maker", "maker/model-a", "input", "standard", ">200k", "0.50", "2025-01-01", None),
    ("host-1", "maker/model-a", "input", "standard", "all", "0.70", "2025-03-01", None),
    ("host-1", "maker/model-a", "output", "standard", "all", "4.00", "2025-03-01", None),
    ("maker", "maker/model-b", "input", "standard", "all", "0.25", "2025-01-01", None),
    ("maker", "maker/model-b", "output", "standard", "all", "1.25", "2025-01-01", None),
    ("maker", "maker/model-b", "cache_read", "standard", "all", "0.03", "2025-01-01", None),
    ("host-1", "openco/model-c", "input", "standard", "all", "0.20", "2025-01-01", None),
    ("host-1", "openco/model-c", "output", "standard", "all", "0.60", "2025-01-01", None),
    ("host-2", "openco/model-c", "input", "standard", "all", "0.10", "2025-02-01", None),
    ("host-2", "openco/model-c", "output", "standard", "all", "0.50", "2025-02-01", None),
]
MODELS = [("maker/model-a", "maker", "mid"), ("maker/model-b", "maker", "mid"), ("openco/model-c", "openco", "small")]
NAMES = [  # source_id, provider_id, name, base, canonical_model_id, valid_from, valid_to
    ("src", "maker", "Model-A-Latest", "model-a", "maker/model-a", None, None),
    ("src", "maker", "model-b-2025", "model-b", "maker/model-b", None, None),
    ("src", "host-1", "openco/model-c-instruct", "model-c", "openco/model-c", None, None),
    # an alias whose seller moved it from model-a to model-b on 2025-06-01
    ("src", "maker", "model-flagship", "model-flagship", "maker/model-a", None, "2025-06-01"),
    ("src", "maker", "model-flagship", "model-flagship", "maker/model-b", "2025-06-01", None),
    # one name two hosts use for different models
    ("src", "host-1", "shared-name", "shared-name", "maker/model-a", None, None),
    ("src", "host-2", "shared-name", "shared-name", "openco/model-c", None, None),
]

SCHEMA = """
CREATE SCHEMA intermediate; CREATE SCHEMA seeds;
CREATE TABLE fct_market_prices (
    market_price_id VARCHAR, seller_id VARCHAR, model_id VARCHAR, token_type VARCHAR, service_tier VARCHAR,
    context_band VARCHAR, modality VARCHAR, currency VARCHAR, price_per_mtok DECIMAL(38, 18),
    usd_per_mtok DECIMAL(38, 18), valid_from DATE, valid_to DATE, is_current BOOLEAN, valid_from_basis VARCHAR,
    price_basis VARCHAR, sources_agreeing INTEGER, sources_listing INTEGER, source_ids VARCHAR,
    last_observed_date DATE);
CREATE TABLE dim_models (
    model_id VARCHAR, creator VARCHAR, model_family VARCHAR, model_name VARCHAR, release_date DATE,
    open_weights BOOLEAN, open_weights_basis VARCHAR, hugging_face_id VARCHAR, context_length BIGINT,
    name_count INTEGER, first_seen_date DATE, last_seen_date DATE);
CREATE TABLE intermediate.int_model_identity (
    source_id VARCHAR, provider_id VARCHAR, name VARCHAR, model_name VARCHAR, base VARCHAR, creator VARCHAR,
    creator_basis VARCHAR, canonical_model_id VARCHAR, match_rule VARCHAR, valid_from DATE, valid_to DATE,
    first_seen_date DATE, last_seen_date DATE, price_rows BIGINT);
CREATE TABLE seeds.providers (provider_id VARCHAR, provider_name VARCHAR, is_first_party BOOLEAN);
CREATE TABLE seeds.seller_aliases (alias VARCHAR, provider_id VARCHAR);
"""


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    """Build the published copy; ``warehouse(tiers=True)`` adds dim_models.capability_tier."""

    def build(tiers: bool = False) -> Path:
        path = tmp_path / "published" / "costcurve.duckdb"
        path.parent.mkdir(exist_ok=True)
        con = duckdb.connect(str(path))
        con.execute(SCHEMA)
        for n, (seller, model, token_type, tier, band, price, start, end) in enumerate(PRICES):
            con.execute(
                "INSERT INTO fct_market_prices VALUES (?, ?, ?, ?, ?, ?, 'text', 'USD', ?, ?, ?, ?, ?, "
                "'effective', 'seller_list', 1, 1, 'src', ?)",
                [str(n), seller, model, token_type, tier, band, price, price, start, end, end is None, start],
            )
        for model_id, creator, _ in MODELS:
            con.execute("INSERT INTO dim_models (model_id, creator, model_name, name_count) VALUES (?, ?, ?, 1)",
                        [model_id, creator, model_id.split("/")[1]])
        for row in NAMES:
            con.execute("INSERT INTO intermediate.int_model_identity (source_id, provider_id, name, base, "
                        "canonical_model_id, valid_from, valid_to, match_rule) VALUES (?, ?, ?, ?, ?, ?, ?, 'rule')",
                        list(row))
        con.execute("INSERT INTO seeds.providers VALUES ('maker', 'Maker', true), ('host-1', 'Host 1', false), "
                    "('host-2', 'Host 2', false), ('openco', 'OpenCo', true)")
        con.execute("INSERT INTO seeds.seller_aliases VALUES ('host_one', 'host-1')")
        if tiers:
            con.execute("ALTER TABLE dim_models ADD COLUMN capability_tier VARCHAR")
            for model_id, _, tier in MODELS:
                con.execute("UPDATE dim_models SET capability_tier = ? WHERE model_id = ?", [tier, model_id])
        con.close()
        monkeypatch.setenv("COSTCURVE_PUBLISHED", str(path))
        return path

    return build


def usage_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "usage.csv"
    path.write_text(text)
    return str(path)


def as_json(*args: str) -> dict:
    result = runner.invoke(app, ["reprice", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


PROFILE = (
    "model,seller,month,input,output\n"
    "Model-A-Latest,,2025-03,2000000,500000\n"   # a name a source uses, creator's own list
    "model-c,,2025-03,1000000,1000000\n"         # the normalised base; openco sells none itself
)


def test_a_past_month_is_priced_at_its_prices_and_today_at_the_current_ones(warehouse, tmp_path):
    warehouse()
    out = as_json(usage_file(tmp_path, PROFILE))
    a, c = out["rows"]
    assert (a["model_id"], a["resolved_by"], a["seller_id"], a["seller_basis"], a["priced_on"]) == (
        "maker/model-a", "source_name", "maker", "creator", "2025-03-01")
    # 2025-03-01 at maker: 2,000,000 x $1.00/M + 500,000 x $5.00/M = 2.00 + 2.50 = $4.50
    assert Decimal(a["cost_at_date"]) == Decimal("4.50")
    # today at maker: 2,000,000 x $0.80/M + 500,000 x $4.00/M = 1.60 + 2.00 = $3.60 (batch 0.40 and >200k 0.50 ignored)
    assert Decimal(a["cost_today"]) == Decimal("3.60")
    assert a["pct_today"] == "-20.0"  # (3.60 - 4.50) / 4.50 = -20.0%
    # cheapest seller today, host-1: 2,000,000 x $0.70/M + 500,000 x $4.00/M = 1.40 + 2.00 = $3.40
    assert (a["cheapest_seller_id"], Decimal(a["cost_cheapest_seller"])) == ("host-1", Decimal("3.40"))
    assert a["pct_cheapest_seller"] == "-24.4"  # (3.40 - 4.50) / 4.50 = -24.44%
    # model-c: openco sells none, so the cheapest seller on 2025-03-01: host-2 1,000,000 x $0.10/M +
    # 1,000,000 x $0.50/M = $0.60 (host-1 would be 0.20 + 0.60 = $0.80)
    assert (c["model_id"], c["resolved_by"], c["seller_id"], c["seller_basis"]) == (
        "openco/model-c", "normalised_name", "host-2", "cheapest_on_date")
    assert Decimal(c["cost_at_date"]) == Decimal(c["cost_today"]) == Decimal("0.60")
    total = out["total"]
    # 4.50 + 0.60 = 5.10 at the date; 3.60 + 0.60 = 4.20 today; 3.40 + 0.60 = 4.00 at the cheapest sellers
    assert [Decimal(total[k]) for k in ("cost_at_date", "cost_today", "cost_cheapest_seller")] == [
        Decimal("5.10"), Decimal("4.20"), Decimal("4.00")]
    assert total["pct_today"] == "-17.6"  # (4.20 - 5.10) / 5.10 = -17.65%
    assert (total["input"], total["output"]) == (3_000_000, 1_500_000)


def test_at_overrides_the_month_and_a_change_date_has_the_new_price(warehouse, tmp_path):
    warehouse()
    path = usage_file(tmp_path, PROFILE)
    before = as_json(path, "--at", "2025-05-31")["rows"][0]
    on_change = as_json(path, "--at", "2025-06-01")["rows"][0]
    assert before["priced_on"] == "2025-05-31" and Decimal(before["cost_at_date"]) == Decimal("4.50")
    # valid_from <= day < valid_to: on 2025-06-01 the new prices hold, 1.60 + 2.00 = $3.60
    assert Decimal(on_change["cost_at_date"]) == Decimal("3.60") and on_change["pct_today"] == "0.0"


def test_a_row_without_month_is_priced_today(warehouse, tmp_path):
    warehouse()
    row = as_json(usage_file(tmp_path, "model,input,output\nmaker/model-a,1000000,1000000\n"))["rows"][0]
    # exact canonical id; today at maker: 1,000,000 x $0.80/M + 1,000,000 x $4.00/M = $4.80
    assert row["resolved_by"] == "canonical_id"
    assert Decimal(row["cost_at_date"]) == Decimal(row["cost_today"]) == Decimal("4.80")


def test_cheapest_seller_must_price_every_token_type_used(warehouse, tmp_path):
    warehouse()
    out = as_json(usage_file(tmp_path, "model,seller,month,input,output,cache_read\n"
                                       "maker/model-a,HOST_ONE,2025-07,1000000,0,1000000\n"))
    row = out["rows"][0]
    assert row["seller_id"] == "host-1"  # through seeds.seller_aliases, case-insensitive
    assert row["cost_at_date"] is None and "host-1 lists no cache_read price" in row["notes"]
    # host-1 has no cache_read price, so only maker: 1,000,000 x $0.80/M + 1,000,000 x $0.10/M = $0.90
    assert (row["cheapest_seller_id"], Decimal(row["cost_cheapest_seller"])) == ("maker", Decimal("0.90"))
    assert out["total"]["cost_at_date"] is None and "at_date: 1 of 1 rows unpriced" in out["total"]["notes"]


def test_without_capability_tier_the_same_tier_price_is_unavailable_with_the_reason(warehouse, tmp_path):
    warehouse(tiers=False)
    out = as_json(usage_file(tmp_path, PROFILE))
    assert all(r["cost_cheapest_tier"] is None and "no capability_tier column" in r["notes"] for r in out["rows"])
    assert out["total"]["cost_cheapest_tier"] is None
    screen = runner.invoke(app, ["reprice", usage_file(tmp_path, PROFILE)])
    assert screen.exit_code == 0 and "no capability_tier column" in screen.stdout


def test_with_capability_tier_the_cheapest_same_tier_model_prices_the_row(warehouse, tmp_path):
    warehouse(tiers=True)
    out = as_json(usage_file(tmp_path, PROFILE))
    a, c = out["rows"]
    # tier mid: model-b at maker 2,000,000 x $0.25/M + 500,000 x $1.25/M = 0.50 + 0.625 = $1.125
    # (model-a's cheapest is $3.40)
    assert (a["capability_tier"], a["cheapest_tier_model_id"], a["cheapest_tier_seller_id"]) == ("mid", "maker/model-b", "maker")
    assert Decimal(a["cost_cheapest_tier"]) == Decimal("1.125")
    assert a["pct_cheapest_tier"] == "-75.0"  # (1.125 - 4.50) / 4.50 = -75.0%
    # tier small holds model-c alone: host-2 at $0.60; total 1.125 + 0.60 = $1.725
    assert (c["cheapest_tier_model_id"], Decimal(c["cost_cheapest_tier"])) == ("openco/model-c", Decimal("0.60"))
    assert Decimal(out["total"]["cost_cheapest_tier"]) == Decimal("1.725")


def test_screen_table_shows_rows_and_total_in_cents(warehouse, tmp_path):
    warehouse(tiers=True)
    result = runner.invoke(app, ["reprice", usage_file(tmp_path, PROFILE)])
    assert result.exit_code == 0, result.output
    for shown in ("$4.50", "$3.60", "$3.40", "$1.12", "-20.0%", "total", "$5.10", "$4.20", "$4.00", "$1.72"):
        assert shown in result.stdout, shown  # 1.125 and 1.725 round half to even: $1.12, $1.72


def test_csv_goes_to_stdout_or_out_with_every_column(warehouse, tmp_path):
    warehouse()
    path = usage_file(tmp_path, PROFILE)
    result = runner.invoke(app, ["reprice", path, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["line"] for r in rows] == ["2", "3", "total"]
    assert {"model_id", "seller_id", "input", "output", "cost_at_date", "cost_today", "cost_cheapest_seller",
            "cost_cheapest_tier", "pct_today", "notes"} <= set(rows[0])
    assert rows[-1]["cost_at_date"] == "5.1"  # 4.50 + 0.60, written exactly
    out = tmp_path / "repriced.csv"
    written = runner.invoke(app, ["reprice", path, "--format", "csv", "--out", str(out)])
    assert written.exit_code == 0 and out.read_text() == result.stdout


@pytest.mark.parametrize(("text", "message"), [
    ("model,input,output\nModel-A-Latest,100,-5\n", "line 2, column 'output': negative token count -5"),
    ("model,input,output\nModel-A-Latest,100,5\nModel-A-Latest,1.5,5\n",
     "line 3, column 'input': not a whole number of tokens: '1.5'"),
    ("model,input,output\nModel-A-Latest,1e6,5\n", "line 2, column 'input': not a whole number of tokens: '1e6'"),
    ("model,seller,input,output,tokens\nModel-A-Latest,,1,1,1\n", "line 1: unknown column 'tokens'"),
    ("name,input,output\nModel-A-Latest,1,1\n", "line 1: unknown column 'name'"),
    ("seller,input,output\nmaker,1,1\n", "line 1: missing column 'model'"),
    ("model,input\nModel-A-Latest,1\n", "line 1: missing column 'output'"),
    ("model,month,input,output\nModel-A-Latest,2025-3,1,1\n", "line 2, column 'month': not a month in YYYY-MM form"),
])
def test_a_malformed_file_gives_one_error_line_with_line_and_column(warehouse, tmp_path, text, message):
    warehouse()
    result = runner.invoke(app, ["reprice", usage_file(tmp_path, text)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_model_is_named_with_close_names(warehouse, tmp_path):
    warehouse()
    result = runner.invoke(app, ["reprice", usage_file(tmp_path, "model,input,output\nModel-A-Lates,1,1\nmodel-b-2025,1,1\n")])
    assert result.exit_code == 2
    assert "line 2: unknown model 'Model-A-Lates'; close names: model-a-latest" in result.stderr
    assert "line 3" not in result.stderr  # the second row resolves


def test_an_alias_resolves_to_what_it_meant_in_the_row_s_month(warehouse, tmp_path):
    warehouse()
    rows = as_json(usage_file(tmp_path, "model,month,input,output\nmodel-flagship,2025-03,1,1\n"
                                        "model-flagship,2025-07,1,1\n"))["rows"]
    assert [r["model_id"] for r in rows] == ["maker/model-a", "maker/model-b"]


def test_a_name_two_sellers_use_differently_needs_the_seller(warehouse, tmp_path):
    warehouse()
    result = runner.invoke(app, ["reprice", usage_file(tmp_path, "model,input,output\nshared-name,1,1\n")])
    assert result.exit_code == 2
    assert "line 2: ambiguous model 'shared-name'" in result.stderr and "maker/model-a, openco/model-c" in result.stderr
    row = as_json(usage_file(tmp_path, "model,seller,input,output\nshared-name,host-2,1000000,0\n"))["rows"][0]
    # host-2's name: openco/model-c, 1,000,000 x $0.10/M = $0.10
    assert (row["model_id"], Decimal(row["cost_today"])) == ("openco/model-c", Decimal("0.10"))


def test_an_unknown_seller_is_named(warehouse, tmp_path):
    warehouse()
    result = runner.invoke(app, ["reprice", usage_file(tmp_path, "model,seller,input,output\nmaker/model-a,host-3,1,1\n")])
    assert result.exit_code == 2 and "line 2: unknown seller 'host-3'; close names: " in result.stderr
    assert "host-1" in result.stderr and "host-2" in result.stderr


def test_without_a_published_copy_it_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(tmp_path / "nowhere" / "costcurve.duckdb"))
    result = runner.invoke(app, ["reprice", usage_file(tmp_path, PROFILE)])
    assert result.exit_code == 1 and "make demo" in result.stderr
