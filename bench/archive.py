"""The raw archive over time: what 365 unchanged days cost next to one, and what a call costs at 5 years.

    .venv/bin/python bench/archive.py               # = make bench-archive (about a minute)
    .venv/bin/python bench/archive.py --years 1     # a smaller history

One "day" is the newest demo capture of every (source, capture key) in ``demo/captures`` (real captures,
see demo/captures/README.md), filed through ``scrapers.archive.RawArchive`` as the daily job files them
(``put`` then ``record``, stamped 06:00 UTC). The history is built by filing the same bodies on each
following day: the unchanged case, where cost must not grow with days. Reported: archive bytes after one
day and after 365 (ratio), ``latest()`` per call, and archiving one more day's fetches at the full history.
Figures, never asserted; ``tests/unit/test_bench_archive.py`` runs it at a tiny size so it keeps working.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__":
    sys.path[0] = str(ROOT)  # run as a script: import the project, not bench/ as top level

from bench.timing import loadavg, machine, measure, ms, timed  # noqa: E402
from scrapers.archive import ManifestRow, RawArchive, iso_utc  # noqa: E402

DEMO_CAPTURES = ROOT / "demo" / "captures"
#: the first day of the synthetic history (any day works; the bodies do not depend on it)
START = date(2026, 1, 1)
FETCH_TIME = time(6, 0, tzinfo=UTC)
#: files beside the captures that describe them (provenance notes), never fetched
NOT_CAPTURES = {"SOURCE.yml", "README.md"}


def day_of_captures(captures: Path = DEMO_CAPTURES) -> list[tuple[str, str, bytes]]:
    """(source_id, capture_key, body): the newest demo capture of every source and key."""
    newest: dict[tuple[str, str], Path] = {}
    for path in sorted(captures.glob("20*/*/*")):  # day folders sort by date: the last one wins
        if path.is_file() and path.name not in NOT_CAPTURES:
            newest[(path.parent.name, path.name)] = path
    return [(source_id, key, path.read_bytes()) for (source_id, key), path in sorted(newest.items())]


def file_day(archive: RawArchive, day: date, captures: list[tuple[str, str, bytes]]) -> None:
    """Store and record a day's fetches, as ``scrapers.collect`` does."""
    fetched_at = iso_utc(datetime.combine(day, FETCH_TIME))
    for source_id, key, body in captures:
        sha = archive.put(body)
        archive.record(ManifestRow(source_id, key, f"replay://{source_id}/{key}", fetched_at, 200, sha,
                                   len(body), "application/octet-stream", True))


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def run(days: int = 365, years: int = 5, repeat: int = 5, warmup: int = 2, latest_calls: int = 200,
        captures: list[tuple[str, str, bytes]] | None = None) -> dict:
    captures = day_of_captures() if captures is None else captures
    total_days = max(days, round(years * 365.25))
    with tempfile.TemporaryDirectory(prefix="costcurve-bench-archive-") as tmp:
        archive = RawArchive(Path(tmp))
        first_s, _ = timed(lambda: file_day(archive, START, captures))
        one_day = tree_bytes(archive.root)
        for n in range(1, days):
            file_day(archive, START + timedelta(days=n), captures)
        after_days = tree_bytes(archive.root)
        source_id, key, _ = captures[len(captures) // 2]
        latest, row = measure(lambda _k: [archive.latest(source_id, key) for _ in range(latest_calls)],
                              repeat=repeat, warmup=warmup)
        for n in range(days, total_days):
            file_day(archive, START + timedelta(days=n), captures)
        at_years = tree_bytes(archive.root)
        one_more, _ = measure(lambda k: file_day(archive, START + timedelta(days=total_days + k), captures),
                              repeat=repeat, warmup=warmup)
        history_lines = len(archive.rows())
    return {
        "fetches_per_day": len(captures),
        "body_bytes_per_day": sum(len(body) for _, _, body in captures),
        "archive_bytes_one_day": one_day,
        "days": days,
        f"archive_bytes_{days}_days": after_days,
        "size_ratio": round(after_days / one_day, 4),
        "latest_ms_per_call": round(latest.median * 1000 / latest_calls, 4),
        "latest_found": row[-1] is not None,
        "history_days": total_days,
        f"archive_bytes_{total_days}_days": at_years,
        "history_lines": history_lines,
        "archive_day_ms_day1": ms(first_s),
        "archive_day_ms_at_history": one_more.to_dict(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--days", type=int, default=365, help="unchanged days for the size ratio (default 365)")
    parser.add_argument("--years", type=float, default=5, help="history for the per-call figures (default 5)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    result = {"measured_at": started.isoformat(timespec="seconds"), "machine": machine(),
              "archive": run(args.days, args.years, args.repeat, args.warmup)}
    result["machine"]["loadavg_end"] = loadavg()
    print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
