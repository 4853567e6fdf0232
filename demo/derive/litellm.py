"""Write the litellm demo capture (``demo/captures/2026-07-24/litellm/model_prices_and_context_window.json``)
from the real sample.

    .venv/bin/python demo/derive/litellm.py [--samples ../shared/samples]

The sample (``datasets/litellm/model_prices_and_context_window.json``: BerriAI/litellm's cost map as
mirrored by github.com/RoCry/llm-api-price @ 8442b939, 2026-07-24) is the live file's shape: one object
keyed by LiteLLM model string. It holds 2,985 entries (1.5 MB), too many for the demo, so whole entries
are kept, in the sample's order, with every field as published, when all of these hold:

* ``mode`` is ``chat``, ``responses`` or ``completion``: the token-priced language models the cost curve
  is about (image, audio, embedding, rerank ... entries are left out);
* the seller (``litellm_provider``) is one costcurve parses (``_subset.SELLERS``; Google is ``gemini``,
  the Gemini API; Vertex AI is another seller), or the entry's model is one of the major open-weight
  families (``_subset.FAMILIES``, matched on the model id without the provider's own prefix) at a
  general open-weight host: a seller listing at least ``MIN_FAMILIES`` of those families in this file
  (deepinfra, novita, openrouter ...), so one family can be priced across many sellers. At a host, an
  entry also needs a positive input or output token price (ollama, a local runtime, lists 0) and must
  not be a region-specific copy (``bedrock/us-east-1/…``, ``us.…``, ``eu.…``) of a model whose
  region-free entry is there.

The sample's top-level ``last_updated`` (added by the mirror) and ``sample_spec`` are not model prices
and are left out. Numbers keep their published text (``2.5e-06``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from scrapers.sources.litellm import model_id_for

sys.path.append(str(Path(__file__).resolve().parent))
from _subset import REPO, dump_json, family, is_seller, load_json, samples_dir, write  # noqa: E402

SOURCE_ID = "litellm"
DAY = "2026-07-24"  # the mirror's commit date (RoCry/llm-api-price@8442b939)
SAMPLE = Path("datasets/litellm/model_prices_and_context_window.json")
OUT = REPO / "demo" / "captures" / DAY / SOURCE_ID / "model_prices_and_context_window.json"
LLM_MODES = {"chat", "responses", "completion"}
#: a reseller listing at least this many of the open-weight families is a general open-weight host
MIN_FAMILIES = 6
_REGION_PREFIX = re.compile(r"^(?:bedrock/[a-z]{2}(?:-gov)?-[a-z]+-\d/|(?:us|eu|apac|au|jp|global)\.)")


def _model_family(key: str, entry: dict) -> str | None:
    return family(model_id_for(key, str(entry["litellm_provider"])))


def language_models(document: dict) -> dict[str, dict]:
    return {key: entry for key, entry in document.items()
            if isinstance(entry, dict) and "litellm_provider" in entry and entry.get("mode") in LLM_MODES}


def open_weight_hosts(entries: dict[str, dict]) -> set[str]:
    families: dict[str, set[str]] = defaultdict(set)
    for key, entry in entries.items():
        if (name := _model_family(key, entry)) is not None:
            families[entry["litellm_provider"]].add(name)
    return {provider for provider, names in families.items() if len(names) >= MIN_FAMILIES}


def _priced(entry: dict) -> bool:
    return any(Decimal(str(entry[key])) > 0 for key in ("input_cost_per_token", "output_cost_per_token")
               if key in entry)


def _regional_copy(key: str, entries: dict[str, dict]) -> bool:
    match = _REGION_PREFIX.match(key)
    rest = key[match.end():] if match else ""
    return bool(rest) and (rest in entries or f"bedrock/{rest}" in entries)


def at_host(key: str, entry: dict, hosts: set[str], entries: dict[str, dict]) -> bool:
    return (entry["litellm_provider"] in hosts and _model_family(key, entry) is not None and _priced(entry)
            and not _regional_copy(key, entries))


def derive(sample: bytes) -> bytes:
    entries = language_models(load_json(sample))
    hosts = open_weight_hosts(entries)
    kept = {key: entry for key, entry in entries.items()
            if is_seller(entry["litellm_provider"]) or at_host(key, entry, hosts, entries)}
    return dump_json(kept, line_depth=1)


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
