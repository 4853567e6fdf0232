"""DeepSeek's "Models & Pricing" page (``api-docs.deepseek.com/quick_start/pricing``, USD) -> prices and
the model version behind each API alias. The Chinese page (``deepseek_zh``, CNY) reuses this module.

What the page looks like: one *transposed* table. The columns are the API aliases
(``MODEL | deepseek-chat | deepseek-reasoner``); the rows are attributes: ``BASE URL``, ``MODEL VERSION``
(``DeepSeek-V3.2<br>(Non-thinking Mode)``), ``CONTEXT LENGTH``, ``MAX OUTPUT``, a ``FEATURES`` group and a
``PRICING`` group whose rows are ``1M INPUT TOKENS (CACHE HIT)`` / ``(CACHE MISS)`` / ``1M OUTPUT TOKENS``
(Chinese: ``百万tokens输入（缓存命中）`` / ``（缓存未命中）`` / ``百万tokens输出``, prices ``0.2元``). The live
page is static HTML where group labels use ``rowspan`` and a price shared by every model uses
``colspan``. Crawled markdown renderings flatten that table: a ``<br>`` inside a cell becomes a new line
(``(Non-thinking Mode)| DeepSeek-V3.2`` continues the row above) and a spanning cell is just one cell.

Choices:

* Both renderings are read (the body is sniffed: ``<table`` means HTML, otherwise markdown). HTML is
  expanded into a grid (rowspan/colspan repeated); markdown lines are merged back into logical rows:
  a line starts a new row when its first cell is a known row label, is empty, or the line holds a price
  label; any other line continues the row above (its first cell is the rest of the last cell).
* A value row holds either one value (a spanning cell: it applies to every model) or one value per
  model; any other count is layout drift, never a guess.
* ``CACHE HIT`` -> ``cache_read``, ``CACHE MISS`` -> ``input``, output -> ``output``; every price is
  ``standard`` tier, ``context_band="all"``, text. A price label with anything else in it (an off-peak
  or discount row, a new token type) or a pricing-group row without a known label is layout drift.
* The unit comes from the row label (``1M`` / ``百万``) and the currency from the cell (``$`` or ``元``):
  USD sets ``usd_per_mtok``; CNY is stored as published with ``usd_per_mtok`` None (no FX here).
* Identity: ``model_id`` is the API alias (``deepseek-chat``); ``model_name`` is the version it points
  at, as published (``DeepSeek-V3.2 (Non-thinking Mode)``), and each alias also yields a
  ``ModelAttributes`` record (``source_model_id`` = alias, ``model_name`` = version, ``context_length``
  from ``128K`` read as 128,000), so the alias re-pointing to a new version shows up as a change.
  A page without a MODEL VERSION row is drift: the alias->version link is what this source is for.
* "Free" / "-" / "N/A" price cells become ``Exclusion`` records.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from scrapers.facts import FactCollector
from scrapers.markdown_tables import clean_cell, extract_tables
from scrapers.records import CaptureMeta, ModelAttributes, ParseResult
from scrapers.units import is_no_price

SOURCE_ID = "deepseek"
PARSER_VERSION = "1"
URL = "https://api-docs.deepseek.com/quick_start/pricing"
PROVIDER_ID = "deepseek"

MODEL_LABELS = {"model", "models", "模型"}
VERSION_LABELS = {"model version", "模型版本"}
CONTEXT_LABELS = {"context length", "上下文长度"}
PRICING_LABELS = {"pricing", "price", "价格"}
#: first-column labels of rows this parser knows (and, except version/context/pricing, ignores)
ROW_LABELS = MODEL_LABELS | VERSION_LABELS | CONTEXT_LABELS | PRICING_LABELS | {
    "base url", "max output", "features", "输出长度", "最大输出长度", "功能",
}

_UNIT_RE = re.compile(r"(\d+\s*[km]\b|百万|million)", re.IGNORECASE)
_ALIAS_RE = re.compile(r"^[a-z0-9][a-z0-9._:-]*$")
_FREE = {"free", "免费"}


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """DeepSeek pricing page (HTML or markdown) -> price facts, alias versions, exclusions."""
    return parse_pricing(body, meta, SOURCE_ID)


def parse_pricing(body: bytes, meta: CaptureMeta, source_id: str) -> ParseResult:
    """The shared parser; ``source_id`` names the source in drift errors (``deepseek`` / ``deepseek_zh``)."""
    return _Parser(meta, source_id).run(body)


def price_label(label: str) -> tuple[str, str] | None:
    """``"1M INPUT TOKENS (CACHE HIT)"`` -> ``("cache_read", "1M tokens")``; None if not a price label.

    A price label states a token quantity (``1M ... TOKENS``, ``百万tokens``). One with words this parser
    does not know (``1M REASONING TOKENS``, ``DISCOUNT``), or a unit it does not know (``1B INPUT TOKENS``),
    raises ``ValueError``.
    """
    text = _norm(label)
    unit_match = _UNIT_RE.search(text)
    if not re.search(r"tokens?", text):
        return None
    if unit_match is None:
        # a quantity of tokens in a unit this parser does not know ("1B INPUT TOKENS", "十亿tokens") is a
        # price row all the same: drift, not a row quietly skipped
        if re.search(r"\d[\d,.]*\s*[a-z]+\b|billion|亿", text):
            raise ValueError(f"unknown unit in price row {label!r}")
        return None
    if re.search(r"缓存未命中|cache miss", text):
        token_type = "input"
    elif re.search(r"缓存命中|cache hit", text):
        token_type = "cache_read"
    elif re.search(r"output|输出", text):
        token_type = "output"
    elif re.search(r"input|输入", text):
        token_type = "input"
    else:
        raise ValueError(f"unknown price row {label!r}")
    rest = re.sub(
        r"缓存未命中|缓存命中|cache miss|cache hit|input|output|输入|输出|tokens?|\d+\s*[km]\b|百万|million|[()\s]",
        "", text,
    )
    if rest:
        raise ValueError(f"unknown words {rest!r} in price row {label!r}")
    unit = unit_match.group(1)
    return token_type, ("百万tokens" if unit == "百万" else f"{unit.upper().replace(' ', '')} tokens")


class _Parser:
    def __init__(self, meta: CaptureMeta, source_id: str):
        self.collect = FactCollector(meta, PARSER_VERSION, source_id=source_id, provider_id=PROVIDER_ID)
        self.drift = self.collect.drift

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body)
        is_html = re.search(r"<table\b", text, re.IGNORECASE) is not None
        rows = _html_rows(text) if is_html else _markdown_rows(text)
        if rows is None:
            raise self.drift(f"no model table (first cell MODEL/模型) found in the {'HTML' if is_html else 'markdown'}")
        models = self.models(rows[0])
        versions: list[str] | None = None
        context: list[str] | None = None
        for row in rows[1:]:
            price_at = self.price_cell_index(row)
            if price_at is not None:
                if price_at == 1 and row[0] and _norm(row[0]) not in PRICING_LABELS:
                    raise self.drift(f"price row {row[1]!r} sits under an unknown group {row[0]!r}")
                token_type, unit = self.read_label(row[price_at])
                for alias, cell in zip(models, self.spread(_after(row, price_at), models, row[price_at]), strict=True):
                    self.add(alias, token_type, unit, cell, field=row[price_at])
            elif _norm(row[0]) in VERSION_LABELS:
                versions = self.spread(_after(row, 0), models, row[0])
            elif _norm(row[0]) in CONTEXT_LABELS:
                context = self.spread(_after(row, 0), models, row[0])
        if versions is None:
            raise self.drift("no MODEL VERSION row: the alias -> version link is missing")
        names = {alias: _one_line(version) for alias, version in zip(models, versions, strict=True)}
        if not self.collect.facts:
            raise self.drift("no price facts found in the model table")
        prices = [
            fact.model_copy(update={"model_name": names[fact.model_id]}) for fact in self.collect.facts.values()
        ]
        attributes = [
            ModelAttributes(
                **self.collect.provenance, provider_id=PROVIDER_ID, model_id=alias, source_model_id=alias,
                model_name=names[alias], creator=PROVIDER_ID,
                context_length=_context_length(context[i]) if context else None,
            )
            for i, alias in enumerate(models)
        ]
        return ParseResult(prices=prices, models=attributes, exclusions=self.collect.exclusions)

    # -- rows ---------------------------------------------------------------------------------------

    def models(self, header: list[str]) -> list[str]:
        aliases = _after(header, 0)
        if not aliases:
            raise self.drift("the model table names no model")
        for alias in aliases:
            if not _ALIAS_RE.match(alias):
                raise self.drift(f"unexpected model column {alias!r} (expected an API alias such as deepseek-chat)")
        return aliases

    def price_cell_index(self, row: list[str]) -> int | None:
        for i, cell in enumerate(row[:2]):
            try:
                if price_label(cell) is not None:
                    return i
            except ValueError:
                return i
        return None

    def read_label(self, label: str) -> tuple[str, str]:
        try:
            found = price_label(label)
        except ValueError as exc:
            raise self.drift(str(exc)) from exc
        assert found is not None
        return found

    def spread(self, values: list[str], models: list[str], label: str) -> list[str]:
        """One value (a spanning cell) applies to every model; otherwise one value per model."""
        if len(values) == 1:
            return values * len(models)
        if len(values) == len(models):
            return values
        raise self.drift(f"row {label!r} has {len(values)} values for {len(models)} models: {values}")

    # -- facts --------------------------------------------------------------------------------------

    def add(self, alias: str, token_type: str, unit: str, cell: str, *, field: str) -> None:
        if is_no_price(cell) or cell.strip().lower() in _FREE:
            self.collect.exclude(alias, field, f"no price published ({cell!r})")
            return
        price = self.collect.parse_price(cell, where=f"{alias} / {field}", default_unit=unit)
        # model_name is replaced by the version once the MODEL VERSION row is read
        self.collect.price(alias, token_type, price, model_name=alias, raw=cell, label=f"{alias} {token_type}")


# -- renderings -> logical rows (list of cell texts, the header row first) ----------------------------


def _markdown_rows(text: str) -> list[list[str]] | None:
    for table in extract_tables(text):
        if table.headers and _norm(table.headers[0]) in MODEL_LABELS:
            rows: list[list[str]] = []
            for raw in (table.headers, *table.rows):
                cells = _trim(list(raw))
                if not cells:
                    continue
                if rows and _continues(cells):
                    last = rows[-1]
                    last[-1] = f"{last[-1]}\n{cells[0]}" if last[-1] else cells[0]
                    last.extend(cells[1:])
                else:
                    rows.append(cells)
            return rows
    return None


def _continues(cells: list[str]) -> bool:
    """A flattened ``<br>``: the line's first cell is the rest of the previous row's last cell."""
    if not cells[0] or _norm(cells[0]) in ROW_LABELS:
        return False
    for cell in cells[:2]:
        try:
            if price_label(cell) is not None:
                return False
        except ValueError:
            return False
    return True


def _html_rows(text: str) -> list[list[str]] | None:
    soup = BeautifulSoup(text, "lxml")
    for table in soup.find_all("table"):
        grid = _grid(table)
        if grid and grid[0] and _norm(grid[0][0]) in MODEL_LABELS:
            return [_trim(row) for row in grid if _trim(row)]
    return None


def _grid(table) -> list[list[str]]:
    """The table as a grid, a ``rowspan``/``colspan`` cell repeated in every slot it covers."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["th", "td"], recursive=False):
            while (r, c) in grid:
                c += 1
            for br in cell.find_all("br"):
                br.replace_with("\n")
            value = clean_cell(cell.get_text().replace("\n", "<br/>"))
            for dr in range(_span(cell, "rowspan")):
                for dc in range(_span(cell, "colspan")):
                    grid[(r + dr, c + dc)] = value
            c += _span(cell, "colspan")
    if not grid:
        return []
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, 1)), 50))
    except (TypeError, ValueError):
        return 1


# -- helpers ----------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = text.replace("（", "(").replace("）", ")").replace("\u200b", "")
    return re.sub(r"\s+", " ", text.replace("\n", " ")).strip().rstrip(":：").lower()


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _after(row: list[str], index: int) -> list[str]:
    """Non-empty values right of ``row[index]``, skipping copies of the label (an expanded colspan)."""
    label = row[index]
    values = row[index + 1:]
    while values and values[0] == label:
        values = values[1:]
    return [v for v in values if v]


def _one_line(text: str) -> str:
    """``"DeepSeek-V3.2\n(Thinking Mode)"`` -> ``"DeepSeek-V3.2 (Thinking Mode)"`` (no space before a full-width paren)."""
    return re.sub(r"\n(?=（)", "", text).replace("\n", " ")


def _context_length(text: str) -> int | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([km])", text.strip(), re.IGNORECASE)
    if match is None:
        return None
    scale = 1_000 if match.group(2).lower() == "k" else 1_000_000
    return int(float(match.group(1)) * scale)
