"""Get one source's captures for one day (live or replayed), archive them, and parse them.

This is the one path every source takes, so provenance, archiving and drift checks are uniform:
fetch (or read the replay folder) -> store in the raw archive -> manifest row -> pure parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from scrapers.archive import ManifestRow, RawArchive, iso_utc
from scrapers.errors import CaptureMissingError, LayoutDriftError
from scrapers.http import HttpClient
from scrapers.records import CaptureMeta, ParseResult
from scrapers.registry import Source

#: replayed captures are stamped with the scheduled run time of their day, so re-runs are identical
REPLAY_FETCH_TIME = time(6, 0, tzinfo=UTC)


@dataclass
class Collected:
    source_id: str
    partition_date: date
    fetches: list[ManifestRow] = field(default_factory=list)
    result: ParseResult = field(default_factory=ParseResult)


def replay_path(replay_dir: Path, day: date, source_id: str, key: str) -> Path:
    return Path(replay_dir) / day.isoformat() / source_id / key


def collect(
    source: Source,
    day: date,
    archive: RawArchive,
    *,
    replay_dir: Path | None = None,
    client: HttpClient | None = None,
) -> Collected:
    """Capture, archive and parse every target of ``source`` for ``day``.

    Exactly one of ``replay_dir`` (offline) or ``client`` (live) is given. Raises the source's named
    error (``FetchError``, ``CaptureMissingError``, ``LayoutDriftError``) and lets nothing half-load.
    """
    if (replay_dir is None) == (client is None):
        raise ValueError("collect needs exactly one of replay_dir or client")
    collected = Collected(source.source_id, day)
    for target in source.targets:
        if replay_dir is not None:
            body, status, content_type, fetched_at = _replayed(source, target, day, replay_dir)
        else:
            resp = client.get(source.source_id, target.url)
            body, status, content_type, fetched_at = resp.body, resp.status, resp.content_type, resp.fetched_at
        sha = archive.put(body)
        row = ManifestRow(
            source_id=source.source_id,
            capture_key=target.key,
            url=target.url,
            fetched_at=iso_utc(fetched_at),
            http_status=status,
            sha256=sha,
            bytes=len(body),
            content_type=content_type,
            replayed=replay_dir is not None,
        )
        archive.record(row)
        collected.fetches.append(row)
        meta = CaptureMeta(source.source_id, target.url, fetched_at, sha, content_type)
        collected.result.extend(parse_capture(source, body, meta))
    return collected


def parse_capture(source: Source, body: bytes, meta: CaptureMeta) -> ParseResult:
    """Run the source's pure parser; a parse that yields nothing is layout drift, never an empty day."""
    result = source.parser.parse(body, meta)
    if len(result) == 0:
        raise LayoutDriftError(source.source_id, meta.url, "parser returned no records")
    return result


def _replayed(source: Source, target, day: date, replay_dir: Path):
    path = replay_path(replay_dir, day, source.source_id, target.key)
    if not path.is_file():
        raise CaptureMissingError(source.source_id, target.url, f"no replay capture at {path}")
    content_type = "application/json" if path.suffix == ".json" else "text/markdown"
    return path.read_bytes(), 200, content_type, datetime.combine(day, REPLAY_FETCH_TIME)
