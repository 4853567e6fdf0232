"""Content gates on a real DuckDB file: each rule quarantines what it should, the rest of the day loads,
re-runs are idempotent, a held row loads once released (with who and why), a shrunken day is held whole.

The rows mirror Anthropic's real price page for Claude Sonnet 4.5 (tests/fixtures/anthropic/rendering_a.md,
platform.claude.com/docs/en/about-claude/pricing.md): input $3, output $15, cache read $0.30, batch input
$1.50, input over 200K tokens $6. A faulty row is one of those values in the wrong place, the way a parser
slip or an upstream error puts it there.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from scrapers.archive import ManifestRow
from scrapers.records import CaptureMeta, ParseResult, PriceFact
from warehouse.connection import writer
from warehouse.content_gates import ContentGateError
from warehouse.load import load_source_day
from warehouse.quarantine import ReleaseError, entries, release

URL = "https://platform.claude.com/docs/en/about-claude/pricing.md"
DAY = date(2026, 11, 20)
SHA = "c" * 64
META = CaptureMeta("anthropic", URL, datetime(2026, 11, 20, 6, tzinfo=UTC), SHA)


def price(token_type: str, value: str, tier: str = "standard", band: str = "all",
          model: str = "claude-sonnet-4-5") -> PriceFact:
    return PriceFact(
        **META.provenance("1"), provider_id="anthropic", model_id=model, model_name="Claude Sonnet 4.5",
        token_type=token_type, service_tier=tier, context_band=band, price_per_mtok=Decimal(value),
        usd_per_mtok=Decimal(value), unit_as_published="USD/MTok", raw_value=f"${value} / MTok",
    )


SONNET = [price("input", "3"), price("output", "15"), price("cache_read", "0.30"), price("input", "1.50", tier="batch"),
          price("input", "3", band="<=200k"), price("input", "6", band=">200k")]


def load(con, facts, day: date = DAY) -> dict[str, int]:
    fetch = ManifestRow("anthropic", "pricing.md", URL, f"{day}T06:00:00+00:00", 200, SHA, 10, "", True)
    return load_source_day(con, "anthropic", day, [fetch], ParseResult(prices=list(facts)))


def quarantined(con) -> list[tuple]:
    return con.execute(
        "SELECT rule, action, source_id, raw_sha256, source_url, partition_date, reason, row_json "
        "FROM raw.quarantine ORDER BY rule"
    ).fetchall()


def loaded(con, day: date = DAY) -> set[tuple]:
    rows = con.execute(
        "SELECT token_type, service_tier, context_band, price_per_mtok FROM raw.price_facts WHERE partition_date = ?",
        [day],
    ).fetchall()
    return {(t, s, b, f"{p.normalize():f}") for t, s, b, p in rows}


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        # Opus 4.5's $5 input read as per 1K tokens (x1000), as LiteLLM's wandb/* rows publish 0.005 USD
        # per token (5,000 per 1M): over the 2,000 cap
        (price("input", "5000", model="claude-opus-4-5"), "price_cap"),
        # the cache-write price ($3.75) read into the batch cache-read column (batch input is $1.50)
        (price("cache_read", "3.75", tier="batch"), "cache_read_above_input"),
        # the >200K output price ($22.50) read into the batch output column (standard output is $15)
        (price("output", "22.50", tier="batch"), "batch_above_standard"),
        # the base band's price read into the >200k band, then halved: cheaper than its base
        (price("output", "11.25", band=">200k"), "long_context_below_base"),
    ],
)
def test_a_bad_row_is_rejected_and_the_rest_of_the_day_loads(tmp_path, bad, rule):
    extra = [price("output", "15", band="<=200k")] if rule == "long_context_below_base" else []
    with writer(tmp_path / "w.duckdb") as con:
        counts = load(con, [*SONNET, *extra, bad])
        (q,) = quarantined(con)
        assert loaded(con) == {(f.token_type, f.service_tier, f.context_band, f"{f.price_per_mtok.normalize():f}")
                               for f in [*SONNET, *extra]}
    assert counts["quarantined"] == 1 and counts["price_facts"] == len(SONNET) + len(extra)
    got_rule, action, source, sha, url, day, reason, row_json = q
    assert (got_rule, action, source, sha, url, day) == (rule, "rejected", "anthropic", SHA, URL, DAY)
    row = json.loads(row_json)
    assert (row["token_type"], row["service_tier"], row["context_band"]) == (bad.token_type, bad.service_tier, bad.context_band)
    assert Decimal(str(row["price_per_mtok"])) == bad.price_per_mtok
    assert f"{bad.price_per_mtok.normalize():f}" in reason


def test_a_negative_price_written_past_the_record_model_is_rejected(tmp_path):
    """PriceFact refuses a negative price; the gate still guards rows built without it (model_construct)."""
    bad = PriceFact.model_construct(**{**price("input", "3").model_dump(), "price_per_mtok": Decimal("-1"),
                                       "usd_per_mtok": Decimal("-1"), "model_id": "claude-haiku-4-5"})
    with writer(tmp_path / "w.duckdb") as con:
        load(con, [*SONNET, bad])
        assert [r[0] for r in quarantined(con)] == ["negative_price"]
        assert len(loaded(con)) == len(SONNET)


def test_a_rerun_of_the_day_gives_the_same_quarantine(tmp_path):
    bad = [price("input", "5000", model="claude-opus-4-5"), price("cache_read", "3.75", tier="batch")]
    with writer(tmp_path / "w.duckdb") as con:
        load(con, [*SONNET, *bad])
        first = [(r[:7]) for r in quarantined(con)]
        load(con, [*SONNET, *bad])
        again = [(r[:7]) for r in quarantined(con)]
        load(con, SONNET)  # the source fixed its page: the day's quarantine empties
        fixed = quarantined(con)
    assert len(first) == 2 and again == first and fixed == []


def test_a_tenfold_move_is_held_until_released_with_who_and_why(tmp_path):
    yesterday = DAY - timedelta(days=1)
    with writer(tmp_path / "w.duckdb") as con:
        load(con, SONNET, yesterday)
        # $3 read as 300 (cents taken for dollars): a 100x move
        moved = [price("input", "300") if (f.token_type, f.service_tier, f.context_band) == ("input", "standard", "all")
                 else f for f in SONNET]
        load(con, moved)
        (held,) = entries(con)
        assert (held.rule, held.action, held.released_by) == ("day_over_day_move", "held", None)
        assert "moved from 3 (2026-11-19) to 300 USD/M" in held.reason
        assert ("input", "standard", "all", "300") not in loaded(con)
        load(con, moved)  # re-run without a release: still held, same id
        assert [e.quarantine_id for e in entries(con)] == [held.quarantine_id]
        assert release(con, held.quarantine_id, "Anthropic confirmed the new price", "analyst-a") is True
        assert release(con, held.quarantine_id, "again", "analyst-b") is False  # one release per id
        load(con, moved)  # the next run of the day loads it
        assert ("input", "standard", "all", "300") in loaded(con)
        who = con.execute("SELECT released_by, reason FROM raw.quarantine_releases").fetchall()
        (after,) = entries(con)
    assert who == [("analyst-a", "Anthropic confirmed the new price")]
    assert after.released_by == "analyst-a"


def test_a_smaller_move_loads(tmp_path):
    with writer(tmp_path / "w.duckdb") as con:
        load(con, SONNET, DAY - timedelta(days=1))
        load(con, [price("input", "30") if f is SONNET[0] else f for f in SONNET])  # 10x exactly: not over 10x
        assert quarantined(con) == []


def test_rejected_rows_cannot_be_released_and_a_release_needs_a_reason(tmp_path):
    with writer(tmp_path / "w.duckdb") as con:
        load(con, [*SONNET, price("input", "5000", model="claude-opus-4-5")])
        (rejected,) = entries(con)
        with pytest.raises(ReleaseError, match="rejected by rule price_cap"):
            release(con, rejected.quarantine_id, "looks fine", "analyst-a")
        with pytest.raises(ReleaseError, match="no quarantined row"):
            release(con, "0123456789abcdef", "looks fine", "analyst-a")
        with pytest.raises(ReleaseError, match="needs a reason"):
            release(con, rejected.quarantine_id, "  ", "analyst-a")


def test_a_day_far_below_the_recent_median_is_held_whole(tmp_path):
    """Three earlier days of 6 rows (median 6); a day of 2 rows (under half) is held, all of it."""
    with writer(tmp_path / "w.duckdb") as con:
        for back in (3, 2, 1):
            load(con, SONNET, DAY - timedelta(days=back))
        with pytest.raises(ContentGateError, match="row-count floor.*2 records.*median 6"):
            load(con, SONNET[:2])
        assert loaded(con) == set()
        (held,) = entries(con)
        assert (held.rule, held.action, held.rows, held.raw_sha256) == ("row_count_floor", "held", 2, SHA)
        with pytest.raises(ContentGateError):  # a re-run holds it again, same quarantine
            load(con, SONNET[:2])
        assert [(e.quarantine_id, e.rows) for e in entries(con)] == [(held.quarantine_id, 2)]
        release(con, held.quarantine_id, "Anthropic retired the other models", "analyst-a")
        counts = load(con, SONNET[:2])
        assert counts["price_facts"] == 2 and len(loaded(con)) == 2


def test_the_floor_needs_three_earlier_days(tmp_path):
    with writer(tmp_path / "w.duckdb") as con:
        for back in (2, 1):
            load(con, SONNET, DAY - timedelta(days=back))
        assert load(con, SONNET[:2])["price_facts"] == 2
        assert quarantined(con) == []


def test_a_backfill_day_is_judged_by_the_reject_rules_only(tmp_path):
    """A day with no capture of its own (costcurve backfill loads a history's dated prices with no fetch
    rows): a history holds real moves over 10x between its dates, and a day of it holds only the prices
    dated to it, so neither the move rule nor the floor applies; the reject rules still do."""
    with writer(tmp_path / "w.duckdb") as con:
        for back in (3, 2, 1):
            load(con, SONNET, DAY - timedelta(days=back))
        counts = load_source_day(con, "anthropic", DAY, [], ParseResult(prices=[
            price("input", "300"), price("input", "5000", model="claude-opus-4-5")]))
        assert [r[0] for r in quarantined(con)] == ["price_cap"]
    assert counts["price_facts"] == 1


def test_a_dated_cut_is_compared_with_the_prices_of_its_own_dates(tmp_path):
    """genai-prices lists GPT-5.6 Luna's old prices (input 1, >272k 2) beside its cut from 2026-07-30 (0.20,
    >272k 0.40; data_v2.json): the new >272k price is compared with the new base, never with the old 1. A
    band cheaper than a base in effect at the same time is still rejected."""
    cut = date(2026, 7, 30)

    def dated(band: str, value: str, valid_from: date | None, valid_to: date | None) -> PriceFact:
        return price("input", value, band=band).model_copy(update={"valid_from": valid_from, "valid_to": valid_to})

    old = [dated("<=272k", "1", None, cut), dated(">272k", "2", None, cut)]
    new = [dated("<=272k", "0.20", cut, None), dated(">272k", "0.40", cut, None)]
    with writer(tmp_path / "w.duckdb") as con:
        counts = load(con, [*old, *new])
        assert counts["quarantined"] == 0 and quarantined(con) == []
        cheaper = [*old, new[0], dated(">272k", "0.10", cut, None)]  # under the base of its own dates
        load(con, cheaper, day=DAY + timedelta(days=1))
        (q,) = quarantined(con)
    assert q[0] == "long_context_below_base" and "0.1 is cheaper than its base band <=272k 0.2" in q[6]


def test_a_cache_read_is_compared_with_the_input_of_its_own_entry(tmp_path):
    """LiteLLM's `gemini-exp-1206` (input 0.30, cache read 0.03) and `gemini/gemini-exp-1206` (input 0) are two
    entries of one model (LiteLLM price history, 2026-07-24): the cache read is not dearer than its own input."""
    def entry(name: str, token_type: str, value: str) -> PriceFact:
        return price(token_type, value, model="gemini-exp-1206").model_copy(update={"model_name": name})

    facts = [entry("gemini-exp-1206", "input", "0.30"), entry("gemini-exp-1206", "cache_read", "0.03"),
             entry("gemini/gemini-exp-1206", "input", "0")]
    with writer(tmp_path / "w.duckdb") as con:
        assert load(con, facts)["quarantined"] == 0
        dearer = [facts[0], entry("gemini-exp-1206", "cache_read", "0.50"), facts[2]]  # dearer than its input
        load(con, dearer, day=DAY + timedelta(days=1))
        (q,) = quarantined(con)
    assert q[0] == "cache_read_above_input" and "0.5 is dearer than input 0.3" in q[6]


def _dated(token_type: str, value: str, valid_from: date | None, valid_to: date | None) -> PriceFact:
    return price(token_type, value).model_copy(update={"valid_from": valid_from, "valid_to": valid_to})


@pytest.mark.parametrize("order", ["current first", "future first"])
def test_an_announced_future_price_is_not_a_move_against_todays_price(tmp_path, order):
    """A page that lists today's input ($3) beside an announced cut ($0.25 from 2027-01-01, a 12x cut) on two
    days running moved nothing: the move rule compares the prices in effect on each day. It used to pair each
    row with an arbitrary one of the last day's two prices, so one of the two rows was always held."""
    announced = date(2027, 1, 1)
    day = [_dated("input", "3", None, announced), _dated("input", "0.25", announced, None)]
    day = day if order == "current first" else day[::-1]
    with writer(tmp_path / "w.duckdb") as con:
        load(con, day, DAY - timedelta(days=1))
        counts = load(con, day)
        assert quarantined(con) == []
    assert counts["quarantined"] == 0 and counts["price_facts"] == 2


@pytest.mark.parametrize("order", ["old first", "new first"])
def test_the_move_rule_reads_the_price_in_effect_on_the_last_day(tmp_path, order):
    """A dated history lists a series' old price ($30, until yesterday) beside its cut ($2, from yesterday: a
    cut in effect from the day it starts). Today the page says $250 (a 125x move against the $2 in effect):
    held. The old $30 row, no longer in effect, is history and not judged. With an arbitrary pick of the last
    day's price, either the $250 passed (8x against $30) or the old $30 row was held (15x against $2)."""
    yesterday = DAY - timedelta(days=1)
    old, new = _dated("input", "30", None, yesterday), _dated("input", "2", yesterday, None)
    last = [old, new] if order == "old first" else [new, old]
    with writer(tmp_path / "w.duckdb") as con:
        load(con, last, yesterday)
        load(con, [old, _dated("input", "250", yesterday, None)])
        (held,) = entries(con)
        assert ("input", "standard", "all", "30") in loaded(con)
    assert (held.rule, held.action) == ("day_over_day_move", "held")
    assert f"moved from 2 ({yesterday}) to 250 USD/M" in held.reason
