"""The openrouter_rankings demo capture (2026-08-08): derived from real daily model activity, read back
through the parser and the raw.usage_facts gate, and the derivation's edge rules on a fixture of our own.

The real inputs are in ../shared/samples/openrouter (``usage-history/sui414/model_activity.csv``, its
``raw_2026-08-08_rankings.json.gz``, and the real export excerpt); tests that need them skip without them.
The edge-rule fixture below is synthetic (``test/...`` slugs, small round counts): it shows rules, not facts.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.util
import io
import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from scrapers.records import CaptureMeta
from scrapers.sources import openrouter_rankings as orr

DEMO = Path("2026-08-08") / orr.SOURCE_ID
ACTIVITY = Path("openrouter/usage-history/sui414")
FETCHED_AT = datetime(2026, 8, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def derive(demo_dir):
    spec = importlib.util.spec_from_file_location("derive_openrouter_rankings",
                                                  demo_dir.parent / "derive" / "openrouter_rankings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo_files(demo_dir) -> tuple[bytes, bytes]:
    folder = demo_dir / DEMO
    return (folder / orr.CSV_KEY).read_bytes(), (folder / orr.MANIFEST_KEY).read_bytes()


@pytest.fixture(scope="module")
def activity(samples_dir) -> bytes:
    return (samples_dir / ACTIVITY / "model_activity.csv").read_bytes()


def _captures(csv_body: bytes, manifest: bytes) -> dict:
    def meta(url: str, body: bytes) -> CaptureMeta:
        return CaptureMeta(orr.SOURCE_ID, url, FETCHED_AT, hashlib.sha256(body).hexdigest(), "")

    return {orr.CSV_KEY: (csv_body, meta(orr.CSV_URL, csv_body)),
            orr.MANIFEST_KEY: (manifest, meta(orr.MANIFEST_URL, manifest))}


@pytest.fixture(scope="module")
def facts(demo_files):
    return orr.parse_captures(_captures(*demo_files)).usage


# -- (a) the committed capture is exactly what the script derives from the real sample -------------


def test_demo_capture_is_what_the_derive_script_writes(derive, activity, demo_files) -> None:
    assert derive.derive(activity) == demo_files


# -- (b) the committed capture read through the parser ----------------------------------------------


def test_thirty_consecutive_days_of_fifty_and_other(facts) -> None:
    days = sorted({f.usage_date for f in facts})
    assert len(days) >= 30
    assert days == [days[0] + timedelta(days=n) for n in range(len(days))]
    for day in days:
        rows = [f for f in facts if f.usage_date == day]
        assert len(rows) == 51
        assert sorted(f.rank for f in rows if f.rank is not None) == list(range(1, 51))
        assert [f.source_model_id for f in rows if f.rank is None] == [orr.OTHER]
        ranked = sorted((f for f in rows if f.rank), key=lambda f: f.rank)
        assert all(a.total_tokens >= b.total_tokens for a, b in zip(ranked, ranked[1:], strict=False))


def test_shares_sum_to_one_and_are_tokens_over_the_day(facts) -> None:
    by_day = defaultdict(list)
    for f in facts:
        by_day[f.usage_date].append(f)
    for rows in by_day.values():
        total = sum(f.total_tokens for f in rows)
        assert abs(float(sum(f.share_of_daily_tokens for f in rows)) - 1) < 1e-9
        assert all(abs(float(f.share_of_daily_tokens) - f.total_tokens / total) < 1e-15 for f in rows)


def test_every_day_total_is_every_model_of_that_day(facts, activity) -> None:
    """Read model_activity here with the csv module alone, not with the derive script's code."""
    day_total: Counter = Counter()
    tokens: dict[tuple[str, str], int] = {}
    for row in csv.DictReader(io.StringIO(activity.decode(), newline="")):
        value = int(row["total_prompt_tokens"]) + int(row["total_completion_tokens"])
        day_total[row["date"]] += value
        suffix = "" if row["variant"] == "standard" else f":{row['variant']}"
        tokens[(row["date"], row["permaslug"] + suffix)] = value
    parsed_total: Counter = Counter()
    for f in facts:
        parsed_total[f.usage_date.isoformat()] += f.total_tokens
        if f.source_model_id != orr.OTHER:
            assert tokens[(f.usage_date.isoformat(), f.source_model_id)] == f.total_tokens
    assert parsed_total == {day: day_total[day] for day in parsed_total}


