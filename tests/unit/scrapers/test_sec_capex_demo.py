"""The sec_capex demo captures (2026-08-08) are SEC facts from ../shared/samples/sec/2026, nothing else.

Checks: every demo fact, read back through the source's parser, is a fact of the SEC samples (same company,
tag, period, form and accession, same value, same fy/fp/filed/frame), no accession is foreign to the
samples, every sample fact of a kept period filed by the demo day is there (restatements included), and
the committed bytes are what ``demo/derive/sec_capex.py`` writes from the samples now. The samples are
indexed from every companyconcept file and from the capex-atlas companyfacts files the ``__from-capex-atlas``
ones were extracted from, so a sample pair that disagrees fails too. Tests that need the samples skip
without them; the derivation's rules are also tested on small documents of our own (synthetic accessions
``0000000000-00-00000n``: they show rules, not facts).
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from scrapers.sources import sec_capex

DAY = "2026-08-08"
DEMO = Path(DAY) / sec_capex.SOURCE_ID
CONCEPTS = Path("sec/2026/companyconcept")
COMPANYFACTS = Path("sec/2026/capex-atlas")
FACT_FIELDS = ("start", "end", "val", "accn", "fy", "fp", "form", "filed", "frame")


@pytest.fixture(scope="module")
def derive(demo_dir):
    spec = importlib.util.spec_from_file_location("derive_sec_capex", demo_dir.parent / "derive" / "sec_capex.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo_docs(demo_dir) -> dict[str, dict]:
    return {key: json.loads((demo_dir / DEMO / key).read_bytes()) for key, _ in sec_capex.targets()}


@pytest.fixture(scope="module")
def demo_facts(demo_dir, make_meta) -> dict[str, list]:
    """capture key -> CapexFacts as the parser reads the committed capture."""
    out = {}
    for key, url in sec_capex.targets():
        body = (demo_dir / DEMO / key).read_bytes()
        result = sec_capex.parse(body, make_meta(sec_capex.SOURCE_ID, url, body))
        assert result.exclusions == [], key
        out[key] = result.capex
    return out


def _sample_docs(samples_dir: Path) -> list[tuple[str, int, str, list[dict]]]:
    """(file, cik, tag, USD facts) of every companyconcept sample and every tag of the companyfacts ones."""
    docs = []
    for path in sorted((samples_dir / CONCEPTS).glob("*.json")):
        doc = json.loads(path.read_bytes())
        docs.append((path.name, doc["cik"], doc["tag"], doc["units"]["USD"]))
    for path in sorted((samples_dir / COMPANYFACTS).glob("*_companyfacts_trimmed.json")):
        doc = json.loads(path.read_bytes())
        for tag, body in doc["facts"]["us-gaap"].items():
            docs.append((f"{path.name}:{tag}", doc["cik"], tag, body["units"].get("USD", [])))
    return docs


@pytest.fixture(scope="module")
def sample_index(samples_dir) -> dict[tuple, set[tuple]]:
    """(cik, tag, start, end, form, accession) -> every distinct full fact the samples hold for it."""
    index: dict[tuple, set[tuple]] = defaultdict(set)
    for _name, cik, tag, facts in _sample_docs(samples_dir):
        for f in facts:
            index[(cik, tag, f.get("start"), f["end"], f["form"], f["accn"])].add(
                tuple(f.get(field) for field in FACT_FIELDS))
    return index


def as_sample_fact(fact) -> tuple:
    """A parsed CapexFact in the samples' terms (ISO dates, whole dollars)."""
    assert fact.value == int(fact.value), fact
    return (fact.period_start.isoformat(), fact.period_end.isoformat(), int(fact.value), fact.accession,
            fact.fiscal_year, fact.fiscal_period, fact.form, fact.filed.isoformat(), fact.frame)


# -- with the samples -------------------------------------------------------------------------------


def test_samples_agree_with_each_other(sample_index) -> None:
    """The capex-atlas companyfacts, their companyconcept extracts and the transcriptions never differ."""
    assert {key: facts for key, facts in sample_index.items() if len(facts) > 1} == {}


