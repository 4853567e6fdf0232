"""Whole-table key uniqueness in SQL, for gates that validate only the run's day slice in GX.

Why: a daily gate that reads the whole of a fact mart into pandas grows with every day of history (issue 10);
the slice bounds it. A key repeated across days (a duplicate on an old day, or today's row clashing with an
old one) is invisible in the slice, so the unique keys the suite declares are checked here over the whole
table, in DuckDB, which needs no frame in memory.

The keys are read from the suite itself (``expect_column_values_to_be_unique`` and
``expect_compound_columns_to_be_unique``), so the suite stays the one place that says what must be unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from expectations.runner import MAX_EXAMPLES, read_suite_json

_UNIQUE_TYPES = {"expect_column_values_to_be_unique": "column", "expect_compound_columns_to_be_unique": "column_list"}


@dataclass(frozen=True)
class DuplicateKeys:
    """A declared unique key that repeats somewhere in the whole table."""

    columns: tuple[str, ...]
    duplicated_keys: int
    examples: list[dict]

    def describe(self) -> str:
        lines = [f"CRITICAL whole-table key ({', '.join(self.columns)}) is not unique: "
                 f"{self.duplicated_keys} key(s) repeat"]
        lines += ["    key " + ", ".join(f"{k}={v}" for k, v in row.items()) for row in self.examples[:5]]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"columns": list(self.columns), "duplicated_keys": self.duplicated_keys,
                "examples": [{k: str(v) for k, v in row.items()} for row in self.examples]}


def unique_keys(suite_name: str) -> list[tuple[str, ...]]:
    """The critical unique keys the suite declares, each as a tuple of columns."""
    keys = []
    for item in read_suite_json(suite_name)["expectations"]:
        kwarg = _UNIQUE_TYPES.get(item["type"])
        if kwarg and item["meta"]["severity"] == "critical":
            value = item["kwargs"][kwarg]
            keys.append((value,) if isinstance(value, str) else tuple(value))
    return keys


def duplicate_keys(con, table: str, suite_name: str | None = None, *,
                   written: tuple[str, list] | None = None) -> list[DuplicateKeys]:
    """Every declared unique key of ``table``'s suite that repeats in the whole table (empty: all unique).

    ``written`` is ``(day_column, days)`` when the table's last build rewrote only those days (an
    incremental mart) and every other row is as the build before left it, already checked then. Only keys
    the written rows hold can repeat now, so only they are looked for: in the whole table (a probe that
    keeps nothing but the written keys in memory), or in the written days alone when the key holds the
    day column, since a key with another day in it can never meet them.
    """
    found = []
    for columns in unique_keys(suite_name or table):
        cols = ", ".join(f'"{c}"' for c in columns)
        # as GX does by default, rows whose key columns are all NULL are ignored (NOT NULL is its own check)
        not_null = " OR ".join(f'"{c}" IS NOT NULL' for c in columns)
        rows = table
        if written is not None:
            day_column, days = written
            in_written = f'"{day_column}" IN ({_date_list(days)})'
            if day_column in columns:
                rows = f"(SELECT * FROM {table} WHERE {in_written})"
            else:
                keys = f"(SELECT DISTINCT {cols} FROM {table} WHERE {in_written})"
                rows = f"(SELECT * FROM {table} SEMI JOIN {keys} AS written_keys USING ({cols}))"
        grouped = f"SELECT {cols}, count(*) AS n_rows FROM {rows} AS t WHERE ({not_null}) GROUP BY ALL HAVING count(*) > 1"
        total = con.execute(f"SELECT count(*) FROM ({grouped})").fetchone()[0]
        if total:
            cursor = con.execute(f"{grouped} ORDER BY n_rows DESC, {cols} LIMIT {MAX_EXAMPLES}")
            names = [d[0] for d in cursor.description]
            examples = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            found.append(DuplicateKeys(columns, total, examples))
    return found


def _date_list(days: list) -> str:
    # literals, so DuckDB skips the other days' row groups; NULL matches nothing when no day was written
    return ", ".join(f"DATE '{date.fromisoformat(str(d)).isoformat()}'" for d in days) or "NULL"
