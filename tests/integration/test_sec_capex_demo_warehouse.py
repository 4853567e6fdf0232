"""The sec_capex demo day (2026-08-08) through the real pipeline: every demo capture parsed by the source's
parser, loaded with ``warehouse.load.load_source_day`` into a throwaway DuckDB file, then
``dbt build --select +fct_capex_quarterly +fct_capex_annual`` (models and their tests, the singular
quarters-sum-to-fiscal-year test included). Each checked quarter is worked out below from the SEC sample
facts in ../shared/samples/sec/2026/companyconcept (looked up by company, tag, period and accession,
never copied from the warehouse's output), with the arithmetic written beside it.

Restatement rule under test: a period's value is its latest-filed one (int_capex_periods_deduplicated),
and a discrete quarter is the difference of those year-to-date values, or a reported three-month fact
where the filer tags one (Amazon).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from scrapers.archive import ManifestRow
from scrapers.records import CaptureMeta, ParseResult
from scrapers.sources import sec_capex
from warehouse.connection import ensure_raw_schema
from warehouse.load import load_source_day

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DAY = date(2026, 8, 8)
DEMO = REPO / "demo" / "captures" / DAY.isoformat() / sec_capex.SOURCE_ID
SAMPLES = Path(os.environ.get("COSTCURVE_SAMPLES") or REPO.parent / "shared" / "samples")
CONCEPTS = SAMPLES / "sec" / "2026" / "companyconcept"
FETCHED_AT = datetime(2026, 8, 8, 12, 0, tzinfo=UTC)
PPE, PA, FL = sec_capex.PPE, sec_capex.PRODUCTIVE_ASSETS, sec_capex.FINANCE_LEASE_PRINCIPAL
M = 1_000_000


def sample_value(company: str, tag: str, origin: str, start: str, end: str, accession: str) -> Decimal:
    """The one value the SEC sample has for this period in this filing."""
    doc = json.loads((CONCEPTS / f"companyconcept_{company}_{tag}__{origin}.json").read_bytes())
    (value,) = {f["val"] for f in doc["units"]["USD"]
                if (f["start"], f["end"], f["accn"]) == (start, end, accession)}
    return Decimal(value)


def dbt_executable() -> str:
    beside = Path(sys.executable).with_name("dbt")
    found = str(beside) if beside.is_file() else shutil.which("dbt")
    if found is None:
        pytest.skip("dbt is not installed")
    return found


def load_demo_day(path: Path) -> int:
    """Parse every demo capture of the day and load them as one source day; returns the facts loaded."""
    result, fetches = ParseResult(), []
    for key, url in sec_capex.targets():
        body = (DEMO / key).read_bytes()
        sha = hashlib.sha256(body).hexdigest()
        parsed = sec_capex.parse(body, CaptureMeta(sec_capex.SOURCE_ID, url, FETCHED_AT, sha, "application/json"))
        assert parsed.exclusions == [], key
        result.capex.extend(parsed.capex)
        fetches.append(ManifestRow(sec_capex.SOURCE_ID, key, url, FETCHED_AT.isoformat(), 200, sha, len(body),
                                   "application/json", True))
    con = duckdb.connect(str(path))
    try:
        ensure_raw_schema(con)
        load_source_day(con, sec_capex.SOURCE_ID, DAY, fetches, result)
    finally:
        con.close()
    return len(result.capex)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if not CONCEPTS.is_dir():
        pytest.skip(f"SEC samples not found at {CONCEPTS} (set COSTCURVE_SAMPLES to the shared/samples folder)")
    tmp = tmp_path_factory.mktemp("sec_capex_demo")
    path = tmp / "costcurve.duckdb"
    assert load_demo_day(path) > 0
    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    env |= {"COSTCURVE_WAREHOUSE": str(path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        [dbt_executable(), "build", "--select", "+fct_capex_quarterly", "+fct_capex_annual",
         "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--no-partial-parse"],
        cwd=tmp, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, f"dbt build failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    yield path


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def quarter(path: Path, company: str, period_end: str, component: str = "capex") -> tuple:
    rows = query(path, """
        select fiscal_label, calendar_label, capex_usd, derivation, accession
        from main.fct_capex_quarterly where company = ? and component = ? and period_end = ?
    """, [company, component, period_end])
    assert len(rows) == 1, (company, component, period_end, rows)
    return rows[0]


def musd(value: Decimal) -> Decimal:
    return value / M


# -- the hand checks: each quarter from the sample facts, arithmetic in USD millions --------------------


def test_msft_fiscal_2026_q4_is_the_10k_total_minus_nine_months(warehouse) -> None:
    # FY2026 (Jul 2025-Jun 2026, 10-K 0001193125-26-323660) 115,948 - 9M (Jul-Mar, 10-Q 0001193125-26-191507)
    # 80,146 = 35,802 for Apr-Jun 2026, calendar 2026-Q2
    fy = sample_value("MSFT", PPE, "from-capex-atlas", "2025-07-01", "2026-06-30", "0001193125-26-323660")
    nine = sample_value("MSFT", PPE, "from-capex-atlas", "2025-07-01", "2026-03-31", "0001193125-26-191507")
    assert musd(fy) == 115_948
    assert quarter(warehouse, "MSFT", "2026-06-30") == (
        "FY2026 Q4", "2026Q2", fy - nine, "fy_minus_9m", "0001193125-26-323660")
    assert musd(fy - nine) == 35_802


def test_amzn_2026_q2_reported_three_months_equals_h1_minus_q1(warehouse) -> None:
    # Q2 2026 10-Q 0001018724-26-000026: three months 54,208 = H1 98,411 - Q1 44,203 (Q1 10-Q 0001018724-26-000014)
    three = sample_value("AMZN", PA, "transcribed", "2026-04-01", "2026-06-30", "0001018724-26-000026")
    h1 = sample_value("AMZN", PA, "transcribed", "2026-01-01", "2026-06-30", "0001018724-26-000026")
    q1 = sample_value("AMZN", PA, "transcribed", "2026-01-01", "2026-03-31", "0001018724-26-000014")
    assert musd(three) == 54_208 and three == h1 - q1
    assert quarter(warehouse, "AMZN", "2026-06-30") == (
        "FY2026 Q2", "2026Q2", three, "reported", "0001018724-26-000026")


def test_amzn_2025_q4_is_fy_minus_nine_months(warehouse) -> None:
    # FY2025 (10-K 0001018724-26-000004) 131,819 - 9M 2025 (10-Q 0001018724-25-000123) 92,297 = 39,522
    fy = sample_value("AMZN", PA, "transcribed", "2025-01-01", "2025-12-31", "0001018724-26-000004")
    nine = sample_value("AMZN", PA, "transcribed", "2025-01-01", "2025-09-30", "0001018724-25-000123")
    assert quarter(warehouse, "AMZN", "2025-12-31")[2:4] == (fy - nine, "fy_minus_9m")
    assert musd(fy - nine) == 39_522


def test_orcl_fiscal_2026_q4_ends_on_may_31(warehouse) -> None:
    # FY2026 (Jun 2025-May 2026, 10-K 0001193125-26-277521) 55,663 - 9M (Jun-Feb, 10-Q 0001193125-26-101045)
    # 39,170 = 16,493 for Mar-May 2026, which ends in calendar 2026-Q2
    fy = sample_value("ORCL", PPE, "transcribed", "2025-06-01", "2026-05-31", "0001193125-26-277521")
    nine = sample_value("ORCL", PPE, "transcribed", "2025-06-01", "2026-02-28", "0001193125-26-101045")
    assert musd(fy) == 55_663
    assert quarter(warehouse, "ORCL", "2026-05-31") == (
        "FY2026 Q4", "2026Q2", fy - nine, "fy_minus_9m", "0001193125-26-277521")
    assert musd(fy - nine) == 16_493


def test_googl_2026_q2_is_h1_minus_q1(warehouse) -> None:
    # H1 2026 (10-Q 0001652044-26-000071) 80,598 - Q1 2026 (10-Q 0001652044-26-000048) 35,674 = 44,924
    h1 = sample_value("GOOGL", PPE, "from-capex-atlas", "2026-01-01", "2026-06-30", "0001652044-26-000071")
    q1 = sample_value("GOOGL", PPE, "from-capex-atlas", "2026-01-01", "2026-03-31", "0001652044-26-000048")
    assert musd(h1) == 80_598
    assert quarter(warehouse, "GOOGL", "2026-06-30") == (
        "FY2026 Q2", "2026Q2", h1 - q1, "ytd_difference", "0001652044-26-000071")
    assert musd(h1 - q1) == 44_924


def test_meta_2026_q2_is_h1_minus_q1(warehouse) -> None:
    # H1 2026 (10-Q 0001628280-26-050705) 49,113 - Q1 2026 (10-Q 0001628280-26-028526) 18,997 = 30,116
    h1 = sample_value("META", PPE, "transcribed", "2026-01-01", "2026-06-30", "0001628280-26-050705")
    q1 = sample_value("META", PPE, "from-capex-atlas", "2026-01-01", "2026-03-31", "0001628280-26-028526")
    assert musd(h1) == 49_113
    assert quarter(warehouse, "META", "2026-06-30") == (
        "FY2026 Q2", "2026Q2", h1 - q1, "ytd_difference", "0001628280-26-050705")
    assert musd(h1 - q1) == 30_116


def test_meta_restated_fy2022_uses_the_latest_filed_total(warehouse) -> None:
    # FY2022: 31,431 in the FY2022 10-K, 31,186 in the FY2024 10-K (0001326801-25-000017, latest: wins);
    # Q4 2022 = 31,186 - 9M 2022 (22,388, Q3 2023 10-Q 0001326801-23-000103, never restated) = 8,798
    first = sample_value("META", PPE, "transcribed", "2022-01-01", "2022-12-31", "0001326801-23-000013")
    latest = sample_value("META", PPE, "transcribed", "2022-01-01", "2022-12-31", "0001326801-25-000017")
    nine = sample_value("META", PPE, "transcribed", "2022-01-01", "2022-09-30", "0001326801-23-000103")
    assert (musd(first), musd(latest), musd(nine)) == (31_431, 31_186, 22_388)
    assert quarter(warehouse, "META", "2022-12-31")[2:] == (latest - nine, "fy_minus_9m", "0001326801-25-000017")
    assert query(warehouse, """
        select q.restated, a.capex_usd, a.restated, a.filing_count from main.fct_capex_quarterly q
        join main.fct_capex_annual a using (company, component, fiscal_year)
        where q.company = 'META' and q.component = 'capex' and q.period_end = '2022-12-31'
    """) == [(True, latest, True, 3)]


def test_msft_finance_lease_q4_is_its_own_component(warehouse) -> None:
    # FinanceLeasePrincipalPayments FY2026 3,101 - 9M 2,179 = 922 (same 10-K and 10-Q), never added to capex
    fy = sample_value("MSFT", FL, "from-capex-atlas", "2025-07-01", "2026-06-30", "0001193125-26-323660")
    nine = sample_value("MSFT", FL, "from-capex-atlas", "2025-07-01", "2026-03-31", "0001193125-26-191507")
    assert quarter(warehouse, "MSFT", "2026-06-30", "finance_lease_principal")[2] == fy - nine
    assert musd(fy) == 3_101 and musd(fy - nine) == 922


# -- the whole day ------------------------------------------------------------------------------------


def test_every_company_reaches_calendar_2026_q2(warehouse) -> None:
    assert dict(query(warehouse, """
        select company, max(calendar_label) from main.fct_capex_quarterly where component = 'capex' group by 1
    """)) == {"AMZN": "2026Q2", "GOOGL": "2026Q2", "META": "2026Q2", "MSFT": "2026Q2", "ORCL": "2026Q2"}


def test_complete_fiscal_years_sum_to_the_10k_total(warehouse) -> None:
    """What assert_capex_quarters_sum_to_fiscal_year checks, read back: e.g. MSFT FY2026 = 115,948."""
    rows = query(warehouse, """
        select a.company, a.component, a.fiscal_year, a.capex_usd, sum(q.capex_usd), count(*)
        from main.fct_capex_annual a join main.fct_capex_quarterly q using (company, component, fiscal_year)
        group by all having count(*) = 4
    """)
    assert len(rows) > 30
    assert [r for r in rows if r[3] != r[4]] == []
    assert ("MSFT", "capex", 2026, Decimal(115_948 * M), Decimal(115_948 * M), 4) in rows


def test_reported_quarters_equal_their_year_to_date_difference(warehouse) -> None:
    """Where a filer tags both (Amazon, Microsoft), the 3-month fact and YTD difference agree, so
    preferring the reported one changes no number."""
    rows = query(warehouse, """
        with ytd as (select * from intermediate.int_capex_periods_classified where ytd_quarters is not null)
        select q.company, q.component, q.fiscal_label, q.capex_usd, cur.value_usd - prev.value_usd
        from main.fct_capex_quarterly q
        join ytd cur on cur.company = q.company and cur.component = q.component and cur.tag = q.tag
            and cur.fiscal_year = q.fiscal_year and cur.ytd_quarters = q.fiscal_quarter
        join ytd prev on prev.company = cur.company and prev.component = cur.component and prev.tag = cur.tag
            and prev.fiscal_year = cur.fiscal_year and prev.ytd_quarters = cur.ytd_quarters - 1
        where q.derivation = 'reported'
    """)
    assert len(rows) > 20
    assert [r for r in rows if r[3] != r[4]] == []
