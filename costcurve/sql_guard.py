"""What `costcurve sql` lets an analyst run, and the limits it runs under (issue 9, "Analyst SQL").

The analyst connection is already read-only with file access off and settings locked
(``warehouse.connection.analyst``); that still lets through statements and functions that write a file
(``CALL enable_logging(storage='file', ...)``), run SQL hidden in a string (``query('...')``), or change
what the connection may do. So a query is checked before it runs, by DuckDB's own parser:

* statements by an allow-list of types: one SELECT (which is also how DuckDB parses WITH, FROM-first,
  VALUES, DESCRIBE, SUMMARIZE, SHOW and ``PRAGMA table_info``-style reads) or an EXPLAIN of one;
* table functions (what sits in FROM) by an allow-list: ranges, unnest, JSON walks and the catalog's
  read-only views of itself. Files are not the published copy: ``read_csv``, ``read_parquet``, ``glob``
  and the like are refused (the sandbox would refuse the file access anyway);
* any call by name anywhere in the query, against the few scalar functions with an effect beyond the
  result and against every table function not on the allow-list.

And it runs under a deadline and a memory limit the operator sets in the environment and SQL cannot raise.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

TIMEOUT_ENV = "COSTCURVE_SQL_TIMEOUT"
MEMORY_ENV = "COSTCURVE_SQL_MEMORY_LIMIT"
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_LIMIT = "2GB"

ALLOWED_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
WHAT_RUNS = ("SELECT (with WITH, FROM-first, VALUES, DESCRIBE, SUMMARIZE, SHOW, PRAGMA table_info) "
             "or EXPLAIN [ANALYZE] of one")

#: table functions that only read the published copy, DuckDB's catalog or their own arguments
TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "repeat", "json_each", "json_tree", "summary",
    "icu_calendar_names", "pg_timezone_names",
    "pragma_table_info", "pragma_show", "pragma_version", "pragma_platform", "pragma_database_size",
    "pragma_storage_info", "pragma_collations", "pragma_metadata_info", "pragma_user_agent",
    "duckdb_columns", "duckdb_constraints", "duckdb_databases", "duckdb_dependencies", "duckdb_functions",
    "duckdb_indexes", "duckdb_keywords", "duckdb_memory", "duckdb_optimizers", "duckdb_schemas",
    "duckdb_sequences", "duckdb_settings", "duckdb_tables", "duckdb_types", "duckdb_views",
})

#: functions that are not table functions yet act beyond their result (names from duckdb_functions() of
#: the pinned DuckDB: the table functions that write or run SQL are refused by not being on the list above)
REFUSED_FUNCTIONS = {
    "write_log": "it writes to DuckDB's log",
    "json_execute_serialized_sql": "it runs SQL hidden in a string",
}


class SqlGuardError(Exception):
    """A query `costcurve sql` will not run, or one it stopped (one line for the CLI: cli_errors.py)."""


class SqlRefusedError(SqlGuardError):
    """The query holds a statement or function an analyst may not run."""


class SqlTimeoutError(SqlGuardError):
    """The query ran past COSTCURVE_SQL_TIMEOUT and was interrupted."""


class SqlMemoryError(SqlGuardError):
    """The query needed more than COSTCURVE_SQL_MEMORY_LIMIT."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    memory_limit: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """The operator's limits; a value that is not a limit is refused by name, before anything runs."""
        raw_timeout = environ.get(TIMEOUT_ENV, "").strip()
        try:
            timeout = float(raw_timeout) if raw_timeout else DEFAULT_TIMEOUT_S
        except ValueError:
            timeout = math.nan
        if not (math.isfinite(timeout) and timeout > 0):
            raise SqlGuardError(f"{TIMEOUT_ENV}={raw_timeout!r} is not a number of seconds above 0")
        memory = environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY_LIMIT
        try:  # DuckDB's own parser of sizes decides what a size is ("2GB", "512MiB", "80%")
            duckdb.connect(config={"memory_limit": memory}).close()
        except duckdb.Error as exc:
            raise SqlGuardError(f"{MEMORY_ENV}={memory!r} is not a memory size DuckDB takes "
                                f"({str(exc).splitlines()[0]})") from None
        return cls(timeout, memory)

    def connection_config(self) -> dict[str, object]:
        """Settings for the analyst connection, fixed before ``lock_configuration`` is set."""
        return {
            "memory_limit": self.memory_limit,
            # no spilling: a sort over the limit fails instead of writing temp files beside the published copy
            "temp_directory": "",
            # a table name must be a table of the copy, never a Python variable of this process
            "python_enable_replacements": False,
        }


