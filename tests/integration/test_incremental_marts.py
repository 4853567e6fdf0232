"""The incremental marts give exactly what a full rebuild gives, whatever the loads did in between.

A small real warehouse (two sources' real captures, loaded by ``warehouse.load`` and copied to earlier days
by bench/scale.py's generator) is built once in full. Then each case changes the raw tables the way a run
does, builds incrementally, and compares every table dbt keeps (marts and materialised intermediates, row
for row, doubles to 9 decimals) with a ``--full-refresh`` build of a copy of the same warehouse. The only
tables left out are the incremental builds' own bookkeeping (``intermediate.fct_price_observations__build``, its watermark and
days, and ``intermediate.fct_price_history__recompute``, the series it rebuilt: they differ by design).

Cases: a new day with price cuts, then a day whose prices return to the old ones; a backfilled day before the history; an old day re-loaded with series
missing; an old day whose price rows were all held; a seed edit (a seller alias and the creator prefixes
removed, in a copy of the project) that must change rows already built; a warehouse whose marts were built
before they were incremental (no new columns, no bookkeeping).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
SOURCES = ["anthropic", "openai"]
HISTORY_DAYS = 4
BOOKKEEPING = {("intermediate", "fct_price_observations__build"), ("intermediate", "fct_price_history__recompute")}


@pytest.fixture(scope="module")
def parsed():
    from bench.parsing import samples_dir
    from bench.scale import parse_sources

    if not samples_dir().is_dir():
        pytest.skip(f"the shared samples are absent ({samples_dir()})")
    parsed, skipped = parse_sources(SOURCES)
    if set(parsed) != set(SOURCES):
        pytest.skip(f"these sources' samples did not parse: {skipped}")
    return parsed


@pytest.fixture(scope="module")
def built(tmp_path_factory, parsed) -> Path:
    """The warehouse after a full build: the seed day and HISTORY_DAYS - 1 copies before it."""
    from bench.scale import SEED_DAY, grow, load_day

    warehouse = tmp_path_factory.mktemp("incremental") / "costcurve.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        load_day(con, parsed, SEED_DAY)
        grow(con, HISTORY_DAYS)
    dbt_build(warehouse)
    return warehouse


def dbt_build(warehouse: Path, *args: str, project: Path = REPO / "dbt_project") -> None:
    target = warehouse.parent / f"target_{datetime.now(UTC).timestamp()}"
    env = {**os.environ, "COSTCURVE_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(target),
           "DBT_LOG_PATH": str(target), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    proc = subprocess.run([str(DBT), "build", "--project-dir", str(project), "--profiles-dir", str(project),
                           "--exclude", "resource_type:unit_test", *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"dbt build {args} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"


def copy_of(warehouse: Path, name: str) -> Path:
    folder = warehouse.parent.parent / name
    folder.mkdir()
    shutil.copy(warehouse, folder / warehouse.name)  # the catalog is the file's stem: keep the name
    return folder / warehouse.name


def differences(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """{schema.table: (rows only in a, rows only in b)} over every dbt table; {} when identical."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    tables = con.execute("""
        SELECT schema_name, table_name FROM duckdb_tables()
        WHERE database_name = 'a' AND schema_name NOT IN ('raw', 'ops') ORDER BY ALL
    """).fetchall()
    assert any(table == "fct_price_observations" for _, table in tables)
    found = {}
    for schema, table in tables:
        if (schema, table) in BOOKKEEPING:
            continue
        columns = ", ".join(_comparable(name, kind) for name, kind in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'a' AND schema_name = ? "
            "AND table_name = ? ORDER BY column_index", [schema, table]).fetchall())
        only = [con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM {x}.{schema}.{table} "
                            f"EXCEPT ALL SELECT {columns} FROM {y}.{schema}.{table})").fetchone()[0]
                for x, y in (("a", "b"), ("b", "a"))]
        if any(only):
            found[f"{schema}.{table}"] = tuple(only)
    return found


def _comparable(column: str, data_type: str) -> str:
    # a sum of doubles depends on the order DuckDB's threads add them in (the cost-curve index differs in
    # the 14th digit between two full builds): doubles are compared to 9 decimals, everything else exactly
    return f'round("{column}", 9)' if data_type in ("DOUBLE", "FLOAT") else f'"{column}"'


def incremental_equals_full(warehouse: Path, name: str, **build) -> None:
    full = copy_of(warehouse, f"{name}_full")
    dbt_build(warehouse, **build)
    dbt_build(full, "--full-refresh", **build)
    assert differences(warehouse, full) == {}


def observations_on(warehouse: Path, day: date) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT count(*) FROM main.fct_price_observations WHERE observed_date = ?",
                           [day]).fetchone()[0]


def test_a_new_day_with_price_cuts_builds_only_that_day(built, parsed, tmp_path) -> None:
    from bench.scale import SEED_DAY, change_prices, load_day

    warehouse = copy_of(built, "new_day")
    today = SEED_DAY + timedelta(days=1)
    with duckdb.connect(str(warehouse)) as con:
        load_day(con, parsed, today)
        change_prices(con, today)
    incremental_equals_full(warehouse, "new_day")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        written = con.execute("SELECT observed_date FROM intermediate.fct_price_observations__build").fetchall()
        cuts = con.execute("SELECT count(*) FROM main.fct_price_history WHERE valid_from = ?", [today]).fetchone()
    assert written == [(today,)]
    assert cuts[0] > 0  # the cuts opened new history rows, so the comparison covered a change

    back = today + timedelta(days=1)  # the seed prices again: A -> B -> A closes the cut runs
    with duckdb.connect(str(warehouse)) as con:
        load_day(con, parsed, back)
    incremental_equals_full(warehouse, "back_again")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        closed = con.execute("SELECT count(*) FROM main.fct_price_history WHERE valid_from = ? AND valid_to = ?",
                             [today, back]).fetchone()
    assert closed == cuts


def test_backfilled_reloaded_and_held_days_match_a_full_rebuild(built, parsed) -> None:
    from bench.scale import SEED_DAY, load_day
    from warehouse.load import load_source_day

    warehouse = copy_of(built, "old_days")
    first = SEED_DAY - timedelta(days=HISTORY_DAYS - 1)
    backfilled, reloaded, held = first - timedelta(days=1), first + timedelta(days=1), first + timedelta(days=2)
    before = observations_on(warehouse, reloaded)
    fetches, result = parsed["anthropic"]
    with duckdb.connect(str(warehouse)) as con:
        load_day(con, parsed, backfilled)
    incremental_equals_full(warehouse, "backfilled")
    # apart from the backfill, which touches every series, and one at a time: a day whose prices were
    # all held (its price rows left the raw table, its fetch rows were written again) must close nothing
    # and drop the day from every run that spanned it
    with duckdb.connect(str(warehouse)) as con:
        con.execute("DELETE FROM raw.price_facts WHERE source_id = 'openai' AND partition_date = ?", [held])
        con.execute("UPDATE raw.fetches SET loaded_at = ? WHERE source_id = 'openai' AND partition_date = ?",
                    [datetime.now(UTC), held])
    incremental_equals_full(warehouse, "held")
    # a re-load that lost half of the page's prices
    with duckdb.connect(str(warehouse)) as con:
        fewer = dataclasses.replace(result, prices=result.prices[: len(result.prices) // 2])
        load_source_day(con, "anthropic", reloaded, fetches, fewer)
    incremental_equals_full(warehouse, "old_days")
    assert observations_on(warehouse, backfilled) > 0
    assert 0 < observations_on(warehouse, reloaded) < before


def test_a_seed_edit_re_resolves_rows_already_built(built, tmp_path) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    with (project / "seeds" / "seller_aliases.csv").open("a") as aliases:
        aliases.write("anthropic,acme\n")  # anthropic's rows now sell as seller 'acme'
    creators = project / "seeds" / "model_creators.csv"
    creators.write_text("".join(line for line in creators.read_text().splitlines(keepends=True)
                                if not line.startswith("prefix,")))
    warehouse = copy_of(built, "seed_edit")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        query = ("SELECT count(*) FILTER (seller_id = 'acme'), count(canonical_model_id) "
                 "FROM main.fct_price_observations WHERE source_id = 'anthropic'")
        before = con.execute(query).fetchone()
    incremental_equals_full(warehouse, "seed_edit", project=project)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = con.execute(query).fetchone()
    assert before[0] == 0 and after[0] > 0  # the alias reached rows built before the edit
    assert after[1] != before[1]  # and without creator prefixes names resolve differently


def test_a_warehouse_built_before_the_marts_were_incremental_upgrades_itself(built) -> None:
    warehouse = copy_of(built, "upgrade")
    with duckdb.connect(str(warehouse)) as con:  # the marts as the last full-table build left them
        con.execute("ALTER TABLE main.fct_price_observations DROP COLUMN loaded_at")
        con.execute("ALTER TABLE main.fct_price_history DROP COLUMN source_valid_from")
        con.execute("ALTER TABLE main.fct_price_history DROP COLUMN source_valid_from_basis")
        for table in ("fct_price_observations__build", "fct_price_observations__identity_applied",
                      "fct_price_observations__sellers_applied", "fct_price_history__pending",
                      "fct_price_history__recompute"):
            con.execute(f"DROP TABLE IF EXISTS intermediate.{table}")
    incremental_equals_full(warehouse, "upgrade")
