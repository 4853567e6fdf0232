"""bench/archive.py keeps working: run at a tiny size. Sizes are asserted (they are exact), times never."""

from bench import archive as bench_archive


def test_the_archive_bench_runs_at_a_tiny_size():
    captures = bench_archive.day_of_captures()[:3]
    got = bench_archive.run(days=4, years=0.02, repeat=1, warmup=0, latest_calls=2, captures=captures)
    assert got["fetches_per_day"] == 3 and got["history_days"] == 7
    assert got["size_ratio"] == 1.0  # unchanged days add no bytes
    assert got["history_lines"] == 3  # one line per capture: nothing changed
    assert got["latest_found"]
