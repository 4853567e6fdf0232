"""LiteLLM price history (change points derived from the cost map's git history) -> dated price facts.

What the file looks like: a CSV, one row per *run* of identical prices of one LiteLLM key, derived by
walking the commits of a mirror of LiteLLM's ``model_prices_and_context_window.json``
(github.com/RoCry/llm-api-price, which polls LiteLLM and commits each change)::

    litellm_provider,model_key,first_seen,last_seen,input_usd_per_1M,output_usd_per_1M,cache_read_usd_per_1M,
    cache_write_usd_per_1M,batch_input_usd_per_1M,batch_output_usd_per_1M,first_commit

Prices are USD per 1M tokens (converted by the derivation); an empty cell means the key had no such price
in that run. Only chat-mode entries of selected providers are included.

Choices, and why:

* **Dates are observations, not effective dates.** ``first_seen`` is the commit date of the mirror, i.e.
  when the change was *seen* (to within the polling interval), so ``valid_from_basis="first_seen"``.
* **SCD2 per price series.** Facts are long (one token type per fact), so consecutive runs with the same
  price for a series are merged (a run boundary often comes from another column changing): one fact per
  change. ``valid_to`` (exclusive) is the ``first_seen`` of the next run with a different (or no) price.
  For the last run of a key, ``valid_to`` is ``None`` when it was still listed on the file's last date
  (the largest ``last_seen``), else ``last_seen`` + 1 day: the key left the map, so the price is not
  known after its last sighting.
* **Same-day runs.** Two runs of one key starting the same day (two commits that day) leave the earlier
  one with no day of its own; it becomes an exclusion (often a typo fixed within hours, e.g. a 150 / 600
  Gemini 2.0 Flash price). Runs are ordered by ``first_seen``, then ``last_seen`` (the superseded run ended
  that day), then file order, so the file's row order does not matter.
* **Strictness.** An unknown or missing column is layout drift; so is a non-numeric price, a bad date or a
  run whose ``last_seen`` precedes its ``first_seen``. Zero rows is drift. Prices above
  ``litellm.PLAUSIBLE_MAX`` are exclusions, as in the ``litellm`` source, and so are Together AI's size
  buckets (``together-ai-up-to-4b`` ...: one exclusion per key, not a model).

Identity follows the ``litellm`` source (``litellm.model_id_for``): ``provider_id`` is ``litellm_provider``,
``model_id`` the key minus its own provider prefix; ``model_name`` is the key as published.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import groupby

from scrapers.facts import FactCollector
from scrapers.records import CaptureMeta, ParseResult
from scrapers.sources.litellm import PLAUSIBLE_MAX, SIZE_BUCKET_RE, SIZE_BUCKET_REASON, model_id_for

SOURCE_ID = "litellm_history"
# 2: Together size buckets are exclusions, not models; 3: a capture cut short is layout drift (scrapers.truncation)
PARSER_VERSION = "3"
#: where the history is derived from (a git history, not one GET; see the module docstring)
URL = "https://github.com/RoCry/llm-api-price/commits/main/model_prices_and_context_window.json"
UNIT = "USD/MTok"

#: price column -> (token_type, service_tier)
PRICE_COLUMNS: dict[str, tuple[str, str]] = {
    "input_usd_per_1M": ("input", "standard"),
    "output_usd_per_1M": ("output", "standard"),
    "cache_read_usd_per_1M": ("cache_read", "standard"),
    "cache_write_usd_per_1M": ("cache_write", "standard"),
    "batch_input_usd_per_1M": ("input", "batch"),
    "batch_output_usd_per_1M": ("output", "batch"),
}
KEY_COLUMNS = ("litellm_provider", "model_key", "first_seen", "last_seen", "first_commit")
COLUMNS = frozenset((*KEY_COLUMNS, *PRICE_COLUMNS))


def parse(body: bytes, meta: CaptureMeta) -> ParseResult:
    """Change-point CSV -> price facts dated by first sighting, and exclusions."""
    return _Parser(meta).run(body)


class _Parser:
    def __init__(self, meta: CaptureMeta):
        self.collect = FactCollector(meta, PARSER_VERSION)
        self.drift, self.exclude = self.collect.drift, self.collect.exclude

    def run(self, body: bytes) -> ParseResult:
        text = self.collect.text(body, what="history", encoding="utf-8-sig", csv_table=True)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = set(reader.fieldnames or [])
        if header != COLUMNS:
            unknown, missing = sorted(header - COLUMNS), sorted(COLUMNS - header)
            raise self.drift(f"CSV header changed: unknown columns {unknown}, missing columns {missing}")
        runs = [self.read_row(n, row) for n, row in enumerate(reader, start=2)]
        if not runs:
            raise self.drift("history has a header but no rows")
        end = max(run["last_seen"] for run in runs)
        runs.sort(key=lambda r: (r["litellm_provider"], r["model_key"], r["first_seen"], r["last_seen"], r["line"]))
        for (provider, key), group in groupby(runs, key=lambda r: (r["litellm_provider"], r["model_key"])):
            self.read_key(provider, key, list(group), end)
        if not self.collect.facts:
            raise self.drift(f"{len(runs)} rows but no price fact")
        return self.collect.result()

    def read_row(self, line: int, row: dict) -> dict:
        if None in row or any(value is None for value in row.values()):
            raise self.drift(f"line {line} does not have one cell per column")
        run: dict = {"line": line, "litellm_provider": row["litellm_provider"].strip().lower(),
                     "model_key": row["model_key"].strip(), "first_commit": row["first_commit"].strip()}
        if not run["litellm_provider"] or not run["model_key"]:
            raise self.drift(f"line {line} has no provider or model key")
        try:
            run["first_seen"] = date.fromisoformat(row["first_seen"].strip())
            run["last_seen"] = date.fromisoformat(row["last_seen"].strip())
        except ValueError as exc:
            raise self.drift(f"line {line}: bad date: {exc}") from exc
        if run["last_seen"] < run["first_seen"]:
            raise self.drift(f"line {line}: last_seen {run['last_seen']} precedes first_seen {run['first_seen']}")
        for column in PRICE_COLUMNS:
            cell = row[column].strip()
            try:
                value = Decimal(cell) if cell else None
            except InvalidOperation as exc:
                raise self.drift(f"line {line}: {column}={cell!r} is not a number") from exc
            if value is not None and (not value.is_finite() or value < 0):
                raise self.drift(f"line {line}: {column}={cell!r} is not a price")
            run[column] = (value, cell)
        return run

    def read_key(self, provider: str, key: str, runs: list[dict], end: date) -> None:
        if SIZE_BUCKET_RE.match(key):
            self.exclude(key, f"line {runs[0]['line']}", SIZE_BUCKET_REASON)
            return
        kept = []
        for run, following in zip(runs, [*runs[1:], None], strict=True):
            if following is not None and following["first_seen"] == run["first_seen"]:
                self.exclude(key, f"line {run['line']}", f"run first seen {run['first_seen']} (commit "
                             f"{run['first_commit']}) was superseded the same day by commit {following['first_commit']}")
            else:
                kept.append(run)
        last = kept[-1]
        listed_until = None if last["last_seen"] >= end else last["last_seen"] + timedelta(days=1)
        for column, (token_type, tier) in PRICE_COLUMNS.items():
            start = None  # the run opening the current price segment
            for run in kept:
                value = run[column][0]
                if start is not None and value == start[column][0]:
                    continue
                if start is not None:
                    self.add(provider, key, column, token_type, tier, start, run["first_seen"])
                start = run if value is not None else None
            if start is not None:
                self.add(provider, key, column, token_type, tier, start, listed_until)

    def add(self, provider: str, key: str, column: str, token_type: str, tier: str, run: dict,
            valid_to: date | None) -> None:
        value, cell = run[column]
        if value > PLAUSIBLE_MAX:
            self.exclude(key, column, f"implausible price {cell} USD per 1M tokens (above {PLAUSIBLE_MAX})")
            return
        model_id = model_id_for(key, provider)
        previous = self.collect.price(
            model_id, token_type, value, unit=UNIT, model_name=key, raw=cell, provider_id=provider, tier=tier,
            valid_from=run["first_seen"], valid_to=valid_to, valid_from_basis="first_seen", strict=False,
        )
        if previous.price_per_mtok != value:
            self.exclude(key, column, f"{model_id} {token_type}/{tier} from {run['first_seen']} already priced "
                         f"{previous.raw_value} by key {previous.model_name!r}; the first is kept")
