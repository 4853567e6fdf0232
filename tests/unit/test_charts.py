"""Charts: PNGs drawn from a small warehouse whose marts have the dbt contracts' columns; empty data skips."""

from __future__ import annotations

import io
import struct
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import yaml
from rich.console import Console

from costcurve import charts
from warehouse.connection import analyst, ensure_raw_schema

MARTS_YML = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts" / "_models.yml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
AS_OF = datetime(2026, 11, 20, 6, tzinfo=UTC)


def mart_columns() -> dict[str, dict[str, str]]:
    """table -> {column: data_type}, read from the marts' contracts so the tests follow the real schema."""
    models = yaml.safe_load(MARTS_YML.read_text())["models"]
    return {m["name"]: {c["name"]: c["data_type"] for c in m["columns"]} for m in models}


def default(data_type: str):
    if data_type.startswith("decimal"):
        return Decimal("1")
    return {"varchar": "x", "date": date(2026, 11, 20), "timestamp with time zone": AS_OF, "integer": 1,
            "bigint": 1, "boolean": False}[data_type]


def create_marts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    columns = mart_columns()
    for table, cols in columns.items():
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in cols.items())})")
    ensure_raw_schema(con)  # raw.usage_facts and the other raw tables, as the warehouse has them
    return columns


def insert(con, columns, table: str, **values) -> None:
    cols = columns[table]
    row = {c: values.pop(c) if c in values else default(t) for c, t in cols.items()}
    assert not values, f"not columns of {table}: {sorted(values)}"
    con.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def price(con, columns, source, provider, model, token, usd, valid_from, valid_to=None, **extra) -> None:
    insert(con, columns, "fct_price_history", source_id=source, provider_id=provider, model_id=model,
           token_type=token, service_tier=extra.pop("service_tier", "standard"),
           context_band=extra.pop("context_band", "all"), modality="text", currency=extra.pop("currency", "USD"),
           price_per_mtok=Decimal(usd), usd_per_mtok=Decimal(usd), valid_from=valid_from, valid_to=valid_to,
           is_current=valid_to is None, first_observed_at=AS_OF, last_observed_at=AS_OF,
           price_history_id=f"{source}-{model}-{token}-{valid_from}", **extra)


def market(con, columns, seller, model, token, usd, valid_from, valid_to=None, **extra) -> None:
    insert(con, columns, "fct_market_prices", seller_id=seller, model_id=model, token_type=token,
           service_tier=extra.pop("service_tier", "standard"), context_band=extra.pop("context_band", "all"),
           modality="text", currency=extra.pop("currency", "USD"), price_per_mtok=Decimal(usd),
           usd_per_mtok=Decimal(usd), valid_from=valid_from, valid_to=valid_to, is_current=valid_to is None,
           source_ids=extra.pop("source_ids", seller), last_observed_date=AS_OF.date(),
           market_price_id=f"{seller}-{model}-{token}-{valid_from}", **extra)


def share_day(con, columns, day: date, open_: int, closed: int, unknown: int, other: int, **extra) -> None:
    """A mart_open_weight_share row; the shares are worked out by hand in the caller."""
    insert(con, columns, "mart_open_weight_share", period_grain=extra.pop("period_grain", "day"),
           period_start=day, period_end=day, total_tokens=open_ + closed + unknown + other,
           open_weight_tokens=open_, closed_tokens=closed, unknown_tokens=unknown, other_tokens=other,
           threshold=Decimal("0.25"), as_of=date(2026, 10, 4), source_id="openrouter_rankings",
           measurement_base="openrouter: tokens routed through OpenRouter (top 50 models per day + other)",
           citation="Source: OpenRouter (openrouter.ai/rankings), as of 2026-10-04", **extra)


