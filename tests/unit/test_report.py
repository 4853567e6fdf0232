"""The HTML report: rendered from a small warehouse whose marts have the dbt contracts' columns.

The rows below are a handful of the demo's own numbers (README, "Questions the marts answer"), put in by
hand, so every check says where its value came from. The browser test loads the page in headless Chromium
and is skipped where chromium and chromedriver are not installed.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

# costcurve.demo is imported at collection so its console binds to pytest's capture, not to one test's
from costcurve import charts, report
from costcurve import demo as demo_module
from costcurve.cli import app

MARTS_YML = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts" / "_models.yml"
LAST_DAY = date(2026, 8, 21)
CHARTS = ["cost_curve_index", "price_deflation", "frontier_open_gap", "deflation_by_capability",
          "open_weight_share", "capex"]
TABLES = ["price_changes", "source_disagreements"]


def mart_columns() -> dict[str, dict[str, str]]:
    """table -> {column: data_type}, from the marts' contracts, so the test follows the real schema."""
    models = yaml.safe_load(MARTS_YML.read_text())["models"]
    return {m["name"]: {c["name"]: c["data_type"] for c in m["columns"]} for m in models}


def _default(data_type: str):
    if data_type.startswith("decimal"):
        return Decimal("1")
    return {"varchar": "x", "date": LAST_DAY, "integer": 1, "bigint": 1, "boolean": False,
            "double": 1.0}.get(data_type)


