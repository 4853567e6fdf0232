"""Write the genai_prices demo capture (``demo/captures/2026-08-21/genai_prices/data_v2.json``) from the
real sample.

    .venv/bin/python demo/derive/genai_prices.py [--samples ../shared/samples]

The sample (``datasets/pydantic_genai-prices/data_v2.json`` = ``prices/new_data/v2/data.json`` of
github.com/pydantic/genai-prices @ 47df840a, 2026-08-21) is the live feed's shape already: a list of
providers, each with ``models``. Kept, in the sample's order:

* providers: those with at least one kept model, with their fields as published except ``price_comments``;
* models: every model of a seller costcurve parses (``_subset.SELLERS``); at the other providers (aws,
  azure, openrouter, the huggingface_* routers ...) the models of the major open-weight families and the
  ``org/model`` ids of the sellers' own models (``anthropic/claude-…`` at openrouter); and every model with
  dated prices (a list of conditional prices), wherever sold, because dated prices are the history the
  backfill replays. Kept models keep every field but ``description`` and ``price_comments`` (the
  maintainers' prose; the parser reads neither).

Numbers keep their published text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from _subset import REPO, by_seller_creator, dump_json, keep, load_json, samples_dir, write  # noqa: E402

SOURCE_ID = "genai_prices"
DAY = "2026-08-21"  # the sample's commit date (pydantic/genai-prices@47df840a)
SAMPLE = Path("datasets/pydantic_genai-prices/data_v2.json")
OUT = REPO / "demo" / "captures" / DAY / SOURCE_ID / "data_v2.json"
#: prose, not facts: left out of kept providers and models
PROSE = ("description", "price_comments")


def has_dated_prices(model: dict) -> bool:
    return isinstance(model.get("prices"), list) and any(
        isinstance(p, dict) and "start_date" in (p.get("constraint") or {}) for p in model["prices"]
    )


def kept(provider_id: str, model: dict) -> bool:
    model_id = model["id"]
    return keep(provider_id, model_id) or by_seller_creator(model_id) or has_dated_prices(model)


def _without_prose(item: dict) -> dict:
    return {key: value for key, value in item.items() if key not in PROSE}


def derive(sample: bytes) -> bytes:
    providers = []
    for provider in load_json(sample):
        models = [_without_prose(m) for m in provider["models"] if kept(provider["id"], m)]
        if models:
            providers.append({**_without_prose(provider), "models": models})
    return dump_json(providers, line_depth=3)


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
