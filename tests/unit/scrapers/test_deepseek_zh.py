"""DeepSeek pricing parser, Chinese page (CNY stored as published): real capture, HTML fixture, demo days."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import deepseek_zh

SAMPLE = "deepseek-zh_petehsu-LLM-Docs-2025-12.md"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | str):
        body = body.encode("utf-8") if isinstance(body, str) else body
        return deepseek_zh.parse(body, make_meta(deepseek_zh.SOURCE_ID, deepseek_zh.URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "pages" / SAMPLE).read_bytes()


@pytest.fixture
def html(fixtures_dir) -> str:
    return (fixtures_dir / "deepseek" / "pricing_zh.html").read_text(encoding="utf-8")


def price(result, model_id: str, token_type: str) -> Decimal:
    matches = [p.price_per_mtok for p in result.prices if (p.model_id, p.token_type) == (model_id, token_type)]
    assert len(matches) == 1, f"{model_id} {token_type}: {matches}"
    return matches[0]


def facts(result) -> set[tuple]:
    return {(p.model_id, p.model_name, p.token_type, p.currency, p.price_per_mtok) for p in result.prices}


def test_module_constants() -> None:
    assert (deepseek_zh.SOURCE_ID, deepseek_zh.PARSER_VERSION, deepseek_zh.PROVIDER_ID) == ("deepseek_zh", "1", "deepseek")


def test_real_capture_prices_are_cny_as_published(parse, sample) -> None:
    result = parse(sample)
    for alias in ("deepseek-chat", "deepseek-reasoner"):
        assert price(result, alias, "cache_read") == Decimal("0.2")
        assert price(result, alias, "input") == Decimal("2")
        assert price(result, alias, "output") == Decimal("3")
    assert len(result.prices) == 6
    assert all(p.currency == "CNY" and p.usd_per_mtok is None for p in result.prices)
    assert {p.unit_as_published for p in result.prices} == {"元 / 百万tokens"}
    assert {p.raw_value for p in result.prices} == {"0.2元", "2元", "3元"}
    assert {(p.source_id, p.provider_id) for p in result.prices} == {("deepseek_zh", "deepseek")}


def test_real_capture_versions(parse, sample) -> None:
    result = parse(sample)
    assert {m.model_id: (m.model_name, m.context_length) for m in result.models} == {
        "deepseek-chat": ("DeepSeek-V3.2（非思考模式）", 128_000),
        "deepseek-reasoner": ("DeepSeek-V3.2（思考模式）", 128_000),
    }


def test_html_rendering_gives_the_same_facts(parse, sample, html) -> None:
    assert facts(parse(html)) == facts(parse(sample))


def test_drift_names_the_chinese_source(parse, html) -> None:
    with pytest.raises(LayoutDriftError, match="unknown words") as info:
        parse(html.replace("百万tokens输出", "百万tokens输出（夜间优惠）"))
    assert "[deepseek_zh]" in str(info.value) and deepseek_zh.URL in str(info.value)
    assert info.value.source_id == "deepseek_zh"


def test_unknown_currency_marker_is_drift(parse, html) -> None:
    with pytest.raises(LayoutDriftError, match="deepseek-chat / 百万tokens输出"):
        parse(html.replace(">3元<", ">3港元<"))


