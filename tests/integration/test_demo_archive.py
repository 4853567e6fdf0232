"""The demo's raw archive after every demo day (and the last day re-run): each key's history replays any
past day's capture, and unchanged days added no history lines (issue 10)."""

from __future__ import annotations

from scrapers.archive import RawArchive, sha256_hex
from scrapers.collect import REPO_SCHEME, replay_path
from scrapers.registry import SOURCES


def test_every_demo_day_replays_from_the_archive(demo):
    box = demo["box"]
    archive = RawArchive(box.archive)
    checked = 0
    for day in demo["days"]:
        for source in SOURCES.values():
            for target in source.targets:
                path = replay_path(box.replay_dir, day, source.source_id, target.key)
                if target.url.startswith(REPO_SCHEME) or not path.is_file():
                    continue
                held = archive.capture_on(source.source_id, target.key, day)
                assert held is not None and held.sha256 == sha256_hex(path.read_bytes()), (day, source.source_id)
                assert archive.get(held.sha256) == path.read_bytes()
                checked += 1
    assert checked > len(demo["days"])  # every day held at least one capture


def test_a_history_line_is_a_change(demo):
    archive = RawArchive(demo["box"].archive)
    rows = archive.rows()
    by_key: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        by_key.setdefault((row.source_id, row.capture_key), []).append(row.sha256)
    for key, shas in by_key.items():
        assert all(a != b for a, b in zip(shas, shas[1:], strict=False)), key  # no line repeats the one before
    assert not (demo["box"].archive / "manifest.jsonl").exists()
