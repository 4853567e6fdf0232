"""DeepSeek's Chinese "模型 & 价格" page (``api-docs.deepseek.com/zh-cn/quick_start/pricing``) -> CNY prices.

The same transposed table as the English page (see :mod:`scrapers.sources.deepseek`, which does the
work): row labels ``模型版本`` / ``上下文长度`` / ``价格`` with ``百万tokens输入（缓存命中）``,
``百万tokens输入（缓存未命中）`` and ``百万tokens输出``, cells such as ``0.2元``. Prices are stored as published:
``currency="CNY"``, ``usd_per_mtok=None`` (conversion, if any, happens in staging). ``provider_id`` and
``model_id`` are the same as the English source's (``deepseek`` / ``deepseek-chat``), so the two
currencies of one price sit side by side; ``model_name`` is the Chinese version text as published.
"""

from __future__ import annotations

from scrapers.records import CaptureMeta, ParseResult
from scrapers.sources.deepseek import PARSER_VERSION, PROVIDER_ID, parse_pricing

__all__ = ["PARSER_VERSION", "PROVIDER_ID", "SOURCE_ID", "URL", "parse"]

SOURCE_ID = "deepseek_zh"
URL = "https://api-docs.deepseek.com/zh-cn/quick_start/pricing"


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Chinese DeepSeek pricing page (HTML or markdown) -> CNY price facts, alias versions, exclusions."""
    return parse_pricing(body, meta, SOURCE_ID)
