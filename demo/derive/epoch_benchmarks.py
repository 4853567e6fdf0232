"""Write the epoch_benchmarks demo captures from the real Epoch AI tables in ../shared/samples.

    .venv/bin/python demo/derive/epoch_benchmarks.py [--samples ../shared/samples]

Deterministic: the same samples give the same bytes. Each of the two tables keeps only the columns the
parser reads (``Model Name``, ``Release Date``, ``USD per 1M Tokens`` and the six benchmark columns, in
the files' order) and every row (all are language models), cells as published, written by our own CSV
writer. Artificial Analysis' speed columns (known to the parser, not read) are left out. Epoch AI data,
CC BY 4.0: "Epoch AI, 'LLM inference prices have fallen rapidly but unequally across tasks'".
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from scrapers.sources import epoch_benchmarks as epoch

REPO = Path(__file__).resolve().parents[2]
#: capture key -> the real table in ../shared/samples
SAMPLES = {name: Path(f"datasets/epoch/llm-benchmark-efficiency__{name}") for name in epoch.URLS}
DAY = "2025-03-13"  # the day of the samples' commit, epoch-research/llm-benchmark-efficiency@34b92331
OUT = REPO / "demo" / "captures" / DAY / epoch.SOURCE_ID
READ = [name for name in epoch.COLUMNS if name not in epoch.NOT_READ]


def derive(sample: bytes) -> bytes:
    reader = csv.DictReader(io.StringIO(sample.decode("utf-8-sig"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(READ)
    for row in reader:
        writer.writerow([row[name] for name in READ])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for key, sample in SAMPLES.items():
        body = derive((args.samples / sample).read_bytes())
        (OUT / key).write_bytes(body)
        print(f"wrote {(OUT / key).relative_to(REPO)} ({len(body.splitlines()) - 1} rows)")


if __name__ == "__main__":
    main()