def insert(con, columns, table: str, **values) -> None:
    cols = columns[table]
    row = {c: values.pop(c) if c in values else _default(t) for c, t in cols.items()}
    assert not values, f"not columns of {table}: {sorted(values)}"
    con.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def build(path: Path, skip: tuple[str, ...] = ()) -> Path:
    """A published copy with known mart rows; the tables in ``skip`` are not created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    columns = mart_columns()
    for table, cols in columns.items():
        if table not in skip:
            con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in cols.items())})")

    def add(table, **values):
        if table not in skip:
            insert(con, columns, table, **values)

    base = date(2024, 4, 1)
    for group, value in (("all", 87.7), ("frontier_closed", 66.9), ("open_weight", 74.3)):
        for day, index in ((base, 100.0), (LAST_DAY, value)):
            add("mart_cost_curve_index", index_group=group, measure="blended", day=day, base_date=base,
                index_value=index, series_matched=4)
        add("mart_cost_curve_index", index_group=group, measure="input", day=LAST_DAY, base_date=base,
            index_value=1234.5)  # another measure: never drawn
    # mistral-small at Mistral: +66.7% on 90 days, 0% on the year (README)
    add("mart_price_deflation", as_of_date=LAST_DAY, seller_id="mistral", model_id="mistral/mistral-small",
        measure="blended", capability_tier="mid", usd_per_mtok=Decimal("0.15"), change_90d_pct=66.7,
        change_365d_pct=0.0)
    # cerebras' gpt-oss-120b: +25% on both (a small-tier model whose price moved: shown);
    # an unchanged small model is not a headline model (left out)
    add("mart_price_deflation", as_of_date=LAST_DAY, seller_id="cerebras", model_id="openai/gpt-oss-120b",
        measure="blended", capability_tier="small", change_90d_pct=25.0, change_365d_pct=25.0)
    add("mart_price_deflation", as_of_date=LAST_DAY, seller_id="x", model_id="small/unchanged",
        measure="blended", capability_tier="small", change_90d_pct=0.0, change_365d_pct=0.0)
    # claude-opus-5 at 10 over kimi-k3 at 6 = 1.67 on 2026-08-21; 2.62 on 2026-07-01 (README)
    for day, ratio in ((date(2026, 7, 1), 2.62), (LAST_DAY, 1.67)):
        add("mart_frontier_open_gap", day=day, measure="blended", frontier_closed_model_id="anthropic/claude-opus-5",
            frontier_open_model_id="moonshot/kimi-k3", gap_ratio=ratio, best_open_model_id="moonshot/kimi-k3",
            best_open_ratio=ratio)
    # AA index 20+: fell 46.8x a year (95% interval 2.9 to 743, 5 record lows since 2024-12-17) (README)
    for day, usd in ((date(2024, 12, 17), "2.5"), (LAST_DAY, "0.0735")):
        add("mart_price_deflation_by_capability", index_source_id="token_tariff",
            index_benchmark="Artificial Analysis Intelligence Index", threshold=20, day=day,
            cheapest_usd_per_mtok=Decimal(usd), cheapest_model_id="m", fit_points=5,
            fit_first_day=date(2024, 12, 17), annual_decline_factor=46.8, annual_decline_factor_low=2.9,
            annual_decline_factor_high=743.0)
    citation = "Source: OpenRouter (openrouter.ai/rankings), as of 2026-08-08"
    for day, point, lower, upper in ((date(2026, 8, 6), "0.636", "0.407", "0.767"),
                                     (date(2026, 8, 7), "0.600", "0.400", "0.700")):
        for grain in ("day", "week"):
            add("mart_open_weight_share", period_grain=grain, period_start=day, period_end=day,
                share_point=Decimal(point), share_lower=Decimal(lower), share_upper=Decimal(upper),
                threshold=Decimal("0.25"), threshold_verdict="above", as_of=date(2026, 8, 8), is_partial=False,
                measurement_base="openrouter: tokens routed through OpenRouter", citation=citation,
                source_id="openrouter_rankings")
    # mart_capex_total 2026Q1 and Q2 as the demo has them; 2017Q3 incomplete (not drawn)
    for year, quarter, capex, ttm, run_rate, complete in (
            (2017, 3, None, None, None, False),
            (2026, 1, "148385000000.00", "482149000000.00", "593540000000.00", True),
            (2026, 2, "181543000000.00", "566366000000.00", "726172000000.00", True)):
        add("mart_capex_total", calendar_year=year, calendar_quarter=quarter, calendar_label=f"{year}Q{quarter}",
            companies="AMZN,GOOGL,META,MSFT,ORCL", is_complete=complete,
            capex_usd=None if capex is None else Decimal(capex), ttm_capex_usd=None if ttm is None else Decimal(ttm),
            run_rate_usd=None if run_rate is None else Decimal(run_rate), base_year=2024,
            run_rate_x_base_year=Decimal("3.0373"), is_latest_complete_quarter=quarter == 2 and year == 2026)
    # 21 standard-tier changes on 21 days (the oldest falls off the top 20) and one batch-tier change
    for k in range(21):
        add("fct_price_changes", price_change_id=f"c{k}", seller_id="anthropic", model_id=f"model-{k:02d}",
            token_type="input", service_tier="standard", context_band="all", currency="USD",
            old_price_per_mtok=Decimal("1"), new_price_per_mtok=Decimal("0.8"), change_pct=Decimal("-20"),
            effective_date=date(2026, 8, 1 + k))
    add("fct_price_changes", price_change_id="batch", seller_id="openai", model_id="batch-model",
        service_tier="batch", effective_date=LAST_DAY)
    add("mart_source_reconciliation", reconciliation_id="r1", seller_id="deepseek",
        model_id="deepseek/deepseek-v4-pro", token_type="cache_read", is_current=True, is_disagreement=True,
        consensus_price_per_mtok=Decimal("0.003625"), spread_pct=Decimal("3900"), compared_to=None)
    add("mart_source_reconciliation", reconciliation_id="r2", seller_id="agreeing", model_id="agree/model",
        is_current=True, is_disagreement=False, spread_pct=Decimal("1"), compared_to=None)
    con.close()
    return path


@pytest.fixture
def published(tmp_path) -> Path:
    return build(tmp_path / "published" / "costcurve.duckdb")


@pytest.fixture
def rendered(published, tmp_path):
    out = tmp_path / "reports" / "report.html"
    run = report.write_report(published, out)
    return run, out, out.read_text(encoding="utf-8")


def plot(page: str, name: str) -> tuple[list[dict], dict]:
    """The traces and layout of chart ``name``: the JSON passed to Plotly.newPlot for its div."""
    start = re.search(rf'Plotly\.newPlot\(\s*"chart-{name}",\s*', page).end()
    decoder = json.JSONDecoder()
    data, end = decoder.raw_decode(page, start)
    layout, _ = decoder.raw_decode(page, re.compile(r",\s*").match(page, end).end())
    return data, layout


def traces(page: str, name: str) -> list[dict]:
    return plot(page, name)[0]


def test_the_page_is_self_contained(rendered):
    run, out, page = rendered
    assert run.skipped == {}
    assert not re.search(r"<(script|img|iframe)[^>]*\bsrc=", page, re.I)  # plotly.js is inline
    assert not re.search(r"<link[^>]*\bhref=", page, re.I)
    assert page.count("Plotly.newPlot(") == len(CHARTS)
    from plotly.offline import get_plotlyjs

    bundle = get_plotlyjs()
    assert page.count(bundle) == 1 and f"<script>{bundle}</script>" in page  # embedded once, inline


def test_each_chart_holds_its_mart_rows(rendered):
    _, _, page = rendered
    index = {t["name"]: t["y"] for t in traces(page, "cost_curve_index")}
    assert index == {"all": [100.0, 87.7], "frontier_closed": [100.0, 66.9], "open_weight": [100.0, 74.3]}
    assert "100 on 2024-04-01" in page
    title = plot(page, "cost_curve_index")[1]["title"]["text"]  # the figure names its mart and date itself
    assert title.endswith("(100 on 2024-04-01)<br><sup>mart_cost_curve_index, as of 2026-08-21</sup>")

    bars = {t["name"]: (t["y"], t["x"]) for t in traces(page, "price_deflation")}
    # ordered by the year's change: 0.0 (mistral) before 25.0 (cerebras)
    labels = ["mistral/mistral-small @ mistral (mid)", "openai/gpt-oss-120b @ cerebras (small)"]
    assert bars == {"90 days": (labels, [66.7, 25.0]), "365 days": (labels, [0.0, 25.0])}

    gap = {t["name"].split(":")[0]: t["y"] for t in traces(page, "frontier_open_gap")}
    assert gap == {"gap_ratio": [2.62, 1.67], "best_open_ratio": [2.62, 1.67]}

    (cheapest,) = traces(page, "deflation_by_capability")
    assert cheapest["y"] == [2.5, 0.0735]
    assert cheapest["name"] == ("Artificial Analysis Intelligence Index 20+: falls 46.8x a year "
                                "(5 record lows, 95% 2.9 to 743)")

    share = {t["name"].split(" ")[0]: t["y"] for t in traces(page, "open_weight_share")}
    # shares in percent: 0.636 -> 63.6, 0.407 -> 40.7, 0.767 -> 76.7; the 25% line on both days
    assert share == {"share_point": [63.6, 60.0], "share_lower": [40.7, 40.0], "share_upper": [76.7, 70.0],
                     "threshold": [25.0, 25.0]}
    assert "measurement base: openrouter: tokens routed through OpenRouter" in page
    assert "Source: OpenRouter (openrouter.ai/rankings), as of 2026-08-08 (CC BY 4.0)" in page

    capex = {t["name"]: (t["x"], t["y"]) for t in traces(page, "capex")}
    # USD bn: 148,385,000,000 / 1e9 = 148.385; 181,543,000,000 / 1e9 = 181.543 (2017Q3 is incomplete)
    assert capex["capex_usd (quarter)"] == (["2026Q1", "2026Q2"], [148.385, 181.543])
    assert capex["ttm_capex_usd"][1] == [482.149, 566.366]
    assert capex["run_rate_usd"][1] == [593.54, 726.172]
    assert "2026Q2 (latest complete quarter)" in page and "SEC EDGAR" in page


def test_tables_hold_the_latest_changes_and_the_disagreements(rendered):
    _, out, page = rendered
    changes = list(csv.DictReader((out.parent / "report_data" / "price_changes.csv").open()))
    # 21 standard changes on 2026-08-01 .. 2026-08-21: the top 20 stop at 2026-08-02; batch is left out
    assert len(changes) == 20
    assert changes[0]["effective_date"] == "2026-08-21" and changes[-1]["effective_date"] == "2026-08-02"
    assert "batch-model" not in page and "model-00" not in page and "model-20" in page
    assert changes[0]["new_price_per_mtok"] == "0.8"  # money as published, not 0.800000000000000000
    assert "deepseek/deepseek-v4-pro" in page and "agree/model" not in page


def test_headlines_are_printed_at_the_top(rendered):
    _, _, page = rendered
    top = page[:page.index('id="cost_curve_index"')]
    # run-rate 726,172,000,000 / 1e9 = 726.2 bn a year (headlines.py formats it)
    assert "$726.2 bn a year (2026Q2 x 4" in top and "mart_capex_total" in top


def test_every_link_is_a_file_whose_csv_is_the_result_of_its_sql(rendered, published):
    _, out, page = rendered
    links = re.findall(r'href="(report_data/[^"]+)"', page)
    assert sorted(links) == sorted(f"report_data/{n}.{ext}" for n in CHARTS + TABLES for ext in ("sql", "csv"))
    con = duckdb.connect(str(published), read_only=True)
    for name in CHARTS + TABLES:
        sql = (out.parent / f"report_data/{name}.sql").read_text()
        cursor = con.execute(sql)
        expected = [[d[0] for d in cursor.description], *cursor.fetchall()]
        with (out.parent / f"report_data/{name}.csv").open() as f:
            got = list(csv.reader(f))
        assert got[0] == expected[0], name
        assert len(got) == len(expected) and len(got) > 1, name
        for want, row in zip(expected[1:], got[1:], strict=True):
            assert all(_same(v, text) for v, text in zip(want, row, strict=True)), (name, want, row)


def _same(value, text: str) -> bool:
    """The CSV's text is the query's value (parsed back independently of the report's formatting)."""
    if value is None:
        return text == ""
    if isinstance(value, Decimal):
        return Decimal(text) == value
    if isinstance(value, bool):
        return text == str(value)
    if isinstance(value, float | int):
        return float(text) == value
    if isinstance(value, date):
        return date.fromisoformat(text) == value
    return text == value


def test_a_missing_mart_says_so_and_the_rest_still_render(published, tmp_path):
    out = tmp_path / "r" / "report.html"
    report.write_report(published, out)  # a full report first: its capex.csv must not outlive the mart
    older = build(tmp_path / "p" / "costcurve.duckdb", skip=("mart_capex_total",))
    run = report.write_report(older, out)
    assert set(run.skipped) == {"capex"} and "mart_capex_total is missing" in run.skipped["capex"]
    page = run.path.read_text()
    assert "No data: mart_capex_total is missing" in page
    assert page.count("Plotly.newPlot(") == len(CHARTS) - 1
    assert not (out.parent / "report_data" / "capex.csv").exists()
    assert 'href="report_data/capex.csv"' not in page and 'href="report_data/capex.sql"' in page


def test_a_failing_headline_leaves_the_charts(published, tmp_path):
    con = duckdb.connect(str(published))
    con.execute("ALTER TABLE mart_capex_total DROP COLUMN run_rate_x_base_year")  # the headline reads it
    con.close()
    run = report.write_report(published, tmp_path / "report.html")
    page = run.path.read_text()
    assert "Headlines not read:" in page and "run_rate_x_base_year" in page
    assert page.count("Plotly.newPlot(") == len(CHARTS)


def test_cli_writes_the_report_and_prints_its_path(published, tmp_path, monkeypatch):
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(published))
    out = tmp_path / "elsewhere" / "report.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out) and out.exists()
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(tmp_path / "nowhere.duckdb"))
    missing = CliRunner().invoke(app, ["report", "--out", str(out)])
    assert missing.exit_code == 1 and "make demo" in missing.output


