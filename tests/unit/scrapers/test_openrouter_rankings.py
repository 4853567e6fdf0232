"""OpenRouter rankings (daily token usage): the real CSV, our other rendering, manifest checks, keyed API, drift.

The project fixture (``tests/fixtures/openrouter_rankings``) holds real rows of 2026-10-07 (ranks 1-8) in a
different rendering (BOM, LF, every field quoted, columns reordered) plus an ``other`` row recomputed as
that day's total minus the eight rows. The demo captures do the same with the top 12 of each day.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import openrouter_rankings as orr

HEADER = "date,model_permaslug,rank,total_tokens,share_of_daily_tokens\r\n"
ROW = "2026-10-07,deepseek/deepseek-v4.1-flash-20260910,1,7519183440956,0.2993197303783515\r\n"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str, url: str = orr.CSV_URL):
        body = body.encode() if isinstance(body, str) else body
        return orr.parse(body, make_meta(orr.SOURCE_ID, url, body))

    return _parse


@pytest.fixture
def captures(make_meta):
    """``captures(csv_body, manifest_body)`` -> the mapping ``parse_captures`` takes."""

    def _captures(csv_body: bytes, manifest_body: bytes) -> dict:
        return {orr.CSV_KEY: (csv_body, make_meta(orr.SOURCE_ID, orr.CSV_URL, csv_body)),
                orr.MANIFEST_KEY: (manifest_body, make_meta(orr.SOURCE_ID, orr.MANIFEST_URL, manifest_body))}

    return _captures


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "openrouter" / "rankings-daily_sample.csv").read_bytes()


@pytest.fixture
def sample_manifest(samples_dir) -> bytes:
    return (samples_dir / "openrouter" / "rankings-daily_sample-manifest.json").read_bytes()


@pytest.fixture
def fixture_dir(fixtures_dir):
    return fixtures_dir / "openrouter_rankings"


def fact(result, day: str, permaslug: str):
    matches = [u for u in result.usage if (u.usage_date.isoformat(), u.source_model_id) == (day, permaslug)]
    assert len(matches) == 1, f"{day} {permaslug}: {matches}"
    return matches[0]


def assert_drift(call, match: str, url: str = orr.CSV_URL) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        call()
    assert "[openrouter_rankings]" in str(info.value) and url in str(info.value)


# -- real capture ----------------------------------------------------------------------------------------


def test_real_capture_counts_and_days(parse, sample) -> None:
    result = parse(sample)
    assert len(result.usage) == 102
    assert sorted({u.usage_date for u in result.usage}) == [date(2026, 9, 30), date(2026, 10, 7)]
    for day in ("2026-09-30", "2026-10-07"):
        rows = [u for u in result.usage if u.usage_date.isoformat() == day]
        assert len(rows) == 51
        assert sorted(u.rank for u in rows if u.rank is not None) == list(range(1, 51))
        assert abs(sum(u.share_of_daily_tokens for u in rows) - 1) < Decimal("1e-9")
    assert not result.prices and not result.exclusions


def test_real_capture_values(parse, sample) -> None:
    result = parse(sample)
    bunny = fact(result, "2026-09-30", "stealth/space-bunny-alpha")
    assert (bunny.rank, bunny.total_tokens, bunny.model_id, bunny.creator) == (
        1, 5331621827040, "space-bunny-alpha", "stealth")
    assert bunny.share_of_daily_tokens == Decimal("0.21870872876777964")
    flash = fact(result, "2026-10-07", "deepseek/deepseek-v4.1-flash-20260910")
    assert (flash.rank, flash.total_tokens, flash.model_id, flash.creator) == (
        1, 7519183440956, "deepseek-v4.1-flash", "deepseek")
    opus = fact(result, "2026-10-07", "anthropic/claude-opus-5.5-20260921")
    assert (opus.rank, opus.total_tokens, opus.model_id) == (7, 883020526231, "claude-opus-5.5")
    lite = fact(result, "2026-09-30", "google/gemini-2.5-flash-lite")  # no date suffix to strip
    assert (lite.model_id, lite.rank, lite.total_tokens) == ("gemini-2.5-flash-lite", 30, 105251361365)


def test_real_capture_other_row_and_free_variants(parse, sample) -> None:
    result = parse(sample)
    other = fact(result, "2026-10-07", "other")
    assert (other.rank, other.model_id, other.creator, other.total_tokens) == (None, "other", "other", 1771712615873)
    assert other.share_of_daily_tokens == Decimal("0.07052741120831148")
    free = fact(result, "2026-10-07", "nvidia/nemotron-3-ultra-550b-a55b-20260604:free")
    assert (free.model_id, free.creator, free.rank) == ("nemotron-3-ultra-550b-a55b", "nvidia", 6)
    # two permaslugs of one slug on one day stay two rows, told apart by source_model_id
    v4_flash = [u for u in result.usage if u.usage_date == date(2026, 9, 30) and u.model_id == "deepseek-v4-flash"]
    assert sorted(u.source_model_id for u in v4_flash) == [
        "deepseek/deepseek-v4-flash-20260423", "deepseek/deepseek-v4-flash-20260731"]


def test_real_capture_as_of_is_the_latest_day_and_cited(parse, sample) -> None:
    result = parse(sample)
    assert {u.as_of for u in result.usage} == {date(2026, 10, 7)}
    assert {u.citation for u in result.usage} == {"Source: OpenRouter (openrouter.ai/rankings), as of 2026-10-07"}
    assert {(u.source_id, u.source_url, u.parser_version) for u in result.usage} == {
        ("openrouter_rankings", orr.CSV_URL, "1")}


def test_real_manifest_reads(sample_manifest, make_meta) -> None:
    manifest = orr.read_manifest(sample_manifest, make_meta(orr.SOURCE_ID, orr.MANIFEST_URL, sample_manifest))
    assert (manifest.snapshot_date, manifest.row_count) == (date(2026, 10, 8), 1530)
    assert manifest.files["csv"].sha256.startswith("a568e932f96c")


def test_real_excerpt_does_not_match_its_manifest(captures, sample, sample_manifest) -> None:
    # the sample CSV is an excerpt of the 2026-10-08 file: its checksum cannot match the manifest's
    assert_drift(lambda: orr.parse_captures(captures(sample, sample_manifest)), "not the file the manifest names")


# -- our rendering, manifest path ------------------------------------------------------------------------


def test_fixture_rendering_gives_the_same_facts(parse, fixture_dir, sample) -> None:
    ours = parse((fixture_dir / "rankings-daily.csv").read_bytes())
    real = parse(sample)
    assert len(ours.usage) == 9
    for usage in ours.usage:
        if usage.source_model_id == "other":
            continue
        twin = fact(real, "2026-10-07", usage.source_model_id)
        assert (usage.rank, usage.total_tokens, usage.share_of_daily_tokens, usage.model_id) == (
            twin.rank, twin.total_tokens, twin.share_of_daily_tokens, twin.model_id)
    day_total = sum(u.total_tokens for u in real.usage if u.usage_date == date(2026, 10, 7))
    assert sum(u.total_tokens for u in ours.usage) == day_total


def test_parse_captures_uses_the_snapshot_date(captures, fixture_dir) -> None:
    result = orr.parse_captures(captures((fixture_dir / "rankings-daily.csv").read_bytes(),
                                         (fixture_dir / "rankings-daily.manifest.json").read_bytes()))
    assert len(result.usage) == 9
    assert {u.as_of for u in result.usage} == {date(2026, 10, 8)}
    assert {u.citation for u in result.usage} == {"Source: OpenRouter (openrouter.ai/rankings), as of 2026-10-08"}
    assert {u.source_url for u in result.usage} == {orr.CSV_URL}


@pytest.mark.parametrize(
    ("mutate", "match", "url"),
    [
        (lambda m: m.update(row_count=10), "has 9 rows, the manifest says 10", orr.CSV_URL),
        (lambda m: m["license"].update(name="CC BY-NC 4.0"), "licence changed", orr.MANIFEST_URL),
        (lambda m: m.update(schema_version="v2"), "expected rankings-daily v1", orr.MANIFEST_URL),
        (lambda m: m.pop("snapshot_date"), "snapshot_date", orr.MANIFEST_URL),
    ],
)
def test_manifest_problems_are_drift(captures, fixture_dir, mutate, match, url) -> None:
    manifest = json.loads((fixture_dir / "rankings-daily.manifest.json").read_text())
    mutate(manifest)
    bodies = captures((fixture_dir / "rankings-daily.csv").read_bytes(), json.dumps(manifest).encode())
    assert_drift(lambda: orr.parse_captures(bodies), match, url)


def test_manifest_alone_is_not_an_empty_day(parse, fixture_dir) -> None:
    body = (fixture_dir / "rankings-daily.manifest.json").read_bytes()
    assert_drift(lambda: parse(body, orr.MANIFEST_URL), "manifest", orr.MANIFEST_URL)


def test_parse_captures_without_manifest_falls_back_to_the_csv(make_meta, fixture_dir) -> None:
    body = (fixture_dir / "rankings-daily.csv").read_bytes()
    result = orr.parse_captures({orr.CSV_KEY: (body, make_meta(orr.SOURCE_ID, orr.CSV_URL, body))})
    assert {u.as_of for u in result.usage} == {date(2026, 10, 7)}


# -- keyed API -------------------------------------------------------------------------------------------


def test_keyed_response(parse, fixture_dir) -> None:
    result = parse((fixture_dir / "rankings-daily-keyed.json").read_bytes(), orr.KEYED_URL)
    assert len(result.usage) == 12
    assert {u.as_of for u in result.usage} == {date(2026, 10, 8)}
    assert all(u.share_of_daily_tokens is None for u in result.usage)
    first = fact(result, "2026-09-30", "stealth/space-bunny-alpha")
    assert (first.rank, first.total_tokens) == (1, 5331621827040)
    fifth = fact(result, "2026-10-07", "openai/gpt-6-luna-20260922")
    assert (fifth.rank, fifth.model_id, fifth.total_tokens) == (5, "gpt-6-luna", 1094658009557)
    assert fact(result, "2026-10-07", "other").rank is None


def test_keyed_rank_is_recomputed_not_read_from_order(parse, fixture_dir) -> None:
    document = json.loads((fixture_dir / "rankings-daily-keyed.json").read_text())
    document["data"].reverse()
    result = parse(json.dumps(document), orr.KEYED_URL)
    assert fact(result, "2026-10-07", "deepseek/deepseek-v4.1-flash-20260910").rank == 1


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda d: d["data"][0].update(prompt_tokens="1"), "prompt_tokens"),
        (lambda d: d["data"][0].update(total_tokens=5331621827040), "total_tokens"),
        (lambda d: d["meta"].update(version="v2"), "version 'v2'"),
        (lambda d: d.pop("meta"), "'meta' object"),
        (lambda d: d.update(data=[]), "non-empty 'data'"),
        (lambda d: d["meta"].update(as_of="2026-10-01T00:00:00Z"), "after the snapshot's as_of"),
    ],
)
def test_keyed_drift(parse, fixture_dir, mutate, match) -> None:
    document = json.loads((fixture_dir / "rankings-daily-keyed.json").read_text())
    mutate(document)
    assert_drift(lambda: parse(json.dumps(document), orr.KEYED_URL), match, orr.KEYED_URL)


# -- drift in the CSV ------------------------------------------------------------------------------------


def test_unknown_column_is_drift(parse, fixture_dir) -> None:
    rows = list(csv.reader(io.StringIO((fixture_dir / "rankings-daily.csv").read_text("utf-8-sig"))))
    rows[0].append("prompt_tokens")
    for row in rows[1:]:
        row.append("1")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    assert_drift(lambda: parse(out.getvalue()), "unknown: \\['prompt_tokens'\\]")


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("date,model_permaslug,rank,total_tokens\r\n2026-10-07,a/b,1,5\r\n", "missing: \\['share_of_daily_tokens'\\]"),
        (HEADER + ROW.replace("2026-10-07", "07/10/2026"), "date '07/10/2026'"),
        (HEADER + ROW.replace(",1,", ",,"), "has no rank"),
        (HEADER + ROW + ROW, "appears twice"),
        (HEADER + ROW.replace(",1,", ",0,"), "rank 0 is below 1"),
        (HEADER + ROW.replace("0.2993197303783515", "1.5"), "outside \\[0, 1\\]"),
        (HEADER + ROW.replace("7519183440956", "-7519183440956"), "not a non-negative integer"),
        (HEADER + ROW.replace("7519183440956", "7.5e12"), "not a non-negative integer"),
        (HEADER + ROW.replace("0.2993197303783515", "n/a"), "not a number"),
        (HEADER + ROW.replace(",0.2993197303783515", ""), "4 cells"),
        (HEADER + ROW.replace("deepseek/deepseek-v4.1-flash-20260910", "no-author-slug"), "author/slug"),
        (HEADER, "no rows"),
        ("", "empty"),
        ("<html><body>rate limited</body></html>", "CSV header"),
    ],
)
def test_broken_csv_is_drift(parse, body, match) -> None:
    assert_drift(lambda: parse(body), match)


# -- identity --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("permaslug", "expected"),
    [
        ("anthropic/claude-opus-5.5-20260921", ("anthropic", "claude-opus-5.5")),
        ("poolside/laguna-s-2.1-20260720:free", ("poolside", "laguna-s-2.1")),
        ("openai/gpt-oss-120b", ("openai", "gpt-oss-120b")),
        ("anthropic/claude-3.7-sonnet-20250219:thinking", ("anthropic", "claude-3.7-sonnet:thinking")),
        ("acme/model-20261399", ("acme", "model-20261399")),  # not a calendar date: kept
        ("mistralai/ministral-8b-2512", ("mistralai", "ministral-8b-2512")),  # YYMM is not stripped
        ("Qwen/Qwen3.8-27B-20260814", ("qwen", "qwen3.8-27b")),
        ("other", ("other", "other")),
    ],
)
def test_split_permaslug(permaslug, expected) -> None:
    assert orr.split_permaslug(permaslug) == expected


def test_targets_and_headers(monkeypatch) -> None:
    monkeypatch.delenv(orr.API_KEY_ENV, raising=False)
    assert orr.targets() == [("latest.csv", orr.CSV_URL)]
    assert orr.targets(with_manifest=True) == [("latest.manifest.json", orr.MANIFEST_URL), ("latest.csv", orr.CSV_URL)]
    assert orr.request_headers() == {}
    monkeypatch.setenv(orr.API_KEY_ENV, "sk-test")
    assert orr.targets() == [("rankings-daily.json", orr.KEYED_URL)]
    assert orr.request_headers() == {"Authorization": "Bearer sk-test"}
    assert orr.keyed_url(date(2025, 1, 1), date(2025, 1, 31)) == (
        f"{orr.KEYED_URL}?start_date=2025-01-01&end_date=2025-01-31")


