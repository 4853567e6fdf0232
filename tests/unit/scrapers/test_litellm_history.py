"""LiteLLM price history: runs -> SCD2 facts per series, first_seen basis, same-day runs, drift."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import litellm_history as lh

HEADER = ("litellm_provider,model_key,first_seen,last_seen,input_usd_per_1M,output_usd_per_1M,cache_read_usd_per_1M,"
          "cache_write_usd_per_1M,batch_input_usd_per_1M,batch_output_usd_per_1M,first_commit")


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode() if isinstance(body, str) else body
        return lh.parse(body, make_meta(lh.SOURCE_ID, lh.URL, body))

    return _parse


@pytest.fixture(scope="module")
def real(samples_dir, make_meta):
    body = (samples_dir / "datasets" / "litellm" / "litellm_price_history_changepoints.csv").read_bytes()
    return lh.parse(body, make_meta(lh.SOURCE_ID, lh.URL, body))


@pytest.fixture
def fixture_bytes(fixtures_dir) -> bytes:
    return (fixtures_dir / "litellm_history" / "changepoints.csv").read_bytes()


def series(result, provider, model, token_type, tier="standard"):
    """``[(valid_from, valid_to, price), ...]`` of one series, oldest first."""
    return sorted((p.valid_from, p.valid_to, p.price_per_mtok) for p in result.prices
                  if (p.provider_id, p.model_id, p.token_type, p.service_tier) == (provider, model, token_type, tier))


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_counts(real) -> None:
    assert len(real.prices) == 2082
    assert {p.valid_from_basis for p in real.prices} == {"first_seen"}
    assert {p.context_band for p in real.prices} == {"all"}
    assert sum(p.service_tier == "batch" for p in real.prices) == 110
    assert len(real.exclusions) == 7  # same-day superseded runs
    assert {p.provider_id for p in real.prices} == {
        "anthropic", "cerebras", "deepseek", "fireworks_ai", "gemini", "groq", "mistral", "moonshot", "openai",
        "together_ai", "vertex_ai-language-models", "xai"}


def test_real_capture_price_cut_is_dated_by_first_sighting(real) -> None:
    haiku = ("anthropic", "claude-3-5-haiku-20241022")
    # the key left the map after 2026-03-12: valid to the day after its last sighting
    assert series(real, *haiku, "input") == [
        (date(2025, 2, 6), date(2025, 2, 28), Decimal("1.0")),
        (date(2025, 2, 28), date(2026, 3, 13), Decimal("0.8")),
    ]
    assert series(real, *haiku, "cache_read") == [
        (date(2025, 2, 6), date(2025, 2, 28), Decimal("0.1")),
        (date(2025, 2, 28), date(2025, 4, 9), Decimal("0.8")),  # a LiteLLM slip, fixed six weeks later
        (date(2025, 4, 9), date(2026, 3, 13), Decimal("0.08")),
    ]


def test_real_capture_current_prices_stay_open(real) -> None:
    assert series(real, "openai", "gpt-5.4", "input", "batch") == [(date(2026, 3, 6), None, Decimal("1.25"))]
    assert series(real, "gemini", "gemini-2.0-flash", "cache_read") == [(date(2025, 7, 15), None, Decimal("0.025"))]
    # the 150 / 600 typo of 2025-02-07 was replaced the same day: never a fact
    assert series(real, "gemini", "gemini-2.0-flash", "output") == [(date(2025, 2, 7), None, Decimal("0.4"))]
    typo = [e for e in real.exclusions if e.item == "gemini/gemini-2.0-flash"]
    assert len(typo) == 1 and "9810af3f7f" in typo[0].reason


# -- project fixture (BOM, CRLF, other column order, newest row first) ------------------------------


def test_fixture_rendering_gives_the_same_facts(parse, fixture_bytes, real) -> None:
    assert fixture_bytes.startswith(b"\xef\xbb\xbf") and b"\r\n" in fixture_bytes
    result = parse(fixture_bytes)
    assert len(result.prices) == 31
    mine = {(p.provider_id, p.model_id, p.token_type, p.service_tier, p.valid_from, p.valid_to, p.price_per_mtok)
            for p in result.prices}
    theirs = {(p.provider_id, p.model_id, p.token_type, p.service_tier, p.valid_from, p.valid_to, p.price_per_mtok)
              for p in real.prices}
    assert mine <= theirs


def test_fixture_same_day_and_gap(parse, fixture_bytes) -> None:
    result = parse(fixture_bytes)
    # 0.07 until a 2025-12-22 sighting, gone until 2026-01-01, a same-day revert on 2026-01-06 is dropped
    assert series(result, "groq", "gemma-7b-it", "input") == [
        (date(2025, 2, 6), date(2026, 1, 1), Decimal("0.07")),
        (date(2026, 1, 1), None, Decimal("0.05")),
    ]
    assert sorted(e.item for e in result.exclusions) == ["gemini/gemini-2.0-flash", "gpt-5.4", "groq/gemma-7b-it"]
    assert series(result, "anthropic", "claude-2", "output") == [(date(2025, 2, 6), date(2025, 7, 24), Decimal("24.0"))]


def test_provenance_and_identity(parse, fixture_bytes) -> None:
    result = parse(fixture_bytes)
    fact = next(p for p in result.prices if p.model_name == "anthropic/claude-sonnet-4-5")
    assert (fact.provider_id, fact.model_id, fact.unit_as_published) == ("anthropic", "claude-sonnet-4-5", "USD/MTok")
    assert all((r.source_id, r.source_url, r.parser_version) == ("litellm_history", lh.URL, lh.PARSER_VERSION)
               for r in [*result.prices, *result.exclusions])


def test_implausible_price_is_excluded(parse) -> None:
    result = parse(f"{HEADER}\nwandb,wandb/x,2025-01-01,2025-02-01,15000,1.0,,,,,abc\n")
    assert [p.token_type for p in result.prices] == ["output"]
    assert result.exclusions[0].reason.startswith("implausible price 15000")


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[litellm_history]" in str(info.value) and lh.URL in str(info.value)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (HEADER.replace("batch_output_usd_per_1M", "flex_output_usd_per_1M") + "\n", "flex_output_usd_per_1M"),
        (HEADER.replace(",first_commit", "") + "\n", "missing columns \\['first_commit'\\]"),
        (HEADER + "\n", "no rows"),
        (HEADER + "\nopenai,gpt-4o,2025-02-30,2025-03-01,2.5,10,,,,,abc\n", "bad date"),
        (HEADER + "\nopenai,gpt-4o,2025-03-02,2025-03-01,2.5,10,,,,,abc\n", "precedes"),
        (HEADER + "\nopenai,gpt-4o,2025-03-01,2025-03-02,2.5,ten,,,,,abc\n", "not a number"),
        (HEADER + "\nopenai,gpt-4o,2025-03-01,2025-03-02,2.5\n", "one cell per column"),
        (HEADER + "\nopenai,gpt-4o,2025-03-01,2025-03-02,,,,,,,abc\n", "no price fact"),
        (b"\xff\xfe<html>", "not UTF-8"),
    ],
)
def test_broken_files_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


def test_broken_copy_of_the_fixture_is_drift(parse, fixture_bytes) -> None:
    broken = fixture_bytes.replace(b"input_usd_per_1M", b"prompt_usd_per_1M", 1)
    assert_drift(parse, broken, "prompt_usd_per_1M")


