"""Write the litellm_history demo capture
(``demo/captures/2026-07-24/litellm_history/litellm_price_history_changepoints.csv``) from the real sample.

    .venv/bin/python demo/derive/litellm_history.py [--samples ../shared/samples]

The sample (``datasets/litellm/litellm_price_history_changepoints.csv``) is derived by the samples'
researcher from the 640 commits of github.com/RoCry/llm-api-price that touch LiteLLM's cost map
(2025-02-06 .. 2026-07-24): one row per run of identical prices of one key (see its PROVENANCE.md). It is
already the shape the parser reads, so the capture keeps the header and whole rows, cells as published,
in the sample's order, for every key the base rule keeps (``_subset.keep``: a seller costcurve parses,
or a model of the major open-weight families at any seller, matched on the model id without the
provider's own prefix). Every run of a kept key is kept, so its whole dated history survives. Left out:
the ``vertex_ai-language-models`` keys (Gemini on Vertex AI, a seller costcurve does not parse, as in the
litellm snapshot; the Gemini API's own history is the ``gemini`` rows). With them the capture would be the
whole sample, which a demo capture must not be.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from scrapers.sources.litellm import model_id_for

sys.path.append(str(Path(__file__).resolve().parent))
from _subset import REPO, keep, samples_dir, write  # noqa: E402

SOURCE_ID = "litellm_history"
DAY = "2026-07-24"  # the last commit the history covers (RoCry/llm-api-price@8442b939)
SAMPLE = Path("datasets/litellm/litellm_price_history_changepoints.csv")
OUT = REPO / "demo" / "captures" / DAY / SOURCE_ID / "litellm_price_history_changepoints.csv"


def kept(row: dict) -> bool:
    provider = row["litellm_provider"].strip().lower()
    return keep(provider, model_id_for(row["model_key"].strip(), provider))


def derive(sample: bytes) -> bytes:
    reader = csv.DictReader(io.StringIO(sample.decode("utf-8-sig"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row for row in reader if kept(row))
    return out.getvalue().encode("utf-8")


def build(samples: Path | None = None) -> bytes:
    """The capture's bytes, from the samples folder (default: ``COSTCURVE_SAMPLES`` or ../shared/samples)."""
    return derive((samples_dir(samples) / SAMPLE).read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=None)
    args = parser.parse_args()
    write(OUT, build(args.samples))


if __name__ == "__main__":
    main()
