"""Gemini pricing page parser: the crawled capture, the official .md.txt shape, cells, drift, demo days."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import gemini

SAMPLE = "gemini_gfargo-token-tally-2025-10.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return gemini.parse(body, make_meta(gemini.SOURCE_ID, gemini.URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "pages" / SAMPLE).read_bytes()


@pytest.fixture
def md_txt(fixtures_dir) -> str:
    return (fixtures_dir / "gemini" / "pricing_md_txt.md").read_text(encoding="utf-8")


def prices(result, model_id, token_type, tier="standard", band="all", modality="text") -> list:
    return [
        p for p in result.prices
        if (p.model_id, p.token_type, p.service_tier, p.context_band, p.modality)
        == (model_id, token_type, tier, band, modality)
    ]


def price(result, model_id, token_type, tier="standard", band="all", modality="text") -> Decimal:
    matches = prices(result, model_id, token_type, tier, band, modality)
    assert len(matches) == 1, f"{model_id} {token_type} {tier} {band} {modality}: {matches}"
    return matches[0].price_per_mtok


def facts(result) -> set[tuple]:
    return {
        (p.model_id, p.token_type, p.service_tier, p.context_band, p.modality, p.price_per_mtok, p.valid_from)
        for p in result.prices
    }


def strip_outer_pipes(body: bytes) -> bytes:
    lines = body.decode("utf-8").split("\n")
    return "\n".join(
        line.strip()[1:-1].strip() if line.startswith("|") and line.rstrip().endswith("|") else line for line in lines
    ).encode("utf-8")


def assert_drift(parse, body, *fragments: str) -> None:
    with pytest.raises(LayoutDriftError) as info:
        parse(body)
    message = str(info.value)
    assert info.value.source_id == "gemini" and info.value.url == gemini.URL
    assert "[gemini]" in message and gemini.URL in message
    for fragment in fragments:
        assert fragment in message, message


# -- the real (crawled) capture ---------------------------------------------------------------------


def test_real_capture_prices(parse, sample) -> None:
    result = parse(sample)
    expected = [
        (("gemini-2.5-pro", "input", "standard", "<=200k"), "1.25"),
        (("gemini-2.5-pro", "input", "standard", ">200k"), "2.50"),
        (("gemini-2.5-pro", "output", "standard", ">200k"), "15.00"),
        (("gemini-2.5-pro", "cache_read", "standard", "<=200k"), "0.125"),
        (("gemini-2.5-pro", "input", "batch", "<=200k"), "0.625"),
        (("gemini-2.5-pro", "output", "batch", ">200k"), "7.50"),
        (("gemini-2.5-flash", "input", "standard", "all", "text"), "0.30"),
        (("gemini-2.5-flash", "input", "standard", "all", "video"), "0.30"),
        (("gemini-2.5-flash", "input", "standard", "all", "audio"), "1.00"),
        (("gemini-2.5-flash", "cache_read", "standard", "all", "audio"), "0.1"),
        (("gemini-2.5-flash", "output", "batch"), "1.25"),
        (("gemini-2.5-flash-preview-09-2025", "cache_read", "standard", "all", "image"), "0.0375"),
        (("gemini-2.5-flash-lite", "input", "batch", "all", "audio"), "0.15"),
        (("gemini-2.5-flash-native-audio-preview-09-2025", "output", "standard", "all", "audio"), "12.00"),
        (("gemini-2.5-flash-native-audio-preview-09-2025", "input", "standard", "all", "video"), "3.00"),
        (("gemini-2.5-flash-image", "input", "batch", "all", "image"), "0.15"),
        (("gemini-2.5-flash-preview-tts", "output", "standard", "all", "audio"), "10.00"),
        (("gemini-2.5-pro-preview-tts", "input", "batch"), "0.50"),
        (("gemini-2.0-flash", "cache_read", "standard", "all", "audio"), "0.175"),
        (("gemini-2.0-flash-lite", "input", "batch"), "0.0375"),
        (("gemini-robotics-er-1.5-preview", "output", "standard"), "2.50"),
        (("gemini-2.5-computer-use-preview-10-2025", "output", "standard", ">200k"), "15.00"),
    ]
    for key, value in expected:
        assert price(result, *key) == Decimal(value), key


def test_real_capture_counts_and_shape(parse, sample) -> None:
    result = parse(sample)
    # 132 token prices + image output at $30 per 1M tokens for 2.5 Flash Image and 2.0 Flash (standard):
    # the page's footnote says $0.039 per image is $30 per 1,000,000 tokens
    assert len(result.prices) == 132 + 2
    # 69 - 1 (2.5 Flash Image standard output, now a fact) - 2 (2.0 Flash image generation "not modelled")
    # + 1 (2.0 Flash batch image generation: $0.0195 per image, no per-token rate stated)
    # + 1 (2.0 Flash free tier image generation: free of charge)
    # + 5 Imagen / Veo tables priced per image or per second (one per table and model)
    assert len(result.exclusions) == 69 - 1 - 2 + 1 + 1 + 5 == 73
    assert Counter(p.service_tier for p in result.prices) == {"standard": 73 + 2, "batch": 59}
    assert Counter(p.context_band for p in result.prices) == {"all": 116 + 2, "<=200k": 8, ">200k": 8}
    assert Counter(p.modality for p in result.prices) == {"text": 60, "audio": 27, "image": 23 + 2, "video": 22}
    assert {p.provider_id for p in result.prices} == {"google"}
    assert {p.currency for p in result.prices} == {"USD"}
    assert all(p.usd_per_mtok == p.price_per_mtok for p in result.prices)
    assert all(p.valid_from is None and p.valid_to is None for p in result.prices)
    assert {p.model_id for p in result.prices} == {
        "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash-lite",
        "gemini-2.5-flash-lite-preview-09-2025", "gemini-2.5-flash-native-audio-preview-09-2025",
        "gemini-2.5-flash-image", "gemini-2.5-flash-preview-tts", "gemini-2.5-pro-preview-tts",
        "gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-robotics-er-1.5-preview",
        "gemini-2.5-computer-use-preview-10-2025",
    }
    assert len(facts(result)) == len(result.prices)


def test_real_capture_shared_description_names_models_in_page_order(parse, sample) -> None:
    result = parse(sample)
    assert price(result, "gemini-2.5-flash-lite", "output") == Decimal("0.40")
    assert price(result, "gemini-2.0-flash-lite", "output") == Decimal("0.30")
    names = {p.model_id: p.model_name for p in result.prices}
    assert names["gemini-2.0-flash-lite"] == "Gemini 2.0 Flash-Lite"
    assert names["gemini-2.5-computer-use-preview-10-2025"] == "Gemini 2.5 Computer Use Preview"


def test_real_capture_exclusions(parse, sample) -> None:
    result = parse(sample)
    reasons = {(e.item, e.field): e.reason for e in result.exclusions}
    assert "free of charge" in reasons[("gemini-2.5-pro", "free tier: Input price")]
    assert "storage price" in reasons[("gemini-2.5-pro", "batch: Context caching price")]
    assert "per image" in reasons[("gemini-2.5-flash-image", "batch: Output price")]
    assert "per image" in reasons[("gemini-2.0-flash", "batch: Image generation pricing")]
    assert "Not available" in reasons[("gemma-3", "standard: Input price")]
    assert "Not available" in reasons[("gemini-2.0-flash-lite", "standard: Context caching price")]
    assert "embedding" in reasons[("gemini-embedding-001", "standard table")]
    assert "not modelled" in reasons[("gemini-2.0-flash", "standard: Live API")]
    # Imagen and Veo tables are other products (per image / per second): no facts, one exclusion per table
    # and model (Imagen 4, Imagen 3, Veo 3's two ids, Veo 2: 5)
    other = [e for e in result.exclusions if "image or video generation" in e.reason]
    assert len(other) == 5
    assert {e.item for e in other} >= {"veo-3.0-generate-001", "veo-3.0-fast-generate-001"}
    assert not [p for p in result.prices if "veo" in p.model_id or "imagen" in p.model_id]


def test_real_capture_image_output_per_token_is_a_fact(parse, sample) -> None:
    result = parse(sample)
    for model_id in ("gemini-2.5-flash-image", "gemini-2.0-flash"):
        fact = prices(result, model_id, "output", modality="image")[0]
        assert (fact.price_per_mtok, fact.service_tier, fact.raw_value) == (
            Decimal("30"), "standard", "$30 per 1,000,000 tokens")
    # the batch cell ($0.0195 per image) has no per-token rate on the page: not multiplied out
    assert not prices(result, "gemini-2.5-flash-image", "output", tier="batch", modality="image")


def test_image_rate_footnote_with_two_rates_for_one_image_price_is_drift(parse, sample) -> None:
    body = sample + (b"\n[*] Image output is priced at $40 per 1,000,000 tokens. Output images consume 1290 tokens"
                     b" and are equivalent to $0.039 per image.\n")
    with pytest.raises(LayoutDriftError, match="per image is said to be both"):
        parse(body)


def test_real_capture_raw_values_and_provenance(parse, sample, make_meta) -> None:
    result = parse(sample)
    meta = make_meta(gemini.SOURCE_ID, gemini.URL, sample)
    fact = prices(result, "gemini-2.0-flash", "cache_read", modality="audio")[0]
    assert fact.raw_value == "$0.175 / 1,000,000 tokens (audio)"
    assert fact.unit_as_published == "$ / 1,000,000 tokens"
    assert (fact.source_id, fact.source_url, fact.raw_sha256, fact.parser_version) == (
        "gemini", gemini.URL, meta.sha256, gemini.PARSER_VERSION)
    pro = prices(result, "gemini-2.5-pro", "input", band=">200k")[0]
    assert (pro.raw_value, pro.unit_as_published) == ("$2.50, prompts > 200k tokens", "$ / 1M tokens")


def test_real_capture_without_outer_pipes(parse, sample) -> None:
    # the empty top-left header cell vanishes without outer pipes; the parser puts it back
    assert facts(parse(strip_outer_pipes(sample))) == facts(parse(sample))


def test_real_capture_with_repeated_body(parse, sample) -> None:
    body = sample.split(b"\n", 1)[1]  # drop the source comment, then repeat the page body
    assert facts(parse(body + b"\n" + body)) == facts(parse(sample))


# -- the official .md.txt shape ---------------------------------------------------------------------


def test_md_txt_fixture(parse, md_txt) -> None:
    result = parse(md_txt)
    assert price(result, "gemini-2.5-pro", "output", "batch", ">200k") == Decimal("7.50")
    assert price(result, "gemini-2.5-pro", "cache_read", band="<=200k") == Decimal("0.125")
    # one id line naming two models: both get the prices
    for model_id in ("gemini-2.5-flash-lite", "gemini-2.5-flash-lite-preview-09-2025"):
        assert price(result, model_id, "input", modality="audio") == Decimal("0.30")
        assert price(result, model_id, "cache_read", modality="video") == Decimal("0.025")
        assert price(result, model_id, "output", "batch") == Decimal("0.20")
    assert price(result, "gemini-2.5-flash-native-audio-preview-09-2025", "input", modality="video") == Decimal("3.00")
    assert price(result, "gemini-2.5-flash-image", "input", modality="image") == Decimal("0.30")
    assert not prices(result, "gemini-2.5-flash-image", "output")
    ids = {p.model_id for p in result.prices}
    assert not {"imagen-4.0-generate-001", "gemini-embedding-001", "gemma-3"} & ids
    assert not [p for p in result.prices if "tool" in p.model_id or "search" in p.model_id]
    # 19 exclusions + the Imagen 4 table (per image) + the tools table ($35 / 1,000 requests)
    assert len(result.prices) == 51 and len(result.exclusions) == 19 + 2


def test_dated_prices_are_future_dated_facts(parse, md_txt) -> None:
    result = parse(md_txt)
    for token_type, now, later in (("input", "0.75", "1.50"), ("output", "3.75", "7.50"),
                                   ("cache_read", "0.075", "0.15")):
        current, future = sorted(prices(result, "gemini-3.7-flash", token_type), key=lambda p: p.valid_from or date.min)
        assert (current.price_per_mtok, current.valid_from, current.valid_to, current.valid_from_basis) == (
            Decimal(now), None, date(2026, 12, 31), None)
        assert (future.price_per_mtok, future.valid_from, future.valid_to, future.valid_from_basis) == (
            Decimal(later), date(2027, 1, 1), None, "effective")
    current = prices(result, "gemini-3.7-flash", "input")[0]
    assert current.raw_value == "$0.75 through December 31, 2026."


def test_both_renderings_agree_on_shared_facts(parse, sample, md_txt) -> None:
    real, fixture = facts(parse(sample)), facts(parse(md_txt))
    shared = {f for f in fixture if f[0] in ("gemini-2.5-pro", "gemini-2.5-flash-lite")}
    assert len(shared) == 24
    assert shared <= real


def test_unidentifiable_section_becomes_an_exclusion(parse) -> None:
    page = """\
