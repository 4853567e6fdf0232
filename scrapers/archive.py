"""The raw archive: every fetched body, gzip-compressed under its sha256, never deleted.

Layout under the archive root::

    objects/<sha[:2]>/<sha>.gz   one file per distinct capture (identical bodies are stored once)
    manifest.jsonl               one line per fetch: source_id, capture_key, url, fetched_at, http_status,
                                 sha256, bytes, content_type, replayed, etag, last_modified
                                 (a 304 line carries the sha256 of the capture it confirmed)

The manifest is append-only; an identical fetch (same source, key, time and sha) is recorded once, so a
replayed day that runs twice adds nothing. The archive sits behind this small class so that a later
deployment can swap the local folder for object storage (fsspec) without touching any source.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path


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


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class RawArchive:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.manifest = self.root / "manifest.jsonl"

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

    def record(self, row: ManifestRow) -> bool:
        """Append ``row`` to the manifest unless an identical fetch is already there. True if appended."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.manifest, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # several Dagster step processes may append at once
            fh.seek(0)
            if any(_identity(line) == row.identity for line in fh if line.strip()):
                return False
            fh.write(json.dumps(asdict(row), sort_keys=True) + "\n")
            fh.flush()
            return True

    def rows(self) -> list[ManifestRow]:
        if not self.manifest.exists():
            return []
        with open(self.manifest, encoding="utf-8") as fh:
            return [ManifestRow(**json.loads(line)) for line in fh if line.strip()]

    def latest(self, source_id: str, capture_key: str) -> ManifestRow | None:
        """The newest fetch of this capture that returned a body (not a 304), if any."""
        rows = [
            r for r in self.rows()
            if r.source_id == source_id and r.capture_key == capture_key and r.http_status != 304
        ]
        return max(rows, key=lambda r: r.fetched_at) if rows else None

    def object_count(self) -> int:
        return sum(1 for _ in self.objects.glob("*/*.gz")) if self.objects.exists() else 0


def _identity(line: str) -> tuple:
    row = json.loads(line)
    return (row["source_id"], row["capture_key"], row["fetched_at"], row["sha256"], row["http_status"])


def iso_utc(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
