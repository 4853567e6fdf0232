"""Moonshot AI's chat pricing page (``platform.moonshot.ai/docs/pricing/chat.md``) -> price facts.

What the page looks like: section headings that render empty (``## `` / ``### ``) and three tables, one
row per API model id: the kimi-k2 table ``模型 | 计费单位 | 输入价格（缓存命中）| 输入价格（缓存未命中）|
输出价格 | 模型上下文长度``; the ``kimi-latest`` table, whose prices depend on the request's context
length (the model cell spans three rows, so the crawled continuation rows start with the band and are one
cell short); and the ``moonshot-v1`` table with a single input price. The English rendering has the same
columns in English (``Model | Unit | Input Price (Cache Hit) | Input Price (Cache Miss) | Output Price |
Context Window``).

Currency, carefully: the captured page (``platform.moonshot.ai``, "English" docs path) is the Chinese
rendering and publishes **CNY** (``￥1.00``); the English site publishes **USD** (``$0.15``). The currency
comes from each cell's own symbol, never from the URL: CNY is stored as published with
``usd_per_mtok=None`` (no silent FX), USD sets ``usd_per_mtok``. A bare amount is drift.

Columns: cache hit -> ``cache_read``, cache miss (and a plain input price) -> ``input``, output ->
``output``; the ``计费单位``/Unit cell ("1M tokens") is the unit of the row's bare amounts; the context
window column is not a price. Any other header in a price table is layout drift.

Context bands: the ``kimi-latest`` band cells ("≤ 8,192 tokens", "8,192 < 长度 ≤ 32,768 tokens") become
``"<=8k"``, ``">8k,<=32k"``, ``">32k,<=128k"`` (k = 1,024 tokens when the bound is a multiple of 1,024,
as Moonshot's 8k/32k/128k model names are); every other price is ``"all"``.

``model_id`` is the API id, lowercased, with a trailing badge ("推荐"/"Recommended") removed; the
vision-preview models are priced per token like the others and stay ``modality="text"``.
"""

from __future__ import annotations

import re

from scrapers.facts import FactCollector
from scrapers.markdown_tables import Table, extract_tables
from scrapers.records import ALL_CONTEXT, CaptureMeta, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "moonshot"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://platform.moonshot.ai/docs/pricing/chat.md"
PROVIDER_ID = "moonshot"

#: normalised header (lowercase, ASCII parentheses, no spaces) -> role. Unknown headers are drift.
COLUMNS: dict[str, str] = {
    "模型": "model", "model": "model",
    "计费单位": "unit", "unit": "unit", "billingunit": "unit",
    "输入价格(缓存命中)": "cache_read", "inputprice(cachehit)": "cache_read", "input(cachehit)": "cache_read",
    "输入价格(缓存未命中)": "input", "inputprice(cachemiss)": "input", "input(cachemiss)": "input",
    "输入价格": "input", "inputprice": "input", "input": "input",
    "输出价格": "output", "outputprice": "output", "output": "output",
    "模型上下文长度": "context", "contextwindow": "context", "contextlength": "context",
    "modelcontextlength": "context",
}
#: a header starting with one of these is the context-band column ("请求上下文长度范围（自动选择计费模型）")
BAND_HEADERS = ("请求上下文长度范围", "requestcontextlength", "contextlengthrange", "requestcontextrange")
PRICE_ROLES = ("cache_read", "input", "output")
BADGES = ("推荐", "recommended", "new", "新")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*")
_BAND_RE = re.compile(
    r"^(?:(?P<lo>\d[\d,]*)\s*<\s*[^\d<≤]*?\s*)?(?P<op>≤|<=|<)\s*(?P<hi>\d[\d,]*)\s*(?:tokens?)?$", re.IGNORECASE
)


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Moonshot pricing markdown -> price facts in the page's own currency (CNY or USD)."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=SOURCE_ID, provider_id=PROVIDER_ID)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        tables = [t for t in extract_tables(text) if t.headers and _norm(t.headers[0]) in ("模型", "model")]
        if not tables:
            raise self.drift("no price table found (no table with a 模型/Model column)")
        for table in tables:
            self.read(table)
        if not self.collect.facts:
            raise self.drift("price tables found but no price facts read")
        return self.collect.result()

    def read(self, table: Table) -> None:
        roles = []
        for header in table.headers:
            role = COLUMNS.get(_norm(header)) or ("band" if _norm(header).startswith(BAND_HEADERS) else None)
            if role is None:
                raise self.drift(f"unknown column {header!r} in a price table (line {table.line})")
            roles.append(role)
        if "output" not in roles or not {"input", "cache_read"} & set(roles):
            raise self.drift(f"price table (line {table.line}) lacks input or output columns")
        model = None
        for row in table.rows:
            if any(row[len(table.headers):]):
                raise self.drift(f"row {row[0]!r} (table at line {table.line}) has more cells than headers")
            if not any(row):
                continue
            if "band" in roles and _band(row[0]) and not row[-1]:
                row = (model or "", *row[:-1])  # a continuation row of the model cell above (rowspan)
            model = row[0]
            model_id, name = _model_id(model)
            if not model_id:
                raise self.drift(f"row {row!r} of the table at line {table.line} has no model id")
            band, unit = ALL_CONTEXT, None
            for role, cell in zip(roles, row, strict=False):
                if role == "band":
                    band = _band(cell) or self._bad_band(cell)
                elif role == "unit":
                    unit = cell or None
            for header, role, cell in zip(table.headers, roles, row, strict=False):
                if role in PRICE_ROLES:
                    self.add(model_id, name, role, cell, unit, band, header)

    def _bad_band(self, cell: str) -> str:
        raise self.drift(f"cannot read context band {cell!r}")

    def add(self, model_id: str, name: str, token_type: str, cell: str, unit: str | None, band: str,
            field: str) -> None:
        if is_no_price(cell) or cell.strip() in ("免费", "Free", "free"):
            self.exclude(model_id, field, f"no price published ({cell!r})")
            return
        price = self.collect.parse_price(cell, where=f"{name} / {field}", default_unit=unit)
        self.collect.price(model_id, token_type, price, model_name=name, raw=cell, band=band,
                           label=f"{name} {token_type}/{band}")


def _norm(header: str) -> str:
    header = header.replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", header).rstrip(":：").lower()


def _model_id(cell: str) -> tuple[str, str]:
    """``"kimi-k2-turbo-preview推荐"`` -> ``("kimi-k2-turbo-preview", "kimi-k2-turbo-preview")``."""
    name = cell.split("\n", 1)[0].strip()
    for badge in BADGES:
        if name.lower().endswith(badge) and len(name) > len(badge):
            name = name[: -len(badge)].strip()
    match = _ID_RE.match(name.lower())
    return (match.group(0) if match and match.group(0) == name.lower() else ""), name


def _k(tokens: str) -> str:
    value = int(tokens.replace(",", ""))
    if value % 1024 == 0:
        return f"{value // 1024}k"
    return f"{value // 1000}k" if value % 1000 == 0 else str(value)


def _band(cell: str) -> str | None:
    """``"≤ 8,192 tokens"`` -> ``"<=8k"``; ``"8,192 < 长度 ≤ 32,768 tokens"`` -> ``">8k,<=32k"``."""
    match = _BAND_RE.match(cell.strip())
    if match is None:
        return None
    upper = f"{'<' if match['op'] == '<' else '<='}{_k(match['hi'])}"
    return f">{_k(match['lo'])},{upper}" if match["lo"] else upper
