"""Together models API: serverless input/output prices, attributes, exclusions, drift.

There is no real capture of ``/v1/models`` in ``shared/samples``: the fixture (compact, one line, as the API
sends it) and the demo captures (indented) are written from Together's documented shape. Chat, language and
code prices are Together's published serverless prices (as recorded in pydantic genai-prices); the
dedicated-only, image, embedding and rerank entries carry zero prices.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import together


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | list | dict):
        body = body if isinstance(body, bytes) else json.dumps(body).encode()
        return together.parse(body, make_meta(together.SOURCE_ID, together.URL, body))

    return _parse


@pytest.fixture
def fixture_body(fixtures_dir) -> bytes:
    return (fixtures_dir / "together" / "models.json").read_bytes()


@pytest.fixture
def models(fixture_body) -> list:
    return json.loads(fixture_body)


def price(result, model_id, token_type):
    matches = [p for p in result.prices if (p.model_id, p.token_type) == (model_id, token_type)]
    assert len(matches) == 1, f"{model_id} {token_type}: {matches}"
    return matches[0]


def one(models: list, model_id: str) -> list:
    return [json.loads(json.dumps(next(m for m in models if m["id"] == model_id)))]


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[together]" in str(info.value) and together.URL in str(info.value)


def test_prices(parse, fixture_body) -> None:
    result = parse(fixture_body)
    llama = price(result, "meta-llama/llama-3.3-70b-instruct-turbo", "input")
    assert (llama.price_per_mtok, llama.usd_per_mtok, llama.currency) == (Decimal("0.88"), Decimal("0.88"), "USD")
    assert (llama.provider_id, llama.model_name, llama.service_tier, llama.context_band) == (
        "together", "Meta Llama 3.3 70B Instruct Turbo", "standard", "all")
    assert (llama.unit_as_published, llama.raw_value) == ("USD/1M tokens", "0.88")
    assert price(result, "meta-llama/llama-4-maverick-17b-128e-instruct-fp8", "output").price_per_mtok == Decimal("0.85")
    assert price(result, "meta-llama/llama-4-scout-17b-16e-instruct", "input").price_per_mtok == Decimal("0.18")
    code = price(result, "codellama/codellama-34b-instruct-hf", "output")
    assert code.price_per_mtok == Decimal("0.776") and str(code.price_per_mtok) == "0.776"  # never via float
    assert price(result, "qwen/qwen1.5-72b", "input").price_per_mtok == Decimal("0.9")  # type "language"
    assert len(result.prices) == 16


def test_model_attributes(parse, fixture_body) -> None:
    attrs = {m.model_id: m for m in parse(fixture_body).models}
    assert len(attrs) == 9  # chat, language and code models, the dedicated-only one included
    llama = attrs["meta-llama/llama-3.3-70b-instruct-turbo"]
    assert (llama.source_model_id, llama.creator, llama.context_length) == (
        "meta-llama/Llama-3.3-70B-Instruct-Turbo", "meta", 131072)
    assert (llama.open_weights, llama.hugging_face_id, llama.open_weights_basis) == (
        True, "meta-llama/Llama-3.3-70B-Instruct", "together:link")
    assert llama.created_at == datetime(2024, 12, 5, tzinfo=UTC)
    assert attrs["qwen/qwen1.5-72b"].open_weights is None  # link is not a Hugging Face repo: unknown
    assert attrs["austism/chronos-hermes-13b"].hugging_face_id is None
    assert attrs["mistralai/mixtral-8x7b-instruct-v0.1"].creator == "mistralai"


def test_exclusions(parse, fixture_body) -> None:
    by_item = {(e.item, e.field): e.reason for e in parse(fixture_body).exclusions}
    assert by_item[("meta-llama/Llama-2-70b-hf", "pricing")].startswith("input and output both 0")
    assert by_item[("black-forest-labs/FLUX.1-schnell", "type")].startswith("type 'image'")
    assert by_item[("togethercomputer/m2-bert-80M-8k-retrieval", "type")].startswith("type 'embedding'")
    assert by_item[("Salesforce/Llama-Rank-V1", "type")].startswith("type 'rerank'")
    assert len(by_item) == 4  # the identical repeat of the first model is stated once, silently


def test_hourly_price_is_named_in_the_exclusion(parse, models) -> None:
    body = one(models, "meta-llama/Llama-2-70b-hf") + one(models, "Austism/chronos-hermes-13b")
    body[0]["pricing"]["hourly"] = 3.5
    (exclusion,) = parse(body).exclusions
    assert exclusion.reason.endswith("hourly 3.5")


def test_one_zero_side_is_still_a_price(parse, models) -> None:
    body = one(models, "Austism/chronos-hermes-13b")
    body[0]["pricing"]["input"] = 0
    result = parse(body)
    assert price(result, "austism/chronos-hermes-13b", "input").price_per_mtok == 0
    assert not result.exclusions


def test_conflicting_duplicate_is_kept_once_and_excluded(parse, models) -> None:
    first = one(models, "Austism/chronos-hermes-13b")[0]
    changed = json.loads(json.dumps(first))
    changed["pricing"]["input"] = 0.6
    result = parse([first, changed])
    assert price(result, "austism/chronos-hermes-13b", "input").price_per_mtok == Decimal("0.3")
    (exclusion,) = result.exclusions
    assert "duplicate id" in exclusion.reason


def test_renderings_agree(parse, fixture_body, fixtures_dir) -> None:
    compact = {(p.model_id, p.token_type, p.price_per_mtok) for p in parse(fixture_body).prices}
    indented = {(p.model_id, p.token_type, p.price_per_mtok)
                for p in parse((fixtures_dir / "together" / "models_indented.json").read_bytes()).prices}
    assert indented and indented <= compact


def test_provenance(parse, fixture_body, make_meta) -> None:
    result = parse(fixture_body)
    sha = make_meta(together.SOURCE_ID, together.URL, fixture_body).sha256
    for record in [*result.prices, *result.models, *result.exclusions]:
        assert (record.source_id, record.source_url, record.parser_version, record.raw_sha256) == (
            "together", together.URL, "1", sha)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda m: m["pricing"].update(cached_input=0.1), "cached_input"),
        (lambda m: m["pricing"].update(input=-0.3), "negative price"),
        (lambda m: m["pricing"].update(input="cheap"), "input"),
        (lambda m: m["pricing"].pop("output"), "output"),
        (lambda m: m.pop("type"), "type"),
    ],
)
def test_broken_models_are_drift(parse, models, mutate, match) -> None:
    body = one(models, "Austism/chronos-hermes-13b")
    mutate(body[0])
    assert_drift(parse, body, match)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html>unauthorized</html>", "not JSON"),
        (b'{"data": []}', "non-empty JSON list"),
        (b"[]", "non-empty JSON list"),
        (b'["x"]', "model"),
    ],
)
def test_broken_documents_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


def test_no_serverless_price_is_drift(parse, models) -> None:
    body = one(models, "black-forest-labs/FLUX.1-schnell") + one(models, "meta-llama/Llama-2-70b-hf")
    assert_drift(parse, body, "no serverless chat/language price")


def test_request_headers(monkeypatch) -> None:
    monkeypatch.delenv(together.API_KEY_ENV, raising=False)
    with pytest.raises(RuntimeError, match="COSTCURVE_TOGETHER_API_KEY"):
        together.request_headers()
    monkeypatch.setenv(together.API_KEY_ENV, "tg-test")
    assert together.request_headers() == {"Authorization": "Bearer tg-test"}


