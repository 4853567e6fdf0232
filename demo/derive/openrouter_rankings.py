"""Write the openrouter_rankings demo capture (the keyless ``rankings-daily`` export's CSV + manifest)
from real OpenRouter daily model activity in ../shared/samples.

    .venv/bin/python demo/derive/openrouter_rankings.py [--samples ../shared/samples]

Input: ``openrouter/usage-history/sui414/model_activity.csv`` (github.com/sui414/openrouter-pricing-data
``data/csv/model_activity.csv`` @ 0427e0ec, 2026-08-08): one row per model permaslug, variant and UTC day,
scraped daily from OpenRouter's model-activity stats (a rolling 31-day window, upserted). Deterministic:
the same sample gives the same bytes. The rules, each written to match what OpenRouter documents for
``rankings-daily`` or what the real export sample shows:

* **Tokens** = ``total_prompt_tokens + total_completion_tokens``. OpenRouter's rankings-daily reference
  says "Token totals are prompt_tokens + completion_tokens, matching the public rankings chart". Reasoning
  tokens are already inside completion and cached tokens inside prompt (cached <= prompt on every row), so
  adding either would count them twice.
* **Variants are rows of their own**, not folded: the export names ``:free`` variants as permaslugs of
  their own (``nvidia/nemotron-3-ultra-550b-a55b-20260604:free``, rank 8 on 2026-09-30), and OpenRouter's
  rankings response names each variant row ``variant_permaslug`` = permaslug, plus ``:<variant>`` unless
  the variant is ``standard``. We build that name; the parser later drops ``:free``/``:batch`` from
  ``model_id`` and keeps them apart in ``source_model_id``.
* **Model id column** = the permaslug as published, date suffix and all (``z-ai/glm-5.2-20260616``), as
  in the export; model_activity's ``model_slug`` (``z-ai/glm-5.2``) is not used. Stripping the date is the
  parser's job (``split_permaslug``).
* **Complete days only.** A day is complete when the latest scrape that wrote it ran after the day ended
  (UTC). The file's last day (2026-08-08, scraped 15:31 UTC that day) is partial and left out. A variant
  that stopped being scraped on the day it left the list keeps that day's last published value; any
  other row scraped before its day ended is refused.
* **Window**: the 30 consecutive complete days ending on the last complete day, as the export's trailing
  window. Per day: the top 50 by tokens (ties: permaslug ascending, ranks 1..50 unique), then one ``other``
  row (no rank) summing every other row of the day, so a day's total is every model of that day.
  ``share_of_daily_tokens`` = tokens / day total, as the shortest float text (this reproduces all 102 shares
  of the real export sample). CRLF line endings, as the real export.
* **Manifest**: the real manifest's keys; ``snapshot_date`` = the day after the last row (the export's
  2026-10-08 snapshot ends on 2026-10-07), which the parser stamps as ``as_of``; ``retrieved_at`` = the
  latest scrape time of the rows used; ``row_count``, ``bytes`` and ``sha256`` of our CSV. ``files`` names
  only the CSV (we write no JSON rendition) at its repo:// path; ``attribution`` carries OpenRouter's
  citation. OpenRouter data, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from scrapers.sources import openrouter_rankings as orr

REPO = Path(__file__).resolve().parents[2]
SAMPLE = Path("openrouter/usage-history/sui414/model_activity.csv")
DAY = "2026-08-08"  # the snapshot day: sui414's scrape of 2026-08-08 (commit 0427e0ec)
OUT = REPO / "demo" / "captures" / DAY / orr.SOURCE_ID
DAYS = 30  # the export's trailing window
TOP = 50
STANDARD = "standard"
NEEDED = ("permaslug", "variant", "date", "total_prompt_tokens", "total_completion_tokens", "last_scraped_at")
README_URL = "https://openrouter.ai/api/v1/datasets/exports/README.md"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


class Activity(NamedTuple):
    day: date
    slug: str  # the export's model_permaslug
    tokens: int
    scraped_at: datetime


def export_slug(permaslug: str, variant: str) -> str:
    """``("x/y-20260720", "free")`` -> ``"x/y-20260720:free"``; the standard variant has no suffix."""
    if not permaslug or ":" in permaslug or not variant:
        raise ValueError(f"unexpected permaslug/variant {permaslug!r}/{variant!r}")
    return permaslug if variant == STANDARD else f"{permaslug}:{variant}"


def read_activity(body: bytes) -> list[Activity]:
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    missing = set(NEEDED) - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"model_activity.csv lacks columns {sorted(missing)}")
    rows, seen = [], set()
    for row in reader:
        item = Activity(
            day=date.fromisoformat(row["date"]),
            slug=export_slug(row["permaslug"], row["variant"]),
            tokens=int(row["total_prompt_tokens"]) + int(row["total_completion_tokens"]),
            scraped_at=datetime.fromisoformat(row["last_scraped_at"]).astimezone(UTC),
        )
        if (item.day, item.slug) in seen:  # the upsert keeps one row per key: a repeat is not ours to sum
            raise ValueError(f"{item.slug} appears twice on {item.day}")
        seen.add((item.day, item.slug))
        rows.append(item)
    return rows


def _day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


def complete_days(rows: list[Activity]) -> list[date]:
    """Days whose latest scrape ran after the day ended; checks every early-scraped row is a last day."""
    latest: dict[date, datetime] = {}
    last_day: dict[str, date] = {}
    for row in rows:
        latest[row.day] = max(latest.get(row.day, row.scraped_at), row.scraped_at)
        last_day[row.slug] = max(last_day.get(row.slug, row.day), row.day)
    complete = {day for day, scraped in latest.items() if scraped >= _day_end(day)}
    for row in rows:
        if row.day in complete and row.scraped_at < _day_end(row.day) and last_day[row.slug] != row.day:
            raise ValueError(f"{row.slug} on {row.day} was last scraped at {row.scraped_at}, before the day "
                             "ended, yet has later days: a partial row inside the series")
    return sorted(complete)


def window(days: list[date], length: int) -> list[date]:
    """The ``length`` consecutive days ending on the last of ``days``; a gap is an error, never skipped."""
    if not days:
        raise ValueError("no complete day")
    wanted = [days[-1] - timedelta(days=n) for n in range(length - 1, -1, -1)]
    missing = sorted(set(wanted) - set(days))
    if missing:
        raise ValueError(f"days {missing} are not complete: no {length} consecutive days")
    return wanted


def share_text(tokens: int, total: int) -> str:
    """Shortest float text of the share (as the export), never in exponent notation."""
    text = repr(tokens / total)
    return format(Decimal(text), "f") if "e" in text else text


def day_rows(day: date, totals: dict[str, int], top: int = TOP) -> list[list[str]]:
    """The ``top`` rows of one day (tokens desc, then permaslug) and the ``other`` row."""
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    total = sum(totals.values())
    if total <= 0:
        raise ValueError(f"{day} has no tokens")
    rows = [[day.isoformat(), slug, str(rank), str(tokens), share_text(tokens, total)]
            for rank, (slug, tokens) in enumerate(ranked[:top], start=1)]
    other = sum(tokens for _, tokens in ranked[top:])
    rows.append([day.isoformat(), orr.OTHER, "", str(other), share_text(other, total)])
    return rows


def derive_csv(rows: list[Activity], days: list[date], top: int = TOP) -> bytes:
    per_day: dict[date, dict[str, int]] = defaultdict(dict)
    for row in rows:
        if row.day in days:
            per_day[row.day][row.slug] = row.tokens
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(orr.COLUMNS)
    for day in days:
        writer.writerows(day_rows(day, per_day[day], top))
    return out.getvalue().encode("utf-8")


def derive_manifest(csv_body: bytes, snapshot: date, retrieved_at: datetime) -> bytes:
    """The real manifest's keys, describing our CSV."""
    manifest = {
        "dataset": "rankings-daily",
        "schema_version": "v1",
        "snapshot_date": snapshot.isoformat(),
        "retrieved_at": retrieved_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "row_count": csv_body.count(b"\r\n") - 1,
        "update_cadence": "daily",
        "license": {"name": orr.LICENCE, "url": LICENCE_URL},
        "attribution": f"{orr.citation(snapshot)}. Licensed under CC BY 4.0.",
        "readme_url": README_URL,
        "files": {
            "csv": {
                "url": f"repo://demo/captures/{snapshot.isoformat()}/{orr.SOURCE_ID}/{orr.CSV_KEY}",
                "encoding_format": "text/csv",
                "bytes": len(csv_body),
                "sha256": hashlib.sha256(csv_body).hexdigest(),
            }
        },
        "latest": {
            "csv": orr.CSV_URL,
            "json": f"{orr.EXPORTS}/latest.json",
            "manifest": orr.MANIFEST_URL,
        },
    }
    return (json.dumps(manifest, indent=2) + "\n").encode("utf-8")


