"""Issue 9, "Analyst SQL": what `costcurve sql` refuses, the limits it runs under, and output of any value.

Every case runs the real command against a real DuckDB file laid out as the published copy is (its own
directory, opened read-only); the cases that once stopped the process or never ended run it as a child
process, so a regression shows as an exit code rather than a dead or hung test session.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from costcurve import sql_guard
from costcurve.cli import app
from costcurve.config import PROJECT_ROOT
from costcurve.report import SECTIONS
from warehouse.connection import analyst

runner = CliRunner()
COSTCURVE = Path(sys.executable).with_name("costcurve")
MARKUP = ["[/x]", "[bold]b[/bold]", "[red]", "[/]", ":thumbs_up:", "[link=file:///etc]l[/link]", "\\[x]"]
#: a cross join of 10^16 rows: never ends on its own (the issue's ran 150 s until killed)
CROSS_JOIN = "SELECT count(*) FROM range(100000000) a, range(100000000) b"
#: sorting 20 million rows needs far more than 50 MB (run: OutOfMemoryException at 47.6 MiB)
BIG_SORT = "SELECT sum(x) FROM (SELECT range AS x FROM range(20000000) ORDER BY random())"
HANG_GUARD_S = 300  # only so a regression fails instead of hanging the suite; never an assertion on time


@pytest.fixture
def published(tmp_path, monkeypatch) -> Path:
    """A published-style copy: one table of text values (markup among them), in a directory of its own."""
    path = tmp_path / "published" / "costcurve.duckdb"
    path.parent.mkdir()
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE names AS SELECT * FROM unnest(?) AS t(value)", [MARKUP])
    con.execute("CREATE TABLE seq AS SELECT range AS i FROM range(1000)")
    con.close()
    monkeypatch.setenv("COSTCURVE_PUBLISHED", str(path))
    monkeypatch.delenv(sql_guard.TIMEOUT_ENV, raising=False)
    monkeypatch.delenv(sql_guard.MEMORY_ENV, raising=False)
    return path


def _state(published: Path) -> tuple[str, list[str]]:
    """The copy's bytes and every file beside it: a refused or stopped query changes neither."""
    return hashlib.sha256(published.read_bytes()).hexdigest(), sorted(p.name for p in published.parent.iterdir())


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(COSTCURVE), "sql", *args], capture_output=True, text=True, env=env,
                          timeout=HANG_GUARD_S, cwd=PROJECT_ROOT)


def _env(published: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "COSTCURVE_PUBLISHED": str(published), **extra}


# --- every forbidden operation: refused by name, nothing written, the process goes on -------------------

