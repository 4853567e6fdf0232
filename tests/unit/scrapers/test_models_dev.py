"""models.dev: both shapes (source dump, api.json), open weights, costs, tiers, modes, exclusions, drift."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import models_dev as md


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | dict):
        body = json.dumps(body).encode() if isinstance(body, dict) else body
        return md.parse(body, make_meta(md.SOURCE_ID, md.URL, body))

    return _parse


@pytest.fixture(scope="module")
def sample_bytes(samples_dir) -> bytes:
    return (samples_dir / "datasets" / "models.dev" / "models_dev_subset.json").read_bytes()


@pytest.fixture(scope="module")
def real(sample_bytes, make_meta):
    return md.parse(sample_bytes, make_meta(md.SOURCE_ID, md.URL, sample_bytes))


@pytest.fixture
def fixture_doc(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "models_dev" / "api.json").read_text(encoding="utf-8"))


def price(result, provider, model, token_type, tier="standard", band="all", modality="text"):
    matches = [p for p in result.prices if (p.provider_id, p.model_id, p.token_type, p.service_tier,
                                            p.context_band, p.modality)
               == (provider, model, token_type, tier, band, modality)]
    assert len(matches) == 1, f"{provider} {model} {token_type} {tier} {band}: {matches}"
    return matches[0]


def attrs(result, provider, model):
    (match,) = [m for m in result.models if (m.provider_id, m.model_id) == (provider, model)]
    return match


def one_model(doc: dict, provider: str, model: str) -> dict:
    prov = doc[provider]
    return {provider: {**prov, "models": {model: prov["models"][model]}}}


# -- the real capture (source-file dump) ------------------------------------------------------------


def test_real_capture_counts(real, sample_bytes) -> None:
    raw = json.loads(sample_bytes)
    entries = sum(1 for p, v in raw.items() if not p.startswith("_") for k in v if k.startswith("models/"))
    assert entries == 531
    assert len(real.models) == 517  # 14 :free variants share their base model's attributes
    assert len(real.prices) == 1443
    assert Counter(p.service_tier for p in real.prices) == {"standard": 1390, "free": 44, "priority": 9}
    reasons = Counter(e.reason.split(" (")[0] for e in real.exclusions)
    assert reasons == {"no cost published": 14, "mode 'fast' is selected by request options": 3,
                       "no cost in this entry": 2}
    assert all(p.currency == "USD" and p.unit_as_published == "USD/MTok" for p in real.prices)


def test_real_capture_open_weights_and_dates(real) -> None:
    opus = attrs(real, "anthropic", "claude-opus-4-1")
    assert (opus.open_weights, opus.open_weights_basis) == (False, "models.dev:open_weights")
    assert (opus.model_name, opus.creator, opus.context_length) == ("Claude Opus 4.1 (latest)", "anthropic", 200000)
    assert opus.created_at == datetime(2025, 8, 5, tzinfo=UTC)
    oss = attrs(real, "togetherai", "openai/gpt-oss-120b")
    assert (oss.open_weights, oss.creator, oss.context_length) == (True, "openai", 131072)
    glm = attrs(real, "togetherai", "zai-org/glm-5.2")
    assert (glm.creator, glm.source_model_id) == ("zhipuai", "zai-org/GLM-5.2")  # from base_model
    inherited = attrs(real, "openrouter", "anthropic/claude-sonnet-4.5")  # base_model entry: no own flag
    assert (inherited.open_weights, inherited.open_weights_basis) == (None, None)
    assert attrs(real, "groq", "whisper-large-v3").context_length is None  # limit.context = 0
    assert attrs(real, "groq", "llama-3.1-8b-instant").creator == "unknown"
    flags = Counter(m.open_weights for m in real.models)
    assert flags[True] > 150 and flags[False] > 150
    assert all((m.open_weights is None) == (m.open_weights_basis is None) for m in real.models)


def test_real_capture_costs(real) -> None:
    assert price(real, "anthropic", "claude-opus-4-1", "cache_write").price_per_mtok == Decimal("18.75")
    assert price(real, "openai", "gpt-5.4", "input", band="<=272k").price_per_mtok == Decimal("2.5")
    assert price(real, "openai", "gpt-5.4", "output", band=">272k").price_per_mtok == Decimal("22.5")
    assert price(real, "openai", "gpt-5.4", "input", tier="priority").price_per_mtok == Decimal("5.0")
    sonnet = ("openrouter", "anthropic/claude-sonnet-4.5")
    assert price(real, *sonnet, "cache_write", band=">200k").price_per_mtok == Decimal("7.5")
    assert price(real, *sonnet, "input", band="<=200k").price_per_mtok == Decimal("3")
    assert price(real, "togetherai", "qwen/qwen3.5-397b-a17b", "cache_read").price_per_mtok == Decimal("0.35")
    assert price(real, "openrouter", "google/gemma-4-31b-it", "input", tier="free").price_per_mtok == 0
    assert price(real, "openrouter", "google/gemma-4-31b-it", "input").price_per_mtok == Decimal("0.12")
    fast = [e for e in real.exclusions if e.field == "experimental.modes.fast"]
    assert {e.item for e in fast} == {"anthropic/claude-opus-4-6", "anthropic/claude-opus-4-7",
                                      "anthropic/claude-opus-4-8"}


# -- project fixture (the published api.json shape) -------------------------------------------------


def test_fixture_api_json_shape(parse, fixture_doc, real) -> None:
    result = parse(fixture_doc)
    assert (len(result.prices), len(result.models)) == (39, 12)
    key = lambda p: (p.provider_id, p.model_id, p.token_type, p.service_tier, p.context_band, p.price_per_mtok)  # noqa: E731
    assert {key(p) for p in result.prices} <= {key(p) for p in real.prices}
    assert attrs(result, "openai", "gpt-4o").created_at == datetime(2024, 5, 13, tzinfo=UTC)


def test_providers_wrapper_is_read(parse, fixture_doc) -> None:
    result = parse({"providers": one_model(fixture_doc, "openai", "gpt-4o")})
    assert price(result, "openai", "gpt-4o", "cache_read").price_per_mtok == Decimal("1.25")


def test_older_context_over_200k_object(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "anthropic", "claude-opus-4-1")
    doc["anthropic"]["models"]["claude-opus-4-1"]["cost"]["context_over_200k"] = {"input": 30, "output": 112.5}
    result = parse(doc)
    assert price(result, "anthropic", "claude-opus-4-1", "input", band=">200k").price_per_mtok == Decimal("30")
    assert price(result, "anthropic", "claude-opus-4-1", "input", band="<=200k").price_per_mtok == Decimal("15.0")
    assert price(result, "anthropic", "claude-opus-4-1", "cache_read").price_per_mtok == Decimal("1.5")


def test_non_context_tier_is_excluded(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "openai", "gpt-5.4")
    doc["openai"]["models"]["gpt-5.4"]["cost"]["tiers"][0]["tier"]["type"] = "volume"
    result = parse(doc)
    assert price(result, "openai", "gpt-5.4", "input").price_per_mtok == Decimal("2.5")
    assert any("'volume'" in e.reason for e in result.exclusions)


def test_conflicting_cached_input_alias(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "openai", "gpt-4o")
    doc["openai"]["models"]["gpt-4o"]["cost"]["cached_input"] = 2
    result = parse(doc)
    assert price(result, "openai", "gpt-4o", "cache_read").price_per_mtok == Decimal("1.25")
    assert [e.field for e in result.exclusions] == ["cost.cached_input"]


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[models_dev]" in str(info.value) and md.URL in str(info.value)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda m: m["cost"].update(input_video=4), "input_video"),
        (lambda m: m["cost"].update(input="cheap"), "input"),
        (lambda m: m["cost"].update(output=-1), "negative price"),
        (lambda m: m["cost"]["tiers"][0]["tier"].update(unit="tokens"), "unit"),
        (lambda m: m.update(experimental={"modes": ["fast"]}), "experimental.modes"),
    ],
)
def test_broken_models_are_drift(parse, fixture_doc, mutate, match) -> None:
    doc = one_model(fixture_doc, "openai", "gpt-5.4")
    mutate(doc["openai"]["models"]["gpt-5.4"])
    assert_drift(parse, doc, match)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<!doctype html>", "not JSON"),
        (b"[]", "not an object of providers"),
        (b'{"_provenance": {}}', "no provider lists any model"),
        (b'{"openai": {"id": "openai", "name": "OpenAI"}}', "neither a 'models' object"),
        (b'{"groq": {"models": {"whisper": {"id": "whisper", "name": "Whisper"}}}}', "1 models but no price"),
    ],
)
def test_broken_documents_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