def derive(sample: bytes, length: int = DAYS, top: int = TOP) -> tuple[bytes, bytes]:
    """model_activity.csv -> (latest.csv, latest.manifest.json)."""
    rows = read_activity(sample)
    days = window(complete_days(rows), length)
    csv_body = derive_csv(rows, days, top)
    retrieved_at = max(row.scraped_at for row in rows if row.day in days)
    return csv_body, derive_manifest(csv_body, days[-1] + timedelta(days=1), retrieved_at)


def build_captures(samples: Path) -> dict[str, bytes]:
    """capture key -> bytes, as this script writes them from the samples folder."""
    csv_body, manifest = derive((samples / SAMPLE).read_bytes())
    return {orr.CSV_KEY: csv_body, orr.MANIFEST_KEY: manifest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    args = parser.parse_args()
    csv_body, manifest = derive((args.samples / SAMPLE).read_bytes())
    described = json.loads(manifest)
    if described["snapshot_date"] != DAY:
        raise SystemExit(f"the sample's snapshot is not {DAY}: update DAY and the demo folder")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / orr.CSV_KEY).write_bytes(csv_body)
    (OUT / orr.MANIFEST_KEY).write_bytes(manifest)
    print(f"wrote {(OUT / orr.CSV_KEY).relative_to(REPO)} ({described['row_count']} rows) and the manifest")


if __name__ == "__main__":
    main()
