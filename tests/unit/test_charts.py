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


def fill(con, columns, *, open_weights_known: bool = False) -> None:
    """A few models priced by a dataset's history and by their sellers' pages; capex; three usage days."""
    for token, (old, new) in {"input": ("1", "0.8"), "output": ("5", "4")}.items():
        price(con, columns, "litellm_history", "anthropic", "claude-3-5-haiku", token, old, date(2025, 2, 6),
              date(2025, 2, 28))
        price(con, columns, "litellm_history", "anthropic", "claude-3-5-haiku", token, new, date(2025, 2, 28))
        price(con, columns, "anthropic", "anthropic", "claude-3-5-haiku", token, new, date(2026, 11, 18))
    for token, usd in {"input": "0.27", "output": "1.10"}.items():
        price(con, columns, "llm_prices", "deepseek", "deepseek-chat", token, usd, date(2025, 2, 8))
    price(con, columns, "deepseek", "deepseek", "deepseek-chat", "output", "0.42", date(2026, 11, 19))
    price(con, columns, "deepseek", "deepseek", "deepseek-chat", "input", "0.28", date(2026, 11, 19))
    price(con, columns, "openai", "openai", "gpt-4o-mini", "output", "0.60", date(2026, 11, 18))
    price(con, columns, "openai", "openai", "gpt-4o", "output", "10", date(2026, 11, 18))
    price(con, columns, "openai", "openai", "gpt-4o", "output", "5", date(2026, 11, 18), service_tier="batch")
    price(con, columns, "groq", "groq", "bucket:<4b", "output", "0.10", date(2026, 11, 18))
    price(con, columns, "deepseek_zh", "deepseek", "deepseek-chat", "output", "3", date(2026, 11, 18),
          currency="CNY")
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
    for model, creator, ow in (("qwen3", "qwen", True), ("gpt-5", "openai", False), ("mystery", "acme", None)):
        insert(con, columns, "dim_models", model_id=model, creator=creator,
               open_weights=ow if open_weights_known or model == "qwen3" else None)
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


@pytest.fixture
def warehouse(tmp_path: Path):
    """Returns a function building a warehouse file in tmp_path: (filled?, open weights known?) -> path."""

    def build(filled: bool = True, open_weights_known: bool = False, marts: bool = True) -> Path:
        path = tmp_path / f"costcurve-{filled}-{open_weights_known}-{marts}.duckdb"
        con = duckdb.connect(str(path))
        try:
            if marts:
                columns = create_marts(con)
                if filled:
                    fill(con, columns, open_weights_known=open_weights_known)
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


def test_price_history_stitches_sources_and_ranks_by_history(warehouse):
    with analyst(warehouse()) as con:
        fig = charts.price_history(con)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    # claude and deepseek have dated history; the haiku line is confirmed by the seller's page
    assert labels[:2] == ["anthropic/claude-3-5-haiku  (anthropic, litellm_history)",
                          "deepseek/deepseek-chat  (deepseek, llm_prices)"]
    assert not any("batch" in label or "deepseek_zh" in label for label in labels)
    assert "as of 2026-11-20" in titles(fig)


def test_stitch_prefers_the_latest_episode_and_merges_equal_prices():
    episodes = [
        (date(2025, 1, 1), None, 0.27, "llm_prices"),
        (date(2026, 11, 18), date(2026, 11, 19), 0.56, "deepseek"),
        (date(2026, 11, 19), None, 0.28, "deepseek"),
        (date(2026, 11, 19), None, 0.28, "litellm"),
    ]
    assert charts._stitch(episodes, "deepseek") == [
        (date(2025, 1, 1), date(2026, 11, 18), {"llm_prices"}, 0.27),
        (date(2026, 11, 18), date(2026, 11, 19), {"deepseek"}, 0.56),
        (date(2026, 11, 19), None, {"deepseek"}, 0.28),
    ]
    same = [(date(2025, 1, 1), None, 2.0, "genai_prices"), (date(2026, 11, 18), None, 2.0, "openai")]
    assert charts._stitch(same, "openai") == [(date(2025, 1, 1), None, {"genai_prices", "openai"}, 2.0)]


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


def test_usage_falls_back_to_creators_when_open_weights_mostly_unknown(warehouse):
    with analyst(warehouse()) as con:
        fig = charts.open_weights_share(con)
    assert "by creator" in titles(fig) and "known for only 40% of tokens" in titles(fig)
    assert "as of 2026-10-04" in titles(fig)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["other models (outside the ranking)", "qwen", "openai"]  # top of the stack first


def test_usage_draws_the_open_weight_share_when_status_is_known(warehouse):
    with analyst(warehouse(open_weights_known=True)) as con:
        fig = charts.open_weights_share(con)
    assert "Open-weight share of tokens served on OpenRouter" in titles(fig)
    first_bar = fig.axes[0].patches[0]
    assert first_bar.get_height() == pytest.approx(40.0)  # open weights: qwen3, 400 of 1000 tokens


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