def test_partial_last_day_is_left_out_and_as_of_is_the_snapshot(facts, activity) -> None:
    last_day = max(row["date"] for row in csv.DictReader(io.StringIO(activity.decode(), newline="")))
    assert last_day == "2026-08-08"  # scraped 15:31 UTC that day
    assert max(f.usage_date for f in facts) == date(2026, 8, 7)
    assert {f.as_of for f in facts} == {date(2026, 8, 8)}
    assert {f.citation for f in facts} == {"Source: OpenRouter (openrouter.ai/rankings), as of 2026-08-08"}


def test_capture_has_the_real_exports_shape(demo_files, samples_dir) -> None:
    csv_body, manifest = demo_files
    real_csv = (samples_dir / "openrouter" / "rankings-daily_sample.csv").read_bytes()
    real_manifest = json.loads((samples_dir / "openrouter" / "rankings-daily_sample-manifest.json").read_bytes())
    assert csv_body.split(b"\r\n")[0] == real_csv.splitlines()[0]
    assert csv_body.endswith(b"\r\n") and b"\n" not in csv_body.replace(b"\r\n", b"")
    ours = json.loads(manifest)
    assert set(ours) == set(real_manifest)
    assert set(ours["files"]) <= set(real_manifest["files"])
    assert ours["attribution"].startswith(orr.citation(date.fromisoformat(ours["snapshot_date"])))


def test_gate_accepts_the_capture(facts) -> None:
    from expectations.runner import validate

    frame = pd.DataFrame([f.model_dump() for f in facts])
    frame["partition_date"] = date(2026, 8, 8)
    frame["loaded_at"] = datetime(2026, 8, 8, 6, tzinfo=UTC)
    result = validate(frame, "raw_usage_facts")
    assert result.row_count >= 1500
    assert result.success, result.summary()


# -- the rules, against OpenRouter's own data --------------------------------------------------------


def test_variant_rule_is_openrouters_variant_permaslug(derive, samples_dir) -> None:
    rows = json.loads(gzip.decompress((samples_dir / ACTIVITY / "raw_2026-08-08_rankings.json.gz").read_bytes()))
    rows = [r for r in rows if r["model_permaslug"]]  # one empty, zero-token row of 2026-08-05 names no model
    assert len(rows) == 531 and {r["variant"] for r in rows} >= {"standard", "free", "batch"}
    assert all(derive.export_slug(r["model_permaslug"], r["variant"]) == r["variant_permaslug"] for r in rows)


def test_share_text_reproduces_the_real_export(derive, samples_dir) -> None:
    reader = csv.DictReader(io.StringIO((samples_dir / "openrouter" / "rankings-daily_sample.csv").read_text()))
    by_day = defaultdict(list)
    for row in reader:
        by_day[row["date"]].append(row)
    for rows in by_day.values():
        total = sum(int(r["total_tokens"]) for r in rows)
        assert [derive.share_text(int(r["total_tokens"]), total) for r in rows] == [
            r["share_of_daily_tokens"] for r in rows]


# -- (c) edge rules on a synthetic fixture of our own ------------------------------------------------

HEADER = ("permaslug,variant,model_slug,date,total_prompt_tokens,total_completion_tokens,"
          "total_native_tokens_reasoning,total_native_tokens_cached,request_count,total_tool_calls,"
          "requests_with_tool_call_errors,num_media_prompt,num_media_completion,image_output_requests,last_scraped_at")
LATE, EARLY = "T16:00:00+00:00", "T09:00:00+00:00"


def activity_csv(*rows: tuple[str, str, str, int, int, str]) -> bytes:
    """(permaslug, variant, date, prompt, completion, last_scraped_at) -> a model_activity.csv body."""
    lines = [HEADER] + [f"{slug},{variant},{slug},{day},{prompt},{completion},0,0,1,0,0,0,0,0,{scraped}"
                        for slug, variant, day, prompt, completion, scraped in rows]
    return ("\n".join(lines) + "\n").encode()


