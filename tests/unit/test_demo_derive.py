"""The demo captures written by ``demo/derive/*.py`` are what those scripts write now from the real samples.

A changed script, a hand-edited capture or a changed sample fails here. Each script is loaded from its
file (``demo/derive`` is not a package) and asked for the capture's bytes: through ``build(samples)`` when it
has one, else ``derive(<bytes of SAMPLE>)`` for a single-sample script; it names its output in ``OUT``
(a folder when the script writes several captures: then ``build_captures(samples)`` gives each one). The
tests skip, with the reason, when the samples are not beside the repository.

For the dataset captures the stricter half of the provenance check runs here too: every price fact the
parser yields from the demo capture, dates, raw value and model name included, is a fact it yields from the
real sample (the generic provenance test compares the price dimensions only).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from scrapers.records import CaptureMeta, PriceFact
from scrapers.registry import get_source

REPO = Path(__file__).resolve().parents[2]
DERIVE = REPO / "demo" / "derive"
SCRIPTS = sorted(p for p in DERIVE.glob("*.py") if not p.name.startswith("_"))
#: the demo captures derive from datasets whose parser reads the real sample as it is
DATASET_SCRIPTS = ("models_dev", "litellm", "litellm_history", "llm_prices", "openrouter_models", "genai_prices")
PROVENANCE_FIELDS = {"source_id", "source_url", "fetched_at", "raw_sha256", "parser_version"}


def samples() -> Path:
    path = Path(os.environ.get("COSTCURVE_SAMPLES") or REPO.parent / "shared" / "samples")
    if not path.is_dir():
        pytest.skip(f"real captures not found at {path} (set COSTCURVE_SAMPLES to the shared/samples folder)")
    return path


def load(script: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"demo_derive_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def expected(module: ModuleType, folder: Path) -> bytes:
    if hasattr(module, "build"):
        return module.build(folder)
    sample = folder / module.SAMPLE
    if not sample.exists():
        pytest.skip(f"sample {sample} not found")
    return module.derive(sample.read_bytes())


def test_there_are_derivations():
    assert {p.stem for p in SCRIPTS} >= set(DATASET_SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_committed_capture_is_what_the_script_writes(script: Path):
    folder = samples()
    module = load(script)
    out = Path(module.OUT)
    if out.is_dir() and hasattr(module, "build_captures"):  # one script, several captures of one source
        written = module.build_captures(folder)
        assert written, f"{script.relative_to(REPO)} writes no capture"
        for key, body in written.items():
            assert (out / key).read_bytes() == body, (
                f"{(out / key).relative_to(REPO)} differs from what {script.relative_to(REPO)} writes now")
        return
    assert out.is_file(), f"{out.relative_to(REPO)} is missing: run .venv/bin/python {script.relative_to(REPO)}"
    assert out.read_bytes() == expected(module, folder), (
        f"{out.relative_to(REPO)} differs from what {script.relative_to(REPO)} writes now: re-run it and commit"
    )


def parsed(source_id: str, paths: list[Path]) -> list[PriceFact]:
    source = get_source(source_id)
    facts = []
    for path in paths:
        body = path.read_bytes()
        meta = CaptureMeta(source_id, source.targets[0].url, datetime(2026, 1, 1, tzinfo=UTC),
                           hashlib.sha256(body).hexdigest())
        facts.extend(source.parser.parse(body, meta).prices)
    return facts


def fact_key(fact: PriceFact) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in fact.model_dump().items() if k not in PROVENANCE_FIELDS))


@pytest.mark.parametrize("name", DATASET_SCRIPTS)
def test_every_demo_fact_with_its_dates_is_a_sample_fact(name: str):
    folder = samples()
    module = load(DERIVE / f"{name}.py")
    out = Path(module.OUT)
    provenance = yaml.safe_load((out.parent / "SOURCE.yml").read_text())
    assert provenance["source_id"] == module.SOURCE_ID == out.parent.name
    assert str(provenance["as_of"]) == module.DAY == out.parent.parent.name
    real = folder / provenance["real_capture"]
    sample_files = sorted(real.glob("*.json")) if real.is_dir() else [real]
    demo = parsed(module.SOURCE_ID, [out])
    sample = {fact_key(f) for f in parsed(module.SOURCE_ID, sample_files)}
    assert demo, f"{out.relative_to(REPO)} yields no price"
    missing = [f for f in demo if fact_key(f) not in sample]
    assert not missing, f"{len(missing)} demo facts are not in {real}: first {missing[0]!r}"
    assert len(demo) < len(sample) or name == "openrouter_models", "the demo capture is the whole sample"


def test_the_json_writer_keeps_each_number_as_published():
    subset = load(DERIVE / "_subset.py")
    body = b'{"a": {"input_cost_per_token": 2.5e-06, "output": 1.50, "n": 15, "name": "Qwen\\u00e9", "l": [1, 0.0]}}'
    written = subset.dump_json(subset.load_json(body), line_depth=1)
    assert written == '{\n "a":{"input_cost_per_token":2.5e-06,"output":1.50,"n":15,"name":"Qwené","l":[1,0.0]}\n}\n'.encode()


def test_the_keep_rule():
    subset = load(DERIVE / "_subset.py")
    assert subset.keep("fireworks_ai", "accounts/fireworks/models/some-new-model")  # a seller we parse
    assert subset.keep("deepinfra", "meta-llama/Llama-3.3-70B-Instruct")  # an open-weight family anywhere
    assert not subset.keep("amazon", "amazon-nova-pro")
    assert subset.family("openai/gpt-oss-120b") == "gpt-oss"
    assert subset.family("mistralai/mixtral-8x22b-instruct") == "mistral"
    assert subset.creator_org("~anthropic/claude-opus-latest") == "anthropic"
