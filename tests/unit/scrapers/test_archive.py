"""The raw archive: content-addressed, gzip, deduplicated, manifest idempotent."""

from __future__ import annotations

import gzip

import pytest

from scrapers.archive import ManifestRow, RawArchive, sha256_hex


def row(sha: str, fetched_at: str = "2026-11-20T06:00:00+00:00") -> ManifestRow:
    return ManifestRow("src", "page.md", "https://x/page.md", fetched_at, 200, sha, 3, "text/markdown", True)


def test_identical_bodies_are_stored_once(tmp_path):
    archive = RawArchive(tmp_path)
    first = archive.put(b"abc")
    second = archive.put(b"abc")
    third = archive.put(b"abd")
    assert first == second == sha256_hex(b"abc")
    assert third != first
    assert archive.object_count() == 2
    assert gzip.decompress(archive.object_path(first).read_bytes()) == b"abc"
    assert archive.get(first) == b"abc"


def test_corrupt_object_is_detected(tmp_path):
    archive = RawArchive(tmp_path)
    sha = archive.put(b"abc")
    archive.object_path(sha).write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(ValueError, match="corrupt"):
        archive.get(sha)


def test_manifest_records_each_fetch_once(tmp_path):
    archive = RawArchive(tmp_path)
    sha = archive.put(b"abc")
    assert archive.record(row(sha)) is True
    assert archive.record(row(sha)) is False  # the same replayed fetch again
    assert archive.record(row(sha, "2026-11-21T06:00:00+00:00")) is True  # a new fetch of the same body
    assert [r.fetched_at for r in archive.rows()] == ["2026-11-20T06:00:00+00:00", "2026-11-21T06:00:00+00:00"]
    assert archive.object_count() == 1