FORBIDDEN = [
    # statements outside the allow-list (SELECT, EXPLAIN of a SELECT)
    ("CALL enable_logging(storage='file', storage_path='log.csv')", "CALL statement"),
    ("PRAGMA enable_profiling", "PRAGMA statement"),
    ("PRAGMA enable_profiling = 'json'", "SET statement"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("FORCE CHECKPOINT", "CHECKPOINT"),
    ("VACUUM", "VACUUM statement"),
    ("SET memory_limit = '100GB'", "SET statement"),
    ("SET lock_configuration = false", "SET statement"),
    ("RESET memory_limit", "SET statement"),
    ("USE memory", "SET statement"),
    ("ATTACH ':memory:' AS scratch", "ATTACH statement"),
    ("DETACH costcurve", "DETACH statement"),
    ("INSTALL httpfs", "LOAD statement"),
    ("LOAD httpfs", "LOAD statement"),
    ("COPY names TO 'names.csv'", "COPY statement"),
    ("COPY (SELECT 1) TO 'one.parquet' (FORMAT parquet)", "COPY statement"),
    ("EXPORT DATABASE 'dump'", "EXPORT statement"),
    ("CREATE TEMP TABLE t AS SELECT 1", "CREATE statement"),
    ("CREATE MACRO m() AS 1", "CREATE statement"),
    ("DROP TABLE names", "DROP statement"),
    ("INSERT INTO names VALUES ('x')", "INSERT statement"),
    ("UPDATE names SET value = 'x'", "UPDATE statement"),
    ("DELETE FROM names", "DELETE statement"),
    ("BEGIN TRANSACTION", "TRANSACTION statement"),
    ("PREPARE p AS SELECT 1", "PREPARE statement"),
    ("CALL pragma_version()", "CALL statement"),
    ("EXPLAIN COPY names TO 'names.csv'", "EXPLAIN [ANALYZE] of a SELECT only"),
    ("SELECT 1; SELECT 2", "2 statements"),
    ("CALL enable_logging(storage='file', storage_path='log.csv'); SELECT 1", "2 statements"),
    # functions that write, abort, or run SQL hidden in a string, wherever they sit in a SELECT
    ("SELECT * FROM enable_logging(storage='file', storage_path='log.csv')", "enable_logging()"),
    ("SELECT * FROM disable_logging()", "disable_logging()"),
    ("SELECT * FROM truncate_duckdb_logs()", "truncate_duckdb_logs()"),
    ("SELECT * FROM enable_profiling()", "enable_profiling()"),
    ("SELECT * FROM checkpoint()", "checkpoint()"),
    ("SELECT * FROM force_checkpoint()", "force_checkpoint()"),
    ("SELECT * FROM query('SELECT 1')", "query()"),
    ("SELECT * FROM main.query('SELECT 1')", "query()"),
    ("SELECT * FROM query_table('names')", "query_table()"),
    ("SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", "json_execute_serialized_sql()"),
    ("SELECT json_execute_serialized_sql('x')", "json_execute_serialized_sql()"),
    ("SELECT write_log('x')", "write_log()"),
    ("WITH a AS (SELECT * FROM query('SELECT 1')) SELECT * FROM a", "query()"),
    ("SELECT (SELECT count(*) FROM query_table('names'))", "query_table()"),
    ("SELECT * FROM seq, LATERAL (SELECT * FROM query('SELECT 1'))", "query()"),
    ("SELECT 1 WHERE EXISTS (SELECT * FROM enable_logging())", "enable_logging()"),
    ("EXPLAIN ANALYZE SELECT * FROM query('SELECT 1')", "query()"),
    ("DESCRIBE SELECT * FROM query('SELECT 1')", "query()"),
    ("SUMMARIZE SELECT * FROM query_table('names')", "query_table()"),
    # files are not the published copy (the sandbox refuses their access too)
    ("SELECT * FROM read_csv('/etc/hostname')", "read_csv()"),
    ("SELECT * FROM read_parquet('x.parquet')", "read_parquet()"),
    ("SELECT * FROM read_text('/etc/hostname')", "read_text()"),
    ("SELECT * FROM read_blob('/etc/hostname')", "read_blob()"),
    ("SELECT * FROM glob('*')", "glob()"),
    ("SELECT * FROM duckdb_secrets()", "duckdb_secrets()"),
]


@pytest.mark.parametrize("query, named", FORBIDDEN, ids=[q for q, _ in FORBIDDEN])
def test_a_forbidden_operation_is_refused_by_name_and_nothing_is_written(published, query, named):
    before = _state(published)
    result = runner.invoke(app, ["sql", query])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: refused") and named in lines[0], result.stderr
    assert result.stdout == ""
    assert _state(published) == before
    after = runner.invoke(app, ["sql", "--csv", "SELECT count(*) AS n FROM seq"])  # the process goes on
    assert after.exit_code == 0 and after.stdout.splitlines() == ["n", "1000"]


def test_file_logging_then_a_query_no_longer_aborts_the_process(published):
    """Before: DuckDB's file log writer, refused the file system, throws from a background flush and the
    process dies of std::terminate (exit -6 / 134) on the query after enable_logging."""
    log = published.parent / "log"
    query = f"CALL enable_logging(level='trace', storage='file', storage_path='{log}'); SELECT count(*) FROM seq"
    before = _state(published)
    result = _run(query, env=_env(published))
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith("error: refused") and "terminate" not in result.stderr
    assert _state(published) == before and not log.exists()


# --- limits the operator sets and SQL cannot raise -----------------------------------------------------


def test_a_query_past_the_timeout_is_stopped_with_a_clear_error(published):
    before = _state(published)
    result = _run(CROSS_JOIN, env=_env(published, COSTCURVE_SQL_TIMEOUT="1"))
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.splitlines() == [
        "error: the query ran past COSTCURVE_SQL_TIMEOUT=1 s and was stopped; narrow it, or ask the "
        "operator for a longer limit"]
    assert result.stdout == "" and _state(published) == before
    out = published.parent.parent / "rows.csv"
    to_file = _run("--format", "csv", "--out", str(out), CROSS_JOIN, env=_env(published, COSTCURVE_SQL_TIMEOUT="1"))
    assert to_file.returncode == 1 and "COSTCURVE_SQL_TIMEOUT=1 s" in to_file.stderr
    assert not out.exists() and list(out.parent.glob("*.part")) == []  # no file, not even half of one


def test_a_deadline_that_passes_before_the_query_starts_still_stops_it(published):
    """A single interrupt sent while the connection is idle is lost (DuckDB clears it when a query starts):
    the query would then run with no deadline at all. The watchdog keeps interrupting until it is over."""
    script = f"""
import time
from costcurve import sql_guard
from warehouse.connection import analyst
limits = sql_guard.Limits(timeout_s=0.01, memory_limit="2GB")
with analyst({str(published)!r}, limits.connection_config()) as con, sql_guard.limited(con, limits):
    time.sleep(0.5)  # the deadline passes here, before the query
    con.execute({CROSS_JOIN!r}).fetchall()
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=HANG_GUARD_S,
                            cwd=PROJECT_ROOT)
    assert result.returncode == 1 and "SqlTimeoutError: the query ran past COSTCURVE_SQL_TIMEOUT=0.01 s" in result.stderr


def test_a_query_within_the_timeout_is_not_stopped(published, monkeypatch):
    monkeypatch.setenv(sql_guard.TIMEOUT_ENV, "1")
    result = runner.invoke(app, ["sql", "--csv", "SELECT count(*) AS n FROM seq a, seq b"])
    assert result.exit_code == 0 and result.stdout.splitlines() == ["n", "1000000"]


def test_a_query_over_the_memory_limit_fails_cleanly_and_spills_nothing(published):
    before = _state(published)
    result = _run(BIG_SORT, env=_env(published, COSTCURVE_SQL_MEMORY_LIMIT="50MB"))
    assert result.returncode == 1, (result.returncode, result.stderr)
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: the query needs more memory than COSTCURVE_SQL_MEMORY_LIMIT=50MB (Out of Memory")
    assert _state(published) == before  # no costcurve.duckdb.tmp spill directory beside the copy
    streaming = _run("--csv", "SELECT sum(range) AS s FROM range(20000000)",
                     env=_env(published, COSTCURVE_SQL_MEMORY_LIMIT="50MB"))
    assert streaming.returncode == 0 and streaming.stdout.splitlines() == ["s", "199999990000000"]


def test_the_limits_are_on_the_connection_and_sql_cannot_raise_them(published, monkeypatch):
    monkeypatch.setenv(sql_guard.MEMORY_ENV, "50MB")
    shown = runner.invoke(app, ["sql", "--format", "json", "SELECT current_setting('memory_limit') AS memory_limit, "
                                "current_setting('lock_configuration') AS locked, current_setting('temp_directory') "
                                "AS temp_directory, current_setting('python_enable_replacements') AS replacements"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == [{"memory_limit": "47.6 MiB", "locked": True, "temp_directory": "",
                                         "replacements": False}]
    for raise_it in ("SET memory_limit = '100GB'", "SET GLOBAL memory_limit = '100GB'", "RESET memory_limit",
                     "SET lock_configuration = false", "PRAGMA memory_limit = '100GB'"):
        refused = runner.invoke(app, ["sql", raise_it])
        assert refused.exit_code == 1 and refused.stderr.startswith("error: refused"), (raise_it, refused.output)
    # and the connection itself would refuse it too, were the statement check ever bypassed
    limits = sql_guard.Limits.from_env()
    with (analyst(published, limits.connection_config()) as con,
          pytest.raises(duckdb.InvalidInputException, match="configuration has been locked")):
        con.execute("SET memory_limit = '100GB'")


def test_a_limit_can_never_undo_the_sandbox(published):
    for setting in ("enable_external_access", "autoload_known_extensions", "autoinstall_known_extensions"):
        with pytest.raises(ValueError, match="sandbox"), analyst(published, {setting: True}):
            pass


@pytest.mark.parametrize("name, value, says", [
    ("COSTCURVE_SQL_TIMEOUT", "soon", "COSTCURVE_SQL_TIMEOUT='soon' is not a number of seconds above 0"),
    ("COSTCURVE_SQL_TIMEOUT", "0", "COSTCURVE_SQL_TIMEOUT='0' is not a number of seconds above 0"),
    ("COSTCURVE_SQL_TIMEOUT", "-5", "COSTCURVE_SQL_TIMEOUT='-5' is not a number of seconds above 0"),
    ("COSTCURVE_SQL_TIMEOUT", "inf", "COSTCURVE_SQL_TIMEOUT='inf' is not a number of seconds above 0"),
    ("COSTCURVE_SQL_MEMORY_LIMIT", "lots", "COSTCURVE_SQL_MEMORY_LIMIT='lots' is not a memory size DuckDB takes"),
])
def test_a_bad_limit_is_refused_by_name_before_anything_runs(published, monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["sql", "SELECT 1"])
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {says}"), result.output


# --- any value printed as it is, in every format ---------------------------------------------------------


def test_markup_is_printed_verbatim_in_a_table(published):
    result = runner.invoke(app, ["sql", "SELECT value, value AS \"[/x]\" FROM names"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = [[c.strip() for c in line.split("┃")[1:-1]] for line in lines if "┃" in line]
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if "│" in line]
    assert header == [["value", "[/x]"]]
    assert cells == [[v, v] for v in MARKUP]


def test_markup_is_printed_verbatim_one_block_per_row(published):
    """The expanded display (a result too wide for a table) prints the same values as they are."""
    wide = ", ".join(f"value AS \"[/c{i:02d}]-wide-column\"" for i in range(20))
    result = runner.invoke(app, ["sql", f"SELECT {wide} FROM names"])
    assert result.exit_code == 0 and result.stdout.count("-[ row ") == len(MARKUP), result.output
    for value in MARKUP:
        assert f"[/c07]-wide-column | {value}\n" in result.stdout


def test_markup_is_written_verbatim_as_csv_and_json(published, tmp_path):
    as_csv = runner.invoke(app, ["sql", "--csv", "SELECT value FROM names"])
    assert as_csv.exit_code == 0 and as_csv.stdout.splitlines() == ["value", *MARKUP]
    as_json = runner.invoke(app, ["sql", "--format", "json", "SELECT value FROM names"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == [{"value": v} for v in MARKUP]
    out = tmp_path / "names.parquet"
    as_parquet = runner.invoke(app, ["sql", "--format", "parquet", "--out", str(out), "SELECT value FROM names"])
    assert as_parquet.exit_code == 0
    assert duckdb.sql(f"SELECT value FROM read_parquet('{out}')").fetchall() == [(v,) for v in MARKUP]


# --- what analysts run still runs ------------------------------------------------------------------------


def _readme_sql() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text()
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


def test_every_query_of_the_readme_and_the_report_passes_the_check():
    """Each statement of each ```sql block (a block may hold two, run one at a time), and every chart's query."""
    splitter = duckdb.connect()
    queries = [s.query for block in _readme_sql() for s in splitter.extract_statements(block)]
    queries += [section.sql for section in SECTIONS]
    assert len(queries) > 10  # the README's "Questions the marts answer" and every chart of the report
    for query in queries:
        assert sql_guard.check(query).type == duckdb.StatementType.SELECT, query


READS = [
    ("SELECT count(*) FROM seq", "1000"),
    ("-- a comment first\nSELECT count(*) FROM seq", "1000"),
    ("WITH s AS (SELECT i FROM seq WHERE i < 10) SELECT count(*) FROM s", "10"),
    ("FROM seq SELECT max(i)", "999"),
    ("VALUES (42)", "42"),
    ("SELECT count(*) FROM (DESCRIBE names)", "1"),
    ("SELECT count(*) FROM (SUMMARIZE seq)", "1"),
    ("SELECT count(*) FROM (SHOW TABLES)", "2"),
    ("SELECT count(*) FROM pragma_table_info('names')", "1"),
    ("SELECT count(*) FROM duckdb_tables()", "2"),
    ("SELECT count(*) FROM range(5)", "5"),
    ("SELECT count(*) FROM unnest([1, 2, 3])", "3"),
    ("SELECT count(*) FROM json_each('[1, 2]')", "2"),
    ("SELECT count(*) FROM (PIVOT names ON value IN ('[/x]') USING count(*))", "1"),
]


@pytest.mark.parametrize("query, first_value", READS, ids=[q for q, _ in READS])
def test_an_analyst_read_still_runs(published, query, first_value):
    result = runner.invoke(app, ["sql", "--csv", query])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == first_value


@pytest.mark.parametrize("query", ["DESCRIBE names", "SUMMARIZE seq", "SHOW TABLES", "PRAGMA table_info('names')",
                                   "EXPLAIN SELECT count(*) FROM seq", "EXPLAIN ANALYZE SELECT count(*) FROM seq"])
def test_describe_summarize_show_and_explain_print(published, query):
    result = runner.invoke(app, ["sql", query])
    assert result.exit_code == 0 and result.stdout.strip(), result.output
