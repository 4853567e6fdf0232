"""The alerts tables: created without keys or constraints DuckLake lacks, and an old outbox is set aside."""

from __future__ import annotations

import duckdb

from alerts import state


def test_tables_have_no_primary_key_or_unique_constraint(db_path):
    with duckdb.connect(str(db_path)) as con:
        state.ensure_schema(con)
        kinds = con.execute(
            "SELECT DISTINCT constraint_type FROM duckdb_constraints() WHERE schema_name = 'alerts'").fetchall()
    assert {k for (k,) in kinds} <= {"NOT NULL"}


def test_an_outbox_of_the_first_design_is_kept_aside_not_reused(db_path):
    with duckdb.connect(str(db_path)) as con:
        con.execute("CREATE SCHEMA alerts; CREATE TABLE alerts.events (event_id VARCHAR PRIMARY KEY, status VARCHAR)")
        con.execute("INSERT INTO alerts.events VALUES ('evt_old', 'pending')")
        state.ensure_schema(con)
        state.ensure_schema(con)  # idempotent
        assert con.execute("SELECT * FROM alerts.events_v1").fetchall() == [("evt_old", "pending")]
        assert state.due(con) == []  # the old rule's rows are not sent in the new format
