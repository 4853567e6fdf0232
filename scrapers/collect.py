"""Get one source's captures for one day (live or replayed), archive them, and parse them.

This is the one path every source takes, so provenance, archiving and drift checks are uniform:
fetch (or read the replay folder) -> store in the raw archive -> manifest row -> pure parse.
Live fetches are conditional: a capture the server confirms unchanged (304) is neither stored nor
parsed again; the loader carries its rows forward from the day it was parsed.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from costcurve.config import PROJECT_ROOT
from scrapers.archive import ManifestRow, RawArchive, iso_utc
from scrapers.errors import CaptureMissingError, LayoutDriftError
from scrapers.http import HttpClient, Response
from scrapers.records import CaptureMeta, ParseResult
from scrapers.registry import Source, Target

#: a target kept in this repository (curated data), read from the checkout rather than fetched
REPO_SCHEME = "repo://"
#: replayed captures are stamped with the scheduled run time of their day, so re-runs are identical
REPLAY_FETCH_TIME = time(6, 0, tzinfo=UTC)
mimetypes.add_type("text/markdown", ".md")
mimetypes.add_type("application/yaml", ".yml")


@dataclass
class Collected:
    source_id: str
    partition_date: date
    fetches: list[ManifestRow] = field(default_factory=list)
    result: ParseResult = field(default_factory=ParseResult)
    #: captures the server confirmed unchanged (304): not parsed again; their rows are carried forward
    unchanged: list[ManifestRow] = field(default_factory=list)


def replay_path(replay_dir: Path, day: date, source_id: str, key: str) -> Path:
    return Path(replay_dir) / day.isoformat() / source_id / key


def replay_skip_reason(source: Source, day: date, replay_dir: Path) -> str | None:
    """Why a replayed day does not read ``source`` at all, or None.

    A replay day holds the sources that were really captured that day (the demo's days are the dates
    of real captures), so a source with no folder under the day was not captured then: it is skipped,
    not failed. A folder that lacks one of the source's captures is still ``CaptureMissingError``.
    Curated files kept in the repository are read on every day."""
    if all(target.url.startswith(REPO_SCHEME) for target in source.targets):
        return None
    if (Path(replay_dir) / day.isoformat() / source.source_id).is_dir():
        return None
    return f"not captured on {day.isoformat()}: the replay folder has no {source.source_id}/ for that day"


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
    bodies: dict[str, tuple[bytes, CaptureMeta]] = {}
    known_unchanged = _precheck(source, client, archive, collected)
    for target in source.targets:
        previous = None if client is None else archive.latest(source.source_id, target.key)
        if target.key in known_unchanged and previous is not None:
            collected.unchanged.append(previous)  # not even asked for: nothing new was filed
            continue
        resp = _capture(source, target, day, replay_dir, client, previous)
        if resp.status == 304 and previous is not None:
            row = _manifest_row(source, target, resp, previous.sha256, replayed=False)
            collected.unchanged.append(previous)
        else:
            row = _manifest_row(source, target, resp, archive.put(resp.body), replayed=client is None)
            meta = CaptureMeta(source.source_id, target.url, resp.fetched_at, row.sha256, resp.content_type)
            bodies[target.key] = (resp.body, meta)
        archive.record(row)
        collected.fetches.append(row)
    if bodies:
        collected.result.extend(_parse(source, bodies, archive, collected))
    return collected


def _precheck(source: Source, client: HttpClient | None, archive: RawArchive, collected: Collected) -> set[str]:
    """Live only: targets the source's precheck knows are unchanged (no new SEC filing)."""
    check = source.precheck_function()
    if client is None or check is None:
        return set()
    unchanged, fetched = check(source.source_id, client, archive, conditional_headers)
    collected.fetches.extend(fetched)
    return unchanged


def _capture(source: Source, target: Target, day: date, replay_dir: Path | None, client: HttpClient | None,
             previous: ManifestRow | None) -> Response:
    if target.url.startswith(REPO_SCHEME):
        return _repo_file(target, day)
    if client is None:
        return _replayed(source, target, day, replay_dir)
    headers = conditional_headers(previous)
    auth = getattr(source.parser, "request_headers", None)
    if auth is not None:
        headers.update(auth())  # an API key: never logged, never archived
    return client.get(source.source_id, target.url, headers=headers)


