"""The screen summary of a run whose output went to a log file: its warnings, read back from the file."""

from __future__ import annotations

from costcurve.runner import log_warnings


def test_log_warnings_reads_dagster_warning_events_only(tmp_path):
    log = tmp_path / "run.log"
    log.write_text(
        "2026-12-02 17:00:57 +0000 - dagster - INFO - rebuild - 5f01 - dbt_marts - Finished in 3.1s\n"
        "2026-12-02 17:00:58 +0000 - dagster - WARNING - rebuild - 5f01 - gate__marts - "
        "fct_market_prices: 2 rows - a warning expectation failed\n"
        "20:10:01  1 of 284 START sql view model main.stg_openai__prices ... [RUN]\n"
        "some text - dagster - WARNING - but not an event line\n"
        "/x/.venv/lib/python3.12/site-packages/great_expectations/core.py:41: FutureWarning: a GX deprecation\n"
        "    warnings.warn(\n",
        encoding="utf-8",
    )
    # the message keeps its own " - " (split at the first six separators only)
    assert log_warnings(log) == ["gate__marts: fct_market_prices: 2 rows - a warning expectation failed",
                                 "FutureWarning: a GX deprecation"]
