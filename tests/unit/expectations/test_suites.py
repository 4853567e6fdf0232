"""The suite files: each loads in full, carries a severity, and agrees with the DDL, dbt and the vocabularies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gate_frames import MAY_BE_EMPTY, ROWS, mart_contracts

from expectations import runner
from expectations.runner import SuiteError, load_suite, read_suite_json
from scrapers import records

REPO = Path(__file__).resolve().parents[3]
RAW_SCHEMA_SQL = REPO / "warehouse" / "raw_schema.sql"

RAW_SUITES = {
    "raw_price_facts": "price_facts",
    "raw_model_attributes": "model_attributes",
    "raw_capex_facts": "capex_facts",
    "raw_fetches": "fetches",
    "raw_performance_facts": "performance_facts",
    "raw_usage_facts": "usage_facts",
    "raw_throughput_disclosures": "throughput_disclosures",
    "raw_parse_exclusions": "parse_exclusions",
    "raw_capability_scores": "capability_scores",
}
#: every mart's columns, as its enforced dbt contract lists them
MART_COLUMNS = {name: [c["name"] for c in columns] for name, columns in mart_contracts().items()}
ALL_SUITES = [*RAW_SUITES, *MART_COLUMNS]
VOCABULARIES = {
    "token_type": records.TOKEN_TYPES,
    "service_tier": records.SERVICE_TIERS,
    "modality": records.MODALITIES,
    "currency": records.CURRENCIES,
    "valid_from_basis": records.DateBasis.__args__,
    "scale": records.SCORE_SCALES,
    "as_of_basis": records.SCORE_DATE_BASES,
}


def parse_raw_ddl(sql: str) -> dict[str, dict[str, bool]]:
    """``{table: {column: not_null}}`` for every ``CREATE TABLE raw.<table> (...)`` in the DDL."""
    sql = re.sub(r"--[^\n]*", "", sql)
    tables = {}
    for match in re.finditer(r"CREATE TABLE (?:IF NOT EXISTS )?raw\.(\w+)\s*\((.*?)\);", sql, re.S | re.I):
        columns = {}
        for line in match.group(2).split(",\n"):
            line = line.strip()
            if not line or re.match(r"(PRIMARY|UNIQUE|CHECK|CONSTRAINT|FOREIGN)\b", line, re.I):
                continue
            name = line.split()[0].strip('"')
            columns[name] = bool(re.search(r"\bNOT\s+NULL\b", line, re.I))
        tables[match.group(1)] = columns
    return tables


RAW_DDL = parse_raw_ddl(RAW_SCHEMA_SQL.read_text())


def expectations_of(suite: str, type_: str, severity: str | None = None) -> list[dict]:
    return [
        e
        for e in read_suite_json(suite)["expectations"]
        if e["type"] == type_ and (severity is None or e["meta"]["severity"] == severity)
    ]


def required_columns(suite: str) -> list[str]:
    (present,) = [
        e for e in expectations_of(suite, "expect_table_columns_to_match_set", "critical")
        if e["kwargs"]["exact_match"] is False
    ]
    return present["kwargs"]["column_set"]


def test_the_ddl_parser_reads_the_raw_schema():
    assert set(RAW_SUITES.values()) <= set(RAW_DDL)
    assert RAW_DDL["price_facts"]["price_per_mtok"] is True
    assert RAW_DDL["price_facts"]["usd_per_mtok"] is False


def test_every_gated_table_has_a_suite():
    assert set(ALL_SUITES) <= set(runner.suite_names())


@pytest.mark.parametrize("name", ALL_SUITES)
def test_suite_loads_with_its_full_count(name):
    data = read_suite_json(name)
    suite = load_suite(name)
    assert len(suite.expectations) == len(data["expectations"]) > 0
    assert suite.name == name
    assert suite.meta["table"]
    for expectation in suite.expectations:
        assert expectation.meta["severity"] in ("critical", "warning")
        assert expectation.severity.value == expectation.meta["severity"]
        assert expectation.meta.get("description"), f"{expectation.expectation_type} has no description"


@pytest.mark.parametrize("name", ALL_SUITES)
def test_suite_has_the_baseline_critical_checks(name):
    counts = expectations_of(name, "expect_table_row_count_to_be_between", "critical")
    if name in MAY_BE_EMPTY:  # e.g. a day on which no parser excluded anything
        assert not [c for c in counts if (c["kwargs"].get("min_value") or 0) >= 1]
    else:
        (count,) = counts
        assert count["kwargs"]["min_value"] >= 1
    required = required_columns(name)
    assert len(required) == len(set(required))
    assert set(read_suite_json(name)["meta"]["row_id_columns"]) <= set(required)


@pytest.mark.parametrize("name", ALL_SUITES)
def test_every_column_named_by_an_expectation_is_a_required_column(name):
    required = set(required_columns(name))
    for expectation in read_suite_json(name)["expectations"]:
        kwargs = expectation["kwargs"]
        named = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
        named += kwargs.get("column_list", [])
        condition = kwargs.get("row_condition")
        if condition:
            named.append(condition["column"]["name"])
        assert set(named) <= required, f"{expectation['type']} names {set(named) - required}"


@pytest.mark.parametrize(("suite", "table"), RAW_SUITES.items())
def test_raw_suite_columns_match_the_raw_ddl(suite, table):
    ddl = RAW_DDL[table]
    for expectation in expectations_of(suite, "expect_table_columns_to_match_set"):
        assert sorted(expectation["kwargs"]["column_set"]) == sorted(ddl), (
            f"{suite}.json and raw.{table} in warehouse/raw_schema.sql have drifted apart"
        )
    # exactly the DDL's NOT NULL columns get an unconditional critical not-null expectation
    not_null = {
        e["kwargs"]["column"]
        for e in expectations_of(suite, "expect_column_values_to_not_be_null", "critical")
        if "row_condition" not in e["kwargs"]
    }
    assert not_null == {column for column, required in ddl.items() if required}


@pytest.mark.parametrize("suite", RAW_SUITES)
def test_raw_suite_checks_provenance(suite):
    columns = set(required_columns(suite))
    sha_column = "raw_sha256" if "raw_sha256" in columns else "sha256"
    regexes = {
        (e["kwargs"]["column"], e["kwargs"]["regex"], e["meta"]["severity"])
        for e in expectations_of(suite, "expect_column_values_to_match_regex")
    }
    assert (sha_column, "^[0-9a-f]{64}$", "critical") in regexes
    url_column = "source_url" if "source_url" in columns else "url"
    assert (url_column, "^(https?|repo)://", "warning") in regexes


#: the natural key of each raw table: a duplicate is critical
NATURAL_KEYS = {
    "raw_performance_facts": ["partition_date", "source_id", "provider_id", "model_id", "metric", "quantization"],
    "raw_usage_facts": ["partition_date", "source_id", "usage_date", "source_model_id"],
    "raw_throughput_disclosures": ["partition_date", "source_id", "company", "metric", "period_end"],
    "raw_capability_scores": ["partition_date", "source_id", "source_url", "model_id", "benchmark", "as_of"],
}


@pytest.mark.parametrize("suite", NATURAL_KEYS)
def test_natural_key_uniqueness_is_critical(suite):
    keys = [e["kwargs"]["column_list"] for e in expectations_of(suite, "expect_compound_columns_to_be_unique", "critical")]
    assert keys == [NATURAL_KEYS[suite]]
    assert read_suite_json(suite)["meta"]["row_id_columns"][: len(NATURAL_KEYS[suite])] == NATURAL_KEYS[suite]


#: metrics the performance marts know; records.PerformanceFact documents these (latency_ms_p50 besides)
PERFORMANCE_METRICS = {"output_tokens_per_second", "latency_ms", "latency_ms_p50", "time_to_first_token_ms", "uptime_pct"}


def test_an_unknown_performance_metric_warns_rather_than_blocks():
    (metric,) = [e for e in expectations_of("raw_performance_facts", "expect_column_values_to_be_in_set")
                 if e["kwargs"]["column"] == "metric"]
    assert metric["meta"]["severity"] == "warning"
    assert set(metric["kwargs"]["value_set"]) == PERFORMANCE_METRICS
    documented = re.search(r"#: (output_tokens_per_second[^\n]*)", Path(records.__file__).read_text()).group(1)
    assert {m.strip() for m in documented.split("|")} <= PERFORMANCE_METRICS


def test_usage_citation_credits_openrouter_as_a_warning():
    (citation,) = [e for e in expectations_of("raw_usage_facts", "expect_column_values_to_match_regex")
                   if e["kwargs"]["column"] == "citation"]
    assert citation["meta"]["severity"] == "warning"
    assert re.search(citation["kwargs"]["regex"], "Source: OpenRouter rankings (openrouter.ai/rankings)")
    assert not re.search(citation["kwargs"]["regex"], "Source: model rankings")


def test_a_disclosure_without_a_source_url_is_critical():
    (url,) = [e for e in expectations_of("raw_throughput_disclosures", "expect_column_values_to_match_regex")
              if e["kwargs"]["column"] == "disclosure_url"]
    assert url["meta"]["severity"] == "critical"
    assert url["kwargs"]["regex"] == "^https?://"


@pytest.mark.parametrize("suite", MART_COLUMNS)
def test_mart_suite_columns_match_the_dbt_contract(suite):
    assert sorted(required_columns(suite)) == sorted(MART_COLUMNS[suite]), (
        f"expectations/suites/{suite}.json and the contract in dbt_project/models/marts/_models.yml have drifted apart"
    )


def test_every_published_mart_has_a_contract_and_a_suite():
    """The gates, exports and these tests follow the dbt manifest: a new mart without its pieces fails here."""
    from orchestration.dbt_project import published_marts

    marts = set(published_marts())
    assert {"fct_price_observations", "fct_market_prices", "mart_cost_curve_index"} <= marts
    missing_contract = sorted(marts - set(MART_COLUMNS))
    assert not missing_contract, (
        f"add an enforced contract (config: contract: {{enforced: true}}, every column with its data_type) to "
        f"dbt_project/models/marts/_models.yml for {missing_contract}")
    missing_suite = sorted(marts - set(runner.suite_names()))
    assert not missing_suite, f"add a GX suite expectations/suites/<mart>.json for {missing_suite}"
    missing_frame = sorted(marts - set(ROWS))
    assert not missing_frame, f"add good rows for {missing_frame} to ROWS in tests/unit/expectations/gate_frames.py"


@pytest.mark.parametrize("name", ALL_SUITES)
def test_vocabularies_match_scrapers_records(name):
    for expectation in expectations_of(name, "expect_column_values_to_be_in_set"):
        column = expectation["kwargs"]["column"]
        if column in VOCABULARIES:
            assert expectation["meta"]["severity"] == "critical"
            assert sorted(expectation["kwargs"]["value_set"]) == sorted(VOCABULARIES[column])


# the suites of tables keyed by a price's dimensions (the curve marts fix them: USD, standard, text)
@pytest.mark.parametrize("name", [s for s in ALL_SUITES if "price" in s and "token_type" in required_columns(s)])
def test_price_suites_guard_every_price_dimension(name):
    guarded = {e["kwargs"]["column"] for e in expectations_of(name, "expect_column_values_to_be_in_set", "critical")}
    assert {"token_type", "service_tier", "modality", "currency"} <= guarded
    bounds = expectations_of(name, "expect_column_values_to_be_between", "critical")
    prices = [c for c in required_columns(name) if c.endswith("price_per_mtok") and not c.startswith(("min_", "max_"))]
    assert prices, f"{name} has no price column"
    for column in prices:  # price_per_mtok, or a change's old_ and new_price_per_mtok
        price = [e for e in bounds if e["kwargs"]["column"] == column]
        assert price and price[0]["kwargs"]["min_value"] == 0 and price[0]["kwargs"]["max_value"] == 10_000, column


# ------------------------------------------------------------------ load_suite refuses untrustworthy files


def _write_suite(tmp_path: Path, monkeypatch, expectations: list[dict], name: str = "scratch") -> str:
    (tmp_path / f"{name}.json").write_text(json.dumps({"name": name, "expectations": expectations}))
    monkeypatch.setattr(runner, "SUITES_DIR", tmp_path)
    return name


GOOD = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}, "meta": {"severity": "critical"}}


def test_a_valid_scratch_suite_loads(tmp_path, monkeypatch):
    name = _write_suite(tmp_path, monkeypatch, [GOOD, {**GOOD, "meta": {"severity": "warning"}}])
    assert len(load_suite(name).expectations) == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({**GOOD, "type": "expect_column_values_to_not_be_nul"}, "unknown expectation type"),
        ({**GOOD, "kwargs": {"colum": "a"}}, "invalid configuration"),
        ({**GOOD, "type": "expect_column_values_to_be_between", "kwargs": {"column": "a", "min_vale": 0}},
         "invalid configuration"),
        ({**GOOD, "meta": {}}, "meta.severity"),
        ({**GOOD, "meta": {"severity": "fatal"}}, "meta.severity"),
        ({**GOOD, "severity": "warning"}, "!= meta.severity"),
        ({**GOOD, "kwarg": {}}, "unknown keys"),
    ],
)
def test_load_suite_refuses_what_gx_would_drop_or_misread(tmp_path, monkeypatch, bad, message):
    name = _write_suite(tmp_path, monkeypatch, [GOOD, bad])
    with pytest.raises(SuiteError, match=re.escape(message)):
        load_suite(name)


def test_load_suite_checks_the_count_gx_loaded(tmp_path, monkeypatch):
    """If GX drops an expectation silently however it gets past the per-expectation checks, the count catches it."""
    name = _write_suite(tmp_path, monkeypatch, [GOOD, {**GOOD, "kwargs": {"column": "b"}}])
    gx = runner._gx()

    class DroppingSuite(gx.ExpectationSuite):
        def __init__(self, *, expectations, **kwargs):
            super().__init__(expectations=expectations[:-1], **kwargs)

    class FakeGX:
        ExpectationSuite = DroppingSuite

    monkeypatch.setattr(runner, "_gx", lambda: FakeGX)
    with pytest.raises(SuiteError, match="holds 2 expectations but GX loaded 1"):
        load_suite(name)


@pytest.mark.parametrize("name", ["../raw_price_facts", "Raw", "no_such_suite"])
def test_suite_names_are_checked(name):
    with pytest.raises(SuiteError):
        load_suite(name)


def test_suite_file_name_and_suite_name_agree(tmp_path, monkeypatch):
    (tmp_path / "one.json").write_text(json.dumps({"name": "two", "expectations": [GOOD]}))
    monkeypatch.setattr(runner, "SUITES_DIR", tmp_path)
    with pytest.raises(SuiteError, match="'name' must be 'one'"):
        load_suite("one")
