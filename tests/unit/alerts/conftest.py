"""Fixtures: a real DuckDB file under tmp_path holding a small ``fct_price_history`` mart.

The mart is built here with the columns dbt produces (SCD2: one row per price, ``valid_to`` exclusive
and NULL for the current row) so the alert tests do not depend on dbt having run.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

MART_DDL = """
CREATE TABLE main.fct_price_history (
    source_id         VARCHAR NOT NULL,
    provider_id       VARCHAR NOT NULL,
    model_id          VARCHAR NOT NULL,
    token_type        VARCHAR NOT NULL,
    service_tier      VARCHAR NOT NULL,
    context_band      VARCHAR NOT NULL,
    modality          VARCHAR NOT NULL,
    currency          VARCHAR NOT NULL,
    price_per_mtok    DECIMAL(18, 9) NOT NULL,
    usd_per_mtok      DECIMAL(18, 9),
    valid_from        DATE NOT NULL,
    valid_to          DATE,
    is_current        BOOLEAN NOT NULL,
    first_observed_at TIMESTAMPTZ NOT NULL,
    last_observed_at  TIMESTAMPTZ NOT NULL,
    observation_count BIGINT NOT NULL
)
"""

KEY_DEFAULTS = {
    "source_id": "litellm",
    "provider_id": "openai",
    "model_id": "gpt-test",
    "token_type": "input",
    "service_tier": "standard",
    "context_band": "all",
    "modality": "text",
}


def history(changes: list[tuple[str, str]], currency: str = "USD", usd: list[str | None] | None = None,
            **key: str) -> list[dict]:
    """SCD2 rows for one price key from ``[(valid_from, price), ...]`` in date order."""
    rows = []
    for i, (start, price) in enumerate(changes):
        end = changes[i + 1][0] if i + 1 < len(changes) else None
        usd_value = usd[i] if usd is not None else (price if currency == "USD" else None)
        rows.append({
            **KEY_DEFAULTS,
            **key,
            "currency": currency,
            "price_per_mtok": Decimal(price),
            "usd_per_mtok": None if usd_value is None else Decimal(usd_value),
            "valid_from": date.fromisoformat(start),
            "valid_to": None if end is None else date.fromisoformat(end),
            "is_current": end is None,
            "first_observed_at": f"{start} 06:00:00+00",
            "last_observed_at": f"{end or start} 06:00:00+00",
            "observation_count": 1,
        })
    return rows


def write_mart(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    con.execute(MART_DDL)
    columns = [
        "source_id", "provider_id", "model_id", "token_type", "service_tier", "context_band", "modality",
        "currency", "price_per_mtok", "usd_per_mtok", "valid_from", "valid_to", "is_current",
        "first_observed_at", "last_observed_at", "observation_count",
    ]
    if not rows:
        return
    placeholders = ", ".join("?" for _ in columns)
    con.executemany(
        f"INSERT INTO main.fct_price_history ({', '.join(columns)}) VALUES ({placeholders})",
        [[row[c] for c in columns] for row in rows],
    )


@pytest.fixture
def make_history():
    """``history`` as a fixture, so test modules need not import from conftest."""
    return history


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "costcurve.duckdb"


@pytest.fixture
def warehouse(db_path: Path):
    """A function ``rows -> connection`` that writes the mart into a fresh DuckDB file."""
    connections = []

    def build(rows: list[dict]) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(db_path))
        write_mart(con, rows)
        connections.append(con)
        return con

    yield build
    for con in connections:
        con.close()


@pytest.fixture
def rules_file(tmp_path: Path):
    """A function writing a rules YAML file and returning its path."""

    def write(text: str, name: str = "rules.yml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
