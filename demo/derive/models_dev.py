"""Write the models_dev demo capture (``demo/captures/2026-07-02/models_dev/api.json``) from the real sample.

    .venv/bin/python demo/derive/models_dev.py [--samples ../shared/samples]

The sample (``datasets/models.dev/models_dev_subset.json``, github.com/anomalyco/models.dev @ f3fc6922,
2026-07-02) is the repository's source files as one JSON: ``{"<provider>": {"provider.toml": {...},
"models/<model id>.toml": {...}}}``. What is fetched live is the published ``https://models.dev/api.json``:
``{"<provider>": {"id", ..., "models": {"<model id>": {"id", ...}}}}``. So the capture is re-shaped into
the api.json layout: each provider object is its ``provider.toml`` fields plus ``id`` and ``models``; each
model is its ``.toml`` fields plus ``id`` (the file path without ``models/`` and ``.toml``), fields and
values as in the sample. An entry that only points at a shared definition through ``base_model`` stays
as it is (api.json has it merged; the shared definitions are not in the sample), so it yields the same
records from both shapes.

Kept: every model of the sellers costcurve parses (``_subset.SELLERS``: all providers of the sample but
openrouter), and at openrouter the models of the major open-weight families and of the sellers' own
orgs (``openai/…``, ``anthropic/…``: their ``open_weights: false`` is the closed side of the open/closed
split). Left out: the other openrouter models (aion-labs, amazon, nvidia ...). Deterministic: the
sample's order, numbers as published.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from _subset import REPO, by_seller_creator, dump_json, keep, load_json, samples_dir, write  # noqa: E402

SOURCE_ID = "models_dev"
DAY = "2026-07-02"  # the sample's commit date (anomalyco/models.dev@f3fc6922)
SAMPLE = Path("datasets/models.dev/models_dev_subset.json")
OUT = REPO / "demo" / "captures" / DAY / SOURCE_ID / "api.json"
MODEL_PREFIX, MODEL_SUFFIX = "models/", ".toml"


def kept(provider_id: str, model_id: str) -> bool:
    return keep(provider_id, model_id) or by_seller_creator(model_id)


def derive(sample: bytes) -> bytes:
    document = load_json(sample)
    providers = {}
    for provider_id, files in document.items():
        if provider_id.startswith("_"):
            continue  # the sample's own _provenance note
        models = {}
        for key, entry in files.items():
            if not (key.startswith(MODEL_PREFIX) and key.endswith(MODEL_SUFFIX)):
                continue
            model_id = key[len(MODEL_PREFIX):-len(MODEL_SUFFIX)]
            if kept(provider_id, model_id):
                models[model_id] = {"id": model_id, **entry}
        if models:
            providers[provider_id] = {"id": provider_id, **files.get("provider.toml", {}), "models": models}
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
