"""DeepSeek pricing parser (USD page): real markdown capture, HTML and GFM fixtures, drift, demo days."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import deepseek

SAMPLE = "deepseek_petehsu-LLM-Docs-2025-12.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return deepseek.parse(body, make_meta(deepseek.SOURCE_ID, deepseek.URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "pages" / SAMPLE).read_bytes()


@pytest.fixture
def html(fixtures_dir) -> str:
    return (fixtures_dir / "deepseek" / "pricing.html").read_text(encoding="utf-8")


@pytest.fixture
def outer_pipes(fixtures_dir) -> str:
    return (fixtures_dir / "deepseek" / "pricing_outer_pipes.md").read_text(encoding="utf-8")


def price(result, model_id: str, token_type: str) -> Decimal:
    matches = [p.price_per_mtok for p in result.prices if (p.model_id, p.token_type) == (model_id, token_type)]
    assert len(matches) == 1, f"{model_id} {token_type}: {matches}"
    return matches[0]


def facts(result) -> set[tuple]:
    return {
        (p.model_id, p.model_name, p.token_type, p.service_tier, p.context_band, p.modality, p.currency,
         p.price_per_mtok)
        for p in result.prices
    }


def versions(result) -> dict[str, tuple[str, int | None]]:
    return {m.model_id: (m.model_name, m.context_length) for m in result.models}


# -- the real capture (markdown rendering of the transposed table) ---------------------------------


def test_real_capture_prices(parse, sample) -> None:
    result = parse(sample)
    for alias in ("deepseek-chat", "deepseek-reasoner"):
        assert price(result, alias, "cache_read") == Decimal("0.028")
        assert price(result, alias, "input") == Decimal("0.28")
        assert price(result, alias, "output") == Decimal("0.42")
    assert len(result.prices) == 6
    assert {(p.service_tier, p.context_band, p.modality) for p in result.prices} == {("standard", "all", "text")}
    assert all(p.currency == "USD" and p.usd_per_mtok == p.price_per_mtok for p in result.prices)
    assert all(p.provider_id == "deepseek" for p in result.prices)
    assert result.exclusions == []


def test_real_capture_keeps_the_version_behind_each_alias(parse, sample) -> None:
    result = parse(sample)
    names = {p.model_id: p.model_name for p in result.prices}
    assert names == {
        "deepseek-chat": "DeepSeek-V3.2 (Non-thinking Mode)",
        "deepseek-reasoner": "DeepSeek-V3.2 (Thinking Mode)",
    }
    assert versions(result) == {
        "deepseek-chat": ("DeepSeek-V3.2 (Non-thinking Mode)", 128_000),
        "deepseek-reasoner": ("DeepSeek-V3.2 (Thinking Mode)", 128_000),
    }
    assert {(m.source_model_id, m.creator, m.provider_id) for m in result.models} == {
        ("deepseek-chat", "deepseek", "deepseek"), ("deepseek-reasoner", "deepseek", "deepseek")}


def test_real_capture_provenance_and_raw_values(parse, sample, make_meta) -> None:
    result = parse(sample)
    meta = make_meta(deepseek.SOURCE_ID, deepseek.URL, sample)
    fact = next(p for p in result.prices if (p.model_id, p.token_type) == ("deepseek-chat", "cache_read"))
    assert (fact.source_id, fact.source_url, fact.raw_sha256, fact.parser_version, fact.fetched_at) == (
        "deepseek", deepseek.URL, meta.sha256, "1", meta.fetched_at)
    assert (fact.raw_value, fact.unit_as_published) == ("$0.028", "$ / 1M tokens")
    assert result.models[0].raw_sha256 == meta.sha256


# -- other renderings ------------------------------------------------------------------------------


def test_html_rendering_gives_the_same_facts_as_the_markdown_capture(parse, sample, html) -> None:
    from_html, from_markdown = parse(html), parse(sample)
    assert facts(from_html) == facts(from_markdown)
    assert versions(from_html) == versions(from_markdown)


def test_html_fixture_values(parse, html) -> None:
    result = parse(html)
    assert price(result, "deepseek-reasoner", "output") == Decimal("0.42")  # colspan=2: both models
    assert price(result, "deepseek-chat", "cache_read") == Decimal("0.028")
    assert versions(result)["deepseek-reasoner"] == ("DeepSeek-V3.2 (Thinking Mode)", 128_000)


def test_gfm_rendering_with_outer_pipes(parse, outer_pipes, html) -> None:
    assert facts(parse(outer_pipes)) == facts(parse(html))
    assert versions(parse(outer_pipes)) == versions(parse(html))


def test_per_model_price_cells_are_read_per_model(parse, html) -> None:
    text = html.replace('<td colspan="2">$0.42</td>', "<td>$0.42</td><td>$2.19</td>")
    result = parse(text)
    assert price(result, "deepseek-chat", "output") == Decimal("0.42")
    assert price(result, "deepseek-reasoner", "output") == Decimal("2.19")


def test_per_model_price_cells_in_markdown(parse, sample) -> None:
    text = sample.decode("utf-8").replace("1M OUTPUT TOKENS| $0.42", "1M OUTPUT TOKENS| $1.10| $2.19")
    result = parse(text)
    assert price(result, "deepseek-chat", "output") == Decimal("1.10")
    assert price(result, "deepseek-reasoner", "output") == Decimal("2.19")


def test_three_models_without_colspan_on_the_header(parse) -> None:
    text = """<table>