def _parse(source: Source, bodies: dict, archive: RawArchive, collected: Collected) -> ParseResult:
    """Per capture, or, for a source whose captures only make sense together (a CSV and the manifest
    that vouches for it), all at once through the module's ``parse_captures``; its 304'd captures are
    then read back from the archive."""
    together = getattr(source.parser, "parse_captures", None)
    if together is None:
        result = ParseResult()
        for body, meta in bodies.values():
            result.extend(parse_capture(source, body, meta))
        return result
    return _parse_together(source, together, bodies, archive, collected)


def _parse_together(source: Source, together, bodies: dict, archive: RawArchive, collected: Collected) -> ParseResult:
    """``parse_captures`` over the fetched bodies plus the 304'd ones read back from the archive."""
    for previous in collected.unchanged:
        bodies[previous.capture_key] = archived_capture(archive, previous)
    collected.unchanged = []
    result = together(bodies)
    if len(result) == 0:
        raise LayoutDriftError(source.source_id, source.targets[0].url, "parser returned no records")
    return result


def parse_capture(source: Source, body: bytes, meta: CaptureMeta) -> ParseResult:
    """Run the source's pure parser; a parse that yields nothing is layout drift, never an empty day."""
    result = source.parser.parse(body, meta)
    if len(result) == 0:
        raise LayoutDriftError(source.source_id, meta.url, "parser returned no records")
    return result


def archived_capture(archive: RawArchive, row: ManifestRow) -> tuple[bytes, CaptureMeta]:
    """A stored capture and the provenance of the fetch that stored it."""
    meta = CaptureMeta(row.source_id, row.url, datetime.fromisoformat(row.fetched_at), row.sha256, row.content_type)
    return archive.get(row.sha256), meta


def reparse_unchanged(source: Source, archive: RawArchive, collected: Collected) -> None:
    """Parse the archived bodies of 304'd captures: needed when the warehouse has no rows to carry
    forward (a fresh warehouse beside an old archive). A source whose captures only make sense together
    re-parses them together, as on the day they were fetched: alone, its manifest yields no records."""
    together = getattr(source.parser, "parse_captures", None)
    if together is not None and collected.unchanged:
        collected.result.extend(_parse_together(source, together, {}, archive, collected))
        return
    for previous in collected.unchanged:
        collected.result.extend(parse_capture(source, *archived_capture(archive, previous)))
    collected.unchanged = []


def conditional_headers(previous: ManifestRow | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the last capture, so an unchanged page costs a 304."""
    headers: dict[str, str] = {}
    if previous is not None and previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous is not None and previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    return headers


def _repo_file(target: Target, day: date) -> Response:
    """A curated file kept in this repository (``repo://<path>``): read as it is, in every mode."""
    path = PROJECT_ROOT / target.url.removeprefix(REPO_SCHEME)
    return Response(
        url=target.url,
        status=200,
        body=path.read_bytes(),
        content_type=mimetypes.guess_type(path.name)[0] or "text/plain",
        fetched_at=datetime.combine(day, REPLAY_FETCH_TIME),
    )


def _replayed(source: Source, target: Target, day: date, replay_dir: Path) -> Response:
    path = replay_path(replay_dir, day, source.source_id, target.key)
    if not path.is_file():
        raise CaptureMissingError(source.source_id, target.url, f"no replay capture at {path}")
    return Response(
        url=target.url,
        status=200,
        body=path.read_bytes(),
        content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        fetched_at=datetime.combine(day, REPLAY_FETCH_TIME),
    )


def _manifest_row(source: Source, target: Target, resp: Response, sha: str, *, replayed: bool) -> ManifestRow:
    return ManifestRow(
        source_id=source.source_id,
        capture_key=target.key,
        url=target.url,
        fetched_at=iso_utc(resp.fetched_at),
        http_status=resp.status,
        sha256=sha,
        bytes=len(resp.body),
        content_type=resp.content_type,
        replayed=replayed,
        etag=resp.etag,
        last_modified=resp.last_modified,
    )
