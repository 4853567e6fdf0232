"""OpenRouter per-model endpoints: per-provider prices and speed, both stat renderings, exclusions, drift.

There is no real capture of this endpoint in ``shared/samples``: the fixtures are written from OpenRouter's
documented response shape. ``openai__gpt-oss-120b.json`` uses the current rendering (percentile objects)
and ``deepseek__deepseek-v4-pro.json`` the older one (plain numbers, nulls). Groq, Fireworks, Cerebras and
DeepSeek prices in them are those providers' published prices; the deepinfra endpoints, the discount
and the latency/throughput/uptime figures are illustrative.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import openrouter_endpoints as ore

GPT_URL = ore.endpoints_url("openai/gpt-oss-120b")


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | dict, url: str = GPT_URL):
        body = json.dumps(body).encode() if isinstance(body, dict) else body
        return ore.parse(body, make_meta(ore.SOURCE_ID, url, body))

    return _parse


@pytest.fixture
def gpt(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "openrouter_endpoints" / "openai__gpt-oss-120b.json").read_text())


@pytest.fixture
def pro(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "openrouter_endpoints" / "deepseek__deepseek-v4-pro.json").read_text())


def price(result, provider, token_type, tier="standard"):
    matches = [p for p in result.prices if (p.provider_id, p.token_type, p.service_tier) == (provider, token_type, tier)]
    assert len(matches) == 1, f"{provider} {token_type} {tier}: {matches}"
    return matches[0]


def perf(result, provider, metric):
    matches = [p for p in result.performance if (p.provider_id, p.metric) == (provider, metric)]
    assert len(matches) == 1, f"{provider} {metric}: {matches}"
    return matches[0]


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[openrouter_endpoints]" in str(info.value) and GPT_URL in str(info.value)


# -- percentile rendering ------------------------------------------------------------------------------


def test_prices_per_provider(parse, gpt) -> None:
    result = parse(gpt)
    groq = price(result, "groq", "input")
    assert (groq.price_per_mtok, groq.usd_per_mtok, groq.raw_value) == (Decimal("0.15"), Decimal("0.15"), "0.00000015")
    assert (groq.model_id, groq.model_name, groq.unit_as_published) == (
        "gpt-oss-120b", "OpenAI: gpt-oss-120b", "USD/token")
    assert price(result, "groq", "output").price_per_mtok == Decimal("0.6")
    assert price(result, "groq", "cache_read").price_per_mtok == Decimal("0.075")
    assert price(result, "fireworks", "cache_read").price_per_mtok == Decimal("0.014")
    assert price(result, "cerebras", "output").price_per_mtok == Decimal("0.75")
    assert price(result, "deepinfra", "input").price_per_mtok == Decimal("0.09")  # the first deepinfra tag
    assert len(result.prices) == 10
    assert {p.provider_id for p in result.prices} == {"groq", "fireworks", "cerebras", "deepinfra"}


def test_percentile_stats_keep_p50(parse, gpt) -> None:
    result = parse(gpt)
    speed = perf(result, "groq", "output_tokens_per_second")  # the gate's name; raw_value keeps "p50"
    assert (speed.value, speed.unit, speed.quantization, speed.raw_value) == (
        Decimal("500"), "tokens/s", None, "p50 500")  # quantization "unknown" -> None
    latency = perf(result, "fireworks", "latency_ms_p50")
    assert (latency.value, latency.unit, latency.quantization, latency.raw_value) == (
        Decimal("420.0"), "ms", "fp8", "p50 420.0")
    assert perf(result, "cerebras", "uptime_pct").value == Decimal("100")
    assert perf(result, "deepinfra", "output_tokens_per_second").quantization == "fp4"
    assert {p.metric for p in result.performance} == {"uptime_pct", "latency_ms_p50", "output_tokens_per_second"}
    assert len(result.performance) == 10


def test_exclusions(parse, gpt) -> None:
    by_key = {(e.item, e.field): e.reason for e in parse(gpt).exclusions}
    assert by_key[("openai/gpt-oss-120b @ groq", "pricing")].endswith("internal_reasoning")
    assert by_key[("openai/gpt-oss-120b @ cerebras", "pricing.discount")].startswith("discount 0.1 not applied")
    assert by_key[("openai/gpt-oss-120b @ deepinfra/fp4", "pricing.request")] == "per request, not a token price"
    assert "'deepinfra/fp4'" in by_key[("openai/gpt-oss-120b @ deepinfra/turbo", "endpoint")]
    assert "latency_last_30m, throughput_last_30m" in by_key[("openai/gpt-oss-120b @ cerebras", "stats")]
    assert len(by_key) == 5  # zero request/image/web_search fees and zero discounts are not exclusions


# -- plain-number rendering ------------------------------------------------------------------------------


def test_plain_number_stats_and_nulls(parse, pro) -> None:
    result = parse(pro)
    assert perf(result, "deepseek", "latency_ms").value == Decimal("1234.5")
    speed = perf(result, "deepseek", "output_tokens_per_second")
    assert (speed.value, speed.raw_value) == (Decimal("35.2"), "35.2")
    assert perf(result, "deepseek", "uptime_pct").quantization == "fp8"
    assert {p.provider_id for p in result.performance} == {"deepseek"}
    assert price(result, "deepseek", "cache_read").price_per_mtok == Decimal("0.003625")
    assert price(result, "fireworks", "output").price_per_mtok == Decimal("3.48")
    (stats,) = result.exclusions
    assert (stats.item, stats.field) == ("deepseek/deepseek-v4-pro @ fireworks", "stats")
    assert "uptime_last_30m, latency_last_30m, throughput_last_30m" in stats.reason


def test_free_variant_is_a_tier(parse, pro) -> None:
    pro["data"]["id"] = "deepseek/deepseek-v4-pro:free"
    result = parse(pro)
    assert {(p.model_id, p.service_tier) for p in result.prices} == {("deepseek-v4-pro", "free")}


def test_provider_without_tag_is_slugified(parse, pro) -> None:
    endpoint = pro["data"]["endpoints"][1]
    endpoint.update(tag=None, provider_name="Google Vertex")
    assert {p.provider_id for p in parse(pro).prices} == {"deepseek", "google-vertex"}


def test_dynamic_and_overrides_are_exclusions(parse, pro) -> None:
    pricing = pro["data"]["endpoints"][1]["pricing"]
    pricing.update(prompt="-1", overrides=[{"min_prompt_tokens": 200000, "prompt": "0.000003"}])
    result = parse(pro)
    fields = {e.field: e.reason for e in result.exclusions if "fireworks" in e.item}
    assert fields["pricing.prompt"] == "dynamic pricing (-1)"
    assert "override" in fields["pricing.overrides"]
    assert not [p for p in result.prices if p.provider_id == "fireworks" and p.token_type == "input"]


def test_provenance(parse, gpt, make_meta) -> None:
    body = json.dumps(gpt).encode()
    result = ore.parse(body, make_meta(ore.SOURCE_ID, GPT_URL, body))
    for record in [*result.prices, *result.performance, *result.exclusions]:
        assert (record.source_id, record.source_url, record.parser_version) == ("openrouter_endpoints", GPT_URL, "1")
        assert record.raw_sha256 == make_meta(ore.SOURCE_ID, GPT_URL, body).sha256


# -- drift ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda e: e["pricing"].update(video_seconds="0.01"), "video_seconds"),
        (lambda e: e["pricing"].update(prompt=0.00000015), "prompt"),
        (lambda e: e["pricing"].update(prompt="-0.5"), "per-token decimal"),
        (lambda e: e["pricing"].update(completion="cheap"), "per-token decimal"),
        (lambda e: e["pricing"].pop("completion"), "completion"),
        (lambda e: e.pop("pricing"), "pricing"),
        (lambda e: e.update(uptime_last_30m=150), "out of range"),
        (lambda e: e.update(latency_last_30m={"median": 1}), "latency_last_30m"),
    ],
)
def test_broken_endpoint_is_drift(parse, gpt, mutate, match) -> None:
    mutate(gpt["data"]["endpoints"][0])
    assert_drift(parse, gpt, match)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html>rate limited</html>", "not JSON"),
        (b'{"error": {"code": 404, "message": "Model not found"}}', "no 'data' object"),
        (b'{"data": {"id": "openai/gpt-oss-120b", "name": "x", "endpoints": []}}', "no endpoints"),
        (b'{"data": {"id": "no-slash", "name": "x", "endpoints": []}}', "author/slug|creator/slug"),
    ],
)
def test_broken_documents_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


def test_only_dynamic_prices_is_drift(parse, pro) -> None:
    for endpoint in pro["data"]["endpoints"]:
        endpoint["pricing"] = {"prompt": "-1", "completion": "-1"}
    assert_drift(parse, pro, "no token price")


# -- targets and demo -------------------------------------------------------------------------------------


def test_targets() -> None:
    targets = ore.targets()
    assert len(targets) == len(ore.TOP_MODELS) == 11
    assert ("openai__gpt-oss-120b.json", "https://openrouter.ai/api/v1/models/openai/gpt-oss-120b/endpoints") in targets
    assert len({key for key, _ in targets}) == 11
    assert set(ore.DEMO_MODELS) <= set(ore.TOP_MODELS)
    with pytest.raises(ValueError):
        ore.capture_key("no-slash")


