"""raw.capability_scores loads per (source, day) slice like every raw table: replaced, never duplicated.

The scores are token-tariff's gpt-4 row as the real timeline lists it (AA index 7.0 read on or before
2026-07-05; METR 50% horizon 3.987 minutes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from scrapers.archive import ManifestRow
from scrapers.records import CapabilityScore, CaptureMeta, ParseResult
from warehouse.connection import writer
from warehouse.load import load_source_day, previous_record_count

URL = "https://raw.githubusercontent.com/Prajwalsrinvas/token-tariff/main/timeline.csv"
DAY = date(2026, 8, 6)
META = CaptureMeta("token_tariff", URL, datetime(2026, 8, 6, 6, tzinfo=UTC), "b" * 64)


def aa_index(value: str = "7.0") -> CapabilityScore:
    return CapabilityScore(
        **META.provenance("1"), model_id="gpt-4", model_name="gpt-4", creator="OpenAI",
        benchmark="Artificial Analysis Intelligence Index", score=Decimal(value), scale="index",
        as_of=date(2026, 7, 5), as_of_basis="on_or_before", release_date=date(2023, 3, 14),
        score_source_url="https://artificialanalysis.ai/api/v2/data/llms/models", raw_value=value,
        citation="token-tariff timeline",
    )


def metr() -> CapabilityScore:
    return CapabilityScore(
        **META.provenance("1"), model_id="gpt-4", model_name="gpt-4", creator="OpenAI",
        benchmark="METR time horizon (50% success)", score=Decimal("3.987"), scale="minutes", as_of=DAY,
        as_of_basis="captured", raw_value="3.987", citation="token-tariff timeline",
    )


def fetch_row() -> ManifestRow:
    return ManifestRow("token_tariff", "timeline.csv", URL, "2026-08-06T06:00:00+00:00", 200, "b" * 64, 10, "", True)


def scores(con) -> list[tuple]:
    return con.execute(
        "SELECT partition_date, benchmark, score, scale, as_of, as_of_basis, release_date, creator "
        "FROM raw.capability_scores ORDER BY partition_date, benchmark"
    ).fetchall()


def test_capability_scores_load_and_reload_replaces(tmp_path):
    path = tmp_path / "w.duckdb"
    with writer(path) as con:
        first = load_source_day(con, "token_tariff", DAY, [fetch_row()], ParseResult(capabilities=[aa_index(), metr()]))
        assert first["capability_scores"] == 2
        load_source_day(con, "token_tariff", DAY, [fetch_row()], ParseResult(capabilities=[aa_index("7.5")]))
        rows = scores(con)
        later = previous_record_count(con, "token_tariff", date(2026, 8, 7))
    assert rows == [(DAY, "Artificial Analysis Intelligence Index", Decimal("7.500000"), "index", date(2026, 7, 5),
                     "on_or_before", date(2023, 3, 14), "OpenAI")]
    assert later == 1  # the drift check counts capability scores as records of the day


def test_scores_are_carried_forward_from_an_unchanged_capture(tmp_path):
    with writer(tmp_path / "w.duckdb") as con:
        load_source_day(con, "token_tariff", DAY, [fetch_row()], ParseResult(capabilities=[aa_index(), metr()]))
        counts = load_source_day(con, "token_tariff", date(2026, 8, 7), [fetch_row()], ParseResult(),
                                 carried=["b" * 64])
        rows = scores(con)
    assert counts["capability_scores"] == 2
    assert [(r[0], r[1]) for r in rows] == [
        (DAY, "Artificial Analysis Intelligence Index"), (DAY, "METR time horizon (50% success)"),
        (date(2026, 8, 7), "Artificial Analysis Intelligence Index"), (date(2026, 8, 7), "METR time horizon (50% success)"),
    ]


def test_the_demo_days_load_and_pass_their_raw_gates(tmp_path):
    """The replay path of a daily run (collect -> load) for both new sources, then every gate they write."""
    from pathlib import Path

    from expectations.runner import validate_table
    from scrapers.archive import RawArchive
    from scrapers.collect import collect
    from scrapers.registry import get_source

    demo = Path(__file__).resolve().parents[3] / "demo" / "captures"
    archive = RawArchive(tmp_path / "archive")
    with writer(tmp_path / "w.duckdb") as con:
        for source_id, day in (("epoch_benchmarks", date(2025, 3, 13)), ("token_tariff", DAY)):
            source = get_source(source_id)
            got = collect(source, day, archive, replay_dir=demo)
            counts = load_source_day(con, source_id, day, got.fetches, got.result)
            assert counts["price_facts"] > 0 and counts["capability_scores"] > 0
            for table in (*source.writes, "fetches"):
                result = validate_table(con, f"raw.{table}", where="source_id = ? AND partition_date = ?",
                                        params=[source_id, day])
                assert result.success and not result.failed_warning, result.summary()
