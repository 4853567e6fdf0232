"""The sec_capex demo day (2026-08-08) through the real pipeline: every demo capture parsed by the source's
parser, loaded with ``warehouse.load.load_source_day`` into a throwaway DuckDB file, then
``dbt build --select +fct_capex_quarterly +fct_capex_annual +mart_capex_total`` (models and their tests,
the singular quarters-sum-to-fiscal-year test and the capex marts' unit tests included). Each checked quarter is worked out below from the SEC sample
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
        [dbt_executable(), "build", "--select", "+fct_capex_quarterly", "+fct_capex_annual", "+mart_capex_total",
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


# -- mart_capex and mart_capex_total: TTM, run-rate, YoY and the five-company total, from the sample facts --


def capex_row(path: Path, company: str, period_end: str) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rel = con.execute("select * from main.mart_capex where company = ? and period_end = ?", [company, period_end])
        names = [d[0] for d in rel.description]
        (row,) = rel.fetchall()
    finally:
        con.close()
    return dict(zip(names, row, strict=True))


def total_row(path: Path, calendar_label: str) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rel = con.execute("select * from main.mart_capex_total where calendar_label = ?", [calendar_label])
        names = [d[0] for d in rel.description]
        (row,) = rel.fetchall()
    finally:
        con.close()
    return dict(zip(names, row, strict=True))


def pct(new: Decimal, old: Decimal) -> Decimal:
    return (100 * (new / old - 1)).quantize(Decimal("0.01"))


GOOGL_PPE = ("GOOGL", PPE, "from-capex-atlas")


def test_googl_2026_q2_ttm_run_rate_and_yoy(warehouse) -> None:
    # TTM to 2026-06-30 = FY2025 91,447 - H1 2025 39,643 + H1 2026 80,598 = 132,402
    fy25 = sample_value(*GOOGL_PPE, "2025-01-01", "2025-12-31", "0001652044-26-000018")
    h1_25 = sample_value(*GOOGL_PPE, "2025-01-01", "2025-06-30", "0001652044-26-000071")
    h1_26 = sample_value(*GOOGL_PPE, "2026-01-01", "2026-06-30", "0001652044-26-000071")
    q1_25 = sample_value(*GOOGL_PPE, "2025-01-01", "2025-03-31", "0001652044-26-000048")
    q1_26 = sample_value(*GOOGL_PPE, "2026-01-01", "2026-03-31", "0001652044-26-000048")
    assert (musd(fy25), musd(h1_25), musd(h1_26)) == (91_447, 39_643, 80_598)
    row = capex_row(warehouse, "GOOGL", "2026-06-30")
    assert row["ttm_capex_usd"] == fy25 - h1_25 + h1_26
    assert musd(row["ttm_capex_usd"]) == 132_402
    # run-rate = 4 x (80,598 - 35,674 = 44,924) = 179,696
    assert row["run_rate_usd"] == 4 * (h1_26 - q1_26) and musd(row["run_rate_usd"]) == 179_696
    # YoY: Q2 2025 = 39,643 - 17,197 = 22,446; 100 x (44,924 / 22,446 - 1) = 100.14
    assert row["year_ago_capex_usd"] == h1_25 - q1_25
    assert row["yoy_growth_pct"] == pct(h1_26 - q1_26, h1_25 - q1_25) == Decimal("100.14")
    assert row["is_latest_quarter"] is True
    # calendar 2024 is the 10-K year: 52,535
    assert musd(capex_row(warehouse, "GOOGL", "2024-12-31")["calendar_year_capex_usd"]) == 52_535


def test_msft_fiscal_q4_ttm_is_the_fiscal_year_and_yoy_uses_fiscal_2025_q4(warehouse) -> None:
    fy26 = sample_value("MSFT", PPE, "from-capex-atlas", "2025-07-01", "2026-06-30", "0001193125-26-323660")
    nine26 = sample_value("MSFT", PPE, "from-capex-atlas", "2025-07-01", "2026-03-31", "0001193125-26-191507")
    fy25 = sample_value("MSFT", PPE, "from-capex-atlas", "2024-07-01", "2025-06-30", "0001193125-26-323660")
    nine25 = sample_value("MSFT", PPE, "from-capex-atlas", "2024-07-01", "2025-03-31", "0001193125-26-191507")
    row = capex_row(warehouse, "MSFT", "2026-06-30")
    assert row["ttm_capex_usd"] == fy26 and musd(fy26) == 115_948  # Jul 2025-Jun 2026 is the fiscal year
    assert musd(row["run_rate_usd"]) == 4 * 35_802 == 143_208
    # FY2025 Q4 = 64,551 - 47,472 = 17,079; 100 x (35,802 / 17,079 - 1) = 109.63
    assert (musd(fy25), musd(nine25)) == (64_551, 47_472)
    assert row["yoy_growth_pct"] == pct(fy26 - nine26, fy25 - nine25) == Decimal("109.63")
    # finance-lease principal 3,101 - 2,179 = 922 is tagged, so capex incl. leases = 35,802 + 922 = 36,724
    assert row["finance_lease_tagged"] is True
    assert musd(row["capex_incl_finance_leases_usd"]) == 36_724
    # calendar 2024 = FY2024 Q3+Q4 + FY2025 Q1+Q2 = (44,477 - 19,652) + 30,727 = 55,552
    fy24 = sample_value("MSFT", PPE, "from-capex-atlas", "2023-07-01", "2024-06-30", "0001193125-26-323660")
    h1_24 = sample_value("MSFT", PPE, "from-capex-atlas", "2023-07-01", "2023-12-31", "0000950170-25-010491")
    h1_25 = sample_value("MSFT", PPE, "from-capex-atlas", "2024-07-01", "2024-12-31", "0001193125-26-027207")
    assert capex_row(warehouse, "MSFT", "2024-12-31")["calendar_year_capex_usd"] == fy24 - h1_24 + h1_25
    assert musd(fy24 - h1_24 + h1_25) == 55_552


def test_orcl_has_no_finance_lease_tag_and_an_incomplete_calendar_2026(warehouse) -> None:
    fy26 = sample_value("ORCL", PPE, "transcribed", "2025-06-01", "2026-05-31", "0001193125-26-277521")
    nine26 = sample_value("ORCL", PPE, "transcribed", "2025-06-01", "2026-02-28", "0001193125-26-101045")
    fy25 = sample_value("ORCL", PPE, "transcribed", "2024-06-01", "2025-05-31", "0001193125-26-277521")
    nine25 = sample_value("ORCL", PPE, "transcribed", "2024-06-01", "2025-02-28", "0001193125-26-101045")
    row = capex_row(warehouse, "ORCL", "2026-05-31")
    assert row["calendar_label"] == "2026Q2" and row["ttm_capex_usd"] == fy26  # Jun 2025-May 2026: 55,663
    # FY2025 Q4 = 21,215 - 12,135 = 9,080; 100 x (16,493 / 9,080 - 1) = 81.64
    assert row["yoy_growth_pct"] == pct(fy26 - nine26, fy25 - nine25) == Decimal("81.64")
    assert (row["finance_lease_principal_usd"], row["finance_lease_tagged"]) == (None, False)
    assert row["capex_incl_finance_leases_usd"] == row["capex_usd"]
    # only the quarters ending Feb and May 2026 fall in calendar 2026 so far: no year total
    assert (row["quarters_in_calendar_year"], row["calendar_year_capex_usd"]) == (2, None)


def test_five_company_total_for_2026_q2_and_times_2024(warehouse) -> None:
    # 2026Q2 = AMZN 54,208 + GOOGL 44,924 + META 30,116 + MSFT 35,802 + ORCL 16,493 (Mar-May) = 181,543
    amzn = sample_value("AMZN", PA, "transcribed", "2026-04-01", "2026-06-30", "0001018724-26-000026")
    googl = (sample_value(*GOOGL_PPE, "2026-01-01", "2026-06-30", "0001652044-26-000071")
             - sample_value(*GOOGL_PPE, "2026-01-01", "2026-03-31", "0001652044-26-000048"))
    meta = (sample_value("META", PPE, "transcribed", "2026-01-01", "2026-06-30", "0001628280-26-050705")
            - sample_value("META", PPE, "from-capex-atlas", "2026-01-01", "2026-03-31", "0001628280-26-028526"))
    msft = (sample_value("MSFT", PPE, "from-capex-atlas", "2025-07-01", "2026-06-30", "0001193125-26-323660")
            - sample_value("MSFT", PPE, "from-capex-atlas", "2025-07-01", "2026-03-31", "0001193125-26-191507"))
    orcl = (sample_value("ORCL", PPE, "transcribed", "2025-06-01", "2026-05-31", "0001193125-26-277521")
            - sample_value("ORCL", PPE, "transcribed", "2025-06-01", "2026-02-28", "0001193125-26-101045"))
    q2 = amzn + googl + meta + msft + orcl
    assert musd(q2) == 181_543
    # calendar 2024 = AMZN 82,999 + GOOGL 52,535 + META 37,256 (10-K years) + MSFT 55,552 (above)
    #   + ORCL Dec 2023-Nov 2024 = 6,866 - 2,394 + 6,273 = 10,745; total 239,087
    orcl_2024 = (sample_value("ORCL", PPE, "transcribed", "2023-06-01", "2024-05-31", "0001193125-26-277521")
                 - sample_value("ORCL", PPE, "transcribed", "2023-06-01", "2023-11-30", "0000950170-24-134973")
                 + sample_value("ORCL", PPE, "transcribed", "2024-06-01", "2024-11-30", "0001193125-25-315925"))
    assert musd(orcl_2024) == 10_745
    base = (sample_value("AMZN", PA, "transcribed", "2024-01-01", "2024-12-31", "0001018724-26-000004")
            + sample_value(*GOOGL_PPE, "2024-01-01", "2024-12-31", "0001652044-26-000018")
            + sample_value("META", PPE, "transcribed", "2024-01-01", "2024-12-31", "0001628280-26-003942")
            + 55_552 * M + orcl_2024)
    assert musd(base) == 239_087
    row = total_row(warehouse, "2026Q2")
    assert (row["companies_reporting"], row["is_complete"], row["is_latest_complete_quarter"]) == (5, True, True)
    assert row["capex_usd"] == q2
    assert musd(row["run_rate_usd"]) == 4 * 181_543 == 726_172  # "running at $726bn a year"
    assert row["base_year"] == 2024 and row["base_year_capex_usd"] == base
    # 726,172 / 239,087 = 3.0373 ("3.0 times 2024")
    assert row["run_rate_x_base_year"] == (4 * q2 / base).quantize(Decimal("0.0001")) == Decimal("3.0373")
    # TTM = AMZN 173,028 + GOOGL 132,402 + META 89,325 + MSFT 115,948 + ORCL 55,663 = 566,366 (company TTMs)
    assert musd(row["ttm_capex_usd"]) == 566_366
    assert query(warehouse, """
        select sum(ttm_capex_usd) from main.mart_capex where calendar_label = '2026Q2'
    """) == [(row["ttm_capex_usd"],)]


def test_a_calendar_quarter_without_all_five_companies_has_no_total(warehouse) -> None:
    # before 2023 the SEC sample holds only AMZN, META and ORCL quarters: 2022Q4 is partial
    row = total_row(warehouse, "2022Q4")
    assert (row["companies_reporting"], row["companies"], row["is_complete"]) == (3, "AMZN,META,ORCL", False)
    assert (row["capex_usd"], row["run_rate_usd"], row["ttm_capex_usd"]) == (None, None, None)
