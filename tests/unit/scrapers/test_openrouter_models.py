"""OpenRouter models API parser: per-token -> per-1M exactness, variants, exclusions, drift."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import openrouter_models as orm


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | dict):
        body = json.dumps(body).encode() if isinstance(body, dict) else body
        return orm.parse(body, make_meta(orm.SOURCE_ID, orm.URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "openrouter" / "models.json").read_bytes()


@pytest.fixture
def fixture_doc(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "openrouter_models" / "models.json").read_text(encoding="utf-8"))


def price(result, model_id, token_type, tier="standard", modality="text"):
    matches = [p for p in result.prices
               if (p.model_id, p.token_type, p.service_tier, p.modality) == (model_id, token_type, tier, modality)]
    assert len(matches) == 1, f"{model_id} {token_type} {tier} {modality}: {matches}"
    return matches[0]


def one_model(doc: dict, model_id: str) -> dict:
    return {"data": [m for m in doc["data"] if m["id"] == model_id][:1]}


# -- identity ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("openrouter_id", "expected"),
    [
        ("anthropic/claude-opus-5:batch", ("anthropic", "claude-opus-5", "batch", "anthropic/claude-opus-5")),
        ("z-ai/glm-5.2:free", ("z-ai", "glm-5.2", "free", "z-ai/glm-5.2")),
        ("qwen/qwen3.8-27b", ("qwen", "qwen3.8-27b", "standard", "qwen/qwen3.8-27b")),
        ("anthropic/claude-3.7-sonnet:thinking",
         ("anthropic", "claude-3.7-sonnet:thinking", "standard", "anthropic/claude-3.7-sonnet:thinking")),
    ],
)
def test_split_id(openrouter_id: str, expected: tuple) -> None:
    assert orm.split_id(openrouter_id) == expected


@pytest.mark.parametrize("bad", ["no-slash", "/slug", "creator/", ""])
def test_split_id_rejects_ids_without_creator(bad: str) -> None:
    with pytest.raises(ValueError):
        orm.split_id(bad)


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_per_token_to_per_mtok_is_exact(parse, sample) -> None:
    result = parse(sample)
    qwen = price(result, "qwen3.8-27b", "input")
    assert qwen.price_per_mtok == Decimal("0.45") and str(qwen.price_per_mtok) == "0.45"
    assert qwen.raw_value == "0.00000045" and qwen.unit_as_published == "USD/token"
    assert qwen.usd_per_mtok == Decimal("0.45") and qwen.currency == "USD"
    assert price(result, "qwen3.8-27b", "output").price_per_mtok == Decimal("3.2")
    assert price(result, "gemini-3.7-flash", "cache_write").price_per_mtok == Decimal("0.0208333333333333")


def test_real_capture_variants(parse, sample) -> None:
    result = parse(sample)
    batch = price(result, "claude-opus-5", "input", tier="batch")
    assert batch.price_per_mtok == Decimal("2.5") and batch.model_name == "Claude Opus 5 (batch)"
    assert price(result, "claude-opus-5", "input").price_per_mtok == Decimal("5")
    assert price(result, "claude-opus-5", "cache_write_1h").price_per_mtok == Decimal("10")
    free = price(result, "glm-5.2", "output", tier="free")
    assert free.price_per_mtok == Decimal("0")
    assert {p.service_tier for p in result.prices} == {"standard", "batch", "free"}


def test_real_capture_counts(parse, sample) -> None:
    result = parse(sample)
    # 92 objects, one of them an exact duplicate (nemotron-3.5-lightning:free), 75 base models
    assert len(result.models) == 75
    assert len({m.model_id for m in result.models}) == 75
    assert len(result.prices) == 283
    reasons = Counter(e.reason for e in result.exclusions)
    assert reasons["dynamic pricing (-1)"] == 10  # 5 routers x prompt/completion
    assert reasons["per web search, not a token price"] == 27
    assert sum(n for r, n in reasons.items() if "override" in r) == 18  # one per model with overrides
    assert len(result.exclusions) == 62
    nemotron_free = [p for p in result.prices if p.model_id == "nemotron-3.5-lightning" and p.service_tier == "free"]
    assert len(nemotron_free) == 2  # input and output once, although the object appears twice


def test_real_capture_open_weights(parse, sample) -> None:
    models = {m.source_model_id: m for m in parse(sample).models}
    qwen = models["qwen/qwen3.8-27b"]
    assert (qwen.open_weights, qwen.open_weights_basis, qwen.hugging_face_id) == (
        True, "openrouter:hugging_face_id", "Qwen/Qwen3.8-27B")
    assert models["google/gemini-3.7-flash"].open_weights is None  # hugging_face_id null: unknown, not False
    assert models["openrouter/pareto-code"].open_weights is None  # hugging_face_id "": unknown
    assert models["openrouter/pareto-code"].hugging_face_id is None
    assert not any(m.open_weights is False for m in models.values())
    assert sum(1 for m in models.values() if m.open_weights) == 40


def test_real_capture_model_attributes(parse, sample) -> None:
    models = {m.source_model_id: m for m in parse(sample).models}
    glm = models["z-ai/glm-5.2"]  # base object wins over its :batch (512000) and :free (256000) variants
    assert (glm.model_id, glm.creator, glm.context_length, glm.model_name) == (
        "glm-5.2", "z-ai", 1048576, "Z.ai: GLM 5.2")
    assert glm.created_at == datetime.fromtimestamp(1781631930, tz=UTC)
    dots = models["dots-studio/dots-3-note-preview"]  # only a :free variant exists
    assert (dots.model_id, dots.model_name) == ("dots-3-note-preview", "Dots Studio: Dots3-Note Preview")
    assert all(m.provider_id == "openrouter" for m in models.values())


# -- project fixture --------------------------------------------------------------------------------


def test_fixture_every_pricing_key(parse, fixture_doc) -> None:
    result = parse(fixture_doc)
    gemini = "gemini-3.7-flash"
    assert price(result, gemini, "input").price_per_mtok == Decimal("0.375")
    assert price(result, gemini, "output").price_per_mtok == Decimal("1.875")
    assert price(result, gemini, "cache_read").price_per_mtok == Decimal("0.0375")
    assert price(result, gemini, "cache_write").price_per_mtok == Decimal("0.0208333333333333")
    assert price(result, gemini, "reasoning").price_per_mtok == Decimal("1.875")
    assert price(result, gemini, "input", modality="audio").price_per_mtok == Decimal("0.375")
    assert price(result, gemini, "cache_read", modality="audio").price_per_mtok == Decimal("0.0375")
    assert price(result, "voxtral-small-24b-2507", "input", modality="audio").price_per_mtok == Decimal("100")
    opus = "claude-opus-5"
    assert price(result, opus, "cache_write").price_per_mtok == Decimal("6.25")
    assert price(result, opus, "cache_write_1h", tier="batch").price_per_mtok == Decimal("5")


def test_fixture_exclusions(parse, fixture_doc) -> None:
    result = parse(fixture_doc)
    by_item = {(e.item, e.field): e.reason for e in result.exclusions}
    assert by_item[("openrouter/auto", "pricing.prompt")] == "dynamic pricing (-1)"
    assert by_item[("openrouter/auto", "pricing.completion")] == "dynamic pricing (-1)"
    assert by_item[("google/gemini-3.7-flash", "pricing.image")].startswith("per-image")
    assert by_item[("google/gemini-3.1-flash-lite-image", "pricing.image_output")].startswith("per-image output")
    assert "not modelled" in by_item[("x-ai/grok-4.6", "pricing.overrides")]
    assert "200000" in by_item[("x-ai/grok-4.6", "pricing.overrides")]
    assert "time-of-day" in by_item[("deepseek/deepseek-v4-pro", "pricing.overrides")]
    assert not [p for p in result.prices if p.model_id == "auto"]
    # overrides: the base price is kept, once
    assert price(result, "grok-4.6", "input").price_per_mtok == Decimal("2")
    assert price(result, "deepseek-v4-pro", "output").price_per_mtok == Decimal("1.98")
    assert Counter(e.field for e in result.exclusions)["pricing.overrides"] == 2


def test_fixture_models(parse, fixture_doc) -> None:
    models = {m.model_id: m for m in parse(fixture_doc).models}
    assert len(models) == 11
    assert models["glm-5v-turbo"].open_weights is None  # hugging_face_id ""
    assert models["glm-5.2"].source_model_id == "z-ai/glm-5.2"  # only the :batch variant is in the fixture
    assert models["glm-5.2"].model_name == "Z.ai: GLM 5.2"
    assert models["auto"].creator == "openrouter"


def test_duplicate_object_states_its_facts_once(parse, fixture_doc) -> None:
    free = [p for p in parse(fixture_doc).prices if p.service_tier == "free"]
    assert sorted(p.token_type for p in free) == ["input", "output"]


def test_conflicting_duplicate_is_kept_once_and_excluded(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "qwen/qwen3.8-27b")
    changed = json.loads(json.dumps(doc["data"][0]))
    changed["pricing"]["prompt"] = "0.0000009"
    result = parse({"data": [doc["data"][0], changed]})
    assert price(result, "qwen3.8-27b", "input").price_per_mtok == Decimal("0.45")
    (exclusion,) = result.exclusions
    assert "duplicate id" in exclusion.reason


def test_other_suffix_stays_in_the_model_id(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "anthropic/claude-opus-5")
    doc["data"][0]["id"] = "anthropic/claude-opus-5:thinking"
    result = parse(doc)
    assert {p.model_id for p in result.prices} == {"claude-opus-5:thinking"}
    assert {p.service_tier for p in result.prices} == {"standard"}


def test_unknown_top_level_keys_are_fine(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "qwen/qwen3.8-27b")
    doc["data"][0]["brand_new_field"] = {"anything": 1}
    assert parse(doc).prices


def test_provenance(parse, fixture_doc, make_meta) -> None:
    body = json.dumps(fixture_doc).encode()
    result = orm.parse(body, make_meta(orm.SOURCE_ID, orm.URL, body))
    for record in [*result.prices, *result.models, *result.exclusions]:
        assert (record.source_id, record.source_url, record.parser_version) == (
            "openrouter_models", orm.URL, orm.PARSER_VERSION)
        assert record.raw_sha256 == make_meta(orm.SOURCE_ID, orm.URL, body).sha256


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[openrouter_models]" in str(info.value) and orm.URL in str(info.value)


def test_unknown_pricing_key_is_drift(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "qwen/qwen3.8-27b")
    doc["data"][0]["pricing"]["video_seconds"] = "0.01"
    assert_drift(parse, doc, "video_seconds")


def test_unknown_override_key_is_reported_in_the_exclusion(parse, fixture_doc) -> None:
    doc = one_model(fixture_doc, "x-ai/grok-4.6")
    doc["data"][0]["pricing"]["overrides"][0]["region"] = "eu"
    (override,) = [e for e in parse(doc).exclusions if e.field == "pricing.overrides"]
    assert "unknown keys region" in override.reason


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda m: m["pricing"].update(prompt=0.00000045), "prompt"),  # a number, not a string
        (lambda m: m["pricing"].update(prompt="cheap"), "not a per-token decimal"),
        (lambda m: m["pricing"].update(prompt="-0.5"), "negative price"),
        (lambda m: m["pricing"].pop("completion"), "completion"),
        (lambda m: m.update(id="no-creator-slug"), "creator/slug"),
        (lambda m: m.pop("pricing"), "pricing"),
    ],
)
def test_broken_model_objects_are_drift(parse, fixture_doc, mutate, match) -> None:
    doc = one_model(fixture_doc, "qwen/qwen3.8-27b")
    mutate(doc["data"][0])
    assert_drift(parse, doc, match)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html>rate limited</html>", "not JSON"),
        (b'{"error": {"code": 429}}', "no non-empty 'data'"),
        (b'{"data": []}', "no non-empty 'data'"),
        (b'{"data": ["x"]}', "not an object"),
    ],
)
def test_broken_documents_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


def test_only_dynamic_prices_is_drift(parse, fixture_doc) -> None:
    assert_drift(parse, one_model(fixture_doc, "openrouter/auto"), "no token price")


