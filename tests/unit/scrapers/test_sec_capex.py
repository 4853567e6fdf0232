"""SEC companyconcept parser: every fact kept as filed, explicit company/CIK/tag mapping, drift.

Every fixture fact is an SEC fact from ../shared/samples/sec (tests/fixtures/sec_capex/README.md says
which filings; ``test_fixture_facts_are_sample_facts`` checks it). The demo captures have their own test,
test_sec_capex_demo.py.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.errors import LayoutDriftError
from scrapers.sources import sec_capex

PPE = "PaymentsToAcquirePropertyPlantAndEquipment"
FL = "FinanceLeasePrincipalPayments"
PA = "PaymentsToAcquireProductiveAssets"
TAG = PPE
KEY = "CIK0001326801-PaymentsToAcquirePropertyPlantAndEquipment.json"
URL = sec_capex.concept_url(1326801, TAG)
SAMPLE = "companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment_2021snapshot.json"
M = 1_000_000


@pytest.fixture
def parse(make_meta):
    def _parse(body: bytes | dict, url: str = URL):
        body = json.dumps(body).encode() if isinstance(body, dict) else body
        return sec_capex.parse(body, make_meta(sec_capex.SOURCE_ID, url, body))

    return _parse


@pytest.fixture
def sample(samples_dir) -> bytes:
    return (samples_dir / "sec" / SAMPLE).read_bytes()


@pytest.fixture
def load_fixture(fixtures_dir):
    def _load(key: str) -> dict:
        return json.loads((fixtures_dir / "sec_capex" / key).read_text())

    return _load


@pytest.fixture
def fixture_doc(load_fixture) -> dict:
    return load_fixture(KEY)


def url_of(key: str) -> str:
    return dict(sec_capex.targets())[key]


def as_filed(fact) -> tuple:
    return (fact.period_start.isoformat(), fact.period_end.isoformat(), fact.value, fact.accession,
            fact.fiscal_year, fact.fiscal_period, fact.form, fact.filed.isoformat(), fact.frame)


def source_facts(doc: dict) -> list[tuple]:
    return [(f["start"], f["end"], Decimal(f["val"]), f["accn"], f.get("fy"), f.get("fp"), f["form"], f["filed"],
             f.get("frame")) for f in doc["units"]["USD"]]


def by_period(facts) -> dict[tuple[date, date], Decimal]:
    """(start, end) -> value, asserting every filing of a period carries the same value."""
    values: dict[tuple[date, date], set] = defaultdict(set)
    for f in facts:
        values[(f.period_start, f.period_end)].add(f.value)
    assert all(len(v) == 1 for v in values.values()), {k: v for k, v in values.items() if len(v) > 1}
    return {k: v.pop() for k, v in values.items()}


# -- mapping ----------------------------------------------------------------------------------------


def test_urls_and_mapping() -> None:
    assert URL == ("https://data.sec.gov/api/xbrl/companyconcept/CIK0001326801/us-gaap/"
                   "PaymentsToAcquirePropertyPlantAndEquipment.json")
    assert sec_capex.capture_key(1326801, TAG) == KEY
    assert {t: (s["cik"], s["tags"]) for t, s in sec_capex.COMPANIES.items()} == {
        "META": (1326801, [PPE, FL]),
        "MSFT": (789019, [PPE, FL]),
        "GOOGL": (1652044, [PPE, FL]),
        "AMZN": (1018724, [PA, FL]),
        "ORCL": (1341439, [PPE]),
    }
    # Google Inc. (CIK 1288776, Alphabet's pre-2015 filer) is not read: no real capture of it
    assert [sec_capex.company_for_cik(c) for c in (1326801, 789019, 1652044, 1288776, 1018724, 1341439, 320193)] == [
        "META", "MSFT", "GOOGL", None, "AMZN", "ORCL", None]
    assert sec_capex.tags_for_cik(1018724) == [PA, FL] and sec_capex.tags_for_cik(1288776) == []


def test_targets_one_capture_per_cik_and_tag() -> None:
    targets = sec_capex.targets()
    assert len(targets) == len({key for key, _ in targets}) == 9
    assert ("CIK0001018724-PaymentsToAcquireProductiveAssets.json",
            "https://data.sec.gov/api/xbrl/companyconcept/CIK0001018724/us-gaap/PaymentsToAcquireProductiveAssets.json"
            ) in targets
    # the registry builds its targets from targets(); they are exactly COMPANIES' (cik, tag) pairs
    registry_style = {f"CIK{s['cik']:010d}-{tag}.json" for s in sec_capex.COMPANIES.values() for tag in s["tags"]}
    assert {key for key, _ in targets} == registry_style
    assert not any(key.startswith("CIK0001341439-Finance") for key, _ in targets)  # Oracle: no sample tags it


def test_fiscal_year_ends_match_the_dbt_seed(fixtures_dir) -> None:
    seed = fixtures_dir.parents[1] / "dbt_project" / "seeds" / "companies.csv"
    if not seed.is_file():
        pytest.skip(f"dbt seed not found at {seed}")
    with seed.open() as fh:
        rows = {r["company"]: (int(r["cik"]), int(r["fiscal_year_end_month"])) for r in csv.DictReader(fh)}
    assert rows == {t: (s["cik"], s["fiscal_year_end_month"]) for t, s in sec_capex.COMPANIES.items()}
    assert rows["MSFT"][1] == 6 and rows["ORCL"][1] == 5


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


# -- project fixtures -------------------------------------------------------------------------------


def test_fixture(parse, fixture_doc) -> None:
    result = parse(fixture_doc)
    assert len(result.capex) == 13
    assert {f.entity_name for f in result.capex} == {"Meta Platforms, Inc."}
    assert Counter(f.form for f in result.capex) == Counter({"10-Q": 10, "10-K": 3})
    q1_2019 = [f for f in result.capex if (f.period_start, f.period_end) == (date(2019, 1, 1), date(2019, 3, 31))]
    assert [(f.value, f.frame) for f in q1_2019] == [(Decimal("3837000000"), None),
                                                      (Decimal("3837000000"), "CY2019Q1")]


def test_msft_fiscal_year_ends_in_june(parse, load_fixture) -> None:
    key = "CIK0000789019-PaymentsToAcquirePropertyPlantAndEquipment.json"
    result = parse(load_fixture(key), url_of(key))
    assert len(result.capex) == 13
    assert {(f.company, f.cik, f.component, f.tag, f.entity_name) for f in result.capex} == {
        ("MSFT", 789019, "capex", PPE, "MICROSOFT CORPORATION")}
    fy2025 = [(f.period_start, f.period_end, f.value, f.form, f.fiscal_period)
              for f in result.capex if f.period_start == date(2024, 7, 1)]
    # the year-to-date facts of Microsoft's fiscal 2025 10-Qs and 10-K, as filed
    assert fy2025 == [
        (date(2024, 7, 1), date(2024, 9, 30), Decimal(14_923 * M), "10-Q", "Q1"),  # Jul-Sep
        (date(2024, 7, 1), date(2024, 12, 31), Decimal(30_727 * M), "10-Q", "Q2"),  # H1 Jul-Dec
        (date(2024, 7, 1), date(2025, 3, 31), Decimal(47_472 * M), "10-Q", "Q3"),  # 9M Jul-Mar
        (date(2024, 7, 1), date(2025, 6, 30), Decimal(64_551 * M), "10-K", "FY"),  # FY Jul-Jun
    ]
    # the fiscal 2025 filings also carry fiscal 2024 as comparatives, with the filing's fy
    fy2024 = {f.period_end: (f.value, f.fiscal_year) for f in result.capex if f.period_start == date(2023, 7, 1)}
    assert fy2024[date(2024, 3, 31)] == (Decimal(30_604 * M), 2025)
    assert fy2024[date(2024, 6, 30)] == (Decimal(44_477 * M), 2025)


def test_msft_two_renderings_parse_the_same(parse, fixtures_dir, load_fixture) -> None:
    key = "CIK0000789019-PaymentsToAcquirePropertyPlantAndEquipment.json"
    compact = (fixtures_dir / "sec_capex" / key).read_bytes()
    assert compact.count(b"\n") == 1  # the fixture is the compact rendering
    pretty = json.dumps(load_fixture(key), indent=2).encode()
    assert [as_filed(f) for f in parse(compact, url_of(key)).capex] == [
        as_filed(f) for f in parse(pretty, url_of(key)).capex]


def test_msft_finance_lease_principal_is_its_own_component(parse, load_fixture) -> None:
    key = "CIK0000789019-FinanceLeasePrincipalPayments.json"
    facts = parse(load_fixture(key), url_of(key)).capex
    assert {(f.company, f.component, f.tag) for f in facts} == {("MSFT", "finance_lease_principal", FL)}
    assert [(f.period_end, f.value) for f in facts if f.period_start == date(2024, 7, 1)] == [
        (date(2024, 9, 30), Decimal(802 * M)), (date(2024, 12, 31), Decimal(1_282 * M)),
        (date(2025, 3, 31), Decimal(1_634 * M)), (date(2025, 6, 30), Decimal(2_283 * M))]
    # Microsoft also tags the discrete three months of its 10-Qs: Oct-Dec 2024 = H1 - Q1 = 1,282 - 802
    assert by_period(facts)[(date(2024, 10, 1), date(2024, 12, 31))] == Decimal(480 * M)


def test_orcl_fiscal_year_ends_in_may(parse, load_fixture) -> None:
    key = "CIK0001341439-PaymentsToAcquirePropertyPlantAndEquipment.json"
    result = parse(load_fixture(key), url_of(key))
    assert len(result.capex) == 9
    assert {(f.company, f.cik, f.component) for f in result.capex} == {("ORCL", 1341439, "capex")}
    assert [(f.period_end, f.value, f.fiscal_year, f.fiscal_period) for f in result.capex
            if f.period_start == date(2024, 6, 1)] == [
        (date(2024, 8, 31), Decimal(2_303 * M), 2025, "Q1"),  # Jun-Aug
        (date(2024, 11, 30), Decimal(6_273 * M), 2025, "Q2"),  # Jun-Nov
        (date(2025, 2, 28), Decimal(12_135 * M), 2025, "Q3"),  # Jun-Feb
        (date(2025, 5, 31), Decimal(21_215 * M), 2025, "FY"),  # Jun-May
    ]
    assert by_period(result.capex)[(date(2023, 6, 1), date(2024, 2, 29))] == Decimal(4_068 * M)  # leap February


def test_amzn_productive_assets_with_three_month_and_trailing_columns(parse, load_fixture) -> None:
    key = "CIK0001018724-PaymentsToAcquireProductiveAssets.json"
    result = parse(load_fixture(key), url_of(key))
    assert {(f.company, f.component, f.tag) for f in result.capex} == {("AMZN", "capex", PA)}
    values = by_period(result.capex)
    assert len(values) == len(result.capex) == 6
    assert values[(date(2025, 7, 1), date(2025, 9, 30))] == Decimal(35_095 * M)  # Q3 2025, three months
    assert values[(date(2025, 1, 1), date(2025, 9, 30))] == Decimal(92_297 * M)  # 25,019 + 32,183 + 35,095
    assert values[(date(2024, 10, 1), date(2025, 9, 30))] == Decimal(120_131 * M)  # trailing twelve months
    assert values[(date(2024, 7, 1), date(2024, 9, 30))] == Decimal(22_620 * M)


def test_googl_nine_months_with_comparative(parse, load_fixture) -> None:
    key = "CIK0001652044-PaymentsToAcquirePropertyPlantAndEquipment.json"
    alphabet = parse(load_fixture(key), url_of(key)).capex
    assert {(f.company, f.cik, f.entity_name, f.accession) for f in alphabet} == {
        ("GOOGL", 1652044, "Alphabet Inc.", "0001652044-25-000091")}
    assert by_period(alphabet) == {(date(2025, 1, 1), date(2025, 9, 30)): Decimal(63_596 * M),
                                   (date(2024, 1, 1), date(2024, 9, 30)): Decimal(38_259 * M)}


def test_fixture_facts_are_sample_facts(fixtures_dir, samples_dir) -> None:
    """No invented number: every fixture fact (value, accession, dates, fy/fp/frame) is in the SEC samples."""
    samples = [samples_dir / "sec" / "companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment_2021snapshot.json",
               *sorted((samples_dir / "sec" / "2026" / "companyconcept").glob("*.json"))]
    known = {(doc["cik"], doc["tag"], *fact) for doc in (json.loads(Path(p).read_bytes()) for p in samples)
             for fact in source_facts(doc)}
    fixtures = sorted((fixtures_dir / "sec_capex").glob("*.json"))
    assert len(fixtures) == 6
    for path in fixtures:
        doc = json.loads(path.read_bytes())
        assert [f for f in source_facts(doc) if (doc["cik"], doc["tag"], *f) not in known] == [], path.name


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


def test_negative_value_is_an_exclusion(parse, fixture_doc) -> None:
    fixture_doc["units"]["USD"][1]["val"] = -3837000000
    result = parse(fixture_doc)
    assert len(result.capex) == 12
    (exclusion,) = result.exclusions
    assert (exclusion.field, exclusion.item) == ("val", f"{TAG} 2019-01-01..2019-03-31 0001326801-20-000048")
    assert "negative value -3837000000" in exclusion.reason


# -- layout drift -----------------------------------------------------------------------------------


def assert_drift(parse, body, match: str, url: str = URL) -> None:
    with pytest.raises(LayoutDriftError, match=match) as info:
        parse(body, url)
    assert "[sec_capex]" in str(info.value) and url in str(info.value)


def test_unknown_cik_is_drift(parse, fixture_doc) -> None:
    fixture_doc["cik"] = 320193
    assert_drift(parse, fixture_doc, "CIK 320193 .* is not in COMPANIES", url="https://example.test/concept.json")


def test_unmapped_tag_is_drift(parse, fixture_doc) -> None:
    fixture_doc["tag"] = PA
    assert_drift(parse, fixture_doc, "not a tag mapped for META")


def test_tag_mapped_for_another_company_is_drift(parse, load_fixture) -> None:
    doc = load_fixture("CIK0001341439-PaymentsToAcquirePropertyPlantAndEquipment.json")
    doc["tag"] = FL  # read for the other four, not for Oracle
    assert_drift(parse, doc, r"us-gaap:FinanceLeasePrincipalPayments is not a tag mapped for ORCL \(CIK 1341439\)",
                 url="https://example.test/concept.json")


def test_body_that_contradicts_its_url_is_drift(parse, load_fixture) -> None:
    key = "CIK0000789019-PaymentsToAcquirePropertyPlantAndEquipment.json"
    assert_drift(parse, load_fixture(key), "body is CIK 789019 .*not what the URL asked for")  # META's URL
    assert_drift(parse, load_fixture(key), "not what the URL asked for", url=url_of(
        "CIK0000789019-FinanceLeasePrincipalPayments.json"))


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
