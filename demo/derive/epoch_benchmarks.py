"""Write the epoch_benchmarks demo capture of Artificial Analysis' table (``aa_data_with_math5.csv``) from
the real table in ../shared/samples.

    .venv/bin/python demo/derive/epoch_benchmarks.py [--samples ../shared/samples]

Deterministic: the same sample gives the same bytes. It keeps the columns the parser reads (``Model
Name``, ``Release Date``, ``USD per 1M Tokens`` and the six benchmark columns, in the file's order) and
every row (all are language models), cells as published, written by our own CSV writer; Artificial
Analysis' speed and latency columns (known to the parser, not read) are left out. The source's other
table is written by ``epoch_benchmarks_epoch_prices.py``. Epoch AI data, CC BY 4.0: "Epoch AI, 'LLM
inference prices have fallen rapidly but unequally across tasks'".
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
KEY = epoch.AA_FILE
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