def three_days() -> list[tuple]:
    """Days 01..03; 03 scraped during the day (partial). On each full day test/c and test/d tie at rank 3."""
    rows = []
    for n, scraped in (("01", f"2026-01-03{LATE}"), ("02", f"2026-01-03{LATE}"), ("03", f"2026-01-03{EARLY}")):
        day = f"2026-01-{n}"
        rows += [("test/a-20260101", "standard", day, 100, 50, scraped),  # date suffix kept
                 ("test/a-20260101", "free", day, 90, 45, scraped),  # its own row, :free
                 ("test/d", "standard", day, 20, 10, scraped),
                 ("test/c", "standard", day, 25, 5, scraped),
                 ("test/e", "standard", day, 1, 0, scraped)]
    return rows


def derived_rows(derive, body: bytes, length: int) -> list[list[str]]:
    csv_body, _ = derive.derive(body, length=length, top=3)
    return list(csv.reader(io.StringIO(csv_body.decode(), newline="")))[1:]


def test_variants_stay_apart_ties_break_on_permaslug_and_the_partial_day_goes(derive) -> None:
    rows = derived_rows(derive, activity_csv(*three_days()), length=2)
    total = 150 + 135 + 30 + 30 + 1
    assert rows[:4] == [
        ["2026-01-01", "test/a-20260101", "1", "150", repr(150 / total)],
        ["2026-01-01", "test/a-20260101:free", "2", "135", repr(135 / total)],
        ["2026-01-01", "test/c", "3", "30", repr(30 / total)],  # ties test/d at 30: c sorts first
        ["2026-01-01", "other", "", "31", repr(31 / total)],  # test/d 30 + test/e 1
    ]
    assert {r[0] for r in rows} == {"2026-01-01", "2026-01-02"}  # 2026-01-03 was scraped at 09:00 that day


def test_the_derived_fixture_parses_with_its_manifest(derive) -> None:
    csv_body, manifest = derive.derive(activity_csv(*three_days()), length=2, top=3)
    facts = orr.parse_captures(_captures(csv_body, manifest)).usage
    assert len(facts) == 8 and {f.as_of for f in facts} == {date(2026, 1, 3)}
    described = json.loads(manifest)
    assert described["row_count"] == 8 and described["retrieved_at"] == "2026-01-03T16:00:00Z"
    assert {(f.source_model_id, f.model_id) for f in facts if f.rank in (1, 2)} == {
        ("test/a-20260101", "a"), ("test/a-20260101:free", "a")}


def test_a_variant_that_left_on_its_last_day_keeps_that_day(derive) -> None:
    rows = three_days() + [("test/b", "free", "2026-01-02", 500, 0, f"2026-01-02{EARLY}")]
    derived = derived_rows(derive, activity_csv(*rows), length=2)
    assert derived[4][:4] == ["2026-01-02", "test/b:free", "1", "500"]


def test_an_early_scraped_row_inside_the_series_is_refused(derive) -> None:
    rows = three_days() + [("test/b", "free", "2026-01-01", 500, 0, f"2026-01-01{EARLY}"),
                           ("test/b", "free", "2026-01-02", 500, 0, f"2026-01-03{LATE}")]
    with pytest.raises(ValueError, match="partial row inside the series"):
        derive.derive(activity_csv(*rows), length=2, top=3)


def test_too_few_consecutive_complete_days_is_an_error(derive) -> None:
    with pytest.raises(ValueError, match="no 3 consecutive days"):
        derive.derive(activity_csv(*three_days()), length=3, top=3)


def test_a_repeated_row_is_an_error_not_a_sum(derive) -> None:
    rows = three_days() + [("test/c", "standard", "2026-01-01", 1, 1, f"2026-01-03{LATE}")]
    with pytest.raises(ValueError, match="appears twice"):
        derive.derive(activity_csv(*rows), length=2, top=3)


def test_share_text_never_uses_an_exponent(derive) -> None:
    assert derive.share_text(1, 100_000) == "0.00001"
    assert derive.share_text(1, 3) == repr(1 / 3)
