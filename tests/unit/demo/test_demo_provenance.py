"""Every demo capture folder says where its facts come from, and the facts are really there.

``demo/captures/<day>/<source_id>/SOURCE.yml`` (format: ``demo/captures/README.md``) names the real capture
under ``../shared/samples`` and how the folder is checked:

* ``subset``: every record the source's parser yields from the demo capture(s) is a record the same parser
  yields from the real capture, compared on its natural key and values (prices: provider, model, token
  type, tier, context band, modality, currency, price, valid_from). Both are parsed with the provenance a
  replay of that day gives them (``scrapers.collect``: the target's URL, fetched at 06:00 UTC that day).
* ``quoted``: the parser cannot read the real capture's rendering (a 2024 page as plain text), so every
  price fact of the demo capture has a ``quotes`` entry (model_id, token_type, price) whose quote is in the
  real capture and contains the price. Quotes are compared with runs of whitespace collapsed (the text
  renderings wrap lines), nothing else.
* ``derived`` / ``sec``: a source-specific test (named in ``test:``) does the checking.

The shape of every SOURCE.yml is checked always; comparisons with the real captures skip, with the reason,
when ``../shared/samples`` (``COSTCURVE_SAMPLES``) is absent.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from scrapers.collect import REPLAY_FETCH_TIME
from scrapers.records import CaptureMeta, ParseResult
from scrapers.registry import get_source

REPO = Path(__file__).resolve().parents[3]
CAPTURES = REPO / "demo" / "captures"
PROVENANCE = "SOURCE.yml"
CHECKS = {"subset", "quoted", "derived", "sec"}
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
FOLDERS = sorted(p for day in CAPTURES.iterdir() if day.is_dir() and DAY_RE.fullmatch(day.name)
                 for p in day.iterdir() if p.is_dir())

#: record kind -> the fields that say what the record claims (provenance and display fields left out); a
#: model record's name is compared too: for an API alias it is the version the alias points at (DeepSeek)
KEYS: dict[str, tuple[str, ...]] = {
    "prices": ("provider_id", "model_id", "token_type", "service_tier", "context_band", "modality", "currency",
               "price_per_mtok", "valid_from"),
    "models": ("provider_id", "model_id", "creator", "open_weights", "model_name", "context_length"),
    "capex": ("cik", "tag", "unit", "period_start", "period_end", "value", "accession", "form", "filed"),
    "performance": ("provider_id", "model_id", "metric", "value", "unit", "quantization"),
    "usage": ("usage_date", "source_model_id", "total_tokens", "prompt_tokens", "completion_tokens"),
    "disclosures": ("company", "metric", "value", "unit", "period_end", "disclosed_on"),
    "capabilities": ("model_id", "creator", "benchmark", "benchmark_version", "score", "scale", "as_of"),
}


def _id(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


def samples() -> Path:
    path = Path(os.environ.get("COSTCURVE_SAMPLES") or REPO.parent / "shared" / "samples")
    if not path.is_dir():
        pytest.skip(f"real captures not found at {path} (set COSTCURVE_SAMPLES to the shared/samples folder)")
    return path


def provenance(folder: Path) -> dict:
    return yaml.safe_load((folder / PROVENANCE).read_text(encoding="utf-8"))


def captures(folder: Path) -> dict[str, Path]:
    """capture key -> file: everything in the folder but SOURCE.yml."""
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_file() and p.name != PROVENANCE}


def sample_files(folder: Path, spec: dict, root: Path) -> dict[str, list[Path]]:
    """capture key -> the real capture(s) its facts come from. ``real_capture`` is one path (a file, or a
    folder whose files of the capture's type together are the capture) or a mapping capture key -> path."""
    real = spec["real_capture"]
    mapping = real if isinstance(real, dict) else {key: real for key in captures(folder)}
    out = {}
    for key, rel in mapping.items():
        path = root / rel
        assert path.exists(), f"{_id(folder)}: real capture {path} does not exist"
        suffix = Path(key).suffix
        out[key] = sorted(path.glob(f"*{suffix}")) if path.is_dir() else [path]
    return out


def parse(source_id: str, key: str, body: bytes, day: date) -> ParseResult:
    """The parse a replay of ``day`` gives this body (``scrapers.collect``'s CaptureMeta)."""
    source = get_source(source_id)
    url = next((t.url for t in source.targets if t.key == key), source.targets[0].url)
    meta = CaptureMeta(source_id, url, datetime.combine(day, REPLAY_FETCH_TIME), hashlib.sha256(body).hexdigest(),
                       mimetypes.guess_type(key)[0] or "application/octet-stream")
    return source.parser.parse(body, meta)


def claims(result: ParseResult) -> set[tuple]:
    return {(kind, *(getattr(r, f) for f in fields)) for kind, fields in KEYS.items() for r in getattr(result, kind)}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_there_are_demo_folders():
    assert FOLDERS, f"no demo capture folders under {CAPTURES}"


@pytest.mark.parametrize("folder", FOLDERS, ids=_id)
def test_source_yml_is_there_and_well_formed(folder: Path):
    assert (folder / PROVENANCE).is_file(), f"{_id(folder)} has no {PROVENANCE}"
    spec = provenance(folder)
    assert isinstance(spec, dict), f"{_id(folder)}/{PROVENANCE} is not a mapping"
    assert spec.get("source_id") == folder.name
    assert str(spec.get("as_of")) == folder.parent.name
    assert spec.get("check") in CHECKS, f"{_id(folder)}: check {spec.get('check')!r} not one of {sorted(CHECKS)}"
    for field in ("origin", "url", "notes"):
        assert spec.get(field), f"{_id(folder)}/{PROVENANCE} says nothing under {field!r}"
    source = get_source(folder.name)  # a registered source
    keys = {t.key for t in source.targets}
    assert captures(folder), f"{_id(folder)} holds no capture"
    assert set(captures(folder)) <= keys, f"{_id(folder)}: {set(captures(folder)) - keys} are not capture keys of {keys}"
    if spec["check"] in ("subset", "quoted"):
        assert spec.get("real_capture"), f"{_id(folder)}: a {spec['check']} check needs real_capture"
    if spec["check"] == "quoted":
        assert isinstance(spec.get("quotes"), list) and spec["quotes"], f"{_id(folder)}: quoted without quotes"
    if spec["check"] in ("derived", "sec"):
        assert spec.get("test") and (REPO / spec["test"]).is_file(), f"{_id(folder)}: test {spec.get('test')!r} not found"


SUBSET = [f for f in FOLDERS if (f / PROVENANCE).is_file() and provenance(f).get("check") == "subset"]
QUOTED = [f for f in FOLDERS if (f / PROVENANCE).is_file() and provenance(f).get("check") == "quoted"]


@pytest.mark.parametrize("folder", SUBSET, ids=_id)
def test_subset_every_demo_record_is_a_record_of_the_real_capture(folder: Path):
    root = samples()
    spec = provenance(folder)
    day = date.fromisoformat(folder.parent.name)
    demo, real = set(), set()
    for key, path in captures(folder).items():
        demo |= claims(parse(folder.name, key, path.read_bytes(), day))
    for key, paths in sample_files(folder, spec, root).items():
        for path in paths:
            real |= claims(parse(folder.name, key, path.read_bytes(), day))
    assert demo, f"{_id(folder)} yields no record"
    missing = sorted(demo - real, key=str)
    assert not missing, f"{_id(folder)}: {len(missing)} of {len(demo)} records are not in the real capture: {missing[:3]}"


@pytest.mark.parametrize("folder", QUOTED, ids=_id)
def test_quoted_every_demo_price_is_quoted_from_the_real_capture(folder: Path):
    root = samples()
    spec = provenance(folder)
    day = date.fromisoformat(folder.parent.name)
    real = squash((root / spec["real_capture"]).read_text(encoding="utf-8"))
    quotes = spec["quotes"]
    for entry in quotes:
        assert squash(entry["quote"]) in real, f"{_id(folder)}: quote not in {spec['real_capture']}: {entry['quote']!r}"
        assert str(entry["price"]) in entry["quote"], f"{_id(folder)}: quote {entry['quote']!r} lacks {entry['price']}"
    facts = [f for key, path in captures(folder).items() for f in parse(folder.name, key, path.read_bytes(), day).prices]
    assert facts, f"{_id(folder)} yields no price"
    used = set()
    for fact in facts:
        match = [i for i, e in enumerate(quotes) if e["model_id"] == fact.model_id and e["token_type"] == fact.token_type
                 and Decimal(str(e["price"])) == fact.price_per_mtok]
        assert match, f"{_id(folder)}: no quote for {fact.model_id} {fact.token_type} {fact.price_per_mtok}"
        used.update(match)
    unused = [quotes[i] for i in range(len(quotes)) if i not in used]
    assert not unused, f"{_id(folder)}: quotes for facts the capture does not carry: {unused[:3]}"


@pytest.mark.parametrize("folder", QUOTED, ids=_id)
def test_quoted_every_model_version_is_quoted_from_the_real_capture(folder: Path):
    """A model record (an alias and the version it points at) needs an ``attributes`` entry whose quote is in
    the real capture and names that version."""
    root = samples()
    spec = provenance(folder)
    day = date.fromisoformat(folder.parent.name)
    real = squash((root / spec["real_capture"]).read_text(encoding="utf-8"))
    entries = {e["model_id"]: e for e in spec.get("attributes") or []}
    models = [m for key, path in captures(folder).items() for m in parse(folder.name, key, path.read_bytes(), day).models]
    for model in models:
        entry = entries.get(model.model_id)
        assert entry, f"{_id(folder)}: no attributes quote for {model.model_id}"
        assert entry["model_name"] == model.model_name and entry["model_name"] in entry["quote"]
        assert squash(entry["quote"]) in real, f"{_id(folder)}: quote not in {spec['real_capture']}: {entry['quote']!r}"
    assert set(entries) <= {m.model_id for m in models}, f"{_id(folder)}: attributes for models the capture lacks"
