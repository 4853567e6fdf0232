"""Epoch AI's benchmark tables: blended prices (dated only in Epoch's own table), scores, drift.

Hand-checked rows below were read by eye from the two CSVs in ../shared/samples/datasets/epoch/
(epoch-research/llm-benchmark-efficiency @ 34b92331).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import epoch_benchmarks as eb

AA, EPOCH = eb.AA_FILE, eb.EPOCH_FILE
DEMO_DAY = "2025-03-13"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes, file: str = AA, url: str | None = None):
        return eb.parse(body, make_meta(eb.SOURCE_ID, url or eb.URLS[file], body))

    return _parse


@pytest.fixture
def sample(samples_dir):
    return lambda file: (samples_dir / "datasets" / "epoch" / f"llm-benchmark-efficiency__{file}").read_bytes()


def price(result, model, valid_from=None):
    matches = [p for p in result.prices if (p.model_id, p.valid_from) == (model, valid_from)]
    assert len(matches) == 1, f"{model} {valid_from}: {matches}"
    return matches[0]


def score(result, model, benchmark):
    matches = [s for s in result.capabilities if (s.model_id, s.benchmark) == (model, benchmark)]
    assert len(matches) == 1, f"{model} {benchmark}: {matches}"
    return matches[0]


def rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


# -- the real tables --------------------------------------------------------------------------------


def test_real_aa_table_prices_are_undated_blends(sample, parse):
    result = parse(sample(AA), AA)
    haiku = price(result, "claude-3.5-haiku")
    # 1.6 = (3 x 0.80 + 4) / 4: the price after the 2024-12-03 cut, so not dated by the release date
    assert (haiku.price_per_mtok, haiku.token_type, haiku.valid_from, haiku.valid_from_basis) == (
        Decimal("1.6"), "blended_3_1", None, None)
    assert haiku.model_name == "Claude-3.5-Haiku" and haiku.provider_id == eb.PROVIDER
    assert price(result, "gpt-4-0314").price_per_mtok == Decimal("37.5")
    assert price(result, "gemini 2.0 flash").raw_value == "0.175"
    assert len(result.prices) == len([r for r in rows(sample(AA)) if r[eb.PRICE]])
    assert {p.token_type for p in result.prices} == {"blended_3_1"}


def test_real_aa_table_scores(sample, parse):
    result = parse(sample(AA), AA)
    mmlu = score(result, "claude-3.5-haiku", "MMLU")
    assert (mmlu.score, mmlu.scale, mmlu.release_date, mmlu.as_of_basis) == (
        Decimal("81"), "percent", date(2024, 10, 22), "captured")
    assert mmlu.as_of == date(2026, 11, 18)  # the capture's day (make_meta's fetched_at)
    assert score(result, "claude-3.5-haiku", "LMSys Chatbot Arena ELO").scale == "elo"
    assert score(result, "claude-3.5-haiku", "LMSys Chatbot Arena ELO").score == 1236
    assert not [s for s in result.capabilities if (s.model_id, s.benchmark) == ("claude-3.5-haiku", "MATH 5")]
    assert score(result, "gpt-4-0314", "GPQA Diamond").score == 33
    assert score(result, "gemini 2.0 flash", "MATH 5").score == 82
    filled = sum(1 for r in rows(sample(AA)) for b in eb.BENCHMARKS if r[b])
    assert len(result.capabilities) == filled  # one model per row: every filled cell is a score
    assert {s.creator for s in result.capabilities} == {None}
    assert all("Epoch AI" in s.citation for s in result.capabilities)
    assert {(e.field, e.item) for e in result.exclusions} == {(c, "*") for c in eb.NOT_READ}


def test_real_epoch_table_prices_are_dated_first_seen(sample, parse):
    result = parse(sample(EPOCH), EPOCH)
    davinci = [(p.valid_from, p.price_per_mtok) for p in result.prices if p.model_id == "gpt-3 175b (davinci)"]
    assert sorted(davinci) == [(date(2021, 11, 20), 60), (date(2022, 8, 31), 60), (date(2022, 9, 1), 20),
                               (date(2024, 1, 4), 20)]
    assert {p.valid_from_basis for p in result.prices} == {"first_seen"}
    assert price(result, "command r+", date(2024, 9, 13)).price_per_mtok == Decimal("4.375")
    assert price(result, "o1-mini", date(2025, 1, 31)).price_per_mtok == Decimal("1.925")
    assert price(result, "claude instant", date(2024, 8, 12)).price_per_mtok == Decimal("1.2")


def test_real_epoch_table_scores_once_per_model(sample, parse):
    result = parse(sample(EPOCH), EPOCH)
    command = score(result, "command r+", "MMLU")  # on both of its price rows, one score
    assert (command.score, command.release_date) == (Decimal("75.7"), None)  # the row date is a price date
    assert score(result, "gpt-3 175b (davinci)", "MMLU").score == Decimal("43.9")
    (two,) = [e for e in result.exclusions if e.item == "gpt-3 175b (davinci)"]
    assert (two.field, "43.9" in two.reason, "63.1" in two.reason) == ("MMLU", True, True)
    assert not [s for s in result.capabilities if s.model_id == "claude instant"]


# -- our own rendering: reordered columns, every field quoted, CRLF --------------------------------------


def test_fixture_in_another_rendering(fixtures_dir, parse):
    aa = parse((fixtures_dir / "epoch_benchmarks" / "aa_data_reordered_quoted.csv").read_bytes(), AA)
    assert price(aa, "claude-3-haiku").price_per_mtok == Decimal("0.5")
    assert score(aa, "claude-3-haiku", "MATH 5").score == 13
    assert score(aa, "gpt-4-0314", "LMSys Chatbot Arena ELO").score == 1186
    assert len(aa.capabilities) == 7 and aa.exclusions == []
    epoch = parse((fixtures_dir / "epoch_benchmarks" / "epoch_prices_reordered_quoted.csv").read_bytes(), EPOCH)
    assert [(p.valid_from, p.price_per_mtok) for p in epoch.prices if p.model_id == "gpt-3 175b (davinci)"] == [
        (date(2021, 11, 20), 60), (date(2022, 9, 1), 20), (date(2024, 1, 4), 20)]
    assert [e.field for e in epoch.exclusions] == ["MMLU"]


def test_the_same_rows_read_the_same_in_both_renderings(fixtures_dir, sample, parse):
    ours = parse((fixtures_dir / "epoch_benchmarks" / "aa_data_reordered_quoted.csv").read_bytes(), AA)
    real = parse(sample(AA), AA)
    key = lambda r: (r.model_id, r.price_per_mtok)  # noqa: E731
    assert {key(p) for p in ours.prices} <= {key(p) for p in real.prices}
    skey = lambda s: (s.model_id, s.benchmark, s.score)  # noqa: E731
    assert {skey(s) for s in ours.capabilities} <= {skey(s) for s in real.capabilities}


# -- drift --------------------------------------------------------------------------------------------

HEADER = "Model Name,Release Date,USD per 1M Tokens,MMLU"


@pytest.mark.parametrize(("body", "message"), [
    ("Model Name,Release Date,MMLU\nClaude-3-Haiku,2024-03-04,71\n", "required column.s. missing"),
    ("Model Name,Release Date,USD per 1K Tokens,MMLU\nClaude-3-Haiku,2024-03-04,0.0005,71\n", "unknown column"),
    (f"{HEADER},Batch Price\nClaude-3-Haiku,2024-03-04,0.5,71,0.25\n", "unknown column"),
    (f"{HEADER}\nClaude-3-Haiku,2024-03-04,$0.5,71\n", "not a plain number"),
    (f"{HEADER}\nClaude-3-Haiku,2024-03-04,0.5/1M,71\n", "not a plain number"),
    (f"{HEADER}\nClaude-3-Haiku,03/04/2024,0.5,71\n", "not a YYYY-MM-DD date"),
    (f"{HEADER}\nClaude-3-Haiku,2024-03-04,0.5,710\n", "over 100%"),
    (f"{HEADER}\n", "a header but no rows"),
    (f"{HEADER},MMLU\nClaude-3-Haiku,2024-03-04,0.5,71,71\n", "named twice"),
    (f"{HEADER}\nClaude-3-Haiku,2024-03-04,0.5\n", "cells for"),
])
def test_drift(parse, body, message):
    with pytest.raises(LayoutDriftError, match=message) as err:
        parse(body.encode(), AA)
    assert err.value.source_id == eb.SOURCE_ID


def test_a_url_naming_neither_table_is_drift(parse):
    with pytest.raises(LayoutDriftError, match="neither"):
        parse(f"{HEADER}\nClaude-3-Haiku,2024-03-04,0.5,71\n".encode(), url="https://example.org/prices.csv")


# -- the demo captures are row subsets of the real tables -----------------------------------------------


@pytest.mark.parametrize("file", [AA, EPOCH])
def test_demo_capture_is_a_subset_of_the_real_table(demo_dir, sample, parse, file):
    demo = parse((demo_dir / DEMO_DAY / eb.SOURCE_ID / file).read_bytes(), file)
    real = parse(sample(file), file)
    fields = ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency",
              "price_per_mtok", "valid_from", "valid_from_basis")
    pkey = lambda p: tuple(getattr(p, f) for f in fields)  # noqa: E731
    assert demo.prices and {pkey(p) for p in demo.prices} <= {pkey(p) for p in real.prices}
    skey = lambda s: (s.model_id, s.benchmark, s.score, s.scale, s.release_date)  # noqa: E731
    assert demo.capabilities and {skey(s) for s in demo.capabilities} <= {skey(s) for s in real.capabilities}


@pytest.mark.parametrize(("script", "file"), [("epoch_benchmarks", AA), ("epoch_benchmarks_epoch_prices", EPOCH)])
def test_demo_derivation_is_deterministic(demo_dir, samples_dir, script, file):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"derive_{script}", demo_dir.parent / "derive" / f"{script}.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    assert demo_dir / DEMO_DAY / eb.SOURCE_ID / file == derive.OUT
    assert derive.derive((samples_dir / derive.SAMPLE).read_bytes()) == derive.OUT.read_bytes()