<tr><th>MODEL</th><th></th><th>deepseek-chat</th><th>deepseek-reasoner</th><th>deepseek-v4-flash</th></tr>
<tr><td>MODEL VERSION</td><td></td><td>V3.2<br>(Non-thinking Mode)</td><td>V3.2<br>(Thinking Mode)</td><td>V4-Flash</td></tr>
<tr><td>CONTEXT LENGTH</td><td></td><td colspan="3">1M</td></tr>
<tr><th rowspan="2">PRICING</th><td>1M INPUT TOKENS (CACHE MISS)</td><td colspan="2">$0.28</td><td>$0.14</td></tr>
<tr><td>1M OUTPUT TOKENS</td><td colspan="3">$0.42</td></tr>
</table>"""
    result = parse(text)
    assert price(result, "deepseek-v4-flash", "input") == Decimal("0.14")
    assert price(result, "deepseek-reasoner", "input") == Decimal("0.28")
    assert price(result, "deepseek-v4-flash", "output") == Decimal("0.42")
    assert versions(result)["deepseek-v4-flash"] == ("V4-Flash", 1_000_000)
    assert versions(result)["deepseek-chat"] == ("V3.2 (Non-thinking Mode)", 1_000_000)


def test_free_cell_becomes_an_exclusion(parse, html) -> None:
    result = parse(html.replace('<td colspan="2">$0.028</td>', "<td>Free</td><td>$0.028</td>"))
    (exclusion,) = result.exclusions
    assert (exclusion.item, exclusion.field) == ("deepseek-chat", "1M INPUT TOKENS (CACHE HIT)")
    assert "Free" in exclusion.reason
    assert price(result, "deepseek-reasoner", "cache_read") == Decimal("0.028")
    assert len(result.prices) == 5


def test_price_labels() -> None:
    assert deepseek.price_label("1M INPUT TOKENS (CACHE HIT)") == ("cache_read", "1M tokens")
    assert deepseek.price_label("1M TOKENS INPUT (CACHE MISS)") == ("input", "1M tokens")
    assert deepseek.price_label("1M OUTPUT TOKENS") == ("output", "1M tokens")
    assert deepseek.price_label("百万tokens输入（缓存未命中）") == ("input", "百万tokens")
    assert deepseek.price_label("百万tokens输入（缓存命中）") == ("cache_read", "百万tokens")
    assert deepseek.price_label("CONTEXT LENGTH") is None
    assert deepseek.price_label("MAX OUTPUT") is None
    with pytest.raises(ValueError, match="unknown price row"):
        deepseek.price_label("1M REASONING TOKENS")
    with pytest.raises(ValueError, match="unknown words"):
        deepseek.price_label("1M INPUT TOKENS (OFF-PEAK)")
    with pytest.raises(ValueError, match="unknown unit"):
        deepseek.price_label("1B INPUT TOKENS")  # before: None, "not a price row", and the row was skipped


def test_a_price_row_in_an_unknown_unit_is_drift(parse, sample) -> None:
    # the real page with its output row restated per 1B tokens: before, the row was not recognised as a
    # price row at all and the output prices silently went missing
    assert b"1M OUTPUT TOKENS|" in sample
    with pytest.raises(LayoutDriftError, match="unknown unit in price row '1B OUTPUT TOKENS'") as info:
        parse(sample.replace(b"1M OUTPUT TOKENS|", b"1B OUTPUT TOKENS|", 1))
    assert info.value.source_id == "deepseek" and info.value.url == deepseek.URL


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, text: str | bytes, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(text)
    assert "[deepseek]" in str(info.value) and deepseek.URL in str(info.value)
    assert (info.value.source_id, info.value.url) == ("deepseek", deepseek.URL)


def test_page_without_the_table_is_drift(parse) -> None:
    assert_drift(parse, "# Models & Pricing\n\nPrices moved.\n", "no model table")
    assert_drift(parse, "<html><body><table><tr><td>x</td></tr></table></body></html>", "no model table .* HTML")


def test_unknown_price_row_is_drift(parse, html) -> None:
    assert_drift(parse, html.replace("1M OUTPUT TOKENS", "1M REASONING TOKENS"), "unknown price row")


def test_off_peak_group_is_drift(parse, html) -> None:
    # the 2025 page had STANDARD PRICE / DISCOUNT PRICE (UTC 16:30-00:30) groups: no dimension for that
    text = html.replace('<td rowspan="3">PRICING</td>', '<td rowspan="3">DISCOUNT PRICE (UTC 16:30-00:30)</td>')
    assert_drift(parse, text, "unknown group 'DISCOUNT PRICE")


def test_wrong_number_of_values_is_drift(parse, html) -> None:
    text = html.replace('<td colspan="2">$0.42</td>', "<td>$0.42</td><td>$0.42</td><td>$0.42</td>")
    assert_drift(parse, text, "3 values for 2 models")


def test_unknown_unit_is_drift(parse, html) -> None:
    assert_drift(parse, html.replace("$0.42<", "$0.42 / 1M characters<"), "deepseek-chat / 1M OUTPUT TOKENS")


def test_bare_number_is_drift(parse, html) -> None:
    assert_drift(parse, html.replace(">$0.28<", ">0.28<"), "no currency")


def test_missing_version_row_is_drift(parse, html) -> None:
    assert_drift(parse, html.replace("MODEL VERSION", "MODEL FAMILY"), "no MODEL VERSION row")


def test_no_price_rows_is_drift(parse, html) -> None:
    text = re.sub(r"<tr><td rowspan=\"3\">PRICING.*?</tbody>", "</tbody>", html, flags=re.DOTALL)
    assert_drift(parse, text, "no price facts")


def test_model_column_that_is_not_an_alias_is_drift(parse, html) -> None:
    assert_drift(parse, html.replace("<th>deepseek-chat</th>", "<th>DeepSeek Chat</th>"), "unexpected model column")


def test_binary_body_is_drift(parse) -> None:
    assert_drift(parse, b"\xff\xfe\x00binary", "not UTF-8")