def test_the_demo_summary_survives_a_report_failure(tmp_path, monkeypatch):
    import io
    from types import SimpleNamespace

    from rich.console import Console

    def boom(*args, **kwargs):
        raise RuntimeError("no plotly")

    monkeypatch.setattr(report, "write_report", boom)
    monkeypatch.setattr(charts, "write_charts", lambda *a, **k: [])
    live = tmp_path / "costcurve.duckdb"
    duckdb.connect(str(live)).close()
    settings = SimpleNamespace(warehouse=live, published=live, archive=tmp_path / "archive")
    printed = io.StringIO()
    monkeypatch.setattr(demo_module, "console", Console(file=printed, width=200))
    demo_module._print_summary(settings, [], [])  # returns: the report's failure is a warning only
    assert "warning: report not written: RuntimeError: no plotly" in printed.getvalue()


def test_the_demo_summary_names_the_report(published, tmp_path, monkeypatch):
    import io
    from types import SimpleNamespace

    from rich.console import Console

    monkeypatch.setattr(charts, "write_charts", lambda *a, **k: [])
    settings = SimpleNamespace(warehouse=tmp_path / "costcurve.duckdb", published=published, archive=tmp_path)
    duckdb.connect(str(settings.warehouse)).close()
    printed = io.StringIO()
    monkeypatch.setattr(demo_module, "console", Console(file=printed, width=400))
    demo_module._print_summary(settings, [], [])
    page = tmp_path / "reports" / "report.html"
    assert f"report: {page}" in printed.getvalue() and page.exists()


# --------------------------------------------------------------------------------------- a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.mark.integration
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                    reason="headless Chromium needs the Debian packages chromium and chromium-driver "
                           "(apt-get install -y chromium chromium-driver); not installed here")
def test_the_report_renders_in_headless_chromium(rendered, tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    _, out, _ = rendered
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000"):
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(out.resolve().as_uri())
        drawn = """return Array.from(document.querySelectorAll('.js-plotly-plot'))
                     .filter(d => d.querySelector('svg.main-svg') && d.querySelectorAll('.trace').length > 0)
                     .map(d => d.id)"""
        WebDriverWait(driver, 60).until(lambda d: len(d.execute_script(drawn)) == len(CHARTS))
        assert sorted(driver.execute_script(drawn)) == sorted(f"chart-{n}" for n in CHARTS)
        assert driver.execute_script("return document.querySelectorAll('table.data tr').length") == 1 + 20 + 1 + 1
        severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert severe == []
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1280, min(height, 12000))
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 0
        print(f"screenshot: {shot}")
    finally:
        driver.quit()
