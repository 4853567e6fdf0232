"""The raw archive: content-addressed, gzip, deduplicated, manifest idempotent."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import date, timedelta
from pathlib import Path

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


def test_history_gains_a_line_only_when_the_capture_changes(tmp_path):
    archive = RawArchive(tmp_path)
    sha = archive.put(b"abc")
    assert archive.record(row(sha)) is True
    assert archive.record(row(sha)) is False  # the same replayed fetch again
    assert archive.record(row(sha, "2026-11-21T06:00:00+00:00")) is False  # a new fetch of the same body
    assert [r.fetched_at for r in archive.rows()] == ["2026-11-20T06:00:00+00:00"]
    assert archive.last_checked("src", "page.md").fetched_at == "2026-11-21T06:00:00+00:00"
    other = archive.put(b"abd")
    assert archive.record(row(other, "2026-11-22T06:00:00+00:00")) is True
    assert [r.sha256 for r in archive.history("src", "page.md")] == [sha, other]
    assert archive.latest("src", "page.md").sha256 == other
    assert archive.object_count() == 2


def archive_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def test_a_year_of_unchanged_days_costs_no_more_than_one_day(tmp_path):
    archive = RawArchive(tmp_path)
    sha = archive.put(b"abc")
    archive.record(row(sha))
    one_day = archive_bytes(tmp_path)
    for n in range(1, 365):
        day = (date(2026, 11, 20) + timedelta(days=n)).isoformat()
        archive.record(row(sha, f"{day}T06:00:00+00:00"))
    assert archive_bytes(tmp_path) == one_day  # the checked record is replaced, not appended
    assert len(archive.history("src", "page.md")) == 1
    assert archive.last_checked("src", "page.md").fetched_at == "2027-11-19T06:00:00+00:00"


def test_a_304_moves_the_checked_record_but_not_the_history(tmp_path):
    archive = RawArchive(tmp_path)
    sha = archive.put(b"abc")
    archive.record(row(sha))
    confirmed = dataclasses.replace(row(sha, "2026-11-21T06:00:00+00:00"), http_status=304, bytes=0)
    assert archive.record(confirmed) is False
    assert archive.latest("src", "page.md") == row(sha)
    assert archive.last_checked("src", "page.md") == confirmed


def test_new_validators_are_kept_for_the_next_conditional_get(tmp_path):
    archive = RawArchive(tmp_path)
    sha = archive.put(b"abc")
    archive.record(dataclasses.replace(row(sha), etag='"v1"'))
    assert archive.record(dataclasses.replace(row(sha, "2026-11-21T06:00:00+00:00"), etag='"v2"')) is True
    assert archive.latest("src", "page.md").etag == '"v2"'


def test_replaying_a_past_day_gives_that_days_capture(tmp_path):
    archive = RawArchive(tmp_path)
    a, b = archive.put(b"abc"), archive.put(b"abd")
    archive.record(row(a, "2026-11-20T06:00:00+00:00"))
    archive.record(row(b, "2026-11-25T06:00:00+00:00"))
    assert archive.capture_on("src", "page.md", date(2026, 11, 19)) is None
    assert archive.capture_on("src", "page.md", date(2026, 11, 24)).sha256 == a
    assert archive.capture_on("src", "page.md", date(2026, 11, 25)).sha256 == b


def test_an_earlier_day_filed_late_is_inserted_in_order(tmp_path):
    archive = RawArchive(tmp_path)
    a, b, c = archive.put(b"abc"), archive.put(b"abd"), archive.put(b"abe")
    archive.record(row(a, "2026-11-20T06:00:00+00:00"))
    archive.record(row(b, "2026-11-25T06:00:00+00:00"))
    assert archive.record(row(a, "2026-11-22T06:00:00+00:00")) is False  # a re-run of a day already held
    assert archive.record(row(c, "2026-11-22T06:00:00+00:00")) is True
    assert [r.sha256 for r in archive.history("src", "page.md")] == [a, c, b]
    assert archive.latest("src", "page.md").sha256 == b
    assert archive.last_checked("src", "page.md").fetched_at == "2026-11-25T06:00:00+00:00"


def test_latest_reads_a_long_line_at_the_end_of_a_long_history(tmp_path):
    archive = RawArchive(tmp_path)
    for n in range(200):
        sha = archive.put(str(n).encode())
        archive.record(row(sha, f"2026-11-20T06:00:{n // 60:02d}.{n % 60:02d}+00:00"))
    long_etag = '"' + "e" * 10_000 + '"'  # longer than one tail chunk
    archive.record(dataclasses.replace(row(sha, "2026-11-21T06:00:00+00:00"), etag=long_etag))
    assert archive.latest("src", "page.md").etag == long_etag


def test_a_capture_key_stays_inside_its_source_folder(tmp_path):
    archive = RawArchive(tmp_path)
    sha = archive.put(b"abc")
    archive.record(dataclasses.replace(row(sha), capture_key="../../escape.md"))
    assert archive.history_path("src", "../../escape.md").parent == tmp_path / "captures" / "src"
    assert archive.latest("src", "../../escape.md").sha256 == sha


def legacy_line(sha: str, fetched_at: str, status: int = 200) -> str:
    return json.dumps(dataclasses.asdict(dataclasses.replace(row(sha, fetched_at), http_status=status)))


def test_a_legacy_manifest_is_migrated_once_and_kept(tmp_path):
    archive = RawArchive(tmp_path)
    a, b = archive.put(b"abc"), archive.put(b"abd")
    lines = [legacy_line(a, f"2026-11-{d}T06:00:00+00:00") for d in range(20, 25)]
    lines += [legacy_line(b, "2026-11-25T06:00:00+00:00"), legacy_line(b, "2026-11-26T06:00:00+00:00", 304)]
    legacy = "\n".join(lines) + "\n"
    (tmp_path / "manifest.jsonl").write_text(legacy)
    migrated = RawArchive(tmp_path)
    assert [r.sha256 for r in migrated.history("src", "page.md")] == [a, b]
    assert migrated.latest("src", "page.md").fetched_at == "2026-11-25T06:00:00+00:00"
    assert migrated.last_checked("src", "page.md").http_status == 304
    assert migrated.capture_on("src", "page.md", date(2026, 11, 22)).sha256 == a
    assert not (tmp_path / "manifest.jsonl").exists()
    assert (tmp_path / "manifest.legacy.jsonl").read_text() == legacy  # nothing lost
    again = RawArchive(tmp_path)  # a second open finds nothing to migrate
    assert again.rows() == migrated.rows()