A model this parser has never heard of, in a rendering without headings.

|  | Free Tier | Paid Tier, per 1M tokens in USD |
| --- | --- | --- |
| Input price | Free of charge | $9.00 |

Our smallest and most cost effective model, built for at scale usage.

|  | Free Tier | Paid Tier, per 1M tokens in USD |
| --- | --- | --- |
| Input price | Free of charge | $0.10 |
"""
    result = parse(page)
    assert {p.model_id for p in result.prices} == {"gemini-2.5-flash-lite"}
    assert [e.reason for e in result.exclusions if e.item.startswith("A model this parser")] == [
        "model not identifiable in this rendering (no heading, id line or known description)"]


def test_headings_without_id_lines_are_slugged(parse) -> None:
    page = """\
## Gemini 2.5 Pro

### Priority

|  | Paid Tier, per 1M tokens in USD |
| --- | --- |
| Input price | $2.25, prompts <= 200k tokens $4.50, prompts > 200k tokens |
"""
    result = parse(page)
    assert price(result, "gemini-2.5-pro", "input", "priority", ">200k") == Decimal("4.50")
    assert result.prices[0].model_name == "Gemini 2.5 Pro"


def test_modality_labels_tabs_and_per_minute_alternatives(parse) -> None:
    page = """\
# Gemini Developer API pricing

