"""Fireworks serverless pricing parser: real captures, .md and text-rendering fixtures, buckets, drift, demo."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import fireworks

EXCERPT = "fireworks_docs-serverless-pricing_excerpt.md"
MARKETING = "fireworks_alexis-htc-mcp-2026-06.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return fireworks.parse(body, make_meta(fireworks.SOURCE_ID, fireworks.URL, body))

    return _parse


@pytest.fixture
def excerpt(samples_dir) -> bytes:
    return (samples_dir / "pages" / EXCERPT).read_bytes()


@pytest.fixture
def docs_md(fixtures_dir) -> str:
    return (fixtures_dir / "fireworks" / "pricing.md").read_text(encoding="utf-8")


@pytest.fixture
def columns(fixtures_dir) -> str:
    return (fixtures_dir / "fireworks" / "pricing_columns.md").read_text(encoding="utf-8")


def price(result, model_id: str, token_type: str, tier: str = "standard") -> Decimal:
    matches = [p.price_per_mtok for p in result.prices
               if (p.model_id, p.token_type, p.service_tier) == (model_id, token_type, tier)]
    assert len(matches) == 1, f"{model_id} {token_type} {tier}: {matches}"
    return matches[0]


def by_name(result) -> set[tuple]:
    """Facts keyed by published name (ids differ between renderings with and without model links)."""
    return {(p.model_name, p.token_type, p.service_tier, p.price_per_mtok) for p in result.prices}


# -- bucket ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Less than 4B parameters", "bucket:<4b"),
        ("4B - 16B parameters", "bucket:4b-16b"),
        ("4B - 16B", "bucket:4b-16b"),
        ("More than 16B parameters", "bucket:>16b"),
        ("16.1B+", "bucket:>=16.1b"),
        ("MoE 0B - 56B parameters (e.g. Mixtral 8x7B)", "bucket:moe:0b-56b"),
        ("MoE 56.1B - 176B parameters (e.g. DBRX, Mixtral 8x22B)", "bucket:moe:56.1b-176b"),
        ("Up to 4B", "bucket:<=4b"),
        ("Qwen3 8B", None),
        ("Kimi K2.6", None),
        ("Models up to 16B parameters", None),
    ],
)
def test_bucket_ids(text, expected) -> None:
    assert fireworks.bucket_id(text) == expected


def test_embedding_bucket_ids() -> None:
    assert fireworks.bucket_id("up to 150M", embedding=True) == "bucket:embedding:<=150m"
    assert fireworks.bucket_id("150M - 350M", embedding=True) == "bucket:embedding:150m-350m"


# -- real captures ----------------------------------------------------------------------------------


def test_real_excerpt_prices(parse, excerpt) -> None:
    result = parse(excerpt)
    assert len(result.prices) == 14 * 3
    assert len({p.model_id for p in result.prices}) == 14
    assert price(result, "kimi-k2.6", "input") == Decimal("0.95")
    assert price(result, "kimi-k2.6", "cache_read") == Decimal("0.16")
    assert price(result, "kimi-k2.6", "output") == Decimal("4.00")
    assert price(result, "deepseek-v4-pro", "cache_read") == Decimal("0.145")
    assert price(result, "openai-gpt-oss-120b", "cache_read") == Decimal("0.015")
    assert price(result, "glm-5.1-fast", "output") == Decimal("8.80")
    assert price(result, "qwen3-vl-30b-a3b", "cache_read") == Decimal("0.075")
    assert {p.service_tier for p in result.prices} == {"standard"}
    assert all(p.currency == "USD" and p.usd_per_mtok == p.price_per_mtok for p in result.prices)
    assert result.exclusions == []


def test_real_excerpt_names_and_provenance(parse, excerpt, make_meta) -> None:
    result = parse(excerpt)
    names = {p.model_id: p.model_name for p in result.prices}
    assert names["kimi-k2.6-turbo"] == "Kimi K2.6 Turbo"  # "(Fast, Preview)" dropped
    assert names["deepseek-v3-family"] == "DeepSeek V3 family"
    meta = make_meta(fireworks.SOURCE_ID, fireworks.URL, excerpt)
    fact = next(p for p in result.prices if (p.model_id, p.token_type) == ("kimi-k2.6", "input"))
    assert (fact.source_id, fact.source_url, fact.raw_sha256, fact.parser_version) == (
        "fireworks", fireworks.URL, meta.sha256, fireworks.PARSER_VERSION)
    assert (fact.raw_value, fact.unit_as_published, fact.provider_id) == ("$0.95", "$ / 1M tokens", "fireworks")


def test_real_marketing_page_without_per_model_prices_is_drift(parse, samples_dir) -> None:
    # by mid-2026 fireworks.ai/pricing lists only embeddings, fine-tuning and GPU prices
    body = (samples_dir / "pages" / MARKETING).read_bytes()
    with pytest.raises(LayoutDriftError, match="no per-model text/vision price table") as info:
        parse(body)
    assert "[fireworks]" in str(info.value) and fireworks.URL in str(info.value)


# -- the .md rendering: links, Standard / Priority combined cells, buckets, embeddings ---------------


def test_docs_md_per_model_prices(parse, docs_md) -> None:
    result = parse(docs_md)
    kimi = "accounts/fireworks/models/kimi-k2p6"
    assert price(result, kimi, "input") == Decimal("0.95")
    assert price(result, kimi, "cache_read") == Decimal("0.16")
    assert price(result, kimi, "output") == Decimal("4.00")
    assert price(result, kimi, "input", "priority") == Decimal("1.90")
    assert price(result, kimi, "output", "priority") == Decimal("8.00")
    assert price(result, "accounts/fireworks/models/deepseek-v4-pro", "cache_read") == Decimal("0.145")
    assert price(result, "accounts/fireworks/models/glm-5p1", "output", "priority") == Decimal("8.80")
    assert price(result, "kimi-k2.6-turbo", "output") == Decimal("8.00")  # no link: slug for the crosswalk


def test_docs_md_buckets(parse, docs_md) -> None:
    result = parse(docs_md)
    for bucket, value in (("bucket:<4b", "0.10"), ("bucket:4b-16b", "0.20"), ("bucket:>16b", "0.90"),
                          ("bucket:moe:0b-56b", "0.50"), ("bucket:moe:56.1b-176b", "1.20")):
        assert price(result, bucket, "input") == Decimal(value)
        assert price(result, bucket, "output") == Decimal(value)
    names = {p.model_id: p.model_name for p in result.prices}
    assert names["bucket:moe:0b-56b"] == "MoE 0B - 56B parameters (e.g. Mixtral 8x7B)"
    assert price(result, "bucket:embedding:<=150m", "input") == Decimal("0.008")
    assert price(result, "bucket:embedding:150m-350m", "input") == Decimal("0.016")
    assert not [p for p in result.prices if p.model_id.startswith("bucket:embedding") and p.token_type != "input"]
    assert price(result, "qwen3-8b", "input") == Decimal("0.1")


def test_docs_md_counts_and_exclusions(parse, docs_md) -> None:
    result = parse(docs_md)
    # 5 models x 3 standard, kimi 3 + glm 2 priority, 5 buckets x 2, 2 embedding buckets + 1 embedding model
    assert len(result.prices) == 15 + 5 + 10 + 3
    exclusions = {(e.item, e.field): e.reason for e in result.exclusions}
    assert set(exclusions) == {
        ("kimi-k2.6-turbo", "Priority"),
        ("accounts/fireworks/models/deepseek-v4-pro", "Priority"),
        ("accounts/fireworks/models/gpt-oss-20b", "Priority"),
        ("accounts/fireworks/models/glm-5p1", "Priority cache_read"),
    }
    assert "priority tier not available" in exclusions[("kimi-k2.6-turbo", "Priority")]


def test_text_rendering_gives_the_same_standard_facts(parse, docs_md, columns) -> None:
    from_md = {f for f in by_name(parse(docs_md)) if f[2] == "standard" and f[0] != "Qwen3 8B"}
    assert by_name(parse(columns)) == from_md


def test_stated_part_order_is_followed(parse, docs_md) -> None:
    text = docs_md.replace("**input / cached input / output**", "**output / cached input / input**")
    result = parse(text)
    assert price(result, "accounts/fireworks/models/kimi-k2p6", "output") == Decimal("0.95")
    assert price(result, "accounts/fireworks/models/kimi-k2p6", "input") == Decimal("4.00")


def test_batch_column_where_published(parse, docs_md) -> None:
    text = (docs_md.replace("| Priority                  |", "| Priority                  | Batch |", 1)
            .replace("| ------------------------- |\n", "| ------------------------- | --- |\n", 1)
            .replace("| $1.90 / $0.32 / $8.00     |", "| $1.90 / $0.32 / $8.00     | $0.475 / $0.08 / $2.00 |"))
    result = parse(text)
    assert price(result, "accounts/fireworks/models/kimi-k2p6", "input", "batch") == Decimal("0.475")
    assert price(result, "accounts/fireworks/models/kimi-k2p6", "output", "batch") == Decimal("2.00")


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, text: str | bytes, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(text)
    assert "[fireworks]" in str(info.value) and fireworks.URL in str(info.value)
    assert (info.value.source_id, info.value.url) == ("fireworks", fireworks.URL)


def test_unknown_column_is_drift(parse, docs_md) -> None:
    assert_drift(parse, docs_md.replace("| Priority                  |", "| Ultra-fast                |", 1),
                 "unknown column 'Ultra-fast'")


def test_unknown_column_in_text_rendering_is_drift(parse, columns) -> None:
    assert_drift(parse, columns.replace("| Cached input |", "| Cache write |"), "unknown column 'Cache write'")


def test_combined_cell_with_two_parts_is_drift(parse, docs_md) -> None:
    assert_drift(parse, docs_md.replace("$0.95 / $0.16 / $4.00", "$0.95 / $4.00"), "2 prices in")


def test_single_price_for_a_model_in_a_combined_column_is_drift(parse, docs_md) -> None:
    assert_drift(parse, docs_md.replace("$0.95 / $0.16 / $4.00", "$0.95"), "one price '\\$0.95'")


def test_unknown_unit_is_drift(parse, docs_md) -> None:
    assert_drift(parse, docs_md.replace("| $0.90               |", "| $0.90 / hour        |"),
                 "More than 16B parameters / Price per 1M tokens")


def test_size_section_without_buckets_is_drift(parse, docs_md) -> None:
    start = docs_md.index("| Base model parameter count                         |")
    end = docs_md.index("## Embeddings")
    assert_drift(parse, docs_md[:start] + docs_md[end:], "size-based pricing section")


def test_conflicting_prices_are_drift(parse, columns) -> None:
    text = columns.replace("GLM 5.1 | $1.40 | $0.26 | $4.40", "GLM 5.1 | $1.40 | $0.26 | $4.40\nGLM 5.1 | $1.50 | $0.26 | $4.40")
    assert_drift(parse, text, "glm-5.1 input/standard has two prices")


def test_page_without_tables_is_drift(parse) -> None:
    assert_drift(parse, "# Serverless Pricing\n\nSee the model library.\n", "no per-model")


def test_binary_body_is_drift(parse) -> None:
    assert_drift(parse, b"\xff\xfe\x00binary", "not UTF-8")




def test_the_real_excerpt_stating_another_unit_is_drift(parse, excerpt):
    # "Prices below are per 1 million tokens": the bare amounts are read so; a page that says billion is
    # drift, not prices 1000 times too dear
    stated = b"Prices below are per 1 million tokens"
    assert stated in excerpt
    with pytest.raises(LayoutDriftError, match="per 1 billion tokens.*unknown unit") as info:
        parse(excerpt.replace(stated, b"Prices below are per 1 billion tokens"))
    assert info.value.source_id == "fireworks"