def test_every_demo_fact_is_the_sample_fact(demo_facts, sample_index) -> None:
    checked = 0
    for key, facts in demo_facts.items():
        for fact in facts:
            lookup = (fact.cik, fact.tag, fact.period_start.isoformat(), fact.period_end.isoformat(), fact.form,
                      fact.accession)
            assert lookup in sample_index, f"{key}: {lookup} is not in the SEC samples"
            assert sample_index[lookup] == {as_sample_fact(fact)}, (key, lookup)
            checked += 1
    assert checked == sum(len(facts) for facts in demo_facts.values()) > 400


def test_every_accession_is_in_the_samples(demo_facts, samples_dir) -> None:
    accessions = {(cik, f["accn"]) for _, cik, _, facts in _sample_docs(samples_dir) for f in facts}
    foreign = {(f.cik, f.accession) for facts in demo_facts.values() for f in facts} - accessions
    assert foreign == set()


def test_kept_periods_keep_every_sample_fact(demo_docs, derive, samples_dir) -> None:
    """Restatements included: a kept period has all the facts its samples have, filed by the demo day."""
    for key, doc in demo_docs.items():
        demo = {tuple(f.get(k) for k in FACT_FIELDS) for f in doc["units"]["USD"]}
        periods = {(f["start"], f["end"]) for f in doc["units"]["USD"]}
        for name in derive.SOURCES[key]:
            sample = json.loads((samples_dir / CONCEPTS / name).read_bytes())["units"]["USD"]
            expected = {tuple(f.get(k) for k in FACT_FIELDS) for f in sample
                        if (f["start"], f["end"]) in periods and f["filed"] <= DAY}
            assert expected - demo == set(), (key, name)


