"""llm-prices: per-vendor and combined shapes, from/to dates, bands from names, exclusions, drift."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import llm_prices as lp


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | dict):
        body = json.dumps(body, ensure_ascii=False).encode() if isinstance(body, dict) else body
        return lp.parse(body, make_meta(lp.SOURCE_ID, lp.URL, body))

    return _parse


@pytest.fixture
def vendor(samples_dir, parse):
    return lambda name: parse((samples_dir / "datasets" / "simonw_llm-prices" / f"{name}.json").read_bytes())


@pytest.fixture
def fixture_doc(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "llm_prices" / "historical-v1.json").read_text(encoding="utf-8"))


def price(result, model, token_type, band="all", valid_from=None, modality="text"):
    matches = [p for p in result.prices if (p.model_id, p.token_type, p.context_band, p.valid_from, p.modality)
               == (model, token_type, band, valid_from, modality)]
    assert len(matches) == 1, f"{model} {token_type} {band} {valid_from}: {matches}"
    return matches[0]


# -- the real capture (per-vendor source files) -----------------------------------------------------


def test_real_capture_every_vendor_file(samples_dir, vendor) -> None:
    counts = {path.stem: len(vendor(path.stem).prices)
              for path in sorted((samples_dir / "datasets" / "simonw_llm-prices").glob("*.json"))}
    assert counts == {"amazon": 8, "anthropic": 36, "deepseek": 12, "google": 57, "meta-ai": 9, "minimax": 2,
                      "mistral": 28, "moonshot-ai": 15, "openai": 134, "qwen": 4, "xai": 66}


def test_real_capture_dated_history(vendor) -> None:
    deepseek = vendor("deepseek")
    old = price(deepseek, "deepseek-chat", "input")
    assert (old.price_per_mtok, old.valid_from, old.valid_to, old.valid_from_basis) == (
        Decimal("0.14"), None, date(2025, 2, 8), None)
    new = price(deepseek, "deepseek-chat", "output", valid_from=date(2025, 2, 8))
    assert (new.price_per_mtok, new.valid_to, new.valid_from_basis) == (Decimal("1.1"), None, "effective")
    assert price(deepseek, "deepseek-v4-pro", "cache_read").price_per_mtok == Decimal("0.145")
    sonnet5 = vendor("anthropic")
    assert price(sonnet5, "claude-sonnet-5", "input").valid_to == date(2026, 9, 1)
    assert price(sonnet5, "claude-sonnet-5", "output", valid_from=date(2026, 9, 1)).price_per_mtok == 15
    assert all(p.provider_id == "anthropic" and p.currency == "USD" for p in sonnet5.prices)


def test_real_capture_bands_from_names(vendor) -> None:
    openai = vendor("openai")
    low = price(openai, "gpt-5.6-terra", "input", "<=272k", valid_from=date(2026, 7, 30))
    high = price(openai, "gpt-5.6-terra", "input", ">272k", valid_from=date(2026, 7, 30))
    assert (low.price_per_mtok, high.price_per_mtok) == (Decimal("2"), Decimal("4.0"))
    assert high.model_name == "GPT-5.6 Terra" and high.raw_value == "4.0"
    assert price(openai, "gpt-5.6-terra", "cache_read", ">272k").price_per_mtok == Decimal("0.5")
    assert not [p for p in openai.prices if p.model_id.endswith("-272k")]
    google = vendor("google")
    assert price(google, "gemini-1.5-flash-8b", "output", ">128k").price_per_mtok == Decimal("0.3")
    assert price(google, "gemini-2.5-pro", "input", ">200k").price_per_mtok == Decimal("2.5")


def test_real_capture_image_generation_rows(vendor) -> None:
    openai = vendor("openai")
    assert price(openai, "gpt-image-2", "output", modality="image").price_per_mtok == Decimal("30")
    assert price(openai, "gpt-image-2", "input", modality="text").price_per_mtok == Decimal("5")
    reasons = {e.item: e.reason for e in openai.exclusions}
    assert set(reasons) == {"openai/gpt-image-1", "openai/gpt-image-1-mini"}
    assert "text or image tokens" in reasons["openai/gpt-image-1"]


def test_real_capture_duplicate_row_is_kept_once(vendor) -> None:
    xai = vendor("xai")  # "Grok 4 Fast" is listed twice with the same prices; once with a band
    assert price(xai, "grok-4-fast", "input").price_per_mtok == Decimal("0.2")
    assert price(xai, "grok-4-fast", "input", "<=128k").price_per_mtok == Decimal("0.2")
    assert not xai.exclusions


# -- project fixture (the combined historical-v1.json build) ----------------------------------------


def test_fixture_combined_shape(parse, fixture_doc) -> None:
    result = parse(fixture_doc)
    assert len(result.prices) == 44
    luna = price(result, "gpt-5.6-terra", "output", ">272k")
    assert (luna.price_per_mtok, luna.valid_to) == (Decimal("22.5"), date(2026, 7, 30))
    assert price(result, "qwen3.6-plus", "output", ">256k").price_per_mtok == Decimal("6")
    assert price(result, "claude-sonnet-4.5", "input", ">200k").model_name == "Claude Sonnet 4 and 4.5"
    # rows without input_cached (older builds) are fine
    assert not [p for p in result.prices if p.model_id == "claude-sonnet-5" and p.token_type == "cache_read"]


def test_fixture_matches_vendor_files(parse, fixture_doc, vendor) -> None:
    combined = {(p.provider_id, p.model_id, p.token_type, p.context_band, p.valid_from, p.price_per_mtok)
                for p in parse(fixture_doc).prices if p.token_type != "cache_read"}
    per_vendor = {(p.provider_id, p.model_id, p.token_type, p.context_band, p.valid_from, p.price_per_mtok)
                  for v in ("openai", "deepseek", "anthropic", "xai", "qwen") for p in vendor(v).prices}
    assert combined <= per_vendor


def test_null_price_is_excluded(parse, fixture_doc) -> None:
    fixture_doc["prices"][0]["output"] = None
    result = parse(fixture_doc)
    assert [(e.field, e.reason) for e in result.exclusions if e.field == "output"] == [
        ("output", "no price in the dataset (null)")]


def test_empty_interval_is_excluded(parse, fixture_doc) -> None:
    row = fixture_doc["prices"][0]
    row.update(from_date="2026-01-02", to_date="2026-01-02")
    assert any("empty interval" in e.reason for e in parse(fixture_doc).exclusions)


@pytest.mark.parametrize(
    ("model_id", "name", "expected"),
    [
        ("gpt-5.4-272k", "GPT-5.4 >272k", ("gpt-5.4", "GPT-5.4", ">272k", "text")),
        ("gemini-1.5-pro", "Gemini 1.5 Pro ≤128k", ("gemini-1.5-pro", "Gemini 1.5 Pro", "<=128k", "text")),
        ("o3", "o3", ("o3", "o3", "all", "text")),
        ("gpt-image-2-text", "gpt-image-2 (image gen) text tokens", ("gpt-image-2", "gpt-image-2 (image gen)", "all",
                                                                      "text")),
    ],
)
def test_identity(model_id, name, expected) -> None:
    assert lp.identity(model_id, name) == expected


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[llm_prices]" in str(info.value) and lp.URL in str(info.value)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda r: r.update(batch_input=1.5), "batch_input"),  # a new price column
        (lambda r: r.update(input="cheap"), "input"),
        (lambda r: r.update(from_date="last spring"), "from_date"),
        (lambda r: r.pop("vendor"), "vendor"),
        (lambda r: r.update(input=-1), "negative price"),
    ],
)
def test_broken_rows_are_drift(parse, fixture_doc, mutate, match) -> None:
    mutate(fixture_doc["prices"][0])
    assert_drift(parse, fixture_doc, match)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html>oops</html>", "not JSON"),
        (b'{"data": []}', "neither a combined build"),
        (b'{"prices": []}', "no price rows"),
        (b'{"prices": {"a": 1}}', "not a list"),
        (b'{"vendor": "x", "models": [{"id": "m", "name": "M", "price_history": [{"input": 1}]}]}', "output"),
    ],
)
def test_broken_documents_are_drift(parse, body, match) -> None:
    assert_drift(parse, body, match)


def test_only_unusable_rows_is_drift(parse) -> None:
    doc = {"prices": [{"id": "gpt-image-1", "vendor": "openai", "name": "gpt-image-1 (image gen)", "input": 10,
                       "output": 40, "from_date": None, "to_date": None}]}
    assert_drift(parse, doc, "no price fact")


