"""`costcurve backfill`: a cost curve from 2023 on the first day, from the sources' own dated histories.

genai-prices, llm-prices, the LiteLLM change-point history, Epoch AI's price tables and token-tariff's
launch prices say when each price applied. Their latest capture of each target (from the raw archive, else
the replay folder) is parsed once, and every dated price becomes an
observation on the day the source claims (``observed_date`` = its ``valid_from``), keeping
``valid_from_basis`` (``effective``: the source states when the price took effect; ``first_seen``: only
when it was first noticed) and the real ``fetched_at``. The rows are validated by the raw gate before
anything is written; days that already hold a real daily capture of the source are left alone (a
capture taken that day is better evidence); future-dated prices stay in the daily snapshot. Then the
``rebuild`` job rebuilds the marts, gates them and publishes, and sends no webhooks.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import Progress

from costcurve.config import Settings
from expectations.runner import validate
from scrapers.archive import RawArchive
from scrapers.collect import REPLAY_FETCH_TIME, archived_capture, parse_capture
from scrapers.records import CaptureMeta, ParseResult, PriceFact
from scrapers.registry import Source, Target, get_source
from warehouse.connection import ensure_raw_schema, writer
from warehouse.load import load_source_day

HISTORY_SOURCES = ("genai_prices", "llm_prices", "litellm_history", "epoch_benchmarks", "token_tariff")


class BackfillError(RuntimeError):
    """The backfill could not run for a source (no capture, or its rows failed the raw gate)."""


@dataclass
class SourceBackfill:
    source_id: str
    capture_sha256: str
    dated_facts: int = 0
    days_loaded: int = 0
    days_kept: list[date] = field(default_factory=list)  # days with a real capture, left alone
    first_day: date | None = None
    last_day: date | None = None


def latest_capture(source: Source, archive: RawArchive, replay_dir: Path,
                   target: Target | None = None) -> tuple[bytes, CaptureMeta]:
    """The newest capture of one target (default: the source's only one): the archive's if it has one,
    else the replay folder's."""
    if target is None:
        (target,) = source.targets
    row = archive.latest(source.source_id, target.key)
    if row is not None:
        return archived_capture(archive, row)
    candidates = sorted(Path(replay_dir).glob(f"*/{source.source_id}/{target.key}"))
    if not candidates:
        raise BackfillError(f"{source.source_id}: no capture of {target.key} in the archive or under {replay_dir}")
    path = candidates[-1]
    day = date.fromisoformat(path.parent.parent.name)
    body = path.read_bytes()
    sha = archive.put(body)
    return body, CaptureMeta(source.source_id, target.url, datetime.combine(day, REPLAY_FETCH_TIME), sha)


def latest_prices(source: Source, archive: RawArchive, replay_dir: Path) -> tuple[list[PriceFact], list[str]]:
    """Every target's newest capture parsed (Epoch AI's two tables are two targets): the price facts, and
    the captures' sha256s."""
    prices, shas = [], []
    for target in source.targets:
        body, meta = latest_capture(source, archive, replay_dir, target)
        prices.extend(parse_capture(source, body, meta).prices)
        shas.append(meta.sha256)
    return prices, shas


def dated_by_day(facts: list[PriceFact], today: date) -> dict[date, list[PriceFact]]:
    by_day: dict[date, list[PriceFact]] = defaultdict(list)
    for fact in facts:
        if fact.valid_from is not None and fact.valid_from <= today:
            by_day[fact.valid_from].append(fact)
    return dict(sorted(by_day.items()))


def gate(source_id: str, by_day: dict[date, list[PriceFact]]) -> None:
    """Run the raw_price_facts suite on every row the backfill would write, before writing any."""
    now = datetime.now(UTC)
    rows = [
        {**fact.model_dump(), "partition_date": day, "loaded_at": now}
        for day, facts in by_day.items()
        for fact in facts
    ]
    result = validate(pd.DataFrame(rows), "raw_price_facts")
    if not result.success:
        raise BackfillError(f"{source_id}: the backfill rows fail the raw gate:\n{result.summary()}")


def backfill_source(con, source: Source, settings: Settings, today: date, progress: Progress) -> SourceBackfill:
    prices, shas = latest_prices(source, RawArchive(settings.archive), settings.replay_dir)
    by_day = dated_by_day(prices, today)
    report = SourceBackfill(source.source_id, ", ".join(shas), dated_facts=sum(len(v) for v in by_day.values()))
    if not by_day:
        return report
    gate(source.source_id, by_day)
    captured = {
        row[0]
        for row in con.execute(
            "SELECT DISTINCT partition_date FROM raw.fetches WHERE source_id = ?", [source.source_id]
        ).fetchall()
    }
    task = progress.add_task(f"backfill {source.source_id}", total=len(by_day))
    for day, facts in by_day.items():
        if day in captured:
            report.days_kept.append(day)
        else:
            # no fetch rows: these days hold no capture of their own, so the drift check's "previous
            # capture" stays the last real one
            load_source_day(con, source.source_id, day, [], ParseResult(prices=facts))
            report.days_loaded += 1
        progress.advance(task)
    report.first_day, report.last_day = min(by_day), max(by_day)
    return report


def run_backfill(settings: Settings, source_ids: tuple[str, ...] = HISTORY_SOURCES, today: date | None = None,
                 console: Console | None = None, progress: Progress | None = None) -> list[SourceBackfill]:
    """Backfill each history source; ``progress`` is a live display to add tasks to (rich allows one at a
    time), else one of our own is shown."""
    today = today or datetime.now(UTC).date()
    reports = []
    sources = [get_source(source_id) for source_id in source_ids]  # a typo fails before the warehouse is opened
    with contextlib.ExitStack() as stack:
        if progress is None:
            # transient: the bar is for watching; the per-source lines printed above it are the record
            progress = stack.enter_context(Progress(console=console or Console(), transient=True))
        con = stack.enter_context(writer(settings.warehouse))
        ensure_raw_schema(con)
        for source in sources:
            reports.append(backfill_source(con, source, settings, today, progress))
    return reports

