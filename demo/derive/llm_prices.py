"""Write the llm_prices demo capture (``demo/captures/2026-08-05/llm_prices/historical-v1.json``) from the
real sample.

    .venv/bin/python demo/derive/llm_prices.py [--samples ../shared/samples]

The sample is the repository's per-vendor data files (``datasets/simonw_llm-prices/<vendor>.json``,
github.com/simonw/llm-prices ``data/*.json`` @ 723ef0bd, 2026-08-05): ``{"vendor", "models": [{"id",
"name", "price_history": [{"input", "output", "input_cached", "from_date", "to_date"}]}]}``. What is
fetched live is the published build ``https://www.llm-prices.com/historical-v1.json``: ``{"prices":
[{"id", "vendor", "name", "input", "output", "input_cached", "from_date", "to_date"}]}``, one row per model
and price period. The repository's build script (``scripts/build.py``, read @ 510f9a3a) makes its
historical build that way: every ``price_history`` entry becomes one row carrying its model's ``id`` and
``name`` and its file's ``vendor``. This derivation does the same, vendor files in name order, models
and periods in file order (the site's build sorts rows differently; the parser does not care about row
order). Values are as published (numbers keep their text).

Kept (``_subset.keep``): every model of the vendors costcurve parses, and qwen's by family name. Left
out: amazon (Nova) and meta-ai (Muse Spark, not Llama): neither a seller costcurve parses nor a major
open-weight family. Every dated period of the sample is kept (all belong to kept models).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from _subset import REPO, dump_json, keep, load_json, samples_dir, write  # noqa: E402

SOURCE_ID = "llm_prices"
DAY = "2026-08-05"  # the sample's commit date (simonw/llm-prices@723ef0bd)
SAMPLE_DIR = Path("datasets/simonw_llm-prices")
OUT = REPO / "demo" / "captures" / DAY / SOURCE_ID / "historical-v1.json"
#: the row keys of the published build, in its order
ROW_KEYS = ("id", "vendor", "name", "input", "output", "input_cached", "from_date", "to_date")


def rows(vendor_file: dict) -> list[dict]:
    vendor = vendor_file["vendor"]
    out = []
    for model in vendor_file["models"]:
        if not keep(vendor, model["id"]):
            continue
        for period in model["price_history"]:
            row = {"id": model["id"], "vendor": vendor, "name": model["name"], **period}
            out.append({key: row[key] for key in ROW_KEYS if key in row})
    return out


def derive(vendor_files: list[bytes]) -> bytes:
    prices = [row for body in vendor_files for row in rows(load_json(body))]
    return dump_json({"prices": prices}, line_depth=2)


def build(samples: Path | None = None) -> bytes:
    """The capture's bytes, from the samples folder (default: ``COSTCURVE_SAMPLES`` or ../shared/samples)."""
    files = sorted((samples_dir(samples) / SAMPLE_DIR).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no vendor files in {samples_dir(samples) / SAMPLE_DIR}")
    return derive([path.read_bytes() for path in files])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=None)
    args = parser.parse_args()
    write(OUT, build(args.samples))


if __name__ == "__main__":
    main()
