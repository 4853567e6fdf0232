"""Connections to the DuckDB file: the single writer, and the sandboxed read-only analyst reader."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

RAW_SCHEMA_SQL = Path(__file__).with_name("raw_schema.sql")
#: the analyst connection's sandbox: no file system or network, no extension loaded or installed
SANDBOX = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}


@contextmanager
def writer(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The writing connection. DuckDB allows one writing process: callers run in the Dagster pool of size 1."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_SCHEMA_SQL.read_text())


@contextmanager
def analyst(path: Path, config: dict[str, object] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only and sandboxed: no file system, no extensions, no settings changes from SQL.

    ``config`` adds settings (limits, for `costcurve sql`) fixed before the configuration is locked.

    Analysts read the published copy, never the live file, so their queries cannot block the daily run.
    """
    if SANDBOX.keys() & (config or {}).keys():
        raise ValueError(f"the analyst sandbox's settings {sorted(SANDBOX)} are not a caller's to change")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no published warehouse at {path}: run `make demo` or `make run` first")
    con = duckdb.connect(
        str(path),
        read_only=True,
        config={**SANDBOX, **(config or {})},  # in this order: DuckDB refuses temp_directory set the other way
    )
    try:
        con.execute("SET lock_configuration = true")
        yield con
    finally:
        con.close()