def fill(con, columns) -> None:
    """Per-source price history, market prices, capex, usage rows and their share mart."""
    # fct_price_history (per source, source names): read by cheapest_by_provider only
    for token, (old, new) in {"input": ("1", "0.8"), "output": ("5", "4")}.items():
        price(con, columns, "litellm_history", "anthropic", "claude-3-5-haiku", token, old, date(2025, 2, 6),
              date(2025, 2, 28))
        price(con, columns, "litellm_history", "anthropic", "claude-3-5-haiku", token, new, date(2025, 2, 28))
        price(con, columns, "anthropic", "anthropic", "claude-3-5-haiku", token, new, date(2026, 11, 18))
    price(con, columns, "deepseek", "deepseek", "deepseek-chat", "output", "0.42", date(2026, 11, 19))
    price(con, columns, "openai", "openai", "gpt-4o-mini", "output", "0.60", date(2026, 11, 18))
    price(con, columns, "openai", "openai", "gpt-4o", "output", "10", date(2026, 11, 18))
    price(con, columns, "openai", "openai", "gpt-4o", "output", "5", date(2026, 11, 18), service_tier="batch")
    price(con, columns, "groq", "groq", "bucket:<4b", "output", "0.10", date(2026, 11, 18))
    price(con, columns, "deepseek_zh", "deepseek", "deepseek-chat", "output", "3", date(2026, 11, 18),
          currency="CNY")

    # fct_market_prices (canonical seller/model series): what price_history draws
    for token, (old, new) in {"input": ("1", "0.8"), "output": ("5", "4")}.items():
        market(con, columns, "anthropic", "anthropic/claude-haiku-3.5", token, old, date(2025, 2, 6),
               date(2025, 2, 28), source_ids="litellm_history")
        market(con, columns, "anthropic", "anthropic/claude-haiku-3.5", token, new, date(2025, 2, 28),
               source_ids="anthropic,litellm_history")
    for token, (old, new) in {"input": ("0.27", "0.28"), "output": ("1.10", "0.42")}.items():
        market(con, columns, "deepseek", "deepseek/deepseek-v3", token, old, date(2025, 2, 8), date(2026, 11, 19),
               source_ids="llm_prices")
        market(con, columns, "deepseek", "deepseek/deepseek-v3", token, new, date(2026, 11, 19))
    market(con, columns, "openai", "openai/gpt-4o-mini", "output", "0.60", date(2026, 11, 18))
    market(con, columns, "openai", "openai/gpt-4o", "output", "10", date(2026, 11, 18))
    # outside the chart's series: batch tier, a long-context band, CNY, a blended price
    market(con, columns, "openai", "openai/gpt-4o", "output", "5", date(2024, 1, 1), service_tier="batch")
    market(con, columns, "openai", "openai/gpt-4o", "input", "7", date(2024, 1, 1), context_band=">128k")
    market(con, columns, "deepseek", "deepseek/deepseek-v3", "output", "3", date(2024, 1, 1), currency="CNY")
    market(con, columns, "epoch", "openai/gpt-3", "blended_3_1", "20", date(2021, 11, 1))

    # mart_capex as the mart gives it: AMZN's TTM from its fourth quarter on (10+11+12+13 = 46, then
    # 11+12+13+14 = 50, USD bn), ORCL with three quarters and so no TTM
    ttms = {"AMZN": [None, None, None, 46, 50], "ORCL": [None, None, None]}
    for company, cik, start in (("AMZN", 1018724, 2024), ("ORCL", 1341439, 2025)):
        for k, ttm in enumerate(ttms[company]):
            year, quarter = start + k // 4, k % 4 + 1
            end = date(year, quarter * 3, 28)
            insert(con, columns, "mart_capex", company=company, cik=cik, fiscal_year=year, fiscal_quarter=quarter,
                   period_end=end, period_start=end, capex_usd=Decimal(10 + k) * 1_000_000_000,
                   ttm_capex_usd=None if ttm is None else Decimal(ttm) * 1_000_000_000,
                   calendar_year=year, calendar_quarter=quarter)

    # raw usage rows: the share chart must not read them (the mart below holds different numbers)
    for d in (date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)):
        for rank, (model, creator, tokens) in enumerate(
            (("qwen3", "qwen", 400), ("gpt-5", "openai", 500), ("other", "other", 100)), start=1
        ):
            con.execute(
                "INSERT INTO raw.usage_facts VALUES (?, 'openrouter_rankings', 'https://openrouter.ai', ?, 'sha', '1',"
                " ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, 'Source: OpenRouter, as of <as_of>', ?)",
                [date(2026, 11, 20), AS_OF, d, model, model, creator, None if model == "other" else rank,
                 tokens * 10**9, date(2026, 10, 4), AS_OF],
            )
    # shares (6 decimals, as the mart rounds them):
    #   10-01: open 300, closed 600, unknown 0, other 100: point 300/900 = 0.333333, lower 300/1000 = 0.3,
    #          upper (300+0+100)/1000 = 0.4
    #   10-02: open 200, closed 600, unknown 100, other 100: point 200/800 = 0.25, lower 200/1000 = 0.2,
    #          upper (200+100+100)/1000 = 0.4
    #   10-04 (10-03 has no data): open 0, closed 0, unknown 50, other 50: point NULL (no known token),
    #          lower 0/100 = 0, upper 100/100 = 1
    for day, tokens, shares, verdict in (
        (date(2026, 10, 1), (300, 600, 0, 100), ("0.333333", "0.3", "0.4"), "above"),
        (date(2026, 10, 2), (200, 600, 100, 100), ("0.25", "0.2", "0.4"), "undetermined"),
        (date(2026, 10, 4), (0, 0, 50, 50), (None, "0", "1"), "undetermined"),
    ):
        point, lower, upper = (None if v is None else Decimal(v) for v in shares)
        share_day(con, columns, day, *tokens, share_point=point, share_lower=lower, share_upper=upper,
                  threshold_verdict=verdict)
    # a week row: not drawn (the chart is daily); 0.9 appears nowhere else
    share_day(con, columns, date(2026, 9, 28), 900, 100, 0, 0, period_grain="week", share_point=Decimal("0.9"),
              share_lower=Decimal("0.9"), share_upper=Decimal("0.9"), threshold_verdict="above")


