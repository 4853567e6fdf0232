"""A dbt test failing stops the steps after it: no mart gate, no alerts, no published copy.

The day is a real demo day (2025-12-20) run through the real Dagster job (``costcurve.runner.run_day``)
with real dbt. Its own captures are clean, so every raw gate passes; the fault is one row in
``raw.capex_facts``, filed on an earlier day, for a company that is not in ``seeds/companies.csv``.
Today's raw gates judge today's slice only, so the first check to see the row is dbt's
``relationships`` test on ``stg_sec__capex_facts.company`` (severity error): the dbt step must fail and
every step downstream of the marts must be skipped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from costcurve.runner import load_definitions, run_day
from tests.integration.conftest import _make_sandbox
from warehouse.connection import ensure_raw_schema, writer

pytestmark = pytest.mark.integration

DAY = date(2025, 12, 20)
EARLIER = date(2025, 12, 19)
UNSEEDED = "NOTSEEDED"  # no row in dbt_project/seeds/companies.csv

BAD_CAPEX_ROW = """
    INSERT INTO raw.capex_facts VALUES (
        ?, 'sec_capex', 'https://data.sec.gov/api/xbrl/companyconcept/CIK0000000001/us-gaap/x.json', ?,
        'f' || repeat('0', 63), 'test', 1, ?, 'Not Seeded Inc.', 'us-gaap',
        'PaymentsToAcquirePropertyPlantAndEquipment', 'capex', 'USD', DATE '2025-07-01', DATE '2025-09-30',
        1000000.00, '0000000001-25-000001', '10-Q', 2025, 'Q3', DATE '2025-10-30', NULL, ?)
"""


def test_a_failing_dbt_test_fails_the_dbt_step_and_skips_everything_after_it(tmp_path, dbt_manifest):
    with pytest.MonkeyPatch.context() as mp:
        box = _make_sandbox(tmp_path, mp)
        stamp = datetime(2025, 12, 19, 6, 0, tzinfo=UTC)
        with writer(box.warehouse) as con:
            ensure_raw_schema(con)
            con.execute(BAD_CAPEX_ROW, [EARLIER, stamp, UNSEEDED, stamp])
        outcome = run_day(DAY, defs=load_definitions())

    assert not outcome.success
    assert outcome.failed_steps == ["costcurve_dbt_models"], outcome.errors
    assert any("relationships" in name and "company" in name for name in outcome.checks_failed), \
        outcome.checks_failed
    # the day's sources loaded and passed their raw gates: the dbt test is what stopped the run
    assert not any(name.endswith("gx_raw_price_facts") for name in outcome.checks_failed)
    skipped = set(outcome.skipped_steps)
    assert "publish__analyst_copy" in skipped
    assert any("alert" in step for step in skipped), skipped
    assert not box.published.exists()
    con = duckdb.connect(str(box.warehouse), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        loaded = con.execute("SELECT count(*) FROM raw.price_facts WHERE partition_date = ?", [DAY]).fetchone()[0]
    finally:
        con.close()
    assert loaded > 0
    assert "fct_capex_quarterly" not in tables  # dbt built nothing downstream of the failing test
