"""Anthropic pricing page parser: real capture, both renderings, repeated body, drift, demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import anthropic

SAMPLE = "anthropic_petehsu-LLM-Docs-2025-12.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return anthropic.parse(body, make_meta(anthropic.SOURCE_ID, anthropic.URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "pages" / SAMPLE).read_bytes()


@pytest.fixture
def outer_pipes(fixtures_dir) -> str:
    return (fixtures_dir / "anthropic" / "pricing_outer_pipes.md").read_text(encoding="utf-8")


@pytest.fixture
def no_outer_pipes(fixtures_dir) -> str:
    return (fixtures_dir / "anthropic" / "pricing_no_outer_pipes.md").read_text(encoding="utf-8")


def price(result, model_id, token_type, tier="standard", band="all") -> Decimal:
    matches = [
        p.price_per_mtok
        for p in result.prices
        if (p.model_id, p.token_type, p.service_tier, p.context_band) == (model_id, token_type, tier, band)
    ]
    assert len(matches) == 1, f"{model_id} {token_type} {tier} {band}: {matches}"
    return matches[0]


def facts(result) -> set[tuple]:
    return {
        (p.model_id, p.model_name, p.token_type, p.service_tier, p.context_band, p.modality, p.price_per_mtok)
        for p in result.prices
    }


# -- identity ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "model_id"),
    [
        ("Claude Opus 4.5", "claude-opus-4-5"),
        ("Claude Sonnet 4", "claude-sonnet-4"),
        ("Claude Opus 4.1", "claude-opus-4-1"),
        ("Claude Haiku 4.5", "claude-haiku-4-5"),
        ("Claude Sonnet 3.7", "claude-3-7-sonnet"),
        ("Claude Haiku 3.5", "claude-3-5-haiku"),
        ("Claude Opus 3", "claude-3-opus"),
        ("Claude Haiku 3", "claude-3-haiku"),
        ("Claude 3.5 Sonnet", "claude-3-5-sonnet"),  # the older "version first" naming
        ("Claude Mythos 5", "claude-mythos-5"),  # unknown pattern: slug for the crosswalk
    ],
)
def test_model_ids(name: str, model_id: str) -> None:
    assert anthropic.model_id_for(name) == model_id


def test_model_mentions_in_prose() -> None:
    text = "When using Claude Sonnet 4 or Sonnet 4.5 with the 1M token context window, over 200K tokens"
    assert anthropic.model_mentions(text) == ["Claude Sonnet 4", "Claude Sonnet 4.5"]


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_prices(parse, sample) -> None:
    result = parse(sample)
    assert price(result, "claude-opus-4-5", "input") == Decimal("5")
    assert price(result, "claude-opus-4-5", "output") == Decimal("25")
    assert price(result, "claude-opus-4-5", "cache_read") == Decimal("0.50")
    assert price(result, "claude-opus-4-5", "cache_write_5m") == Decimal("6.25")
    assert price(result, "claude-opus-4-5", "cache_write_1h") == Decimal("10")
    assert price(result, "claude-opus-4-5", "input", tier="batch") == Decimal("2.50")
    assert price(result, "claude-opus-4-5", "output", tier="batch") == Decimal("12.50")
    assert price(result, "claude-sonnet-4-5", "output", band=">200k") == Decimal("22.50")
    assert price(result, "claude-sonnet-4-5", "input", band=">200k") == Decimal("6")
    assert price(result, "claude-sonnet-4", "input", band="<=200k") == Decimal("3")
    assert price(result, "claude-3-5-haiku", "input") == Decimal("0.80")
    assert price(result, "claude-3-5-haiku", "cache_write_1h") == Decimal("1.6")
    assert price(result, "claude-3-haiku", "input", tier="batch") == Decimal("0.125")
    assert price(result, "claude-3-opus", "output") == Decimal("75")


def test_real_capture_counts_and_shape(parse, sample) -> None:
    result = parse(sample)
    # 10 models x 5 standard prices, 10 x 2 batch prices, 2 long-context models x 2 bands x 2 token types
    assert len(result.prices) == 50 + 20 + 8
    assert len({p.model_id for p in result.prices}) == 10
    assert result.models == [] and result.capex == [] and result.exclusions == []
    banded = {p.model_id for p in result.prices if p.context_band != "all"}
    assert banded == {"claude-sonnet-4", "claude-sonnet-4-5"}
    assert {p.context_band for p in result.prices} == {"all", "<=200k", ">200k"}
    assert all(p.currency == "USD" and p.usd_per_mtok == p.price_per_mtok for p in result.prices)


def test_real_capture_names_drop_the_deprecated_parenthetical(parse, sample) -> None:
    names = {p.model_id: p.model_name for p in parse(sample).prices}
    assert names["claude-3-7-sonnet"] == "Claude Sonnet 3.7"
    assert names["claude-3-opus"] == "Claude Opus 3"
    assert names["claude-opus-4-5"] == "Claude Opus 4.5"


def test_real_capture_provenance_and_raw_values(parse, sample, make_meta) -> None:
    result = parse(sample)
    meta = make_meta(anthropic.SOURCE_ID, anthropic.URL, sample)
    fact = next(p for p in result.prices if p.model_id == "claude-sonnet-4-5" and p.context_band == ">200k"
                and p.token_type == "output")
    assert (fact.source_id, fact.source_url, fact.raw_sha256, fact.parser_version) == (
        "anthropic", anthropic.URL, meta.sha256, anthropic.PARSER_VERSION)
    assert fact.fetched_at == meta.fetched_at
    assert fact.raw_value == "Output: $22.50 / MTok"
    assert fact.unit_as_published == "$ / MTok"
    assert fact.provider_id == "anthropic"


def test_real_capture_repeated_body_gives_the_same_facts_once(parse, sample) -> None:
    text = sample.decode("utf-8")
    body = text.split("-->", 1)[1]  # the page body without the source comment
    once = parse(text)
    twice = parse(text + "\n" + body)
    assert facts(twice) == facts(once)
    assert len(twice.prices) == len(once.prices)


# -- project fixtures: two renderings -------------------------------------------------------------


def test_both_renderings_give_the_same_facts(parse, outer_pipes, no_outer_pipes) -> None:
    with_pipes, without_pipes = parse(outer_pipes), parse(no_outer_pipes)
    assert facts(with_pipes) == facts(without_pipes)
    assert len(with_pipes.prices) == 7 * 5 + 7 * 2 + 8


def test_fixture_values(parse, no_outer_pipes) -> None:
    result = parse(no_outer_pipes)
    assert price(result, "claude-opus-4-5", "input") == Decimal("5")  # "$5 / MTok*"
    assert price(result, "claude-opus-4-5", "output") == Decimal("25")  # "$25 / MTok†"
    assert price(result, "claude-sonnet-4-5", "cache_read") == Decimal("0.30")  # name had [^1]
    assert price(result, "claude-sonnet-4", "output", band=">200k") == Decimal("22.50")  # Model column + <br/>
    assert price(result, "claude-3-7-sonnet", "output", tier="batch") == Decimal("7.50")
    names = {p.model_id: p.model_name for p in result.prices}
    assert names["claude-sonnet-4"] == "Claude Sonnet 4" and names["claude-opus-4-5"] == "Claude Opus 4.5"


def test_long_context_models_come_from_the_first_paragraph_naming_models(parse, outer_pipes) -> None:
    # the fixture's Note mentions Opus 4.5 after the sentence naming the long-context models
    banded = {p.model_id for p in parse(outer_pipes).prices if p.context_band != "all"}
    assert banded == {"claude-sonnet-4", "claude-sonnet-4-5"}


def test_repeated_fixture_body(parse, outer_pipes) -> None:
    assert facts(parse(outer_pipes * 2)) == facts(parse(outer_pipes))


def test_conflicting_repeat_is_drift(parse, outer_pipes) -> None:
    changed = outer_pipes.replace("| Claude Opus 4.5   | $5 / MTok ", "| Claude Opus 4.5   | $4 / MTok ")
    with pytest.raises(LayoutDriftError, match="two prices"):
        parse(outer_pipes + "\n" + changed)


def test_dash_cell_becomes_an_exclusion(parse, outer_pipes) -> None:
    text = outer_pipes.replace("| Claude Haiku 3    | $0.25 / MTok      | $0.30 / MTok    | $0.50 / MTok ",
                               "| Claude Haiku 3    | $0.25 / MTok      | $0.30 / MTok    | - ")
    result = parse(text)
    (exclusion,) = result.exclusions
    assert (exclusion.item, exclusion.field) == ("claude-3-haiku", "1h Cache Writes")
    assert not [p for p in result.prices if p.model_id == "claude-3-haiku" and p.token_type == "cache_write_1h"]


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, text: str, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(text)
    message = str(info.value)
    assert "[anthropic]" in message and anthropic.URL in message
    assert info.value.source_id == "anthropic" and info.value.url == anthropic.URL


def test_unknown_model_table_column_is_drift(parse, outer_pipes) -> None:
    assert_drift(parse, outer_pipes.replace("1h Cache Writes", "Cache Storage / hour"),
                 "unknown column 'Cache Storage / hour'")


def test_unknown_batch_column_is_drift(parse, outer_pipes) -> None:
    assert_drift(parse, outer_pipes.replace("Batch output", "Batch flex output"), "unknown column")


def test_renamed_heading_falls_back_to_the_tables_columns(parse, outer_pipes) -> None:
    renamed = outer_pipes.replace("## Model pricing", "## Models")
    assert facts(parse(renamed)) == facts(parse(outer_pipes))
    assert_drift(parse, renamed.replace("Base Input Tokens", "Input"), "no 'Model pricing' table")


def test_page_without_tables_is_drift(parse) -> None:
    assert_drift(parse, "# Pricing\n\nNothing here any more.\n", "no 'Model pricing' table")


def test_missing_batch_table_is_drift(parse, outer_pipes) -> None:
    text = outer_pipes.replace("| Model             | Batch input", "| Name | Batch input")
    assert_drift(parse, text, "no 'Batch processing' table")


def test_long_context_heading_without_a_table_is_drift(parse, outer_pipes) -> None:
    start = outer_pipes.index("| ≤ 200K")
    end = outer_pipes.index("```json")
    assert_drift(parse, outer_pipes[:start] + outer_pipes[end:], "Long context pricing' section has no table")


def test_long_context_without_models_is_drift(parse, outer_pipes) -> None:
    text = outer_pipes.replace("with Claude Sonnet 4 or Sonnet 4.5 and", "with some models and").replace(
        "Fixture note: Claude Opus 4.5 is not part of this section.", "Fixture note.")
    assert_drift(parse, text, "names no model")


def test_unknown_long_context_label_is_drift(parse, outer_pipes) -> None:
    assert_drift(parse, outer_pipes.replace("Output: $22.50", "Thinking: $22.50"), "unknown price label")


def test_unknown_band_header_is_drift(parse, outer_pipes) -> None:
    assert_drift(parse, outer_pipes.replace("> 200K input tokens", "Long prompts"), "unknown column 'Long prompts'")


def test_unknown_price_unit_is_drift(parse, outer_pipes) -> None:
    assert_drift(parse, outer_pipes.replace("$75 / MTok", "$75 / 1M characters", 1), "Claude Opus 4.1 / Output")


def test_row_with_more_cells_than_headers_is_drift(parse, outer_pipes) -> None:
    text = outer_pipes.replace("| $1.25 / MTok  |", "| $1.25 / MTok  | $9 / MTok |", 1)
    assert_drift(parse, text, "more cells than headers")


def test_binary_body_is_drift(parse) -> None:
    assert_drift(parse, b"\xff\xfe\x00binary", "not UTF-8")




def test_input_output_layout_without_batch_table_parses(parse) -> None:
    """The 2024 layout: input and output only, no batch prices on the page (no batch facts, no drift)."""
    text = ("## Model pricing\n\n| Model | Input | Output |\n| --- | --- | --- |\n"
            "| Claude 3 Haiku | $0.25 / MTok | $1.25 / MTok |\n")
    result = parse(text)
    assert price(result, "claude-3-haiku", "output") == Decimal("1.25")
    assert {p.service_tier for p in result.prices} == {"standard"}
    with_cache = text.replace("| Input | Output |\n| --- | --- | --- |", "| Input | Cache hits | Output |\n| --- | --- | --- | --- |")
    assert_drift(parse, with_cache.replace("$0.25 / MTok |", "$0.25 / MTok | $0.03 / MTok |"), "no 'Batch processing' table")