def clear(path: Path, *tables: str) -> Path:
    con = duckdb.connect(str(path))
    try:
        for table in tables:
            con.execute(f"DELETE FROM {table}")
    finally:
        con.close()
    return path


@pytest.fixture
def warehouse(tmp_path: Path):
    """Returns a function building a fresh warehouse file in tmp_path: (filled?, marts?) -> path."""
    built = iter(range(1000))

    def build(filled: bool = True, marts: bool = True) -> Path:
        path = tmp_path / f"costcurve-{next(built)}.duckdb"
        con = duckdb.connect(str(path))
        try:
            if marts:
                columns = create_marts(con)
                if filled:
                    fill(con, columns)
        finally:
            con.close()
        return path

    return build


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])  # IHDR width, height


def titles(fig) -> str:
    return "\n".join(t.get_text() for t in fig.texts)


def test_every_chart_is_a_1600x900_png(warehouse, tmp_path):
    out = tmp_path / "reports"
    messages: list[str] = []
    written = charts.write_charts(warehouse(), out, echo=messages.append)
    assert [p.name for p in written] == list(charts.CHARTS)
    assert messages == []
    for path in written:
        assert path.parent == out and path.exists()
        assert png_size(path) == (1600, 900)
        assert path.stat().st_size > 20_000, f"{path.name} looks blank"


def test_empty_warehouse_skips_every_chart(warehouse, tmp_path):
    out = tmp_path / "reports"
    with analyst(warehouse(filled=False)) as con:
        run = charts.render_charts(con, out)
    assert run.written == []
    assert set(run.skipped) == set(charts.CHARTS)
    assert all(reason for reason in run.skipped.values())
    assert list(out.iterdir()) == []


