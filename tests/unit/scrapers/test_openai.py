"""OpenAI pricing page parser: real capture, a second rendering, context bands, drift, demo days."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import openai

SAMPLE = "openai_petehsu-LLM-Docs-2025-12.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return openai.parse(body, make_meta(openai.SOURCE_ID, openai.URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "pages" / SAMPLE).read_bytes()


@pytest.fixture
def mdx(fixtures_dir) -> str:
    return (fixtures_dir / "openai" / "pricing_mdx_tabs.md").read_text(encoding="utf-8")


def price(result, model_id, token_type, tier="standard", band="all", modality="text") -> Decimal:
    matches = [
        p.price_per_mtok
        for p in result.prices
        if (p.model_id, p.token_type, p.service_tier, p.context_band, p.modality)
        == (model_id, token_type, tier, band, modality)
    ]
    assert len(matches) == 1, f"{model_id} {token_type} {tier} {band} {modality}: {matches}"
    return matches[0]


def facts(result) -> set[tuple]:
    return {
        (p.model_id, p.token_type, p.service_tier, p.context_band, p.modality, p.price_per_mtok)
        for p in result.prices
    }


def assert_drift(parse, body, *fragments: str) -> None:
    with pytest.raises(LayoutDriftError) as info:
        parse(body)
    message = str(info.value)
    assert info.value.source_id == "openai" and info.value.url == openai.URL
    assert "[openai]" in message and openai.URL in message
    for fragment in fragments:
        assert fragment in message, message


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_prices(parse, sample) -> None:
    result = parse(sample)
    expected = {
        ("gpt-5.2", "input", "standard"): "1.75",
        ("gpt-5.2", "cache_read", "standard"): "0.175",
        ("gpt-5.2", "output", "standard"): "14.00",
        ("gpt-5.2", "input", "batch"): "0.875",
        ("gpt-5.2", "output", "batch"): "7.00",
        ("gpt-5.2", "input", "priority"): "3.50",
        ("gpt-5.2", "output", "priority"): "28.00",
        ("o4-mini", "cache_read", "flex"): "0.138",
        ("o3", "cache_read", "flex"): "0.25",
        ("gpt-5-nano", "cache_read", "standard"): "0.005",
        ("gpt-4o", "cache_read", "priority"): "2.125",
        ("o1-pro", "output", "standard"): "600.00",
        ("gpt-4o-mini", "input", "batch"): "0.075",
        ("gpt-image-1", "input", "standard"): "5.00",
        # Legacy models: same shape, read the same way
        ("gpt-4-32k", "output", "standard"): "120.00",
        ("gpt-4-32k", "input", "batch"): "30.00",
        ("davinci-002", "input", "batch"): "1.00",
    }
    for (model_id, token_type, tier), value in expected.items():
        assert price(result, model_id, token_type, tier) == Decimal(value)


def test_real_capture_counts_and_shape(parse, sample) -> None:
    result = parse(sample)
    # text tokens: 23 batch + 7 flex + 46 standard + 15 priority rows x 3 columns, minus 33 "-" cells;
    # legacy: (14 batch + 17 standard) rows x 2 columns
    text = 91 * 3 - 33 + 31 * 2  # = 302
    # transcription "Text tokens": 4 rows x 2 (input, output) - 1 "-" (gpt-4o-mini-tts output) = 7
    # image tokens: 6 rows x 3 - 2 "-" (gpt-realtime(-mini) output) = 16
    # audio tokens: 8 rows x 3 - 4 "-" (cached input of the 4 audio models) = 20; transcription audio:
    # 4 rows x 2 - 4 "-" = 4
    assert len(result.prices) == text + 7 + 16 + 20 + 4 == 349
    # 33 text "-" + 1 + 2 + 4 + 4 new "-" cells; 4 rows x 2 transcription tables of per-minute estimates;
    # 8 priced tables that hold no per-token prices (video, 2 fine-tuning, tools, AgentKit, image generation,
    # embeddings, other transcription models)
    assert len(result.exclusions) == 33 + 11 + 8 + 8 == 60
    tiers = Counter(p.service_tier for p in result.prices)
    assert tiers == {"standard": 158 + 7 + 16 + 24, "batch": 79, "priority": 44, "flex": 21}
    assert {p.context_band for p in result.prices} == {"all"}
    assert Counter(p.modality for p in result.prices) == {"text": 302 + 7, "image": 16, "audio": 20 + 4}
    assert {p.currency for p in result.prices} == {"USD"}
    assert all(p.usd_per_mtok == p.price_per_mtok for p in result.prices)
    assert {p.provider_id for p in result.prices} == {"openai"}
    # 63 text-token models + 4 transcription models (gpt-4o-mini-tts, gpt-4o-(mini-)transcribe(-diarize))
    assert len({p.model_id for p in result.prices}) == 63 + 4
    # the same key never appears twice
    assert len(facts(result)) == len(result.prices)


def test_real_capture_ignores_other_tables(parse, sample) -> None:
    result = parse(sample)
    ids = {p.model_id for p in result.prices}
    # embeddings, image generation, video, fine-tuning rows: no facts, one exclusion per table
    assert not ids & {"text-embedding-3-small", "sora-2", "whisper", "gpt-4.1-2025-04-14", "o4-mini-2025-04-16"}
    reasons = {e.item: e.reason for e in result.exclusions if e.field.startswith("table at line")}
    assert reasons["Pricing > Video"] == "priced per second of video, not per token"
    assert reasons["Pricing > Image generation"] == "priced per image, not per token"
    assert reasons["Pricing > Embeddings"] == "embedding model: out of scope (generation prices only)"
    assert len(reasons) == 7  # fine-tuning's two tables share one item


def test_real_capture_image_and_audio_tokens_are_modality_facts(parse, sample) -> None:
    result = parse(sample)
    # gpt-realtime: text input $4.00, image input $5.00, audio input $32.00 (three sections of the page)
    assert price(result, "gpt-realtime", "input") == Decimal("4.00")
    assert price(result, "gpt-realtime", "input", modality="image") == Decimal("5.00")
    assert price(result, "gpt-realtime", "input", modality="audio") == Decimal("32.00")
    assert price(result, "gpt-image-1", "output", modality="image") == Decimal("40.00")
    assert price(result, "gpt-image-1-mini", "cache_read", modality="image") == Decimal("0.25")
    assert price(result, "gpt-4o-audio-preview", "output", modality="audio") == Decimal("80.00")
    # transcription and speech: the per-token columns are facts, the per-minute estimate an exclusion
    assert price(result, "gpt-4o-transcribe", "output") == Decimal("10.00")
    assert price(result, "gpt-4o-transcribe", "input", modality="audio") == Decimal("6.00")
    assert price(result, "gpt-4o-mini-tts", "output", modality="audio") == Decimal("12.00")
    estimates = {(e.item, e.field, e.reason) for e in result.exclusions if "Estimated" in e.field}
    assert ("gpt-4o-transcribe", "standard: audio Estimated cost",
            "per-minute estimate ('$0.006 / minute'), not a per-token price") in estimates
    assert len(estimates) == 8


def test_real_capture_dash_cells_are_exclusions(parse, sample) -> None:
    result = parse(sample)
    by_item = {(e.item, e.field) for e in result.exclusions}
    assert ("gpt-5.2-pro", "batch: Cached input") in by_item
    assert ("gpt-image-1", "standard: Output") in by_item
    assert ("gpt-4o-2024-05-13", "priority: Cached input") in by_item
    assert ("gpt-realtime", "standard: image Output") in by_item
    dashes = [e for e in result.exclusions if e.reason == "no price published ('-')"]
    assert len(dashes) == 33 + 11
    assert not [p for p in result.prices if p.model_id == "gpt-5.2-pro" and p.token_type == "cache_read"]


def test_real_capture_provenance_and_raw_values(parse, sample, make_meta) -> None:
    result = parse(sample)
    meta = make_meta(openai.SOURCE_ID, openai.URL, sample)
    fact = next(p for p in result.prices if (p.model_id, p.token_type, p.service_tier) == ("o3", "input", "flex"))
    assert (fact.source_id, fact.source_url, fact.raw_sha256, fact.parser_version) == (
        "openai", openai.URL, meta.sha256, openai.PARSER_VERSION)
    assert fact.fetched_at == meta.fetched_at
    assert (fact.raw_value, fact.unit_as_published, fact.model_name) == ("$1.00", "$ / 1M tokens", "o3")
    assert all(e.raw_sha256 == meta.sha256 for e in result.exclusions)


def test_real_capture_without_outer_pipes(parse, sample) -> None:
    lines = sample.decode("utf-8").split("\n")
    body = "\n".join(line[1:-1].strip() if line.startswith("|") and line.endswith("|") else line for line in lines)
    assert body.count("\n| ") < 5
    assert facts(parse(body)) == facts(parse(sample))


def test_real_capture_with_repeated_body(parse, sample) -> None:
    body = sample.split(b"\n", 1)[1]
    assert facts(parse(body + b"\n" + body)) == facts(parse(sample))


# -- a second rendering: MDX tabs, no outer pipes, short/long-context columns -----------------------


def test_mdx_fixture_reads_tabs_and_bands(parse, mdx) -> None:
    result = parse(mdx)
    assert price(result, "gpt-5.4", "input", band="<=272k") == Decimal("2.50")
    assert price(result, "gpt-5.4", "input", band=">272k") == Decimal("5.00")
    assert price(result, "gpt-5.4", "output", band=">272k") == Decimal("22.50")
    assert price(result, "gpt-5.4", "cache_read", band=">272k") == Decimal("0.50")
    assert price(result, "gpt-5.6-luna", "cache_write", band="<=272k") == Decimal("0.25")
    assert price(result, "gpt-5.6-luna", "cache_write", band=">272k") == Decimal("0.50")
    assert price(result, "gpt-5.4-pro", "output", band=">272k") == Decimal("270.00")
    # models without a long-context price keep "all"
    assert price(result, "gpt-5.4-mini", "input") == Decimal("0.75")
    assert price(result, "gpt-5-mini", "output") == Decimal("2.00")  # link and footnote marker
    assert price(result, "gpt-4.1", "input") == Decimal("2.00")  # bold name, escaped dollar
    assert price(result, "gpt-5-mini", "cache_read", "batch") == Decimal("0.0125")
    assert price(result, "o4-mini", "cache_read", "flex") == Decimal("0.138")
    assert price(result, "gpt-4o-2024-05-13", "output", "priority") == Decimal("26.25")
    assert price(result, "gpt-4-32k", "input") == Decimal("60.00")
    names = {p.model_id: p.model_name for p in result.prices}
    assert names["gpt-5.4"] == "gpt-5.4" and names["gpt-5-mini"] == "gpt-5-mini"
    # image tokens and the transcription "Text tokens" subsection: facts of their modality
    assert price(result, "gpt-image-1", "input", modality="image") == Decimal("10.00")
    assert price(result, "gpt-4o-transcribe", "input") == Decimal("2.50")
    # 50 text-token facts + gpt-image-1's 3 image-token prices + gpt-4o-transcribe's input and output;
    # 23 "-" cells + gpt-4o-transcribe's per-minute estimate
    assert len(result.prices) == 50 + 3 + 2 and len(result.exclusions) == 23 + 1
    assert ("gpt-5.4-mini", "standard: Long context input") in {(e.item, e.field) for e in result.exclusions}


def test_both_renderings_agree_on_shared_facts(parse, sample, mdx) -> None:
    real, fixture = facts(parse(sample)), facts(parse(mdx))
    shared = {f for f in fixture if f[3] == "all" and f[0] in {"gpt-5.2", "o3", "o4-mini", "gpt-5-mini"}}
    assert len(shared) == 18
    assert shared <= real


def test_flat_repeated_headers_are_short_and_long_context(parse) -> None:
    page = """\
