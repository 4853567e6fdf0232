"""token-tariff timeline: launch prices dated by release date, AA index and METR horizons as scores, drift.

Hand-checked rows below were read by eye from ../shared/samples/datasets/token-tariff/timeline.csv
(Prajwalsrinvas/token-tariff @ dc2baf9d).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import token_tariff as tt

DEMO_DAY = "2026-08-06"


@pytest.fixture
def parse(make_meta):
    return lambda body: tt.parse(body, make_meta(tt.SOURCE_ID, tt.URL, body))


@pytest.fixture
def real(samples_dir, parse):
    return parse((samples_dir / "datasets" / "token-tariff" / "timeline.csv").read_bytes())


def price(result, model, token_type):
    matches = [p for p in result.prices if (p.model_id, p.token_type) == (model, token_type)]
    assert len(matches) == 1, f"{model} {token_type}: {matches}"
    return matches[0]


def score(result, model, benchmark):
    matches = [s for s in result.capabilities if (s.model_id, s.benchmark) == (model, benchmark)]
    assert len(matches) == 1, f"{model} {benchmark}: {matches}"
    return matches[0]


# -- the real capture ---------------------------------------------------------------------------------


def test_real_launch_prices_are_dated_by_release(real):
    gpt4 = price(real, "gpt-4", "input")
    assert (gpt4.provider_id, gpt4.price_per_mtok, gpt4.valid_from, gpt4.valid_from_basis) == (
        "openai", Decimal("30"), date(2023, 3, 14), "effective")
    assert price(real, "gpt-4", "output").price_per_mtok == 60
    # launched at $1/$5; the timeline's current $0.80/$4 is not read
    haiku = price(real, "claude-3-5-haiku", "input")
    assert (haiku.provider_id, haiku.price_per_mtok, haiku.valid_from) == ("anthropic", 1, date(2024, 11, 4))
    assert price(real, "claude-3-5-haiku", "output").price_per_mtok == 5
    assert price(real, "gpt-5", "input").price_per_mtok == Decimal("1.25")
    assert price(real, "gemini-3.5-flash-lite", "output").provider_id == "google"
    assert not [p for p in real.prices if p.model_id in ("gpt-4o", "kimi-k3")]  # no launch price stated
    assert {(e.item, e.field) for e in real.exclusions} >= {("gpt-4o", "launch_price_in"), ("kimi-k3", "launch_price_out")}
    assert {e.field for e in real.exclusions if e.item == "*"} == set(tt.NOT_READ)


def test_real_scores(real):
    aa = score(real, "gpt-4", tt.AA_INDEX)
    assert (aa.score, aa.scale, aa.as_of, aa.as_of_basis, aa.creator, aa.release_date) == (
        Decimal("7.0"), "index", date(2026, 7, 5), "on_or_before", "OpenAI", date(2023, 3, 14))
    gpt5 = score(real, "gpt-5", tt.AA_INDEX)
    assert (gpt5.score, gpt5.as_of, gpt5.as_of_basis, gpt5.score_source_url) == (
        Decimal("34.7"), date(2026, 8, 1), "stated", "https://openrouter.ai/api/v1/models")
    metr = score(real, "gpt-4", "METR time horizon (50% success)")
    assert (metr.score, metr.scale, metr.as_of_basis) == (Decimal("3.987"), "minutes", "captured")
    assert score(real, "gpt-4", "METR time horizon (80% success)").score == Decimal("0.89")
    assert score(real, "kimi-k3", tt.AA_INDEX).creator == "Moonshot AI"
    assert score(real, "claude-mythos-preview-early", "METR time horizon (50% success)").score == Decimal("1044.78")
    assert not [s for s in real.capabilities if (s.model_id, s.benchmark) == ("claude-mythos-preview-early", tt.AA_INDEX)]


def test_real_counts_follow_the_filled_cells(samples_dir, real):
    rows = list(csv.DictReader(io.StringIO((samples_dir / "datasets" / "token-tariff" / "timeline.csv").read_text())))
    assert len(real.prices) == sum(1 for r in rows for c in tt.PRICES if r[c])
    assert len(real.capabilities) == sum(1 for r in rows for c in ("aa_intel", *tt.METR) if r[c])


# -- our own rendering: reordered columns, quoted fields, CRLF ------------------------------------------


def test_fixture_in_another_rendering(fixtures_dir, parse):
    result = parse((fixtures_dir / "token_tariff" / "timeline_reordered_quoted.csv").read_bytes())
    assert price(result, "claude-3-5-haiku", "input").price_per_mtok == 1
    assert price(result, "gpt-5", "output").valid_from == date(2025, 8, 7)
    assert len(result.prices) == 4
    assert score(result, "claude-3-5-haiku", tt.AA_INDEX).as_of_basis == "on_or_before"
    assert score(result, "kimi-k3", tt.AA_INDEX).score == Decimal("57.1")
    assert {e.field for e in result.exclusions if e.item == "kimi-k3"} == {"launch_price_in", "launch_price_out"}


# -- drift --------------------------------------------------------------------------------------------

HEADER = "model,vendor,release_date,launch_price_in,launch_price_out,aa_intel,aa_version"


@pytest.mark.parametrize(("body", "message"), [
    ("model,vendor,launch_price_in,launch_price_out\ngpt-4,OpenAI,30,60\n", "missing"),
    (f"{HEADER},launch_price_in_per_1k\ngpt-4,OpenAI,2023-03-14,30,60,7.0,2026-08-01,0.03\n", "unknown column"),
    (f"{HEADER}\ngpt-4,OpenAI,2023-03-14,$30,60,7.0,2026-08-01\n", "not a plain number"),
    (f"{HEADER}\ngpt-4,OpenAI,2023-03-14,0.03/1K,60,7.0,2026-08-01\n", "not a plain number"),
    (f"{HEADER}\ngpt-4,OpenAI,March 2023,30,60,7.0,2026-08-01\n", "YYYY-MM-DD"),
    (f"{HEADER}\ngpt-4,OpenAI,2023-03-14,30,60,7.0,v4\n", "aa_version"),
    (f"{HEADER}\ngpt-4,OpenAI,2023-03-14,30,60,700,2026-08-01\n", "over 100"),
    (f"{HEADER}\ngpt-4,OpenAI,2023-03-14,30,60,7.0,2026-08-01\ngpt-4,OpenAI,2023-03-14,30,60,7.0,2026-08-01\n",
     "two rows"),
])
def test_drift(parse, body, message):
    with pytest.raises(LayoutDriftError, match=message) as err:
        parse(body.encode())
    assert err.value.source_id == tt.SOURCE_ID


# -- the demo capture -----------------------------------------------------------------------------------


def test_demo_capture_is_a_subset_of_the_real_timeline(demo_dir, parse, real):
    demo = parse((demo_dir / DEMO_DAY / tt.SOURCE_ID / "timeline.csv").read_bytes())
    pkey = lambda p: (p.provider_id, p.model_id, p.token_type, p.price_per_mtok, p.valid_from)  # noqa: E731
    assert demo.prices and {pkey(p) for p in demo.prices} <= {pkey(p) for p in real.prices}
    skey = lambda s: (s.model_id, s.creator, s.benchmark, s.score, s.as_of, s.as_of_basis)  # noqa: E731
    assert demo.capabilities and {skey(s) for s in demo.capabilities} <= {skey(s) for s in real.capabilities}


def test_demo_derivation_is_deterministic(demo_dir, samples_dir):
    import importlib.util

    spec = importlib.util.spec_from_file_location("derive_tariff", demo_dir.parent / "derive" / "token_tariff.py")
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    body = derive.derive((samples_dir / derive.SAMPLE).read_bytes())
    assert body == (demo_dir / DEMO_DAY / tt.SOURCE_ID / "timeline.csv").read_bytes()
