"""genai-prices v2 feed: token-key mapping, tiers -> bands, dated changes, exclusions, strictness, drift."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import genai_prices as gp


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | list):
        body = json.dumps(body).encode() if isinstance(body, list) else body
        return gp.parse(body, make_meta(gp.SOURCE_ID, gp.URL, body))

    return _parse


@pytest.fixture(scope="module")
def real(samples_dir, make_meta):
    body = (samples_dir / "datasets" / "pydantic_genai-prices" / "data_v2.json").read_bytes()
    return gp.parse(body, make_meta(gp.SOURCE_ID, gp.URL, body))


@pytest.fixture
def fixture_doc(fixtures_dir) -> list:
    return json.loads((fixtures_dir / "genai_prices" / "data_v2.json").read_text(encoding="utf-8"))


def price(result, provider, model, token_type, band="all", modality="text", valid_from=None, tier="standard"):
    matches = [p for p in result.prices if (p.provider_id, p.model_id, p.token_type, p.context_band, p.modality,
                                            p.valid_from, p.service_tier)
               == (provider, model, token_type, band, modality, valid_from, tier)]
    assert len(matches) == 1, f"{provider} {model} {token_type} {band} {modality} {valid_from}: {matches}"
    return matches[0]


def one_model(doc: list, provider: str, model: str) -> list:
    (prov,) = [p for p in doc if p["id"] == provider]
    return [{**prov, "models": [m for m in prov["models"] if m["id"] == model]}]


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_counts(real) -> None:
    assert len(real.prices) == 3286
    assert len(real.models) == 991
    reasons = Counter(e.reason.split(":")[0].split(" (")[0] for e in real.exclusions)
    assert reasons["empty price object"] == 157  # mostly OpenRouter :free variants
    assert reasons["per 1K web searches, not a token price"] == 17
    assert reasons["per 1K requests, not a token price"] == 4
    assert reasons["time-of-day pricing"] == 4  # deepseek-chat and deepseek-reasoner, two windows each
    assert len(real.exclusions) == 183
    assert {p.currency for p in real.prices} == {"USD"}
    assert all(p.usd_per_mtok == p.price_per_mtok for p in real.prices)


def test_real_capture_tiers_become_bands(real) -> None:
    sonnet = ("anthropic", "claude-sonnet-4-5")
    assert price(real, *sonnet, "input", "<=200k").price_per_mtok == Decimal("3")
    assert price(real, *sonnet, "input", ">200k").price_per_mtok == Decimal("6")
    assert price(real, *sonnet, "output", ">200k").price_per_mtok == Decimal("22.5")
    assert price(real, *sonnet, "cache_write_1h", ">200k").price_per_mtok == Decimal("12")
    assert price(real, *sonnet, "cache_read", "<=200k").price_per_mtok == Decimal("0.3")
    assert not [p for p in real.prices if p.model_id == "claude-sonnet-4-5" and p.context_band == "all"]
    assert Counter(p.context_band for p in real.prices)[">272k"] == 37


def test_real_capture_dated_changes(real) -> None:
    o3_before = price(real, "openai", "o3", "input")
    assert (o3_before.price_per_mtok, o3_before.valid_from, o3_before.valid_to) == (Decimal("10"), None,
                                                                                     date(2025, 6, 10))
    assert o3_before.valid_from_basis is None
    o3_after = price(real, "openai", "o3", "input", valid_from=date(2025, 6, 10))
    assert (o3_after.price_per_mtok, o3_after.valid_to, o3_after.valid_from_basis) == (Decimal("2"), None, "effective")
    assert price(real, "openai", "o3", "output", valid_from=date(2025, 6, 10)).price_per_mtok == Decimal("8")
    # an announced future increase keeps its future date
    future = price(real, "google", "gemini-3.6-flash", "input", valid_from=date(2027, 1, 1))
    assert future.price_per_mtok == Decimal("1.5")
    assert price(real, "google", "gemini-3.6-flash", "input").valid_to == date(2027, 1, 1)
    # tiers and dates together: GPT-5.6 Luna's cut on 2026-07-30
    luna = price(real, "openai", "gpt-5.6-luna", "input", ">272k", valid_from=date(2026, 7, 30))
    assert luna.price_per_mtok == Decimal("0.4")
    assert price(real, "openai", "gpt-5.6-luna", "input", "<=272k").price_per_mtok == Decimal("1")
    # Opus 4.6 lost its long-context surcharge on 2026-03-13
    assert price(real, "anthropic", "claude-opus-4-6", "input", ">200k").valid_to == date(2026, 3, 13)
    assert price(real, "anthropic", "claude-opus-4-6", "input", valid_from=date(2026, 3, 13)).price_per_mtok == 5


def test_real_capture_modalities_and_identity(real) -> None:
    assert price(real, "openai", "gpt-realtime", "input", modality="audio").price_per_mtok == Decimal("32")
    assert price(real, "openai", "gpt-realtime", "output", modality="audio").price_per_mtok == Decimal("64")
    assert price(real, "openai", "gpt-realtime", "input", modality="image").price_per_mtok == Decimal("5")
    assert price(real, "openai", "gpt-realtime", "input").price_per_mtok == Decimal("4")
    aws = price(real, "aws", "global.anthropic.claude-sonnet-5-v1:0", "output", valid_from=date(2026, 9, 1))
    assert aws.price_per_mtok == Decimal("15")
    assert price(real, "doubleword", "qwen/qwen3-14b-fp8", "input").model_name  # lowercased id
    models = {(m.provider_id, m.model_id): m for m in real.models}
    assert models[("doubleword", "qwen/qwen3-14b-fp8")].creator == "qwen"
    assert models[("doubleword", "qwen/qwen3-14b-fp8")].source_model_id == "Qwen/Qwen3-14B-FP8"
    assert models[("anthropic", "claude-sonnet-4-5")].context_length == 1_000_000
    assert ("google", "claude-3-5-haiku") not in models  # Google resells Claude: creator unknown, no guess
    assert not [p for p in real.prices if p.model_id.startswith("deepseek-chat")]


# -- project fixture (pretty-printed rendering) -----------------------------------------------------


def test_fixture_same_facts_as_real_capture(parse, fixture_doc, real) -> None:
    result = parse(fixture_doc)
    mine = {(p.provider_id, p.model_id, p.token_type, p.context_band, p.modality, p.valid_from, p.price_per_mtok)
            for p in result.prices}
    theirs = {(p.provider_id, p.model_id, p.token_type, p.context_band, p.modality, p.valid_from, p.price_per_mtok)
              for p in real.prices}
    assert mine and mine <= theirs
    assert len(result.prices) == 78


def test_fixture_exclusions(parse, fixture_doc) -> None:
    by_item = {(e.item, e.field): e.reason for e in parse(fixture_doc).exclusions}
    assert by_item[("perplexity/sonar", "prices.requests_kcount")] == "per 1K requests, not a token price"
    assert by_item[("anthropic/claude-sonnet-5", "prices.web_searches_kcount")].startswith("per 1K web searches")
    assert "00:30:00Z-16:30:00Z" in by_item[("deepseek/deepseek-chat", "prices[1]")]
    assert by_item[("openrouter/agentica-org/deepcoder-14b-preview:free", "prices")].startswith("empty price")


def test_modality_specific_key_beats_generic_key(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "openai", "gpt-realtime")
    doc[0]["models"][0]["prices"]["input_text_mtok"] = 3.5
    result = parse(doc)
    assert price(result, "openai", "gpt-realtime", "input").price_per_mtok == Decimal("3.5")
    assert price(result, "openai", "gpt-realtime", "output").price_per_mtok == Decimal("16")  # no specific key


def test_free_suffix_is_a_tier(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "openrouter", "qwen/qwen3-32b")
    doc[0]["models"][0]["id"] = "qwen/qwen3-32b:free"
    doc[0]["models"][0]["prices"] = {"input_mtok": 0, "output_mtok": 0}
    result = parse(doc)
    assert price(result, "openrouter", "qwen/qwen3-32b", "input", tier="free").price_per_mtok == 0


def test_middle_tiers_are_excluded(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "openrouter", "qwen/qwen3-32b")
    doc[0]["models"][0]["prices"]["input_mtok"] = {
        "base": 1.2, "tiers": [{"start": 32000, "price": 2.4}, {"start": 128000, "price": 3}]}
    result = parse(doc)
    assert price(result, "openrouter", "qwen/qwen3-32b", "input", "<=32k").price_per_mtok == Decimal("1.2")
    assert price(result, "openrouter", "qwen/qwen3-32b", "input", ">128k").price_per_mtok == Decimal("3")
    (middle,) = result.exclusions
    assert "32000-128000" in middle.reason


def test_band_label() -> None:
    assert [gp.band_label(n) for n in (200_000, 1_000_000, 131_072)] == ["200k", "1m", "131072"]


def test_provenance(parse, fixture_doc, make_meta) -> None:
    body = json.dumps(fixture_doc).encode()
    result = gp.parse(body, make_meta(gp.SOURCE_ID, gp.URL, body))
    for record in [*result.prices, *result.models, *result.exclusions]:
        assert (record.source_id, record.source_url, record.parser_version) == ("genai_prices", gp.URL, "1")
        assert record.raw_sha256 == make_meta(gp.SOURCE_ID, gp.URL, body).sha256


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[genai_prices]" in str(info.value) and gp.URL in str(info.value)


def test_unknown_price_key_is_drift(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "openai", "o3")
    doc[0]["models"][0]["prices"][1]["prices"]["input_hologram_mtok"] = 1
    assert_drift(parse, doc, "input_hologram_mtok")


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda m: m["prices"].update(input_mtok="cheap"), "input_mtok"),
        (lambda m: m["prices"].update(input_mtok={"base": 1, "tiers": [{"start": 1000, "cost": 2}]}), "input_mtok"),
        (lambda m: m["prices"].update(output_mtok=-1), "negative price"),
        (lambda m: m.pop("prices"), "prices"),
        (lambda m: m.update(prices=[{"constraint": {"start_date": "2026-01-01"}, "prices": {"input_mtok": 1}},
                                    {"constraint": {"start_date": "2025-01-01"}, "prices": {"input_mtok": 2}}]),
         "ascending start_date"),
        (lambda m: m.update(prices=[{"constraint": {"region": "eu"}, "prices": {"input_mtok": 1}}]), "constraint"),
    ],
)
def test_broken_models_are_drift(parse, fixture_doc, mutate, match) -> None:
    doc = one_model(fixture_doc, "openrouter", "qwen/qwen3-32b")
    mutate(doc[0]["models"][0])
    assert_drift(parse, doc, match)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html>404</html>", "not JSON"),
        (b"{}", "non-empty list of providers"),
        (b"[]", "non-empty list of providers"),
        (b'[{"id": "x"}]', "provider x"),
    ],
)
def test_broken_documents_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


def test_only_exclusions_is_drift(parse, fixture_doc) -> None:
    assert_drift(parse, one_model(fixture_doc, "deepseek", "deepseek-chat"), "no token price")


