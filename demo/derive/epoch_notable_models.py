"""Write the epoch_notable_models demo capture from the real Epoch AI export in ../shared/samples.

    .venv/bin/python demo/derive/epoch_notable_models.py [--samples ../shared/samples]

Deterministic: the same sample gives the same bytes. It keeps only what the parser reads (the five
columns of ``scrapers.sources.epoch_notable_models.COLUMNS``, in that order) and only rows the parser
keeps (language models) published in 2019 or later, in the sample's row order, with the cells as
published (the parser's whitespace clean-up happens in the parser, not here). Epoch AI data, CC BY 4.0:
"Epoch AI, 'Notable AI Models', epoch.ai/data/notable-ai-models".
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from scrapers.sources import epoch_notable_models as epoch

REPO = Path(__file__).resolve().parents[2]
SAMPLE = Path("datasets/epoch_notable_ai_models/notable_ai_models.csv")
DAY = "2025-04-18"  # the day of the sample's commit (VinodGeorge24/AI_Benchmark@18b18f45)
OUT = REPO / "demo" / "captures" / DAY / epoch.SOURCE_ID / "notable_ai_models.csv"
FIRST_YEAR = "2019"


def derive(sample: bytes) -> bytes:
    reader = csv.DictReader(io.StringIO(sample.decode("utf-8-sig"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(epoch.COLUMNS)
    for row in reader:
        if epoch.is_language(row["Domain"]) and row["Publication date"] >= FIRST_YEAR:
            writer.writerow([row[name] for name in epoch.COLUMNS])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    args = parser.parse_args()
    body = derive((args.samples / SAMPLE).read_bytes())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(body)
    rows = len(list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))) - 1
    print(f"wrote {OUT.relative_to(REPO)} ({rows} rows)")


if __name__ == "__main__":
    main()