def check(query: str) -> duckdb.Statement:
    """The one statement of ``query`` if an analyst may run it; else SqlRefusedError naming what is refused.

    Parsed by a scratch in-memory DuckDB (no data: its parser and its catalog of built-in functions).
    The returned statement is what runs, so the text checked is the text executed."""
    parser = duckdb.connect()
    try:
        statements = parser.extract_statements(query)
        if not statements:
            raise SqlRefusedError("the query has no statement to run (it is empty or only comments)")
        if len(statements) > 1:
            raise SqlRefusedError(f"refused: {len(statements)} statements; costcurve sql runs one at a time (a PIVOT "
                                  "without an IN list is two to DuckDB: it creates a type first)")
        statement = statements[0]
        if statement.type not in ALLOWED_STATEMENTS:
            raise SqlRefusedError(f"refused: a {statement.type.name} statement ({_first_line(statement.query)}); "
                                  f"costcurve sql runs {WHAT_RUNS}")
        select = _explained(parser, statement) if statement.type == duckdb.StatementType.EXPLAIN else statement
        _check_functions(parser, select.query)
        return statement
    finally:
        parser.close()


def _explained(parser: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> duckdb.Statement:
    """The SELECT an EXPLAIN [ANALYZE] explains (EXPLAIN ANALYZE runs it, so it is checked as one)."""
    text = statement.query
    tokens = duckdb.tokenize(text)
    start = 0
    for position, _ in tokens:  # skip the leading EXPLAIN and ANALYZE keywords, found by DuckDB's tokenizer
        word = text[position:].split(None, 1)[0].upper()
        if word not in {"EXPLAIN", "ANALYZE", "ANALYSE"}:
            start = position
            break
    try:
        inner = parser.extract_statements(text[start:])
    except duckdb.Error:
        inner = []
    if len(inner) != 1 or inner[0].type != duckdb.StatementType.SELECT:
        raise SqlRefusedError(f"refused: {_first_line(text)}; costcurve sql runs EXPLAIN [ANALYZE] of a SELECT only")
    return inner[0]


def _check_functions(parser: duckdb.DuckDBPyConnection, select: str) -> None:
    tree = json.loads(parser.execute("SELECT json_serialize_sql(?)", [select]).fetchone()[0])
    if tree.get("error"):  # fail closed: what cannot be walked is not run
        raise SqlRefusedError(f"refused: the query cannot be checked ({tree.get('error_message')})")
    table_functions = {name for (name,) in parser.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type IN ('table', 'table_macro')"
    ).fetchall()}
    for name, in_from in _calls(tree):
        if name in REFUSED_FUNCTIONS:
            raise SqlRefusedError(f"refused: the function {name}(), as {REFUSED_FUNCTIONS[name]}")
        if (in_from or name in table_functions) and name not in TABLE_FUNCTIONS:
            raise SqlRefusedError(f"refused: the table function {name}(); costcurve sql reads the published copy "
                                  "only (ranges, unnest, json_each/json_tree, summary, pragma_* and duckdb_* views)")


def _calls(node) -> Iterator[tuple[str, bool]]:
    """Every function called in a serialized query, as (lower-case name, whether it sits in FROM)."""
    if isinstance(node, dict):
        if node.get("type") == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
            yield str(node["function"].get("function_name", "")).lower(), True
        if "function_name" in node:
            yield str(node["function_name"]).lower(), False
        for value in node.values():
            yield from _calls(value)
    elif isinstance(node, list):
        for value in node:
            yield from _calls(value)


def _first_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 60 else line[:57] + "..."


@contextmanager
def limited(con: duckdb.DuckDBPyConnection, limits: Limits) -> Iterator[None]:
    """Interrupt ``con`` once the deadline passes (DuckDB has no statement timeout of its own), and name the
    operator's limit when a query is stopped by it."""
    done = threading.Event()
    watchdog = threading.Thread(target=_interrupt_after, args=(con, limits.timeout_s, done), daemon=True)
    watchdog.start()
    try:
        yield
    except duckdb.InterruptException:
        raise SqlTimeoutError(f"the query ran past {TIMEOUT_ENV}={limits.timeout_s:g} s and was stopped; "
                              "narrow it, or ask the operator for a longer limit") from None
    except duckdb.OutOfMemoryException as exc:
        raise SqlMemoryError(f"the query needs more memory than {MEMORY_ENV}={limits.memory_limit} "
                             f"({str(exc).splitlines()[0]})") from None
    finally:
        done.set()
        watchdog.join()


def _interrupt_after(con: duckdb.DuckDBPyConnection, seconds: float, done: threading.Event) -> None:
    """Past the deadline, interrupt until the query is over: a single interrupt could land before the query
    starts or between two fetches of a streamed result, and be lost."""
    if done.wait(seconds):
        return
    while True:
        con.interrupt()
        if done.wait(0.1):
            return
