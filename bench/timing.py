"""Timing helpers and the machine context every result is reported with.

Figures, not verdicts: nothing here asserts a speed. On a shared, noisy machine the median of several
repetitions (after warm-up runs) is the figure to read; min and max show how noisy the run was.
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: the packages whose versions the figures depend on
PACKAGES = ("duckdb", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "great-expectations", "polars",
            "pandas", "pyarrow", "pydantic")


@dataclass
class Timing:
    """Wall-clock samples (seconds) of the timed repetitions; warm-up runs are not in ``samples``."""

    samples: list[float] = field(default_factory=list)
    warmup: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def to_dict(self) -> dict:
        return {
            "median_ms": ms(self.median),
            "min_ms": ms(self.min),
            "max_ms": ms(self.max),
            "repeat": len(self.samples),
            "warmup": self.warmup,
            "samples_ms": [ms(s) for s in self.samples],
        }


def measure(fn: Callable[[int], Any], *, repeat: int, warmup: int) -> tuple[Timing, Any]:
    """Call ``fn(k)`` ``warmup`` times untimed, then ``repeat`` times timed with ``time.perf_counter``.

    ``k`` counts every call from 0 (warm-ups included), for benchmarks that need a fresh key per call.
    One full garbage collection runs before the series, outside the timing (not before every call: with
    a large heap alive, a full collection costs more than some of the calls measured). Returns the
    timing and the last call's result.
    """
    result = None
    timing = Timing(warmup=warmup)
    gc.collect()
    for k in range(warmup + repeat):
        started = time.perf_counter()
        result = fn(k)
        elapsed = time.perf_counter() - started
        if k >= warmup:
            timing.samples.append(elapsed)
    return timing, result


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """One call, timed: (seconds, result)."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def per_second(count: float, seconds: float) -> float | None:
    return round(count / seconds, 1) if seconds > 0 else None


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on every platform
        return None


def machine() -> dict:
    """CPU, memory, OS, Python and package versions, load average, and the commit measured."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on every platform
        usable = None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "versions": versions,
        "loadavg_start": loadavg(),
        "commit": _commit(),
    }


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def _commit() -> str | None:
    """HEAD of the checkout (read-only ``git rev-parse``); the working tree may differ from it."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None
