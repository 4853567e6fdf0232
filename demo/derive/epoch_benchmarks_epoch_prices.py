"""Write the epoch_benchmarks demo capture of Epoch's own price table
(``epoch_ai_price_data_not_in_aa_with_benchmarks.csv``) from the real table in ../shared/samples.

    .venv/bin/python demo/derive/epoch_benchmarks_epoch_prices.py [--samples ../shared/samples]

Deterministic, and the same rule as ``epoch_benchmarks.py`` (which writes the source's other table, from
Artificial Analysis): the columns the parser reads, every row (all language models), cells as published,
our own CSV writer; the three speed columns (all empty in this table) are left out. Epoch AI data, CC BY
4.0: "Epoch AI, 'LLM inference prices have fallen rapidly but unequally across tasks'".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from _csv_columns import keep_columns  # noqa: E402
from _subset import REPO, samples_dir, write  # noqa: E402

from scrapers.sources import epoch_benchmarks as epoch  # noqa: E402

SOURCE_ID = epoch.SOURCE_ID
DAY = "2025-03-13"  # the day of the samples' commit, epoch-research/llm-benchmark-efficiency@34b92331
KEY = epoch.EPOCH_FILE
SAMPLE = Path(f"datasets/epoch/llm-benchmark-efficiency__{KEY}")
OUT = REPO / "demo" / "captures" / DAY / SOURCE_ID / KEY
READ = [name for name in epoch.COLUMNS if name not in epoch.NOT_READ]


def derive(sample: bytes) -> bytes:
    return keep_columns(sample, READ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=None)
    args = parser.parse_args()
    write(OUT, derive((samples_dir(args.samples) / SAMPLE).read_bytes()))


if __name__ == "__main__":
    main()
