"""SEC companyconcept parser: every fact kept as filed, explicit company/CIK/tag mapping, drift.

Where the fixture and demo numbers come from is in tests/fixtures/sec_capex/README.md and
demo/captures/README.md (real anchors: Meta from the shared SEC sample; Microsoft, Alphabet and Amazon
quarters from the shared third-party quarterly CSV, rebuilt into year-to-date values).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

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
DEMO_DAYS = ("2026-11-18", "2026-11-19", "2026-11-20")
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
        "GOOGL": (1652044, [PPE]),
        "AMZN": (1018724, [PA]),
        "ORCL": (1341439, [PPE]),
    }
    assert sec_capex.COMPANIES["GOOGL"]["predecessors"] == [{"cik": 1288776, "name": "Google Inc.", "tags": [PPE]}]
    assert [sec_capex.company_for_cik(c) for c in (1326801, 789019, 1652044, 1288776, 1018724, 1341439, 320193)] == [
        "META", "MSFT", "GOOGL", "GOOGL", "AMZN", "ORCL", None]
    assert sec_capex.tags_for_cik(1288776) == [PPE] and sec_capex.tags_for_cik(320193) == []


def test_targets_one_capture_per_cik_and_tag() -> None:
    targets = sec_capex.targets()
    assert len(targets) == len({key for key, _ in targets}) == 8
    assert ("CIK0001288776-PaymentsToAcquirePropertyPlantAndEquipment.json",
            sec_capex.concept_url(1288776, PPE)) in targets
    assert ("CIK0001018724-PaymentsToAcquireProductiveAssets.json",
            "https://data.sec.gov/api/xbrl/companyconcept/CIK0001018724/us-gaap/PaymentsToAcquireProductiveAssets.json"
            ) in targets
    # what today's registry builds from COMPANIES (cik + tags) is every target but the predecessor CIK
    registry_style = {f"CIK{s['cik']:010d}-{tag}.json" for s in sec_capex.COMPANIES.values() for tag in s["tags"]}
    assert {key for key, _ in targets} - registry_style == {
        "CIK0001288776-PaymentsToAcquirePropertyPlantAndEquipment.json"}


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
    assert len(result.capex) == 8
    assert {(f.company, f.cik, f.component, f.tag, f.entity_name) for f in result.capex} == {
        ("MSFT", 789019, "capex", PPE, "Microsoft Corporation")}
    fy2025 = [(f.period_start, f.period_end, f.value, f.form, f.fiscal_period)
              for f in result.capex if f.period_start == date(2024, 7, 1)]
    # rebuilt from the third-party CSV's calendar quarters: 2024Q3 14,923 + 2024Q4 15,804 + 2025Q1 16,745
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
    assert [(f.period_end, f.value) for f in facts] == [
        (date(2024, 9, 30), Decimal(460 * M)), (date(2024, 12, 31), Decimal(1_000 * M)),
        (date(2025, 3, 31), Decimal(1_560 * M)), (date(2025, 6, 30), Decimal(2_100 * M))]


def test_orcl_fiscal_year_ends_in_may(parse, load_fixture) -> None:
    key = "CIK0001341439-PaymentsToAcquirePropertyPlantAndEquipment.json"
    result = parse(load_fixture(key), url_of(key))
    assert len(result.capex) == 8
    assert {(f.company, f.cik, f.component) for f in result.capex} == {("ORCL", 1341439, "capex")}
    assert [(f.period_end, f.value, f.fiscal_year, f.fiscal_period) for f in result.capex
            if f.period_start == date(2024, 6, 1)] == [
        (date(2024, 8, 31), Decimal(2_305 * M), 2025, "Q1"),  # Jun-Aug
        (date(2024, 11, 30), Decimal(6_290 * M), 2025, "Q2"),  # Jun-Nov
        (date(2025, 2, 28), Decimal(12_152 * M), 2025, "Q3"),  # Jun-Feb
        (date(2025, 5, 31), Decimal(21_215 * M), 2025, "FY"),  # Jun-May
    ]
    assert by_period(result.capex)[(date(2023, 6, 1), date(2024, 2, 29))] == Decimal(4_018 * M)  # leap February


def test_amzn_productive_assets_with_three_month_and_trailing_columns(parse, load_fixture) -> None:
    key = "CIK0001018724-PaymentsToAcquireProductiveAssets.json"
    result = parse(load_fixture(key), url_of(key))
    assert {(f.company, f.component, f.tag) for f in result.capex} == {("AMZN", "capex", PA)}
    values = by_period(result.capex)
    assert len(values) == len(result.capex) == 6
    assert values[(date(2025, 7, 1), date(2025, 9, 30))] == Decimal(35_095 * M)  # Q3 2025, the CSV anchor
    assert values[(date(2025, 1, 1), date(2025, 9, 30))] == Decimal(92_297 * M)  # 25,019 + 32,183 + 35,095
    assert values[(date(2024, 10, 1), date(2025, 9, 30))] == Decimal(120_131 * M)  # trailing twelve months
    assert values[(date(2024, 7, 1), date(2024, 9, 30))] == Decimal(22_620 * M)


def test_googl_facts_from_google_inc_and_alphabet_are_both_kept(parse, load_fixture) -> None:
    alphabet_key = "CIK0001652044-PaymentsToAcquirePropertyPlantAndEquipment.json"
    google_key = "CIK0001288776-PaymentsToAcquirePropertyPlantAndEquipment.json"
    alphabet = parse(load_fixture(alphabet_key), url_of(alphabet_key)).capex
    google = parse(load_fixture(google_key), url_of(google_key)).capex
    assert {(f.company, f.cik, f.entity_name) for f in alphabet} == {("GOOGL", 1652044, "Alphabet Inc.")}
    assert {(f.company, f.cik, f.entity_name) for f in google} == {("GOOGL", 1288776, "Google Inc.")}
    nine_months_2014 = (date(2014, 1, 1), date(2014, 9, 30))
    both = [(f.cik, f.value, f.accession[:10], f.filed) for f in google + alphabet
            if (f.period_start, f.period_end) == nine_months_2014]
    assert both == [(1288776, Decimal(7_408 * M), "0001288776", date(2014, 10, 23)),
                    (1652044, Decimal(7_408 * M), "0001652044", date(2015, 10, 29))]
    # Q3 2025 = 9M - H1 = 63,596 - 39,643 = 23,953 (the CSV anchor); here the 9M value as filed
    assert by_period(alphabet)[(date(2025, 1, 1), date(2025, 9, 30))] == Decimal(63_596 * M)


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
    doc = load_fixture("CIK0001288776-PaymentsToAcquirePropertyPlantAndEquipment.json")
    doc["tag"] = FL  # Microsoft's and Meta's, not Google Inc.'s
    assert_drift(parse, doc, r"us-gaap:FinanceLeasePrincipalPayments is not a tag mapped for GOOGL \(CIK 1288776\)",
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


# -- demo captures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_facts(demo_dir, make_meta) -> dict[str, list]:
    """capture key -> parsed facts of the first demo day (after checking all days are identical)."""
    out = {}
    for key, url in sec_capex.targets():
        bodies = [(demo_dir / day / "sec_capex" / key).read_bytes() for day in DEMO_DAYS]
        assert bodies[0] == bodies[1] == bodies[2], key
        result = sec_capex.parse(bodies[0], make_meta(sec_capex.SOURCE_ID, url, bodies[0]))
        assert result.exclusions == []
        out[key] = result.capex
    return out


def test_demo_captures_cover_every_target(demo_facts) -> None:
    assert {key: len(facts) for key, facts in demo_facts.items()} == {
        "CIK0001326801-PaymentsToAcquirePropertyPlantAndEquipment.json": 13,
        "CIK0001326801-FinanceLeasePrincipalPayments.json": 13,
        "CIK0000789019-PaymentsToAcquirePropertyPlantAndEquipment.json": 14,
        "CIK0000789019-FinanceLeasePrincipalPayments.json": 14,
        "CIK0001652044-PaymentsToAcquirePropertyPlantAndEquipment.json": 22,
        "CIK0001288776-PaymentsToAcquirePropertyPlantAndEquipment.json": 7,
        "CIK0001018724-PaymentsToAcquireProductiveAssets.json": 43,
        "CIK0001341439-PaymentsToAcquirePropertyPlantAndEquipment.json": 14,
    }
    meta = demo_facts[KEY]
    assert {f.period_end.year for f in meta} == {2019, 2020}


def fiscal_quarters(facts, fy_start: date) -> list[Decimal]:
    """Discrete quarters of the fiscal year starting ``fy_start`` from its year-to-date facts, as the
    mart derives them (Q1 as filed, then differences, Q4 = FY - 9M)."""
    ytd = sorted((end, value) for (start, end), value in by_period(facts).items() if start == fy_start)
    values = [value for _, value in ytd]
    return [b - a for a, b in zip([Decimal(0), *values], values, strict=False)]


def company_facts(demo_facts, company: str, component: str = "capex") -> list:
    return [f for facts in demo_facts.values() for f in facts if f.company == company and f.component == component]


@pytest.mark.parametrize(("company", "component", "fy_start", "quarters_musd"), [
    ("MSFT", "capex", date(2023, 7, 1), [9_917, 9_735, 10_952, 13_873]),  # FY2024; FY total 44,477
    ("MSFT", "capex", date(2024, 7, 1), [14_923, 15_804, 16_745, 17_079]),  # FY2025; FY total 64,551
    ("MSFT", "capex", date(2025, 7, 1), [19_394]),  # FY2026 Q1 (CSV "2025 Q3")
    ("MSFT", "finance_lease_principal", date(2024, 7, 1), [460, 540, 560, 540]),
    ("META", "capex", date(2019, 1, 1), [3_837, 3_633, 3_532, 4_100]),
    ("META", "finance_lease_principal", date(2020, 1, 1), [100, 165, 110, 229]),
    ("GOOGL", "capex", date(2014, 1, 1), [2_345, 2_650, 2_413, 3_606]),  # Google Inc. Q1-9M, Alphabet FY
    ("GOOGL", "capex", date(2015, 1, 1), [2_927, 2_515, 2_383, 2_125]),  # Google Inc. Q1-H1, Alphabet 9M-FY
    ("GOOGL", "capex", date(2024, 1, 1), [12_012, 13_186, 13_061, 14_276]),
    ("GOOGL", "capex", date(2025, 1, 1), [17_197, 22_446, 23_953]),
    ("AMZN", "capex", date(2023, 1, 1), [14_207, 11_455, 12_479, 14_588]),
    ("AMZN", "capex", date(2024, 1, 1), [14_925, 17_620, 22_620, 27_834]),
    ("AMZN", "capex", date(2025, 1, 1), [25_019, 32_183, 35_095]),
    ("ORCL", "capex", date(2023, 6, 1), [1_300, 1_100, 1_618, 2_848]),
    ("ORCL", "capex", date(2024, 6, 1), [2_305, 3_985, 5_862, 9_063]),
    ("ORCL", "capex", date(2025, 6, 1), [8_502]),
])
def test_demo_year_to_date_facts_give_the_expected_quarters(demo_facts, company, component, fy_start,
                                                             quarters_musd) -> None:
    facts = company_facts(demo_facts, company, component)
    assert fiscal_quarters(facts, fy_start) == [Decimal(q * M) for q in quarters_musd]


def test_demo_amzn_three_month_facts_agree_with_year_to_date(demo_facts) -> None:
    values = by_period(company_facts(demo_facts, "AMZN"))
    three_month = {(s, e): v for (s, e), v in values.items() if (e - s).days < 100}
    assert len(three_month) == 9
    for (start, end), value in three_month.items():
        if start.month == 1:
            continue  # Q1 is its own year-to-date fact
        ytd_end = values[(date(end.year, 1, 1), end)]
        ytd_prev = max((v for (s, e), v in values.items() if s == date(end.year, 1, 1) and e < start))
        assert ytd_end - ytd_prev == value, (start, end)


def test_demo_ytd_never_decreases_and_fy_totals_hold(demo_facts) -> None:
    for company, spec in sec_capex.COMPANIES.items():
        for component in ("capex", "finance_lease_principal"):
            series: dict[date, list] = defaultdict(list)
            for (start, end), value in by_period(company_facts(demo_facts, company, component)).items():
                if start.month == spec["fiscal_year_end_month"] % 12 + 1 and start.day == 1:
                    series[start].append((end, value))
            for start, points in series.items():
                values = [v for _, v in sorted(points)]
                assert values == sorted(values), (company, component, start)
    fy = {(f.company, f.component, f.period_end): f.value
          for facts in demo_facts.values() for f in facts if f.fiscal_period == "FY" and f.form == "10-K"}
    assert fy[("MSFT", "capex", date(2025, 6, 30))] == Decimal(64_551 * M)
    assert fy[("GOOGL", "capex", date(2024, 12, 31))] == Decimal(52_535 * M)
    assert fy[("AMZN", "capex", date(2024, 12, 31))] == Decimal(82_999 * M)
    assert fy[("ORCL", "capex", date(2025, 5, 31))] == Decimal(21_215 * M)
    assert fy[("META", "finance_lease_principal", date(2019, 12, 31))] == Decimal(552 * M)
