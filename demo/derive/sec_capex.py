"""Write the sec_capex demo captures (one SEC ``companyconcept`` JSON per target of
``scrapers.sources.sec_capex.targets()``) from the SEC XBRL samples in ../shared/samples.

    .venv/bin/python demo/derive/sec_capex.py [--samples ../shared/samples]

Inputs: ``sec/2026/companyconcept/*.json`` (see ../shared/samples/PROVENANCE-2026-11.md section 1):
``__from-capex-atlas`` files are companyconcept envelopes around git-exact SEC facts (the repo's trimmed
companyfacts fixtures, periods ending on or after 2023-01-01); ``__transcribed`` files were typed from
full companyfacts files another repository fetched from the SEC. SEC data is public domain, so the facts
are copied as they are. Deterministic: the same samples give the same bytes. The rules:

* **Facts are copied, never computed**: every value, accession, form, filed date and fy/fp/frame is the
  sample's (a key absent there, such as ``frame`` in the capex-atlas files, stays absent). Each fact is
  written with the SEC's key order (start, end, val, accn, fy, fp, form, filed, frame) and in the sample
  file's fact order.
* **As of the demo day**: only facts filed on or before ``DAY`` (2026-08-08) are kept, as a fetch that day
  would have shown. Every period is kept with all its facts, restatements included (one period filed
  with different values by different filings); choosing a value is the warehouse's job.
* **Two samples for one target** (Meta capex: the transcribed file, periods from 2020 to 2026-06-30, and
  the git-exact capex-atlas file, 2023 to 2026-03-31) are merged: the first file's facts, then any fact
  of a later file that is not already there. A fact of the same period and accession with different
  fields in two files stops the script: the samples disagree and a person has to look.
* **Envelope**: cik, taxonomy, tag, label, description and entityName of the first file (capex-atlas
  dropped label and description: null). The sample's own ``_extracted_from``/``_transcribed_from``
  notes are not copied; SOURCE.yml says which file feeds which capture.
* **Rendering**: the envelope on the first line, then one fact per line (compact JSON otherwise), so a
  diff shows fact by fact.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scrapers.sources import sec_capex

REPO = Path(__file__).resolve().parents[2]
DAY = "2026-08-08"  # the demo day: the latest filing in the samples is Amazon's 10-Q of 2026-07-31
OUT = REPO / "demo" / "captures" / DAY / sec_capex.SOURCE_ID
SAMPLE_DIR = Path("sec/2026/companyconcept")
FACT_KEYS = ("start", "end", "val", "accn", "fy", "fp", "form", "filed", "frame")
ENVELOPE_KEYS = ("cik", "taxonomy", "tag", "label", "description", "entityName")

#: capture key -> the sample files that feed it (under SAMPLE_DIR), first file first
SOURCES: dict[str, tuple[str, ...]] = {
    sec_capex.capture_key(1326801, sec_capex.PPE): (
        "companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment__transcribed.json",
        "companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment__from-capex-atlas.json",
    ),
    sec_capex.capture_key(1326801, sec_capex.FINANCE_LEASE_PRINCIPAL): (
        "companyconcept_META_FinanceLeasePrincipalPayments__from-capex-atlas.json",
    ),
    sec_capex.capture_key(789019, sec_capex.PPE): (
        "companyconcept_MSFT_PaymentsToAcquirePropertyPlantAndEquipment__from-capex-atlas.json",
    ),
    sec_capex.capture_key(789019, sec_capex.FINANCE_LEASE_PRINCIPAL): (
        "companyconcept_MSFT_FinanceLeasePrincipalPayments__from-capex-atlas.json",
    ),
    sec_capex.capture_key(1652044, sec_capex.PPE): (
        "companyconcept_GOOGL_PaymentsToAcquirePropertyPlantAndEquipment__from-capex-atlas.json",
    ),
    sec_capex.capture_key(1652044, sec_capex.FINANCE_LEASE_PRINCIPAL): (
        "companyconcept_GOOGL_FinanceLeasePrincipalPayments__from-capex-atlas.json",
    ),
    sec_capex.capture_key(1018724, sec_capex.PRODUCTIVE_ASSETS): (
        "companyconcept_AMZN_PaymentsToAcquireProductiveAssets__transcribed.json",
    ),
    sec_capex.capture_key(1018724, sec_capex.FINANCE_LEASE_PRINCIPAL): (
        "companyconcept_AMZN_FinanceLeasePrincipalPayments__transcribed.json",
    ),
    sec_capex.capture_key(1341439, sec_capex.PPE): (
        "companyconcept_ORCL_PaymentsToAcquirePropertyPlantAndEquipment__transcribed.json",
    ),
}


class SampleError(ValueError):
    """The samples are not what this script expects (a missing target, a key, a disagreement)."""


def read_sample(samples: Path, name: str) -> dict:
    return json.loads((samples / SAMPLE_DIR / name).read_bytes())


def ordered_fact(fact: dict, origin: str) -> dict:
    """The fact with the SEC's key order; a key the companyconcept format does not have is an error."""
    unknown = set(fact) - set(FACT_KEYS)
    if unknown:
        raise SampleError(f"{origin}: unexpected fact keys {sorted(unknown)}")
    if not isinstance(fact["val"], int):  # SEC USD values are whole dollars; a float would lose digits
        raise SampleError(f"{origin}: value {fact['val']!r} is not an integer")
    return {key: fact[key] for key in FACT_KEYS if key in fact}