### Text tokens

Standard

| Model | Input | Cached input | Output | Input | Cached input | Output |
| --- | --- | --- | --- | --- | --- | --- |
| gpt-5.4 (<272K context length) | $2.50 | $0.25 | $15.00 | $5.00 | $0.50 | $22.50 |
| gpt-5.4-nano | $0.20 | $0.02 | $1.25 | - | - | - |
"""
    result = parse(page)
    assert price(result, "gpt-5.4", "output", band="<=272k") == Decimal("15.00")
    assert price(result, "gpt-5.4", "output", band=">272k") == Decimal("22.50")
    assert price(result, "gpt-5.4-nano", "output") == Decimal("1.25")
    assert len(result.exclusions) == 3


def test_long_context_rows(parse) -> None:
    page = """\
### Text tokens

| Model | Input | Cached input | Output |
| --- | --- | --- | --- |
| gpt-5.4 (<272K context length) | $2.50 | $0.25 | $15.00 |
| gpt-5.4 (>272K context length) | $5.00 | $0.50 | $22.50 |
| gpt-5.4-mini | $0.75 | $0.075 | $4.50 |
"""
    result = parse(page)  # one table without a tier label: standard
    assert price(result, "gpt-5.4", "input", band="<=272k") == Decimal("2.50")
    assert price(result, "gpt-5.4", "input", band=">272k") == Decimal("5.00")
    assert price(result, "gpt-5.4-mini", "input") == Decimal("0.75")
    assert {p.service_tier for p in result.prices} == {"standard"}


def test_tier_headings_are_read(parse) -> None:
    page = """\