def test_warehouse_without_marts_skips_with_the_missing_table(warehouse, tmp_path):
    messages: list[str] = []
    written = charts.write_charts(warehouse(marts=False), tmp_path / "reports", echo=messages.append)
    assert written == []
    assert len(messages) == len(charts.CHARTS)
    assert all("table missing" in m for m in messages)


def test_missing_published_copy_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no published warehouse"):
        charts.write_charts(tmp_path / "nope.duckdb", tmp_path / "reports")


def legend(fig) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()]


def test_price_history_draws_the_market_price_series_ranked_by_history(warehouse, monkeypatch):
    with analyst(warehouse()) as con:
        fig = charts.price_history(con)
    # rank = change rows x days from the first valid_from to the as-of date 2026-11-20, inclusive:
    #   claude-haiku-3.5: 4 rows x 653 days (2025-02-06 .. 2026-11-20) = 2,612
    #   deepseek-v3:      4 rows x 651 days (2025-02-08 .. 2026-11-20) = 2,604
    #   gpt-4o, gpt-4o-mini: 1 row x 3 days (2026-11-18 .. 2026-11-20) = 3 each, then by model id
    # gpt-3's blended price, gpt-4o's batch, >128k and CNY rows are not standard/all/USD input or output
    assert legend(fig) == ["anthropic: anthropic/claude-haiku-3.5", "deepseek: deepseek/deepseek-v3",
                           "openai: openai/gpt-4o", "openai: openai/gpt-4o-mini"]
    assert "as of 2026-11-20" in titles(fig)
    monkeypatch.setattr(charts, "HISTORY_MODELS", 2)
    with analyst(warehouse()) as con:
        assert legend(charts.price_history(con)) == legend(fig)[:2]


def test_price_history_lines_are_the_marts_rows(warehouse):
    with analyst(warehouse()) as con:
        fig = charts.price_history(con)
    inputs, outputs = fig.axes[0], fig.axes[1]
    haiku = inputs.get_lines()[0]
    # the mart's two input rows, the current one drawn to the as-of date
    assert list(haiku.get_xdata()) == [date(2025, 2, 6), date(2025, 2, 28), date(2026, 11, 20)]
    assert list(haiku.get_ydata()) == [1.0, 0.8, 0.8]
    deepseek = outputs.get_lines()[1]
    assert list(deepseek.get_ydata()) == [1.10, 0.42, 0.42]  # 0.42 from 2026-11-19, the mart's current row
    assert list(outputs.get_lines()[2].get_ydata()) == [10.0, 10.0]  # gpt-4o standard, not the $5 batch
    assert 7.0 not in {y for line in inputs.get_lines() for y in line.get_ydata()}  # the >128k band


def test_price_history_reads_fct_market_prices_not_the_per_source_history(warehouse):
    # fct_price_history is full, the market mart empty: nothing to draw
    with analyst(clear(warehouse(), "fct_market_prices")) as con, pytest.raises(charts.SkipChart, match="empty"):
        charts.price_history(con)
    # the market mart alone is enough
    with analyst(clear(warehouse(), "fct_price_history")) as con:
        assert len(legend(charts.price_history(con))) == 4


def test_cheapest_by_provider_uses_first_party_standard_usd_prices(warehouse):
    with analyst(warehouse()) as con:
        fig = charts.cheapest_by_provider(con)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["anthropic", "openai", "deepseek", "groq"]
    bar_labels = [t.get_text() for t in ax.texts]
    assert "$0.60  gpt-4o-mini" in bar_labels  # not the $5 batch tier, not llm_prices, not CNY
    assert "$0.10  size bucket <4b params" in bar_labels


