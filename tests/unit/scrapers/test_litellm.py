"""LiteLLM cost map: key grammar -> dimensions, per-token -> per-1M exactness, bands, exclusions, drift."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import litellm as ll


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | dict):
        body = json.dumps(body).encode() if isinstance(body, dict) else body
        return ll.parse(body, make_meta(ll.SOURCE_ID, ll.URL, body))

    return _parse


@pytest.fixture(scope="module")
def real(samples_dir, make_meta):
    body = (samples_dir / "datasets" / "litellm" / "model_prices_and_context_window.json").read_bytes()
    return ll.parse(body, make_meta(ll.SOURCE_ID, ll.URL, body))


@pytest.fixture
def fixture_text(fixtures_dir) -> str:
    return (fixtures_dir / "litellm" / "model_prices_and_context_window.json").read_text(encoding="utf-8")


def entry(fixture_text: str, key: str) -> dict:
    """One entry of the fixture (floats round-trip through ``json`` with their shortest text, ``2.5e-06``)."""
    return {key: json.loads(fixture_text)[key]}


def price(result, provider, model, token_type, tier="standard", band="all", modality="text"):
    matches = [p for p in result.prices if (p.provider_id, p.model_id, p.token_type, p.service_tier,
                                            p.context_band, p.modality)
               == (provider, model, token_type, tier, band, modality)]
    assert len(matches) == 1, f"{provider} {model} {token_type} {tier} {band} {modality}: {matches}"
    return matches[0]


# -- key grammar ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("input_cost_per_token", ("token", "input", "text", None, "standard")),
        ("output_cost_per_token_batches", ("token", "output", "text", None, "batch")),
        ("cache_read_input_token_cost_flex", ("token", "cache_read", "text", None, "flex")),
        ("input_cost_per_token_above_200k_tokens_priority", ("token", "input", "text", 200, "priority")),
        ("cache_creation_input_token_cost_above_1hr", ("token", "cache_write_1h", "text", None, "standard")),
        ("cache_creation_input_token_cost_above_1hr_above_200k_tokens",
         ("token", "cache_write_1h", "text", 200, "standard")),
        ("output_cost_per_reasoning_token", ("token", "reasoning", "text", None, "standard")),
        ("input_cost_per_audio_token", ("token", "input", "audio", None, "standard")),
        ("output_cost_per_image", ("non_token", "per image, not a token price")),
        ("input_cost_per_video_per_second_above_128k_tokens", ("non_token", "per second of video, not a token price")),
        ("output_cost_per_second_1080p", ("unmapped",)),
        ("max_input_tokens", ("ignore",)),
    ],
)
def test_classify(key, expected) -> None:
    assert ll.classify(key) == expected


@pytest.mark.parametrize(
    ("key", "provider", "expected"),
    [
        ("gemini/gemini-2.5-pro", "gemini", "gemini-2.5-pro"),
        ("vertex_ai/claude-sonnet-4-5", "vertex_ai-anthropic_models", "claude-sonnet-4-5"),
        ("azure/gpt-4o", "azure_text", "gpt-4o"),
        ("openrouter/anthropic/claude-3.5-sonnet", "openrouter", "anthropic/claude-3.5-sonnet"),
        ("1024-x-1024/dall-e-2", "openai", "1024-x-1024/dall-e-2"),
        ("amazon-nova/nova-pro-v1", "amazon_nova", "amazon-nova/nova-pro-v1"),
        ("GPT-4o", "openai", "gpt-4o"),
    ],
)
def test_model_id_for(key, provider, expected) -> None:
    assert ll.model_id_for(key, provider) == expected


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_counts(real) -> None:
    # Together's 8 size buckets became exclusions (7272 facts, 1080 exclusions before): 6 chat buckets x
    # (input, output) + 2 embedding buckets x input = 14 facts fewer; 8 exclusions more, and the 2 embedding
    # buckets' "no output tokens" exclusions gone: 1080 + 8 - 2
    assert len(real.prices) == 7272 - 14
    assert len(real.exclusions) == 1080 + 8 - 2
    tiers = Counter(p.service_tier for p in real.prices)
    assert tiers == {"standard": 6594 - 14, "priority": 380, "batch": 205, "flex": 93}
    reasons = Counter(e.reason for e in real.exclusions)
    assert reasons["per image, not a token price"] == 249
    assert reasons["embedding mode produces no output tokens"] == 120 - 2  # minus the 2 embedding buckets
    assert reasons["priced in Databricks DBUs, not USD"] == 56
    assert reasons[ll.UNMAPPED] == 5
    assert sorted(e.item for e in real.exclusions if e.reason == ll.SIZE_BUCKET_REASON) == [
        "together-ai-21.1b-41b", "together-ai-4.1b-8b", "together-ai-41.1b-80b", "together-ai-8.1b-21b",
        "together-ai-81.1b-110b", "together-ai-embedding-151m-to-350m", "together-ai-embedding-up-to-150m",
        "together-ai-up-to-4b"]
    assert not any(p.model_id.startswith("together-ai-") for p in real.prices)
    assert sum(n for r, n in reasons.items() if r.startswith("implausible price")) == 20  # W&B per-token slips
    assert max(p.price_per_mtok for p in real.prices) <= ll.PLAUSIBLE_MAX
    assert all(p.usd_per_mtok == p.price_per_mtok and p.unit_as_published == "USD/token" for p in real.prices)


def test_real_capture_per_token_is_exact(real) -> None:
    gpt4o = price(real, "openai", "gpt-4o", "input")
    assert (gpt4o.price_per_mtok, gpt4o.raw_value) == (Decimal("2.5"), "2.5e-06")
    assert str(price(real, "openai", "gpt-4o", "cache_read", tier="priority").price_per_mtok) == "2.125"
    assert price(real, "openai", "gpt-4o", "output", tier="batch").price_per_mtok == Decimal("5")
    assert price(real, "deepseek", "deepseek-chat", "cache_read").price_per_mtok == Decimal("0.028")
    opus = price(real, "databricks", "databricks-claude-opus-4", "input")
    assert (str(opus.price_per_mtok), opus.raw_value) == ("15.000020000000002", "1.5000020000000002e-05")


def test_real_capture_tiers_and_bands(real) -> None:
    assert price(real, "openai", "gpt-5.4", "input", band="<=272k").price_per_mtok == Decimal("2.5")
    assert price(real, "openai", "gpt-5.4", "input", band=">272k").price_per_mtok == Decimal("5")
    assert price(real, "openai", "gpt-5.4", "input", tier="flex").price_per_mtok == Decimal("1.25")
    assert price(real, "openai", "gpt-5.4", "output", tier="priority").price_per_mtok == Decimal("30")
    sonnet = ("anthropic", "claude-sonnet-4-5")
    assert price(real, *sonnet, "cache_write_1h", band="<=200k").price_per_mtok == Decimal("6")
    assert price(real, *sonnet, "cache_write_1h", band=">200k").price_per_mtok == Decimal("12")
    assert price(real, *sonnet, "cache_write", band=">200k").price_per_mtok == Decimal("7.5")
    gemini = ("gemini", "gemini-2.5-pro")
    assert price(real, *gemini, "input", tier="priority", band=">200k").price_per_mtok == Decimal("2.5")
    assert price(real, *gemini, "output", band="<=200k").price_per_mtok == Decimal("10")
    vertex = ("vertex_ai-anthropic_models", "claude-sonnet-4-5")
    assert price(real, *vertex, "input", tier="batch").price_per_mtok == Decimal("1.5")
    qwen = ("dashscope", "qwen3-max")
    assert price(real, *qwen, "input", band="<=32k").price_per_mtok == Decimal("1.2")
    assert price(real, *qwen, "output", band=">128k").price_per_mtok == Decimal("15")


def test_real_capture_modalities(real) -> None:
    assert price(real, "openai", "gpt-realtime", "input", modality="audio").price_per_mtok == Decimal("32")
    assert price(real, "openai", "gpt-realtime", "cache_write", modality="audio").price_per_mtok == Decimal("0.4")
    assert price(real, "openai", "gpt-image-1", "output", modality="image").price_per_mtok == Decimal("40")
    assert price(real, "openai", "text-embedding-3-small", "input", tier="batch").price_per_mtok == Decimal("0.01")


# -- project fixture (compact one-line rendering) ---------------------------------------------------


def test_fixture_facts(parse, fixture_text) -> None:
    result = parse(fixture_text.encode())
    assert len(result.prices) == 82
    assert price(result, "openrouter", "anthropic/claude-3.5-sonnet", "output").price_per_mtok == Decimal("15")
    assert price(result, "dashscope", "qwen-flash", "output", band=">256k").price_per_mtok == Decimal("2")
    assert price(result, "bedrock", "cohere.rerank-v3-5:0", "input").price_per_mtok == Decimal("0")


def test_fixture_exclusions(parse, fixture_text) -> None:
    by_item = {(e.item, e.field): e.reason for e in parse(fixture_text.encode()).exclusions}
    assert by_item[("gemini/veo-3.1-lite-generate-preview", "output_cost_per_second_1080p")] == ll.UNMAPPED
    assert by_item[("1024-x-1024/dall-e-2", "input_cost_per_pixel")] == "per pixel, not a token price"
    assert by_item[("text-embedding-3-small", "output_cost_per_token_batches")].startswith("embedding mode")
    assert by_item[("exa_ai/search", "tiered_pricing")].startswith("tiers without a prompt-token range")
    assert by_item[("dashscope/qwen3-max", "tiered_pricing[32000-128000]")].startswith("intermediate")
    assert by_item[("wandb/openai/gpt-oss-120b", "input_cost_per_token")].startswith("implausible price 15000")
    assert by_item[("fallback_generalizations", "litellm_provider")].startswith("entry without litellm_provider")
    assert not any(item == "sample_spec" for item, _ in by_item)


def test_conflicting_alias_keeps_canonical_key(parse, fixture_text) -> None:
    doc = entry(fixture_text, "deepseek/deepseek-chat")
    doc["deepseek/deepseek-chat"]["input_cost_per_token_cache_hit"] = 1e-07
    result = parse(doc)
    assert price(result, "deepseek", "deepseek-chat", "cache_read").price_per_mtok == Decimal("0.028")
    (conflict,) = result.exclusions
    assert conflict.field == "input_cost_per_token_cache_hit" and "already priced" in conflict.reason


def test_same_model_under_two_keys(parse, fixture_text) -> None:
    doc = entry(fixture_text, "gemini/gemini-2.5-pro")
    doc["gemini-2.5-pro"] = {**doc["gemini/gemini-2.5-pro"], "input_cost_per_token": 2e-06}
    result = parse(doc)
    assert price(result, "gemini", "gemini-2.5-pro", "input", band="<=200k").price_per_mtok == Decimal("1.25")
    (conflict,) = [e for e in result.exclusions if "already priced" in e.reason]
    assert (conflict.item, conflict.field) == ("gemini-2.5-pro", "input_cost_per_token")
    assert "key 'gemini/gemini-2.5-pro'" in conflict.reason


def test_missing_output_on_a_chat_model_is_fine(parse, fixture_text) -> None:
    doc = entry(fixture_text, "gpt-4o")
    del doc["gpt-4o"]["output_cost_per_token"]
    result = parse(doc)
    assert not [p for p in result.prices if p.token_type == "output" and p.service_tier == "standard"]
    assert not result.exclusions


def test_provenance(parse, fixture_text, make_meta) -> None:
    body = fixture_text.encode()
    result = ll.parse(body, make_meta(ll.SOURCE_ID, ll.URL, body))
    for record in [*result.prices, *result.exclusions]:
        assert (record.source_id, record.source_url, record.parser_version) == ("litellm", ll.URL, ll.PARSER_VERSION)
        assert record.raw_sha256 == make_meta(ll.SOURCE_ID, ll.URL, body).sha256


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[litellm]" in str(info.value) and ll.URL in str(info.value)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda e: e.update(input_cost_per_token="0.0000025"), "not a number"),
        (lambda e: e.update(output_cost_per_token_batches=True), "not a number"),
        (lambda e: e.update(input_cost_per_token=-1e-06), "negative"),
        (lambda e: e.update(tiered_pricing={"range": [0, 1]}), "not a list of objects"),
        (lambda e: e.update(tiered_pricing=[{"range": "all", "input_cost_per_token": 1e-06}]), "range"),
    ],
)
def test_broken_entries_are_drift(parse, fixture_text, mutate, match) -> None:
    doc = entry(fixture_text, "gpt-4o")
    mutate(doc["gpt-4o"])
    assert_drift(parse, doc, match)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"404: Not Found", "not JSON"),
        (b"[]", "non-empty JSON object"),
        (b'{"sample_spec": {"input_cost_per_token": 0}}', "no token price"),
        (b'{"dall-e": {"litellm_provider": "openai", "output_cost_per_image": 0.04}}', "1 entries but no token price"),
    ],
)
def test_broken_documents_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


