"""Write the token_tariff demo capture from the real timeline.csv in ../shared/samples.

    .venv/bin/python demo/derive/token_tariff.py [--samples ../shared/samples]

Deterministic: the same sample gives the same bytes. It keeps only the columns the parser reads
(``scrapers.sources.token_tariff.READ``, in that order) and every row (all are language models), cells as
published, written by our own CSV writer. The author's notes, the per-row source URLs, the current
(OpenRouter) prices, the tier and METR's keys are left out: the parser does not read them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from _csv_columns import keep_columns  # noqa: E402
from _subset import REPO, samples_dir, write  # noqa: E402

from scrapers.sources import token_tariff as tariff  # noqa: E402

SOURCE_ID = tariff.SOURCE_ID
SAMPLE = Path("datasets/token-tariff/timeline.csv")
DAY = "2026-08-06"  # the day of the sample's commit, Prajwalsrinvas/token-tariff@dc2baf9d
OUT = REPO / "demo" / "captures" / DAY / tariff.SOURCE_ID / "timeline.csv"


def derive(sample: bytes) -> bytes:
    return keep_columns(sample, tariff.READ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=None)
    args = parser.parse_args()
    write(OUT, derive((samples_dir(args.samples) / SAMPLE).read_bytes()))


if __name__ == "__main__":
    main()