def test_capex_ttm_is_the_marts_and_needs_four_consecutive_quarters(warehouse):
    with analyst(warehouse()) as con:
        fig = charts.capex_quarterly(con)
    top, bottom = fig.axes
    assert [line.get_label() for line in top.get_lines()] == ["AMZN", "ORCL"]
    assert [line.get_label() for line in bottom.get_lines()] == ["AMZN"]  # ORCL's mart TTM is NULL throughout
    ttm = [y for y in bottom.get_lines()[0].get_ydata() if y == y]
    assert ttm == pytest.approx([46.0, 50.0])  # mart_capex.ttm_capex_usd, plotted as is (USD bn)


def test_capex_reads_mart_capex_not_the_quarterly_fact(warehouse):
    """fct_capex_quarterly is filled, mart_capex empty: the chart has nothing to draw (no TTM in Python)."""
    path = clear(warehouse(), "mart_capex")
    con = duckdb.connect(str(path))
    try:
        insert(con, mart_columns(), "fct_capex_quarterly", company="AMZN", component="capex")
    finally:
        con.close()
    with analyst(path) as con, pytest.raises(charts.SkipChart, match="no capex quarters in mart_capex"):
        charts.capex_quarterly(con)


def test_open_weight_share_draws_the_marts_daily_point_band_and_threshold(warehouse):
    with analyst(warehouse()) as con:
        fig = charts.open_weights_share(con)
    ax = fig.axes[0]
    text = titles(fig)
    assert "Open-weight share of tokens routed through OpenRouter, as of 2026-10-04" in text
    assert "measurement base: OpenRouter traffic" in text
    assert "Source: OpenRouter (openrouter.ai/rankings), as of 2026-10-04" in text
    assert "Latest day 2026-10-04: undetermined the 25% threshold" in text
    point, threshold = ax.get_lines()
    nan = float("nan")
    # the mart's daily rows x 100; a NaN on 10-03 (no data) and on 10-04 (share_point NULL); no week row
    assert list(point.get_xdata()) == [date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3), date(2026, 10, 4)]
    assert point.get_ydata() == pytest.approx([33.3333, 25.0, nan, nan], nan_ok=True)
    assert list(threshold.get_ydata()) == [25.0, 25.0]  # the mart's threshold 0.25
    (band,) = ax.collections
    ys = sorted({round(float(y), 4) for path in band.get_paths() for _x, y in path.vertices})
    assert ys == [0.0, 20.0, 30.0, 40.0, 100.0]  # lower 30, 20, 0 and upper 40, 40, 100, never 90 (the week)


def test_open_weight_share_reads_the_mart_not_raw_usage(warehouse):
    # raw.usage_facts still holds three days of OpenRouter tokens; without the mart there is no chart
    empty_mart = clear(warehouse(), "mart_open_weight_share")
    with analyst(empty_mart) as con, pytest.raises(charts.SkipChart, match="mart_open_weight_share has no daily"):
        charts.open_weights_share(con)


def test_cli_writes_charts_to_out(warehouse, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from costcurve.cli import app

    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(warehouse()))
    result = CliRunner().invoke(app, ["charts", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    printed = [line for line in result.stdout.splitlines() if line.endswith(".png")]
    assert [Path(p).name for p in printed] == list(charts.CHARTS)
    assert all(Path(p).exists() for p in printed)


def test_demo_summary_survives_a_chart_failure(tmp_path, monkeypatch, capsys):
    from costcurve import demo

    def boom(*args, **kwargs):
        raise RuntimeError("no canvas")

    monkeypatch.setattr(charts, "write_charts", boom)
    live = tmp_path / "costcurve.duckdb"
    duckdb.connect(str(live)).close()
    settings = SimpleNamespace(warehouse=live, published=live, archive=tmp_path / "archive")
    # the demo's console is bound to the terminal at import (its days' output goes to log files)
    printed = io.StringIO()
    monkeypatch.setattr(demo, "console", Console(file=printed, width=200))
    demo._print_summary(settings, [], [])
    assert "warning: charts not drawn: RuntimeError: no canvas" in printed.getvalue()
