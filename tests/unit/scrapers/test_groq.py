"""Groq pricing parser: real server-HTML excerpt, a plain rendering fixture, drift, demo days."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import groq

SAMPLE = "groq_alexis-htc-mcp-2026-06.html"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return groq.parse(body, make_meta(groq.SOURCE_ID, groq.URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "pages" / SAMPLE).read_bytes()


@pytest.fixture
def plain(fixtures_dir) -> str:
    return (fixtures_dir / "groq" / "pricing_plain.html").read_text(encoding="utf-8")


def price(result, model_id: str, token_type: str) -> Decimal:
    matches = [p.price_per_mtok for p in result.prices if (p.model_id, p.token_type) == (model_id, token_type)]
    assert len(matches) == 1, f"{model_id} {token_type}: {matches}"
    return matches[0]


def speed(result, model_id: str) -> Decimal:
    (value,) = [p.value for p in result.performance if p.model_id == model_id]
    return value


def facts(result) -> set[tuple]:
    return {(p.model_id, p.model_name, p.token_type, p.service_tier, p.price_per_mtok) for p in result.prices}


# -- identity ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "hrefs", "model_id"),
    [
        ("GPT OSS 20B 128k", ["https://console.groq.com/playground?model=openai/gpt-oss-120b",
                              "https://console.groq.com/docs/model/openai/gpt-oss-20b"], "openai/gpt-oss-20b"),
        # the real page links Safeguard 20B to the 120B card: the size check rejects it
        ("GPT OSS Safeguard 20B", ["https://console.groq.com/docs/model/openai/gpt-oss-120b"],
         "openai/gpt-oss-safeguard-20b"),
        ("Llama 4 Scout (17Bx16E) 128k", ["https://console.groq.com/docs/model/meta-llama/llama-4-scout-17b-16e-instruct"],
         "meta-llama/llama-4-scout-17b-16e-instruct"),
        ("Qwen 3.6 27B 131k", ["https://console.groq.com/docs/model/qwen/qwen3.6-27b"], "qwen/qwen3.6-27b"),
        ("Llama 3.3 70B Versatile 128k", ["https://console.groq.com/playground?model=llama-3.3-70b-versatile"],
         "llama-3.3-70b-versatile"),
        ("Minimax M2.5", [], "minimax-m2.5"),
    ],
)
def test_model_ids(name, hrefs, model_id) -> None:
    assert groq.model_id_for(name, hrefs) == model_id


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_prices_and_speeds(parse, sample) -> None:
    result = parse(sample)
    assert price(result, "openai/gpt-oss-20b", "input") == Decimal("0.075")
    assert price(result, "openai/gpt-oss-20b", "output") == Decimal("0.30")
    assert price(result, "openai/gpt-oss-120b", "input") == Decimal("0.15")
    assert price(result, "openai/gpt-oss-120b", "output") == Decimal("0.60")
    assert price(result, "llama-3.3-70b-versatile", "input") == Decimal("0.59")
    assert price(result, "llama-3.3-70b-versatile", "output") == Decimal("0.79")
    assert len(result.prices) == 6
    assert speed(result, "openai/gpt-oss-20b") == Decimal("1000")  # "1,000 TPS"
    assert speed(result, "openai/gpt-oss-120b") == Decimal("500")
    assert speed(result, "llama-3.3-70b-versatile") == Decimal("394")
    assert {(p.metric, p.unit) for p in result.performance} == {("output_tokens_per_second", "tokens/s")}
    assert result.exclusions == []


def test_real_capture_shape_and_provenance(parse, sample, make_meta) -> None:
    result = parse(sample)
    meta = make_meta(groq.SOURCE_ID, groq.URL, sample)
    fact = next(p for p in result.prices if (p.model_id, p.token_type) == ("openai/gpt-oss-20b", "input"))
    assert fact.model_name == "GPT OSS 20B 128k"
    assert (fact.raw_value, fact.unit_as_published) == ("$0.075", "$ / Million tokens")
    assert (fact.source_id, fact.source_url, fact.raw_sha256, fact.parser_version) == ("groq", groq.URL, meta.sha256, groq.PARSER_VERSION)
    assert all(p.currency == "USD" and p.usd_per_mtok == p.price_per_mtok for p in result.prices)
    assert {(p.service_tier, p.context_band, p.provider_id) for p in result.prices} == {("standard", "all", "groq")}
    perf = next(p for p in result.performance if p.model_id == "openai/gpt-oss-20b")
    assert (perf.raw_value, perf.model_name, perf.raw_sha256) == ("1,000 TPS", "GPT OSS 20B 128k", meta.sha256)


def test_class_name_churn_changes_nothing(parse, sample) -> None:
    text = sample.decode("utf-8")
    churned = re.sub(r'class="[^"]*"', 'class="x9"', text).replace("pricing-table-llms", "t1")
    assert facts(parse(churned)) == facts(parse(text))


# -- the plain rendering ----------------------------------------------------------------------------


def test_plain_rendering(parse, plain) -> None:
    result = parse(plain)
    assert price(result, "openai/gpt-oss-safeguard-20b", "input") == Decimal("0.075")
    assert price(result, "meta-llama/llama-4-scout-17b-16e-instruct", "output") == Decimal("0.34")
    assert price(result, "qwen/qwen3.6-27b", "output") == Decimal("3.00")
    # the caching table: cached input, and a model the LLM table does not list
    assert price(result, "openai/gpt-oss-20b", "cache_read") == Decimal("0.0375")
    assert price(result, "openai/gpt-oss-120b", "cache_read") == Decimal("0.075")
    assert price(result, "moonshotai/kimi-k2-instruct-0905", "cache_read") == Decimal("0.50")
    assert price(result, "moonshotai/kimi-k2-instruct-0905", "input") == Decimal("1.00")
    assert len(result.prices) == 6 * 2 + 3 + 2
    assert len(result.performance) == 6 and speed(result, "llama-3.1-8b-instant") == Decimal("840")
    names = {p.model_id: p.model_name for p in result.prices}
    assert names["openai/gpt-oss-20b"] == "GPT OSS 20B 128k"  # the LLM table's name, not the caching id
    assert names["moonshotai/kimi-k2-instruct-0905"] == "moonshotai/kimi-k2-instruct-0905"


def test_plain_rendering_exclusions(parse, plain) -> None:
    exclusions = {(e.item, e.field): e.reason for e in parse(plain).exclusions}
    assert set(exclusions) == {
        ("minimax-m2.5", "Large Language Models (Enterprise-only)"),
        ("canopylabs/orpheus-v1-english", "Text-to-Speech Models"),
        ("whisper-large-v3-turbo", "Automatic Speech Recognition (ASR) Models"),
    }
    assert "contact sales" in exclusions[("minimax-m2.5", "Large Language Models (Enterprise-only)")]
    assert "Per M Characters" in exclusions[("canopylabs/orpheus-v1-english", "Text-to-Speech Models")]


def test_both_renderings_agree(parse, plain, fixtures_dir) -> None:
    # our server-rendering fixture (mobile labels, thead, hint spans) holds an overlapping model set
    server, flat = parse((fixtures_dir / "groq" / "pricing_server.html").read_bytes()), parse(plain)
    shared = {p.model_id for p in server.prices} & {p.model_id for p in flat.prices}
    assert len(shared) == 5
    assert {f for f in facts(flat) if f[0] in shared} == {f for f in facts(server) if f[0] in shared}
    assert {e.item for e in parse(plain).exclusions} == {e.item for e in server.exclusions}


def test_dash_price_is_an_exclusion(parse, plain) -> None:
    result = parse(plain.replace("<td>$0.08 (12.5M / $1)*</td>", "<td>-</td>"))
    (exclusion,) = [e for e in result.exclusions if e.item == "llama-3.1-8b-instant"]
    assert exclusion.field == "Output Token Price (Per Million Tokens)"
    assert not [p for p in result.prices if p.model_id == "llama-3.1-8b-instant" and p.token_type == "output"]


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, text: str | bytes, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(text)
    assert "[groq]" in str(info.value) and groq.URL in str(info.value)
    assert (info.value.source_id, info.value.url) == ("groq", groq.URL)


def test_unknown_column_is_drift(parse, plain) -> None:
    text = plain.replace("<th>Current Speed<br>(Tokens per Second)</th>", "<th>Batch Token Price</th>")
    assert_drift(parse, text, "unknown column 'Batch Token Price' in the 'Large Language Models' table")


def test_unknown_column_in_the_real_capture_is_drift(parse, sample) -> None:
    text = sample.decode("utf-8").replace("<span>Output Token Price</span>", "<span>Flex Token Price</span>", 1)
    assert_drift(parse, text, "unknown column 'Flex Token Price")


def test_missing_unit_is_drift(parse, plain) -> None:
    text = plain.replace("Input Token Price<br>(Per Million Tokens)", "Input Token Price")
    assert_drift(parse, text, "GPT OSS 20B 128k / Input Token Price: no unit")


def test_conflicting_caching_price_is_drift(parse, plain) -> None:
    text = plain.replace("<td>openai/gpt-oss-20b</td><td>$0.075</td>", "<td>openai/gpt-oss-20b</td><td>$0.07</td>")
    assert_drift(parse, text, "openai/gpt-oss-20b input has two prices")


def test_unreadable_speed_is_drift(parse, plain) -> None:
    assert_drift(parse, plain.replace("840 TPS", "fast"), "unreadable speed 'fast'")


def test_page_without_token_table_is_drift(parse, plain) -> None:
    start, end = plain.index("<h2>Large Language Models</h2>"), plain.index("<h2>Large Language Models (Enterprise")
    text = plain[:start] + plain[end:]
    start, end = text.index("<h2>Prompt Caching</h2>"), text.index("<h2>Built-In Tools</h2>")
    assert_drift(parse, text[:start] + text[end:], "no token price table")
    assert_drift(parse, "<html><body><p>Pricing moved.</p></body></html>", "no token price table")


def test_binary_body_is_drift(parse) -> None:
    assert_drift(parse, b"\xff\xfe\x00binary", "not UTF-8")