## Text tokens

### Batch pricing data

| Model | Input | Output |
| --- | --- | --- |
| gpt-5.2 | $0.875 | $7.00 |

### Standard pricing data

| Model | Input | Output |
| --- | --- | --- |
| gpt-5.2 | $1.75 | $14.00 |
"""
    result = parse(page)
    assert price(result, "gpt-5.2", "input", "batch") == Decimal("0.875")
    assert price(result, "gpt-5.2", "input", "standard") == Decimal("1.75")


# -- drift ------------------------------------------------------------------------------------------


def test_unknown_column_in_a_text_token_table_is_drift(parse, mdx) -> None:
    broken = mdx.replace("Model|Input|Cached input|Output\n:---", "Model|Input|Cached input|Reasoning|Output\n:---", 1)
    assert broken != mdx
    assert_drift(parse, broken, "unknown column 'Reasoning'")


def test_unknown_column_in_the_real_capture_is_drift(parse, sample) -> None:
    broken = sample.replace(b"| Model | Input | Cached input | Output |", b"| Model | Input | Cache hits | Output |", 1)
    assert_drift(parse, broken, "unknown column 'Cache hits'")


def test_unknown_header_in_an_ignored_table_is_not_drift(parse, sample) -> None:
    body = sample.replace(b"| Model | Cost | Batch cost |", b"| Model | Cost | Batch cost per GB |")
    assert len(parse(body).prices) == 349


def test_unknown_unit_is_drift(parse, mdx) -> None:
    assert_drift(parse, mdx.replace("o3|$1.00|$0.25|$4.00", "o3|$1.00 / image|$0.25|$4.00"), "o3", "flex: Input")


def test_prose_stating_another_unit_is_drift(parse, sample) -> None:
    body = sample.replace(b"Prices per 1M tokens.", b"Prices per 1K tokens.", 1)
    assert_drift(parse, body, "Text tokens'", "per 1K tokens")


@pytest.mark.parametrize("stated", [b"Prices per 1B tokens.", b"Prices per billion tokens."])
def test_prose_stating_a_unit_the_parser_does_not_know_is_drift(parse, sample, stated) -> None:
    # before: the unit check only recognised digits with k/m, so "1B" passed and every bare amount would
    # have been read per 1M tokens, 1000 times too dear
    body = sample.replace(b"Prices per 1M tokens.", stated, 1)
    assert body != sample
    assert_drift(parse, body, "Text tokens'", "unknown unit")


def test_missing_tier_label_is_drift(parse, sample) -> None:
    body = sample.replace(b"\nFlex\n", b"\n\n", 1)
    assert_drift(parse, body, "cannot tell the service tier")


def test_page_without_text_token_tables_is_drift(parse, mdx) -> None:
    assert_drift(parse, mdx.replace("## Text tokens", "## Prices").replace("## Legacy models", "## Old"),
                 "no 'Text tokens' price table")
    assert_drift(parse, "# Pricing\n\nNothing here.\n", "no 'Text tokens' price table")


def test_long_context_without_a_threshold_is_drift(parse) -> None:
    page = """\
### Text tokens

| Model | Short context input | Short context output | Long context input | Long context output |
| --- | --- | --- | --- | --- |
| gpt-5.6-sol | $4.00 | $20.00 | $8.00 | $30.00 |
"""
    assert_drift(parse, page, "states no threshold")
    assert price(parse(page.replace("### Text tokens\n", "### Text tokens\n\nOver 272K tokens costs more.\n")),
                 "gpt-5.6-sol", "output", band=">272k") == Decimal("30.00")


def test_all_dashes_is_drift_not_an_empty_page(parse) -> None:
    page = "### Text tokens\n\n| Model | Input | Output |\n| --- | --- | --- |\n| gpt-x | - | - |\n"
    assert_drift(parse, page, "no price facts")


def test_conflicting_prices_for_one_key_are_drift(parse, mdx) -> None:
    body = mdx.replace("gpt-4-32k|$60.00|$120.00", "gpt-4-32k|$60.00|$120.00\ngpt-4.1|$2.50|$8.00")
    assert_drift(parse, body, "gpt-4.1 input/standard/all/text has two prices")


def test_binary_body_is_drift(parse) -> None:
    assert_drift(parse, b"\xff\xfe\x00binary", "not UTF-8")


