"""The raw archive: every fetched body, gzip-compressed under its sha256, never deleted.

Layout under the archive root::

    objects/<sha[:2]>/<sha>.gz              one file per distinct capture (identical bodies are stored once)
    captures/<source_id>/<key>.jsonl        the capture's history: one line per *change* (a new sha256 or
                                            new validators), sorted by fetched_at; a fetch that brings back
                                            what the last line holds adds nothing
    captures/<source_id>/<key>.checked.json the newest fetch of any status (a 304 included), replaced in
                                            place: the cheap proof the source was checked that day
    manifest.legacy.jsonl                   the old one-line-per-fetch manifest, kept after migration

Why per key and per change: the old single manifest gained a line per fetch per day and was re-read on
every call, so an archive of 365 identical days was 129x one day and ``latest()`` read the whole file.
Now an unchanged day adds no bytes (the ``.checked.json`` file is rewritten, not appended) and
``latest()`` reads the tail of one small file. Replaying a past day reads the line in effect that day
(``capture_on``). The archive sits behind this small class so that a later deployment can swap the local
folder for object storage (fsspec) without touching any source.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

LEGACY_MANIFEST = "manifest.jsonl"
LEGACY_KEPT = "manifest.legacy.jsonl"
#: bytes read from the end of a history file to find its last line (grown when a line is longer)
TAIL_CHUNK = 4096


@dataclass(frozen=True)
class ManifestRow:
    source_id: str
    capture_key: str
    url: str
    fetched_at: str  # ISO 8601, UTC
    http_status: int
    sha256: str
    bytes: int
    content_type: str
    replayed: bool
    #: validators the server sent, for the next conditional GET (If-None-Match / If-Modified-Since)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def identity(self) -> tuple:
        return (self.source_id, self.capture_key, self.fetched_at, self.sha256, self.http_status)

    @property
    def content(self) -> tuple:
        """What a history line records: a fetch with the same content as the line before adds nothing."""
        return (self.sha256, self.etag, self.last_modified)


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class RawArchive:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.captures = self.root / "captures"
        self.legacy_manifest = self.root / LEGACY_MANIFEST
        self._migrated = False

    # -- objects -------------------------------------------------------------------------------------

    def object_path(self, sha: str) -> Path:
        return self.objects / sha[:2] / f"{sha}.gz"

    def put(self, body: bytes) -> str:
        """Store ``body`` once under its sha256 and return the hash. Writes are atomic (temp + rename)."""
        sha = sha256_hex(body)
        path = self.object_path(sha)
        if path.exists():
            return sha
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            # mtime=0 keeps the gzip bytes a pure function of the body
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                gz.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha: str) -> bytes:
        with gzip.open(self.object_path(sha), "rb") as gz:
            body = gz.read()
        if sha256_hex(body) != sha:
            raise ValueError(f"archive object {sha} is corrupt (hash mismatch)")
        return body

    def object_count(self) -> int:
        return sum(1 for _ in self.objects.glob("*/*.gz")) if self.objects.exists() else 0

    # -- capture histories ---------------------------------------------------------------------------

    def history_path(self, source_id: str, capture_key: str) -> Path:
        return self.captures / _safe(source_id) / f"{_safe(capture_key)}.jsonl"

    def checked_path(self, source_id: str, capture_key: str) -> Path:
        return self.captures / _safe(source_id) / f"{_safe(capture_key)}.checked.json"

    def record(self, row: ManifestRow) -> bool:
        """File one fetch. The key's history gains a line only when the content changed (a 304 never
        adds one); the checked record always moves to the newest fetch. True if the history grew."""
        self._migrate()
        self._write_checked(row)
        if row.http_status == 304:
            return False
        return self._add_to_history(row)

    def history(self, source_id: str, capture_key: str) -> list[ManifestRow]:
        self._migrate()
        path = self.history_path(source_id, capture_key)
        return _read_rows(path) if path.exists() else []

    def rows(self) -> list[ManifestRow]:
        """Every history line of every capture (changes, not every fetch), oldest first."""
        self._migrate()
        if not self.captures.exists():
            return []
        rows = [r for path in self.captures.glob("*/*.jsonl") for r in _read_rows(path)]
        return sorted(rows, key=lambda r: (r.fetched_at, r.source_id, r.capture_key))

    def latest(self, source_id: str, capture_key: str) -> ManifestRow | None:
        """The newest capture of this key that returned a body (not a 304), if any: the history's last
        line, read from the end of the file so the cost does not grow with the history."""
        self._migrate()
        path = self.history_path(source_id, capture_key)
        return _last_row(path) if path.exists() else None

    def capture_on(self, source_id: str, capture_key: str, day: date) -> ManifestRow | None:
        """The capture in effect at the end of ``day`` (the last change filed on or before it): what a
        replay of that past day reads."""
        through = day.isoformat() + "T99"  # sorts after every time of that day
        held = [r for r in self.history(source_id, capture_key) if r.fetched_at <= through]
        return held[-1] if held else None

    def last_checked(self, source_id: str, capture_key: str) -> ManifestRow | None:
        """The newest fetch of this key of any status: when the source was last seen to answer."""
        self._migrate()
        path = self.checked_path(source_id, capture_key)
        return ManifestRow(**json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None

    def _write_checked(self, row: ManifestRow) -> None:
        path = self.checked_path(row.source_id, row.capture_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path.with_suffix(".lock")):
            current = self.last_checked(row.source_id, row.capture_key) if path.exists() else None
            if current is not None and current.fetched_at > row.fetched_at:
                return  # re-running an earlier day never moves the checked record back
            _atomic_write(path, json.dumps(asdict(row), sort_keys=True) + "\n")

    def _add_to_history(self, row: ManifestRow) -> bool:
        path = self.history_path(row.source_id, row.capture_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # several Dagster step processes may file at once; the lock is a file of its own because an
        # out-of-order insert replaces the history file (a lock on the old inode would not hold)
        with _locked(path.with_suffix(".lock")):
            last = _last_row(path) if path.exists() else None
            if last is None or row.fetched_at >= last.fetched_at:
                # the usual case, today's fetch: one look at the last line decides
                if last is not None and last.content == row.content:
                    return False
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(asdict(row), sort_keys=True) + "\n")
                return True
            # an earlier day filed late (a re-run or a backfill): insert in order, keep first-seen lines
            rows = _collapse(sorted(_read_rows(path) + [row], key=lambda r: r.fetched_at))
            before = _read_rows(path)
            if rows == before:
                return False
            _atomic_write(path, "".join(json.dumps(asdict(r), sort_keys=True) + "\n" for r in rows))
            return True

    # -- migration -----------------------------------------------------------------------------------

    def _migrate(self) -> None:
        """Move a legacy ``manifest.jsonl`` into per-key histories once, then keep it as
        ``manifest.legacy.jsonl`` (nothing is deleted). Safe to interrupt: the rename comes last and
        re-filing a line that is already there adds nothing."""
        if self._migrated:
            return
        self._migrated = True
        if not self.legacy_manifest.exists():
            return
        with _locked(self.root / ".migrate.lock"):
            if not self.legacy_manifest.exists():
                return  # another process finished it while we waited
            legacy = _read_rows(self.legacy_manifest)
            for row in sorted(legacy, key=lambda r: r.fetched_at):
                self.record(row)
            os.replace(self.legacy_manifest, self.root / LEGACY_KEPT)


def _safe(name: str) -> str:
    """A source id or capture key as one path component (keys are file names today; this keeps a key
    with a slash from escaping its folder)."""
    return quote(name, safe="._-@+")


def _read_rows(path: Path) -> list[ManifestRow]:
    with open(path, encoding="utf-8") as fh:
        return [ManifestRow(**json.loads(line)) for line in fh if line.strip()]


def _last_row(path: Path) -> ManifestRow | None:
    """The last line of a JSONL file, reading backwards in chunks from the end."""
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        chunk = TAIL_CHUNK
        while True:
            start = max(0, end - chunk)
            fh.seek(start)
            lines = fh.read(end - start).rstrip(b"\n").split(b"\n")
            if len(lines) > 1 or start == 0:
                last = lines[-1].strip()
                return ManifestRow(**json.loads(last)) if last else None
            chunk *= 2


def _collapse(rows: list[ManifestRow]) -> list[ManifestRow]:
    """Drop each line whose content equals the line before it: the history keeps first-seen lines."""
    kept: list[ManifestRow] = []
    for r in rows:
        if not kept or kept[-1].content != r.content:
            kept.append(r)
    return kept


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def iso_utc(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
