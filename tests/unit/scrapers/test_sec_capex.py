"""SEC companyconcept parser: every fact kept as filed, explicit company/tag mapping, drift."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import sec_capex

TAG = "PaymentsToAcquirePropertyPlantAndEquipment"
KEY = "CIK0001326801-PaymentsToAcquirePropertyPlantAndEquipment.json"
URL = sec_capex.concept_url(1326801, TAG)
SAMPLE = "companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment_2021snapshot.json"


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | dict):
        body = json.dumps(body).encode() if isinstance(body, dict) else body
        return sec_capex.parse(body, make_meta(sec_capex.SOURCE_ID, URL, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "sec" / SAMPLE).read_bytes()


@pytest.fixture
def fixture_doc(fixtures_dir) -> dict:
    return json.loads((fixtures_dir / "sec_capex" / KEY).read_text())


def as_filed(fact) -> tuple:
    return (fact.period_start.isoformat(), fact.period_end.isoformat(), fact.value, fact.accession,
            fact.fiscal_year, fact.fiscal_period, fact.form, fact.filed.isoformat(), fact.frame)


def source_facts(doc: dict) -> list[tuple]:
    return [(f["start"], f["end"], Decimal(f["val"]), f["accn"], f.get("fy"), f.get("fp"), f["form"], f["filed"],
             f.get("frame")) for f in doc["units"]["USD"]]


def test_urls_and_mapping() -> None:
    assert URL == ("https://data.sec.gov/api/xbrl/companyconcept/CIK0001326801/us-gaap/"
                   "PaymentsToAcquirePropertyPlantAndEquipment.json")
    assert sec_capex.capture_key(1326801, TAG) == KEY
    assert sec_capex.COMPANIES["META"] == {"cik": 1326801, "tags": [TAG]}
    assert sec_capex.company_for_cik(1326801) == "META"
    assert sec_capex.company_for_cik(789019) is None


# -- the real capture -------------------------------------------------------------------------------


def test_real_capture_keeps_every_fact_as_filed(parse, sample) -> None:
    result = parse(sample)
    assert len(result.capex) == 81
    assert result.exclusions == [] and result.prices == [] and result.models == []
    assert [as_filed(f) for f in result.capex] == source_facts(json.loads(sample))


def test_real_capture_duplicates_across_filings_are_kept(parse, sample) -> None:
    facts = parse(sample).capex
    periods = Counter((f.period_start, f.period_end) for f in facts)
    assert sum(1 for n in periods.values() if n > 1) == 33
    fy2019 = [f for f in facts if (f.period_start, f.period_end) == (date(2019, 1, 1), date(2019, 12, 31))]
    assert [(f.value, f.accession, f.fiscal_year, f.frame) for f in fy2019] == [
        (Decimal("15102000000"), "0001326801-20-000013", 2019, None),
        (Decimal("15102000000"), "0001326801-21-000014", 2020, "CY2019"),
    ]


def test_real_capture_fields(parse, sample) -> None:
    first = parse(sample).capex[0]
    assert (first.cik, first.company, first.entity_name, first.taxonomy, first.tag, first.component, first.unit) == (
        1326801, "META", "Facebook, Inc.", "us-gaap", TAG, "capex", "USD")
    assert (first.period_start, first.period_end, first.value, first.form, first.fiscal_period, first.frame) == (
        date(2010, 1, 1), date(2010, 12, 31), Decimal("293000000"), "10-K", "FY", "CY2010")
    assert isinstance(first.value, Decimal)
    assert (first.source_id, first.source_url, first.parser_version) == ("sec_capex", URL, sec_capex.PARSER_VERSION)


def test_real_capture_ytd_values_are_not_turned_into_quarters(parse, sample) -> None:
    facts = {(f.period_start, f.period_end): f.value for f in parse(sample).capex}
    assert facts[(date(2020, 1, 1), date(2020, 6, 30))] == Decimal("6813000000")  # H1, year to date
    assert facts[(date(2020, 1, 1), date(2020, 9, 30))] == Decimal("10502000000")  # 9 months


# -- project fixture --------------------------------------------------------------------------------


def test_fixture(parse, fixture_doc) -> None:
    result = parse(fixture_doc)
    assert len(result.capex) == 13
    assert {f.entity_name for f in result.capex} == {"Meta Platforms, Inc."}
    assert Counter(f.form for f in result.capex) == Counter({"10-Q": 10, "10-K": 3})
    q1_2019 = [f for f in result.capex if (f.period_start, f.period_end) == (date(2019, 1, 1), date(2019, 3, 31))]
    assert [(f.value, f.frame) for f in q1_2019] == [(Decimal("3837000000"), None),
                                                      (Decimal("3837000000"), "CY2019Q1")]


def test_float_values_stay_exact(parse, fixture_doc) -> None:
    fixture_doc["units"]["USD"][0]["val"] = 0.1
    body = json.dumps(fixture_doc).encode()
    assert parse(body).capex[0].value == Decimal("0.1")


def test_other_units_are_exclusions(parse, fixture_doc) -> None:
    fact = dict(fixture_doc["units"]["USD"][0])
    fixture_doc["units"]["EUR"] = [fact]
    result = parse(fixture_doc)
    assert len(result.capex) == 13
    (exclusion,) = result.exclusions
    assert exclusion.field == "units.EUR"
    assert exclusion.item == f"{TAG} 2019-01-01..2019-03-31 0001326801-19-000037"
    assert "not USD" in exclusion.reason


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body)
    assert "[sec_capex]" in str(info.value) and URL in str(info.value)


def test_unknown_cik_is_drift(parse, fixture_doc) -> None:
    fixture_doc["cik"] = 789019
    assert_drift(parse, fixture_doc, "CIK 789019 .* is not in COMPANIES")


def test_unmapped_tag_is_drift(parse, fixture_doc) -> None:
    fixture_doc["tag"] = "PaymentsToAcquireProductiveAssets"
    assert_drift(parse, fixture_doc, "not a tag mapped for META")


def test_no_usd_facts_is_drift(parse, fixture_doc) -> None:
    fixture_doc["units"] = {"EUR": fixture_doc["units"]["USD"]}
    assert_drift(parse, fixture_doc, "no USD facts")


def test_new_fact_key_is_drift(parse, fixture_doc) -> None:
    fixture_doc["units"]["USD"][0]["segment"] = "Reality Labs"
    assert_drift(parse, fixture_doc, "segment")


def test_instant_fact_without_start_is_drift(parse, fixture_doc) -> None:
    del fixture_doc["units"]["USD"][0]["start"]
    assert_drift(parse, fixture_doc, "start")


@pytest.mark.parametrize("body", [b"<html>Request Rate Threshold Exceeded</html>", b"{}", b"[]"])
def test_not_a_companyconcept_is_drift(parse, body) -> None:
    assert_drift(parse, body, "not a companyconcept response")


# -- demo captures ----------------------------------------------------------------------------------


def test_demo_days_are_identical_bytes(parse, demo_dir) -> None:
    bodies = [(demo_dir / day / "sec_capex" / KEY).read_bytes() for day in ("2026-11-18", "2026-11-19", "2026-11-20")]
    assert bodies[0] == bodies[1] == bodies[2]
    result = parse(bodies[0])
    assert len(result.capex) == 13
    years = {f.period_end.year for f in result.capex}
    assert years == {2019, 2020}