Fixture: a page title, MDX tabs, modality row labels and a per-minute alternative.

<Tabs>
<Tab title="Flex">

|  | Paid Tier, per 1M tokens in USD |
| --- | --- |
| Text input price | $0.15 |
| Audio input price | $1.50 or $0.005/min (audio) |
| Output price | $1.25 |

</Tab>
</Tabs>
"""
    result = parse(page.replace("Fixture:", "Our first hybrid reasoning model. Fixture:"))
    assert price(result, "gemini-2.5-flash", "input", "flex") == Decimal("0.15")
    assert price(result, "gemini-2.5-flash", "input", "flex", modality="audio") == Decimal("1.50")
    assert [e.reason for e in result.exclusions] == ["per-minute alternative price: not a per-token price"]
    # the page title is not a model: without a known description the section stays unidentified
    assert_drift(parse, page, "no price facts")


# -- drift ------------------------------------------------------------------------------------------


def test_unknown_row_is_drift(parse, md_txt) -> None:
    broken = md_txt.replace("| Output price | Not available | $0.039", "| Thinking price | Not available | $0.039")
    assert broken != md_txt
    assert_drift(parse, broken, "unknown row 'Thinking price'")


def test_unknown_row_in_the_real_capture_is_drift(parse, sample) -> None:
    assert_drift(parse, sample.replace(b"| Context caching price |", b"| Cache hit price |", 1), "unknown row")


def test_unknown_paid_header_unit_is_drift(parse, md_txt) -> None:
    broken = md_txt.replace("Paid Tier, per 1M tokens in USD", "Paid Tier, per 1K characters in USD", 1)
    assert_drift(parse, broken, "unknown unit in paid-tier header")


def test_unknown_qualifier_is_drift(parse, md_txt) -> None:
    assert_drift(parse, md_txt.replace("| $0.40 |", "| $0.40 (beta) |", 1), "unknown qualifier (beta)")


def test_unknown_price_unit_is_drift(parse, md_txt) -> None:
    assert_drift(parse, md_txt.replace("| $0.40 |", "| $0.40 / 1K characters |", 1), "gemini-2.5-flash-lite")


def test_text_in_a_price_cell_is_drift(parse, md_txt) -> None:
    assert_drift(parse, md_txt.replace("| $0.40 |", "| Contact sales |", 1), "no price in cell")


def test_third_unlabelled_table_is_drift(parse) -> None:
    table = "|  | Free Tier | Paid Tier, per 1M tokens in USD |\n| --- | --- | --- |\n| Input price | - | ${} |\n"
    page = "## Gemini 2.5 Pro\n\n" + "\n".join(table.format(n) for n in (3, 2, 1))
    assert_drift(parse, page, "cannot tell the service tier")


def test_irregular_rows_are_drift(parse) -> None:
    page = ("## Gemini 2.5 Pro\n\n|  | Free Tier | Paid Tier, per 1M tokens in USD |\n| --- | --- | --- |\n"
            "| Input price | Free | $1 |\n| Output price | Free | $2 | $3 |\n")
    assert_drift(parse, page, "more cells than headers")


def test_page_without_price_tables_is_drift(parse) -> None:
    assert_drift(parse, "# Gemini Developer API pricing\n\nComing soon.\n", "no Free/Paid tier price table")


def test_no_paid_prices_is_drift(parse) -> None:
    page = "## Gemma 3\n\n|  | Free Tier | Paid Tier, per 1M tokens in USD |\n| --- | --- | --- |\n" \
           "| Input price | Free of charge | Not available |\n"
    assert_drift(parse, page, "no price facts")


def test_conflicting_prices_are_drift(parse) -> None:
    page = "## Gemini X\n\n|  | Paid Tier, per 1M tokens in USD |\n| --- | --- |\n| Input price | $1.00 $2.00 |\n"
    assert_drift(parse, page, "has two prices")


def test_binary_body_is_drift(parse) -> None:
    assert_drift(parse, b"\xff\xfe\x00binary", "not UTF-8")