def merged_facts(docs: list[tuple[str, dict]]) -> list[dict]:
    """USD facts of every doc, first doc's order, a later doc adding only facts not already there."""
    facts: list[dict] = []
    by_filing: dict[tuple, dict] = {}
    for name, doc in docs:
        if set(doc["units"]) != {"USD"}:
            raise SampleError(f"{name}: units {sorted(doc['units'])}, expected USD only")
        for raw in doc["units"]["USD"]:
            fact = ordered_fact(raw, name)
            key = (fact["start"], fact["end"], fact["accn"])
            seen = by_filing.get(key)
            if seen is None:
                by_filing[key] = fact
                facts.append(fact)
            elif seen != fact:
                raise SampleError(f"{name}: {key} is {fact}, another sample has {seen}")
    return facts


def derive_capture(key: str, docs: list[tuple[str, dict]], day: str = DAY) -> bytes:
    """One companyconcept body for capture ``key`` from its sample docs, facts filed after ``day`` left out."""
    first_name, first = docs[0]
    for name, doc in docs:
        if sec_capex.capture_key(doc["cik"], doc["tag"]) != key or doc["taxonomy"] != sec_capex.TAXONOMY:
            raise SampleError(f"{name} is CIK {doc['cik']} {doc['taxonomy']}:{doc['tag']}, not {key}")
    facts = [fact for fact in merged_facts(docs) if fact["filed"] <= day]  # ISO dates compare as text
    if not facts:
        raise SampleError(f"{first_name}: no fact filed on or before {day}")
    envelope = {name: first.get(name) for name in ENVELOPE_KEYS}

    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = compact(envelope)[:-1] + ',"units":{"USD":[\n'
    return (head + ",\n".join(compact(fact) for fact in facts) + "\n]}}\n").encode()


def derive(samples: Path) -> dict[str, bytes]:
    """capture key -> body, for every target of the source."""
    keys = [key for key, _ in sec_capex.targets()]
    if set(keys) != set(SOURCES):
        raise SampleError(f"targets {sorted(keys)} and SOURCES {sorted(SOURCES)} differ")
    return {key: derive_capture(key, [(name, read_sample(samples, name)) for name in SOURCES[key]])
            for key in keys}


def build_captures(samples: Path | None = None) -> dict[str, bytes]:
    """What tests/unit/test_demo_derive.py compares with the committed folder ``OUT``."""
    return derive(samples or REPO.parent / "shared" / "samples")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=REPO.parent / "shared" / "samples")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for key, body in derive(args.samples).items():
        (OUT / key).write_bytes(body)
        facts = len(json.loads(body)["units"]["USD"])
        print(f"wrote {(OUT / key).relative_to(REPO)} ({facts} facts)")


if __name__ == "__main__":
    main()
