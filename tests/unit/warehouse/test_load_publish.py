"""Raw loads are idempotent per (source, day); the analyst copy is read-only and sandboxed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
import pytest

from scrapers.archive import ManifestRow
from scrapers.records import CaptureMeta, Exclusion, ParseResult, PriceFact
from warehouse.connection import analyst, writer
from warehouse.load import load_source_day
from warehouse.publish import export_parquet, publish_copy

DAY = date(2026, 11, 20)
META = CaptureMeta("anthropic", "https://x/pricing.md", datetime(2026, 11, 20, 6, tzinfo=UTC), "a" * 64)


def fact(model: str, token_type: str, price: str) -> PriceFact:
    return PriceFact(
        **META.provenance("1"),
        provider_id="anthropic",
        model_id=model,
        model_name=model,
        token_type=token_type,
        price_per_mtok=Decimal(price),
        usd_per_mtok=Decimal(price),
        unit_as_published="USD/MTok",
        raw_value=f"${price} / MTok",
    )


def fetch_row() -> ManifestRow:
    return ManifestRow("anthropic", "pricing.md", META.url, "2026-11-20T06:00:00+00:00", 200, "a" * 64, 10, "", True)


def result(*facts: PriceFact) -> ParseResult:
    excl = Exclusion(**META.provenance("1"), item="m", field="image", reason="per-image price")
    return ParseResult(prices=list(facts), exclusions=[excl])


def test_reload_of_a_day_replaces_never_duplicates(tmp_path):
    path = tmp_path / "w.duckdb"
    with writer(path) as con:
        first = load_source_day(con, "anthropic", DAY, [fetch_row()], result(fact("m1", "input", "5"), fact("m1", "output", "25")))
        again = load_source_day(con, "anthropic", DAY, [fetch_row()], result(fact("m1", "input", "4.5")))
        other_day = load_source_day(con, "anthropic", date(2026, 11, 21), [fetch_row()], result(fact("m1", "input", "4")))
        rows = con.execute(
            "SELECT partition_date, token_type, price_per_mtok FROM raw.price_facts ORDER BY 1, 2"
        ).fetchall()
        fetches = con.execute("SELECT count(*) FROM raw.fetches").fetchone()[0]
    assert first["price_facts"] == 2 and again["price_facts"] == 1 and other_day["price_facts"] == 1
    assert rows == [(DAY, "input", Decimal("4.5")), (date(2026, 11, 21), "input", Decimal("4"))]
    assert fetches == 2


def test_money_keeps_nine_decimals_exactly(tmp_path):
    with writer(tmp_path / "w.duckdb") as con:
        load_source_day(con, "anthropic", DAY, [fetch_row()], result(fact("m1", "input", "0.000000022")))
        assert con.execute("SELECT price_per_mtok FROM raw.price_facts").fetchone()[0] == Decimal("0.000000022")


def test_failed_load_rolls_back_and_keeps_the_previous_rows(tmp_path, monkeypatch):
    import warehouse.load as load

    real_insert = load._insert

    def insert_failing_late(con, table, *args):
        if table == "parse_exclusions":  # after price_facts has been replaced inside the transaction
            raise RuntimeError("disk full")
        return real_insert(con, table, *args)

    with writer(tmp_path / "w.duckdb") as con:
        load_source_day(con, "anthropic", DAY, [fetch_row()], result(fact("m1", "input", "5")))
        monkeypatch.setattr(load, "_insert", insert_failing_late)
        with pytest.raises(RuntimeError, match="disk full"):
            load_source_day(con, "anthropic", DAY, [fetch_row()], result(fact("m1", "input", "1")))
        assert con.execute("SELECT price_per_mtok FROM raw.price_facts").fetchall() == [(Decimal("5"),)]
        assert con.execute("SELECT count(*) FROM raw.parse_exclusions").fetchone()[0] == 1


def _published(tmp_path):
    warehouse = tmp_path / "live" / "costcurve.duckdb"
    with writer(warehouse) as con:
        con.execute("CREATE TABLE fct_price_history AS SELECT 'm1' AS model_id, 5.0 AS price")
        con.execute("CREATE VIEW v AS SELECT * FROM fct_price_history")
    return warehouse, publish_copy(warehouse, tmp_path / "pub" / "costcurve.duckdb")


def test_published_copy_is_queryable_including_views(tmp_path):
    _, published = _published(tmp_path)
    with analyst(published) as con:
        assert con.execute("SELECT model_id FROM v").fetchall() == [("m1",)]


def test_analyst_connection_cannot_write_or_touch_files(tmp_path):
    _, published = _published(tmp_path)
    with analyst(published) as con:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM fct_price_history")
        with pytest.raises(duckdb.Error):
            con.execute(f"COPY fct_price_history TO '{tmp_path / 'leak.csv'}'")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
    assert not (tmp_path / "leak.csv").exists()


def test_publish_refuses_a_different_file_name(tmp_path):
    warehouse = tmp_path / "costcurve.duckdb"
    duckdb.connect(str(warehouse)).close()
    with pytest.raises(ValueError, match="file name"):
        publish_copy(warehouse, tmp_path / "pub" / "other.duckdb")


def test_republish_replaces_the_copy(tmp_path):
    warehouse, published = _published(tmp_path)
    with writer(warehouse) as con:
        con.execute("INSERT INTO fct_price_history VALUES ('m2', 1.0)")
    publish_copy(warehouse, published)
    with analyst(published) as con:
        assert con.execute("SELECT count(*) FROM fct_price_history").fetchone()[0] == 2
    assert [p.name for p in published.parent.iterdir()] == ["costcurve.duckdb"]  # no temp files left


def test_parquet_export_of_marts(tmp_path):
    warehouse, _ = _published(tmp_path)
    written = export_parquet(warehouse, tmp_path / "exports", ("fct_price_history", "dim_models"))
    assert set(written) == {"fct_price_history"}  # a mart not built yet is skipped, not an error
    assert duckdb.sql(f"SELECT count(*) FROM '{written['fct_price_history']}'").fetchone()[0] == 1


def test_previous_record_count_reads_the_latest_earlier_day(tmp_path):
    from warehouse.load import previous_record_count

    with writer(tmp_path / "w.duckdb") as con:
        assert previous_record_count(con, "anthropic", DAY) is None
        load_source_day(con, "anthropic", date(2026, 11, 18), [fetch_row()], result(fact("m1", "input", "5")))
        load_source_day(
            con, "anthropic", date(2026, 11, 19), [fetch_row()],
            result(fact("m1", "input", "5"), fact("m1", "output", "25"), fact("m2", "input", "1")),
        )
        assert previous_record_count(con, "anthropic", DAY) == 3
        assert previous_record_count(con, "anthropic", date(2026, 11, 19)) == 1
        assert previous_record_count(con, "openrouter_models", DAY) is None


def test_unchanged_capture_carries_its_rows_forward(tmp_path):
    with writer(tmp_path / "w.duckdb") as con:
        load_source_day(con, "anthropic", date(2026, 11, 19), [fetch_row()], result(fact("m1", "input", "5")))
        counts = load_source_day(con, "anthropic", DAY, [fetch_row()], ParseResult(), carried=["a" * 64])
        again = load_source_day(con, "anthropic", DAY, [fetch_row()], ParseResult(), carried=["a" * 64])
        rows = con.execute(
            "SELECT partition_date, model_id, price_per_mtok, fetched_at FROM raw.price_facts ORDER BY 1"
        ).fetchall()
    assert counts["price_facts"] == 1 and counts["parse_exclusions"] == 1 and again == counts
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (date(2026, 11, 19), "m1", Decimal("5")),
        (DAY, "m1", Decimal("5")),
    ]
    assert rows[0][3] == rows[1][3]  # provenance still points at the capture that was parsed


def test_a_failing_pre_commit_check_rolls_the_day_back(tmp_path):
    def refuse(loaded: int) -> None:
        raise ValueError(f"only {loaded} records")

    with writer(tmp_path / "w.duckdb") as con:
        load_source_day(con, "anthropic", DAY, [fetch_row()], result(fact("m1", "input", "5"), fact("m1", "output", "25")))
        with pytest.raises(ValueError, match="only 1 records"):
            load_source_day(con, "anthropic", DAY, [fetch_row()], result(fact("m1", "input", "4")), before_commit=refuse)
        assert con.execute("SELECT count(*) FROM raw.price_facts").fetchone()[0] == 2
