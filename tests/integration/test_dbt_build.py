"""Runs the real `dbt build` of dbt_project/ against a throwaway DuckDB file and checks the marts.

The raw tables are created from warehouse/raw_schema.sql and filled with a small hand-written set of
rows: price captures over five days (a price cut, an A -> B -> A change, a second capture on one day),
OpenRouter model listings, and capex facts. Meta's real capex facts come from the shared SEC sample
(COSTCURVE_SAMPLES, default <repo>/../shared/samples); without it those checks are skipped and the
synthetic Microsoft facts still exercise the year-to-date derivation on a June fiscal year.

One dbt build per module (module-scoped fixture); every test reads the resulting file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
RAW_DDL = REPO / "warehouse" / "raw_schema.sql"
SAMPLES = Path(os.environ.get("COSTCURVE_SAMPLES", REPO.parent / "shared" / "samples"))
META_SAMPLE = (
    SAMPLES / "sec" / "companyconcept_META_PaymentsToAcquirePropertyPlantAndEquipment_2021snapshot.json"
)

DAY0 = date(2026, 3, 1)
LOADED_AT = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CAPEX_TAG = "PaymentsToAcquirePropertyPlantAndEquipment"
M = 1_000_000
# the scrapers' SOURCE_IDs, as dbt_project.yml vars expect them
ANTHROPIC, OPENROUTER, SEC = "anthropic", "openrouter_models", "sec_capex"


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def at(n: int, hour: int = 6) -> datetime:
    d = day(n)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


# --------------------------------------------------------------------------- raw rows


def _price(
    n: int,
    source_id: str,
    provider_id: str,
    model_id: str,
    token_type: str,
    price: str,
    *,
    tier: str = "standard",
    band: str = "all",
    hour: int = 6,
    valid_from: date | None = None,
) -> dict:
    value = Decimal(price)
    return {
        "partition_date": day(n),
        "source_id": source_id,
        "source_url": f"https://example.test/{source_id}",
        "fetched_at": at(n, hour),
        "raw_sha256": f"{source_id}-{n}-{hour}",
        "parser_version": "1",
        "provider_id": provider_id,
        "model_id": model_id,
        "model_name": model_id.title(),
        "token_type": token_type,
        "service_tier": tier,
        "context_band": band,
        "modality": "text",
        "currency": "USD",
        "price_per_mtok": value,
        "usd_per_mtok": value,
        "unit_as_published": "per 1M tokens",
        "raw_value": f"${price} / MTok",
        "valid_from": valid_from,
        "valid_to": None,
        "valid_from_basis": "effective" if valid_from else None,
        "loaded_at": LOADED_AT,
    }


def price_rows() -> list[dict]:
    rows = []
    sonnet_input = ["3", "3", "2", "2", "2"]  # a price cut on day 2
    batch_input = ["1.5", "1.5", "1", "1.5", "1.5"]  # A -> B -> A
    for n in range(5):
        rows.append(_price(n, ANTHROPIC, "anthropic", "claude-sonnet-5", "input", sonnet_input[n]))
        rows.append(_price(n, ANTHROPIC, "anthropic", "claude-sonnet-5", "output", "15"))
        rows.append(
            _price(n, ANTHROPIC, "anthropic", "claude-sonnet-5", "input", batch_input[n], tier="batch")
        )
        rows.append(_price(n, ANTHROPIC, "anthropic", "claude-opus-5", "input", "5", band="<=200k"))
        rows.append(_price(n, ANTHROPIC, "anthropic", "claude-opus-5", "input", "10", band=">200k"))
        rows.append(_price(n, OPENROUTER, "openrouter", "claude-sonnet-5", "input", sonnet_input[n]))
        rows.append(_price(n, OPENROUTER, "openrouter", "qwen3.8-27b", "input", "0.45"))
        rows.append(_price(n, OPENROUTER, "openrouter", "qwen3.8-27b", "output", "3.2"))
    # a second capture on day 1, later in the day, with a different price: the later one wins
    rows.append(_price(1, ANTHROPIC, "anthropic", "claude-opus-5", "output", "25", hour=6))
    rows.append(_price(1, ANTHROPIC, "anthropic", "claude-opus-5", "output", "24", hour=18))
    # the source's own valid_from is earlier than our first observation
    rows.append(
        _price(0, ANTHROPIC, "anthropic", "claude-opus-5", "cache_read", "0.5", valid_from=date(2026, 2, 1))
    )
    return rows


def model_rows() -> list[dict]:
    rows = []
    listings = [
        # (model_id, source_model_id, creator, hugging_face_id, context_length)
        ("claude-sonnet-5", "anthropic/claude-sonnet-5", "anthropic", None, 1_000_000),
        ("claude-sonnet-5", "anthropic/claude-sonnet-5:batch", "anthropic", None, 1_000_000),
        ("qwen3.8-27b", "qwen/qwen3.8-27b", "qwen", "Qwen/Qwen3.8-27B", 262_144),
    ]
    for n in range(5):
        for model_id, source_model_id, creator, hf, ctx in listings:
            rows.append(
                {
                    "partition_date": day(n),
                    "source_id": OPENROUTER,
                    "source_url": "https://openrouter.ai/api/v1/models",
                    "fetched_at": at(n),
                    "raw_sha256": f"{OPENROUTER}-{n}",
                    "parser_version": "1",
                    "provider_id": "openrouter",
                    "model_id": model_id,
                    "source_model_id": source_model_id,
                    "model_name": model_id.title(),
                    "creator": creator,
                    "hugging_face_id": hf or "",
                    # as the OpenRouter parser does: TRUE with a Hugging Face id, unknown without
                    "open_weights": True if hf else None,
                    "open_weights_basis": "openrouter:hugging_face_id" if hf else None,
                    "context_length": ctx,
                    "created_at": datetime(2026, 1, 1, tzinfo=UTC),
                    "loaded_at": LOADED_AT,
                }
            )
    return rows


def _capex(
    company: str,
    cik: int,
    start: str,
    end: str,
    value: int,
    accession: str,
    form: str,
    filed: str,
    fy: int | None,
    fp: str | None,
    frame: str | None = None,
    n: int = 4,
) -> dict:
    return {
        "partition_date": day(n),
        "source_id": SEC,
        "source_url": f"https://data.sec.gov/{company}",
        "fetched_at": at(n),
        "raw_sha256": f"sec-{company}-{n}",
        "parser_version": "1",
        "cik": cik,
        "company": company,
        "entity_name": company,
        "taxonomy": "us-gaap",
        "tag": CAPEX_TAG,
        "component": "capex",
        "unit": "USD",
        "period_start": date.fromisoformat(start),
        "period_end": date.fromisoformat(end),
        "value": Decimal(value),
        "accession": accession,
        "form": form,
        "fiscal_year": fy,
        "fiscal_period": fp,
        "filed": date.fromisoformat(filed),
        "frame": frame,
        "loaded_at": LOADED_AT,
    }


def msft_capex_rows() -> list[dict]:
    """Microsoft FY2025 (Jul 2024 - Jun 2025), year to date as 10-Qs report it; illustrative values.

    The 9-month and FY periods are each filed twice (the later filing's comparative), and the whole
    set is captured on two days, as a daily refetch of the company facts would.
    """
    facts = [
        # (start, end, value in USD millions, accession, form, filed, filing fy, filing fp)
        ("2024-07-01", "2024-09-30", 14_923, "msft-q1", "10-Q", "2024-10-30", 2025, "Q1"),
        ("2024-07-01", "2024-12-31", 30_727, "msft-q2", "10-Q", "2025-01-29", 2025, "Q2"),
        ("2024-07-01", "2025-03-31", 47_472, "msft-q3", "10-Q", "2025-04-30", 2025, "Q3"),
        ("2024-07-01", "2025-03-31", 47_472, "msft-q3-26", "10-Q", "2026-04-29", 2026, "Q3"),
        ("2024-07-01", "2025-06-30", 64_551, "msft-fy", "10-K", "2025-07-30", 2025, "FY"),
        ("2024-07-01", "2025-06-30", 64_551, "msft-fy-26", "10-K", "2026-07-29", 2026, "FY"),
    ]
    rows = []
    for n in (3, 4):
        for start, end, millions, accession, form, filed, fy, fp in facts:
            rows.append(_capex("MSFT", 789019, start, end, millions * M, accession, form, filed, fy, fp, n=n))
    return rows


def meta_capex_rows() -> list[dict]:
    """Meta's 81 real facts as filed (read from the shared sample, not copied into the repo)."""
    concept = json.loads(META_SAMPLE.read_text())
    return [
        _capex(
            "META",
            concept["cik"],
            f["start"],
            f["end"],
            f["val"],
            f["accn"],
            f["form"],
            f["filed"],
            f.get("fy"),
            f.get("fp"),
            f.get("frame"),
        )
        for f in concept["units"]["USD"]
    ]


def fetch_rows() -> list[dict]:
    return [
        {
            "partition_date": day(n),
            "source_id": source_id,
            "capture_key": "main",
            "url": f"https://example.test/{source_id}",
            "fetched_at": at(n),
            "http_status": 200,
            "sha256": f"{source_id}-{n}",
            "bytes": 1234,
            "content_type": "text/html",
            "replayed": True,
            "loaded_at": LOADED_AT,
        }
        for n in range(5)
        for source_id in (ANTHROPIC, OPENROUTER, SEC)
    ]


def exclusion_rows() -> list[dict]:
    return [
        {
            "partition_date": day(0),
            "source_id": OPENROUTER,
            "source_url": "https://openrouter.ai/api/v1/models",
            "fetched_at": at(0),
            "raw_sha256": f"{OPENROUTER}-0",
            "parser_version": "1",
            "item": "openrouter/auto",
            "field": "pricing.prompt",
            "reason": "dynamic price (-1)",
            "loaded_at": LOADED_AT,
        }
    ]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    columns = list(rows[0])
    placeholders = ", ".join("?" for _ in columns)
    con.executemany(
        f"insert into raw.{table} ({', '.join(columns)}) values ({placeholders})",
        [[row[c] for c in columns] for row in rows],
    )


def create_raw_warehouse(path: Path, *, with_meta: bool) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(RAW_DDL.read_text())
        _insert(con, "fetches", fetch_rows())
        _insert(con, "price_facts", price_rows())
        _insert(con, "model_attributes", model_rows())
        _insert(con, "capex_facts", msft_capex_rows() + (meta_capex_rows() if with_meta else []))
        _insert(con, "parse_exclusions", exclusion_rows())
    finally:
        con.close()


# --------------------------------------------------------------------------- the build


def dbt_executable() -> str:
    """The dbt next to this interpreter (the project venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    found = str(beside) if beside.is_file() else shutil.which("dbt")
    if found is None:
        pytest.skip("dbt is not installed")
    return found


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Builds the raw file and runs `dbt build` once, in a subprocess as dagster-dbt does.

    In-process (dbtRunner) dbt-duckdb keeps its connection to the file open after the build, and
    DuckDB then refuses the tests' read-only connections to the same file.
    """
    tmp = tmp_path_factory.mktemp("dbt_build")
    path = tmp / "costcurve.duckdb"
    create_raw_warehouse(path, with_meta=META_SAMPLE.is_file())

    env = {k: v for k, v in os.environ.items() if k != "DBT_PROJECT_DIR"}
    env |= {"COSTCURVE_WAREHOUSE": str(path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        [
            dbt_executable(),
            "build",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(tmp / "target"),
            "--log-path",
            str(tmp / "logs"),
            "--no-partial-parse",
        ],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"dbt build failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    # warn-severity tests (e.g. a raw source no staging model reads) must not fire on this data either
    assert " WARN=0 " in proc.stdout, proc.stdout[-3000:]
    yield path


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- prices


def history(
    path: Path, source_id: str, model_id: str, token_type: str, tier: str = "standard", band: str = "all"
) -> list[tuple]:
    return query(
        path,
        """
        select price_per_mtok, valid_from, valid_to, is_current, observation_count
        from main.fct_price_history
        where source_id = ? and model_id = ? and token_type = ? and service_tier = ? and context_band = ?
        order by valid_from
    """,
        [source_id, model_id, token_type, tier, band],
    )


def test_price_cut_gives_two_history_rows(warehouse: Path) -> None:
    assert history(warehouse, ANTHROPIC, "claude-sonnet-5", "input") == [
        (Decimal("3"), day(0), day(2), False, 2),
        (Decimal("2"), day(2), None, True, 3),
    ]


def test_unchanged_price_is_one_row(warehouse: Path) -> None:
    assert history(warehouse, ANTHROPIC, "claude-sonnet-5", "output") == [
        (Decimal("15"), day(0), None, True, 5)
    ]


def test_price_returning_to_old_value_is_a_new_row(warehouse: Path) -> None:
    assert history(warehouse, ANTHROPIC, "claude-sonnet-5", "input", tier="batch") == [
        (Decimal("1.5"), day(0), day(2), False, 2),
        (Decimal("1"), day(2), day(3), False, 1),
        (Decimal("1.5"), day(3), None, True, 2),
    ]


def test_context_bands_and_sources_are_separate_series(warehouse: Path) -> None:
    assert history(warehouse, ANTHROPIC, "claude-opus-5", "input", band="<=200k") == [
        (Decimal("5"), day(0), None, True, 5)
    ]
    assert history(warehouse, ANTHROPIC, "claude-opus-5", "input", band=">200k") == [
        (Decimal("10"), day(0), None, True, 5)
    ]
    assert [r[0] for r in history(warehouse, OPENROUTER, "claude-sonnet-5", "input")] == [
        Decimal("3"),
        Decimal("2"),
    ]


def test_source_valid_from_backdates_history(warehouse: Path) -> None:
    assert history(warehouse, ANTHROPIC, "claude-opus-5", "cache_read") == [
        (Decimal("0.5"), date(2026, 2, 1), None, True, 1)
    ]
    basis = query(
        warehouse,
        "select valid_from, valid_from_basis from main.fct_price_observations where token_type = 'cache_read'",
    )
    assert basis == [(date(2026, 2, 1), "effective")]


def test_same_day_recapture_keeps_latest(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select observed_date, fetched_at, price_per_mtok, raw_sha256
        from main.fct_price_observations
        where model_id = 'claude-opus-5' and token_type = 'output'
    """,
    )
    assert len(rows) == 1
    observed_date, fetched_at, price, sha = rows[0]
    assert (observed_date, price, sha) == (day(1), Decimal("24"), "anthropic-1-18")
    assert fetched_at == at(1, 18)


def test_observations_keep_provenance_and_are_unique(warehouse: Path) -> None:
    total, distinct_ids, missing = query(
        warehouse,
        """
        select count(*), count(distinct observation_id),
               count(*) filter (where source_url is null or raw_sha256 is null or parser_version is null)
        from main.fct_price_observations
    """,
    )[0]
    # 8 series x 5 days + 1 recaptured series + 1 single observation
    assert total == distinct_ids == 8 * 5 + 1 + 1
    assert missing == 0


# --------------------------------------------------------------------------- models


def test_dim_models(warehouse: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
        select model_id, creator, open_weights, open_weights_basis, hugging_face_id, context_length,
               first_seen_date, last_seen_date
        from main.dim_models
    """,
        )
    }
    # one row per canonical model: OpenRouter's `anthropic/claude-sonnet-5` and Anthropic's `claude-sonnet-5`
    # are one model
    assert set(rows) == {"anthropic/claude-sonnet-5", "anthropic/claude-opus-5", "qwen/qwen3.8-27b"}
    assert rows["qwen/qwen3.8-27b"][:5] == (
        "qwen",
        True,
        "openrouter_models:hugging_face_id=Qwen/Qwen3.8-27B",  # a Hugging Face repository says open
        "Qwen/Qwen3.8-27B",
        262_144,
    )
    # no source classifies Claude: the last rule in the precedence, Anthropic's uniform practice, says closed
    assert rows["anthropic/claude-sonnet-5"][:2] == ("anthropic", False)
    assert rows["anthropic/claude-sonnet-5"][2].startswith("family:")
    assert rows["anthropic/claude-opus-5"][:2] == ("anthropic", False)
    assert rows["anthropic/claude-opus-5"][5:] == (day(0), day(4))


# --------------------------------------------------------------------------- capex


def quarters(path: Path, company: str, fiscal_year: int) -> list[tuple]:
    return query(
        path,
        """
        select fiscal_quarter, fiscal_label, calendar_label, period_start, period_end, capex_usd, derivation
        from main.fct_capex_quarterly
        where company = ? and component = 'capex' and fiscal_year = ?
        order by fiscal_quarter
    """,
        [company, fiscal_year],
    )


def annual(path: Path, company: str, fiscal_year: int) -> tuple:
    return query(
        path,
        """
        select capex_usd, filing_count from main.fct_capex_annual
        where company = ? and component = 'capex' and fiscal_year = ?
    """,
        [company, fiscal_year],
    )[0]


def test_msft_fiscal_quarters_from_year_to_date(warehouse: Path) -> None:
    rows = quarters(warehouse, "MSFT", 2025)
    assert [(r[1], r[2], r[5], r[6]) for r in rows] == [
        ("FY2025 Q1", "2024Q3", Decimal(14_923 * M), "reported"),
        ("FY2025 Q2", "2024Q4", Decimal(15_804 * M), "ytd_difference"),
        ("FY2025 Q3", "2025Q1", Decimal(16_745 * M), "ytd_difference"),
        ("FY2025 Q4", "2025Q2", Decimal(17_079 * M), "fy_minus_9m"),
    ]
    assert (rows[3][3], rows[3][4]) == (date(2025, 4, 1), date(2025, 6, 30))
    total, filing_count = annual(warehouse, "MSFT", 2025)
    assert sum(r[5] for r in rows) == total == Decimal(64_551 * M)
    assert filing_count == 2


def test_meta_fy2019_quarters(warehouse: Path) -> None:
    if not META_SAMPLE.is_file():
        pytest.skip(f"shared SEC sample not found at {META_SAMPLE} (set COSTCURVE_SAMPLES)")
    rows = quarters(warehouse, "META", 2019)
    assert [(r[1], r[5], r[6]) for r in rows] == [
        ("FY2019 Q1", Decimal(3_837 * M), "reported"),
        ("FY2019 Q2", Decimal(3_633 * M), "ytd_difference"),
        ("FY2019 Q3", Decimal(3_532 * M), "ytd_difference"),
        ("FY2019 Q4", Decimal(4_100 * M), "fy_minus_9m"),
    ]
    assert sum(r[5] for r in rows) == annual(warehouse, "META", 2019)[0] == Decimal(15_102 * M)


def test_meta_quarters_one_row_per_period_and_sum_to_fiscal_years(warehouse: Path) -> None:
    if not META_SAMPLE.is_file():
        pytest.skip(f"shared SEC sample not found at {META_SAMPLE} (set COSTCURVE_SAMPLES)")
    rows, distinct_ends = query(
        warehouse,
        """
        select count(*), count(distinct period_end) from main.fct_capex_quarterly where company = 'META'
    """,
    )[0]
    assert rows == distinct_ends
    mismatches = query(
        warehouse,
        """
        select a.fiscal_year, a.capex_usd, sum(q.capex_usd)
        from main.fct_capex_annual a
        join main.fct_capex_quarterly q using (company, component, fiscal_year)
        where a.company = 'META'
        group by a.fiscal_year, a.capex_usd
        having count(*) = 4 and sum(q.capex_usd) <> a.capex_usd
    """,
    )
    assert mismatches == []
    complete_years = query(
        warehouse,
        """
        select fiscal_year from main.fct_capex_quarterly where company = 'META'
        group by fiscal_year having count(*) = 4 order by fiscal_year
    """,
    )
    assert [y for (y,) in complete_years] == list(range(2012, 2021))


# --------------------------------------------------------------------------- docs (make docs)

MARTS = DBT_PROJECT / "models" / "marts"


def undocumented(manifest: dict, catalog: dict) -> list[str]:
    """What a reader of the docs site would find undocumented among the marts (every .sql in models/marts).

    A mart needs a description; every column the built table has (catalog) needs a non-empty description
    in the manifest (doc() blocks rendered), and every documented column must exist in the table.
    """
    problems = []
    for sql in sorted(MARTS.glob("*.sql")):
        key, mart = f"model.costcurve.{sql.stem}", sql.stem
        node = manifest["nodes"].get(key)
        if node is None:
            problems.append(f"{mart}: not in the manifest")
            continue
        if not node["description"].strip():
            problems.append(f"{mart}: no description")
        built = catalog["nodes"].get(key)
        if built is None:
            problems.append(f"{mart}: not in the catalog (not built)")
            continue
        described = {name.lower(): column["description"].strip() for name, column in node["columns"].items()}
        columns = {name.lower() for name in built["columns"]}
        problems += [f"{mart}.{c}: no description" for c in sorted(columns) if not described.get(c)]
        problems += [f"{mart}.{c}: documented, not in the table" for c in sorted(described.keys() - columns)]
    return problems


@pytest.fixture(scope="module")
def docs(warehouse: Path) -> tuple[Path, dict, dict]:
    """`make docs`' own code (costcurve.docs.generate_docs) against this module's built warehouse."""
    from costcurve.docs import generate_docs

    target = warehouse.parent / "docs"
    site = generate_docs(warehouse, target)
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    return site, manifest, catalog


def test_docs_site_is_one_static_file_with_the_marts(docs) -> None:
    site, _manifest, _catalog = docs
    assert site.name == "static_index.html"
    html = site.read_text()
    assert '"model.costcurve.fct_market_prices"' in html  # the manifest is inlined: opens from file://
    assert '"model.costcurve.mart_open_weight_share"' in html


def test_every_mart_and_every_mart_column_is_documented(docs) -> None:
    _site, manifest, catalog = docs
    marts = sorted(p.stem for p in MARTS.glob("*.sql"))
    assert "fct_market_prices" in marts and "mart_open_weight_share" in marts
    assert all(f"model.costcurve.{m}" in catalog["nodes"] for m in marts)  # every mart built and catalogued
    assert undocumented(manifest, catalog) == []


def test_the_docs_guard_catches_an_undocumented_mart_or_column(docs) -> None:
    """The check above can fail: the real manifest and catalog, each broken one way."""
    import copy

    _site, manifest, catalog = docs
    manifest, catalog = copy.deepcopy(manifest), copy.deepcopy(catalog)
    market = "model.costcurve.fct_market_prices"
    manifest["nodes"][market]["columns"]["usd_per_mtok"]["description"] = "  "
    manifest["nodes"]["model.costcurve.dim_models"]["description"] = ""
    catalog["nodes"]["model.costcurve.mart_open_weight_share"]["columns"]["new_share"] = {"name": "new_share"}
    del manifest["nodes"]["model.costcurve.fct_price_changes"]["columns"]["change_pct"]
    del catalog["nodes"]["model.costcurve.fct_capex_annual"]
    assert undocumented(manifest, catalog) == [
        "dim_models: no description",
        "fct_capex_annual: not in the catalog (not built)",
        "fct_market_prices.usd_per_mtok: no description",
        "fct_price_changes.change_pct: no description",
        "mart_open_weight_share.new_share: no description",
    ]
