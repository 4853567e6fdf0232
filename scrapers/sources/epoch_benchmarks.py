"""Epoch AI's LLM price and benchmark tables (github.com/epoch-research/llm-benchmark-efficiency) -> blended
prices and capability scores.

Two CSV files with one header, ``Model Name, Release Date, USD per 1M Tokens`` then benchmark columns
(``MMLU``, ``GPQA Diamond``, ``HumanEval``, ``MATH-500``, ``MATH 5``, ``LMSys Chatbot Arena ELO``) and
Artificial Analysis' speed columns. The files mean different things by the same columns, so the parser
tells them apart by the capture's URL (its file name):

* ``data/aa_data_with_math5.csv``: Artificial Analysis (AA) data, one row per model. ``Release Date`` is
  the model's release date; the price is the one AA listed when Epoch pulled the table (the file last
  changed 2025-03-04), **not** the launch price: Claude 3.5 Haiku's 1.6 is (3 x 0.80 + 4) / 4, its price
  after the 2024-12-03 cut, beside its 2024-10-22 release date. So these prices are undated
  (``valid_from`` None): an observation of the day the table was captured.
* ``data/epoch_ai_price_data_not_in_aa_with_benchmarks.csv``: Epoch's own API-price database for models
  AA lacks (GPT-3 onwards). ``Release Date`` here is the database's "Price date", the date of the price
  record (price_data_merge.ipynb @ ee229be groups by ``Price date``; Claude 2 appears on 2024-08-12, a
  year after its release), and a model appears once per recorded price. The date says the price held
  then, not that it took effect then: ``valid_from`` = that date with basis ``first_seen``.

**Prices are a 3:1 blend**, ``(3 x input + output) / 4`` (Epoch's data insight "LLM inference prices have
fallen rapidly but unequally across tasks", epoch.ai/data-insights/llm-inference-price-trends, 2025-03-12,
following AA; GPT-4-0613's 37.5 is (3 x 30 + 60) / 4). A blend is neither an input nor an output price,
so it is stored as token type ``blended_3_1`` (scrapers/records.py), a series of its own.

**Seller.** The blend is the first-party API's price where the creator sells one, else the median
across API providers (same data insight); the files do not say which applies to a row, and name neither
the creator nor the vendor. ``provider_id`` is therefore ``first_party_or_median`` (not a company), and
no creator is set; ``model_id`` is the file's ``Model Name`` lowercased, ``model_name`` as published.

**Scores** become ``CapabilityScore`` rows: the column name is the benchmark, ``percent`` (0-100) for
the accuracy benchmarks and ``elo`` for the Arena rating. The files date no score, so ``as_of`` is the
capture day (basis ``captured``); ``release_date`` is set for the AA file only (the other file's date is
a price date). The same model and benchmark with the same score on two price rows is one score; with two
different scores (GPT-3 175B (davinci): MMLU 43.9 beside its 2021-2022 prices, 63.1 beside 2024-01-04) the
first is kept and the other is an exclusion.

Strict: an unknown column (say ``USD per 1K Tokens``: a unit the parser does not know), a missing
required column, a price or score that is not a plain number, a percentage over 100, or a capture URL
naming neither file is ``LayoutDriftError``. ``Tokens per Second``, ``Prefill Latency (s)`` and
``Prompt Length (tk)`` (AA's speed of an unnamed endpoint at a 1000-token prompt, undated) are known and
not read: one exclusion per column present.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scrapers.csv_tables import iso_date, plain_decimal, read_table
from scrapers.facts import FactCollector
from scrapers.records import CapabilityScore, CaptureMeta, ParseResult

SOURCE_ID = "epoch_benchmarks"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
REPO = "https://raw.githubusercontent.com/epoch-research/llm-benchmark-efficiency/main/data/"
AA_FILE = "aa_data_with_math5.csv"
EPOCH_FILE = "epoch_ai_price_data_not_in_aa_with_benchmarks.csv"
URLS = {AA_FILE: REPO + AA_FILE, EPOCH_FILE: REPO + EPOCH_FILE}

PROVIDER = "first_party_or_median"
UNIT = "USD per 1M tokens, 3:1 input:output blend"
MODEL, DATE, PRICE = "Model Name", "Release Date", "USD per 1M Tokens"
#: benchmark column -> scale
BENCHMARKS = {"MMLU": "percent", "GPQA Diamond": "percent", "HumanEval": "percent", "MATH-500": "percent",
              "LMSys Chatbot Arena ELO": "elo", "MATH 5": "percent"}
#: known columns the parser does not turn into records, and why
NOT_READ = {
    "Tokens per Second": "Artificial Analysis speed of an unnamed endpoint, undated; not a price or a score",
    "Prefill Latency (s)": "Artificial Analysis latency of an unnamed endpoint, undated; not a price or a score",
    "Prompt Length (tk)": "the prompt length of Artificial Analysis' speed runs; not a price or a score",
}
#: columns in the order the files have them
COLUMNS = (MODEL, DATE, PRICE, *BENCHMARKS, *NOT_READ)
CITATION = {
    AA_FILE: "Epoch AI, 'LLM inference prices have fallen rapidly but unequally across tasks' "
             "(epoch.ai/data-insights/llm-inference-price-trends); data from Artificial Analysis; CC BY 4.0",
    EPOCH_FILE: "Epoch AI, 'LLM inference prices have fallen rapidly but unequally across tasks' "
                "(epoch.ai/data-insights/llm-inference-price-trends); Epoch AI API price data; CC BY 4.0",
}


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """One of the two Epoch CSVs (told apart by ``meta.url``) -> blended prices, scores, exclusions."""
    return _Parser(meta).run(body)


def which_file(url: str) -> str | None:
    """``AA_FILE`` or ``EPOCH_FILE`` for a URL (or path) ending in that file's name, else None."""
    name = url.rstrip("/").rsplit("/", 1)[-1].rsplit("__", 1)[-1]
    return name if name in URLS else None


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION, provider_id=PROVIDER)
        self.captured_on = meta.fetched_at.date()
        self.file = which_file(meta.url)
        self.scores: dict[tuple[str, str], CapabilityScore] = {}

    def run(self, body: bytes) -> ParseResult:
        if self.file is None:
            raise self.collect.drift(f"the URL names neither {AA_FILE} nor {EPOCH_FILE}: which table is this?")
        header, rows = read_table(self.collect, body, required=(MODEL, DATE, PRICE), optional=COLUMNS)
        for column in header:
            if column in NOT_READ:
                self.collect.exclude("*", column, NOT_READ[column])
        for row in rows:
            self.read_row(row, [c for c in header if c in BENCHMARKS])
        return self.collect.result(capabilities=list(self.scores.values()))

    def read_row(self, row: dict[str, str], benchmarks: list[str]) -> None:
        name = row[MODEL]
        if not name:
            raise self.collect.drift(f"a row without a {MODEL!r}: {row}")
        model_id = name.lower()
        row_date = iso_date(self.collect, row[DATE], where=f"{name} {DATE}")
        self.read_price(model_id, name, row_date, row[PRICE])
        release = row_date if self.file == AA_FILE else None
        for benchmark in benchmarks:
            if row[benchmark]:
                self.read_score(model_id, name, benchmark, row[benchmark], release)

    def read_price(self, model_id: str, name: str, row_date: date, cell: str) -> None:
        if not cell:
            self.collect.exclude(f"{model_id}@{row_date}", PRICE, "no price in the table (empty)")
            return
        amount = plain_decimal(self.collect, cell, where=f"{name} {PRICE}")
        dated = self.file == EPOCH_FILE
        kept = self.collect.price(
            model_id, "blended_3_1", amount, unit=UNIT, model_name=name, raw=cell,
            valid_from=row_date if dated else None, valid_from_basis="first_seen" if dated else None, strict=False,
        )
        if kept.price_per_mtok != amount:
            self.collect.exclude(f"{model_id}@{row_date}", PRICE, f"stated twice ({kept.raw_value} and {cell}); "
                                 "the first is kept")

    def read_score(self, model_id: str, name: str, benchmark: str, cell: str, release: date | None) -> None:
        score = plain_decimal(self.collect, cell, where=f"{name} {benchmark}")
        scale = BENCHMARKS[benchmark]
        if scale == "percent" and score > 100:
            raise self.collect.drift(f"{name} {benchmark}: {cell} is over 100%")
        previous = self.scores.get((model_id, benchmark))
        if previous is not None:
            if previous.score != score:
                self.collect.exclude(model_id, benchmark, f"two scores ({previous.raw_value} and {cell}); "
                                     "the first is kept")
            return
        self.scores[(model_id, benchmark)] = CapabilityScore(
            **self.collect.provenance, model_id=model_id, model_name=name, benchmark=benchmark,
            score=Decimal(score), scale=scale, as_of=self.captured_on, as_of_basis="captured",
            release_date=release, raw_value=cell, citation=CITATION[self.file],
        )
