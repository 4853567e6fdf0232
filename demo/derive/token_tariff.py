"""Write the token_tariff demo capture from the real timeline.csv in ../shared/samples.

    .venv/bin/python demo/derive/token_tariff.py [--samples ../shared/samples]

Deterministic: the same sample gives the same bytes. It keeps only the columns the parser reads
(``scrapers.sources.token_tariff.READ``, in that order) and every row (all are language models), cells as
published, written by our own CSV writer. The author's notes, the per-row source URLs, the current
(OpenRouter) prices, the tier and METR's keys are left out: the parser does not read them.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from scrapers.sources import token_tariff as tariff

REPO = Path(__file__).resolve().parents[2]
SAMPLE = Path("datasets/token-tariff/timeline.csv")
DAY = "2026-08-06"  # the day of the sample's commit, Prajwalsrinvas/token-tariff@dc2baf9d
OUT = REPO / "demo" / "captures" / DAY / tariff.SOURCE_ID / "timeline.csv"


def derive(sample: bytes) -> bytes:
    reader = csv.DictReader(io.StringIO(sample.decode("utf-8-sig"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(tariff.READ)
    for row in reader:
        writer.writerow([row[name] for name in tariff.READ])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    args = parser.parse_args()
    body = derive((args.samples / SAMPLE).read_bytes())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(body)
    print(f"wrote {OUT.relative_to(REPO)} ({len(body.splitlines()) - 1} rows)")


if __name__ == "__main__":
    main()
