"""token-tariff's launch-price timeline (github.com/Prajwalsrinvas/token-tariff ``timeline.csv``) -> dated
launch prices and capability scores.

One row per model: ``model, vendor, tier, release_date, launch_price_in, launch_price_out,
current_price_in, current_price_out, metr_horizon_min_p50, metr_horizon_min_p80, metr_key, metr_source,
aa_intel, aa_version, aa_source, notes, source_url``. Prices are USD per 1M tokens (the cells are bare
numbers; the repository's wager.py reads them as "$/MTok").

* **Launch prices** -> ``PriceFact`` input/output with ``valid_from`` = ``release_date`` and basis
  ``effective`` (a launch price stated with its date); ``provider_id`` is the vendor lowercased (the
  vendor sells its own models at launch), ``model_id`` the file's own id. An empty launch price (the
  timeline says "not verified", or open weights with "no canonical price") is an exclusion.
* **Current prices are not read.** The timeline's notes say they are mostly the OpenRouter route at the
  repository's freeze date (sometimes the official rate): neither the vendor's price nor dated, and
  ``openrouter_models`` observes OpenRouter itself. One exclusion per column.
* **Scores** -> ``CapabilityScore``: ``aa_intel`` as "Artificial Analysis Intelligence Index" (scale
  ``index``), dated by ``aa_version``: ``2026-08-01`` is a stated date, ``≤2026-07-05`` "on or before";
  ``aa_source`` is the score's source URL. ``metr_horizon_min_p50``/``_p80`` as METR's time horizon at
  50%/80% success, in minutes, undated (``as_of`` = capture day, basis ``captured``), with
  ``metr_source``. Every score carries the row's ``release_date`` and the vendor as ``creator``.
* ``tier``, ``metr_key`` and ``notes`` (the author's prose, not republished) are known and not read; the
  row's ``source_url`` (the evidence for its launch price) has no column in ``raw.price_facts`` yet and is
  not stored (an exclusion says so).

Strict: an unknown or missing column, a price or score that is not a plain number (``$30`` or
``0.03/1K`` is a unit the parser does not know), a date not ``YYYY-MM-DD``, an ``aa_version`` in any
other form, or an index over 100 is ``LayoutDriftError``. The repository is MIT-licensed (LICENSE, added 2026-08-01).
"""

from __future__ import annotations

import re
from datetime import date

from scrapers.csv_tables import iso_date, plain_decimal, read_table
from scrapers.facts import FactCollector
from scrapers.records import CapabilityScore, CaptureMeta, ParseResult

SOURCE_ID = "token_tariff"
PARSER_VERSION = "2"  # 2: a capture cut short is layout drift (scrapers.truncation)
URL = "https://raw.githubusercontent.com/Prajwalsrinvas/token-tariff/main/timeline.csv"
UNIT = "USD per 1M tokens"
CITATION = "token-tariff timeline (github.com/Prajwalsrinvas/token-tariff, timeline.csv)"

#: launch-price column -> token type
PRICES = {"launch_price_in": "input", "launch_price_out": "output"}
AA_INDEX = "Artificial Analysis Intelligence Index"
#: METR column -> benchmark name
METR = {"metr_horizon_min_p50": "METR time horizon (50% success)",
        "metr_horizon_min_p80": "METR time horizon (80% success)"}
REQUIRED = ("model", "vendor", "release_date", *PRICES)
READ = (*REQUIRED, *METR, "metr_source", "aa_intel", "aa_version", "aa_source")
#: known columns the parser does not turn into records, and why
NOT_READ = {
    "tier": "the timeline author's own grouping (frontier/bottom/open), not a fact about the model",
    "current_price_in": "the OpenRouter route (or the official rate) at the repository's freeze date: "
                        "neither the vendor's price nor dated",
    "current_price_out": "the OpenRouter route (or the official rate) at the repository's freeze date: "
                         "neither the vendor's price nor dated",
    "metr_key": "METR's key for the model, an identifier rather than a score",
    "notes": "the timeline author's prose, not republished",
    "source_url": "the evidence for the row's launch price; raw.price_facts has no column for it yet",
}
_AA_VERSION = re.compile(r"^(?P<before>≤)?\s*(?P<date>\d{4}-\d{2}-\d{2})$")


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """timeline.csv -> launch prices (input/output, dated), capability scores, exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION)
        self.captured_on = meta.fetched_at.date()
        self.scores: list[CapabilityScore] = []

    def run(self, body: bytes) -> ParseResult:
        header, rows = read_table(self.collect, body, required=REQUIRED, optional=(*READ, *NOT_READ))
        for column in header:
            if column in NOT_READ:
                self.collect.exclude("*", column, NOT_READ[column])
        seen: set[str] = set()
        for row in rows:
            model_id = row["model"].lower()
            if not model_id or not row["vendor"]:
                raise self.collect.drift(f"a row without model or vendor: {row}")
            if model_id in seen:
                raise self.collect.drift(f"{model_id} has two rows: the timeline is one row per model")
            seen.add(model_id)
            release = iso_date(self.collect, row["release_date"], where=f"{model_id} release_date")
            self.read_prices(row, model_id, release)
            self.read_scores(row, model_id, release)
        return self.collect.result(capabilities=self.scores)

    def read_prices(self, row: dict[str, str], model_id: str, release: date) -> None:
        for column, token_type in PRICES.items():
            cell = row[column]
            if not cell:
                self.collect.exclude(model_id, column, "no launch price in the timeline (empty)")
                continue
            amount = plain_decimal(self.collect, cell, where=f"{model_id} {column}")
            self.collect.price(
                model_id, token_type, amount, unit=UNIT, model_name=row["model"], raw=cell,
                provider_id=row["vendor"].lower(), valid_from=release, valid_from_basis="effective",
            )

    def read_scores(self, row: dict[str, str], model_id: str, release: date) -> None:
        if row.get("aa_intel"):
            as_of, basis = self.aa_date(row.get("aa_version", ""), model_id)
            self.score(row, model_id, release, AA_INDEX, "index", row["aa_intel"], as_of, basis,
                       row.get("aa_source") or None)
        for column, benchmark in METR.items():
            if row.get(column):
                self.score(row, model_id, release, benchmark, "minutes", row[column], self.captured_on, "captured",
                           row.get("metr_source") or None)

    def aa_date(self, text: str, model_id: str) -> tuple[date, str]:
        if not text:
            return self.captured_on, "captured"
        match = _AA_VERSION.match(text)
        if match is None:
            raise self.collect.drift(f"{model_id} aa_version {text!r} is neither 'YYYY-MM-DD' nor '≤YYYY-MM-DD'")
        day = iso_date(self.collect, match["date"], where=f"{model_id} aa_version")
        return day, "on_or_before" if match["before"] else "stated"

    def score(self, row: dict[str, str], model_id: str, release: date, benchmark: str, scale: str, cell: str,
              as_of: date, basis: str, url: str | None) -> None:
        value = plain_decimal(self.collect, cell, where=f"{model_id} {benchmark}")
        if scale == "index" and value > 100:
            raise self.collect.drift(f"{model_id} {benchmark}: {cell} is over 100")
        self.scores.append(CapabilityScore(
            **self.collect.provenance, model_id=model_id, model_name=row["model"], creator=row["vendor"],
            benchmark=benchmark, score=value, scale=scale, as_of=as_of, as_of_basis=basis, release_date=release,
            score_source_url=url, raw_value=cell, citation=CITATION,
        ))
