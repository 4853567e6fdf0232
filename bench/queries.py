"""Analyst queries: how long the README's own questions take on the published copy, and the CLI's start-up.

The named, committed set is the README's query page (the ``sql`` blocks under "Questions the marts
answer"): what the project promises analysts is what is timed, so a new question there is benchmarked
without anyone remembering to add it here. Each statement is named by the question above its block
(``q3.1`` = third question, first statement).

Figures: in-process wall time per statement on one read-only connection (``warehouse.connection.analyst``,
as ``costcurve sql`` opens it), p50 / p95 / max over the timed repetitions; and the start-up cost a person
pays per ``costcurve sql`` call: ``import costcurve.cli`` in a fresh interpreter, and a whole
``costcurve sql "SELECT 1"`` process.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench.timing import ROOT, measure, ms

README = ROOT / "README.md"
SECTION = "### Questions the marts answer"
_SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)


@dataclass(frozen=True)
class Query:
    name: str
    question: str
    sql: str


def readme_queries(readme: Path = README) -> list[Query]:
    """Every statement of every ``sql`` block in the README's query page, named by its question."""
    text = readme.read_text()
    start = text.index(SECTION)
    end = text.find("\n### ", start + len(SECTION))
    section = text[start:end if end != -1 else None]
    queries, position = [], 0
    for number, block in enumerate(_SQL_BLOCK.finditer(section), start=1):
        question = _question_before(section[position:block.start()])
        position = block.end()
        statements = [s.query for s in duckdb.extract_statements(block.group(1))]
        for part, sql in enumerate(statements, start=1):
            queries.append(Query(f"q{number}.{part}", question, sql.strip()))
    if not queries:
        raise ValueError(f"no sql blocks under {SECTION!r} in {readme}")
    return queries


def _question_before(prose: str) -> str:
    """The first sentence of the paragraph above a block: the question it answers."""
    paragraph = [line for line in prose.strip().split("\n\n")[-1].splitlines() if line.strip()]
    match = re.match(r"(.+?[?:.])(\s|$)", " ".join(paragraph))
    return match.group(1).rstrip(":") if match else " ".join(paragraph)


def run(published: Path, repeat: int, warmup: int) -> dict:
    """Time each README query on ``published`` and the CLI's start-up. Needs a built, published warehouse."""
    from warehouse.connection import analyst

    rows = []
    with analyst(published) as con:
        for query in readme_queries():
            timing, result = measure(lambda _k, sql=query.sql: con.execute(sql).fetchall(),
                                     repeat=repeat, warmup=warmup)
            rows.append({"name": query.name, "question": query.question, "rows": len(result),
                         "p50_ms": ms(statistics.median(timing.samples)), "p95_ms": ms(_p95(timing.samples)),
                         "max_ms": ms(timing.max), "samples_ms": [ms(s) for s in timing.samples]})
    return {"published": str(published), "queries": rows,
            "p95_of_all_ms": ms(_p95([s / 1000 for r in rows for s in r["samples_ms"]])),
            "startup": startup(published, repeat=min(repeat, 5))}


def startup(published: Path, repeat: int) -> dict:
    """Median seconds of a fresh ``import costcurve.cli`` and of a whole ``costcurve sql "SELECT 1"``."""
    cli = Path(sys.executable).with_name("costcurve")
    env_published = {"COSTCURVE_PUBLISHED": str(published)}
    figures = {}
    for name, argv in (("import costcurve.cli", [sys.executable, "-c", "import costcurve.cli"]),
                       ('costcurve sql "SELECT 1"', [str(cli), "sql", "SELECT 1"])):
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, cwd=ROOT,
                           env={**os.environ, **env_published})
            samples.append(time.perf_counter() - started)
        figures[name] = {"median_ms": ms(statistics.median(samples)), "min_ms": ms(min(samples)),
                         "samples_ms": [ms(s) for s in samples]}
    return figures


def _p95(samples: list[float]) -> float:
    """The 95th percentile (inclusive method); the largest sample when there are fewer than two."""
    if len(samples) < 2:
        return max(samples)
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]