def test_restatements_are_kept(demo_facts) -> None:
    """Meta's FY2022 capex: 31,431 M in the FY2022 and FY2023 10-Ks, 31,186 M in the FY2024 10-K."""
    meta = demo_facts[sec_capex.capture_key(1326801, sec_capex.PPE)]
    fy2022 = sorted((f.filed.isoformat(), int(f.value) // 1_000_000, f.accession) for f in meta
                    if (f.period_start.isoformat(), f.period_end.isoformat()) == ("2022-01-01", "2022-12-31"))
    assert fy2022 == [("2023-02-02", 31_431, "0001326801-23-000013"), ("2024-02-02", 31_431, "0001326801-24-000012"),
                      ("2025-01-30", 31_186, "0001326801-25-000017")]


def test_committed_captures_are_what_derive_writes_now(derive, demo_dir, samples_dir) -> None:
    written = derive.derive(samples_dir)
    assert list(written) == [key for key, _ in sec_capex.targets()]
    for key, body in written.items():
        assert (demo_dir / DEMO / key).read_bytes() == body, f"{key}: run demo/derive/sec_capex.py"


def test_source_yml_names_each_capture_and_its_samples(demo_dir, derive, samples_dir) -> None:
    described = yaml.safe_load((demo_dir / DEMO / "SOURCE.yml").read_text())
    assert (described["source_id"], str(described["as_of"]), described["check"]) == (
        sec_capex.SOURCE_ID, DAY, "sec")
    assert described["test"] == "tests/unit/scrapers/test_sec_capex_demo.py"
    assert (samples_dir / described["real_capture"]).is_dir()
    files = {key: [(f["file"], f["facts"]) for f in entries] for key, entries in described["files"].items()}
    how = {"__transcribed.json": "transcribed", "__from-capex-atlas.json": "exact"}
    assert files == {key: [(name, next(v for k, v in how.items() if name.endswith(k))) for name in names]
                     for key, names in derive.SOURCES.items()}
    assert all((samples_dir / CONCEPTS / name).is_file() for names in derive.SOURCES.values() for name in names)


# -- without the samples ----------------------------------------------------------------------------


def test_demo_folder_holds_one_capture_per_target(demo_dir) -> None:
    assert sorted(p.name for p in (demo_dir / DEMO).iterdir()) == sorted(
        [key for key, _ in sec_capex.targets()] + ["SOURCE.yml"])


def test_demo_covers_calendar_2026_q2_for_every_company(demo_facts) -> None:
    latest = {}
    for facts in demo_facts.values():
        for f in facts:
            if f.component == "capex":
                latest[f.company] = max(latest.get(f.company, f.period_end), f.period_end)
    assert {c: d.isoformat() for c, d in latest.items()} == {
        "META": "2026-06-30", "MSFT": "2026-06-30", "GOOGL": "2026-06-30", "AMZN": "2026-06-30",
        "ORCL": "2026-05-31"}
    assert max(f.filed for facts in demo_facts.values() for f in facts).isoformat() <= DAY


def _doc(tag: str, *facts: dict, cik: int = 789019) -> dict:
    return {"cik": cik, "taxonomy": "us-gaap", "tag": tag, "label": None, "description": None,
            "entityName": "Test", "units": {"USD": list(facts)}, "_extracted_from": {"file": "x"}}


def _fact(end: str, val: int, n: int, filed: str, **extra) -> dict:
    return {"accn": f"0000000000-00-00000{n}", "end": end, "filed": filed, "form": "10-Q", "fp": "Q1", "fy": 2026,
            "start": "2025-07-01", "val": val, **extra}


KEY = sec_capex.capture_key(789019, sec_capex.PPE)


def test_derive_leaves_out_facts_filed_after_the_day(derive) -> None:
    body = derive.derive_capture(KEY, [("a", _doc(sec_capex.PPE, _fact("2025-09-30", 5, 1, "2025-10-29"),
                                                   _fact("2025-09-30", 6, 2, "2026-08-09")))])
    assert [f["accn"] for f in json.loads(body)["units"]["USD"]] == ["0000000000-00-000001"]


def test_derive_writes_sec_key_order_envelope_only_one_fact_per_line(derive) -> None:
    body = derive.derive_capture(KEY, [("a", _doc(sec_capex.PPE, _fact("2025-09-30", 5, 1, "2025-10-29",
                                                                        frame="CY2025Q3")))])
    doc = json.loads(body)
    assert list(doc) == ["cik", "taxonomy", "tag", "label", "description", "entityName", "units"]
    assert list(doc["units"]["USD"][0]) == list(FACT_FIELDS)
    assert body.decode().splitlines()[1].startswith('{"start":"2025-07-01","end":"2025-09-30","val":5,')


def test_derive_merges_samples_without_duplicates(derive) -> None:
    first = _doc(sec_capex.PPE, _fact("2025-09-30", 5, 1, "2025-10-29"))
    second = _doc(sec_capex.PPE, _fact("2025-09-30", 5, 1, "2025-10-29"), _fact("2025-12-31", 9, 2, "2026-01-28"))
    body = derive.derive_capture(KEY, [("a", first), ("b", second)])
    assert [(f["end"], f["val"]) for f in json.loads(body)["units"]["USD"]] == [("2025-09-30", 5), ("2025-12-31", 9)]


def test_derive_stops_when_samples_disagree(derive) -> None:
    first = _doc(sec_capex.PPE, _fact("2025-09-30", 5, 1, "2025-10-29"))
    second = _doc(sec_capex.PPE, _fact("2025-09-30", 7, 1, "2025-10-29"))
    with pytest.raises(derive.SampleError, match="another sample has"):
        derive.derive_capture(KEY, [("a", first), ("b", second)])


@pytest.mark.parametrize(("doc", "match"), [
    (_doc(sec_capex.FINANCE_LEASE_PRINCIPAL, _fact("2025-09-30", 5, 1, "2025-10-29")), "not CIK0000789019-Payments"),
    (_doc(sec_capex.PPE, _fact("2025-09-30", 5, 1, "2025-10-29", segment="x")), "unexpected fact keys"),
    (_doc(sec_capex.PPE, _fact("2025-09-30", 5.5, 1, "2025-10-29")), "not an integer"),
    (_doc(sec_capex.PPE, _fact("2025-09-30", 5, 1, "2026-09-01")), "no fact filed on or before"),
])
def test_derive_refuses_unexpected_samples(derive, doc, match) -> None:
    with pytest.raises(derive.SampleError, match=match):
        derive.derive_capture(KEY, [("a", doc)])
