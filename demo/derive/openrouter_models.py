"""Write the openrouter_models demo capture (``demo/captures/2026-08-19/openrouter_models/models.json``)
from the real sample.

    .venv/bin/python demo/derive/openrouter_models.py [--samples ../shared/samples]

The sample (``openrouter/models.json``; its ``_provenance`` key: github.com/anuran-roy/unified-llm-pricing
``openrouter_models.json`` @ ef05c3be, 2026-08-19) is a subset (92 of 414) of a committed response of
``GET https://openrouter.ai/api/v1/models``, objects unmodified, in the live response's shape
``{"data": [...], "total_count", "links"}``. It is small, so every model object is kept, in the sample's
order, with every field but ``description`` (OpenRouter's marketing prose; the parser does not read
it). The top level is ``{"data": [...]}`` only: the sample's ``_provenance`` lives in SOURCE.yml, and its
``total_count`` (414) counts the original response, not these 92 objects. Prices stay the published
decimal strings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from _subset import REPO, dump_json, load_json, samples_dir, write  # noqa: E402

SOURCE_ID = "openrouter_models"
DAY = "2026-08-19"  # the sample's commit date (anuran-roy/unified-llm-pricing@ef05c3be)
SAMPLE = Path("openrouter/models.json")
OUT = REPO / "demo" / "captures" / DAY / SOURCE_ID / "models.json"
#: prose, not facts: left out of every kept object
PROSE = ("description",)


def derive(sample: bytes) -> bytes:
    data = load_json(sample)["data"]
    kept = [{key: value for key, value in model.items() if key not in PROSE} for model in data]
    return dump_json({"data": kept}, line_depth=2)


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
